//! Reading a request from JSON with the API's parameter names as keys.
//!
//! The document is read in one pass, entry by entry, into the same builder as a query
//! string; strings without escapes are borrowed from the input.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::build::{read_in_place, Builder};
use super::ParseError;
use crate::request::{CreateSnapshotRequest, Name, TagField};

mod plain;

use plain::Plain;

/// Reads a request from a JSON object whose keys are the API's parameter names.
///
/// Both shapes are read: the official SDK's `to_map()` shape, with tags as
/// `"Tag": [{"Key": "k", "Value": "v"}]` (item *i* is tag N = *i* + 1; a `null` item is an
/// absent tag that keeps its number, as the SDK sends its list), and the flat wire
/// shape, `"Tag.1.Key": "k"`. Numbers and booleans may be JSON values or strings (`30`,
/// `"30"`, `true`, `"True"`); `null` is absent. Nesting deeper than 128 levels is an error; a leading UTF-8 byte order mark is skipped.
///
/// Strings without escapes are borrowed from `input`; common and unknown parameters are kept
/// in [`other_parameters`](CreateSnapshotRequest::other_parameters).
///
/// # Errors
///
/// Input that is not UTF-8, JSON that is not well formed or not an object, a value of a kind
/// that cannot stand for its parameter, a parameter given twice, or an `Action` other than
/// `CreateSnapshot`: see [`ParseError`].
///
/// ```
/// use ecs_snapshot_rules::parse_json;
///
/// let request = parse_json(r#"{"DiskId": "d-1", "RetentionDays": 30, "Tag": [{"Key": "env", "Value": "prod"}]}"#)?;
/// assert_eq!(request.retention_days, Some(30.into()));
/// assert_eq!(request.tags.get(1).unwrap().value.as_deref(), Some("prod"));
/// # Ok::<(), ecs_snapshot_rules::ParseError>(())
/// ```
pub fn parse_json<I: AsRef<[u8]> + ?Sized>(
    input: &I,
) -> Result<CreateSnapshotRequest<'_>, ParseError> {
    let mut others = Vec::new();
    let mut request = CreateSnapshotRequest::default();
    read_json(input.as_ref(), &mut request, Some(&mut others))?;
    request.other_parameters = others
        .into_iter()
        .map(|(name, value)| (Cow::Owned(name), Cow::Owned(value)))
        .collect();
    Ok(request)
}

/// Reads a request as [`parse_json`] does, but checks the common and unknown parameters (for
/// syntax) and drops them: no allocation, except for a string with a JSON escape (its value,
/// and serde_json's scratch buffer, allocated at the first such string and grown when a
/// longer one comes), a number or boolean given for a text parameter (written as text), and
/// a tag whose N is outside 1 to 20. Verdicts are [`parse_json`]'s.
///
/// # Errors
///
/// As [`parse_json`].
///
/// ```
/// use ecs_snapshot_rules::{validate, wire::parse_json_view};
///
/// let input = br#"{"DiskId": "d-1", "RetentionDays": 30, "Tag": [{"Key": "env", "Value": "prod"}]}"#;
/// let request = parse_json_view(input)?;
/// assert_eq!(request.tags.get(1).and_then(|tag| tag.value.as_deref()), Some("prod"));
/// assert_eq!(validate(&request), Ok(()));
/// # Ok::<(), ecs_snapshot_rules::ParseError>(())
/// ```
pub fn parse_json_view<I: AsRef<[u8]> + ?Sized>(
    input: &I,
) -> Result<CreateSnapshotRequest<'_>, ParseError> {
    read_in_place(|request| read_json(input.as_ref(), request, None))
}

/// Common and unknown parameters, kept when a caller wants them.
pub(super) type Others = Vec<(String, String)>;

/// Reads into `request`, which must be empty.
fn read_json<'a>(
    bytes: &'a [u8],
    request: &mut CreateSnapshotRequest<'a>,
    others: Option<&mut Others>,
) -> Result<(), ParseError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| ParseError::InputNotUtf8)?;
    let mut others = others;
    let mut builder = Builder::new(request);
    let mut plain = Plain::new(text);
    if let Some(outcome) = plain.document(&mut builder, others.as_deref_mut()) {
        return outcome;
    }
    // Anything else is read again from the start, by serde_json.
    *request = CreateSnapshotRequest::default();
    if let Some(others) = others.as_deref_mut() {
        others.clear();
    }
    read_with_serde(text, request, others)
}

