//! The tags of a request, `Tag.N.Key` and `Tag.N.Value`: their names, their bounds, and the
//! list that holds them.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::RangeInclusive;

/// The most tags a snapshot may carry, and so the highest valid N of `Tag.N.Key` (spec:
/// "Valid values of N: 1 to 20").
pub const MAX_TAGS: usize = 20;

/// The valid N of `Tag.N.Key`.
pub const TAG_INDEX: RangeInclusive<u32> = 1..=MAX_TAGS as u32;

/// Which spelling of a tag parameter a request used.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum TagSpelling {
    /// `Tag.N.Key` / `Tag.N.Value`.
    #[default]
    Current,
    /// `Tag.N.key` / `Tag.N.value`, which the spec says will be removed.
    Deprecated,
}

/// The two fields of a tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TagField {
    /// `Tag.N.Key`.
    Key,
    /// `Tag.N.Value`.
    Value,
}

impl TagField {
    /// The field's word in a parameter name, in `spelling`: `Key`, `key`, `Value` or `value`.
    pub const fn word(self, spelling: TagSpelling) -> &'static str {
        match (self, spelling) {
            (TagField::Key, TagSpelling::Current) => "Key",
            (TagField::Key, TagSpelling::Deprecated) => "key",
            (TagField::Value, TagSpelling::Current) => "Value",
            (TagField::Value, TagSpelling::Deprecated) => "value",
        }
    }

    /// The field and spelling a word names (case-sensitive: `KEY` names neither).
    pub fn from_word(word: &str) -> Option<(TagField, TagSpelling)> {
        Some(match word {
            "Key" => (TagField::Key, TagSpelling::Current),
            "key" => (TagField::Key, TagSpelling::Deprecated),
            "Value" => (TagField::Value, TagSpelling::Current),
            "value" => (TagField::Value, TagSpelling::Deprecated),
            _ => return None,
        })
    }
}

/// `Tag.N.Key` and its kin for N from 1 to 20, written out so that naming them costs nothing.
const NAMES: [[&str; 4]; MAX_TAGS] = names!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20);

macro_rules! names {
    ($($n:literal)*) => {
        [$([
            concat!("Tag.", $n, ".Key"),
            concat!("Tag.", $n, ".key"),
            concat!("Tag.", $n, ".Value"),
            concat!("Tag.", $n, ".value"),
        ]),*]
    };
}
use names;

/// A tag parameter's name as spelled on the wire: `Tag.3.Key` or `Tag.3.value`. Free for N
/// from 1 to 20; written out for any other N.
pub fn tag_parameter(index: u32, field: TagField, spelling: TagSpelling) -> Cow<'static, str> {
    let column = match (field, spelling) {
        (TagField::Key, TagSpelling::Current) => 0,
        (TagField::Key, TagSpelling::Deprecated) => 1,
        (TagField::Value, TagSpelling::Current) => 2,
        (TagField::Value, TagSpelling::Deprecated) => 3,
    };
    match index.checked_sub(1).and_then(|row| NAMES.get(row as usize)) {
        Some(names) => Cow::Borrowed(names[column]),
        None => Cow::Owned(format!("Tag.{index}.{}", field.word(spelling))),
    }
}

/// Tag N of a request: `Tag.N.Key` and `Tag.N.Value` (or their deprecated spellings).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Tag<'a> {
    /// The N of `Tag.N.Key`. Valid values are 1 to 20; others are kept so the rules can
    /// refuse them.
    pub index: u32,
    /// The key; `None` when only the value was given.
    pub key: Option<Cow<'a, str>>,
    /// The value; `None` when only the key was given (an empty value).
    pub value: Option<Cow<'a, str>>,
    /// How the key was spelled on the wire (`Current` when there is no key).
    pub key_spelling: TagSpelling,
    /// How the value was spelled on the wire (`Current` when there is no value).
    pub value_spelling: TagSpelling,
}

