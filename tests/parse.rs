//! Reading requests from the wire: what each format yields, and the exact error of each way
//! it can go wrong.

use ecs_snapshot_rules::request::{SnapshotCategory, Tag, TagSpelling, Typed};
use ecs_snapshot_rules::{
    parse_json, parse_pairs, parse_query, parse_request, validate, CreateSnapshotRequest,
    ErrorCode, ParseError,
};

/// The request's other parameters as owned pairs, to compare with literals.
fn others(request: &CreateSnapshotRequest) -> Vec<(String, String)> {
    request
        .other_parameters
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

#[track_caller]
fn query(input: &str) -> CreateSnapshotRequest<'static> {
    parse_query(input)
        .unwrap_or_else(|e| panic!("{input:?} does not parse: {e}"))
        .into_owned()
}

#[track_caller]
fn json(input: &str) -> CreateSnapshotRequest<'static> {
    parse_json(input)
        .unwrap_or_else(|e| panic!("{input:?} does not parse: {e}"))
        .into_owned()
}

#[track_caller]
fn assert_parse_error(result: Result<CreateSnapshotRequest, ParseError>, expected: ParseError) {
    match result {
        Ok(request) => panic!("expected {expected:?}, parsed {request:?}"),
        Err(error) => assert_eq!(error, expected),
    }
}

#[track_caller]
fn assert_answers(error: &ParseError, status: u16, code: &str, message: &str) {
    let api = error
        .api_error()
        .unwrap_or_else(|| panic!("{error:?} has no API answer"));
    assert_eq!(
        (api.status(), api.code().as_str(), api.message()),
        (status, code, message)
    );
}

#[test]
fn the_spec_sample_request_reads_as_printed() {
    let sample = "https://ecs.aliyuncs.com/?Action=CreateSnapshot\n&DiskId=d-bp1s5fnvk4gn2tws0****\n&SnapshotName=testSnapshotName\n&Description=testDescription\n&ClientToken=123e4567-e89b-12d3-a456-426655440000\n&Tag.1.Key=TestKey\n&Tag.1.Value=TestValue\n&<Common request parameters>\n";
    let request = query(sample);
    let expected = CreateSnapshotRequest::new("d-bp1s5fnvk4gn2tws0****")
        .snapshot_name("testSnapshotName")
        .description("testDescription")
        .client_token("123e4567-e89b-12d3-a456-426655440000")
        .tag("TestKey", "TestValue");
    assert_eq!(request, expected);
    assert_eq!(validate(&request), Ok(()));
}

#[test]
fn only_a_whole_angle_bracketed_piece_is_a_placeholder() {
    let request = query("DiskId=d-1&<notes&done>&<a=b>&<Common request parameters>");
    assert_eq!(
        others(&request),
        [
            ("<notes".to_owned(), String::new()),
            ("done>".to_owned(), String::new()),
            ("<a".to_owned(), "b>".to_owned()),
        ]
    );
}

#[test]
fn integers_are_an_optional_sign_and_digits() {
    for (text, value) in [("0", 0), ("%2B7", 7), ("-7", -7), ("007", 7)] {
        let request = query(&format!("RetentionDays={text}"));
        assert_eq!(request.retention_days, Some(Typed::Value(value)), "{text}");
    }
    for text in [
        "", "%2B", "-", "1_000", "1e3", "0x10", "%201", "1%20", "%2B%2B1", "+1", "٣",
    ] {
        let request = query(&format!("RetentionDays={text}"));
        assert!(
            matches!(request.retention_days, Some(Typed::Unparsable(_))),
            "{text}: {:?}",
            request.retention_days
        );
    }
}

#[test]
fn absent_and_empty_are_kept_apart() {
    let absent = query("DiskId=d-1");
    let empty = query("DiskId=d-1&Description=&RetentionDays");
    assert_eq!(absent.description, None);
    assert_eq!(empty.description.as_deref(), Some(""));
    assert_eq!(empty.retention_days, Some(Typed::Unparsable("".into())));
}

