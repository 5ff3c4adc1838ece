//! A request file: one CreateSnapshot request as a query string, URL or JSON object, read
//! by the library itself.

use std::collections::HashMap;

use super::judge::Judge;
use crate::finding::{Failure, Outcome, Position};
use crate::library::{is_json, parse_request, percent, query_of, ParseError};

/// The outcome of one request file's text.
pub fn judge(judge: &Judge, text: &str) -> Outcome {
    let positions = parameter_positions(text);
    let locate = |parameter: Option<&str>| place_of(&positions, parameter);
    match parse_request(text) {
        Ok(request) => Outcome::Judged(vec![judge.request(Ok(request), &locate)]),
        Err(error) if error.api_error().is_some() => {
            Outcome::Judged(vec![judge.request(Err(&error), &locate)])
        }
        Err(error) => Outcome::Failed(Failure {
            message: error.to_string(),
            position: match error {
                ParseError::Json { line, column, .. } => Some(Position::new(line, column)),
                _ => None,
            },
        }),
    }
}

/// Whether `text` is a request, as the library's codec reads one: JSON (the library's own
/// errors say what is wrong with it) that is not an object of another shape (a value that
/// is an object, or a list other than the SDK's `Tag` list, belongs to another tool's file,
/// a `package.json`), or a query string or URL whose every parameter piece is `Name=value`
/// with a name of non-space characters, split by the library's codec (`&` and line breaks;
/// `<...>` placeholders skipped).
pub fn is_request(text: &str) -> bool {
    if is_json(text.as_bytes()) {
        let body = text.trim_start_matches('\u{feff}');
        return match serde_json::from_str::<serde_json::Value>(body) {
            Ok(serde_json::Value::Object(entries)) => entries.iter().all(|(name, value)| {
                !value.is_object() && (!value.is_array() || name == "Tag" || name == "Tags")
            }),
            _ => true,
        };
    }
    percent::pieces(query_of(text.as_bytes())).all(|piece| {
        // A piece without `=` has an empty value that ends where its name does.
        let has_value = piece.value_at > piece.name_at + piece.name.len();
        has_value && !piece.name.is_empty() && !piece.name.iter().any(u8::is_ascii_whitespace)
    })
}

/// Where each parameter name first appears in `text`, as a query-string name (`DiskId=`)
/// or a JSON key (`"DiskId":`). One pass over the text.
fn parameter_positions(text: &str) -> HashMap<&str, Position> {
    let is_name = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-');
    let bytes = text.as_bytes();
    let mut positions = HashMap::new();
    let mut line = 1;
    // Where the column was last counted, and that column (from 0): counted forward only,
    // so that a long line is counted once.
    let (mut counted, mut column) = (0, 0);
    let mut i = 0;
    while i < bytes.len() {
        let before = if i == 0 { b'&' } else { bytes[i - 1] };
        if bytes[i] == b'\n' {
            line += 1;
            (counted, column) = (i + 1, 0);
        }
        let starts_name = is_name(bytes[i])
            && matches!(before, b'&' | b'?' | b'"' | b' ' | b'\t' | b'\n' | b'\r');
        if !starts_name {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && is_name(bytes[i]) {
            i += 1;
        }
        let names_a_parameter = if before == b'"' {
            bytes.get(i) == Some(&b'"')
                && bytes[i + 1..]
                    .iter()
                    .find(|b| !b.is_ascii_whitespace())
                    .is_some_and(|&b| b == b':')
        } else {
            bytes.get(i) == Some(&b'=')
        };
        if names_a_parameter {
            // A JSON key's place is its opening quote.
            let at = if before == b'"' { start - 1 } else { start };
            column += bytes[counted..at]
                .iter()
                .filter(|&&b| b & 0xC0 != 0x80)
                .count();
            counted = at;
            positions
                .entry(&text[start..i])
                .or_insert(Position::new(line, column + 1));
        }
    }
    positions
}

/// Where a finding about `parameter` is: its name, else the SDK's `Tag` list for a tag.
fn place_of(positions: &HashMap<&str, Position>, parameter: Option<&str>) -> Option<Position> {
    let parameter = parameter?;
    positions.get(parameter).copied().or_else(|| {
        parameter
            .starts_with("Tag")
            .then(|| positions.get("Tag"))
            .flatten()
            .copied()
    })
}
