//! Reading an RPC query string, form body or URL.

use super::build::{read_in_place, Builder};
use super::percent::{self, ByteSink, DecodeError, Piece};
use super::ParseError;
use crate::request::{CreateSnapshotRequest, Name};

/// Reads a request from an RPC query string, an `application/x-www-form-urlencoded` body or a
/// URL.
///
/// A leading byte order mark and a leading `https://host/path?` (or `http://`, or a lone `?`)
/// are dropped, and so is a URL's `#fragment`; the rest is split into parameters and decoded
/// by the crate's one codec ([`percent::pieces`]: `&` or a line break between parameters, `+`
/// as a space, placeholders such as `<Common request parameters>` skipped), so that a request
/// written over several lines, as the API reference prints its sample, reads as the request
/// it shows. Text borrows from `input` wherever decoding leaves it as it is; common and
/// unknown parameters are kept in
/// [`other_parameters`](CreateSnapshotRequest::other_parameters) and not judged.
///
/// Time and memory are linear in the input.
///
/// # Errors
///
/// A parameter given twice, a `%` not followed by two hex digits, a name or value that is not
/// UTF-8 once decoded, or an `Action` other than `CreateSnapshot`: see [`ParseError`], whose
/// [`api_error`](ParseError::api_error) is the API's answer to each.
///
/// ```
/// use ecs_snapshot_rules::parse_query;
///
/// let request = parse_query("https://ecs.aliyuncs.com/?Action=CreateSnapshot&DiskId=d-1&Description=nightly+run")?;
/// assert_eq!(request.description.as_deref(), Some("nightly run"));
/// # Ok::<(), ecs_snapshot_rules::ParseError>(())
/// ```
pub fn parse_query<I: AsRef<[u8]> + ?Sized>(
    input: &I,
) -> Result<CreateSnapshotRequest<'_>, ParseError> {
    read(input, Others::Keep)
}

/// Reads a request as [`parse_query`] does, but checks the common and unknown parameters
/// (their encoding) and drops them: no allocation, except for a value that percent-decoding
/// changes (one a value that has a `%` escape or a `+`), and for a tag whose N is outside 1 to
/// 20. Checking a dropped value that has escapes and is longer than 256 bytes allocates a
/// buffer. Verdicts are [`parse_query`]'s.
///
/// # Errors
///
/// As [`parse_query`].
///
/// ```
/// use std::borrow::Cow;
/// use ecs_snapshot_rules::{validate, wire::parse_query_view};
///
/// let request = parse_query_view("DiskId=d-1&Description=nightly+run&RegionId=cn-hangzhou")?;
/// assert!(matches!(request.disk_id, Some(Cow::Borrowed("d-1"))));
/// assert!(matches!(request.description, Some(Cow::Owned(_))));
/// assert!(request.other_parameters.is_empty());
/// assert_eq!(validate(&request), Ok(()));
/// # Ok::<(), ecs_snapshot_rules::ParseError>(())
/// ```
pub fn parse_query_view<I: AsRef<[u8]> + ?Sized>(
    input: &I,
) -> Result<CreateSnapshotRequest<'_>, ParseError> {
    read(input, Others::Check)
}

/// What becomes of the common and unknown parameters.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Others {
    Keep,
    Check,
}

fn read<I: AsRef<[u8]> + ?Sized>(
    input: &I,
    others: Others,
) -> Result<CreateSnapshotRequest<'_>, ParseError> {
    read_in_place(|request| read_into(input.as_ref(), request, others))
}

/// Reads into `request`, which must be empty.
fn read_into<'a>(
    input: &'a [u8],
    request: &mut CreateSnapshotRequest<'a>,
    others: Others,
) -> Result<(), ParseError> {
    let (start, end) = query_span(input);
    let mut kept = Vec::new();
    let mut builder = Builder::new(request);
    for piece in percent::pieces(&input[start..end]) {
        let piece = Piece {
            name_at: piece.name_at + start,
            value_at: piece.value_at + start,
            ..piece
        };
        let name = percent::decode(piece.name, piece.name_at)
            .and_then(percent::utf8)
            .map_err(|error| named(error, &String::from_utf8_lossy(piece.name)))?;
        let kind = Name::classify(&name);
        if kind.is_other() && others == Others::Check {
            check_encoding(piece.value, piece.value_at).map_err(|error| named(error, &name))?;
            continue;
        }
        let value = percent::decode(piece.value, piece.value_at)
            .and_then(percent::utf8)
            .map_err(|error| named(error, &name))?;
        if kind.is_other() {
            kept.push((name, value));
        } else {
            builder.push(kind, &name, value)?;
        }
    }
    request.other_parameters = kept;
    Ok(())
}

