//! The documented constraint of a parameter, as data: the parameter table declares one for
//! each parameter, the rules judge by it, the generators draw values inside and outside it,
//! and the tests compare it with the project's transcription of the documents.

use super::parameters::Parameter;

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
    /// One of these values, in any ASCII letter case.
    OneOf(&'static [&'static str]),
    /// `rule`, judged only when `flag` (a boolean parameter) is the boolean `true`; any
    /// value otherwise, where it has no effect (`InstantAccessRetentionDays`, which "takes
    /// effect only when InstantAccess is set to true").
    WhenTrue {
        /// The boolean parameter the rule depends on.
        flag: Parameter,
        /// The rule while it is true.
        rule: &'static Rule,
    },
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
    /// Letters (the Unicode category L: English, Chinese and every other script), ASCII
    /// digits, `:`, `_`, `.` and `-`; starts with a letter; does not start with `auto` (nor
    /// with `http://` or `https://`, which hold a `/`) (`SnapshotName`).
    SnapshotName,
    /// Does not start with `acs:` or `aliyun`; holds no `http://` or `https://` (tag keys).
    TagKey,
    /// Holds no `http://` or `https://` (tag values).
    TagValue,
}
