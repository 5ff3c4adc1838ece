//! Valid values, drawn from the constraint the parameter table declares for each parameter:
//! a parameter added to the table is drawn without more ado.

use std::borrow::Cow;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

use super::breaking::breaking_value;
use super::text::{any_char, defuse_prefixes, defuse_urls, text_of, DUPLICATE_MARK};
use crate::request::{
    CreateSnapshotRequest, Parameter, Rule, Tag, TagSpelling, TextFormat, Value, COMMON_PARAMETERS,
    MAX_TAGS,
};

/// A valid value of `parameter` as wire text, drawn from its rule. The tag fields are drawn
/// by [`tags`] instead.
pub(super) fn value(parameter: Parameter) -> BoxedStrategy<String> {
    match parameter.rule() {
        Rule::Required => prop_oneof![
            3 => "d-[a-z0-9]{1,20}",
            1 => text_of(any_char(), 1, 30).prop_map(|c| c.into_iter().collect()),
        ]
        .boxed(),
        Rule::Text { min, max, format } => text(min, max, format),
        Rule::Integer { min, max } => prop_oneof![Just(min), Just(max), min..=max]
            .prop_map(|n| n.to_string())
            .boxed(),
        Rule::Boolean => any::<bool>().prop_map(|b| b.to_string()).boxed(),
        // In any ASCII letter case (D221): as spelled, in lower case (the Terraform
        // provider's), or in upper case.
        Rule::OneOf(values) => (select(values), 0..3u8)
            .prop_map(|(value, case)| match case {
                0 => value.to_owned(),
                1 => value.to_ascii_lowercase(),
                _ => value.to_ascii_uppercase(),
            })
            .boxed(),
        Rule::Unchecked => text_of(any_char(), 0, 20)
            .prop_map(|c| c.into_iter().collect())
            .boxed(),
        // Valid whether the flag is true or not; [`request`] draws values the rule would
        // refuse where the flag is not true.
        Rule::WhenTrue { rule, .. } => value_of_rule(*rule),
    }
}

/// A valid value of a parameter whose rule is `rule` (not a tag field).
fn value_of_rule(rule: Rule) -> BoxedStrategy<String> {
    match rule {
        Rule::Integer { min, max } => prop_oneof![Just(min), Just(max), min..=max]
            .prop_map(|n| n.to_string())
            .boxed(),
        Rule::Text { min, max, format } => text(min, max, format),
        Rule::Boolean => any::<bool>().prop_map(|b| b.to_string()).boxed(),
        Rule::Required | Rule::OneOf(_) | Rule::Unchecked | Rule::WhenTrue { .. } => {
            text_of(any_char(), 0, 20)
                .prop_map(|c| c.into_iter().collect())
                .boxed()
        }
    }
}

/// A letter of a script that a SnapshotName may start with (D224), drawn from ranges that
/// hold letters only: English, Chinese (CJK Unified Ideographs), Latin-1, Cyrillic,
/// Hiragana and Hangul syllables. Drawn from fixed ranges, not by asking the rules.
fn letter() -> BoxedStrategy<char> {
    prop_oneof![
        4 => proptest::char::range('a', 'z'),
        2 => proptest::char::range('A', 'Z'),
        2 => proptest::char::range('\u{4e00}', '\u{9fa5}'),
        1 => proptest::char::range('\u{e0}', '\u{f6}'),
        1 => proptest::char::range('\u{430}', '\u{44f}'),
        1 => proptest::char::range('\u{3041}', '\u{3096}'),
        1 => proptest::char::range('\u{ac00}', '\u{d7a3}'),
    ]
    .boxed()
}

/// Text of `min` to `max` characters in `format`.
pub(super) fn text(min: usize, max: usize, format: TextFormat) -> BoxedStrategy<String> {
    match format {
        TextFormat::Any => text_of(any_char(), min, max)
            .prop_map(|chars| chars.into_iter().collect())
            .boxed(),
        TextFormat::Ascii => text_of(proptest::char::range('\0', '\u{7f}'), min, max)
            .prop_map(|chars| chars.into_iter().collect())
            .boxed(),
        TextFormat::NoUrlPrefix => text_of(any_char(), min, max)
            .prop_map(|mut chars| {
                defuse_prefixes(&mut chars, &["http://", "https://"]);
                chars.into_iter().collect()
            })
            .boxed(),
        TextFormat::SnapshotName => {
            let rest = prop_oneof![
                12 => letter(),
                4 => proptest::char::range('0', '9'),
                1 => Just(':'),
                1 => Just('_'),
                1 => Just('.'),
                1 => Just('-'),
            ];
            (letter(), text_of(rest, min.saturating_sub(1), max - 1))
                .prop_map(|(first, rest)| {
                    let mut chars: Vec<char> = std::iter::once(first).chain(rest).collect();
                    defuse_prefixes(&mut chars, &["auto"]);
                    chars.into_iter().collect()
                })
                .boxed()
        }
        // Not starting with `x-`: the oracle's own tags use that prefix, so that a broken
        // request never repeats a key by chance.
        TextFormat::TagKey => text_of(any_char(), min, max)
            .prop_map(|mut chars| {
                defuse_urls(&mut chars);
                defuse_prefixes(&mut chars, &["acs:", "aliyun", "x-"]);
                chars.into_iter().collect()
            })
            .boxed(),
        // `acs:` is allowed at the start of a value now (D225).
        TextFormat::TagValue => text_of(any_char(), min, max)
            .prop_map(|mut chars| {
                defuse_urls(&mut chars);
                chars.into_iter().collect()
            })
            .boxed(),
    }
}

/// The text rule of a tag field.
fn tag_text(parameter: Parameter) -> BoxedStrategy<String> {
    match parameter.rule() {
        Rule::Text { min, max, format } => text(min, max, format),
        _ => value(parameter),
    }
}