/// The parse error of a name or value that could not be decoded.
fn named(error: DecodeError, name: &str) -> ParseError {
    let name = name.to_owned();
    match error {
        DecodeError::BadEscape { at } => ParseError::BadPercentEncoding { name, offset: at },
        DecodeError::NotUtf8 => ParseError::NotUtf8 { name },
    }
}

/// How long a value may be for its encoding to be checked on the stack.
const STACK_DECODE: usize = 256;

/// Checks that a value percent-decodes to UTF-8 without keeping it: in place when it has no
/// escape, in a stack buffer when it is short, on the heap otherwise.
fn check_encoding(raw: &[u8], at: usize) -> Result<(), DecodeError> {
    if !percent::has_escapes(raw) {
        return std::str::from_utf8(raw)
            .map(drop)
            .map_err(|_| DecodeError::NotUtf8);
    }
    let ok = if raw.len() <= STACK_DECODE {
        let mut buffer = StackBuffer {
            bytes: [0; STACK_DECODE],
            len: 0,
        };
        percent::decode_into(raw, at, &mut buffer)?;
        std::str::from_utf8(&buffer.bytes[..buffer.len]).is_ok()
    } else {
        let mut buffer = Vec::with_capacity(raw.len());
        percent::decode_into(raw, at, &mut buffer)?;
        std::str::from_utf8(&buffer).is_ok()
    };
    if ok {
        Ok(())
    } else {
        Err(DecodeError::NotUtf8)
    }
}

/// A buffer on the stack, at least as long as what is decoded into it (decoding never makes
/// a value longer).
struct StackBuffer {
    bytes: [u8; STACK_DECODE],
    len: usize,
}

impl ByteSink for StackBuffer {
    fn put(&mut self, byte: u8) {
        if let Some(slot) = self.bytes.get_mut(self.len) {
            *slot = byte;
            self.len += 1;
        }
    }
}

/// The query string that [`parse_query`] reads in `input`: after a byte order mark and
/// leading blanks, after a URL's `?` up to its `#fragment` (nothing for a URL without a
/// query), or after a lone leading `?`.
///
/// ```
/// use ecs_snapshot_rules::wire::query_of;
///
/// assert_eq!(query_of(b"https://ecs.aliyuncs.com/?DiskId=d-1#top"), b"DiskId=d-1");
/// assert_eq!(query_of(b"  ?DiskId=d-1"), b"DiskId=d-1");
/// assert_eq!(query_of(b"/path"), b"");
/// ```
pub fn query_of(input: &[u8]) -> &[u8] {
    let (start, end) = query_span(input);
    &input[start..end]
}

/// Where the query begins and ends, as [`query_of`] says.
fn query_span(input: &[u8]) -> (usize, usize) {
    let body = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let bom = input.len() - body.len();
    let lead = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(body.len());
    let (trimmed, start) = (&body[lead..], bom + lead);
    let is_url = [&b"http://"[..], b"https://", b"/"].iter().any(|prefix| {
        trimmed.len() >= prefix.len() && trimmed[..prefix.len()].eq_ignore_ascii_case(prefix)
    });
    if is_url {
        let end = trimmed
            .iter()
            .position(|&b| b == b'#')
            .map_or(input.len(), |hash| start + hash);
        match trimmed.iter().position(|&b| b == b'?') {
            Some(q) if start + q < end => (start + q + 1, end),
            _ => (end, end),
        }
    } else if trimmed.first() == Some(&b'?') {
        (start + 1, input.len())
    } else {
        (start, input.len())
    }
}