impl<'a> Tag<'a> {
    /// Tag `index` with a key and a value, in the current spelling.
    pub fn new(
        index: u32,
        key: impl Into<Cow<'a, str>>,
        value: impl Into<Cow<'a, str>>,
    ) -> Tag<'a> {
        Tag {
            index,
            key: Some(key.into()),
            value: Some(value.into()),
            ..Tag::default()
        }
    }

    /// The key's parameter name, as spelled on the wire: `Tag.3.Key` or `Tag.3.key`.
    pub fn key_parameter(&self) -> Cow<'static, str> {
        tag_parameter(self.index, TagField::Key, self.key_spelling)
    }

    /// The value's parameter name, as spelled on the wire: `Tag.3.Value` or `Tag.3.value`.
    pub fn value_parameter(&self) -> Cow<'static, str> {
        tag_parameter(self.index, TagField::Value, self.value_spelling)
    }

    /// The same tag, owning its text.
    pub fn into_owned(self) -> Tag<'static> {
        Tag {
            index: self.index,
            key: self.key.map(|key| Cow::Owned(key.into_owned())),
            value: self.value.map(|value| Cow::Owned(value.into_owned())),
            key_spelling: self.key_spelling,
            value_spelling: self.value_spelling,
        }
    }
}

/// The tags of a request, in ascending N, one per N.
///
/// Tags 1 to 20 (every tag a valid request can have) sit in a fixed array indexed by N, so
/// that they cost no allocation; a tag with another N goes to an ordered map on the heap
/// (such a request is refused whatever else it holds; an empty map allocates nothing).
///
/// ```
/// use ecs_snapshot_rules::request::{Tag, Tags};
///
/// let mut tags = Tags::default();
/// tags.insert(Tag::new(3, "team", "db"));
/// tags.insert(Tag::new(1, "env", "prod"));
/// let keys: Vec<_> = tags.iter().map(|tag| tag.key.as_deref().unwrap()).collect();
/// assert_eq!(keys, ["env", "team"]);
/// assert_eq!(tags.get(3).unwrap().value.as_deref(), Some("db"));
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Tags<'a> {
    slots: [Option<Tag<'a>>; MAX_TAGS],
    /// How many slots hold a tag.
    in_slots: usize,
    /// One past the highest slot that holds a tag: the slots beyond are empty.
    end: usize,
    /// Tags whose N is 0 or above 20, by N.
    others: BTreeMap<u32, Tag<'a>>,
}

impl<'a> Tags<'a> {
    /// How many tags there are.
    #[inline]
    pub fn len(&self) -> usize {
        self.in_slots + self.others.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The tags in ascending N.
    #[inline]
    pub fn iter(&self) -> TagsIter<'_, 'a> {
        if self.others.is_empty() {
            // Every valid request: a small iterator over the slots alone.
            return TagsIter(Inner::Slots(self.slots[..self.end].iter().flatten()));
        }
        self.iter_all()
    }

    /// The tags when some have an N outside 1 to 20 (a request refused whatever it holds).
    #[cold]
    fn iter_all(&self) -> TagsIter<'_, 'a> {
        let slots = self.slots[..self.end].iter().flatten();
        let below = self.others.range(..1).map(second as Second<'_, 'a>);
        let above = self.others.range(21..).map(second as Second<'_, 'a>);
        TagsIter(Inner::All(Box::new(below.chain(slots).chain(above))))
    }

    /// The tags in ascending N, to change in place (their N must stay as it is).
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Tag<'a>> {
        let (below, above) = self
            .others
            .range_mut(..)
            .partition::<Vec<_>, _>(|(&n, _)| n == 0);
        below
            .into_iter()
            .map(|(_, tag)| tag)
            .chain(self.slots[..self.end].iter_mut().flatten())
            .chain(above.into_iter().map(|(_, tag)| tag))
    }

