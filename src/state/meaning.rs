//! What a request means, as opposed to how it is spelled: the key of idempotency.

use serde::{Deserialize, Serialize};

use crate::request::{CreateSnapshotRequest, Parameter, SnapshotCategory, Value};

/// The kind of snapshot a request asks for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SnapshotKind {
    /// A normal snapshot: no `InstantAccess`, `InstantAccess=false`, or `Category=Standard`.
    #[default]
    Normal,
    /// A local snapshot: the deprecated `Category=Flash`.
    Flash,
    /// A snapshot with instant access: `InstantAccess=true`.
    InstantAccess,
}

/// The meaning of a request: two requests with equal meanings ask for the same snapshot,
/// however they are spelled. A ClientToken sent again must come with the same meaning.
///
/// What does not change the meaning (`docs/DECISIONS.md`, D61): the order and the N of
/// tags, the deprecated `Tag.N.key` spelling, a tag key without a value versus one with an
/// empty value, `True` versus `true`, `030` versus `30`, `standard` versus `Standard`,
/// `InstantAccess=false` or `Category=Standard` versus neither (any account may send
/// `Category`, D226), `InstantAccessRetentionDays` when instant access is
/// off (it has no effect) or when it equals `RetentionDays` (its default), an empty
/// `ResourceGroupId` or `StorageLocationArn` versus none, and every common or unknown parameter (`Signature`,
/// `Timestamp`, ...), which differ on every retry. The ClientToken itself is not part of it.
///
/// ```
/// use ecs_snapshot_rules::parse_query;
/// use ecs_snapshot_rules::state::RequestMeaning;
///
/// let first = parse_query("DiskId=d-1&Tag.1.Key=a&Tag.1.Value=1&Tag.2.Key=b&InstantAccess=True")?;
/// let retry = parse_query("DiskId=d-1&Tag.1.key=b&Tag.2.Key=a&Tag.2.Value=1&InstantAccess=true")?;
/// assert_eq!(RequestMeaning::of(&first), RequestMeaning::of(&retry));
/// assert_ne!(RequestMeaning::of(&first), RequestMeaning::of(&parse_query("DiskId=d-2")?));
/// # Ok::<(), ecs_snapshot_rules::ParseError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RequestMeaning {
    /// The value of every parameter of the table that the fields below do not cover, in
    /// table order, a typed one in its canonical spelling (`30`, `true`): a parameter added
    /// to the table counts here without more ado.
    values: Vec<(Parameter, String)>,
    kind: SnapshotKind,
    instant_access_retention_days: Option<i64>,
    /// Sorted (key, value) pairs; a tag without a key keeps `None`.
    tags: Vec<(Option<String>, String)>,
    /// Values that are not of their parameter's type, by parameter, as sent: such a request
    /// is refused, but its meaning is still total.
    unparsable: Vec<(Parameter, String)>,
}

impl SnapshotKind {
    /// The kind of snapshot a request asks for: instant access when `InstantAccess` is
    /// true, a local snapshot for `Category=Flash`, a normal one otherwise.
    pub fn of(request: &CreateSnapshotRequest<'_>) -> SnapshotKind {
        if request.wants_instant_access() {
            SnapshotKind::InstantAccess
        } else if request.category.as_ref().and_then(|c| c.value()) == Some(SnapshotCategory::Flash)
        {
            SnapshotKind::Flash
        } else {
            SnapshotKind::Normal
        }
    }
}

impl RequestMeaning {
    /// What `request` means, for comparing a retry with its first request.
    pub fn of(request: &CreateSnapshotRequest<'_>) -> RequestMeaning {
        let mut values = Vec::new();
        let mut unparsable = Vec::new();
        for &parameter in Parameter::ALL {
            let Some(value) = request.get(parameter) else {
                continue;
            };
            let canonical = match value {
                Value::Integer(Err(text))
                | Value::Boolean(Err(text))
                | Value::Category(Err(text)) => {
                    unparsable.push((parameter, text.to_owned()));
                    None
                }
                // A typed value in its one spelling: `True` and `true` mean the same.
                Value::Text(_)
                | Value::Integer(Ok(_))
                | Value::Boolean(Ok(_))
                | Value::Category(Ok(_)) => Some(value.wire_text().into_owned()),
            };
            let covered = match parameter {
                // The token is the key, not part of what it keys.
                Parameter::ClientToken => true,
                // Seen through the kind of snapshot.
                Parameter::Category | Parameter::InstantAccess => true,
                // Meaningful only with instant access, where it defaults to RetentionDays.
                Parameter::InstantAccessRetentionDays => true,
                // An empty group or storage location is as if none were given (D65, D236).
                Parameter::ResourceGroupId | Parameter::StorageLocationArn => {
                    canonical.as_deref() == Some("")
                }
                _ => false,
            };
            if let (false, Some(canonical)) = (covered, canonical) {
                values.push((parameter, canonical));
            }
        }
        let number =
            |field: &Option<crate::request::Typed<'_, i64>>| field.as_ref().and_then(|d| d.value());
        let kind = SnapshotKind::of(request);
        let instant_access_retention_days = match kind {
            SnapshotKind::InstantAccess => {
                number(&request.instant_access_retention_days).or(number(&request.retention_days))
            }
            SnapshotKind::Normal | SnapshotKind::Flash => None,
        };
        let mut tags: Vec<(Option<String>, String)> = request
            .tags
            .iter()
            .map(|tag| {
                (
                    tag.key.as_deref().map(str::to_owned),
                    tag.value.as_deref().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        tags.sort();
        RequestMeaning {
            values,
            kind,
            instant_access_retention_days,
            tags,
            unparsable,
        }
    }
}
