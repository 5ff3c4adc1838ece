//! The facts file format: the documented example `examples/world.json` with its request,
//! and the errors a hand-written file gets.

mod stateful_support;

use ecs_snapshot_rules::state::{Accepted, FactsError, NewSnapshot, SnapshotKind, SnapshotSource};
use ecs_snapshot_rules::{check_preconditions, parse_request, Facts};
use stateful_support::{assert_refused, at};

fn example() -> Facts {
    let text = include_str!("../examples/world.json");
    Facts::from_json(text).unwrap()
}

#[test]
fn the_example_request_is_refused_for_a_stateful_reason() {
    let request = parse_request(include_str!("../examples/world-request.txt").trim())
        .unwrap()
        .into_owned();
    assert_eq!(ecs_snapshot_rules::validate(&request), Ok(()));
    // Ten minutes after d-data01 was attached, its wait has twenty minutes to go.
    let now = at("2026-11-27T12:00:00Z");
    assert_refused(
        check_preconditions(&request, &example(), now),
        403,
        "IncorrectDiskStatus",
        "The current disk status does not support this operation.",
    );
    // Once the wait is over, it is accepted.
    let later = at("2026-11-27T12:20:00Z");
    assert_eq!(
        check_preconditions(&request, &example(), later),
        Ok(Accepted::Create(NewSnapshot {
            source: SnapshotSource::Disk("d-data01".into()),
            kind: SnapshotKind::Normal,
        }))
    );
}

/// The table of `docs/STATEFUL.md`'s example section.
#[test]
fn every_disk_of_the_example() {
    let facts = example();
    let now = at("2026-11-27T12:00:00Z");
    type Expected = Result<&'static str, (u16, &'static str, &'static str)>;
    let cases: &[(&str, Expected)] = &[
        ("DiskId=d-system01", Ok("create")),
        (
            "DiskId=d-system01&SnapshotName=nightly-2026-11-26&ClientToken=nightly-2026-11-26",
            Ok("s-nightly26"),
        ),
        (
            "DiskId=d-system01&SnapshotName=nightly-2026-11-27&ClientToken=nightly-2026-11-26",
            Err((
                403,
                "IdempotentParameterMismatch",
                "The specified clientToken is used.",
            )),
        ),
        (
            "DiskId=d-system01&Tag.1.Key=release&Tag.1.Value=4711&ClientToken=deploy-4711",
            Err((
                403,
                "IdempotentProcessing",
                "The previous idempotent request(s) is still processing.",
            )),
        ),
        ("DiskId=d-system01&InstantAccess=true", Ok("create")),
        (
            // The example account used local snapshots before 2020-12-14: a local snapshot
            // of an ESSD (D226, D227).
            "DiskId=d-system01&Category=Flash",
            Ok("create"),
        ),
        (
            "DiskId=d-system01&ResourceGroupId=rg-test",
            Err((
                404,
                "InvalidResourceGroup.NotFound",
                "The ResourceGroup provided does not exist in our records.",
            )),
        ),
        (
            "DiskId=d-busy",
            Err((
                403,
                "IncorrectDiskStatus.CreatingSnapshot",
                "A previous snapshot creation is in process.",
            )),
        ),
        (
            // Instant access takes effect for the example account, and a cloud_ssd is not
            // of the ESSD series (D227).
            "DiskId=d-busy&InstantAccess=true",
            Err((
                400,
                "DiskCategory.OperationNotSupported",
                "The type of the specified disk does not support creating a snapshot.",
            )),
        ),
        ("DiskId=d-archive", Ok("create")),
        (
            "DiskId=d-blank",
            Err((
                403,
                "IncorrectDiskStatus.NeverAttached",
                "The specified disk has never been attached to any instance.",
            )),
        ),
        (
            "DiskId=d-new-system",
            Err((
                400,
                "IncorrectInstanceStatus",
                "The current status of the resource does not support this operation.",
            )),
        ),
        (
            "DiskId=d-quarantined",
            Err((
                403,
                "InstanceLockedForSecurity",
                "The disk attached instance is locked due to security.",
            )),
        ),
        (
            "DiskId=d-scratch",
            Err((
                403,
                "IncorrectDiskType.NotSupport",
                "The specified device type is not supported.",
            )),
        ),
        ("DiskId=d-shared01", Ok("volume")),
        (
            "DiskId=d-gone",
            Err((
                404,
                "InvalidDiskId.NotFound",
                "The specified DiskId does not exist.",
            )),
        ),
    ];
    for (query, expected) in cases {
        let request = parse_request(query).unwrap();
        let result = check_preconditions(&request, &facts, now);
        match expected {
            Ok("create") => assert!(
                matches!(
                    &result,
                    Ok(Accepted::Create(NewSnapshot {
                        source: SnapshotSource::Disk(_),
                        ..
                    }))
                ),
                "{query}: {result:?}"
            ),
            Ok("volume") => assert!(
                matches!(
                    &result,
                    Ok(Accepted::Create(NewSnapshot {
                        source: SnapshotSource::Volume(_),
                        ..
                    }))
                ),
                "{query}: {result:?}"
            ),
            Ok(snapshot_id) => assert_eq!(
                result,
                Ok(Accepted::Replay {
                    snapshot_id: (*snapshot_id).to_owned()
                }),
                "{query}"
            ),
            Err((status, code, message)) => {
                let error = result.expect_err(query);
                assert_eq!(
                    (error.status(), error.code().as_str(), error.message()),
                    (*status, *code, *message),
                    "{query}"
                );
            }
        }
    }
    // A week later the archive disk has been released.
    let week_later = at("2026-12-04T00:00:00Z");
    assert_refused(
        check_preconditions(
            &parse_request("DiskId=d-archive").unwrap(),
            &facts,
            week_later,
        ),
        404,
        "InvalidDiskId.NotFound",
        "The specified DiskId does not exist.",
    );
}