    /// Tag N, if there is one.
    pub fn get(&self, index: u32) -> Option<&Tag<'a>> {
        match slot_of(index) {
            Some(slot) => self.slots[slot].as_ref(),
            None => self.others.get(&index),
        }
    }

    /// Tag N, to change in place (its N must stay as it is).
    pub fn get_mut(&mut self, index: u32) -> Option<&mut Tag<'a>> {
        match slot_of(index) {
            Some(slot) => self.slots[slot].as_mut(),
            None => self.others.get_mut(&index),
        }
    }

    /// Tag N, added empty (no key, no value) when there is none yet.
    pub fn entry(&mut self, index: u32) -> &mut Tag<'a> {
        let empty = || Tag {
            index,
            ..Tag::default()
        };
        match slot_of(index) {
            Some(slot) => {
                if self.slots[slot].is_none() {
                    self.in_slots += 1;
                    self.end = self.end.max(slot + 1);
                }
                self.slots[slot].get_or_insert_with(empty)
            }
            None => self.others.entry(index).or_insert_with(empty),
        }
    }

    /// Puts `tag` at its N, replacing the tag that was there, which is returned.
    pub fn insert(&mut self, tag: Tag<'a>) -> Option<Tag<'a>> {
        let had = self.get(tag.index).is_some();
        let slot = self.entry(tag.index);
        let old = std::mem::replace(slot, tag);
        had.then_some(old)
    }

    /// Adds a tag as N one more than the highest N so far (1 for the first).
    pub fn push(&mut self, key: impl Into<Cow<'a, str>>, value: impl Into<Cow<'a, str>>) {
        let index = self
            .iter()
            .next_back()
            .map_or(1, |tag| tag.index.saturating_add(1));
        self.insert(Tag::new(index, key, value));
    }

    /// Takes tag N out.
    pub fn remove(&mut self, index: u32) -> Option<Tag<'a>> {
        match slot_of(index) {
            Some(slot) => {
                let tag = self.slots[slot].take()?;
                self.in_slots -= 1;
                while self.end > 0 && self.slots[self.end - 1].is_none() {
                    self.end -= 1;
                }
                Some(tag)
            }
            None => self.others.remove(&index),
        }
    }

    /// Keeps the tags for which `keep` is true.
    pub fn retain(&mut self, mut keep: impl FnMut(&Tag<'a>) -> bool) {
        let doomed: Vec<u32> = self
            .iter()
            .filter(|tag| !keep(tag))
            .map(|tag| tag.index)
            .collect();
        for index in doomed {
            self.remove(index);
        }
    }

    /// The same tags, owning their text.
    pub fn into_owned(self) -> Tags<'static> {
        self.into_iter().map(Tag::into_owned).collect()
    }
}

/// The tag of a map entry.
fn second<'t, 'a>((_, tag): (&'t u32, &'t Tag<'a>)) -> &'t Tag<'a> {
    tag
}

type Second<'t, 'a> = fn((&'t u32, &'t Tag<'a>)) -> &'t Tag<'a>;
type Slots<'t, 'a> = std::iter::Flatten<std::slice::Iter<'t, Option<Tag<'a>>>>;
type Mapped<'t, 'a> =
    std::iter::Map<std::collections::btree_map::Range<'t, u32, Tag<'a>>, Second<'t, 'a>>;
type All<'t, 'a> =
    std::iter::Chain<std::iter::Chain<Mapped<'t, 'a>, Slots<'t, 'a>>, Mapped<'t, 'a>>;

/// The tags of a [`Tags`], in ascending N.
#[derive(Clone)]
pub struct TagsIter<'t, 'a>(Inner<'t, 'a>);

/// The slots alone, as every valid request has them, or (boxed, to keep the common iterator
/// small) the slots between the tags with other N.
#[derive(Clone)]
enum Inner<'t, 'a> {
    Slots(Slots<'t, 'a>),
    All(Box<All<'t, 'a>>),
}

impl<'t, 'a> Iterator for TagsIter<'t, 'a> {
    type Item = &'t Tag<'a>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            Inner::Slots(slots) => slots.next(),
            Inner::All(all) => all.next(),
        }
    }
}

impl DoubleEndedIterator for TagsIter<'_, '_> {
    #[inline]
    fn next_back(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            Inner::Slots(slots) => slots.next_back(),
            Inner::All(all) => all.next_back(),
        }
    }
}

