//! Invariants over generated requests: round trips through every wire format, the two
//! verdict modes agreeing, the oracle's promises, and no panic on any input.

use ecs_snapshot_rules::catalogue::Scope;
use ecs_snapshot_rules::request::Typed;
use ecs_snapshot_rules::testing::oracle::{valid_request, Defect};
use ecs_snapshot_rules::{
    parse_json, parse_pairs, parse_query, parse_request, validate, violations,
    CreateSnapshotRequest, ErrorCode,
};
use proptest::prelude::*;

/// The JSON object of a request, in the flat wire shape.
fn to_flat_json(request: &CreateSnapshotRequest) -> String {
    let map: serde_json::Map<String, serde_json::Value> = request
        .to_pairs()
        .into_iter()
        .map(|(k, v)| (k.into_owned(), serde_json::Value::String(v.into_owned())))
        .collect();
    serde_json::Value::Object(map).to_string()
}

/// 512 cases a property, or `PROPTEST_CASES` for a longer campaign.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(512)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn valid_requests_are_valid_and_round_trip(seed in any::<u64>()) {
        let request = valid_request(seed);
        prop_assert_eq!(validate(&request), Ok(()));
        prop_assert!(violations(&request).is_empty());
        prop_assert_eq!(&parse_query(&request.to_query()).unwrap().into_owned(), &request);
        prop_assert_eq!(&parse_pairs(request.to_pairs()).unwrap(), &request);
        // A JSON object cannot repeat a key, so other parameters must be distinct: they are.
        prop_assert_eq!(&parse_json(&to_flat_json(&request)).unwrap().into_owned(), &request);
    }

    #[test]
    fn each_defect_gives_exactly_its_error(seed in any::<u64>(), which in 0..Defect::ALL.len()) {
        let defect = Defect::ALL[which];
        let broken = defect.apply(&valid_request(seed));
        let all = violations(&broken.request);
        if defect == Defect::TooManyTags {
            // 21 tags need an N outside 1..=20: that tag is reported after the count.
            prop_assert_eq!(all.len(), 3);
            prop_assert_eq!(all[1].parameter(), Some("Tag.21.Key"));
            prop_assert_eq!(&all[0], &broken.expected);
        } else {
            prop_assert_eq!(all, vec![broken.expected.clone()]);
        }
        prop_assert_eq!(validate(&broken.request), Err(broken.expected.clone()));
        // The defect survives the wire.
        let query = broken.request.to_query();
        let again = parse_query(&query).unwrap();
        prop_assert_eq!(validate(&again), Err(broken.expected));
    }

    #[test]
    fn validate_is_the_first_violation(input in "[A-Za-z.=&%0-9:/_+-]{0,200}") {
        if let Ok(request) = parse_query(&input) {
            prop_assert_eq!(validate(&request).err(), violations(&request).into_iter().next());
        }
    }

    #[test]
    fn any_bytes_give_a_verdict_or_an_error(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(request) = parse_request(&bytes) {
            let _ = violations(&request);
        }
        let _ = parse_json(&bytes);
    }

    #[test]
    fn parsed_requests_round_trip(input in "(DiskId|SnapshotName|Description|RetentionDays|Category|InstantAccess|Tag\\.[0-9]{1,2}\\.(Key|Value|key|value)|Foo)=[a-zA-Z0-9%+ :/.é-]{0,12}(&(SnapshotName|Description|RetentionDays|ClientToken|Tag\\.[0-9]\\.(Key|Value)|ResourceGroupId|InstantAccessRetentionDays|Bar)=[a-zA-Z0-9 :/é-]{0,12}){0,6}") {
        if let Ok(request) = parse_query(&input) {
            prop_assert_eq!(parse_query(&request.to_query()).unwrap().into_owned(), request);
        }
    }
}

#[test]
fn every_defect_is_exercised_and_every_stateless_code_is_covered() {
    let mut codes: Vec<ErrorCode> = Defect::ALL
        .iter()
        .map(|defect| defect.apply(&valid_request(7)).expected.code())
        .collect();
    codes.sort();
    codes.dedup();
    // Every code of the catalogue's "request" scope, but for InvalidAction.NotFound (a wire
    // error: the request model has no Action).
    let mut expected: Vec<ErrorCode> = ErrorCode::ALL
        .iter()
        .copied()
        .filter(|code| code.scope() == Scope::Request && *code != ErrorCode::InvalidActionNotFound)
        .collect();
    expected.sort();
    assert_eq!(codes, expected);
}

#[test]
fn the_same_seed_gives_the_same_request() {
    assert_eq!(valid_request(42), valid_request(42));
    assert_ne!(valid_request(42), valid_request(43));
}

#[test]
fn hostile_sizes_stay_linear() {
    // A million tags with distinct indices: one verdict, no quadratic blow-up, no panic.
    let mut query = String::from("DiskId=d-1");
    for n in 1..=200_000u32 {
        query.push_str(&format!("&Tag.{n}.Key=k{n}"));
    }
    let request = parse_query(&query).unwrap();
    assert_eq!(request.tags.len(), 200_000);
    let error = validate(&request).unwrap_err();
    assert_eq!(error.code(), ErrorCode::QuotaExceedTags);
    assert_eq!(
        error.message(),
        "The number of tags (200000) exceeds the quota of 20."
    );
    // A 50 MB value is judged without being copied more than once.
    let huge = format!("DiskId=d-1&RetentionDays={}", "9".repeat(50_000_000));
    let request = parse_query(&huge).unwrap();
    assert!(matches!(request.retention_days, Some(Typed::Unparsable(_))));
    assert_eq!(
        validate(&request).unwrap_err().code(),
        ErrorCode::InvalidRetentionDaysMalformed
    );
}
