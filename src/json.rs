//! Reading a request from JSON with the API's parameter names as keys.

use std::fmt;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::Value;

use crate::assemble::Assembler;
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
    let bytes = input.as_ref();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| ParseError::InputNotUtf8)?;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let result = deserializer
        .deserialize_map(RequestVisitor)
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
/// (a `Map` would keep only one).
struct RequestVisitor;

impl<'de> Visitor<'de> for RequestVisitor {
    type Value = Result<CreateSnapshotRequest, ParseError>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object of CreateSnapshot parameters")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut assembler = Assembler::default();
        let mut failure = None;
        while let Some(name) = map.next_key::<String>()? {
            let value: Value = map.next_value()?;
            if failure.is_none() {
                failure = push_json(&mut assembler, name, value).err();
            }
        }
        Ok(match failure {
            Some(error) => Err(error),
            None => Ok(assembler.finish()),
        })
    }
}

/// One top-level entry: a scalar parameter, or the SDK's `Tag` list.
fn push_json(assembler: &mut Assembler, name: String, value: Value) -> Result<(), ParseError> {
    if name == "Tag" {
        return push_tag_list(assembler, value);
    }
    push_scalar(assembler, name, value)
}

/// One parameter whose value must be a scalar. An array or object under a name the API does
/// not know is kept as its JSON text: the API ignores it, and nothing is lost.
fn push_scalar(assembler: &mut Assembler, name: String, value: Value) -> Result<(), ParseError> {
    match value {
        Value::Null => Ok(()),
        Value::String(text) => assembler.push(name, text),
        Value::Bool(flag) => assembler.push(name, flag.to_string()),
        Value::Number(number) => assembler.push(name, number.to_string()),
        Value::Array(_) | Value::Object(_) => match ParameterName::classify(&name) {
            ParameterName::Common | ParameterName::Unknown => {
                assembler.push(name, value.to_string())
            }
            _ => Err(ParseError::JsonWrongType {
                name,
                expected: "a string, number or boolean",
            }),
        },
    }
}

/// The SDK's `"Tag": [{"Key": .., "Value": ..}, ..]`.
fn push_tag_list(assembler: &mut Assembler, value: Value) -> Result<(), ParseError> {
    let items = match value {
        Value::Null => return Ok(()),
        Value::Array(items) => items,
        _ => {
            return Err(ParseError::JsonWrongType {
                name: "Tag".to_owned(),
                expected: "an array of {\"Key\": .., \"Value\": ..} objects",
            })
        }
    };
    for (position, item) in items.into_iter().enumerate() {
        let n = position + 1;
        let fields = match item {
            Value::Object(fields) => fields,
            _ => {
                return Err(ParseError::JsonWrongType {
                    name: format!("Tag.{n}"),
                    expected: "an object with Key and Value",
                })
            }
        };
        for (field, value) in fields {
            push_scalar(assembler, format!("Tag.{n}.{field}"), value)?;
        }
    }
    Ok(())
}
