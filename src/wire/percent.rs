//! The one percent-encoding codec of the crate: how a query string or form body is split
//! into parameters, how a name or value is decoded, and how one is encoded. The query reader,
//! the signature check and the emulator all split and decode with it, so that they can never
//! disagree about what a request holds (`docs/DECISIONS.md`, D107).

use std::borrow::{Borrow, Cow};
use std::fmt;

/// Percent-encodes `text` as the official SDKs and both signature schemes do (RFC 3986): the
/// unreserved characters `A-Z a-z 0-9 - _ . ~` stay, every other byte of the UTF-8 text
/// becomes `%XX` with upper-case hex digits. A space is `%20`, `*` is `%2A`, `+` is `%2B`,
/// `/` is `%2F`.
///
/// ```
/// use ecs_snapshot_rules::wire::percent::encode;
///
/// assert_eq!(encode("a b*c~d+/é"), "a%20b%2Ac~d%2B%2F%C3%A9");
/// ```
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    encode_into(text, &mut out);
    out
}

/// [`encode`], appended to `out`.
pub fn encode_into(text: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &byte in text.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0F)]));
        }
    }
}

/// Writes `(name, value)` pairs as a query string or form body, in the order given, each
/// name and value [`encode`]d: what [`decode_pairs`] reads back.
///
/// ```
/// use ecs_snapshot_rules::wire::percent::encode_pairs;
///
/// assert_eq!(encode_pairs([("Tag.1.Key", "a b"), ("Name", "~*")]), "Tag.1.Key=a%20b&Name=~%2A");
/// assert_eq!(encode_pairs(&vec![("a", "1")]), "a=1");
/// ```
pub fn encode_pairs<P, N, V>(pairs: impl IntoIterator<Item = P>) -> String
where
    P: Borrow<(N, V)>,
    N: AsRef<str>,
    V: AsRef<str>,
{
    let mut out = String::new();
    for pair in pairs {
        let (name, value) = pair.borrow();
        if !out.is_empty() {
            out.push('&');
        }
        encode_into(name.as_ref(), &mut out);
        out.push('=');
        encode_into(value.as_ref(), &mut out);
    }
    out
}

/// One parameter of a query string, raw (not yet decoded), with where it is in the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Piece<'a> {
    /// The name's bytes, raw.
    pub name: &'a [u8],
    /// The value's bytes, raw (empty when the piece has no `=`).
    pub value: &'a [u8],
    /// Where the name starts, in bytes from the start of the input.
    pub name_at: usize,
    /// Where the value starts, in bytes from the start of the input.
    pub value_at: usize,
}

/// The parameters of a query string (without `?`) or a form body, in order, raw.
///
/// Parameters are separated by `&` or a line break (neither can stand raw in an encoded
/// value); ASCII white space around each is dropped, and so are empty pieces and
/// documentation placeholders such as `<Common request parameters>`, so that a request
/// written over several lines, as the API reference prints its sample, reads as the request
/// it shows. The name ends at the first `=`; a piece without one has an empty value.
///
/// ```
/// use ecs_snapshot_rules::wire::percent::pieces;
///
/// let names: Vec<_> = pieces(b"a=1&&b\n  c=3&<Common request parameters>").map(|p| p.name).collect();
/// assert_eq!(names, [&b"a"[..], b"b", b"c"]);
/// ```
pub fn pieces(input: &[u8]) -> impl Iterator<Item = Piece<'_>> {
    let mut offset = 0;
    input
        .split(|&b| matches!(b, b'&' | b'\n' | b'\r'))
        .filter_map(move |piece| {
            let at = offset;
            offset += piece.len() + 1;
            let (piece, at) = trim(piece, at);
            if piece.is_empty() || is_placeholder(piece) {
                return None;
            }
            Some(match piece.iter().position(|&b| b == b'=') {
                Some(eq) => Piece {
                    name: &piece[..eq],
                    value: &piece[eq + 1..],
                    name_at: at,
                    value_at: at + eq + 1,
                },
                None => Piece {
                    name: piece,
                    value: &piece[piece.len()..],
                    name_at: at,
                    value_at: at + piece.len(),
                },
            })
        })
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

