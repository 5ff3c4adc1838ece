//! The wire: reading a request from the forms it travels in (query strings, form bodies and
//! URLs, decoded pairs, JSON), writing it back, and the one percent-encoding codec they share.
//!
//! Every reader ends in the same builder, so that a parameter means the same whichever way
//! it came; what cannot be read is a [`ParseError`], which knows the API's answer to it.

mod build;
mod json;
mod pairs;
mod parse_error;
pub mod percent;
mod query;
pub(crate) mod words;
mod write_json;
mod write_query;

pub use json::{parse_json, parse_json_view};
pub use pairs::parse_pairs;
pub use parse_error::ParseError;
pub use query::{parse_query, parse_query_view, query_of};

use crate::request::CreateSnapshotRequest;

/// Reads a request whose format is not known in advance: JSON when the first non-blank
/// character is `{` (or `[` or `"`, which are JSON too, and refused as not an object),
/// otherwise a query string or URL. A leading byte order mark is skipped.
///
/// # Errors
///
/// What [`parse_json`] or [`parse_query`] refuses.
///
/// ```
/// use ecs_snapshot_rules::{parse_request, ParseError};
///
/// let from_json = parse_request(r#"{"DiskId": "d-1", "InstantAccess": "True"}"#)?;
/// let from_query = parse_request("DiskId=d-1&InstantAccess=true")?;
/// assert_eq!(from_json, from_query);
/// assert!(matches!(parse_request(r#"[{"DiskId": "d-1"}]"#), Err(ParseError::Json { .. })));
/// # Ok::<(), ecs_snapshot_rules::ParseError>(())
/// ```
pub fn parse_request<I: AsRef<[u8]> + ?Sized>(
    input: &I,
) -> Result<CreateSnapshotRequest<'_>, ParseError> {
    let input = input.as_ref();
    let body = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    if is_json(body) {
        parse_json(body)
    } else {
        parse_query(body)
    }
}

/// Whether [`parse_request`] reads `input` as JSON: its first non-blank character, after a
/// byte order mark, is `{`, `[` or `"`.
///
/// ```
/// use ecs_snapshot_rules::wire::is_json;
///
/// assert!(is_json(b"\xEF\xBB\xBF  {\"DiskId\": \"d-1\"}"));
/// assert!(!is_json(b"DiskId=d-1"));
/// ```
pub fn is_json(input: &[u8]) -> bool {
    let body = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    matches!(
        body.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{' | b'[' | b'"')
    )
}

/// Whether a body of this content type holds parameters: only a form
/// (`application/x-www-form-urlencoded`, any letter case, parameters such as `charset`
/// allowed). An RPC signature covers such a body's parameters, and an endpoint reads
/// parameters from no other body (`docs/DECISIONS.md`, D74 and D84).
pub fn body_is_form(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|value| {
        value
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .eq_ignore_ascii_case("application/x-www-form-urlencoded")
    })
}
