//! The borrowed request: what the wire parsers build first, without copying a value that
//! percent-decoding or JSON unescaping leaves as it is.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::text_rules::TAG_INDEX;
use crate::{
    ApiError, CreateSnapshotRequest, ParameterName, ParseError, SnapshotCategory, Tag, TagSpelling,
    Typed,
};

/// A value of a typed parameter as it arrived, borrowed where it can be: the borrowed form of
/// [`Typed`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TypedView<'a, T> {
    /// The value, of the parameter's type.
    Value(T),
    /// Text that does not spell a value of the type.
    Unparsable(Cow<'a, str>),
}

impl<T: Copy> TypedView<'_, T> {
    /// The value, if the text was of the type.
    pub fn value(&self) -> Option<T> {
        match self {
            TypedView::Value(value) => Some(*value),
            TypedView::Unparsable(_) => None,
        }
    }

    /// The owned form.
    pub fn into_owned(self) -> Typed<T> {
        match self {
            TypedView::Value(value) => Typed::Value(value),
            TypedView::Unparsable(text) => Typed::Unparsable(text.into_owned()),
        }
    }
}

impl<'a, T: Copy> From<&'a Typed<T>> for TypedView<'a, T> {
    fn from(typed: &'a Typed<T>) -> Self {
        match typed {
            Typed::Value(value) => TypedView::Value(*value),
            Typed::Unparsable(text) => TypedView::Unparsable(Cow::Borrowed(text)),
        }
    }
}

/// Tag N of a [`RequestView`]: the borrowed form of [`Tag`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct TagView<'a> {
    /// The N of `Tag.N.Key`.
    pub index: u32,
    /// The key; `None` when only the value was given.
    pub key: Option<Cow<'a, str>>,
    /// The value; `None` when only the key was given.
    pub value: Option<Cow<'a, str>>,
    /// How the key was spelled on the wire.
    pub key_spelling: TagSpelling,
    /// How the value was spelled on the wire.
    pub value_spelling: TagSpelling,
}

impl TagView<'_> {
    /// The owned form.
    pub fn into_owned(self) -> Tag {
        Tag {
            index: self.index,
            key: self.key.map(Cow::into_owned),
            value: self.value.map(Cow::into_owned),
            key_spelling: self.key_spelling,
            value_spelling: self.value_spelling,
        }
    }
}

/// The tags of a [`RequestView`], in ascending N. Tags 1 to 20 (every tag a valid request can
/// have) sit in a fixed array indexed by N, so that they cost no allocation; a tag with
/// another N goes to a list on the heap (such a request is refused whatever else it holds).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TagList<'a> {
    slots: [Option<TagView<'a>>; 20],
    in_slots: usize,
    /// Tags whose N is 0 or above 20.
    others: Option<Box<Others<'a>>>,
}

/// Tags whose N is 0 or above 20, in the order they came until [`TagList::sort`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Others<'a> {
    tags: Vec<TagView<'a>>,
    /// Where tag N sits in `tags`: one look-up a tag parameter, however many there are.
    positions: HashMap<u32, usize>,
}

impl<'a> TagList<'a> {
    /// How many tags there are.
    pub fn len(&self) -> usize {
        self.in_slots + self.others().len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn others(&self) -> &[TagView<'a>] {
        self.others.as_deref().map_or(&[], |others| &others.tags)
    }

    /// The tags in ascending N.
    pub fn iter(&self) -> impl Iterator<Item = &TagView<'a>> + Clone {
        let others = self.others();
        let below = others.partition_point(|tag| tag.index < 1);
        let above = others.partition_point(|tag| tag.index <= 20);
        let slots = if self.in_slots == 0 {
            &self.slots[..0]
        } else {
            &self.slots[..]
        };
        others[..below]
            .iter()
            .chain(slots.iter().flatten())
            .chain(others[above..].iter())
    }

    /// Tag N, added when first named.
    pub(crate) fn entry(&mut self, index: u32) -> &mut TagView<'a> {
        if TAG_INDEX.contains(&index) {
            let slot = &mut self.slots[(index - 1) as usize];
            if slot.is_none() {
                self.in_slots += 1;
            }
            return slot.get_or_insert_with(|| TagView {
                index,
                ..TagView::default()
            });
        }
        let others = &mut **self.others.get_or_insert_with(Box::default);
        let tags = &mut others.tags;
        let position = *others.positions.entry(index).or_insert_with(|| {
            tags.push(TagView {
                index,
                ..TagView::default()
            });
            tags.len() - 1
        });
        &mut tags[position]
    }

    /// Puts the tags outside 1 to 20 in ascending N (their look-up table is dropped).
    fn sort(&mut self) {
        if let Some(others) = self.others.as_deref_mut() {
            others.tags.sort_by_key(|tag| tag.index);
            others.positions = HashMap::new();
        }
    }

    /// The tags in ascending N, owned.
    fn into_owned(self) -> Vec<Tag> {
        let mut low = self.others.map(|others| others.tags).unwrap_or_default();
        let high = low.split_off(low.partition_point(|tag| tag.index < 1));
        low.into_iter()
            .chain(self.slots.into_iter().flatten())
            .chain(high)
            .map(TagView::into_owned)
            .collect()
    }
}

