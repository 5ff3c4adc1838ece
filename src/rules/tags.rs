//! The tag list: its size, then each tag by ascending N (key, then value), then repeated keys.

use std::collections::HashSet;
use std::ops::ControlFlow;

use super::text;
use super::Sink;
use crate::catalogue::{ApiError, ErrorCode};
use crate::request::{Parameter, Rule, Tag, TagField, Tags, MAX_TAGS, TAG_INDEX};

/// Reports each failure of the tag list to `sink`, in order.
#[inline]
pub(super) fn check(tags: &Tags<'_>, sink: &mut impl Sink) -> ControlFlow<()> {
    let count = tags.len();
    if count == 0 {
        return ControlFlow::Continue(());
    }
    if count > MAX_TAGS {
        sink(too_many_tags(count))?;
    }
    for tag in tags.iter() {
        let index_ok = TAG_INDEX.contains(&tag.index);
        if !index_ok
            || !tag
                .key
                .as_deref()
                .is_some_and(|key| admits(Parameter::TagKey, key))
        {
            sink(refusal(tag, TagField::Key))?;
        }
        if let Some(value) = tag.value.as_deref() {
            if !index_ok || !admits(Parameter::TagValue, value) {
                sink(refusal(tag, TagField::Value))?;
            }
        }
    }
    if count > 1 {
        check_duplicate_keys(tags, count, sink)?;
    }
    ControlFlow::Continue(())
}

/// `QuotaExceed.Tags` for a request with `count` tags, as the rules answer it. The spec
/// documents the message as `%s`, filled at run time; see `docs/DECISIONS.md` (D11).
///
/// ```
/// use ecs_snapshot_rules::rules::too_many_tags;
///
/// let error = too_many_tags(21);
/// assert_eq!((error.status(), error.code().as_str()), (403, "QuotaExceed.Tags"));
/// assert_eq!(error.message(), "The number of tags (21) exceeds the quota of 20.");
/// ```
pub fn too_many_tags(count: usize) -> ApiError {
    ApiError::new(ErrorCode::QuotaExceedTags)
        .with_message(format!(
            "The number of tags ({count}) exceeds the quota of {MAX_TAGS}."
        ))
        .with_parameter("Tag")
}

/// Whether a tag field's text keeps the rule the table declares for it.
#[inline]
fn admits(parameter: Parameter, text: &str) -> bool {
    match parameter.rule() {
        Rule::Text { min, max, format } => text::admits(text, min, max, format),
        Rule::Required
        | Rule::Integer { .. }
        | Rule::Boolean
        | Rule::OneOf(_)
        | Rule::Unchecked
        | Rule::WhenTrue { .. } => true,
    }
}

/// The error of a tag's key or value, named as the request spelled it.
fn refusal(tag: &Tag<'_>, field: TagField) -> ApiError {
    let (code, parameter) = match field {
        TagField::Key => (ErrorCode::InvalidTagKeyMalformed, tag.key_parameter()),
        TagField::Value => (ErrorCode::InvalidTagValueMalformed, tag.value_parameter()),
    };
    ApiError::new(code).with_parameter(parameter)
}

/// A key seen before, reported at each later tag that repeats it. Up to 20 tags (every
/// request that can get this far in `validate`), each key is compared with the ones before
/// it, on the stack: first by a fingerprint of its length and ends, then, when those agree,
/// in full. Beyond 20, a hash set keeps the cost linear.
fn check_duplicate_keys(tags: &Tags<'_>, count: usize, sink: &mut impl Sink) -> ControlFlow<()> {
    let mut report = |tag: &Tag<'_>| {
        sink(ApiError::new(ErrorCode::DuplicateTagKey).with_parameter(tag.key_parameter()))
    };
    if count <= MAX_TAGS {
        let mut keys = [None; MAX_TAGS];
        let mut prints = [0u64; MAX_TAGS];
        for (position, tag) in tags.iter().enumerate().take(MAX_TAGS) {
            keys[position] = tag.key.as_deref();
            prints[position] = tag.key.as_deref().map_or(0, fingerprint);
        }
        for (position, tag) in tags.iter().enumerate().take(MAX_TAGS) {
            let Some(key) = tag.key.as_deref() else {
                continue;
            };
            let print = prints[position];
            let repeated =
                (0..position).any(|before| prints[before] == print && keys[before] == Some(key));
            if repeated {
                report(tag)?;
            }
        }
    } else {
        let mut seen = HashSet::with_capacity(count);
        for tag in tags.iter() {
            if tag.key.as_deref().is_some_and(|key| !seen.insert(key)) {
                report(tag)?;
            }
        }
    }
    ControlFlow::Continue(())
}

/// Equal keys have equal fingerprints: the length and the first and last eight bytes.
fn fingerprint(key: &str) -> u64 {
    let bytes = key.as_bytes();
    let mut head = [0u8; 8];
    let mut tail = [0u8; 8];
    let n = bytes.len().min(8);
    head[..n].copy_from_slice(&bytes[..n]);
    tail[..n].copy_from_slice(&bytes[bytes.len() - n..]);
    (bytes.len() as u64) ^ u64::from_le_bytes(head).rotate_left(17) ^ u64::from_le_bytes(tail)
}
