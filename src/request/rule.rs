//! The documented constraint of a parameter, as data: the parameter table declares one for
//! each parameter, the rules judge by it, the generators draw values inside and outside it,
//! and the tests compare it with the project's transcription of the documents.

/// What the documents say a parameter's value must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rule {
    /// Present and not empty (`DiskId`).
    Required,
    /// Text of `min` to `max` characters (Unicode scalar values, not bytes), in a format.
    Text {
        /// The fewest characters.
        min: usize,
        /// The most characters.
        max: usize,
        /// What else the text must (not) hold.
        format: TextFormat,
    },
    /// An integer from `min` to `max`.
    Integer {
        /// The lowest value.
        min: i64,
        /// The highest value.
        max: i64,
    },
    /// `true` or `false`.
    Boolean,
    /// One of these values.
    OneOf(&'static [&'static str]),
    /// Nothing the request alone can break: the state it meets judges it
    /// (`ResourceGroupId` must name a resource group of the account).
    Unchecked,
}

/// What a text must or must not hold besides its length.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TextFormat {
    /// Anything.
    Any,
    /// ASCII characters only (`ClientToken`).
    Ascii,
    /// Does not start with `http://` or `https://` (`Description`).
    NoUrlPrefix,
    /// Letters, digits, `:`, `_` and `-`; starts with a letter; does not start with
    /// `http://`, `https://` or `auto` (`SnapshotName`).
    SnapshotName,
    /// Does not start with `acs:` or `aliyun`; holds no `http://` or `https://` (tag keys).
    TagKey,
    /// Does not start with `acs:`; holds no `http://` or `https://` (tag values).
    TagValue,
}
