//! The stateless rules, in their one documented order (`docs/DECISIONS.md`, D1), written once
//! for the owned request and its borrowed view alike.

use std::borrow::Cow;
use std::collections::HashSet;
use std::ops::{ControlFlow, RangeInclusive};

use crate::api_error::MAX_TAGS;
use crate::text_rules::{
    client_token_ok, description_ok, snapshot_name_ok, tag_index_ok, tag_key_ok, tag_value_ok,
    INSTANT_ACCESS_RETENTION_DAYS, RETENTION_DAYS,
};
use crate::view::{RequestView, TypedView};
use crate::{ApiError, CreateSnapshotRequest, ErrorCode, SnapshotCategory, TagSpelling, Typed};

/// Judges a request by every rule that needs nothing but the request, and returns the first
/// failure, in the order of `docs/DECISIONS.md` (D1).
///
/// No heap allocation, unless it refuses with a message or parameter name filled in at run
/// time (see [`RequestView::validate`]).
///
/// ```
/// use ecs_snapshot_rules::{parse_query, validate, ErrorCode};
///
/// let request = parse_query("DiskId=d-1&Description=http://example.com")?;
/// let error = validate(&request).unwrap_err();
/// assert_eq!(error.code(), ErrorCode::InvalidDescriptionMalformed);
/// assert_eq!(error.status(), 404);
/// assert_eq!(error.parameter(), Some("Description"));
/// # Ok::<(), ecs_snapshot_rules::ParseError>(())
/// ```
pub fn validate(request: &CreateSnapshotRequest) -> Result<(), ApiError> {
    validate_fields(request)
}

/// Every violation of the stateless rules, in the order [`validate`] checks them; each names
/// its parameter. Empty for a valid request; the first is what [`validate`] returns.
///
/// ```
/// use ecs_snapshot_rules::{parse_query, violations};
///
/// let request = parse_query("SnapshotName=1st&RetentionDays=0")?;
/// let codes: Vec<_> = violations(&request).iter().map(|e| e.code().as_str()).collect();
/// assert_eq!(codes, ["MissingParameter", "InvalidSnapshotName.Malformed", "InvalidRetentionDays.Malformed"]);
/// # Ok::<(), ecs_snapshot_rules::ParseError>(())
/// ```
pub fn violations(request: &CreateSnapshotRequest) -> Vec<ApiError> {
    violations_of(request)
}

pub(crate) fn validate_fields(request: &impl Fields) -> Result<(), ApiError> {
    let mut first = None;
    let _ = check(request, &mut |error| {
        first = Some(error);
        ControlFlow::Break(())
    });
    first.map_or(Ok(()), Err)
}

pub(crate) fn violations_of(request: &impl Fields) -> Vec<ApiError> {
    let mut all = Vec::new();
    let _ = check(request, &mut |error| {
        all.push(error);
        ControlFlow::Continue(())
    });
    all
}

/// A tag as the rules see it.
#[derive(Clone, Copy)]
pub(crate) struct TagFields<'r> {
    index: u32,
    key: Option<&'r str>,
    value: Option<&'r str>,
    key_spelling: TagSpelling,
    value_spelling: TagSpelling,
}

/// What the rules read of a request, owned or borrowed. A typed parameter is
/// `Some(Some(value))`, `Some(None)` when its text is not of the type, `None` when absent.
pub(crate) trait Fields {
    fn disk_id(&self) -> Option<&str>;
    fn snapshot_name(&self) -> Option<&str>;
    fn description(&self) -> Option<&str>;
    fn retention_days(&self) -> Option<Option<i64>>;
    fn category(&self) -> Option<Option<SnapshotCategory>>;
    fn client_token(&self) -> Option<&str>;
    fn tag_count(&self) -> usize;
    fn tags(&self) -> impl Iterator<Item = TagFields<'_>> + Clone;
    fn instant_access(&self) -> Option<Option<bool>>;
    fn instant_access_retention_days(&self) -> Option<Option<i64>>;
}

fn typed<T: Copy>(value: &Option<Typed<T>>) -> Option<Option<T>> {
    value.as_ref().map(|typed| typed.value().copied())
}

fn typed_view<T: Copy>(value: &Option<TypedView<'_, T>>) -> Option<Option<T>> {
    value.as_ref().map(TypedView::value)
}

