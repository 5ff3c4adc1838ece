//! Hostile inputs get a clear error or a verdict, and what is kept grows linearly with the
//! input: a 1 MiB query string, 100,000 parameters, deeply nested JSON, bytes that are not
//! UTF-8, bad percent-escapes, NUL bytes, a tag index of twenty digits.
//!
//! Linearity is shown without clocks: each input is judged at size n and 2n, and what the
//! parser keeps (parameters, tags, bytes of text) and what the rules report (violations,
//! warnings) is exactly proportional, so no part of the work can hide a quadratic term in
//! what it builds. The sizes are kept small enough for a fast test.

use ecs_snapshot_rules::{
    parse_json, parse_query, parse_request, validate, violations, warnings, ApiError,
    CreateSnapshotRequest, ErrorCode, ParseError,
};

/// The request's other parameters as owned pairs, to compare with literals.
fn others(request: &CreateSnapshotRequest) -> Vec<(String, String)> {
    request
        .other_parameters
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

const MIB: usize = 1 << 20;

/// The API's answer to raw bytes read as a request of either format.
fn answer(input: &[u8]) -> Result<Result<(), ApiError>, ParseError> {
    parse_request(input).map(|request| validate(&request))
}

/// Bytes of text the request holds.
fn kept_bytes(request: &CreateSnapshotRequest) -> usize {
    let text = |t: &Option<std::borrow::Cow<str>>| t.as_deref().map_or(0, str::len);
    text(&request.disk_id)
        + text(&request.snapshot_name)
        + text(&request.description)
        + text(&request.client_token)
        + text(&request.resource_group_id)
        + request
            .tags
            .iter()
            .map(|t| text(&t.key) + text(&t.value))
            .sum::<usize>()
        + request
            .other_parameters
            .iter()
            .map(|(n, v)| n.len() + v.len())
            .sum::<usize>()
}

#[test]
fn a_one_mebibyte_value_is_judged_and_kept_once() {
    let query = format!("DiskId=d-1&Description={}", "a".repeat(MIB));
    let request = parse_query(&query).unwrap();
    assert_eq!(request.description.as_deref().map(str::len), Some(MIB));
    assert_eq!(kept_bytes(&request), MIB + 3);
    let error = validate(&request).unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidDescriptionMalformed);
    assert_eq!(error.parameter(), Some("Description"));
    // Multi-byte characters count as characters: 1 MiB of "快" is 349,525 characters.
    let query = format!("DiskId=d-1&SnapshotName=s{}", "%E5%BF%AB".repeat(MIB / 9));
    assert_eq!(
        answer(query.as_bytes()).unwrap().unwrap_err().code(),
        ErrorCode::InvalidSnapshotNameMalformed
    );
}

#[test]
fn a_one_mebibyte_query_of_separators_is_a_missing_disk_id() {
    for filler in ["&", "\n", " ", "&=&"] {
        let query = filler.repeat(MIB / filler.len());
        let request = parse_query(&query).unwrap();
        assert_eq!(
            request.other_parameters.len(),
            if filler == "&=&" { MIB / 3 } else { 0 }
        );
        assert_eq!(
            validate(&request).unwrap_err().code(),
            ErrorCode::MissingParameter,
            "{filler:?}"
        );
    }
}

/// `n` unknown parameters after a DiskId.
fn unknown_parameters(n: usize) -> String {
    let mut query = String::from("DiskId=d-1");
    for i in 0..n {
        query.push_str(&format!("&Unknown{i}=v"));
    }
    query
}

#[test]
fn a_hundred_thousand_parameters_are_kept_and_ignored_linearly() {
    let small = parse_query(&unknown_parameters(50_000))
        .unwrap()
        .into_owned();
    let large = parse_query(&unknown_parameters(100_000))
        .unwrap()
        .into_owned();
    assert_eq!(validate(&large), Ok(()));
    assert_eq!(large.other_parameters.len(), 100_000);
    assert_eq!(
        small.other_parameters.len() * 2,
        large.other_parameters.len()
    );
    // One warning each (a "did you mean" search per name: smaller sizes keep the test fast).
    let few = warnings(&parse_query(&unknown_parameters(2_000)).unwrap()).len();
    let more = warnings(&parse_query(&unknown_parameters(4_000)).unwrap()).len();
    assert_eq!((few, more), (2_000, 4_000));
    // Through JSON too.
    assert_eq!(parse_json(&large.to_json()).unwrap(), large);
}