/// Reads `text` into `request` (which must be empty) with serde_json: every document, the
/// plain ones included, which is what makes it the reference of [`Plain`].
fn read_with_serde<'a>(
    text: &'a str,
    request: &mut CreateSnapshotRequest<'a>,
    others: Option<&mut Others>,
) -> Result<(), ParseError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let result = deserializer
        .deserialize_map(RequestVisitor {
            builder: Builder::new(request),
            others,
        })
        .and_then(|outcome| deserializer.end().map(|()| outcome));
    match result {
        Ok(outcome) => outcome,
        Err(error) => Err(ParseError::Json {
            line: error.line(),
            column: error.column().max(1),
            message: without_position(&error),
        }),
    }
}

/// serde_json's message without its " at line L column C" tail, which `ParseError` keeps
/// apart.
fn without_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(cut) => text[..cut].to_owned(),
        None => text,
    }
}

/// Visits the top-level object entry by entry, in order, so that a repeated key is seen
/// (a map would keep only one). After the first failure the rest is still read, so that a
/// syntax error anywhere is the answer.
struct RequestVisitor<'b, 'de, 'o> {
    builder: Builder<'b, 'de>,
    others: Option<&'o mut Others>,
}

impl<'de> Visitor<'de> for RequestVisitor<'_, 'de, '_> {
    type Value = Result<(), ParseError>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object of CreateSnapshot parameters")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Self::Value, A::Error> {
        let builder = &mut self.builder;
        let mut failure = None;
        while let Some(name) = map.next_key_seed(Text)? {
            if failure.is_some() {
                map.next_value_seed(Syntax)?;
                continue;
            }
            if name == "Tag" {
                failure = map
                    .next_value_seed(TagList {
                        builder,
                        others: self.others.as_deref_mut(),
                    })?
                    .err();
                continue;
            }
            let keep = self.others.is_some();
            let item = map.next_value_seed(ItemSeed { keep })?;
            let others = self.others.as_deref_mut();
            failure = push_item(builder, others, Name::classify(&name), &name, item).err();
        }
        Ok(failure.map_or(Ok(()), Err))
    }
}

/// One parameter's value: a scalar, or an array or object (kept as JSON text only when it
/// is to be kept).
pub(super) enum Item<'de> {
    Null,
    Text(Cow<'de, str>),
    Bool(bool),
    Integer(i64),
    Number(serde_json::Number),
    Compound(Option<Value>),
}

/// One parameter whose value must be a scalar. An array or object under a name the API does
/// not know is kept as its JSON text: the API ignores it, and nothing is lost.
pub(super) fn push_item<'de>(
    builder: &mut Builder<'_, 'de>,
    others: Option<&mut Others>,
    kind: Name,
    name: &str,
    item: Item<'de>,
) -> Result<(), ParseError> {
    if kind.is_other() {
        if let Some(others) = others {
            let text = match item {
                Item::Null => return Ok(()),
                Item::Text(text) => text.into_owned(),
                Item::Bool(flag) => flag.to_string(),
                Item::Integer(number) => number.to_string(),
                Item::Number(number) => number.to_string(),
                Item::Compound(value) => value.map(|v| v.to_string()).unwrap_or_default(),
            };
            others.push((name.to_owned(), text));
        }
        return Ok(());
    }
    match item {
        Item::Null => Ok(()),
        Item::Text(text) => builder.push(kind, name, text),
        Item::Bool(flag) => builder.push(kind, name, Cow::Borrowed(bool_text(flag))),
        Item::Integer(number) => builder.push_integer(kind, name, number),
        Item::Number(number) => builder.push(kind, name, Cow::Owned(number.to_string())),
        Item::Compound(_) => Err(ParseError::JsonWrongType {
            name: name.to_owned(),
            expected: "a string, number or boolean",
        }),
    }
}

fn bool_text(flag: bool) -> &'static str {
    if flag {
        "true"
    } else {
        "false"
    }
}

/// The visits of every scalar but `null`, each giving `$value`.
macro_rules! scalars_give {
    ($value:expr) => {
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok($value)
        }
    };
}

/// A string, borrowed from the input when it has no escape.
struct Text;

impl<'de> DeserializeSeed<'de> for Text {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Text {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(text))
    }

    fn visit_str<E>(self, text: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(text.to_owned()))
    }

    fn visit_string<E>(self, text: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(text))
    }
}

