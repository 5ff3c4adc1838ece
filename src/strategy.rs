//! [Proptest](https://docs.rs/proptest) strategies (cargo feature `proptest`): valid
//! requests over the whole documented space, and for every error code a request alone can
//! cause, requests broken in exactly that one way together with the answer the API must give.
//! Point them at your own server and compare.
//!
//! ```
//! use ecs_snapshot_rules::strategy::{broken_query, valid_request};
//! use ecs_snapshot_rules::{parse_query, validate, ApiError};
//! use proptest::prelude::*;
//! use proptest::test_runner::TestRunner;
//!
//! // Your server: takes a query string, answers Ok (a snapshot) or an error. Here it is
//! // this crate; in your tests it is an HTTP call to the server under test.
//! let your_server = |query: &str| -> Result<(), ApiError> {
//!     let request = parse_query(query).map_err(|e| e.api_error().expect("an API request"))?;
//!     validate(&request)
//! };
//!
//! let mut runner = TestRunner::default();
//! // Every valid request is accepted...
//! runner.run(&valid_request(), |request| {
//!     prop_assert_eq!(your_server(&request.to_query()), Ok(()));
//!     Ok(())
//! }).unwrap();
//! // ...and every broken one gets exactly its status, code, message.
//! runner.run(&broken_query(), |(query, expected)| {
//!     let answer = your_server(&query).unwrap_err();
//!     prop_assert_eq!((answer.status(), answer.code(), answer.message()),
//!                     (expected.status(), expected.code(), expected.message()));
//!     Ok(())
//! }).unwrap();
//! ```
//!
//! [`broken_request_with`] and [`broken_query_with`] give the strategy of one code, for a
//! test a code; [`REQUEST_CODES`] lists the codes, which are exactly the catalogue's rows of
//! [`Scope::Request`](crate::Scope::Request).
//!
//! The strategies are built independently of the rules they test: a valid request is made
//! valid by construction, and a broken one is a valid one with one value replaced by a value
//! of a class the spec forbids. Length classes: for each text parameter the bounds and values
//! between them (valid), and empty, one character, the maximum plus one and longer (broken,
//! where the spec forbids them); text mixes ASCII, two- and three-byte characters, characters
//! outside the Basic Multilingual Plane and any other Unicode scalar value.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

use crate::encode::percent_encode;
use crate::oracle::{
    add_bad_tag_key, add_bad_tag_value, extra_tag, free_index, set_category_text, set_client_token,
    set_description, set_instant_access_retention_days, set_instant_access_text,
    set_retention_days, set_snapshot_name, Broken, Defect,
};
use crate::{
    ApiError, CreateSnapshotRequest, ErrorCode, SnapshotCategory, Tag, TagSpelling, Typed,
    COMMON_PARAMETERS,
};

/// Every code a request alone can cause, each with a strategy here: the catalogue's rows of
/// [`Scope::Request`](crate::Scope::Request).
pub const REQUEST_CODES: &[ErrorCode] = &[
    ErrorCode::InvalidSnapshotNameMalformed,
    ErrorCode::InvalidDescriptionMalformed,
    ErrorCode::DuplicateTagKey,
    ErrorCode::InvalidTagKeyMalformed,
    ErrorCode::InvalidTagValueMalformed,
    ErrorCode::QuotaExceedTags,
    ErrorCode::MissingParameter,
    ErrorCode::InvalidRetentionDaysMalformed,
    ErrorCode::InvalidInstantAccessRetentionDaysMalformed,
    ErrorCode::InvalidSnapshotCategoryMalformed,
    ErrorCode::InvalidCategoryAndInstantAccessMalformed,
    ErrorCode::InvalidClientTokenMalformed,
    ErrorCode::InvalidParameter,
    ErrorCode::InvalidActionNotFound,
];

// ----- Text -----

/// One character: ASCII most often, then two-, three- and four-byte ones, then any. Drawn
/// as one number (cheap to generate and to shrink: towards ASCII).
fn any_char() -> BoxedStrategy<char> {
    any::<u32>().prop_map(char_of).boxed()
}

/// The character a drawn number stands for.
fn char_of(n: u32) -> char {
    let (class, rest) = (n % 12, n / 12);
    let in_range = |low: u32, high: u32| char::from_u32(low + rest % (high - low + 1));
    let c = match class {
        0..=5 => in_range(0x20, 0x7e),
        6 | 7 => in_range(0xa0, 0x7ff),
        8 | 9 => in_range(0x4e00, 0x9fff),
        10 => in_range(0x1f300, 0x1f64f),
        // Any scalar value but the surrogates and the duplicate mark.
        _ => char::from_u32(rest % 0x11_0000).filter(|&c| c != DUPLICATE_MARK),
    };
    c.unwrap_or('?')
}

