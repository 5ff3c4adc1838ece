//! Reading an RPC query string or form body.

use std::borrow::Cow;

use crate::view::{Builder, RequestView};
use crate::{CreateSnapshotRequest, ParameterName, ParseError};

/// Reads a request from an RPC query string or an `application/x-www-form-urlencoded` body.
///
/// A leading byte order mark and a leading `https://host/path?` (or `http://`, or a lone `?`)
/// are dropped, and so is a URL's `#fragment`; names and values are percent-decoded, with `+`
/// as a space. Parameters are separated by `&` or a line break (neither can stand raw in a
/// value); white space around each, empty pieces and documentation placeholders such as
/// `<Common request parameters>` are skipped, so that a request written over several lines,
/// as the spec prints its sample or one parameter a line, reads as the request it shows. Common parameters are kept in
/// [`other_parameters`](CreateSnapshotRequest::other_parameters) and not judged.
///
/// Time and memory are linear in the input.
///
/// ```
/// use ecs_snapshot_rules::parse_query;
///
/// let request = parse_query("https://ecs.aliyuncs.com/?Action=CreateSnapshot&DiskId=d-1&Description=nightly+run")?;
/// assert_eq!(request.description.as_deref(), Some("nightly run"));
/// # Ok::<(), ecs_snapshot_rules::ParseError>(())
/// ```
pub fn parse_query(input: impl AsRef<[u8]>) -> Result<CreateSnapshotRequest, ParseError> {
    let mut others = Vec::new();
    let mut view = RequestView::default();
    read_query(input.as_ref(), &mut view, Some(&mut others))?;
    let mut request = view.into_owned();
    request.other_parameters = others
        .into_iter()
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    Ok(request)
}

/// Reads a request as [`parse_query`] does, into a [`RequestView`] that borrows from the
/// input: no allocation, except for a value that percent-decoding changes (one a value that
/// has a `%` escape or a `+`), and for a tag whose N is outside 1 to 20. Common and unknown
/// parameters are checked (percent-encoding, UTF-8) and dropped; checking one that has
/// escapes and is longer than 256 bytes allocates a buffer. Verdicts are [`parse_query`]'s.
///
/// ```
/// use std::borrow::Cow;
/// use ecs_snapshot_rules::parse_query_view;
///
/// let view = parse_query_view("DiskId=d-1&Description=nightly+run&RegionId=cn-hangzhou")?;
/// assert!(matches!(view.disk_id, Some(Cow::Borrowed("d-1"))));
/// assert!(matches!(view.description, Some(Cow::Owned(_))));
/// assert_eq!(view.validate(), Ok(()));
/// # Ok::<(), ecs_snapshot_rules::ParseError>(())
/// ```
pub fn parse_query_view<I: AsRef<[u8]> + ?Sized>(input: &I) -> Result<RequestView<'_>, ParseError> {
    // Built where it is returned, so that the request is not moved after it is read.
    let mut result = Ok(RequestView::default());
    if let Ok(view) = &mut result {
        if let Err(error) = read_query(input.as_ref(), view, None) {
            result = Err(error);
        }
    }
    result
}

/// Common and unknown parameters, kept when a caller wants them.
type Others<'a> = Vec<(Cow<'a, str>, Cow<'a, str>)>;

/// Reads into `view`, which must be empty.
fn read_query<'a>(
    input: &'a [u8],
    view: &mut RequestView<'a>,
    mut others: Option<&mut Others<'a>>,
) -> Result<(), ParseError> {
    let (start, end) = query_span(input);
    let mut builder = Builder::new(view);
    let mut offset = start;
    for piece in input[start..end].split(|&b| matches!(b, b'&' | b'\n' | b'\r')) {
        let piece_offset = offset;
        offset += piece.len() + 1;
        let (piece, piece_offset) = trim(piece, piece_offset);
        if piece.is_empty() || is_placeholder(piece) {
            continue;
        }
        let (raw_name, raw_value, value_offset) = match piece.iter().position(|&b| b == b'=') {
            Some(eq) => (&piece[..eq], &piece[eq + 1..], piece_offset + eq + 1),
            None => (piece, &piece[piece.len()..], piece_offset + piece.len()),
        };
        let name = decode(raw_name, piece_offset)
            .map_err(|offset| ParseError::BadPercentEncoding {
                name: String::from_utf8_lossy(raw_name).into_owned(),
                offset,
            })
            .and_then(|bytes| {
                utf8(bytes).map_err(|bytes| ParseError::NotUtf8 {
                    name: String::from_utf8_lossy(&bytes).into_owned(),
                })
            })?;
        let kind = ParameterName::classify(&name);
        let other = matches!(kind, ParameterName::Common | ParameterName::Unknown);
        if other && others.is_none() {
            check_encoding(raw_value, value_offset).map_err(|error| error.named(&name))?;
            continue;
        }
        let value = match decode(raw_value, value_offset) {
            Ok(bytes) => utf8(bytes).map_err(|_| ParseError::NotUtf8 {
                name: name.clone().into_owned(),
            })?,
            Err(offset) => {
                return Err(ParseError::BadPercentEncoding {
                    name: name.into_owned(),
                    offset,
                })
            }
        };
        match others.as_deref_mut() {
            Some(others) if other => others.push((name, value)),
            _ => builder.push(kind, &name, value)?,
        }
    }
    builder.finish();
    Ok(())
}