/// Any JSON value, read for its syntax alone (numbers are read in full, as a `Value` would
/// read them, so that the same documents are refused).
struct Syntax;

impl<'de> DeserializeSeed<'de> for Syntax {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Syntax {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    scalars_give!(());

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Syntax)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key_seed(Syntax)?.is_some() {
            map.next_value_seed(Syntax)?;
        }
        Ok(())
    }
}

/// A parameter's value; an array or object becomes a `Value` only when `keep`.
struct ItemSeed {
    keep: bool,
}

impl<'de> DeserializeSeed<'de> for ItemSeed {
    type Value = Item<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ItemSeed {
    type Value = Item<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, flag: bool) -> Result<Self::Value, E> {
        Ok(Item::Bool(flag))
    }
    fn visit_i64<E>(self, number: i64) -> Result<Self::Value, E> {
        Ok(Item::Integer(number))
    }
    fn visit_u64<E>(self, number: u64) -> Result<Self::Value, E> {
        Ok(match i64::try_from(number) {
            Ok(number) => Item::Integer(number),
            Err(_) => Item::Number(number.into()),
        })
    }
    fn visit_f64<E>(self, number: f64) -> Result<Self::Value, E> {
        Ok(match serde_json::Number::from_f64(number) {
            Some(number) => Item::Number(number),
            None => Item::Null,
        })
    }
    fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Self::Value, E> {
        Ok(Item::Text(Cow::Borrowed(text)))
    }
    fn visit_str<E>(self, text: &str) -> Result<Self::Value, E> {
        Ok(Item::Text(Cow::Owned(text.to_owned())))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Item::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        if self.keep {
            let value = Value::Array(serde::Deserialize::deserialize(
                serde::de::value::SeqAccessDeserializer::new(seq),
            )?);
            return Ok(Item::Compound(Some(value)));
        }
        Syntax.visit_seq(seq).map(|()| Item::Compound(None))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        if self.keep {
            let value = Value::Object(serde::Deserialize::deserialize(
                serde::de::value::MapAccessDeserializer::new(map),
            )?);
            return Ok(Item::Compound(Some(value)));
        }
        Syntax.visit_map(map).map(|()| Item::Compound(None))
    }
}

/// The SDK's `"Tag": [{"Key": .., "Value": ..}, ..]`, pushed item by item. Its answer is the
/// first failure; what follows a failure is read for its syntax alone.
struct TagList<'b, 'c, 'de, 'o> {
    builder: &'b mut Builder<'c, 'de>,
    others: Option<&'o mut Others>,
}

const TAG_LIST: &str = "an array of {\"Key\": .., \"Value\": ..} objects";

fn wrong_tag_list() -> ParseError {
    ParseError::JsonWrongType {
        name: "Tag".to_owned(),
        expected: TAG_LIST,
    }
}

impl<'de> DeserializeSeed<'de> for TagList<'_, '_, 'de, '_> {
    type Value = Result<(), ParseError>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TagList<'_, '_, 'de, '_> {
    type Value = Result<(), ParseError>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(TAG_LIST)
    }

    scalars_give!(Err(wrong_tag_list()));

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Ok(()))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Syntax.visit_map(map)?;
        Ok(Err(wrong_tag_list()))
    }
    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut n = 0usize;
        let mut failure = None;
        loop {
            if failure.is_some() {
                if seq.next_element_seed(Syntax)?.is_none() {
                    break;
                }
                continue;
            }
            n += 1;
            let keep = self.others.is_some();
            let Some(entry) = seq.next_element_seed(TagItem { keep })? else {
                break;
            };
            let others = self.others.as_deref_mut();
            failure = match entry {
                TagEntry::Fields(fields) => push_tag_fields(self.builder, others, n, fields).err(),
                // A null item is an absent tag that keeps its place: the next item is still
                // tag N + 1, as the SDK numbers the items of its list.
                TagEntry::Null => None,
                TagEntry::Other => Some(ParseError::JsonWrongType {
                    name: format!("Tag.{n}"),
                    expected: "an object with Key and Value",
                }),
            };
        }
        Ok(failure.map_or(Ok(()), Err))
    }
}

/// The fields of one tag item in the order a JSON map holds them: sorted by name, a
/// repeated name keeping its last value. Two fields (`Key`, `Value`) stay on the stack.
#[derive(Default)]
pub(super) struct Fields<'de> {
    inline: [Option<(Cow<'de, str>, Item<'de>)>; 2],
    more: Vec<(Cow<'de, str>, Item<'de>)>,
}