/// What a replaced duplicate tag key starts with (never drawn otherwise).
const DUPLICATE_MARK: char = '\u{e000}';

/// A length: `min`, `max`, or one between.
fn length(min: usize, max: usize) -> impl Strategy<Value = usize> {
    prop_oneof![1 => Just(min), 1 => Just(max), 3 => min..=max]
}

/// Text of `min` to `max` characters drawn from `chars`.
fn text_of(
    chars: impl Strategy<Value = char> + Clone,
    min: usize,
    max: usize,
) -> impl Strategy<Value = Vec<char>> {
    length(min, max).prop_flat_map(move |n| vec(chars.clone(), n))
}

/// Breaks every `://` in place (`:|/`), so that the text holds no URL.
fn defuse_urls(chars: &mut [char]) {
    for i in 0..chars.len().saturating_sub(2) {
        if chars[i] == ':' && chars[i + 1] == '/' && chars[i + 2] == '/' {
            chars[i + 1] = '|';
        }
    }
}

/// Upper-cases the first character when the text starts with a forbidden prefix (the rules
/// are case-sensitive, D7).
fn defuse_prefixes(chars: &mut [char], prefixes: &[&str]) {
    let text: String = chars.iter().collect();
    if prefixes.iter().any(|prefix| text.starts_with(prefix)) {
        chars[0] = chars[0].to_ascii_uppercase();
    }
}

// ----- Valid requests -----

fn snapshot_name() -> BoxedStrategy<String> {
    let letter = prop_oneof![
        proptest::char::range('a', 'z'),
        proptest::char::range('A', 'Z')
    ];
    let rest = prop_oneof![
        8 => proptest::char::range('a', 'z'),
        4 => proptest::char::range('A', 'Z'),
        4 => proptest::char::range('0', '9'),
        1 => Just(':'),
        1 => Just('_'),
        1 => Just('-'),
    ];
    (letter, text_of(rest, 1, 127))
        .prop_map(|(first, rest)| {
            let mut chars: Vec<char> = std::iter::once(first).chain(rest).collect();
            defuse_prefixes(&mut chars, &["auto"]);
            chars.into_iter().collect()
        })
        .boxed()
}

fn description() -> BoxedStrategy<String> {
    text_of(any_char(), 2, 256)
        .prop_map(|mut chars| {
            defuse_prefixes(&mut chars, &["http://", "https://"]);
            chars.into_iter().collect()
        })
        .boxed()
}

fn client_token() -> BoxedStrategy<String> {
    text_of(proptest::char::range('\0', '\u{7f}'), 0, 64)
        .prop_map(|c| c.into_iter().collect())
        .boxed()
}

/// A tag key: 1 to 128 characters, no forbidden prefix, no URL, and not starting with `x-`
/// (the oracle's own tags use that prefix, so a broken request never repeats a key by
/// chance).
fn tag_key() -> BoxedStrategy<String> {
    text_of(any_char(), 1, 128)
        .prop_map(|mut chars| {
            defuse_urls(&mut chars);
            defuse_prefixes(&mut chars, &["acs:", "aliyun", "x-"]);
            chars.into_iter().collect()
        })
        .boxed()
}

fn tag_value() -> BoxedStrategy<String> {
    text_of(any_char(), 0, 128)
        .prop_map(|mut chars| {
            defuse_urls(&mut chars);
            defuse_prefixes(&mut chars, &["acs:"]);
            chars.into_iter().collect()
        })
        .boxed()
}

fn spelling() -> BoxedStrategy<TagSpelling> {
    prop_oneof![3 => Just(TagSpelling::Current), 1 => Just(TagSpelling::Deprecated)].boxed()
}

/// 0 to 20 tags, with distinct N in 1..=20 (ascending) and distinct keys.
fn tags() -> impl Strategy<Value = Vec<Tag>> {
    let tag = (
        tag_key(),
        proptest::option::weighted(0.8, tag_value()),
        spelling(),
        spelling(),
    );
    let indices = prop_oneof![
        // N = 1, 2, 3, ... as SDKs number them.
        (0usize..=20).prop_map(|n| (1..=n as u32).collect::<Vec<_>>()),
        // Any N in 1..=20, with gaps.
        proptest::sample::subsequence((1..=20u32).collect::<Vec<_>>(), 0..=20),
    ];
    indices
        .prop_flat_map(move |indices| {
            let n = indices.len();
            (Just(indices), vec(tag.clone(), n))
        })
        .prop_map(|(indices, drawn)| {
            let mut tags: Vec<Tag> = Vec::with_capacity(indices.len());
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
                    key: Some(key),
                    value,
                    key_spelling,
                    value_spelling,
                });
            }
            tags
        })
}