impl fmt::Debug for TagsIter<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.clone()).finish()
    }
}

/// The slot of tag N, for N from 1 to 20.
fn slot_of(index: u32) -> Option<usize> {
    TAG_INDEX.contains(&index).then(|| (index - 1) as usize)
}

impl fmt::Debug for Tags<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a> FromIterator<Tag<'a>> for Tags<'a> {
    /// Later tags with the same N replace earlier ones.
    fn from_iter<I: IntoIterator<Item = Tag<'a>>>(tags: I) -> Self {
        let mut list = Tags::default();
        list.extend(tags);
        list
    }
}

impl<'a> Extend<Tag<'a>> for Tags<'a> {
    /// Later tags with the same N replace earlier ones.
    fn extend<I: IntoIterator<Item = Tag<'a>>>(&mut self, tags: I) {
        for tag in tags {
            self.insert(tag);
        }
    }
}

impl<'a> From<Vec<Tag<'a>>> for Tags<'a> {
    fn from(tags: Vec<Tag<'a>>) -> Self {
        tags.into_iter().collect()
    }
}

impl<'a, const N: usize> From<[Tag<'a>; N]> for Tags<'a> {
    fn from(tags: [Tag<'a>; N]) -> Self {
        tags.into_iter().collect()
    }
}

/// The tags, in ascending N, are these.
impl<'a> PartialEq<[Tag<'a>]> for Tags<'a> {
    fn eq(&self, other: &[Tag<'a>]) -> bool {
        self.len() == other.len() && self.iter().zip(other).all(|(a, b)| a == b)
    }
}

impl<'a, const N: usize> PartialEq<[Tag<'a>; N]> for Tags<'a> {
    fn eq(&self, other: &[Tag<'a>; N]) -> bool {
        *self == other[..]
    }
}

impl<'a> PartialEq<Vec<Tag<'a>>> for Tags<'a> {
    fn eq(&self, other: &Vec<Tag<'a>>) -> bool {
        *self == other[..]
    }
}

impl<'a> IntoIterator for Tags<'a> {
    type Item = Tag<'a>;
    type IntoIter = std::vec::IntoIter<Tag<'a>>;

