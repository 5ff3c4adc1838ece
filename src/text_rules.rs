//! The format of each text parameter, as the spec's request table states it. Lengths count
//! characters (Unicode scalar values), not bytes; "letters" are the ASCII letters.

use crate::words::{has_byte, starts_in, word};

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

/// The bytes a SnapshotName may hold: ASCII letters, digits, `:`, `_` and `-`.
const SNAPSHOT_NAME_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b':' || c == b'_' || c == b'-';
        b += 1;
    }
    table
};

/// SnapshotName: 2 to 128 characters of ASCII letters, digits, `:`, `_` and `-`, starting
/// with a letter, not starting with `http://`, `https://` or `auto`.
pub(crate) fn snapshot_name_ok(name: &str) -> bool {
    // Every allowed character is one ASCII byte, so bytes count characters; and no URL can
    // start a name whose characters exclude `/`.
    (2..=128).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.bytes().all(|b| SNAPSHOT_NAME_BYTES[usize::from(b)])
        && !name.starts_with("auto")
}

/// Description: 2 to 256 characters, not starting with `http://` or `https://`.
pub(crate) fn description_ok(description: &str) -> bool {
    length_within(description, 2, 256) && !starts_with_url(description)
}

/// ClientToken: ASCII only, at most 64 characters.
pub(crate) fn client_token_ok(token: &str) -> bool {
    token.is_ascii() && token.len() <= 64
}

/// Tag key: 1 to 128 characters, not starting with `acs:` or `aliyun`, no URL anywhere.
pub(crate) fn tag_key_ok(key: &str) -> bool {
    length_within(key, 1, 128)
        && !key.starts_with("acs:")
        && !key.starts_with("aliyun")
        && !contains_url(key)
}

/// Tag value: 0 to 128 characters, not starting with `acs:`, no URL anywhere.
pub(crate) fn tag_value_ok(value: &str) -> bool {
    length_within(value, 0, 128) && !value.starts_with("acs:") && !contains_url(value)
}

/// The valid N of `Tag.N.Key`: 1 to 20.
pub(crate) const TAG_INDEX: std::ops::RangeInclusive<u32> = 1..=20;

/// The N of `Tag.N.Key`: 1 to 20.
pub(crate) fn tag_index_ok(index: u32) -> bool {
    TAG_INDEX.contains(&index)
}

/// RetentionDays: 1 to 65536 days.
pub(crate) const RETENTION_DAYS: std::ops::RangeInclusive<i64> = 1..=65536;

/// InstantAccessRetentionDays: 1 to 65535 days.
pub(crate) const INSTANT_ACCESS_RETENTION_DAYS: std::ops::RangeInclusive<i64> = 1..=65535;