/// The owned request and its view hold the same fields under the same names; only the
/// typed ones differ in type.
macro_rules! fields {
    ($request:ty, $typed:ident) => {
        impl Fields for $request {
            fn disk_id(&self) -> Option<&str> {
                self.disk_id.as_deref()
            }
            fn snapshot_name(&self) -> Option<&str> {
                self.snapshot_name.as_deref()
            }
            fn description(&self) -> Option<&str> {
                self.description.as_deref()
            }
            fn retention_days(&self) -> Option<Option<i64>> {
                $typed(&self.retention_days)
            }
            fn category(&self) -> Option<Option<SnapshotCategory>> {
                $typed(&self.category)
            }
            fn client_token(&self) -> Option<&str> {
                self.client_token.as_deref()
            }
            fn tag_count(&self) -> usize {
                self.tags.len()
            }
            fn tags(&self) -> impl Iterator<Item = TagFields<'_>> + Clone {
                self.tags.iter().map(|tag| TagFields {
                    index: tag.index,
                    key: tag.key.as_deref(),
                    value: tag.value.as_deref(),
                    key_spelling: tag.key_spelling,
                    value_spelling: tag.value_spelling,
                })
            }
            fn instant_access(&self) -> Option<Option<bool>> {
                $typed(&self.instant_access)
            }
            fn instant_access_retention_days(&self) -> Option<Option<i64>> {
                $typed(&self.instant_access_retention_days)
            }
        }
    };
}