/// Whether decoding changes `raw` (it holds a `%` or a `+`).
pub(crate) fn has_escapes(raw: &[u8]) -> bool {
    raw.iter().any(|&b| b == b'%' || b == b'+')
}

/// Decodes one raw name or value: `%XX` is a byte, `+` is a space; borrowed when nothing
/// changes. On a `%` not followed by two hex digits, where it is, in bytes from the start of
/// the input (`at` is where `raw` starts).
///
/// # Errors
///
/// [`DecodeError::BadEscape`] at a `%` not followed by two hex digits.
pub fn decode(raw: &[u8], at: usize) -> Result<Cow<'_, [u8]>, DecodeError> {
    if !has_escapes(raw) {
        return Ok(Cow::Borrowed(raw));
    }
    let mut out = Vec::with_capacity(raw.len());
    decode_into(raw, at, &mut out)?;
    Ok(Cow::Owned(out))
}

/// Decoded bytes as text, borrowed when they were.
///
/// # Errors
///
/// [`DecodeError::NotUtf8`] when the bytes are not UTF-8.
pub fn utf8(bytes: Cow<'_, [u8]>) -> Result<Cow<'_, str>, DecodeError> {
    match bytes {
        Cow::Borrowed(raw) => std::str::from_utf8(raw)
            .map(Cow::Borrowed)
            .map_err(|_| DecodeError::NotUtf8),
        Cow::Owned(vec) => String::from_utf8(vec)
            .map(Cow::Owned)
            .map_err(|_| DecodeError::NotUtf8),
    }
}

/// Decodes every parameter of a query string or form body, split as [`pieces`] splits it,
/// into `(name, value)` text.
///
/// # Errors
///
/// A `%` not followed by two hex digits, or a name or value that is not UTF-8 once decoded.
///
/// ```
/// use ecs_snapshot_rules::wire::percent::{decode_pairs, DecodeError};
///
/// let pairs = decode_pairs(b"Tag.1.Key=a+b&Name=%E2%9C%93&Flag").unwrap();
/// assert_eq!(pairs, [
///     ("Tag.1.Key".to_owned(), "a b".to_owned()),
///     ("Name".to_owned(), "✓".to_owned()),
///     ("Flag".to_owned(), String::new()),
/// ]);
/// assert_eq!(decode_pairs(b"a=%zz"), Err(DecodeError::BadEscape { at: 2 }));
/// ```
pub fn decode_pairs(input: &[u8]) -> Result<Vec<(String, String)>, DecodeError> {
    pieces(input)
        .map(|piece| {
            let name = utf8(decode(piece.name, piece.name_at)?)?;
            let value = utf8(decode(piece.value, piece.value_at)?)?;
            Ok((name.into_owned(), value.into_owned()))
        })
        .collect()
}

/// Decodes what can be decoded: a bad `%` escape stays as it is and bytes that are not UTF-8
/// become U+FFFD. For looking a parameter up before the request is read in earnest.
pub fn decode_lossy(raw: &[u8]) -> String {
    let mut out = Vec::with_capacity(raw.len());
    let mut at = 0;
    while let Some(&byte) = raw.get(at) {
        let escaped = (byte == b'%')
            .then(|| Some(hex(*raw.get(at + 1)?)? << 4 | hex(*raw.get(at + 2)?)?))
            .flatten();
        match (byte, escaped) {
            (_, Some(decoded)) => {
                out.push(decoded);
                at += 3;
            }
            (b'+', None) => {
                out.push(b' ');
                at += 1;
            }
            (other, None) => {
                out.push(other);
                at += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Why a name or value could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// A `%` not followed by two hex digits.
    BadEscape {
        /// Where the `%` is, in bytes from the start of the input.
        at: usize,
    },
    /// A name or value that is not UTF-8 once decoded.
    NotUtf8,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::BadEscape { at } => {
                write!(f, "'%' not followed by two hex digits at byte {at}")
            }
            DecodeError::NotUtf8 => f.write_str("a decoded name or value is not UTF-8"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// Where decoded bytes go.
pub(crate) trait ByteSink {
    fn put(&mut self, byte: u8);
}

impl ByteSink for Vec<u8> {
    fn put(&mut self, byte: u8) {
        self.push(byte);
    }
}

fn hex(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// Decodes `raw` into `out`, `%XX` as a byte and `+` as a space.
pub(crate) fn decode_into(
    raw: &[u8],
    at: usize,
    out: &mut impl ByteSink,
) -> Result<(), DecodeError> {
    let mut i = 0;
    while let Some(&byte) = raw.get(i) {
        match byte {
            b'+' => out.put(b' '),
            b'%' => {
                let high = raw.get(i + 1).copied().and_then(hex);
                let low = raw.get(i + 2).copied().and_then(hex);
                match (high, low) {
                    (Some(high), Some(low)) => out.put(high << 4 | low),
                    _ => return Err(DecodeError::BadEscape { at: at + i }),
                }
                i += 2;
            }
            other => out.put(other),
        }
        i += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_reserved_and_unicode() {
        assert_eq!(encode("AZaz09-_.~"), "AZaz09-_.~");
        assert_eq!(encode(" *+/=&%"), "%20%2A%2B%2F%3D%26%25");
        assert_eq!(encode("😀"), "%F0%9F%98%80");
        assert_eq!(encode(""), "");
    }

    #[test]
    fn decodes_escapes_plus_and_reports_errors() {
        assert_eq!(
            decode_pairs(b"a=%41%2b+&=x&&b").unwrap(),
            [
                ("a".to_owned(), "A+ ".to_owned()),
                (String::new(), "x".to_owned()),
                ("b".to_owned(), String::new())
            ]
        );
        assert_eq!(
            decode_pairs(b"ab=1&c=%4"),
            Err(DecodeError::BadEscape { at: 7 })
        );
        assert_eq!(
            decode_pairs(b"%g0=1"),
            Err(DecodeError::BadEscape { at: 0 })
        );
        assert_eq!(decode_pairs(b"a=%FF"), Err(DecodeError::NotUtf8));
        assert_eq!(decode_pairs(b"a=%C3"), Err(DecodeError::NotUtf8));
        assert_eq!(decode_pairs(b"a=\xff"), Err(DecodeError::NotUtf8));
        assert_eq!(decode_pairs(b"").unwrap(), []);
    }

    #[test]
    fn encode_then_decode_is_identity() {
        for text in ["", "a b", "*~+/", "é😀", "%20", "=&", "\n"] {
            let pairs = decode_pairs(format!("k={}", encode(text)).as_bytes()).unwrap();
            assert_eq!(pairs, [("k".to_owned(), text.to_owned())]);
        }
    }

    #[test]
    fn pieces_are_split_at_ampersands_and_line_breaks_and_trimmed() {
        let found: Vec<_> = pieces(b" a=1 \r\n\tb=2&c&<placeholder>&d=<x>")
            .map(|p| (p.name, p.value, p.name_at, p.value_at))
            .collect();
        assert_eq!(
            found,
            [
                (&b"a"[..], &b"1"[..], 1, 3),
                (b"b", b"2", 8, 10),
                (b"c", b"", 12, 13),
                (b"d", b"<x>", 28, 30),
            ]
        );
    }

    #[test]
    fn lossy_decoding_keeps_what_it_cannot_decode() {
        assert_eq!(decode_lossy(b"a%41+b%zz%4"), "aA b%zz%4");
        assert_eq!(decode_lossy(b"%FF"), "\u{fffd}");
    }
}