fn spelling() -> BoxedStrategy<TagSpelling> {
    prop_oneof![3 => Just(TagSpelling::Current), 1 => Just(TagSpelling::Deprecated)].boxed()
}

/// 0 to 20 tags, with distinct N in 1..=20 (ascending) and distinct keys.
pub(super) fn tags() -> impl Strategy<Value = Vec<Tag<'static>>> {
    let tag = (
        tag_text(Parameter::TagKey),
        proptest::option::weighted(0.8, tag_text(Parameter::TagValue)),
        spelling(),
        spelling(),
    );
    let all: Vec<u32> = (1..=MAX_TAGS as u32).collect();
    let indices = prop_oneof![
        // N = 1, 2, 3, ... as SDKs number them.
        (0..=MAX_TAGS).prop_map(|n| (1..=n as u32).collect::<Vec<_>>()),
        // Any N in 1..=20, with gaps.
        proptest::sample::subsequence(all, 0..=MAX_TAGS),
    ];
    indices
        .prop_flat_map(move |indices| {
            let n = indices.len();
            (Just(indices), vec(tag.clone(), n))
        })
        .prop_map(|(indices, drawn)| {
            let mut tags: Vec<Tag<'static>> = Vec::with_capacity(indices.len());
            for (index, (key, value, key_spelling, value_spelling)) in
                indices.into_iter().zip(drawn)
            {
                // A key drawn twice is replaced by one no draw makes: a private-use character.
                let key = if tags.iter().any(|t| t.key.as_deref() == Some(&*key)) {
                    format!("{DUPLICATE_MARK}{index}")
                } else {
                    key
                };
                let value_spelling = if value.is_some() {
                    value_spelling
                } else {
                    TagSpelling::Current
                };
                tags.push(Tag {
                    index,
                    key: Some(key.into()),
                    value: value.map(Cow::Owned),
                    key_spelling,
                    value_spelling,
                });
            }
            tags
        })
}

/// Parameters the API ignores: common ones, and names it does not know.
pub(super) fn other_parameters() -> impl Strategy<Value = Vec<(String, String)>> {
    let name = prop_oneof![
        select(COMMON_PARAMETERS).prop_map(str::to_owned),
        "(X|Unknown|Tag\\.0[1-9]\\.Key)[A-Za-z0-9]{0,6}",
    ];
    let value = text_of(any_char(), 0, 12).prop_map(|c| c.into_iter().collect::<String>());
    vec((name, value), 0..3)
}

/// A parameter of the table, its valid value if present, and the value it holds instead
/// where its rule is not judged ([`Rule::WhenTrue`] with the flag not true).
type Drawn = (Parameter, Option<String>, Option<String>);

/// A valid request: every parameter of the table present or absent (`DiskId` always), each
/// drawn from its rule, lengths at their bounds and between, Unicode text, 0 to 20 tags in
/// both spellings, common and unknown parameters; never a parameter beside the boolean true
/// it excludes; and a parameter judged only while a flag is true ([`Rule::WhenTrue`]) often
/// out of its rule where the flag is not true.
pub(super) fn request() -> BoxedStrategy<CreateSnapshotRequest<'static>> {
    let scalars: Vec<BoxedStrategy<Drawn>> = Parameter::ALL
        .iter()
        .copied()
        .filter(|parameter| !parameter.is_tag())
        .map(|parameter| {
            let drawn = match parameter.rule() {
                Rule::Required => value(parameter).prop_map(Some).boxed(),
                Rule::Unchecked => proptest::option::weighted(0.3, value(parameter)).boxed(),
                _ => proptest::option::of(value(parameter)).boxed(),
            };
            // What the parameter holds instead where its flag is not true.
            let unjudged = match breaking_value(parameter) {
                Some(values) => proptest::option::of(values).boxed(),
                None => Just(None).boxed(),
            };
            (drawn, unjudged)
                .prop_map(move |(value, unjudged)| (parameter, value, unjudged))
                .boxed()
        })
        .collect();
    (scalars, tags(), other_parameters(), any::<bool>())
        .prop_map(|(scalars, tags, other_parameters, keep_category)| {
            let mut request = CreateSnapshotRequest::default();
            for (parameter, value, _) in &scalars {
                if let Some(value) = value {
                    request.set(*parameter, value.clone());
                }
            }
            exclude_one_of_each_pair(&mut request, keep_category);
            for (parameter, value, unjudged) in scalars {
                if let (Rule::WhenTrue { flag, .. }, Some(_), Some(unjudged)) =
                    (parameter.rule(), value, unjudged)
                {
                    if !matches!(request.get(flag), Some(Value::Boolean(Ok(true)))) {
                        request.set(parameter, unjudged);
                    }
                }
            }
            request.tags = tags.into_iter().collect();
            request.other_parameters = other_parameters
                .into_iter()
                .map(|(name, value)| (Cow::Owned(name), Cow::Owned(value)))
                .collect();
            request
        })
        .boxed()
}

/// The parameters that may not come together: the first may not come beside the second
/// being the boolean true (`Category` with `InstantAccess=true`, D222). One of each pair is
/// dropped, the first when `first` is false.
pub(super) const EXCLUSIVE: &[(Parameter, Parameter)] =
    &[(Parameter::Category, Parameter::InstantAccess)];

fn exclude_one_of_each_pair(request: &mut CreateSnapshotRequest<'_>, first: bool) {
    for &(a, b) in EXCLUSIVE {
        let b_true = matches!(request.get(b), Some(Value::Boolean(Ok(true))));
        if request.get(a).is_some() && b_true {
            request.remove(if first { b } else { a });
        }
    }
}