impl<'a> FromIterator<TagView<'a>> for TagList<'a> {
    /// Later tags with the same N replace earlier ones.
    fn from_iter<I: IntoIterator<Item = TagView<'a>>>(tags: I) -> Self {
        let mut list = TagList::default();
        for tag in tags {
            let index = tag.index;
            *list.entry(index) = tag;
        }
        list.sort();
        list
    }
}

/// A CreateSnapshot request whose text borrows from the input it was read from: the
/// zero-allocation form of [`CreateSnapshotRequest`].
///
/// [`parse_query_view`](crate::parse_query_view) and [`parse_json_view`](crate::parse_json_view)
/// build one, allocating only for a value that decoding changes (a percent-escape, a `+`, a
/// JSON escape); [`RequestView::validate`] judges it by the same rules as
/// [`validate`](crate::validate), without allocating unless it refuses (see its
/// documentation). Common and unknown parameters are checked for their encoding and then
/// dropped; [`parse_query`](crate::parse_query) keeps them.
///
/// ```
/// use ecs_snapshot_rules::{parse_query_view, ErrorCode};
///
/// let input = "Action=CreateSnapshot&DiskId=d-1&SnapshotName=nightly&Tag.1.Key=env";
/// let view = parse_query_view(input)?;
/// assert_eq!(view.disk_id.as_deref(), Some("d-1"));
/// assert_eq!(view.validate(), Ok(()));
///
/// let view = parse_query_view("DiskId=d-1&SnapshotName=auto-1")?;
/// assert_eq!(view.validate().unwrap_err().code(), ErrorCode::InvalidSnapshotNameMalformed);
/// # Ok::<(), ecs_snapshot_rules::ParseError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestView<'a> {
    /// `DiskId`.
    pub disk_id: Option<Cow<'a, str>>,
    /// `SnapshotName`.
    pub snapshot_name: Option<Cow<'a, str>>,
    /// `Description`.
    pub description: Option<Cow<'a, str>>,
    /// `RetentionDays`.
    pub retention_days: Option<TypedView<'a, i64>>,
    /// `Category`.
    pub category: Option<TypedView<'a, SnapshotCategory>>,
    /// `ClientToken`.
    pub client_token: Option<Cow<'a, str>>,
    /// `Tag.N.Key` / `Tag.N.Value`, in ascending N.
    pub tags: TagList<'a>,
    /// `ResourceGroupId`.
    pub resource_group_id: Option<Cow<'a, str>>,
    /// `InstantAccess`.
    pub instant_access: Option<TypedView<'a, bool>>,
    /// `InstantAccessRetentionDays`.
    pub instant_access_retention_days: Option<TypedView<'a, i64>>,
}

impl RequestView<'_> {
    /// Judges the request as [`validate`](crate::validate) judges its owned form, with the
    /// same rule code.
    ///
    /// No heap allocation, unless it refuses with a message or parameter name filled in at
    /// run time: `QuotaExceed.Tags` (the count), `InvalidParameter` (the name), and a tag
    /// error for an N outside 1 to 20 (the name `Tag.N.Key`).
    pub fn validate(&self) -> Result<(), ApiError> {
        crate::validate::validate_fields(self)
    }

    /// Every violation, as [`violations`](crate::violations) lists them.
    pub fn violations(&self) -> Vec<ApiError> {
        crate::validate::violations_of(self)
    }

    /// The owned request (with no `other_parameters`).
    pub fn into_owned(self) -> CreateSnapshotRequest {
        CreateSnapshotRequest {
            disk_id: self.disk_id.map(Cow::into_owned),
            snapshot_name: self.snapshot_name.map(Cow::into_owned),
            description: self.description.map(Cow::into_owned),
            retention_days: self.retention_days.map(TypedView::into_owned),
            category: self.category.map(TypedView::into_owned),
            client_token: self.client_token.map(Cow::into_owned),
            tags: self.tags.into_owned(),
            resource_group_id: self.resource_group_id.map(Cow::into_owned),
            instant_access: self.instant_access.map(TypedView::into_owned),
            instant_access_retention_days: self
                .instant_access_retention_days
                .map(TypedView::into_owned),
            other_parameters: Vec::new(),
        }
    }
}

