//! The formats of text parameters besides their length, as data: the parameter table names
//! one for each text parameter, and the rules judge by it.

/// What a text must or must not hold besides its length.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TextFormat {
    /// Anything.
    Any,
    /// ASCII characters only (`ClientToken`).
    Ascii,
    /// Does not start with `http://` or `https://` (`Description`).
    NoUrlPrefix,
    /// Letters (the Unicode category L: English, Chinese and every other script), ASCII
    /// digits, `:`, `_`, `.` and `-`; starts with a letter; does not start with `auto` (nor
    /// with `http://` or `https://`, which hold a `/`) (`SnapshotName`).
    SnapshotName,
    /// Does not start with `acs:` or `aliyun`; holds no `http://` or `https://` (tag keys).
    TagKey,
    /// Holds no `http://` or `https://` (tag values).
    TagValue,
}