#[test]
fn percent_decoding_and_plus_as_space() {
    let request = query("DiskId=d%2D1&Description=a+b%20c%2Bd&Tag.1.Key=%E5%BF%AB%E7%85%A7");
    assert_eq!(request.disk_id.as_deref(), Some("d-1"));
    assert_eq!(request.description.as_deref(), Some("a b c+d"));
    assert_eq!(
        request.tags.iter().next().unwrap().key.as_deref(),
        Some("快照")
    );
}

#[test]
fn names_are_decoded_too() {
    let request = query("Disk%49d=d-1&Tag%2E1%2EKey=k");
    assert_eq!(request.disk_id.as_deref(), Some("d-1"));
    assert_eq!(
        request.tags.iter().next().unwrap().key.as_deref(),
        Some("k")
    );
}

#[test]
fn typed_values_keep_what_is_not_of_their_type() {
    let request = query("DiskId=d-1&RetentionDays=%2B030&InstantAccess=TRUE&Category=Flash&InstantAccessRetentionDays=1.0");
    assert_eq!(request.retention_days, Some(Typed::Value(30)));
    assert_eq!(request.instant_access, Some(Typed::Value(true)));
    assert_eq!(
        request.category,
        Some(Typed::Value(SnapshotCategory::Flash))
    );
    assert_eq!(
        request.instant_access_retention_days,
        Some(Typed::Unparsable("1.0".into()))
    );
    let huge = query("DiskId=d-1&RetentionDays=99999999999999999999999");
    assert_eq!(
        huge.retention_days,
        Some(Typed::Unparsable("99999999999999999999999".into()))
    );
}

#[test]
fn tags_are_ordered_by_n_and_keep_their_spelling() {
    let request = query("Tag.2.key=b&Tag.1.Value=va&Tag.1.Key=a&Tag.2.Value=vb");
    assert_eq!(
        request.tags,
        [
            Tag {
                index: 1,
                key: Some("a".into()),
                value: Some("va".into()),
                key_spelling: TagSpelling::Current,
                value_spelling: TagSpelling::Current,
            },
            Tag {
                index: 2,
                key: Some("b".into()),
                value: Some("vb".into()),
                key_spelling: TagSpelling::Deprecated,
                value_spelling: TagSpelling::Current,
            },
        ]
    );
    assert_eq!(
        request.tags.iter().nth(1).unwrap().key_parameter(),
        "Tag.2.key"
    );
    assert_eq!(
        request.tags.iter().nth(1).unwrap().value_parameter(),
        "Tag.2.Value"
    );
}

#[test]
fn a_huge_tag_index_costs_one_tag() {
    let request = query("DiskId=d-1&Tag.4294967295.Key=x");
    assert_eq!(request.tags.len(), 1);
    assert_eq!(request.tags.iter().next().unwrap().index, u32::MAX);
    let error = validate(&request).unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidTagKeyMalformed);
    assert_eq!(error.parameter(), Some("Tag.4294967295.Key"));
    // Past 32 bits N is not a tag index at all: an unknown parameter, kept and ignored.
    let beyond = query("DiskId=d-1&Tag.4294967296.Key=x");
    assert!(beyond.tags.is_empty());
    assert_eq!(
        others(&beyond),
        [("Tag.4294967296.Key".to_owned(), "x".to_owned())]
    );
}

#[test]
fn common_and_unknown_parameters_are_kept_in_order() {
    let request = query("RegionId=cn-hangzhou&DiskId=d-1&SnapshotNmae=x&Signature=abc%3D");
    assert_eq!(
        others(&request),
        [
            ("RegionId".to_owned(), "cn-hangzhou".to_owned()),
            ("SnapshotNmae".to_owned(), "x".to_owned()),
            ("Signature".to_owned(), "abc=".to_owned()),
        ]
    );
    assert_eq!(validate(&request), Ok(()));
}

#[test]
fn a_wrong_action_answers_invalid_action_not_found() {
    let error = parse_query("Action=DescribeSnapshots&DiskId=d-1").unwrap_err();
    assert_eq!(
        error,
        ParseError::WrongAction {
            found: "DescribeSnapshots".to_owned()
        }
    );
    assert_answers(
        &error,
        404,
        "InvalidAction.NotFound",
        "Specified api is not found, please check your url and method.",
    );
    assert_eq!(error.api_error().unwrap().parameter(), Some("Action"));
}