/// `n` tags, N from 1 to n, each with a bad value.
fn bad_tags(n: usize) -> String {
    let mut query = String::from("DiskId=d-1");
    for i in 1..=n {
        query.push_str(&format!("&Tag.{i}.Key=k{i}&Tag.{i}.Value=http://{i}"));
    }
    query
}

#[test]
fn a_hundred_thousand_tag_parameters_are_one_quota_error_and_linear_violations() {
    let small = parse_query(&bad_tags(25_000)).unwrap().into_owned();
    let large = parse_query(&bad_tags(50_000)).unwrap().into_owned();
    assert_eq!(large.tags.len(), 50_000);
    let error = validate(&large).unwrap_err();
    assert_eq!(error.code(), ErrorCode::QuotaExceedTags);
    assert_eq!(
        error.message(),
        "The number of tags (50000) exceeds the quota of 20."
    );
    // The quota, then each tag's value; tags past 20 also have a bad N (key and value).
    let (s, l) = (violations(&small).len(), violations(&large).len());
    assert_eq!(s, 1 + 20 + 2 * (25_000 - 20));
    assert_eq!(l, 1 + 20 + 2 * (50_000 - 20));
    // What is kept is never more than what came.
    assert!(kept_bytes(&large) < bad_tags(50_000).len());
}

#[test]
fn a_tag_index_of_twenty_digits_is_an_unknown_parameter() {
    let request = parse_query("DiskId=d-1&Tag.99999999999999999999.Key=env").unwrap();
    assert!(request.tags.is_empty());
    assert_eq!(
        others(&request),
        [("Tag.99999999999999999999.Key".to_owned(), "env".to_owned())]
    );
    assert_eq!(validate(&request), Ok(()));
    assert_eq!(warnings(&request).len(), 1);
    // The largest N that fits in 32 bits is a tag, and one tag: refused, not allocated.
    let request = parse_query("DiskId=d-1&Tag.4294967295.Key=env").unwrap();
    assert_eq!(request.tags.len(), 1);
    let error = validate(&request).unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidTagKeyMalformed);
    assert_eq!(error.parameter(), Some("Tag.4294967295.Key"));
}

#[test]
fn deeply_nested_json_is_a_json_error_at_its_depth() {
    for depth in [129, 10_000, 1_000_000] {
        let json = format!(
            r#"{{"DiskId": "d-1", "X": {}{}}}"#,
            "[".repeat(depth),
            "]".repeat(depth)
        );
        match parse_json(&json) {
            Err(ParseError::Json {
                line,
                column,
                message,
            }) => {
                assert_eq!(line, 1);
                assert!(column < 200, "{column}");
                assert_eq!(message, "recursion limit exceeded");
            }
            other => panic!("{depth}: {other:?}"),
        }
    }
    // Below the limit, an unknown parameter's nested value is kept as its JSON text.
    let json = format!(
        r#"{{"DiskId": "d-1", "X": {}{}}}"#,
        "[".repeat(100),
        "]".repeat(100)
    );
    let request = parse_json(&json).unwrap();
    assert_eq!(request.other_parameters[0].1.len(), 200);
}

