//! Each documented text format as regular expressions, for front-end forms and other
//! validators: a text keeps its format when it matches [`TextPattern::allow`] and does not
//! match [`TextPattern::deny`] (a forbidden prefix or substring, which the `regex` syntax,
//! having no look-around, cannot fold into one pattern).
//!
//! The syntax is the `regex` crate's (RE2's, and Go's `regexp`): `\p{L}` is a letter of any
//! script, `(?s:.)` any character, and repetitions count characters, not bytes. The rules
//! themselves judge with hand-written matchers that allocate nothing; a property test holds
//! them to these patterns on arbitrary Unicode text (`tests/patterns.rs`).
//!
//! ```
//! use ecs_snapshot_rules::rules::patterns::{SNAPSHOT_NAME, TAG_VALUE};
//!
//! assert_eq!(SNAPSHOT_NAME.allow(), r"^\p{L}[\p{L}0-9:_.\-]{1,127}$");
//! assert!(SNAPSHOT_NAME.is_match("backup.2026-12-01"));
//! assert!(SNAPSHOT_NAME.is_match("快照备份"));
//! assert!(!SNAPSHOT_NAME.is_match("auto-nightly"));
//! assert!(TAG_VALUE.is_match("acs:x"));
//! ```

use std::sync::OnceLock;

use regex::{Regex, RegexBuilder};

use crate::request::Parameter;

/// A documented text format as regular expressions: the text must match `allow` and must not
/// match `deny`.
#[derive(Debug)]
pub struct TextPattern {
    allow: &'static str,
    deny: Option<&'static str>,
    compiled: OnceLock<(Regex, Option<Regex>)>,
}

impl TextPattern {
    const fn new(allow: &'static str, deny: Option<&'static str>) -> Self {
        TextPattern {
            allow,
            deny,
            compiled: OnceLock::new(),
        }
    }

    /// What the whole text must match (anchored): its length in characters and the
    /// characters it may hold.
    pub fn allow(&self) -> &'static str {
        self.allow
    }

    /// What the text must not match anywhere its anchors allow: a forbidden prefix (`^...`)
    /// or a forbidden substring. `None` when nothing is forbidden besides `allow`.
    pub fn deny(&self) -> Option<&'static str> {
        self.deny
    }

    /// Whether `text` keeps the format: it matches `allow` and not `deny`. The patterns are
    /// compiled on first use, once for the process.
    pub fn is_match(&self, text: &str) -> bool {
        let (allow, deny) = self
            .compiled
            .get_or_init(|| (compile(self.allow), self.deny.map(compile)));
        allow.is_match(text) && !deny.as_ref().is_some_and(|deny| deny.is_match(text))
    }
}

/// Compiles one of this module's patterns, which are valid (a unit test compiles each).
fn compile(pattern: &str) -> Regex {
    // `\p{L}` repeated 127 times is a large automaton: room for it beyond the default limit.
    RegexBuilder::new(pattern)
        .size_limit(64 << 20)
        .build()
        .unwrap_or_else(|error| unreachable!("pattern {pattern}: {error}"))
}

/// `SnapshotName`: 2 to 128 characters, letters of any script (`\p{L}`: English, Chinese,
/// ...), ASCII digits, `:`, `_`, `.` and `-`, starting with a letter; not starting with
/// `auto` (nor `http://` or `https://`, which its characters exclude anyway).
pub static SNAPSHOT_NAME: TextPattern = TextPattern::new(
    r"^\p{L}[\p{L}0-9:_.\-]{1,127}$",
    Some(r"^(?:auto|https?://)"),
);

/// `Description`: 2 to 256 characters, not starting with `http://` or `https://`.
pub static DESCRIPTION: TextPattern = TextPattern::new(r"^(?s:.){2,256}$", Some(r"^https?://"));

/// `Tag.N.Key`: 1 to 128 characters, not starting with `acs:` or `aliyun`, holding no
/// `http://` or `https://`.
pub static TAG_KEY: TextPattern =
    TextPattern::new(r"^(?s:.){1,128}$", Some(r"^(?:acs:|aliyun)|https?://"));

/// `Tag.N.Value`: 0 to 128 characters, holding no `http://` or `https://`.
pub static TAG_VALUE: TextPattern = TextPattern::new(r"^(?s:.){0,128}$", Some(r"https?://"));

/// `ClientToken`: 0 to 64 ASCII characters.
pub static CLIENT_TOKEN: TextPattern = TextPattern::new(r"^[\x00-\x7F]{0,64}$", None);

/// Every pattern, with the parameter it is for.
pub static ALL: [(Parameter, &TextPattern); 5] = [
    (Parameter::SnapshotName, &SNAPSHOT_NAME),
    (Parameter::Description, &DESCRIPTION),
    (Parameter::ClientToken, &CLIENT_TOKEN),
    (Parameter::TagKey, &TAG_KEY),
    (Parameter::TagValue, &TAG_VALUE),
];

/// The pattern of a text parameter of the table; `None` for a parameter that is not text or
/// whose text has no format (`DiskId`, `ResourceGroupId`, `StorageLocationArn`).
pub fn for_parameter(parameter: Parameter) -> Option<&'static TextPattern> {
    ALL.iter()
        .find(|(of, _)| *of == parameter)
        .map(|&(_, pattern)| pattern)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::{Rule, TextFormat};

    #[test]
    fn every_pattern_compiles() {
        for (_, pattern) in &ALL {
            // `compile` panics on a pattern that is not valid.
            let _ = compile(pattern.allow());
            let _ = pattern.deny().map(compile);
        }
    }

    /// Each text parameter of the table with a format has a pattern, and the pattern's
    /// length bounds are the table's.
    #[test]
    fn every_text_format_of_the_table_has_its_pattern() {
        for &parameter in Parameter::ALL {
            let Rule::Text { min, max, format } = parameter.rule() else {
                assert!(for_parameter(parameter).is_none(), "{parameter:?}");
                continue;
            };
            let pattern =
                for_parameter(parameter).unwrap_or_else(|| panic!("{parameter:?} has no pattern"));
            let bounds = match format {
                // One letter, then the rest.
                TextFormat::SnapshotName => format!("{{{},{}}}$", min - 1, max - 1),
                TextFormat::Any
                | TextFormat::Ascii
                | TextFormat::NoUrlPrefix
                | TextFormat::TagKey
                | TextFormat::TagValue => format!("{{{min},{max}}}$"),
            };
            assert!(
                pattern.allow().ends_with(&bounds),
                "{parameter:?}: {} does not end with {bounds}",
                pattern.allow()
            );
        }
    }
}