#[test]
fn a_repeated_parameter_is_refused() {
    let error = parse_query("DiskId=d-1&DiskId=d-2").unwrap_err();
    assert_eq!(
        error,
        ParseError::RepeatedParameter {
            name: "DiskId".to_owned()
        }
    );
    assert_answers(
        &error,
        400,
        "InvalidParameter",
        "The specified parameter \"DiskId\" is not valid.",
    );
    assert_parse_error(
        parse_query("Tag.1.Key=a&Tag.1.key=a"),
        ParseError::RepeatedParameter {
            name: "Tag.1.Key".to_owned(),
        },
    );
    assert_parse_error(
        parse_query("Action=CreateSnapshot&Action=CreateSnapshot"),
        ParseError::RepeatedParameter {
            name: "Action".to_owned(),
        },
    );
}

#[test]
fn bad_percent_encoding_names_the_parameter_and_the_offset() {
    assert_parse_error(
        parse_query("DiskId=d-1&Description=50%"),
        ParseError::BadPercentEncoding {
            name: "Description".to_owned(),
            offset: 25,
        },
    );
    assert_parse_error(
        parse_query("Desc%zzription=x"),
        ParseError::BadPercentEncoding {
            name: "Desc%zzription".to_owned(),
            offset: 4,
        },
    );
    let error = parse_query("Description=%G1").unwrap_err();
    assert_answers(
        &error,
        400,
        "InvalidParameter",
        "The specified parameter \"Description\" is not valid.",
    );
}

#[test]
fn bytes_that_are_not_utf8_are_refused() {
    assert_parse_error(
        parse_query("DiskId=d-1&SnapshotName=%FF%FE"),
        ParseError::NotUtf8 {
            name: "SnapshotName".to_owned(),
        },
    );
    assert_parse_error(
        parse_query(b"DiskId=d-1&Snapshot\xffName=x"),
        ParseError::NotUtf8 {
            name: "Snapshot\u{fffd}Name".to_owned(),
        },
    );
}

#[test]
fn json_sdk_shape_and_flat_shape_agree() {
    let sdk = json(
        r#"{"DiskId": "d-1", "RetentionDays": 30, "InstantAccess": true, "Tag": [{"Key": "k", "Value": "v"}, {"Key": "k2"}]}"#,
    );
    let flat = json(
        r#"{"DiskId": "d-1", "RetentionDays": "30", "InstantAccess": "True", "Tag.1.Key": "k", "Tag.1.Value": "v", "Tag.2.Key": "k2"}"#,
    );
    let wire = query(
        "DiskId=d-1&RetentionDays=30&InstantAccess=true&Tag.1.Key=k&Tag.1.Value=v&Tag.2.Key=k2",
    );
    assert_eq!(sdk, flat);
    assert_eq!(sdk, wire);
}

