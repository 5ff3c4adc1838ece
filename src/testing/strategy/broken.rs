//! Requests broken in one documented way: a valid request with one value that breaks its
//! parameter's rule, and requests broken on the wire.

use std::borrow::Cow;

use proptest::prelude::*;

use super::breaking::breaking_value;
use super::text::{any_char, string_of};
use super::valid::{self, EXCLUSIVE};
use crate::catalogue::{ApiError, ErrorCode};
use crate::request::{CreateSnapshotRequest, Parameter, Rule, Tag};
use crate::testing::oracle::{
    add_bad_tag_key, add_bad_tag_value, expected_refusal, extra_tag, free_index, Broken,
};
use crate::wire::percent;

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
