//! The fast text matchers of the rules agree with the documented formats written as regular
//! expressions (`rules::patterns`), on arbitrary Unicode text and on text built to sit on
//! the formats' edges: their lengths, their alphabets and their forbidden prefixes and
//! substrings. The matchers are reached through `validate`, one parameter at a time.

use ecs_snapshot_rules::request::Parameter;
use ecs_snapshot_rules::rules::patterns::{
    self, CLIENT_TOKEN, DESCRIPTION, SNAPSHOT_NAME, TAG_KEY, TAG_VALUE,
};
use ecs_snapshot_rules::{parse_pairs, validate};
use proptest::prelude::*;

/// Whether the rules accept `text` as the value of `parameter`, sent by its name in the
/// table (tag 1 for a tag's key or value, with a valid other half).
fn rules_accept(parameter: Parameter, text: &str) -> bool {
    let name = parameter.name().replace(".N.", ".1.");
    let mut pairs = vec![("DiskId", "d-1"), (name.as_str(), text)];
    if parameter == Parameter::TagKey {
        pairs.push(("Tag.1.Value", "v"));
    } else if parameter == Parameter::TagValue {
        pairs.push(("Tag.1.Key", "k"));
    }
    let request = parse_pairs(pairs).expect("distinct names are read");
    validate(&request).is_ok()
}

#[track_caller]
fn agree(text: &str) -> Result<(), TestCaseError> {
    for (parameter, pattern) in &patterns::ALL {
        prop_assert_eq!(
            rules_accept(*parameter, text),
            pattern.is_match(text),
            "{:?} on {:?}",
            parameter,
            text
        );
    }
    Ok(())
}

/// A piece of text near the formats' edges: characters of every class a format names or
/// refuses, and the prefixes and substrings they forbid.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::char::range('a', 'z').prop_map(String::from),
        2 => proptest::char::range('A', 'Z').prop_map(String::from),
        2 => proptest::char::range('0', '9').prop_map(String::from),
        2 => proptest::sample::select(vec![':', '_', '.', '-', '/', ' ', '\u{7f}', '\0'])
            .prop_map(String::from),
        2 => proptest::char::range('\u{4e00}', '\u{9fff}').prop_map(String::from),
        1 => proptest::char::range('\u{c0}', '\u{24f}').prop_map(String::from),
        1 => proptest::char::range('\u{300}', '\u{36f}').prop_map(String::from),
        1 => proptest::char::range('\u{3000}', '\u{30ff}').prop_map(String::from),
        1 => proptest::char::range('\u{ff00}', '\u{ffef}').prop_map(String::from),
        1 => proptest::char::range('\u{1f300}', '\u{1f64f}').prop_map(String::from),
        1 => proptest::char::range('\u{20000}', '\u{2a6df}').prop_map(String::from),
        2 => any::<char>().prop_map(String::from),
        2 => proptest::sample::select(vec!["auto", "http://", "https://", "acs:", "aliyun", "://", "Auto", "HTTP://"])
            .prop_map(str::to_owned),
    ]
}

/// Text of one repeated character, around every length bound of the formats (64, 128, 256).
fn long_text() -> impl Strategy<Value = String> {
    (
        proptest::sample::select(vec!['a', 'Z', '快', 'é', '0', '🙂', '-']),
        proptest::sample::select(vec![1usize, 2, 63, 64, 65, 127, 128, 129, 255, 256, 257]),
        proptest::option::of(proptest::sample::select(vec![
            "auto", "http://", "acs:", "a",
        ])),
    )
        .prop_map(|(c, n, prefix)| {
            let mut text = prefix.unwrap_or_default().to_owned();
            let rest = n.saturating_sub(text.chars().count());
            text.extend(std::iter::repeat_n(c, rest));
            text
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn the_matchers_agree_with_the_patterns_on_arbitrary_unicode(text in any::<String>()) {
        agree(&text)?;
    }

    #[test]
    fn the_matchers_agree_with_the_patterns_near_the_edges(
        pieces in proptest::collection::vec(piece(), 0..40),
    ) {
        agree(&pieces.concat())?;
    }

    #[test]
    fn the_matchers_agree_with_the_patterns_at_the_length_bounds(text in long_text()) {
        agree(&text)?;
    }
}

/// The examples of the issue and of the current reference, on both sides.
#[test]
fn the_patterns_say_what_the_current_reference_says() {
    for name in [
        "backup.2026-12-01",
        "快照备份",
        "Auto-1",
        "a.",
        "快1",
        "ж_:-.",
    ] {
        assert!(SNAPSHOT_NAME.is_match(name), "{name}");
        assert!(rules_accept(Parameter::SnapshotName, name), "{name}");
    }
    for name in [
        "auto快照",
        "1a",
        ".a",
        "a",
        "a/b",
        "a b",
        "a→b",
        "cafe\u{301}",
    ] {
        assert!(!SNAPSHOT_NAME.is_match(name), "{name}");
        assert!(!rules_accept(Parameter::SnapshotName, name), "{name}");
    }
    assert!(TAG_VALUE.is_match("acs:x") && rules_accept(Parameter::TagValue, "acs:x"));
    assert!(!TAG_KEY.is_match("acs:x") && !rules_accept(Parameter::TagKey, "acs:x"));
    assert!(
        !TAG_VALUE.is_match("see https://x") && !rules_accept(Parameter::TagValue, "see https://x")
    );
    assert!(DESCRIPTION.is_match("a http://x") && !DESCRIPTION.is_match("http://x"));
    assert!(CLIENT_TOKEN.is_match("") && !CLIENT_TOKEN.is_match("令牌"));
    assert_eq!(SNAPSHOT_NAME.deny(), Some(r"^(?:auto|https?://)"));
    assert_eq!(CLIENT_TOKEN.deny(), None);
}
