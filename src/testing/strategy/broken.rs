//! Values that break a parameter's constraint in one documented way, drawn from the rule the
//! parameter table declares for it; and requests broken on the wire.

use std::borrow::Cow;

use proptest::prelude::*;

use super::text::{any_char, string_of};
use super::valid::{self, EXCLUSIVE};
use crate::catalogue::{ApiError, ErrorCode};
use crate::request::{CreateSnapshotRequest, Parameter, Rule, Tag, TextFormat};
use crate::testing::oracle::{
    add_bad_tag_key, add_bad_tag_value, expected_refusal, extra_tag, free_index, Broken,
};
use crate::wire::percent;

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

/// Valid requests with one parameter whose error is `code` given a breaking value. `None`
/// when no parameter's value gives `code`.
pub(super) fn requests_with(code: ErrorCode) -> Option<BoxedStrategy<Broken>> {
    let ways: Vec<BoxedStrategy<Broken>> = Parameter::ALL
        .iter()
        .copied()
        .filter(|parameter| parameter.code() == Some(code))
        .filter_map(|parameter| Some((parameter, breaking_value(parameter)?)))
        .map(|(parameter, values)| {
            (valid::request(), values)
                .prop_map(move |(request, value)| break_request(request, parameter, value))
                .boxed()
        })
        .collect();
    (!ways.is_empty()).then(|| proptest::strategy::Union::new(ways).boxed())
}

/// `request` with `parameter` set to a breaking `value`, and the error it must get.
fn break_request(
    mut request: CreateSnapshotRequest<'static>,
    parameter: Parameter,
    value: String,
) -> Broken {
    let expected = match parameter {
        Parameter::TagKey => {
            let mut tag = extra_tag(free_index(&mut request), "");
            tag.key = Some(Cow::Owned(value));
            add_bad_tag_key(&mut request, tag)
        }
        Parameter::TagValue => {
            let tag = Tag {
                value: Some(Cow::Owned(value)),
                ..extra_tag(free_index(&mut request), "x-value")
            };
            add_bad_tag_value(&mut request, tag)
        }
        _ => {
            // A parameter that excludes another breaks only its own rule.
            for &(a, b) in EXCLUSIVE {
                if parameter == a {
                    request.remove(b);
                } else if parameter == b {
                    request.remove(a);
                }
            }
            // A rule judged only while a flag is true needs the flag true, and nothing
            // that excludes the flag being true.
            if let Rule::WhenTrue { flag, .. } = parameter.rule() {
                for &(a, b) in EXCLUSIVE {
                    if b == flag {
                        request.remove(a);
                    }
                }
                request.set(flag, "true");
            }
            request.set(parameter, value);
            expected_refusal(parameter)
        }
    };
    Broken { request, expected }
}

/// A valid request's query string, broken on the wire: `Action` is not `CreateSnapshot`.
pub(super) fn wrong_action() -> BoxedStrategy<(String, ApiError)> {
    let action =
        string_of(any_char(), 0, 16).prop_filter("not CreateSnapshot", |a| a != "CreateSnapshot");
    (valid::request(), action)
        .prop_map(|(request, action)| {
            let mut pairs = request.to_pairs();
            pairs[0].1 = Cow::Owned(action);
            (
                percent::encode_pairs(pairs),
                ApiError::new(ErrorCode::InvalidActionNotFound).with_parameter("Action"),
            )
        })
        .boxed()
}

/// A valid request's query string, broken on the wire in one parameter (not `Action`):
/// given twice, a bad percent-escape, or bytes that are not UTF-8 once decoded.
pub(super) fn wire_invalid_parameter() -> BoxedStrategy<(String, ApiError)> {
    (valid::request(), any::<prop::sample::Index>(), 0..4usize)
        .prop_map(|(request, which, how)| {
            let pairs = request.to_pairs();
            // Pair 0 is Action; DiskId is always there, so there is a pair 1. Only request
            // parameters (not the common and unknown ones at the end) are refused when
            // repeated.
            let candidates = if how == 0 {
                pairs.len() - 1 - request.other_parameters.len()
            } else {
                pairs.len() - 1
            };
            let at = 1 + which.index(candidates);
            let name = pairs[at].0.to_string();
            let encoded = percent::encode_pairs(pairs[at..=at].iter().cloned());
            if how == 0 {
                // Repeated: the later one is refused; a tag parameter is named in its
                // current spelling (D9).
                let query = percent::encode_pairs(pairs.iter().cloned()) + "&" + &encoded;
                return (query, ApiError::invalid_parameter(repeated_name(&name)));
            }
            let bad = match how {
                1 => "%G1",
                2 => "%4",
                _ => "%FF",
            };
            let mut query = percent::encode_pairs(pairs[..at].iter().cloned());
            let tail = percent::encode_pairs(pairs[at + 1..].iter().cloned());
            query.push_str(if query.is_empty() { "" } else { "&" });
            query.push_str(&encoded);
            query.push_str(bad);
            if !tail.is_empty() {
                query.push('&');
                query.push_str(&tail);
            }
            (query, ApiError::invalid_parameter(name))
        })
        .boxed()
}

/// How the API names a parameter given twice: a tag parameter in its current spelling.
fn repeated_name(name: &str) -> String {
    match name.rsplit_once('.') {
        Some((head, "key")) if name.starts_with("Tag.") => format!("{head}.Key"),
        Some((head, "value")) if name.starts_with("Tag.") => format!("{head}.Value"),
        _ => name.to_owned(),
    }
}
