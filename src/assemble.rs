//! Decoded name/value pairs into a [`CreateSnapshotRequest`]: the one place every wire format
//! ends up, so that a parameter means the same whichever way it came.

use std::collections::HashMap;

use crate::{CreateSnapshotRequest, ParameterName, ParseError, SnapshotCategory, Tag, Typed};

/// Reads a request from decoded name/value pairs, as a web framework hands them to a handler.
///
/// ```
/// use ecs_snapshot_rules::parse_pairs;
///
/// let request = parse_pairs([("DiskId", "d-1"), ("Tag.1.Key", "env"), ("Tag.1.Value", "prod")])?;
/// assert_eq!(request.tags[0].key.as_deref(), Some("env"));
/// # Ok::<(), ecs_snapshot_rules::ParseError>(())
/// ```
pub fn parse_pairs<I, K, V>(pairs: I) -> Result<CreateSnapshotRequest, ParseError>
where
    I: IntoIterator<Item = (K, V)>,
    K: Into<String>,
    V: Into<String>,
{
    let mut assembler = Assembler::default();
    for (name, value) in pairs {
        assembler.push(name.into(), value.into())?;
    }
    Ok(assembler.finish())
}

/// Builds a request one decoded pair at a time.
#[derive(Default)]
pub(crate) struct Assembler {
    request: CreateSnapshotRequest,
    action_seen: bool,
    /// Where tag N sits in `request.tags`: one lookup a tag parameter, whatever the order.
    tag_positions: HashMap<u32, usize>,
}

impl Assembler {
    /// Takes one parameter.
    pub(crate) fn push(&mut self, name: String, value: String) -> Result<(), ParseError> {
        let request = &mut self.request;
        match ParameterName::classify(&name) {
            ParameterName::Action => {
                if std::mem::replace(&mut self.action_seen, true) {
                    return Err(ParseError::RepeatedParameter { name });
                }
                if value != "CreateSnapshot" {
                    return Err(ParseError::WrongAction { found: value });
                }
            }
            ParameterName::DiskId => set(&mut request.disk_id, name, value)?,
            ParameterName::SnapshotName => set(&mut request.snapshot_name, name, value)?,
            ParameterName::Description => set(&mut request.description, name, value)?,
            ParameterName::RetentionDays => set(&mut request.retention_days, name, integer(value))?,
            ParameterName::Category => set(&mut request.category, name, category(value))?,
            ParameterName::ClientToken => set(&mut request.client_token, name, value)?,
            ParameterName::ResourceGroupId => set(&mut request.resource_group_id, name, value)?,
            ParameterName::InstantAccess => set(&mut request.instant_access, name, boolean(value))?,
            ParameterName::InstantAccessRetentionDays => set(
                &mut request.instant_access_retention_days,
                name,
                integer(value),
            )?,
            ParameterName::TagKey { index, spelling } => {
                let tag = self.tag(index);
                set(&mut tag.key, name, value).map_err(|_| ParseError::RepeatedParameter {
                    name: format!("Tag.{index}.Key"),
                })?;
                tag.key_spelling = spelling;
            }
            ParameterName::TagValue { index, spelling } => {
                let tag = self.tag(index);
                set(&mut tag.value, name, value).map_err(|_| ParseError::RepeatedParameter {
                    name: format!("Tag.{index}.Value"),
                })?;
                tag.value_spelling = spelling;
            }
            ParameterName::Common | ParameterName::Unknown => {
                request.other_parameters.push((name, value))
            }
        }
        Ok(())
    }

    /// Tag N, added when first named.
    fn tag(&mut self, index: u32) -> &mut Tag {
        let tags = &mut self.request.tags;
        let position = *self.tag_positions.entry(index).or_insert_with(|| {
            tags.push(Tag {
                index,
                ..Tag::default()
            });
            tags.len() - 1
        });
        &mut tags[position]
    }

    /// The request, tags in ascending N (a sort that costs one pass when they came in order).
    pub(crate) fn finish(self) -> CreateSnapshotRequest {
        let mut request = self.request;
        request.tags.sort_by_key(|tag| tag.index);
        request
    }
}

/// Sets a parameter that may come once (`docs/DECISIONS.md`, D9).
fn set<T>(slot: &mut Option<T>, name: String, value: T) -> Result<(), ParseError> {
    if slot.is_some() {
        return Err(ParseError::RepeatedParameter { name });
    }
    *slot = Some(value);
    Ok(())
}

/// An integer as the API's Java back end reads one: an optional sign and ASCII digits,
/// leading zeros allowed (`docs/DECISIONS.md`, D6). Rust's `i64` parser takes exactly that
/// syntax; anything else, or a value beyond 64 bits, is kept as text.
pub(crate) fn integer(text: String) -> Typed<i64> {
    match text.parse::<i64>() {
        Ok(value) => Typed::Value(value),
        Err(_) => Typed::Unparsable(text),
    }
}

/// `true` or `false` in any ASCII case (`docs/DECISIONS.md`, D5).
pub(crate) fn boolean(text: String) -> Typed<bool> {
    if text.eq_ignore_ascii_case("true") {
        Typed::Value(true)
    } else if text.eq_ignore_ascii_case("false") {
        Typed::Value(false)
    } else {
        Typed::Unparsable(text)
    }
}

fn category(text: String) -> Typed<SnapshotCategory> {
    match SnapshotCategory::from_wire(&text) {
        Some(category) => Typed::Value(category),
        None => Typed::Unparsable(text),
    }
}
