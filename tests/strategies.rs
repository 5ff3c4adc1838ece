//! The exported proptest strategies keep their promises, and with them the properties of the
//! rules: valid is valid, one violation is exactly its code, `validate` is the first of
//! `violations`, both wire forms round-trip, and neither parameter order nor tag spelling
//! changes a verdict.

use ecs_snapshot_rules::catalogue::Scope;
use ecs_snapshot_rules::request::TagSpelling;
use ecs_snapshot_rules::testing::strategy::{
    broken_query, broken_query_with, broken_request, broken_request_with, valid_request,
    REQUEST_CODES,
};
use ecs_snapshot_rules::{
    parse_json, parse_pairs, parse_query, validate, violations, ApiError, CreateSnapshotRequest,
    ErrorCode,
};
use proptest::prelude::*;

/// 256 cases a property, or `PROPTEST_CASES` for a longer campaign.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256)
}

/// The API's answer to a query string: the parse error's, or the verdict.
fn answer(query: &str) -> Result<(), ApiError> {
    let request = parse_query(query).map_err(|e| e.api_error().expect("an API request"))?;
    validate(&request)
}

/// The request with every tag spelled the current way.
fn current_spelling(request: &CreateSnapshotRequest<'static>) -> CreateSnapshotRequest<'static> {
    let mut request = request.clone();
    for tag in request.tags.iter_mut() {
        tag.key_spelling = TagSpelling::Current;
        tag.value_spelling = TagSpelling::Current;
    }
    request
}

/// An error with its tag parameter spelled the current way (`Tag.3.key` -> `Tag.3.Key`).
fn current_parameter(error: &ApiError) -> (u16, ErrorCode, String, Option<String>) {
    let parameter = error.parameter().map(|p| match p.rsplit_once('.') {
        Some((head, "key")) => format!("{head}.Key"),
        Some((head, "value")) => format!("{head}.Value"),
        _ => p.to_owned(),
    });
    (
        error.status(),
        error.code(),
        error.message().to_owned(),
        parameter,
    )
}

#[test]
fn every_code_a_request_alone_can_cause_has_a_strategy() {
    let request_scope: Vec<ErrorCode> = ErrorCode::ALL
        .iter()
        .copied()
        .filter(|code| code.scope() == Scope::Request)
        .collect();
    let mut listed = REQUEST_CODES.to_vec();
    listed.sort();
    let mut expected = request_scope.clone();
    expected.sort();
    assert_eq!(
        listed, expected,
        "REQUEST_CODES is the catalogue's request scope"
    );
    for &code in &request_scope {
        assert!(
            broken_query_with(code).is_some(),
            "no query strategy for {code:?}"
        );
        if code != ErrorCode::InvalidActionNotFound {
            assert!(
                broken_request_with(code).is_some(),
                "no strategy for {code:?}"
            );
        }
    }
    for &code in ErrorCode::ALL {
        if code.scope() != Scope::Request {
            assert!(
                broken_query_with(code).is_none(),
                "{code:?} is not a request's"
            );
            assert!(
                broken_request_with(code).is_none(),
                "{code:?} is not a request's"
            );
        }
    }
    assert!(broken_request_with(ErrorCode::InvalidActionNotFound).is_none());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn a_valid_request_is_valid(request in valid_request()) {
        prop_assert_eq!(validate(&request), Ok(()));
        prop_assert!(violations(&request).is_empty());
    }

    #[test]
    fn a_valid_request_round_trips_through_the_query_string_and_json(request in valid_request()) {
        prop_assert_eq!(&parse_query(&request.to_query()).unwrap().into_owned(), &request);
        prop_assert_eq!(&parse_json(&request.to_json()).unwrap().into_owned(), &request);
        prop_assert_eq!(&parse_pairs(request.to_pairs()).unwrap(), &request);
    }

    #[test]
    fn a_broken_request_round_trips_through_the_query_string_and_json(broken in broken_request()) {
        let request = broken.request;
        prop_assert_eq!(&parse_query(&request.to_query()).unwrap().into_owned(), &request);
        prop_assert_eq!(&parse_json(&request.to_json()).unwrap().into_owned(), &request);
    }

    #[test]
    fn one_violation_gives_exactly_its_error(broken in broken_request()) {
        let all = violations(&broken.request);
        prop_assert_eq!(validate(&broken.request), Err(broken.expected.clone()));
        prop_assert_eq!(all.first(), Some(&broken.expected));
        if broken.expected.code() != ErrorCode::QuotaExceedTags {
            // 21 tags need an N outside 1..=20, which is reported too.
            prop_assert_eq!(all.len(), 1);
        }
    }

    #[test]
    fn one_violation_on_the_wire_gives_exactly_its_answer((query, expected) in broken_query()) {
        prop_assert_eq!(answer(&query), Err(expected));
    }

    #[test]
    fn validate_is_the_first_of_violations(broken in broken_request(), also in broken_request()) {
        // Two violations at once (or one, when both break the same parameter).
        let mut request = broken.request;
        let other = also.request;
        request.snapshot_name = request.snapshot_name.or(other.snapshot_name);
        request.description = other.description.or(request.description);
        request.tags.extend(other.tags);
        prop_assert_eq!(validate(&request).err(), violations(&request).into_iter().next());
    }

    #[test]
    fn the_verdict_does_not_depend_on_parameter_or_tag_order(
        broken in prop_oneof![
            valid_request().prop_map(|request| (request, None)),
            broken_request().prop_map(|b| (b.request, Some(b.expected))),
        ],
        shuffle in any::<u64>(),
    ) {
        let (request, expected) = broken;
        let mut pairs: Vec<(String, String)> = request
            .to_pairs()
            .into_iter()
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect();
        // A deterministic shuffle (Fisher-Yates from a splitmix64 stream).
        let mut state = shuffle;
        for i in (1..pairs.len()).rev() {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            pairs.swap(i, (z % (i as u64 + 1)) as usize);
        }
        let shuffled = parse_pairs(pairs).unwrap();
        prop_assert_eq!(validate(&shuffled), expected.map_or(Ok(()), Err));
        prop_assert_eq!(violations(&shuffled), violations(&request));
        // The same request, but for the order of the parameters the API ignores.
        let mut a = shuffled;
        let mut b = request;
        a.other_parameters.sort();
        b.other_parameters.sort();
        prop_assert_eq!(a, b);
    }

    #[test]
    fn deprecated_and_current_tag_spellings_give_the_same_verdict(
        request in prop_oneof![valid_request(), broken_request().prop_map(|b| b.request)],
    ) {
        let current = current_spelling(&request);
        let theirs: Vec<_> = violations(&request).iter().map(current_parameter).collect();
        let ours: Vec<_> = violations(&current).iter().map(current_parameter).collect();
        prop_assert_eq!(theirs, ours);
    }
}

#[test]
fn the_strategies_reach_every_length_class() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let mut runner = TestRunner::deterministic();
    let strategy = valid_request();
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..400 {
        let request = strategy.new_tree(&mut runner).unwrap().current();
        let chars = |t: &Option<std::borrow::Cow<str>>| t.as_deref().map(|t| t.chars().count());
        if let Some(n) = chars(&request.snapshot_name) {
            seen.insert(("name", n.min(3), n == 128));
        }
        if let Some(n) = chars(&request.description) {
            seen.insert(("description", n.min(3), n == 256));
            if request
                .description
                .as_ref()
                .unwrap()
                .chars()
                .any(|c| c.len_utf8() == 4)
            {
                seen.insert(("astral", 0, true));
            }
        }
        if let Some(n) = chars(&request.client_token) {
            seen.insert(("token", n.min(1), n == 64));
        }
        seen.insert(("tags", request.tags.len().min(1), request.tags.len() == 20));
        for tag in request.tags.iter() {
            seen.insert((
                "key",
                chars(&tag.key).unwrap().min(2),
                chars(&tag.key) == Some(128),
            ));
            if tag.key_spelling == TagSpelling::Deprecated {
                seen.insert(("deprecated", 0, true));
            }
        }
    }
    for class in [
        ("name", 2, false),
        ("name", 3, false),
        ("name", 3, true),
        ("description", 2, false),
        ("description", 3, true),
        ("astral", 0, true),
        ("token", 0, false),
        ("token", 1, true),
        ("tags", 0, false),
        ("tags", 1, true),
        ("key", 1, false),
        ("key", 2, true),
        ("deprecated", 0, true),
    ] {
        assert!(seen.contains(&class), "never drawn: {class:?}");
    }
}