/// Parameters the API ignores: common ones, and names it does not know.
fn other_parameters() -> impl Strategy<Value = Vec<(String, String)>> {
    let name = prop_oneof![
        select(COMMON_PARAMETERS).prop_map(str::to_owned),
        "(X|Unknown|Tag\\.0[1-9]\\.Key)[A-Za-z0-9]{0,6}",
    ];
    let value = text_of(any_char(), 0, 12).prop_map(|c| c.into_iter().collect::<String>());
    vec((name, value), 0..3)
}

/// `Category` or `InstantAccess` (never both), or neither.
fn category_or_instant_access(
) -> impl Strategy<Value = (Option<Typed<SnapshotCategory>>, Option<Typed<bool>>)> {
    prop_oneof![
        2 => Just((None, None)),
        1 => select(&[SnapshotCategory::Standard, SnapshotCategory::Flash][..])
            .prop_map(|c| (Some(Typed::Value(c)), None)),
        1 => any::<bool>().prop_map(|b| (None, Some(Typed::Value(b)))),
    ]
}

fn days(max: i64) -> impl Strategy<Value = Option<Typed<i64>>> {
    proptest::option::of(prop_oneof![Just(1), Just(max), 1..=max].prop_map(Typed::Value))
}

/// A valid request: every optional parameter present or absent, lengths at their bounds and
/// between, Unicode text, 0 to 20 tags in both spellings (numbered 1, 2, 3, ... or with
/// gaps), common and unknown parameters, Category or InstantAccess.
pub fn valid_request() -> BoxedStrategy<CreateSnapshotRequest> {
    let disk_id = prop_oneof![
        3 => "d-[a-z0-9]{1,20}",
        1 => text_of(any_char(), 1, 30).prop_map(|c| c.into_iter().collect()),
    ];
    let texts = (
        disk_id,
        proptest::option::of(snapshot_name()),
        proptest::option::of(description()),
        proptest::option::of(client_token()),
        proptest::option::weighted(0.3, text_of(any_char(), 0, 20)),
    );
    let typed = (days(65536), category_or_instant_access(), days(65535));
    (texts, typed, tags(), other_parameters())
        .prop_map(
            |(
                (disk_id, snapshot_name, description, client_token, resource_group_id),
                (retention_days, (category, instant_access), instant_access_retention_days),
                tags,
                other_parameters,
            )| CreateSnapshotRequest {
                disk_id: Some(disk_id),
                snapshot_name,
                description,
                retention_days,
                category,
                client_token,
                tags,
                resource_group_id: resource_group_id.map(|c| c.into_iter().collect()),
                instant_access,
                instant_access_retention_days,
                other_parameters,
            },
        )
        .boxed()
}

// ----- Broken requests -----

/// Text not spelling an `i64` as the API reads one: empty, words, fractions, and integers
/// beyond 64 bits.
fn not_an_integer() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-zA-Z][a-zA-Z0-9]{0,8}",
        "-?[0-9]{1,4}\\.[0-9]{1,4}",
        "-?[1-9][0-9]{19,30}",
        " [0-9]{1,3}",
    ]
}

/// Applies `break_with` (one of the oracle's setters) to a valid request and a drawn value.
fn family<V: std::fmt::Debug + Clone + 'static>(
    values: impl Strategy<Value = V> + 'static,
    break_with: fn(&mut CreateSnapshotRequest, V) -> ApiError,
) -> BoxedStrategy<Broken> {
    (valid_request(), values)
        .prop_map(move |(mut request, value)| {
            let expected = break_with(&mut request, value);
            Broken { request, expected }
        })
        .boxed()
}

fn string_of(
    chars: impl Strategy<Value = char> + 'static,
    min: usize,
    max: usize,
) -> BoxedStrategy<String> {
    vec(chars, min..=max)
        .prop_map(|c| c.into_iter().collect())
        .boxed()
}

