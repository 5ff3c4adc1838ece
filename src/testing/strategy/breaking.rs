//! Values that break a parameter's documented constraint in one of its ways, drawn from the
//! rule the parameter table declares for it: too short, too long, out of range, of another
//! type, or against the text's format.

use proptest::prelude::*;

use super::text::{any_char, string_of};
use crate::request::{Parameter, Rule, TextFormat};

/// Wire text that breaks `parameter`'s rule in one of its documented ways. `None` for the
/// rules a value cannot break (the one a value can only be absent for, and `Unchecked`).
/// For a rule judged only while a flag is true, a value that breaks it then.
pub(super) fn breaking_value(parameter: Parameter) -> Option<BoxedStrategy<String>> {
    breaking_value_of(parameter.rule())
}

fn breaking_value_of(rule: Rule) -> Option<BoxedStrategy<String>> {
    Some(match rule {
        Rule::Required | Rule::Unchecked => return None,
        Rule::WhenTrue { rule, .. } => return breaking_value_of(*rule),
        Rule::Text { min, max, format } => breaking_text(min, max, format),
        Rule::Integer { min, max } => prop_oneof![
            (i64::MIN..min).prop_map(|n| n.to_string()),
            Just((min - 1).to_string()),
            Just((max + 1).to_string()),
            (max + 1..=i64::MAX).prop_map(|n| n.to_string()),
            not_an_integer(),
        ]
        .boxed(),
        Rule::Boolean => string_of(any_char(), 0, 8)
            .prop_filter("not a boolean", |t| {
                !t.eq_ignore_ascii_case("true") && !t.eq_ignore_ascii_case("false")
            })
            .boxed(),
        // Values are read in any ASCII letter case (D221).
        Rule::OneOf(values) => string_of(any_char(), 0, 10)
            .prop_filter("not one of the values", move |t| {
                !values.iter().any(|value| value.eq_ignore_ascii_case(t))
            })
            .boxed(),
    })
}

/// Text that is too short, too long, or breaks the format.
fn breaking_text(min: usize, max: usize, format: TextFormat) -> BoxedStrategy<String> {
    let too_long = match format {
        // Characters a name may hold, so that only its length is wrong.
        TextFormat::SnapshotName => ("[a-zA-Z]", string_of(name_char(), max, max + 32))
            .prop_map(|(a, b)| a + &b)
            .boxed(),
        TextFormat::Ascii => string_of(proptest::char::range('\0', '\u{7f}'), max + 1, max + 36),
        TextFormat::Any | TextFormat::NoUrlPrefix | TextFormat::TagKey | TextFormat::TagValue => {
            string_of(any_char(), max + 1, max + 32)
        }
    };
    let mut ways = vec![too_long];
    if min > 0 {
        let too_short = match format {
            TextFormat::SnapshotName => string_of(proptest::char::range('a', 'z'), 0, min - 1),
            _ => string_of(any_char(), 0, min - 1),
        };
        ways.push(too_short);
    }
    let url = || "https?://";
    match format {
        TextFormat::Any => {}
        TextFormat::Ascii => ways.push(
            (
                string_of(proptest::char::range('!', '~'), 0, 30),
                any_char().prop_filter("not ASCII", |c| !c.is_ascii()),
                string_of(proptest::char::range('!', '~'), 0, 30),
            )
                .prop_map(|(a, c, b)| format!("{a}{c}{b}"))
                .boxed(),
        ),
        TextFormat::NoUrlPrefix => ways.push(
            (url(), string_of(any_char(), 0, 40))
                .prop_map(|(a, b)| a + &b)
                .boxed(),
        ),
        TextFormat::SnapshotName => {
            ways.push(
                ("[0-9:_.-]", string_of(name_char(), 1, 20))
                    .prop_map(|(a, b)| a + &b)
                    .boxed(),
            );
            ways.push(
                (
                    "[a-z]{1,5}",
                    // Not a letter of any script: not even alphabetic by the standard
                    // library's wider property (D224).
                    any_char().prop_filter("outside the name's alphabet", |c| {
                        !(c.is_alphabetic()
                            || c.is_ascii_digit()
                            || matches!(c, ':' | '_' | '.' | '-'))
                    }),
                    "[a-z]{0,5}",
                )
                    .prop_map(|(a, c, b)| format!("{a}{c}{b}"))
                    .boxed(),
            );
            ways.push(
                ("auto", string_of(name_char(), 0, 20))
                    .prop_map(|(a, b)| a.to_owned() + &b)
                    .boxed(),
            );
            ways.push(
                (url(), string_of(name_char(), 0, 20))
                    .prop_map(|(a, b)| a + &b)
                    .boxed(),
            );
        }
        TextFormat::TagKey | TextFormat::TagValue => {
            // Values may start with `acs:` now (D225).
            let prefixes: &[&str] = if format == TextFormat::TagKey {
                &["acs:", "aliyun"]
            } else {
                &[]
            };
            for &prefix in prefixes {
                ways.push(
                    string_of(any_char(), 0, 20)
                        .prop_map(move |rest| prefix.to_owned() + &rest)
                        .boxed(),
                );
            }
            ways.push(
                (
                    string_of(any_char(), 0, 10),
                    url(),
                    string_of(any_char(), 0, 10),
                )
                    .prop_map(|(a, s, b)| a + &s + &b)
                    .boxed(),
            );
        }
    }
    proptest::strategy::Union::new(ways).boxed()
}

/// Characters a SnapshotName may hold.
fn name_char() -> impl Strategy<Value = char> {
    prop_oneof![
        proptest::char::range('a', 'z'),
        proptest::char::range('0', '9'),
        Just('-')
    ]
}

/// Text not spelling an `i64` as the API reads one: empty, words, fractions, and integers
/// beyond 64 bits.
fn not_an_integer() -> BoxedStrategy<String> {
    prop_oneof![
        Just(String::new()),
        "[a-zA-Z][a-zA-Z0-9]{0,8}",
        "-?[0-9]{1,4}\\.[0-9]{1,4}",
        "-?[1-9][0-9]{19,30}",
        " [0-9]{1,3}",
    ]
    .boxed()
}
