//! What a request means, as opposed to how it is spelled: the key of idempotency.

use serde::{Deserialize, Serialize};

use crate::{CreateSnapshotRequest, SnapshotCategory, Typed};

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
/// empty value, `True` versus `true`, `030` versus `30`, `InstantAccess=false` or
/// `Category=Standard` versus neither, `InstantAccessRetentionDays` when instant access is
/// off (it has no effect) or when it equals `RetentionDays` (its default), an empty
/// `ResourceGroupId` versus none, and every common or unknown parameter (`Signature`,
/// `Timestamp`, ...), which differ on every retry. The ClientToken itself is not part of it.
///
/// ```
/// use ecs_snapshot_rules::parse_query;
///
/// let first = parse_query("DiskId=d-1&Tag.1.Key=a&Tag.1.Value=1&Tag.2.Key=b&InstantAccess=True")?;
/// let retry = parse_query("DiskId=d-1&Tag.1.key=b&Tag.2.Key=a&Tag.2.Value=1&InstantAccess=true")?;
/// assert_eq!(first.meaning(), retry.meaning());
/// assert_ne!(first.meaning(), parse_query("DiskId=d-2")?.meaning());
/// # Ok::<(), ecs_snapshot_rules::ParseError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RequestMeaning {
    disk_id: Option<String>,
    snapshot_name: Option<String>,
    description: Option<String>,
    retention_days: Option<i64>,
    kind: SnapshotKind,
    /// Whether the deprecated `Category` was sent at all: only some accounts may send it,
    /// so `Category=Standard` and no Category are not the same request.
    sends_category: bool,
    instant_access_retention_days: Option<i64>,
    /// Sorted (key, value) pairs; a tag without a key keeps `None`.
    tags: Vec<(Option<String>, String)>,
    resource_group_id: Option<String>,
    /// Values that are not of their parameter's type, by parameter, as sent: such a request
    /// is refused, but its meaning is still total.
    unparsable: Vec<(&'static str, String)>,
}

impl CreateSnapshotRequest {
    /// The kind of snapshot the request asks for: instant access when `InstantAccess` is
    /// true, a local snapshot for `Category=Flash`, a normal one otherwise.
    pub fn snapshot_kind(&self) -> SnapshotKind {
        if self.wants_instant_access() {
            SnapshotKind::InstantAccess
        } else if matches!(self.category, Some(Typed::Value(SnapshotCategory::Flash))) {
            SnapshotKind::Flash
        } else {
            SnapshotKind::Normal
        }
    }

    /// What the request means, for comparing a retry with its first request; see
    /// [`RequestMeaning`].
    pub fn meaning(&self) -> RequestMeaning {
        let mut unparsable = Vec::new();
        let mut number = |name: &'static str, value: &Option<Typed<i64>>| match value {
            Some(Typed::Value(days)) => Some(*days),
            Some(Typed::Unparsable(text)) => {
                unparsable.push((name, text.clone()));
                None
            }
            None => None,
        };
        let retention_days = number("RetentionDays", &self.retention_days);
        let instant_access_days = number(
            "InstantAccessRetentionDays",
            &self.instant_access_retention_days,
        );
        if let Some(Typed::Unparsable(text)) = &self.category {
            unparsable.push(("Category", text.clone()));
        }
        if let Some(Typed::Unparsable(text)) = &self.instant_access {
            unparsable.push(("InstantAccess", text.clone()));
        }
        let kind = self.snapshot_kind();
        let instant_access_retention_days = match kind {
            SnapshotKind::InstantAccess => instant_access_days.or(retention_days),
            SnapshotKind::Normal | SnapshotKind::Flash => None,
        };
        let mut tags: Vec<(Option<String>, String)> = self
            .tags
            .iter()
            .map(|tag| (tag.key.clone(), tag.value.clone().unwrap_or_default()))
            .collect();
        tags.sort();
        RequestMeaning {
            disk_id: self.disk_id.clone(),
            snapshot_name: self.snapshot_name.clone(),
            description: self.description.clone(),
            retention_days,
            kind,
            sends_category: self.category.is_some(),
            instant_access_retention_days,
            tags,
            resource_group_id: self.resource_group_id.clone().filter(|id| !id.is_empty()),
            unparsable,
        }
    }
}
