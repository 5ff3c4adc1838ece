//! The lean readers agree with the full ones: `parse_query_view` and `parse_json_view` read
//! what `parse_query` and `parse_json` read but for the parameters they drop, and the
//! verdicts are the same. `parse_json` itself agrees with a reference reader that builds a
//! whole `serde_json::Value` first and hands its entries to `parse_pairs`.

use std::fmt;

use ecs_snapshot_rules::testing::oracle::{valid_request, Defect};
use ecs_snapshot_rules::wire::{parse_json_view, parse_query_view};
use ecs_snapshot_rules::{
    parse_json, parse_pairs, parse_query, validate, violations, CreateSnapshotRequest, ParseError,
};
use proptest::prelude::*;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::Value;

/// The request without its common and unknown parameters, which a view drops.
fn without_others(mut request: CreateSnapshotRequest<'static>) -> CreateSnapshotRequest<'static> {
    request.other_parameters.clear();
    request
}

fn query_paths_agree(input: &str) -> Result<(), TestCaseError> {
    let owned = parse_query(input);
    let view = parse_query_view(input);
    match (owned, view) {
        (Ok(owned), Ok(view)) => {
            prop_assert_eq!(validate(&view), validate(&owned));
            prop_assert_eq!(violations(&view), violations(&owned));
            prop_assert_eq!(view.into_owned(), without_others(owned.into_owned()));
        }
        (Err(owned), Err(view)) => prop_assert_eq!(owned, view),
        (owned, view) => prop_assert!(false, "{owned:?} but the view gives {view:?}"),
    }
    Ok(())
}

fn json_paths_agree(input: &str) -> Result<(), TestCaseError> {
    let owned = parse_json(input);
    prop_assert_eq!(
        &owned,
        &reference_json(input),
        "reference disagrees on {}",
        input
    );
    let view = parse_json_view(input);
    match (owned, view) {
        (Ok(owned), Ok(view)) => {
            prop_assert_eq!(validate(&view), validate(&owned));
            prop_assert_eq!(view.into_owned(), without_others(owned.into_owned()));
        }
        (Err(owned), Err(view)) => prop_assert_eq!(owned, view),
        (owned, view) => prop_assert!(false, "{owned:?} but the view gives {view:?}"),
    }
    Ok(())
}

/// The top-level entries of a JSON object, in order and with repeats.
struct Entries;

impl<'de> Visitor<'de> for Entries {
    type Value = Vec<(String, Value)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object of CreateSnapshot parameters")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(entries)
    }
}

/// The JSON reader as it was before the borrowed path: the document into `Value`s, then
/// name/value pairs (the SDK's tag list as `Tag.N.<field>`, fields in a map's sorted order),
/// up to the first value of the wrong kind.
fn reference_json(input: &str) -> Result<CreateSnapshotRequest<'static>, ParseError> {
    let mut deserializer = serde_json::Deserializer::from_str(input);
    let entries = deserializer
        .deserialize_map(Entries)
        .and_then(|entries| deserializer.end().map(|()| entries))
        .map_err(|error| {
            let text = error.to_string();
            ParseError::Json {
                line: error.line(),
                column: error.column().max(1),
                message: text[..text.rfind(" at line ").unwrap_or(text.len())].to_owned(),
            }
        })?;
    let mut pairs = Vec::new();
    let mut failure = None;
    'entries: for (name, value) in entries {
        if name != "Tag" {
            if let Err(error) = scalar(&mut pairs, name, value) {
                failure = Some(error);
                break;
            }
            continue;
        }
        let items = match value {
            Value::Null => continue,
            Value::Array(items) => items,
            _ => {
                failure = Some(ParseError::JsonWrongType {
                    name: "Tag".to_owned(),
                    expected: "an array of {\"Key\": .., \"Value\": ..} objects",
                });
                break;
            }
        };
        for (position, item) in items.into_iter().enumerate() {
            let n = position + 1;
            // A null item is an absent tag that keeps its place.
            if item.is_null() {
                continue;
            }
            let Value::Object(fields) = item else {
                failure = Some(ParseError::JsonWrongType {
                    name: format!("Tag.{n}"),
                    expected: "an object with Key and Value",
                });
                break 'entries;
            };
            for (field, value) in fields {
                if let Err(error) = scalar(&mut pairs, format!("Tag.{n}.{field}"), value) {
                    failure = Some(error);
                    break 'entries;
                }
            }
        }
    }
    let request = parse_pairs(pairs)?;
    match failure {
        Some(error) => Err(error),
        None => Ok(request),
    }
}

fn scalar(pairs: &mut Vec<(String, String)>, name: String, value: Value) -> Result<(), ParseError> {
    let known = !ecs_snapshot_rules::request::Name::classify(&name).is_other();
    let text = match value {
        Value::Null => return Ok(()),
        Value::String(text) => text,
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => number.to_string(),
        Value::Array(_) | Value::Object(_) if known => {
            return Err(ParseError::JsonWrongType {
                name,
                expected: "a string, number or boolean",
            })
        }
        compound => compound.to_string(),
    };
    pairs.push((name, text));
    Ok(())
}