#[test]
fn json_null_is_absent_and_the_empty_tag_list_is_no_tags() {
    let request =
        json(r#"{"DiskId": "d-1", "Description": null, "Tag": [], "ResourceGroupId": null}"#);
    assert_eq!(request, CreateSnapshotRequest::new("d-1"));
}

#[test]
fn json_errors_give_line_and_column() {
    assert_parse_error(
        parse_json("{\n  \"DiskId\": \"d-1\",\n  \"SnapshotName\": }"),
        ParseError::Json {
            line: 3,
            column: 19,
            message: "expected value".to_owned(),
        },
    );
    let error = parse_json("[1]").unwrap_err();
    assert!(
        matches!(
            error,
            ParseError::Json {
                line: 1,
                column: 1,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(error.api_error(), None);
}

#[test]
fn json_of_the_wrong_kind_for_a_parameter_answers_invalid_parameter() {
    let error = parse_json(r#"{"DiskId": ["d-1"]}"#).unwrap_err();
    assert_eq!(
        error,
        ParseError::JsonWrongType {
            name: "DiskId".to_owned(),
            expected: "a string, number or boolean"
        }
    );
    assert_answers(
        &error,
        400,
        "InvalidParameter",
        "The specified parameter \"DiskId\" is not valid.",
    );
    assert!(matches!(
        parse_json(r#"{"Tag": "k=v"}"#),
        Err(ParseError::JsonWrongType { name, .. }) if name == "Tag"
    ));
    assert!(matches!(
        parse_json(r#"{"Tag": [["k", "v"]]}"#),
        Err(ParseError::JsonWrongType { name, .. }) if name == "Tag.1"
    ));
}

#[test]
fn json_repeated_keys_are_seen() {
    assert_parse_error(
        parse_json(r#"{"DiskId": "d-1", "DiskId": "d-2"}"#),
        ParseError::RepeatedParameter {
            name: "DiskId".to_owned(),
        },
    );
    assert_parse_error(
        parse_json(r#"{"Tag": [{"Key": "a"}], "Tag.1.Key": "b"}"#),
        ParseError::RepeatedParameter {
            name: "Tag.1.Key".to_owned(),
        },
    );
}

#[test]
fn json_nesting_is_bounded() {
    let deep = format!(
        "{{\"Foo\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let error = parse_json(&deep).unwrap_err();
    assert!(
        matches!(&error, ParseError::Json { message, .. } if message == "recursion limit exceeded"),
        "{error:?}"
    );
}

#[test]
fn json_with_a_byte_order_mark_and_not_utf8() {
    assert_eq!(
        json("\u{feff}{\"DiskId\": \"d-1\"}"),
        CreateSnapshotRequest::new("d-1")
    );
    assert_parse_error(
        parse_json(b"{\"DiskId\": \"\xff\"}"),
        ParseError::InputNotUtf8,
    );
}

#[test]
fn parse_request_tells_json_from_query() {
    assert_eq!(
        parse_request("  \n{\"DiskId\": \"d-1\"}").unwrap(),
        CreateSnapshotRequest::new("d-1")
    );
    assert_eq!(
        parse_request("\u{feff}{\"DiskId\": \"d-1\"}").unwrap(),
        CreateSnapshotRequest::new("d-1")
    );
    assert_eq!(
        parse_request("DiskId=d-1").unwrap(),
        CreateSnapshotRequest::new("d-1")
    );
    assert_eq!(parse_request("").unwrap(), CreateSnapshotRequest::default());
}

#[test]
fn pairs_are_taken_as_decoded() {
    let request = parse_pairs([("DiskId", "d-1"), ("Description", "100%+sure")]).unwrap();
    assert_eq!(request.description.as_deref(), Some("100%+sure"));
}

#[test]
fn urls_lose_their_prefix() {
    for input in [
        "https://ecs.aliyuncs.com/?DiskId=d-1",
        "HTTP://ecs.aliyuncs.com/?DiskId=d-1",
        "/?DiskId=d-1",
        "?DiskId=d-1",
        "  DiskId=d-1  ",
    ] {
        assert_eq!(query(input), CreateSnapshotRequest::new("d-1"), "{input:?}");
    }
    assert_eq!(
        query("https://ecs.aliyuncs.com/"),
        CreateSnapshotRequest::default()
    );
}

#[test]
fn to_query_round_trips_every_field() {
    let request = CreateSnapshotRequest {
        disk_id: Some("d-1".into()),
        snapshot_name: Some("name".into()),
        description: Some("a b&c=d+e%f 快照".into()),
        retention_days: Some(Typed::Unparsable("1 0".into())),
        category: Some(Typed::Value(SnapshotCategory::Standard)),
        client_token: Some("".into()),
        tags: vec![Tag {
            index: 7,
            key: None,
            value: Some("v".into()),
            key_spelling: TagSpelling::Current,
            value_spelling: TagSpelling::Deprecated,
        }]
        .into(),
        resource_group_id: Some("rg-1".into()),
        instant_access: Some(Typed::Value(false)),
        instant_access_retention_days: Some(Typed::Value(-3)),
        storage_location_arn: Some("acs:ecs:cn-hangzhou:1:storage-location/a&b".into()),
        other_parameters: vec![("RegionId".into(), "cn-hangzhou".into())],
    };
    assert_eq!(query(&request.to_query()), request);
}