/// The strategies of generated values, by code; `Defect`s add fixed ones.
fn families(code: ErrorCode) -> Vec<BoxedStrategy<Broken>> {
    use ErrorCode::*;
    let name_char = prop_oneof![
        proptest::char::range('a', 'z'),
        proptest::char::range('0', '9'),
        Just('-')
    ];
    match code {
        InvalidSnapshotNameMalformed => vec![family(
            prop_oneof![
                Just(String::new()),
                "[a-zA-Z]",
                ("[a-zA-Z]", string_of(name_char.clone(), 128, 160)).prop_map(|(a, b)| a + &b),
                ("[0-9:_-]", string_of(name_char.clone(), 1, 20)).prop_map(|(a, b)| a + &b),
                (
                    "[a-z]{1,5}",
                    any_char().prop_filter("outside the name's alphabet", |c| {
                        !(c.is_ascii_alphanumeric() || matches!(c, ':' | '_' | '-'))
                    }),
                    "[a-z]{0,5}"
                )
                    .prop_map(|(a, c, b)| format!("{a}{c}{b}")),
                ("auto", string_of(name_char.clone(), 0, 20)).prop_map(|(a, b)| a.to_owned() + &b),
                ("https?://", string_of(name_char, 0, 20)).prop_map(|(a, b)| a + &b),
            ],
            set_snapshot_name,
        )],
        InvalidDescriptionMalformed => vec![family(
            prop_oneof![
                Just(String::new()),
                string_of(any_char(), 1, 1),
                string_of(any_char(), 257, 300),
                ("https?://", string_of(any_char(), 0, 40)).prop_map(|(a, b)| a + &b),
            ],
            set_description,
        )],
        InvalidRetentionDaysMalformed => vec![family(
            prop_oneof![
                (i64::MIN..=0).prop_map(Typed::Value),
                Just(Typed::Value(0)),
                Just(Typed::Value(65537)),
                (65537..=i64::MAX).prop_map(Typed::Value),
                not_an_integer().prop_map(Typed::Unparsable),
            ],
            set_retention_days,
        )],
        InvalidInstantAccessRetentionDaysMalformed => vec![family(
            prop_oneof![
                (i64::MIN..=0).prop_map(Typed::Value),
                Just(Typed::Value(0)),
                Just(Typed::Value(65536)),
                (65536..=i64::MAX).prop_map(Typed::Value),
                not_an_integer().prop_map(Typed::Unparsable),
            ],
            set_instant_access_retention_days,
        )],
        InvalidSnapshotCategoryMalformed => vec![family(
            string_of(any_char(), 0, 10).prop_filter("not a category", |t| {
                SnapshotCategory::from_wire(t).is_none()
            }),
            set_category_text,
        )],
        InvalidParameter => vec![family(
            string_of(any_char(), 0, 8).prop_filter("not a boolean", |t| {
                !t.eq_ignore_ascii_case("true") && !t.eq_ignore_ascii_case("false")
            }),
            set_instant_access_text,
        )],
        InvalidClientTokenMalformed => vec![family(
            prop_oneof![
                string_of(proptest::char::range('\0', '\u{7f}'), 65, 100),
                (
                    string_of(proptest::char::range('!', '~'), 0, 30),
                    any_char().prop_filter("not ASCII", |c| !c.is_ascii()),
                    string_of(proptest::char::range('!', '~'), 0, 30),
                )
                    .prop_map(|(a, c, b)| format!("{a}{c}{b}")),
            ],
            set_client_token,
        )],
        InvalidTagKeyMalformed => vec![family(
            (
                prop_oneof![
                    string_of(any_char(), 129, 160),
                    ("acs:", string_of(any_char(), 0, 20)).prop_map(|(a, b)| a.to_owned() + &b),
                    ("aliyun", string_of(any_char(), 0, 20)).prop_map(|(a, b)| a.to_owned() + &b),
                    (
                        string_of(any_char(), 0, 10),
                        "https?://",
                        string_of(any_char(), 0, 10)
                    )
                        .prop_map(|(a, s, b)| a + &s + &b),
                ],
                spelling(),
            ),
            |request, (key, spelling)| {
                let mut tag = extra_tag(free_index(request), "");
                tag.key = Some(key);
                tag.key_spelling = spelling;
                add_bad_tag_key(request, tag)
            },
        )],
        InvalidTagValueMalformed => vec![family(
            (
                prop_oneof![
                    string_of(any_char(), 129, 160),
                    ("acs:", string_of(any_char(), 0, 20)).prop_map(|(a, b)| a.to_owned() + &b),
                    (
                        string_of(any_char(), 0, 10),
                        "https?://",
                        string_of(any_char(), 0, 10)
                    )
                        .prop_map(|(a, s, b)| a + &s + &b),
                ],
                spelling(),
            ),
            |request, (value, spelling)| {
                let mut tag = extra_tag(free_index(request), "x-value");
                tag.value = Some(value);
                tag.value_spelling = spelling;
                add_bad_tag_value(request, tag)
            },
        )],
        _ => Vec::new(),
    }
}