impl CreateSnapshotRequest {
    /// The request borrowed as a [`RequestView`] (its `other_parameters` are left out). No
    /// allocation unless a tag's N is outside 1 to 20.
    pub fn view(&self) -> RequestView<'_> {
        fn text(value: &Option<String>) -> Option<Cow<'_, str>> {
            value.as_deref().map(Cow::Borrowed)
        }
        RequestView {
            disk_id: text(&self.disk_id),
            snapshot_name: text(&self.snapshot_name),
            description: text(&self.description),
            retention_days: self.retention_days.as_ref().map(TypedView::from),
            category: self.category.as_ref().map(TypedView::from),
            client_token: text(&self.client_token),
            tags: self
                .tags
                .iter()
                .map(|tag| TagView {
                    index: tag.index,
                    key: text(&tag.key),
                    value: text(&tag.value),
                    key_spelling: tag.key_spelling,
                    value_spelling: tag.value_spelling,
                })
                .collect(),
            resource_group_id: text(&self.resource_group_id),
            instant_access: self.instant_access.as_ref().map(TypedView::from),
            instant_access_retention_days: self
                .instant_access_retention_days
                .as_ref()
                .map(TypedView::from),
        }
    }
}

/// Builds a [`RequestView`] one decoded parameter at a time, in place: the one place every
/// wire format ends up, so that a parameter means the same whichever way it came.
pub(crate) struct Builder<'b, 'a> {
    request: &'b mut RequestView<'a>,
    action_seen: bool,
}

impl<'b, 'a> Builder<'b, 'a> {
    /// Builds into `request`, which must be empty.
    pub(crate) fn new(request: &'b mut RequestView<'a>) -> Self {
        Builder {
            request,
            action_seen: false,
        }
    }

    /// Takes one request parameter, `kind` being what `name` stands for. Common and unknown
    /// parameters are the caller's to keep or drop; here they are ignored.
    pub(crate) fn push(
        &mut self,
        kind: ParameterName,
        name: &str,
        value: Cow<'a, str>,
    ) -> Result<(), ParseError> {
        let request = &mut *self.request;
        match kind {
            ParameterName::Action => {
                if std::mem::replace(&mut self.action_seen, true) {
                    return Err(repeated(name));
                }
                if value != "CreateSnapshot" {
                    return Err(ParseError::WrongAction {
                        found: value.into_owned(),
                    });
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
                let tag = request.tags.entry(index);
                if tag.key.is_some() {
                    return Err(ParseError::RepeatedParameter {
                        name: format!("Tag.{index}.Key"),
                    });
                }
                tag.key = Some(value);
                tag.key_spelling = spelling;
            }
            ParameterName::TagValue { index, spelling } => {
                let tag = request.tags.entry(index);
                if tag.value.is_some() {
                    return Err(ParseError::RepeatedParameter {
                        name: format!("Tag.{index}.Value"),
                    });
                }
                tag.value = Some(value);
                tag.value_spelling = spelling;
            }
            ParameterName::Common | ParameterName::Unknown => {}
        }
        Ok(())
    }

    /// Takes a parameter whose value is an integer (a JSON number): for `RetentionDays` and
    /// `InstantAccessRetentionDays` without writing it as text first.
    pub(crate) fn push_integer(
        &mut self,
        kind: ParameterName,
        name: &str,
        value: i64,
    ) -> Result<(), ParseError> {
        let request = &mut *self.request;
        match kind {
            ParameterName::RetentionDays => {
                set(&mut request.retention_days, name, TypedView::Value(value))
            }
            ParameterName::InstantAccessRetentionDays => set(
                &mut request.instant_access_retention_days,
                name,
                TypedView::Value(value),
            ),
            _ => self.push(kind, name, Cow::Owned(value.to_string())),
        }
    }

    /// Puts the tags in ascending N.
    pub(crate) fn finish(self) {
        self.request.tags.sort();
    }
}

fn repeated(name: &str) -> ParseError {
    ParseError::RepeatedParameter {
        name: name.to_owned(),
    }
}

/// Sets a parameter that may come once (`docs/DECISIONS.md`, D9).
fn set<T>(slot: &mut Option<T>, name: &str, value: T) -> Result<(), ParseError> {
    if slot.is_some() {
        return Err(repeated(name));
    }
    *slot = Some(value);
    Ok(())
}

/// An integer as the API's Java back end reads one: an optional sign and ASCII digits,
/// leading zeros allowed (`docs/DECISIONS.md`, D6). Rust's `i64` parser takes exactly that
/// syntax; anything else, or a value beyond 64 bits, is kept as text.
pub(crate) fn integer(text: Cow<'_, str>) -> TypedView<'_, i64> {
    match text.parse::<i64>() {
        Ok(value) => TypedView::Value(value),
        Err(_) => TypedView::Unparsable(text),
    }
}

/// `true` or `false` in any ASCII case (`docs/DECISIONS.md`, D5).
pub(crate) fn boolean(text: Cow<'_, str>) -> TypedView<'_, bool> {
    if text.eq_ignore_ascii_case("true") {
        TypedView::Value(true)
    } else if text.eq_ignore_ascii_case("false") {
        TypedView::Value(false)
    } else {
        TypedView::Unparsable(text)
    }
}

fn category(text: Cow<'_, str>) -> TypedView<'_, SnapshotCategory> {
    match SnapshotCategory::from_wire(&text) {
        Some(category) => TypedView::Value(category),
        None => TypedView::Unparsable(text),
    }
}