#[test]
fn bytes_that_are_not_utf8_are_invalid_parameter_or_not_json() {
    let error = parse_query(b"DiskId=d-1&SnapshotName=ab\xFFcd").unwrap_err();
    assert_eq!(
        error,
        ParseError::NotUtf8 {
            name: "SnapshotName".to_owned()
        }
    );
    assert_eq!(
        error.api_error(),
        Some(ApiError::invalid_parameter("SnapshotName"))
    );
    // Percent-encoded, the same.
    let error = parse_query("DiskId=d-1&Description=%C3%28").unwrap_err();
    assert_eq!(
        error.api_error(),
        Some(ApiError::invalid_parameter("Description"))
    );
    // In a name: the name as far as it can be read.
    let error = parse_query(b"DiskId=d-1&Na\xC0me=1").unwrap_err();
    assert!(matches!(error, ParseError::NotUtf8 { name } if name == "Na\u{FFFD}me"));
    // JSON must be UTF-8 text.
    assert_eq!(
        parse_json(b"{\"DiskId\": \"d-\xFF\"}"),
        Err(ParseError::InputNotUtf8)
    );
    assert_eq!(
        answer(b"{\"DiskId\": \"d-\xFF\"}"),
        Err(ParseError::InputNotUtf8)
    );
}

#[test]
fn bad_percent_escapes_are_invalid_parameter_at_their_offset() {
    for (query, offset) in [
        ("DiskId=d-1&Description=50%", 25),
        ("DiskId=d-1&Description=%zz", 23),
        ("DiskId=d-1&Description=%4", 23),
        ("DiskId=%%41", 7),
    ] {
        let error = parse_query(query).unwrap_err();
        let name = if query.starts_with("DiskId=%") {
            "DiskId"
        } else {
            "Description"
        };
        assert_eq!(
            error,
            ParseError::BadPercentEncoding {
                name: name.to_owned(),
                offset
            },
            "{query}"
        );
        assert_eq!(error.api_error(), Some(ApiError::invalid_parameter(name)));
    }
    // A million bad escapes: the first one answers, at once.
    let query = format!("DiskId=d-1&Description={}", "%".repeat(MIB));
    assert!(matches!(
        parse_query(&query),
        Err(ParseError::BadPercentEncoding { offset: 23, .. })
    ));
}

#[test]
fn nul_bytes_are_characters_like_any_other() {
    // DiskId is not checked for its characters by the stateless rules.
    assert_eq!(answer(b"DiskId=d-\x001"), Ok(Ok(())));
    assert_eq!(answer(b"DiskId=d-1&Description=%00%00"), Ok(Ok(())));
    // Not in a SnapshotName's alphabet.
    let refused = answer(b"DiskId=d-1&SnapshotName=ab\x00cd")
        .unwrap()
        .unwrap_err();
    assert_eq!(refused.code(), ErrorCode::InvalidSnapshotNameMalformed);
    // ASCII, so a valid ClientToken.
    assert_eq!(answer(b"DiskId=d-1&ClientToken=%00"), Ok(Ok(())));
    // In a name, an unknown parameter.
    let request = parse_query(b"DiskId=d-1&Disk\x00Id=x").unwrap();
    assert_eq!(request.other_parameters[0].0, "Disk\0Id");
    // JSON forbids raw control characters in strings, and reads \u0000.
    assert!(matches!(
        parse_json(b"{\"DiskId\": \"d-\x00\"}"),
        Err(ParseError::Json { .. })
    ));
    assert_eq!(
        parse_json(r#"{"DiskId": "d-\u0000"}"#)
            .unwrap()
            .disk_id
            .as_deref(),
        Some("d-\0")
    );
}

#[test]
fn kept_text_is_proportional_to_the_input() {
    // Each input at n and 2n keeps exactly twice the text (after the fixed DiskId).
    let inputs: [fn(usize) -> String; 3] = [
        |n| format!("DiskId=d-1&Description={}", "x".repeat(n)),
        |n| format!("DiskId=d-1{}", "&Foo=bar".repeat(n)),
        |n| format!("DiskId=d-1&ClientToken={}", "%41".repeat(n)),
    ];
    for make in inputs {
        let small = kept_bytes(&parse_query(&make(100_000)).unwrap()) - 3;
        let large = kept_bytes(&parse_query(&make(200_000)).unwrap()) - 3;
        assert_eq!(large, 2 * small);
    }
}