/// The defects whose error has `code`.
fn defects_with(code: ErrorCode) -> Vec<Defect> {
    let base = CreateSnapshotRequest::new("d-1");
    Defect::ALL
        .iter()
        .copied()
        .filter(|defect| defect.apply(&base).expected.code() == code)
        .collect()
}

/// Requests broken in exactly one way that gives `code`, each with the error
/// [`validate`](crate::validate) must return; `None` for a code a request alone cannot cause,
/// and for `InvalidAction.NotFound`, which only the wire can carry ([`broken_query_with`]).
pub fn broken_request_with(code: ErrorCode) -> Option<BoxedStrategy<Broken>> {
    let mut all = families(code);
    let defects = defects_with(code);
    if !defects.is_empty() {
        all.push(
            (valid_request(), select(defects))
                .prop_map(|(request, defect)| defect.apply(&request))
                .boxed(),
        );
    }
    match all.len() {
        0 => None,
        _ => Some(proptest::strategy::Union::new(all).boxed()),
    }
}

/// Requests broken in exactly one documented way, any of them, each with its error.
pub fn broken_request() -> BoxedStrategy<Broken> {
    let all: Vec<_> = REQUEST_CODES
        .iter()
        .filter_map(|&code| broken_request_with(code))
        .collect();
    proptest::strategy::Union::new(all).boxed()
}

/// A valid request's query string, broken on the wire: `Action` is not `CreateSnapshot`.
fn wrong_action() -> BoxedStrategy<(String, ApiError)> {
    let action =
        string_of(any_char(), 0, 16).prop_filter("not CreateSnapshot", |a| a != "CreateSnapshot");
    (valid_request(), action)
        .prop_map(|(request, action)| {
            let mut pairs = request.to_pairs();
            pairs[0].1 = action;
            (
                query_of(&pairs),
                ApiError::new(ErrorCode::InvalidActionNotFound).with_parameter("Action"),
            )
        })
        .boxed()
}

/// A valid request's query string, broken on the wire in one parameter (not `Action`):
/// given twice, a bad percent-escape, or bytes that are not UTF-8 once decoded.
fn wire_invalid_parameter() -> BoxedStrategy<(String, ApiError)> {
    (valid_request(), any::<prop::sample::Index>(), 0..4usize)
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
            let (name, _) = &pairs[at];
            let mut query = query_of(&pairs[..at]);
            let tail = query_of(&pairs[at + 1..]);
            let encoded = query_of(&pairs[at..=at]);
            let expected_name = match how {
                // Repeated: the later one is refused; a tag parameter is named in its
                // current spelling (D9).
                0 => {
                    query = query_of(&pairs);
                    query.push('&');
                    query.push_str(&encoded);
                    return (query, ApiError::invalid_parameter(repeated_name(name)));
                }
                _ => name.clone(),
            };
            let bad = match how {
                1 => "%G1",
                2 => "%4",
                _ => "%FF",
            };
            query.push_str(if query.is_empty() { "" } else { "&" });
            query.push_str(&encoded);
            query.push_str(bad);
            if !tail.is_empty() {
                query.push('&');
                query.push_str(&tail);
            }
            (query, ApiError::invalid_parameter(expected_name))
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

/// Pairs as a query string, percent-encoded as [`CreateSnapshotRequest::to_query`] does.
fn query_of(pairs: &[(String, String)]) -> String {
    let mut out = String::new();
    for (name, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        percent_encode(name, &mut out);
        out.push('=');
        percent_encode(value, &mut out);
    }
    out
}

/// Query strings broken in exactly one way that gives `code`, on the wire or in the request,
/// each with the API's answer; `None` for a code a request alone cannot cause.
pub fn broken_query_with(code: ErrorCode) -> Option<BoxedStrategy<(String, ApiError)>> {
    let mut all: Vec<BoxedStrategy<(String, ApiError)>> = Vec::new();
    if let Some(requests) = broken_request_with(code) {
        all.push(
            requests
                .prop_map(|broken| (broken.request.to_query(), broken.expected))
                .boxed(),
        );
    }
    match code {
        ErrorCode::InvalidActionNotFound => all.push(wrong_action()),
        ErrorCode::InvalidParameter => all.push(wire_invalid_parameter()),
        _ => {}
    }
    match all.len() {
        0 => None,
        _ => Some(proptest::strategy::Union::new(all).boxed()),
    }
}

/// Query strings broken in exactly one documented way, any of them, each with the API's
/// answer.
pub fn broken_query() -> BoxedStrategy<(String, ApiError)> {
    let all: Vec<_> = REQUEST_CODES
        .iter()
        .filter_map(|&code| broken_query_with(code))
        .collect();
    proptest::strategy::Union::new(all).boxed()
}
