//! Reading an RPC query string or form body.

use crate::assemble::Assembler;
use crate::{CreateSnapshotRequest, ParseError};

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
    let input = input.as_ref();
    let (start, end) = query_span(input);
    let mut assembler = Assembler::default();
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
                String::from_utf8(bytes).map_err(|e| ParseError::NotUtf8 {
                    name: String::from_utf8_lossy(e.as_bytes()).into_owned(),
                })
            })?;
        let value = match decode(raw_value, value_offset) {
            Ok(bytes) => {
                String::from_utf8(bytes).map_err(|_| ParseError::NotUtf8 { name: name.clone() })?
            }
            Err(offset) => return Err(ParseError::BadPercentEncoding { name, offset }),
        };
        assembler.push(name, value)?;
    }
    Ok(assembler.finish())
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

/// Percent-decodes, with `+` as a space. On a bad `%`, its offset in the whole input.
fn decode(raw: &[u8], offset: usize) -> Result<Vec<u8>, usize> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = raw.get(i + 1..i + 3).and_then(|pair| {
                    let high = (pair[0] as char).to_digit(16)?;
                    let low = (pair[1] as char).to_digit(16)?;
                    u8::try_from(high * 16 + low).ok()
                });
                match hex {
                    Some(byte) => out.push(byte),
                    None => return Err(offset + i),
                }
                i += 2;
            }
            other => out.push(other),
        }
        i += 1;
    }
    Ok(out)
}