impl<'de> Fields<'de> {
    pub(super) fn insert(&mut self, name: Cow<'de, str>, item: Item<'de>) {
        let existing = self
            .inline
            .iter_mut()
            .flatten()
            .chain(self.more.iter_mut())
            .find(|(known, _)| *known == name);
        if let Some(entry) = existing {
            entry.1 = item;
        } else if let Some(free) = self.inline.iter_mut().find(|slot| slot.is_none()) {
            *free = Some((name, item));
        } else {
            self.more.push((name, item));
        }
    }

    fn into_sorted(self) -> impl Iterator<Item = (Cow<'de, str>, Item<'de>)> {
        let mut inline = self.inline;
        let mut more = self.more;
        if more.is_empty() {
            inline.sort_by(|a, b| match (a, b) {
                (Some(a), Some(b)) => a.0.cmp(&b.0),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            });
        } else {
            more.extend(inline.iter_mut().filter_map(Option::take));
            more.sort_by(|a, b| a.0.cmp(&b.0));
        }
        inline.into_iter().flatten().chain(more)
    }
}

/// One item of the tag list: its fields when it is an object, `null`, or anything else.
struct TagItem {
    keep: bool,
}

/// What one item of the tag list is.
enum TagEntry<'de> {
    Fields(Fields<'de>),
    Null,
    Other,
}

impl<'de> DeserializeSeed<'de> for TagItem {
    type Value = TagEntry<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TagItem {
    type Value = TagEntry<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object with Key and Value")
    }

    scalars_give!(TagEntry::Other);

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(TagEntry::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Syntax.visit_seq(seq).map(|()| TagEntry::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut fields = Fields::default();
        while let Some(name) = map.next_key_seed(Text)? {
            let item = map.next_value_seed(ItemSeed { keep: self.keep })?;
            fields.insert(name, item);
        }
        Ok(TagEntry::Fields(fields))
    }
}

/// The fields of tag item N, each as the parameter `Tag.N.<field>`.
pub(super) fn push_tag_fields<'de>(
    builder: &mut Builder<'_, 'de>,
    mut others: Option<&mut Others>,
    n: usize,
    fields: Fields<'de>,
) -> Result<(), ParseError> {
    for (field, item) in fields.into_sorted() {
        let kind = tag_field(n, &field);
        let named = kind.is_other() && others.is_some() || matches!(item, Item::Compound(_));
        // A tag parameter's name is only spelled out where it is kept or refused.
        let name = if named {
            Cow::Owned(format!("Tag.{n}.{field}"))
        } else {
            Cow::Borrowed("Tag")
        };
        push_item(builder, others.as_deref_mut(), kind, &name, item)?;
    }
    Ok(())
}

