//! The typed CreateSnapshot request.
//!
//! Every parameter is an `Option`: `None` is absent, `Some("")` is present but empty, and
//! the rules treat the two differently. Numbers and booleans are [`Typed`], so that a value
//! that is not a number (`RetentionDays=abc`) is kept and judged, not lost at parse time.

use std::fmt;

use crate::validate::{tag_parameter, Field};

/// A value of a typed parameter as it arrived: well-typed, or text that is not of the type.
///
/// `RetentionDays=30` is `Typed::Value(30)`; `RetentionDays=thirty` is
/// `Typed::Unparsable("thirty")`, which the rules refuse with the parameter's own code.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Typed<T> {
    /// The value, of the parameter's type (a range is the rules' business, not the type's).
    Value(T),
    /// Text that does not spell a value of the type.
    Unparsable(String),
}

impl<T> Typed<T> {
    /// The value, if the text was of the type.
    pub fn value(&self) -> Option<&T> {
        match self {
            Typed::Value(value) => Some(value),
            Typed::Unparsable(_) => None,
        }
    }
}

impl<T> From<T> for Typed<T> {
    fn from(value: T) -> Self {
        Typed::Value(value)
    }
}

/// The deprecated `Category` parameter's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SnapshotCategory {
    /// `Standard`: a normal snapshot.
    Standard,
    /// `Flash`: a local snapshot (replaced by instant access).
    Flash,
}

impl SnapshotCategory {
    /// The value as the API spells it.
    pub const fn as_str(self) -> &'static str {
        match self {
            SnapshotCategory::Standard => "Standard",
            SnapshotCategory::Flash => "Flash",
        }
    }

    /// Reads the API's spelling (exact, case-sensitive).
    pub fn from_wire(text: &str) -> Option<Self> {
        match text {
            "Standard" => Some(SnapshotCategory::Standard),
            "Flash" => Some(SnapshotCategory::Flash),
            _ => None,
        }
    }
}

impl fmt::Display for SnapshotCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which spelling of a tag parameter a request used.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum TagSpelling {
    /// `Tag.N.Key` / `Tag.N.Value`.
    #[default]
    Current,
    /// `Tag.N.key` / `Tag.N.value`, which the spec says will be removed.
    Deprecated,
}

/// Tag N of a request: `Tag.N.Key` and `Tag.N.Value` (or their deprecated spellings).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Tag {
    /// The N of `Tag.N.Key`. Valid values are 1 to 20; others are kept so the rules can
    /// refuse them.
    pub index: u32,
    /// The key; `None` when only the value was given.
    pub key: Option<String>,
    /// The value; `None` when only the key was given (an empty value).
    pub value: Option<String>,
    /// How the key was spelled on the wire (`Current` when there is no key).
    pub key_spelling: TagSpelling,
    /// How the value was spelled on the wire (`Current` when there is no value).
    pub value_spelling: TagSpelling,
}

impl Tag {
    /// The key's parameter name, as spelled on the wire: `Tag.3.Key` or `Tag.3.key`.
    pub fn key_parameter(&self) -> String {
        tag_parameter(self.index, Field::Key, self.key_spelling).into_owned()
    }

    /// The value's parameter name, as spelled on the wire: `Tag.3.Value` or `Tag.3.value`.
    pub fn value_parameter(&self) -> String {
        tag_parameter(self.index, Field::Value, self.value_spelling).into_owned()
    }
}

/// A CreateSnapshot request: every request parameter of the spec, and whatever else came
/// with it.
///
/// Build one in code with [`CreateSnapshotRequest::new`] and the builder methods, or read
/// one from the wire with [`parse_query`](crate::parse_query),
/// [`parse_pairs`](crate::parse_pairs) or [`parse_json`](crate::parse_json).
///
/// ```
/// use ecs_snapshot_rules::{validate, CreateSnapshotRequest};
///
/// let request = CreateSnapshotRequest::new("d-bp1s5fnvk4gn2tws0****")
///     .snapshot_name("nightly-2026-11-27")
///     .retention_days(30)
///     .tag("env", "prod");
/// assert_eq!(validate(&request), Ok(()));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CreateSnapshotRequest {
    /// `DiskId`, the one mandatory parameter.
    pub disk_id: Option<String>,
    /// `SnapshotName`.
    pub snapshot_name: Option<String>,
    /// `Description`.
    pub description: Option<String>,
    /// `RetentionDays`, in days.
    pub retention_days: Option<Typed<i64>>,
    /// `Category` (deprecated in favour of `InstantAccess`).
    pub category: Option<Typed<SnapshotCategory>>,
    /// `ClientToken`, for idempotency.
    pub client_token: Option<String>,
    /// `Tag.N.Key` / `Tag.N.Value`, one entry per N given, in ascending N.
    pub tags: Vec<Tag>,
    /// `ResourceGroupId`.
    pub resource_group_id: Option<String>,
    /// `InstantAccess`.
    pub instant_access: Option<Typed<bool>>,
    /// `InstantAccessRetentionDays`, in days.
    pub instant_access_retention_days: Option<Typed<i64>>,
    /// Every other parameter that came with the request, in order: common parameters
    /// (`RegionId`, `Signature`, ...) and names the API does not know, which it ignores.
    pub other_parameters: Vec<(String, String)>,
}

impl CreateSnapshotRequest {
    /// A request for a snapshot of `disk_id`, with nothing else set.
    pub fn new(disk_id: impl Into<String>) -> Self {
        CreateSnapshotRequest {
            disk_id: Some(disk_id.into()),
            ..Self::default()
        }
    }

    /// Sets `SnapshotName`.
    pub fn snapshot_name(mut self, name: impl Into<String>) -> Self {
        self.snapshot_name = Some(name.into());
        self
    }

    /// Sets `Description`.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets `RetentionDays`.
    pub fn retention_days(mut self, days: i64) -> Self {
        self.retention_days = Some(Typed::Value(days));
        self
    }

    /// Sets the deprecated `Category`.
    pub fn category(mut self, category: SnapshotCategory) -> Self {
        self.category = Some(Typed::Value(category));
        self
    }

    /// Sets `ClientToken`.
    pub fn client_token(mut self, token: impl Into<String>) -> Self {
        self.client_token = Some(token.into());
        self
    }

    /// Adds a tag as `Tag.N.Key` / `Tag.N.Value`, N one more than the highest N so far.
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        let index = self
            .tags
            .last()
            .map_or(1, |tag| tag.index.saturating_add(1));
        self.tags.push(Tag {
            index,
            key: Some(key.into()),
            value: Some(value.into()),
            ..Tag::default()
        });
        self
    }

    /// Sets `ResourceGroupId`.
    pub fn resource_group_id(mut self, id: impl Into<String>) -> Self {
        self.resource_group_id = Some(id.into());
        self
    }

    /// Sets `InstantAccess`.
    pub fn instant_access(mut self, enabled: bool) -> Self {
        self.instant_access = Some(Typed::Value(enabled));
        self
    }

    /// Sets `InstantAccessRetentionDays`.
    pub fn instant_access_retention_days(mut self, days: i64) -> Self {
        self.instant_access_retention_days = Some(Typed::Value(days));
        self
    }

    /// Whether the request asks for instant access (`InstantAccess` is the boolean true).
    pub fn wants_instant_access(&self) -> bool {
        matches!(self.instant_access, Some(Typed::Value(true)))
    }
}
