//! Reading a request from JSON with the API's parameter names as keys.
//!
//! The document is read in one pass, entry by entry, into the same builder as a query
//! string; strings without escapes are borrowed from the input.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::view::{Builder, RequestView};
use crate::words::{has_below, has_byte, word};
use crate::{CreateSnapshotRequest, ParameterName, ParseError};

/// Reads a request from a JSON object whose keys are the API's parameter names.
///
/// Both shapes are read: the official SDK's `to_map()` shape, with tags as
/// `"Tag": [{"Key": "k", "Value": "v"}]` (item *i* is tag N = *i* + 1), and the flat wire
/// shape, `"Tag.1.Key": "k"`. Numbers and booleans may be JSON values or strings (`30`,
/// `"30"`, `true`, `"True"`); `null` is absent. Nesting deeper than 128 levels is an error; a leading UTF-8 byte order mark is skipped.
///
/// ```
/// use ecs_snapshot_rules::parse_json;
///
/// let request = parse_json(r#"{"DiskId": "d-1", "RetentionDays": 30, "Tag": [{"Key": "env", "Value": "prod"}]}"#)?;
/// assert_eq!(request.retention_days, Some(30.into()));
/// assert_eq!(request.tags[0].value.as_deref(), Some("prod"));
/// # Ok::<(), ecs_snapshot_rules::ParseError>(())
/// ```
pub fn parse_json(input: impl AsRef<[u8]>) -> Result<CreateSnapshotRequest, ParseError> {
    let mut others = Vec::new();
    let mut view = RequestView::default();
    read_json(input.as_ref(), &mut view, Some(&mut others))?;
    let mut request = view.into_owned();
    request.other_parameters = others;
    Ok(request)
}

/// Reads a request as [`parse_json`] does, into a [`RequestView`] that borrows from the
/// input: no allocation, except for a string with a JSON escape (its value, and serde_json's
/// scratch buffer, allocated at the first such string and grown when a longer one comes), a number or boolean given for a text parameter
/// (written as text), and a tag whose N is outside 1 to 20. Common and unknown parameters
/// are checked for syntax and dropped. Verdicts are [`parse_json`]'s.
///
/// ```
/// use ecs_snapshot_rules::parse_json_view;
///
/// let input = br#"{"DiskId": "d-1", "RetentionDays": 30, "Tag": [{"Key": "env", "Value": "prod"}]}"#;
/// let view = parse_json_view(input)?;
/// assert_eq!(view.tags.iter().next().and_then(|tag| tag.value.as_deref()), Some("prod"));
/// assert_eq!(view.validate(), Ok(()));
/// # Ok::<(), ecs_snapshot_rules::ParseError>(())
/// ```
pub fn parse_json_view<I: AsRef<[u8]> + ?Sized>(input: &I) -> Result<RequestView<'_>, ParseError> {
    // Built where it is returned, so that the request is not moved after it is read.
    let mut result = Ok(RequestView::default());
    if let Ok(view) = &mut result {
        if let Err(error) = read_json(input.as_ref(), view, None) {
            result = Err(error);
        }
    }
    result
}

/// Common and unknown parameters, kept when a caller wants them.
type Others = Vec<(String, String)>;

/// Reads into `view`, which must be empty.
fn read_json<'a>(
    bytes: &'a [u8],
    view: &mut RequestView<'a>,
    others: Option<&mut Others>,
) -> Result<(), ParseError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| ParseError::InputNotUtf8)?;
    let mut others = others;
    let mut builder = Builder::new(view);
    let mut plain = Plain { text, at: 0 };
    if let Some(outcome) = plain.document(&mut builder, others.as_deref_mut()) {
        return outcome.map(|()| builder.finish());
    }
    // Anything else is read again from the start, by serde_json.
    *view = RequestView::default();
    if let Some(others) = others.as_deref_mut() {
        others.clear();
    }
    read_with_serde(text, view, others)
}

/// Reads `text` into `view` (which must be empty) with serde_json: every document, the
/// plain ones included, which is what makes it the reference of [`Plain`].
fn read_with_serde<'a>(
    text: &'a str,
    view: &mut RequestView<'a>,
    others: Option<&mut Others>,
) -> Result<(), ParseError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let result = deserializer
        .deserialize_map(RequestVisitor {
            builder: Builder::new(view),
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
            failure = push_item(builder, others, ParameterName::classify(&name), &name, item).err();
        }
        Ok(match failure {
            Some(error) => Err(error),
            None => {
                self.builder.finish();
                Ok(())
            }
        })
    }
}