/// What `Tag.N.<field>` stands for, without writing the name out.
fn tag_field(n: usize, word: &str) -> Name {
    match (u32::try_from(n), TagField::from_word(word)) {
        (Ok(index), Some((field, spelling))) => Name::Tag {
            index,
            field,
            spelling,
        },
        _ => Name::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the plain reader makes of `text`: `None` where it hands the document to serde_json.
    fn plain(text: &str) -> Option<(Result<(), ParseError>, CreateSnapshotRequest<'_>, Others)> {
        let mut request = CreateSnapshotRequest::default();
        let mut others = Others::new();
        let mut builder = Builder::new(&mut request);
        let outcome = Plain::new(text).document(&mut builder, Some(&mut others))?;
        Some((outcome, request, others))
    }

    /// What serde_json makes of `text`.
    fn serde(text: &str) -> (Result<(), ParseError>, CreateSnapshotRequest<'_>, Others) {
        let mut request = CreateSnapshotRequest::default();
        let mut others = Others::new();
        let outcome = read_with_serde(text, &mut request, Some(&mut others));
        (outcome, request, others)
    }

    #[track_caller]
    fn assert_plain_agrees(text: &str) {
        let Some(fast) = plain(text) else {
            panic!("the plain reader handed {text:?} on");
        };
        assert_eq!(fast, serde(text), "{text}");
    }

    /// What a visitor says it expected, as serde puts it into an error.
    fn expected<'de>(visitor: impl Visitor<'de>) -> String {
        (&visitor as &dyn serde::de::Expected).to_string()
    }

    #[test]
    fn each_visitor_says_what_it_expects() {
        assert_eq!(expected(Text), "a string");
        assert_eq!(expected(Syntax), "any JSON value");
        assert_eq!(expected(ItemSeed { keep: true }), "any JSON value");
        assert_eq!(
            expected(TagItem { keep: true }),
            "an object with Key and Value"
        );
        // serde_json hands over borrowed or transient text; an owned string is kept as is.
        let owned: Result<_, serde_json::Error> = Text.visit_string("k".to_owned());
        assert!(matches!(owned, Ok(Cow::Owned(text)) if text == "k"));
    }

    #[test]
    fn plain_documents_are_read_by_the_plain_reader_as_serde_json_reads_them() {
        for text in [
            "{}",
            " { } ",
            r#"{"DiskId":"d-1"}"#,
            "{ \"DiskId\" :\t\"d-1\" ,\r\n \"SnapshotName\": \"n\" }",
            r#"{"DiskId":"d-1","RetentionDays":30,"InstantAccess":true,"Category":null}"#,
            r#"{"DiskId":"d-1","RetentionDays":-7,"InstantAccess":false}"#,
            r#"{"DiskId":"d-1","RetentionDays":0}"#,
            // Eighteen digits are read here; more, by serde_json (below).
            r#"{"DiskId":"d-1","RetentionDays":123456789012345678}"#,
            r#"{"DiskId":"d-1","RetentionDays":"30","InstantAccess":"True"}"#,
            r#"{"DiskId":"d-1","SnapshotName":12,"Description":true}"#,
            r#"{"DiskId":"d-1","Tag":[]}"#,
            r#"{"DiskId":"d-1","Tag":[{"Key":"k","Value":"v"},{"key":"a"},{}]}"#,
            r#"{"DiskId":"d-1","Tag":[{"Key":"k","Value":null}],"RegionId":"cn-hangzhou","Foo":1}"#,
            r#"{"DiskId":"d-1","Tag.1.Key":"k","Tag.1.Value":"v","Tag.21.key":"x"}"#,
            r#"{"DiskId":"快照 ✓ 😀"}"#,
            r#"{"DiskId":"d-1","DiskId":"d-2"}"#,
            r#"{"Action":"DescribeDisks"}"#,
            r#"{"DiskId":"d-1","Tag":[{"Key":"k","Key":"j"}]}"#,
            r#"{"DiskId":"d-1","Tag":[null,{"Key":"env","Value":"prod"}]}"#,
            r#"{"DiskId":"d-1","Tag":[ null , null ]}"#,
        ] {
            assert_plain_agrees(text);
        }
    }

    #[test]
    fn the_plain_reader_hands_on_what_it_does_not_read() {
        for text in [
            "",
            "[]",
            "{",
            r#"{"DiskId":"d-\u0031"}"#,
            r#"{"DiskId\n":"d-1"}"#,
            r#"{"RetentionDays":1.5}"#,
            r#"{"RetentionDays":1e3}"#,
            r#"{"RetentionDays":1234567890123456789}"#,
            r#"{"RetentionDays":007}"#,
            r#"{"RetentionDays":-0}"#,
            r#"{"Foo":{"a":1}}"#,
            r#"{"Foo":[1]}"#,
            r#"{"Tag":{"Key":"k"}}"#,
            r#"{"Tag":[{"Key":{"a":1}}]}"#,
            r#"{"Tag":[["k"]]}"#,
            r#"{"DiskId" "d-1"}"#,
            r#"{"DiskId":"d-1",}"#,
            r#"{"DiskId":"d-1"} x"#,
            r#"{"DiskId":"d-1"}}"#,
            r#"{"DiskId":"d-1""#,
            r#"{"DiskId":tru}"#,
            r#"{"DiskId":nul}"#,
            r#"{"Tag":[{"Key":"k"},]}"#,
            r#"{"Tag":[{"Key":"k"}"#,
            r#"{"Tag":[nul]}"#,
            r#"{"Tag":[null"#,
            r#"{DiskId:"d-1"}"#,
            // A quote and an escape, or a quote and a control character, in one word.
            r#"{"DiskId":"ab\"cdefgh"}"#,
            "{\"DiskId\":\"ab\u{1}\"cdefgh\"}",
            "{\"DiskId\":\"abc\u{1f}defghijk\"}",
            "{\"DiskId\":\"a\\\\b\u{1}cdefghij\"}",
        ] {
            assert!(plain(text).is_none(), "the plain reader read {text:?}");
        }
    }
}
