//! The request: [`CreateSnapshotRequest`], generated from the parameter table
//! ([`Parameter`]), with its tags ([`Tags`]) and typed values ([`Typed`]); and what a name on
//! the wire stands for ([`Name`]).

mod deprecation;
mod name;
mod parameters;
mod tags;
mod text_format;
mod value;

use std::borrow::Cow;

pub use deprecation::Deprecation;
pub use name::{Name, COMMON_PARAMETERS};
pub use parameters::{CreateSnapshotRequest, Parameter, Rule};
pub(crate) use parameters::{Slot, Visit};
pub use tags::{tag_parameter, Tag, TagField, TagSpelling, Tags, TagsIter, MAX_TAGS, TAG_INDEX};
pub use text_format::TextFormat;
pub use value::{SnapshotCategory, Typed, Value};

impl<'a> CreateSnapshotRequest<'a> {
    /// A request for a snapshot of `disk_id`, with nothing else set.
    pub fn new(disk_id: impl Into<Cow<'a, str>>) -> Self {
        CreateSnapshotRequest::default().disk_id(disk_id.into())
    }

    /// Adds a tag as `Tag.N.Key` / `Tag.N.Value`, N one more than the highest N so far.
    pub fn tag(mut self, key: impl Into<Cow<'a, str>>, value: impl Into<Cow<'a, str>>) -> Self {
        self.tags.push(key, value);
        self
    }

    /// Whether the request asks for instant access (`InstantAccess` is the boolean true).
    pub fn wants_instant_access(&self) -> bool {
        matches!(self.instant_access, Some(Typed::Value(true)))
    }
}