/// One parameter's value: a scalar, or an array or object (kept as JSON text only when it
/// is to be kept).
enum Item<'de> {
    Null,
    Text(Cow<'de, str>),
    Bool(bool),
    Integer(i64),
    Number(serde_json::Number),
    Compound(Option<Value>),
}

/// One parameter whose value must be a scalar. An array or object under a name the API does
/// not know is kept as its JSON text: the API ignores it, and nothing is lost.
fn push_item<'de>(
    builder: &mut Builder<'_, 'de>,
    others: Option<&mut Others>,
    kind: ParameterName,
    name: &str,
    item: Item<'de>,
) -> Result<(), ParseError> {
    if matches!(kind, ParameterName::Common | ParameterName::Unknown) {
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
            let Some(fields) = seq.next_element_seed(TagItem { keep })? else {
                break;
            };
            let others = self.others.as_deref_mut();
            failure = match fields {
                Some(fields) => push_tag_fields(self.builder, others, n, fields).err(),
                None => Some(ParseError::JsonWrongType {
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
struct Fields<'de> {
    inline: [Option<(Cow<'de, str>, Item<'de>)>; 2],
    more: Vec<(Cow<'de, str>, Item<'de>)>,
}

impl<'de> Fields<'de> {
    fn insert(&mut self, name: Cow<'de, str>, item: Item<'de>) {
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

/// One item of the tag list: its fields when it is an object, `None` otherwise.
struct TagItem {
    keep: bool,
}

impl<'de> DeserializeSeed<'de> for TagItem {
    type Value = Option<Fields<'de>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TagItem {
    type Value = Option<Fields<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object with Key and Value")
    }

    scalars_give!(None);

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Syntax.visit_seq(seq).map(|()| None)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut fields = Fields::default();
        while let Some(name) = map.next_key_seed(Text)? {
            let item = map.next_value_seed(ItemSeed { keep: self.keep })?;
            fields.insert(name, item);
        }
        Ok(Some(fields))
    }
}

/// The fields of tag item N, each as the parameter `Tag.N.<field>`.
fn push_tag_fields<'de>(
    builder: &mut Builder<'_, 'de>,
    mut others: Option<&mut Others>,
    n: usize,
    fields: Fields<'de>,
) -> Result<(), ParseError> {
    for (field, item) in fields.into_sorted() {
        let kind = tag_field(n, &field);
        let named = matches!(kind, ParameterName::Common | ParameterName::Unknown)
            && others.is_some()
            || matches!(item, Item::Compound(_));
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
fn tag_field(n: usize, field: &str) -> ParameterName {
    let Ok(index) = u32::try_from(n) else {
        return ParameterName::Unknown;
    };
    ParameterName::tag_field(index, field).unwrap_or(ParameterName::Unknown)
}

/// The shape nearly every request has, read without serde's machinery: an object of
/// strings without escapes, integers, booleans and nulls, and the SDK's tag list of such
/// objects. Each method gives `None` at anything else (an escape, a fraction, other
/// nesting, a syntax error), and the document is then read again by serde_json, which gives
/// the same answer to what both read and the only answer to the rest.
struct Plain<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Plain<'a> {
    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    /// The next byte after white space.
    fn peek(&mut self) -> Option<u8> {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes().get(self.at) {
            self.at += 1;
        }
        self.bytes().get(self.at).copied()
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// The whole document, pushed into `builder`; its answer is the first failure.
    fn document(
        &mut self,
        builder: &mut Builder<'_, 'a>,
        mut others: Option<&mut Others>,
    ) -> Option<Result<(), ParseError>> {
        let mut failure = None;
        self.eat(b'{')?;
        if self.peek()? == b'}' {
            self.at += 1;
        } else {
            loop {
                let name = self.string()?;
                self.eat(b':')?;
                if name == "Tag" {
                    self.tag_list(builder, others.as_deref_mut(), &mut failure)?;
                } else {
                    let item = self.scalar()?;
                    if failure.is_none() {
                        let kind = ParameterName::classify(name);
                        let others = others.as_deref_mut();
                        failure = push_item(builder, others, kind, name, item).err();
                    }
                }
                if self.peek()? == b'}' {
                    self.at += 1;
                    break;
                }
                self.eat(b',')?;
            }
        }
        if self.peek().is_some() {
            return None;
        }
        Some(failure.map_or(Ok(()), Err))
    }

    /// `"Tag": [{..}, ..]` or `"Tag": null`.
    fn tag_list(
        &mut self,
        builder: &mut Builder<'_, 'a>,
        mut others: Option<&mut Others>,
        failure: &mut Option<ParseError>,
    ) -> Option<()> {
        if self.peek()? == b'n' {
            return self.word("null");
        }
        self.eat(b'[')?;
        if self.peek()? == b']' {
            self.at += 1;
            return Some(());
        }
        let mut n = 0;
        loop {
            n += 1;
            self.eat(b'{')?;
            let mut fields = Fields::default();
            if self.peek()? == b'}' {
                self.at += 1;
            } else {
                loop {
                    let name = self.string()?;
                    self.eat(b':')?;
                    fields.insert(Cow::Borrowed(name), self.scalar()?);
                    if self.peek()? == b'}' {
                        self.at += 1;
                        break;
                    }
                    self.eat(b',')?;
                }
            }
            if failure.is_none() {
                *failure = push_tag_fields(builder, others.as_deref_mut(), n, fields).err();
            }
            if self.peek()? == b']' {
                self.at += 1;
                return Some(());
            }
            self.eat(b',')?;
        }
    }

    /// A string without escapes or control characters.
    fn string(&mut self) -> Option<&'a str> {
        if self.peek()? != b'"' {
            return None;
        }
        let bytes = self.bytes();
        let start = self.at + 1;
        let mut end = start;
        // Eight bytes at a time while none of them can end the string, then byte by byte.
        while let Some(chunk) = bytes.get(end..end + 8) {
            let w = word(chunk);
            if has_byte(w, b'"') | has_byte(w, b'\\') | has_below(w, 0x20) {
                break;
            }
            end += 8;
        }
        while let Some(&b) = bytes.get(end) {
            if b == b'"' || b == b'\\' || b < 0x20 {
                break;
            }
            end += 1;
        }
        // The string ends here only at a quote (not at an escape or a control character).
        if bytes.get(end) != Some(&b'"') {
            return None;
        }
        self.at = end + 1;
        self.text.get(start..end)
    }

    fn word(&mut self, word: &str) -> Option<()> {
        self.bytes()[self.at..]
            .starts_with(word.as_bytes())
            .then(|| self.at += word.len())
    }

    /// A string, `true`, `false`, `null` or an integer of at most 18 digits (not `-0`,
    /// which serde_json reads as a float).
    fn scalar(&mut self) -> Option<Item<'a>> {
        match self.peek()? {
            b'"' => self.string().map(|text| Item::Text(Cow::Borrowed(text))),
            b't' => self.word("true").map(|()| Item::Bool(true)),
            b'f' => self.word("false").map(|()| Item::Bool(false)),
            b'n' => self.word("null").map(|()| Item::Null),
            _ => self.integer().map(Item::Integer),
        }
    }

    fn integer(&mut self) -> Option<i64> {
        let negative = self.bytes().get(self.at) == Some(&b'-');
        let start = self.at + usize::from(negative);
        let digits = self.bytes()[start..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let end = start + digits;
        let next = self.bytes().get(end).copied();
        let leading_zero = digits > 1 && self.bytes()[start] == b'0';
        if digits == 0 || digits > 18 || leading_zero || matches!(next, Some(b'.' | b'e' | b'E')) {
            return None;
        }
        let magnitude: i64 = self.text.get(start..end)?.parse().ok()?;
        self.at = end;
        match (negative, magnitude) {
            (true, 0) => None,
            (true, _) => Some(-magnitude),
            (false, _) => Some(magnitude),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the plain reader makes of `text`: `None` where it hands the document to serde_json.
    fn plain(text: &str) -> Option<(Result<(), ParseError>, RequestView<'_>, Others)> {
        let mut view = RequestView::default();
        let mut others = Others::new();
        let mut builder = Builder::new(&mut view);
        let outcome = Plain { text, at: 0 }.document(&mut builder, Some(&mut others))?;
        if outcome.is_ok() {
            builder.finish();
        }
        Some((outcome, view, others))
    }

    /// What serde_json makes of `text`.
    fn serde(text: &str) -> (Result<(), ParseError>, RequestView<'_>, Others) {
        let mut view = RequestView::default();
        let mut others = Others::new();
        let outcome = read_with_serde(text, &mut view, Some(&mut others));
        (outcome, view, others)
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