/// JSON text for a scalar or a small compound value.
fn json_value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("false".to_owned()),
        "-?[0-9]{1,20}(\\.[0-9]{1,3})?(e[0-9]{1,3})?",
        "\"([a-zA-Z0-9 :/.é-]|\\\\n|\\\\u00e9|\\\\\"){0,10}\"",
        Just("\"acs:x\"".to_owned()),
        Just("\"True\"".to_owned()),
        Just("\"30\"".to_owned()),
    ];
    leaf.prop_recursive(2, 12, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4)
                .prop_map(|v| format!("[{}]", v.join(","))),
            proptest::collection::vec((field_name(), inner), 0..4).prop_map(|v| {
                let body: Vec<_> = v.into_iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
                format!("{{{}}}", body.join(","))
            }),
        ]
    })
}

fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Key".to_owned()),
        Just("Value".to_owned()),
        Just("key".to_owned()),
        Just("value".to_owned()),
        Just("Foo".to_owned()),
        Just("K\\u0065y".to_owned()),
    ]
}

fn top_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Action".to_owned()),
        Just("DiskId".to_owned()),
        Just("SnapshotName".to_owned()),
        Just("Description".to_owned()),
        Just("RetentionDays".to_owned()),
        Just("Category".to_owned()),
        Just("InstantAccess".to_owned()),
        Just("InstantAccessRetentionDays".to_owned()),
        Just("Tag".to_owned()),
        Just("Tag.1.Key".to_owned()),
        Just("Tag.2.value".to_owned()),
        Just("RegionId".to_owned()),
        Just("Foo".to_owned()),
    ]
}

/// A tag list in the SDK's shape, sometimes with items of the wrong kind.
fn tag_list() -> impl Strategy<Value = String> {
    let item = prop_oneof![
        4 => proptest::collection::vec((field_name(), json_value()), 0..4).prop_map(|v| {
            let body: Vec<_> = v.into_iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
            format!("{{{}}}", body.join(","))
        }),
        1 => json_value(),
    ];
    proptest::collection::vec(item, 0..24).prop_map(|v| format!("[{}]", v.join(",")))
}

fn json_document() -> impl Strategy<Value = String> {
    let entry = (top_name(), prop_oneof![3 => json_value(), 1 => tag_list()]);
    (
        proptest::collection::vec(entry, 0..8),
        prop_oneof![Just(""), Just(" "), Just("x"), Just("}")],
    )
        .prop_map(|(entries, tail)| {
            let body: Vec<_> = entries
                .into_iter()
                .map(|(k, v)| format!("\"{k}\":{v}"))
                .collect();
            format!("{{{}}}{tail}", body.join(","))
        })
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
    fn query_view_agrees_on_generated_strings(input in "(DiskId|SnapshotName|Description|RetentionDays|Category|InstantAccess|Action|Tag\\.[0-9]{1,2}\\.(Key|Value|key|value)|RegionId|Foo|%4|D%69skId)=[a-zA-Z0-9%+ :/.é-]{0,12}(&(SnapshotName|Description|RetentionDays|ClientToken|Tag\\.[0-9]{1,2}\\.(Key|Value)|ResourceGroupId|InstantAccessRetentionDays|Signature|Bar)=[a-zA-Z0-9%+ :/é-]{0,12}){0,24}") {
        query_paths_agree(&input)?;
    }

    #[test]
    fn query_view_agrees_on_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let owned = parse_query(&bytes);
        let view = parse_query_view(&bytes);
        prop_assert_eq!(
            owned.map(|r| without_others(r.into_owned())),
            view.map(|v| v.into_owned())
        );
    }

    #[test]
    fn query_view_agrees_on_oracle_requests(seed in any::<u64>(), which in 0..Defect::ALL.len()) {
        let valid = valid_request(seed);
        query_paths_agree(&valid.to_query())?;
        query_paths_agree(&Defect::ALL[which].apply(&valid).request.to_query())?;
    }

    #[test]
    fn json_view_and_reference_agree(input in json_document()) {
        json_paths_agree(&input)?;
    }
}

