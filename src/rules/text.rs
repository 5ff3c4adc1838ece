//! Text rules: whether a text has the length and the format the parameter table declares.
//! Lengths count characters (Unicode scalar values), not bytes; "letters" are Unicode's
//! (category L, [`super::letters`]). `src/rules/patterns.rs` writes each format as regular
//! expressions, and a property test holds these matchers to them.

use super::letters::is_letter;
use crate::request::TextFormat;
use crate::wire::words::{has_byte, starts_in, word};

/// Whether `text` has `min` to `max` characters and the `format`. Always inlined, so that a
/// constant format folds to its own test.
#[inline(always)]
pub(crate) fn admits(text: &str, min: usize, max: usize, format: TextFormat) -> bool {
    match format {
        TextFormat::Any => length_within(text, min, max),
        // One byte a character: bytes count characters.
        TextFormat::Ascii => text.is_ascii() && (min..=max).contains(&text.len()),
        TextFormat::NoUrlPrefix => length_within(text, min, max) && !starts_with_url(text),
        TextFormat::SnapshotName => snapshot_name_ok(text, min, max),
        TextFormat::TagKey => tag_key_ok(text, min, max),
        TextFormat::TagValue => tag_value_ok(text, min, max),
    }
}

/// The URL schemes that no name, description or tag may start with (or, in tags, contain).
const URL_SCHEMES: [&str; 2] = ["http://", "https://"];

/// Whether `text` has from `min` to `max` characters. A character is 1 to 4 bytes, so the
/// first `4 * (max + 1)` bytes hold the first `max + 1` characters: counting there tells
/// "too long" without reading further, and a huge value costs no more than a short one.
fn length_within(text: &str, min: usize, max: usize) -> bool {
    let head = &text.as_bytes()[..text.len().min(4 * (max + 1))];
    (min..=max).contains(&character_starts(head))
}

/// How many bytes start a character (all but the `10xxxxxx` continuation bytes), eight
/// bytes at a time: one word operation marks each starting byte with a 1, and a multiply
/// adds the marks up.
fn character_starts(bytes: &[u8]) -> usize {
    let mut words = bytes.chunks_exact(8);
    let mut count = 0;
    for chunk in &mut words {
        count += starts_in(word(chunk));
    }
    count
        + words
            .remainder()
            .iter()
            .filter(|&&b| (b as i8) >= -0x40)
            .count()
}

fn starts_with_url(text: &str) -> bool {
    URL_SCHEMES.iter().any(|scheme| text.starts_with(scheme))
}

/// Whether `http://` or `https://` is anywhere in `text`: each `://` is looked for, and what
/// comes before it. Eight bytes at a time are tested for a `:` with one word operation.
fn contains_url(text: &str) -> bool {
    let bytes = text.as_bytes();
    let url_at = |colon: usize| {
        let (before, after) = bytes.split_at(colon);
        after.starts_with(b"://") && (before.ends_with(b"http") || before.ends_with(b"https"))
    };
    let colons_from = |start: usize, block: &[u8]| {
        block
            .iter()
            .enumerate()
            .any(|(offset, &b)| b == b':' && url_at(start + offset))
    };
    let mut words = bytes.chunks_exact(8);
    let mut start = 0;
    for chunk in &mut words {
        if has_byte(word(chunk), b':') && colons_from(start, chunk) {
            return true;
        }
        start += 8;
    }
    colons_from(start, words.remainder())
}

/// The ASCII bytes a SnapshotName may hold: letters, digits, `:`, `_`, `.` and `-`.
const SNAPSHOT_NAME_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b':' || c == b'_' || c == b'.' || c == b'-';
        b += 1;
    }
    table
};

/// SnapshotName: `min` to `max` letters (Unicode's, category L), ASCII digits, `:`, `_`, `.`
/// and `-`, starting with a letter, not starting with `auto`. No URL can start a name whose
/// characters exclude `/`.
fn snapshot_name_ok(name: &str, min: usize, max: usize) -> bool {
    let bytes = name.as_bytes();
    // A character is at most 4 bytes: more than `4 * max` bytes are too many characters,
    // whatever they are, and a huge value costs no more than a short one.
    if bytes.len() > 4 * max || name.starts_with("auto") {
        return false;
    }
    match bytes
        .iter()
        .position(|&b| !SNAPSHOT_NAME_BYTES[usize::from(b)])
    {
        // All ASCII (one byte a character), every byte allowed: the common case.
        None => {
            (min..=max).contains(&bytes.len()) && bytes.first().is_some_and(u8::is_ascii_alphabetic)
        }
        // An ASCII character a name may not hold.
        Some(at) if bytes[at].is_ascii() => false,
        // A character beyond ASCII: judged a character at a time.
        Some(_) => unicode_snapshot_name_ok(name, min, max),
    }
}

/// SnapshotName with characters beyond ASCII, which must be letters.
fn unicode_snapshot_name_ok(name: &str, min: usize, max: usize) -> bool {
    let mut chars = name.chars();
    if !chars.next().is_some_and(is_letter) {
        return false;
    }
    let mut count = 1;
    for c in chars {
        count += 1;
        let allowed = if c.is_ascii() {
            SNAPSHOT_NAME_BYTES[c as usize]
        } else {
            is_letter(c)
        };
        if !allowed || count > max {
            return false;
        }
    }
    count >= min
}

/// Tag key: not starting with `acs:` or `aliyun`, no URL anywhere.
fn tag_key_ok(key: &str, min: usize, max: usize) -> bool {
    length_within(key, min, max)
        && !key.starts_with("acs:")
        && !key.starts_with("aliyun")
        && !contains_url(key)
}

/// Tag value: no URL anywhere (the current reference no longer forbids `acs:`, D225).
#[inline]
fn tag_value_ok(value: &str, min: usize, max: usize) -> bool {
    length_within(value, min, max) && !contains_url(value)
}
