//! How many heap allocations the request path makes, counted by a global allocator that
//! wraps the system's. Counts are deterministic, so they are asserted exactly.
//!
//! - Validating a typed request allocates nothing, owned or borrowed, accepted or refused,
//!   except a refusal whose message or parameter is filled in at run time.
//! - Parsing into a `RequestView` allocates once per value that decoding changes, and for
//!   nothing else; a JSON document with escapes adds serde_json's scratch buffer (allocated
//!   at the first escaped string, grown when a longer one comes).
//!
//! The allocator counts every thread, so this file holds a single test.

use std::alloc::System;
use std::hint::black_box;

use ecs_snapshot_rules::request::SnapshotCategory;
use ecs_snapshot_rules::wire::{parse_json_view, parse_query_view};
use ecs_snapshot_rules::{
    check_preconditions, parse_query, validate, CreateSnapshotRequest, ErrorCode, Facts, Timestamp,
};
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// How many allocations `f` makes (reallocations count as allocations).
fn allocations<T>(f: impl FnOnce() -> T) -> usize {
    let region = Region::new(GLOBAL);
    let result = black_box(f());
    let change = region.change();
    drop(result);
    change.allocations + change.reallocations
}

/// The API reference's sample request, with the common parameters a signed call carries.
const SAMPLE: &str = "Action=CreateSnapshot&DiskId=d-bp1s5fnvk4gn2tws0%2A%2A%2A%2A&SnapshotName=testSnapshotName&Description=testDescription&ClientToken=123e4567-e89b-12d3-a456-426655440000&Tag.1.Key=TestKey&Tag.1.Value=TestValue&RegionId=cn-hangzhou&Format=JSON&Version=2014-05-26&Timestamp=2026-11-27T00%3A00%3A00Z&SignatureNonce=3f1e&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&AccessKeyId=testid&Signature=abc%3D";

fn full_request() -> CreateSnapshotRequest<'static> {
    let mut request = CreateSnapshotRequest::new("d-bp1s5fnvk4gn2tws0")
        .snapshot_name("nightly-2026-11-27")
        .description("快照 of the database volume, taken before the upgrade ".repeat(4))
        .retention_days(30)
        .client_token("123e4567-e89b-12d3-a456-426655440000")
        .resource_group_id("rg-bp67acfmxazb4p")
        .instant_access(true)
        .instant_access_retention_days(1);
    for n in 0..20 {
        request = request.tag(format!("team-{n}-é"), format!("value {n} 快照"));
    }
    request
}

fn typed_validation() {
    let minimal = CreateSnapshotRequest::new("d-1");
    assert_eq!(allocations(|| validate(&minimal)), 0, "minimal");
    let sample = parse_query(&SAMPLE).unwrap();
    assert_eq!(allocations(|| validate(&sample)), 0, "sample");
    let full = full_request();
    assert_eq!(allocations(|| validate(&full)), 0, "full");
    assert_eq!(allocations(|| validate(&full)), 0, "full, borrowed");

    // Names in other scripts are judged a character at a time, on the stack.
    let chinese = CreateSnapshotRequest::new("d-1").snapshot_name("快照备份.2026-12-01");
    assert_eq!(allocations(|| validate(&chinese)), 0, "Chinese name");
    let symbol = CreateSnapshotRequest::new("d-1").snapshot_name("快照→备份");
    assert_eq!(
        validate(&symbol).unwrap_err().code(),
        ErrorCode::InvalidSnapshotNameMalformed
    );
    assert_eq!(allocations(|| validate(&symbol)), 0, "name with a symbol");

    // Refusals with a fixed message and a fixed parameter name.
    let early = CreateSnapshotRequest::new("d-1").snapshot_name("auto-1");
    assert_eq!(allocations(|| validate(&early)), 0, "early refusal");
    let mut bad_tag = full_request();
    bad_tag.tags.iter_mut().nth(19).unwrap().key = Some("acs:x".into());
    let refusal = validate(&bad_tag).unwrap_err();
    assert_eq!(refusal.parameter(), Some("Tag.20.Key"));
    assert_eq!(allocations(|| validate(&bad_tag)), 0, "tag refusal");
    let mut duplicate = full_request();
    let first_key = duplicate.tags.iter().next().unwrap().key.clone();
    duplicate.tags.iter_mut().nth(19).unwrap().key = first_key;
    assert_eq!(
        validate(&duplicate).unwrap_err().code(),
        ErrorCode::DuplicateTagKey
    );
    assert_eq!(allocations(|| validate(&duplicate)), 0, "duplicate keys");
    let late = CreateSnapshotRequest::new("d-1")
        .category(SnapshotCategory::Standard)
        .instant_access(true);
    assert_eq!(
        validate(&late).unwrap_err().code(),
        ErrorCode::InvalidCategoryAndInstantAccessMalformed
    );
    assert_eq!(allocations(|| validate(&late)), 0, "late refusal");

    // Refusals whose message is filled in at run time: one allocation, the message.
    let too_many = full_request().tag("k", "v");
    let refusal = validate(&too_many).unwrap_err();
    assert_eq!(refusal.code(), ErrorCode::QuotaExceedTags);
    assert_eq!(
        refusal.message(),
        "The number of tags (21) exceeds the quota of 20."
    );
    assert_eq!(allocations(|| validate(&too_many)), 1, "QuotaExceed.Tags");
    let not_boolean = parse_query("DiskId=d-1&InstantAccess=yes").unwrap();
    assert_eq!(
        allocations(|| validate(&not_boolean)),
        1,
        "InvalidParameter"
    );
}

