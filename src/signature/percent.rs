//! RFC 3986 percent-encoding, as both signature schemes use it, and the decoding of a query
//! string or form body into parameter pairs.

use std::fmt;

/// Percent-encodes `text` by the rules both signature schemes share: the unreserved
/// characters `A-Z a-z 0-9 - _ . ~` stay, every other byte of the UTF-8 text becomes `%XX`
/// with upper-case hex digits. A space is `%20`, `*` is `%2A`, `+` is `%2B`, `/` is `%2F`.
///
/// ```
/// use ecs_snapshot_rules::signature::percent::encode;
///
/// assert_eq!(encode("a b*c~d+/é"), "a%20b%2Ac~d%2B%2F%C3%A9");
/// ```
pub fn encode(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
    for &byte in text.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0F)]));
        }
    }
    out
}

/// Writes decoded `(name, value)` pairs as a query string or form body, in the order given,
/// each name and value [`encode`]d: what [`decode_pairs`] reads back.
///
/// ```
/// use ecs_snapshot_rules::signature::percent::encode_pairs;
///
/// assert_eq!(encode_pairs(&[("Tag.1.Key", "a b"), ("Name", "~*")]), "Tag.1.Key=a%20b&Name=~%2A");
/// ```
pub fn encode_pairs(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Why a query string or form body could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// A `%` not followed by two hex digits, at this byte offset of the input.
    BadEscape {
        /// The byte offset of the `%`.
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

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// Decodes one name or value of a query string or form body: `%XX` is a byte, `+` is a
/// space, and the bytes must be UTF-8. `offset` is where `raw` starts in the whole input,
/// for the error.
fn decode_component(raw: &[u8], offset: usize) -> Result<String, DecodeError> {
    let mut bytes = Vec::with_capacity(raw.len());
    let mut at = 0;
    while let Some(&byte) = raw.get(at) {
        match byte {
            b'%' => {
                let high = raw.get(at + 1).copied().and_then(hex_value);
                let low = raw.get(at + 2).copied().and_then(hex_value);
                match (high, low) {
                    (Some(high), Some(low)) => bytes.push(high << 4 | low),
                    _ => return Err(DecodeError::BadEscape { at: offset + at }),
                }
                at += 3;
            }
            b'+' => {
                bytes.push(b' ');
                at += 1;
            }
            _ => {
                bytes.push(byte);
                at += 1;
            }
        }
    }
    String::from_utf8(bytes).map_err(|_| DecodeError::NotUtf8)
}

/// Decodes a query string (without `?`) or an `application/x-www-form-urlencoded` body into
/// its `(name, value)` pairs, in order. Pairs are split at `&`, name from value at the first
/// `=`; a pair without `=` has an empty value; empty pairs (`a=1&&b=2`) are skipped.
///
/// ```
/// use ecs_snapshot_rules::signature::percent::decode_pairs;
///
/// let pairs = decode_pairs(b"Tag.1.Key=a+b&Name=%E2%9C%93&Flag").unwrap();
/// assert_eq!(pairs, [
///     ("Tag.1.Key".to_owned(), "a b".to_owned()),
///     ("Name".to_owned(), "✓".to_owned()),
///     ("Flag".to_owned(), String::new()),
/// ]);
/// assert!(decode_pairs(b"a=%zz").is_err());
/// ```
pub fn decode_pairs(input: &[u8]) -> Result<Vec<(String, String)>, DecodeError> {
    let mut pairs = Vec::new();
    let mut offset = 0;
    for piece in input.split(|&b| b == b'&') {
        if !piece.is_empty() {
            let (name, value, value_offset) = match piece.iter().position(|&b| b == b'=') {
                Some(eq) => (&piece[..eq], &piece[eq + 1..], offset + eq + 1),
                None => (piece, &piece[piece.len()..], offset + piece.len()),
            };
            pairs.push((
                decode_component(name, offset)?,
                decode_component(value, value_offset)?,
            ));
        }
        offset += piece.len() + 1;
    }
    Ok(pairs)
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
        for text in ["", "a b", "*~+/", "é😀", "%20", "=&"] {
            let pairs = decode_pairs(format!("k={}", encode(text)).as_bytes()).unwrap();
            assert_eq!(pairs, [("k".to_owned(), text.to_owned())]);
        }
    }
}