/// The valid requests hold what the current reference accepts and the earlier revision
/// refused (D221 to D225): Category in lower case, Category beside InstantAccess=false,
/// InstantAccessRetentionDays out of its range without InstantAccess=true, names with
/// periods and letters beyond ASCII.
#[test]
fn the_valid_requests_reach_what_the_current_reference_accepts() {
    use ecs_snapshot_rules::request::{Parameter, Value};
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let mut runner = TestRunner::deterministic();
    let strategy = valid_request();
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..600 {
        let request = strategy.new_tree(&mut runner).unwrap().current();
        assert_eq!(validate(&request), Ok(()));
        let query = request.to_query();
        if query.contains("Category=") && request.instant_access.is_some() {
            seen.insert("category beside instant access");
        }
        if let Some(Value::Integer(days)) = request.get(Parameter::InstantAccessRetentionDays) {
            if !request.wants_instant_access() && !days.is_ok_and(|d| (1..=65535).contains(&d)) {
                seen.insert("retention days unjudged");
            }
        }
        if let Some(name) = request.snapshot_name.as_deref() {
            if name.contains('.') {
                seen.insert("name with a period");
            }
            if name.chars().any(|c| ('\u{4e00}'..='\u{9fa5}').contains(&c)) {
                seen.insert("Chinese name");
            }
            if name.starts_with(|c: char| !c.is_ascii()) {
                seen.insert("name starting beyond ASCII");
            }
        }
    }
    for class in [
        "category beside instant access",
        "retention days unjudged",
        "name with a period",
        "Chinese name",
        "name starting beyond ASCII",
    ] {
        assert!(seen.contains(class), "never drawn: {class}");
    }
}