    /// The tags in ascending N.
    fn into_iter(self) -> Self::IntoIter {
        let mut others = self.others;
        // N 1 to 20 are never in the map: what is at or above 1 there is above 20.
        let above = others.split_off(&1);
        let mut all: Vec<Tag<'a>> = others.into_values().collect();
        all.extend(self.slots.into_iter().flatten());
        all.extend(above.into_values());
        all.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_keep_ascending_order_across_the_slots_and_the_map() {
        let mut tags = Tags::default();
        for index in [25, 3, 0, 20, 1, 4_000_000_000] {
            tags.insert(Tag::new(index, format!("k{index}"), "v"));
        }
        let order: Vec<u32> = tags.iter().map(|tag| tag.index).collect();
        assert_eq!(order, [0, 1, 3, 20, 25, 4_000_000_000]);
        let owned: Vec<u32> = tags.clone().into_iter().map(|tag| tag.index).collect();
        assert_eq!(owned, order);
        assert_eq!(tags.len(), 6);
        assert_eq!(tags.remove(20).map(|tag| tag.index), Some(20));
        assert_eq!(tags.remove(25).map(|tag| tag.index), Some(25));
        assert_eq!(tags.remove(25), None);
        let order: Vec<u32> = tags.iter().map(|tag| tag.index).collect();
        assert_eq!(order, [0, 1, 3, 4_000_000_000]);
        tags.push("next", "v");
        assert_eq!(
            tags.iter().next_back().map(|tag| tag.index),
            Some(4_000_000_001)
        );
    }

    #[test]
    fn tags_change_in_place_in_ascending_order() {
        let mut tags: Tags = [25, 1, 0, 21]
            .into_iter()
            .map(|index| Tag::new(index, format!("k{index}"), "v"))
            .collect();
        let order: Vec<u32> = tags.iter_mut().map(|tag| tag.index).collect();
        assert_eq!(order, [0, 1, 21, 25]);
        for tag in tags.iter_mut() {
            tag.value = Some(format!("v{}", tag.index).into());
        }
        let values: Vec<_> = tags
            .iter()
            .map(|tag| tag.value.as_deref().unwrap())
            .collect();
        assert_eq!(values, ["v0", "v1", "v21", "v25"]);
    }

    #[test]
    fn a_tag_is_found_changed_and_removed_by_its_n() {
        let mut tags = Tags::default();
        tags.insert(Tag::new(2, "k", "v"));
        tags.insert(Tag::new(30, "x", "y"));
        tags.get_mut(2).unwrap().value = Some("w".into());
        tags.get_mut(30).unwrap().key = Some("z".into());
        assert!(tags.get_mut(3).is_none());
        assert!(tags.get_mut(31).is_none());
        assert_eq!(tags.get(2).unwrap().value.as_deref(), Some("w"));
        assert_eq!(tags.get(30).unwrap().key.as_deref(), Some("z"));
        // The last tag of the slots, then the last of all.
        assert_eq!(tags.remove(2).map(|tag| tag.index), Some(2));
        assert_eq!(tags.remove(30).map(|tag| tag.index), Some(30));
        assert!(tags.is_empty());
        assert_eq!(tags.iter().count(), 0);
        tags.push("a", "b");
        let first = tags.get(1).unwrap();
        assert_eq!(format!("{:?}", tags.iter()), format!("[{first:?}]"));
    }

    #[test]
    fn lists_compare_with_and_are_made_from_arrays_and_vectors() {
        let a = Tag::new(1, "a", "1");
        let b = Tag::new(2, "b", "2");
        let from_vec = Tags::from(vec![b.clone(), a.clone()]);
        let from_array = Tags::from([a.clone(), b.clone()]);
        assert_eq!(from_vec, from_array);
        assert_eq!(from_vec.len(), 2);
        assert!(from_vec == [a.clone(), b.clone()]);
        assert!(from_vec == vec![a.clone(), b.clone()]);
        assert!(from_vec == [a.clone(), b.clone()][..]);
        assert!(from_vec != [b.clone(), a.clone()]);
        assert!(from_vec != vec![a.clone()]);
        assert!(from_vec != [a.clone(), b.clone(), Tag::new(3, "c", "3")][..]);
        assert_eq!(format!("{from_vec:?}"), format!("[{a:?}, {b:?}]"));
    }

    #[test]
    fn equal_tags_make_equal_lists_however_they_were_built() {
        let mut a = Tags::default();
        a.insert(Tag::new(2, "b", "2"));
        a.insert(Tag::new(9, "x", "9"));
        a.remove(9);
        let b: Tags = [Tag::new(2, "b", "2")].into_iter().collect();
        assert_eq!(a, b);
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }

    #[test]
    fn names_are_spelled_as_on_the_wire() {
        assert_eq!(
            tag_parameter(3, TagField::Key, TagSpelling::Current),
            "Tag.3.Key"
        );
        assert_eq!(
            tag_parameter(20, TagField::Value, TagSpelling::Deprecated),
            "Tag.20.value"
        );
        assert_eq!(
            tag_parameter(21, TagField::Key, TagSpelling::Deprecated),
            "Tag.21.key"
        );
        assert_eq!(
            tag_parameter(0, TagField::Value, TagSpelling::Current),
            "Tag.0.Value"
        );
    }
}