/// Decoded bytes as text, borrowed when they were; the bytes back when they are not UTF-8.
fn utf8(bytes: Cow<'_, [u8]>) -> Result<Cow<'_, str>, Cow<'_, [u8]>> {
    match bytes {
        Cow::Borrowed(raw) => std::str::from_utf8(raw)
            .map(Cow::Borrowed)
            .map_err(|_| Cow::Borrowed(raw)),
        Cow::Owned(vec) => String::from_utf8(vec)
            .map(Cow::Owned)
            .map_err(|e| Cow::Owned(e.into_bytes())),
    }
}

/// Why a value that is not kept could not be read.
enum EncodingError {
    BadPercent(usize),
    NotUtf8,
}

impl EncodingError {
    fn named(self, name: &str) -> ParseError {
        let name = name.to_owned();
        match self {
            EncodingError::BadPercent(offset) => ParseError::BadPercentEncoding { name, offset },
            EncodingError::NotUtf8 => ParseError::NotUtf8 { name },
        }
    }
}

/// How long a value may be for its encoding to be checked on the stack.
const STACK_DECODE: usize = 256;

/// Checks that a value percent-decodes to UTF-8 without keeping it: in place when it has no
/// escape, in a stack buffer when it is short, on the heap otherwise.
fn check_encoding(raw: &[u8], offset: usize) -> Result<(), EncodingError> {
    if !has_escapes(raw) {
        return std::str::from_utf8(raw)
            .map(drop)
            .map_err(|_| EncodingError::NotUtf8);
    }
    let ok = if raw.len() <= STACK_DECODE {
        let mut buffer = StackBuffer {
            bytes: [0; STACK_DECODE],
            len: 0,
        };
        decode_into(raw, offset, &mut buffer).map_err(EncodingError::BadPercent)?;
        std::str::from_utf8(&buffer.bytes[..buffer.len]).is_ok()
    } else {
        let mut buffer = Vec::with_capacity(raw.len());
        decode_into(raw, offset, &mut buffer).map_err(EncodingError::BadPercent)?;
        std::str::from_utf8(&buffer).is_ok()
    };
    if ok {
        Ok(())
    } else {
        Err(EncodingError::NotUtf8)
    }
}

/// Where the query begins and ends: after a byte order mark, after a URL's `?` (up to its
/// `#fragment`), or after a lone leading `?`.
fn query_span(input: &[u8]) -> (usize, usize) {
    let body = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let bom = input.len() - body.len();
    let (trimmed, start) = trim(body, bom);
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

/// The piece without ASCII white space around it, and its new offset.
fn trim(piece: &[u8], offset: usize) -> (&[u8], usize) {
    let lead = piece
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(piece.len());
    let rest = &piece[lead..];
    let tail = rest
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    (&rest[..tail], offset + lead)
}

/// `<Common request parameters>` and the like: a documentation placeholder, not a parameter.
fn is_placeholder(piece: &[u8]) -> bool {
    piece.len() >= 2 && piece[0] == b'<' && piece[piece.len() - 1] == b'>' && !piece.contains(&b'=')
}

/// Whether percent-decoding changes `raw`.
fn has_escapes(raw: &[u8]) -> bool {
    raw.iter().any(|&b| b == b'%' || b == b'+')
}

/// Percent-decodes, with `+` as a space, borrowing when nothing changes. On a bad `%`, its
/// offset in the whole input.
fn decode(raw: &[u8], offset: usize) -> Result<Cow<'_, [u8]>, usize> {
    if !has_escapes(raw) {
        return Ok(Cow::Borrowed(raw));
    }
    let mut out = Vec::with_capacity(raw.len());
    decode_into(raw, offset, &mut out)?;
    Ok(Cow::Owned(out))
}

/// Where decoded bytes go.
trait ByteSink {
    fn put(&mut self, byte: u8);
}

impl ByteSink for Vec<u8> {
    fn put(&mut self, byte: u8) {
        self.push(byte);
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

fn decode_into(raw: &[u8], offset: usize, out: &mut impl ByteSink) -> Result<(), usize> {
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => out.put(b' '),
            b'%' => {
                let hex = raw.get(i + 1..i + 3).and_then(|pair| {
                    let high = (pair[0] as char).to_digit(16)?;
                    let low = (pair[1] as char).to_digit(16)?;
                    u8::try_from(high * 16 + low).ok()
                });
                match hex {
                    Some(byte) => out.put(byte),
                    None => return Err(offset + i),
                }
                i += 2;
            }
            other => out.put(other),
        }
        i += 1;
    }
    Ok(())
}