#[test]
fn an_empty_file_is_an_empty_world_of_an_ordinary_account() {
    let facts = Facts::from_json("{}").unwrap();
    assert_eq!(facts, Facts::default());
    assert!(facts.account.snapshot_service_activated && facts.account.enough_balance);
    assert!(facts.account.enough_balance_for_postpaid);
    assert_eq!(facts.account.channel_partner_snapshot_quota, None);
    assert!(facts.region.instant_access_available);
    assert!(facts.storage_location_arns.is_empty());
    assert!(!facts.account.used_local_snapshots_before_2020_12_14);
    // A byte order mark is skipped.
    assert_eq!(Facts::from_json("\u{feff}{}").unwrap(), Facts::default());
}

#[track_caller]
fn bad(text: &str, line: usize, column: usize, message: &str) {
    assert_eq!(
        Facts::from_json(text),
        Err(FactsError {
            line,
            column,
            message: message.to_owned()
        })
    );
}

#[test]
fn typos_and_bad_values_are_errors_with_a_position() {
    bad(
        r#"{"disk": {}}"#,
        1,
        7,
        "unknown field `disk`, expected one of `account`, `region`, `disks`, `instances`, `volumes`, `resource_groups`, `storage_location_arns`, `client_tokens`, `fault`",
    );
    bad(
        "{\"disks\": {\"d-1\": {\n  \"ever_atached\": false}}}",
        2,
        16,
        "unknown field `ever_atached`, expected one of `exists`, `category`, `status`, `expires_at`, `release_at`, `in_arrears`, `transferring`, `status_invalid`, `in_cloud_box`, `ever_attached`, `ever_used`, `encryption`, `instance_id`, `attached_at`, `ready_for_snapshot_at`, `manual_snapshot_count`, `unfinished_encrypted_copies`, `automatic_or_group_snapshot_in_progress`, `creating_snapshot_id`, `also_creating_snapshot_ids`, `concurrent_snapshot_quota`",
    );
    bad(
        r#"{"disks": {"d-1": {"status": "InUse"}}}"#,
        1,
        36,
        "unknown variant `InUse`, expected one of `Creating`, `Available`, `Attaching`, `In_use`, `Detaching`, `ReIniting`, `Expired`, `Released`",
    );
    bad(
        r#"{"instances": {"i-1": {"created_at": "2026-11-27 12:00:00"}}}"#,
        1,
        59,
        "\"2026-11-27 12:00:00\" is not an RFC 3339 timestamp: expected 'Z' or an offset like +08:00 (expected e.g. 2026-11-27T12:00:00Z)",
    );
    bad(
        r#"{"disks": {"d-1": {"manual_snapshot_count": -1}}}"#,
        1,
        46,
        "invalid value: integer `-1`, expected u32",
    );
    bad(
        r#"{"fault": "timeout"}"#,
        1,
        19,
        "unknown variant `timeout`, expected one of `internal_error`, `internal_error_exception`, `create_snapshot_failed`",
    );
    bad(
        r#"{"client_tokens": {"t": {"snapshot_id": "s-1"}}}"#,
        1,
        46,
        "missing field `request`",
    );
    bad(
        r#"{"client_tokens": {"t": {"request": "DiskId=a&DiskId=b"}}}"#,
        1,
        56,
        "the request cannot be read: parameter DiskId is given more than once",
    );
    bad(
        r#"{"client_tokens": {"t": {"request": 5}}}"#,
        1,
        38,
        "a request must be a query string or an object with the API's parameter names",
    );
    bad(
        r#"{"instances": {"i-1": {"operation_locks": [{"LockReason": "security"}]}}}"#,
        1,
        56,
        "unknown field `LockReason`, expected `lock_reason`",
    );
}

#[test]
fn token_requests_are_query_strings_or_objects() {
    let facts = example();
    let record = &facts.client_tokens["deploy-4711"];
    assert_eq!(
        record.request.tags.iter().next().unwrap().key.as_deref(),
        Some("release")
    );
    assert!(record.in_flight);
    // Written back as query strings.
    let text = facts.to_json_pretty();
    assert!(text.contains(r#""request": "Action=CreateSnapshot&DiskId=d-system01&Tag.1.Key=release&Tag.1.Value=4711""#), "{text}");
    assert_eq!(Facts::from_json(&text).unwrap(), facts);
}