#[test]
fn json_view_agrees_on_the_corner_cases() {
    for input in [
        r#"{"Tag": [{"Value": {}, "key": []}]}"#,
        r#"{"Tag": [{"Key": "a", "Key": "b"}]}"#,
        r#"{"Tag": [{"Key": "a", "key": "b"}]}"#,
        r#"{"Tag": [{"Key": "a", "Foo": [1, {"x": null}]}], "RegionId": 7}"#,
        r#"{"Tag": "x", "DiskId": 1e400}"#,
        r#"{"Foo": 1e400}"#,
        r#"{"RetentionDays": 18446744073709551615}"#,
        r#"{"RetentionDays": 30.0, "InstantAccess": true, "DiskId": 12}"#,
        r#"{"Tag": [1, {"Key": "a"}], "Action": "Other"}"#,
        r#"{"Tag": [{"Key": "a"}], "Tag": [{"Key": "b"}]}"#,
        r#"{"DiskId": "d-\u0031", "Tag": [{"K\u0065y": "x", "A": 1, "B": 2, "C": 3}]}"#,
        "{\"DiskId\": \"d-1\n\"}",
        "{\"DiskId\": \"d-1\t\", \"RetentionDays\": 1}",
        r#"{"RetentionDays": -0}"#,
        r#"{"RetentionDays": 01}"#,
        r#"{"RetentionDays": -7, "InstantAccessRetentionDays": 1e2}"#,
        r#"{"RetentionDays": 123456789012345678901}"#,
        r#"{"InstantAccess": truex}"#,
        r#"{"DiskId": "d-1",}"#,
        r#"{}"#,
        r#" { } "#,
        r#"{"Tag": [], "DiskId": "d-1"}"#,
        r#"{"Tag": null, "DiskId": "d-1"}"#,
        r#"{"Tag": [{}], "DiskId": "d-1"}"#,
        r#"{"Tag": [{"Key": "a", "Value": 5}, {"key": "b", "value": true}], "DiskId": "d-1"}"#,
        r#"{"Tag": [{"Key": "a"},], "DiskId": "d-1"}"#,
        r#"{"DiskId": "d-1"} x"#,
        r#"{"DiskId": "d-1", "DiskId": "d-2", "Extra": "\u00e9"}"#,
        r#"{"Action": "CreateSnapshot", "Action": "Other"}"#,
        r#"{"DiskId": "d-1", "OwnerId": 123, "Flag": false, "Nothing": null}"#,
    ] {
        json_paths_agree(input).unwrap();
    }
}

#[test]
fn tags_outside_one_to_twenty_come_in_ascending_n_whatever_the_order_sent() {
    let query = "DiskId=d-1&Tag.30.Key=a&Tag.0.Key=b&Tag.25.Key=c&Tag.3.Key=d";
    let json =
        r#"{"DiskId":"d-1","Tag.30.Key":"a","Tag.0.Key":"b","Tag.25.Key":"c","Tag.3.Key":"d"}"#;
    for (view, request) in [
        (
            parse_query_view(query).unwrap(),
            parse_query(query).unwrap(),
        ),
        (parse_json_view(json).unwrap(), parse_json(json).unwrap()),
    ] {
        let seen: Vec<u32> = view.tags.iter().map(|tag| tag.index).collect();
        assert_eq!(seen, [0, 3, 25, 30]);
        let owned: Vec<u32> = request.tags.iter().map(|tag| tag.index).collect();
        assert_eq!(owned, [0, 3, 25, 30]);
        // The first refusal is about the lowest N that is out of range.
        let refusal = validate(&view).unwrap_err();
        assert_eq!(refusal.code().as_str(), "InvalidTagKey.Malformed");
        assert_eq!(refusal.parameter(), Some("Tag.0.Key"));
        let named: Vec<String> = violations(&request)
            .iter()
            .map(|error| error.parameter().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(named, ["Tag.0.Key", "Tag.25.Key", "Tag.30.Key"]);
    }
}

#[test]
fn a_tag_list_is_empty_only_without_tags() {
    let none = parse_query_view("DiskId=d-1").unwrap();
    assert!(none.tags.is_empty());
    assert_eq!(none.tags.len(), 0);
    for query in ["DiskId=d-1&Tag.1.Key=k", "DiskId=d-1&Tag.21.Key=k"] {
        let some = parse_query_view(query).unwrap();
        assert!(!some.tags.is_empty(), "{query}");
        assert_eq!(some.tags.len(), 1, "{query}");
    }
}

#[test]
fn keys_alike_in_length_head_and_tail_are_not_duplicates() {
    // Same length, same first and last eight bytes: only the middle tells them apart.
    let query = "DiskId=d-1&Tag.1.Key=abcdefgh-X-12345678&Tag.2.Key=abcdefgh-Y-12345678";
    assert_eq!(validate(&parse_query_view(query).unwrap()), Ok(()));
    assert_eq!(validate(&parse_query(query).unwrap()), Ok(()));
    let same = "DiskId=d-1&Tag.1.Key=abcdefgh-X-12345678&Tag.2.Key=abcdefgh-X-12345678";
    let refusal = validate(&parse_query(same).unwrap()).unwrap_err();
    assert_eq!(refusal.code().as_str(), "Duplicate.TagKey");
    assert_eq!(refusal.parameter(), Some("Tag.2.Key"));
}
