//! The format of each text parameter, as the spec's request table states it. Lengths count
//! characters (Unicode scalar values), not bytes; "letters" are the ASCII letters.

/// The URL schemes that no name, description or tag may start with (or, in tags, contain).
const URL_SCHEMES: [&str; 2] = ["http://", "https://"];

/// Whether `text` has from `min` to `max` characters. Stops counting past `max`, so a huge
/// value costs no more than a short one.
fn length_within(text: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&text.chars().take(max + 1).count())
}

fn starts_with_url(text: &str) -> bool {
    URL_SCHEMES.iter().any(|scheme| text.starts_with(scheme))
}

fn contains_url(text: &str) -> bool {
    URL_SCHEMES.iter().any(|scheme| text.contains(scheme))
}

/// SnapshotName: 2 to 128 characters of ASCII letters, digits, `:`, `_` and `-`, starting
/// with a letter, not starting with `http://`, `https://` or `auto`.
pub(crate) fn snapshot_name_ok(name: &str) -> bool {
    length_within(name, 2, 128)
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'_' | b'-'))
        && !starts_with_url(name)
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