fields!(CreateSnapshotRequest, typed);
fields!(RequestView<'_>, typed_view);

/// Where failures go: the first stops [`validate`], [`violations`] takes them all.
trait Sink: FnMut(ApiError) -> ControlFlow<()> {}

impl<F: FnMut(ApiError) -> ControlFlow<()>> Sink for F {}

/// Reports each failure to `sink`, in order, until the sink says stop.
fn check(request: &impl Fields, sink: &mut impl Sink) -> ControlFlow<()> {
    if request.disk_id().is_none_or(str::is_empty) {
        sink(ApiError::new(ErrorCode::MissingParameter).with_parameter("DiskId"))?;
    }
    if request
        .snapshot_name()
        .is_some_and(|name| !snapshot_name_ok(name))
    {
        sink(
            ApiError::new(ErrorCode::InvalidSnapshotNameMalformed).with_parameter("SnapshotName"),
        )?;
    }
    if request
        .description()
        .is_some_and(|text| !description_ok(text))
    {
        sink(ApiError::new(ErrorCode::InvalidDescriptionMalformed).with_parameter("Description"))?;
    }
    if !in_range(request.retention_days(), RETENTION_DAYS) {
        sink(
            ApiError::new(ErrorCode::InvalidRetentionDaysMalformed).with_parameter("RetentionDays"),
        )?;
    }
    if let Some(None) = request.category() {
        sink(
            ApiError::new(ErrorCode::InvalidSnapshotCategoryMalformed).with_parameter("Category"),
        )?;
    }
    if request
        .client_token()
        .is_some_and(|token| !client_token_ok(token))
    {
        sink(ApiError::new(ErrorCode::InvalidClientTokenMalformed).with_parameter("ClientToken"))?;
    }
    check_tags(request, sink)?;
    if let Some(None) = request.instant_access() {
        sink(ApiError::invalid_parameter("InstantAccess"))?;
    }
    if !in_range(
        request.instant_access_retention_days(),
        INSTANT_ACCESS_RETENTION_DAYS,
    ) {
        sink(
            ApiError::new(ErrorCode::InvalidInstantAccessRetentionDaysMalformed)
                .with_parameter("InstantAccessRetentionDays"),
        )?;
    }
    if request.category().is_some() && request.instant_access().is_some() {
        sink(
            ApiError::new(ErrorCode::InvalidCategoryAndInstantAccessMalformed)
                .with_parameter("Category"),
        )?;
    }
    ControlFlow::Continue(())
}

/// Absent, or an integer in `range`.
fn in_range(days: Option<Option<i64>>, range: RangeInclusive<i64>) -> bool {
    match days {
        None => true,
        Some(Some(days)) => range.contains(&days),
        Some(None) => false,
    }
}

/// The tag list: its size, then each tag by ascending N (key, then value), then repeated keys.
fn check_tags(request: &impl Fields, sink: &mut impl Sink) -> ControlFlow<()> {
    let count = request.tag_count();
    if count == 0 {
        return ControlFlow::Continue(());
    }
    if count > MAX_TAGS {
        sink(ApiError::too_many_tags(count))?;
    }
    for tag in request.tags() {
        let index_ok = tag_index_ok(tag.index);
        if !index_ok || !tag.key.is_some_and(tag_key_ok) {
            sink(
                ApiError::new(ErrorCode::InvalidTagKeyMalformed).with_parameter(tag_parameter(
                    tag.index,
                    Field::Key,
                    tag.key_spelling,
                )),
            )?;
        }
        if let Some(value) = tag.value {
            if !index_ok || !tag_value_ok(value) {
                sink(
                    ApiError::new(ErrorCode::InvalidTagValueMalformed)
                        .with_parameter(tag_parameter(tag.index, Field::Value, tag.value_spelling)),
                )?;
            }
        }
    }
    if count > 1 {
        check_duplicate_keys(request, count, sink)?;
    }
    ControlFlow::Continue(())
}

/// A key seen before, reported at each later tag that repeats it. Up to 20 tags (every
/// request that can get this far in `validate`), each key is compared with the ones before
/// it, on the stack: first by a fingerprint of its length and ends, then, when those agree,
/// in full. Beyond 20, a hash set keeps the cost linear.
fn check_duplicate_keys(
    request: &impl Fields,
    count: usize,
    sink: &mut impl Sink,
) -> ControlFlow<()> {
    let mut report = |tag: TagFields<'_>| {
        sink(
            ApiError::new(ErrorCode::DuplicateTagKey).with_parameter(tag_parameter(
                tag.index,
                Field::Key,
                tag.key_spelling,
            )),
        )
    };
    if count <= MAX_TAGS {
        let mut keys = [None; MAX_TAGS];
        let mut prints = [0u64; MAX_TAGS];
        for (position, tag) in request.tags().enumerate().take(MAX_TAGS) {
            keys[position] = tag.key;
            prints[position] = tag.key.map_or(0, fingerprint);
        }
        for (position, tag) in request.tags().enumerate().take(MAX_TAGS) {
            let Some(key) = tag.key else { continue };
            let print = prints[position];
            let repeated =
                (0..position).any(|before| prints[before] == print && keys[before] == Some(key));
            if repeated {
                report(tag)?;
            }
        }
    } else {
        let mut seen = HashSet::with_capacity(count);
        for tag in request.tags() {
            if tag.key.is_some_and(|key| !seen.insert(key)) {
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

/// A tag parameter's field.
#[derive(Clone, Copy)]
pub(crate) enum Field {
    Key,
    Value,
}

/// `Tag.N.Key` and its kin for N from 1 to 20, written out so that naming them costs nothing.
const TAG_PARAMETERS: [[&str; 4]; 20] = tag_parameters();

macro_rules! tag_names {
    ($($n:literal)*) => {
        [$([
            concat!("Tag.", $n, ".Key"),
            concat!("Tag.", $n, ".key"),
            concat!("Tag.", $n, ".Value"),
            concat!("Tag.", $n, ".value"),
        ]),*]
    };
}

const fn tag_parameters() -> [[&'static str; 4]; 20] {
    tag_names!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20)
}

/// A tag parameter's name as spelled on the wire: `Tag.3.Key` or `Tag.3.value`.
pub(crate) fn tag_parameter(index: u32, field: Field, spelling: TagSpelling) -> Cow<'static, str> {
    let column = match (field, spelling) {
        (Field::Key, TagSpelling::Current) => 0,
        (Field::Key, TagSpelling::Deprecated) => 1,
        (Field::Value, TagSpelling::Current) => 2,
        (Field::Value, TagSpelling::Deprecated) => 3,
    };
    match index
        .checked_sub(1)
        .and_then(|row| TAG_PARAMETERS.get(row as usize))
    {
        Some(names) => Cow::Borrowed(names[column]),
        None => {
            let word = ["Key", "key", "Value", "value"][column];
            Cow::Owned(format!("Tag.{index}.{word}"))
        }
    }
}