fn query_parsing() {
    // No escapes: nothing, common parameters included.
    let plain = "Action=CreateSnapshot&DiskId=d-1&SnapshotName=nightly&Description=before-upgrade&RetentionDays=30&Tag.1.Key=env&Tag.1.Value=prod&RegionId=cn-hangzhou&Version=2014-05-26";
    assert_eq!(allocations(|| parse_query_view(plain)), 0, "plain query");
    assert_eq!(
        allocations(|| parse_query_view(plain).map(|view| validate(&view))),
        0,
        "plain query, judged"
    );
    // One allocation per kept value that decoding changes; escaped common parameters are
    // checked on the stack and dropped.
    for (input, escaped) in [
        ("DiskId=d-1%2A", 1),
        ("DiskId=d-1&Description=nightly+run", 1),
        (
            "DiskId=d-1%2A&Description=nightly+run&Tag.3.Value=%E5%BF%AB",
            3,
        ),
        (
            "DiskId=d-1&Timestamp=2026-11-27T00%3A00%3A00Z&Signature=abc%3D",
            0,
        ),
        (SAMPLE, 1),
    ] {
        assert_eq!(allocations(|| parse_query_view(input)), escaped, "{input}");
        assert_eq!(
            allocations(|| parse_query_view(input).map(|view| validate(&view))),
            escaped,
            "{input}, judged"
        );
    }
    // Twenty tags stay on the stack.
    let full = full_request().to_query();
    let view = parse_query_view(&full).unwrap();
    assert_eq!(view.tags.len(), 20);
    let escaped_values = 1 + 20 + 20; // the description, each key and each value
    assert_eq!(allocations(|| parse_query_view(&full)), escaped_values);
}

fn json_parsing() {
    let plain = r#"{"DiskId": "d-1", "SnapshotName": "nightly", "RetentionDays": 30, "InstantAccess": true, "InstantAccessRetentionDays": 1, "RegionId": "cn-hangzhou", "OwnerId": 1234, "Extra": [1, {"a": null}], "Tag": [{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "快照"}]}"#;
    assert_eq!(allocations(|| parse_json_view(plain)), 0, "plain JSON");
    assert_eq!(
        allocations(|| parse_json_view(plain).map(|view| validate(&view))),
        0,
        "plain JSON, judged"
    );
    let mut twenty = String::from(r#"{"DiskId": "d-1", "Tag": ["#);
    for n in 1..=20 {
        let comma = if n < 20 { "," } else { "" };
        twenty.push_str(&format!(r#"{{"Key": "k{n}", "Value": "v{n}"}}{comma}"#));
    }
    twenty.push_str("]}");
    assert_eq!(allocations(|| parse_json_view(&twenty)), 0, "twenty tags");
    // An escape: the value, and serde_json's scratch buffer once a document.
    let one = r#"{"DiskId": "d-\u0031", "Description": "plain text"}"#;
    assert_eq!(allocations(|| parse_json_view(one)), 2, "one escape");
    let two = r#"{"DiskId": "d-\u0031", "Description": "a\nb"}"#;
    assert_eq!(allocations(|| parse_json_view(two)), 3, "two escapes");
    // The scratch buffer grows when a longer escaped string comes: once more here.
    let longer = r#"{"DiskId": "d-\u0031", "Description": "line\nbreak"}"#;
    assert_eq!(
        allocations(|| parse_json_view(longer)),
        4,
        "a longer escape"
    );
}

fn stateful_check() {
    let facts = Facts::from_json(
        r#"{
        "disks": {"d-1": {"instance_id": "i-1"}, "d-full": {"instance_id": "i-1", "manual_snapshot_count": 256}},
        "instances": {"i-1": {"status": "Running"}}
    }"#,
    )
    .unwrap();
    let now: Timestamp = "2026-11-27T12:00:00Z".parse().unwrap();
    let accepted = CreateSnapshotRequest::new("d-1").client_token("t-1");
    // The answer names the disk it snapshots: that String is the one allocation.
    assert_eq!(
        allocations(|| check_preconditions(&accepted, &facts, now)),
        1,
        "accepted"
    );
    let full = CreateSnapshotRequest::new("d-full");
    assert_eq!(
        check_preconditions(&full, &facts, now).unwrap_err().code(),
        ErrorCode::QuotaExceedSnapshot
    );
    assert_eq!(
        allocations(|| check_preconditions(&full, &facts, now)),
        0,
        "refused"
    );
}

#[test]
fn allocation_counts() {
    typed_validation();
    query_parsing();
    json_parsing();
    stateful_check();
}
