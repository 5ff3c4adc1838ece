//! Idempotency by ClientToken: replays, mismatches, requests still in flight, and what
//! "the same parameters" means.

mod stateful_support;

use ecs_snapshot_rules::state::{DiskCategory, Fault, TokenRecord};
use ecs_snapshot_rules::state::{RequestMeaning, SnapshotKind};
use ecs_snapshot_rules::{
    check_preconditions, parse_json, parse_query, CreateSnapshotRequest, Facts, Region,
};
use stateful_support::{
    assert_creates, assert_refused, assert_refused_about, assert_replays, disk, now, world,
};

fn answered(facts: &mut Facts, token: &str, first: &str, snapshot_id: &str) {
    facts.client_tokens.insert(
        token.into(),
        TokenRecord {
            request: parse_query(first).unwrap().into_owned(),
            snapshot_id: Some(snapshot_id.into()),
            in_flight: false,
        },
    );
}

/// The standard world, where token `t` was answered with `s-1` for `first`.
fn answered_with(first: CreateSnapshotRequest<'static>) -> Facts {
    let mut facts = world();
    facts.client_tokens.insert(
        "t".into(),
        TokenRecord {
            request: first,
            snapshot_id: Some("s-1".into()),
            in_flight: false,
        },
    );
    facts
}

#[track_caller]
fn same_meaning(a: &str, b: &str) {
    let (a, b) = (
        parse_query(a).unwrap().into_owned(),
        parse_query(b).unwrap(),
    );
    assert_eq!(RequestMeaning::of(&a), RequestMeaning::of(&b));
    let facts = answered_with(a);
    assert_replays(check_preconditions(&b, &facts, now()), "s-1");
}

#[track_caller]
fn other_meaning(a: &str, b: &str) {
    let (a, b) = (
        parse_query(a).unwrap().into_owned(),
        parse_query(b).unwrap(),
    );
    assert_ne!(RequestMeaning::of(&a), RequestMeaning::of(&b));
    let facts = answered_with(a);
    assert_refused_about(
        check_preconditions(&b, &facts, now()),
        403,
        "IdempotentParameterMismatch",
        "The specified clientToken is used.",
        "ClientToken",
    );
}

#[test]
fn spelling_does_not_change_the_meaning() {
    // Tag order and N.
    same_meaning(
        "DiskId=d-1&ClientToken=t&Tag.1.Key=a&Tag.1.Value=1&Tag.2.Key=b&Tag.2.Value=2",
        "DiskId=d-1&ClientToken=t&Tag.7.Key=b&Tag.7.Value=2&Tag.3.Key=a&Tag.3.Value=1",
    );
    // Deprecated tag spelling; a key without a value is an empty value.
    same_meaning(
        "DiskId=d-1&ClientToken=t&Tag.1.Key=a&Tag.1.Value=",
        "DiskId=d-1&ClientToken=t&Tag.1.key=a",
    );
    // Boolean and integer spelling.
    same_meaning(
        "DiskId=d-1&ClientToken=t&InstantAccess=True&RetentionDays=030",
        "DiskId=d-1&ClientToken=t&InstantAccess=true&RetentionDays=30",
    );
    // Defaults: InstantAccess=false is no InstantAccess.
    same_meaning(
        "DiskId=d-1&ClientToken=t&InstantAccess=false",
        "DiskId=d-1&ClientToken=t",
    );
    // InstantAccessRetentionDays without instant access has no effect.
    same_meaning(
        "DiskId=d-1&ClientToken=t&InstantAccessRetentionDays=5",
        "DiskId=d-1&ClientToken=t",
    );
    // With instant access, it defaults to RetentionDays.
    same_meaning(
        "DiskId=d-1&ClientToken=t&InstantAccess=true&RetentionDays=7",
        "DiskId=d-1&ClientToken=t&InstantAccess=true&RetentionDays=7&InstantAccessRetentionDays=7",
    );
    // An empty ResourceGroupId is none.
    same_meaning(
        "DiskId=d-1&ClientToken=t&ResourceGroupId=",
        "DiskId=d-1&ClientToken=t",
    );
    // So is an empty StorageLocationArn (D236).
    same_meaning(
        "DiskId=d-1&ClientToken=t&StorageLocationArn=",
        "DiskId=d-1&ClientToken=t",
    );
    // Common and unknown parameters differ on every retry.
    same_meaning(
        "DiskId=d-1&ClientToken=t&Timestamp=2026-11-27T12:00:00Z&SignatureNonce=1&RegionId=cn-hangzhou",
        "DiskId=d-1&ClientToken=t&Timestamp=2026-11-27T12:00:05Z&SignatureNonce=2&Whatever=x",
    );
    // A JSON request and a query string.
    let json = parse_json(r#"{"DiskId": "d-1", "ClientToken": "t", "InstantAccess": true, "Tag": [{"Key": "a", "Value": "1"}]}"#).unwrap();
    let query =
        parse_query("DiskId=d-1&ClientToken=t&Tag.1.Key=a&Tag.1.Value=1&InstantAccess=TRUE")
            .unwrap();
    assert_eq!(RequestMeaning::of(&json), RequestMeaning::of(&query));
}

#[test]
fn meaning_changes_the_meaning() {
    other_meaning("DiskId=d-1&ClientToken=t", "DiskId=d-free&ClientToken=t");
    other_meaning(
        "DiskId=d-1&ClientToken=t&SnapshotName=a1",
        "DiskId=d-1&ClientToken=t&SnapshotName=a2",
    );
    other_meaning(
        "DiskId=d-1&ClientToken=t&SnapshotName=ab",
        "DiskId=d-1&ClientToken=t",
    );
    other_meaning(
        "DiskId=d-1&ClientToken=t&Description=ab",
        "DiskId=d-1&ClientToken=t&Description=AB",
    );
    other_meaning(
        "DiskId=d-1&ClientToken=t&RetentionDays=1",
        "DiskId=d-1&ClientToken=t&RetentionDays=2",
    );
    other_meaning(
        "DiskId=d-1&ClientToken=t&InstantAccess=true",
        "DiskId=d-1&ClientToken=t",
    );
    other_meaning(
        "DiskId=d-1&ClientToken=t&InstantAccess=true&InstantAccessRetentionDays=1",
        "DiskId=d-1&ClientToken=t&InstantAccess=true&InstantAccessRetentionDays=2",
    );
    other_meaning(
        "DiskId=d-1&ClientToken=t&Tag.1.Key=a",
        "DiskId=d-1&ClientToken=t&Tag.1.Key=A",
    );
    other_meaning(
        "DiskId=d-1&ClientToken=t&Tag.1.Key=a&Tag.1.Value=1",
        "DiskId=d-1&ClientToken=t&Tag.1.Key=a&Tag.1.Value=2",
    );
    other_meaning(
        "DiskId=d-1&ClientToken=t&Tag.1.Key=a",
        "DiskId=d-1&ClientToken=t",
    );
    other_meaning(
        "DiskId=d-1&ClientToken=t&ResourceGroupId=rg-1",
        "DiskId=d-1&ClientToken=t",
    );
    other_meaning(
        "DiskId=d-1&ClientToken=t&StorageLocationArn=arn-1",
        "DiskId=d-1&ClientToken=t&StorageLocationArn=arn-2",
    );
}

/// The token is the key of a meaning, not part of it: the same request under two tokens means
/// the same.
#[test]
fn the_client_token_is_no_part_of_the_meaning() {
    let first = parse_query("DiskId=d-1&ClientToken=t-1&SnapshotName=nightly").unwrap();
    let second = parse_query("DiskId=d-1&ClientToken=t-2&SnapshotName=nightly").unwrap();
    let none = parse_query("DiskId=d-1&SnapshotName=nightly").unwrap();
    assert_eq!(RequestMeaning::of(&first), RequestMeaning::of(&second));
    assert_eq!(RequestMeaning::of(&first), RequestMeaning::of(&none));
}

/// Any account may send Category now (D226): `Category=Standard`, in any letter case, is a
/// normal snapshot and means what no Category means; `Flash` asks for another kind.
#[test]
fn category_standard_means_no_category() {
    let standard = parse_query("DiskId=d-1&Category=Standard").unwrap();
    let lower = parse_query("DiskId=d-1&Category=standard").unwrap();
    let flash = parse_query("DiskId=d-1&Category=Flash").unwrap();
    let none = parse_query("DiskId=d-1").unwrap();
    let instant = parse_query("DiskId=d-1&InstantAccess=true").unwrap();
    assert_eq!(SnapshotKind::of(&standard), SnapshotKind::of(&none));
    assert_eq!(SnapshotKind::of(&none), SnapshotKind::Normal);
    assert_eq!(SnapshotKind::of(&flash), SnapshotKind::Flash);
    assert_eq!(SnapshotKind::of(&instant), SnapshotKind::InstantAccess);
    assert_eq!(RequestMeaning::of(&standard), RequestMeaning::of(&none));
    assert_eq!(RequestMeaning::of(&lower), RequestMeaning::of(&standard));
    assert_ne!(RequestMeaning::of(&flash), RequestMeaning::of(&none));
    assert_ne!(RequestMeaning::of(&flash), RequestMeaning::of(&instant));
}

#[test]
fn a_replayed_token_with_category_standard_is_a_replay() {
    same_meaning(
        "DiskId=d-1&ClientToken=t&RetentionDays=30",
        "DiskId=d-1&ClientToken=t&RetentionDays=30&Category=standard&InstantAccess=false",
    );
    other_meaning(
        "DiskId=d-1&ClientToken=t&RetentionDays=30",
        "DiskId=d-1&ClientToken=t&RetentionDays=30&Category=Flash",
    );
}

#[test]
fn a_replay_answers_with_the_first_snapshot_whatever_the_state_now() {
    let mut facts = world();
    answered(&mut facts, "t-1", "DiskId=d-1&ClientToken=t-1", "s-first");
    // The first snapshot is still being created, and the quota is full: a new request would
    // be refused, the replay is not.
    disk(&mut facts, "d-1").creating_snapshot_id = Some("s-first".into());
    disk(&mut facts, "d-1").manual_snapshot_count = 256;
    let retry = CreateSnapshotRequest::new("d-1").client_token("t-1");
    assert_replays(check_preconditions(&retry, &facts, now()), "s-first");
    // Even once the disk is gone.
    facts.disks.clear();
    assert_replays(check_preconditions(&retry, &facts, now()), "s-first");
    // But not past the stateless rules, nor a failure of the back end before the token.
    assert_refused(
        check_preconditions(&retry.clone().snapshot_name("x"), &facts, now()),
        400,
        "InvalidSnapshotName.Malformed",
        "The specified SnapshotName is wrongly formed.",
    );
    facts.fault = Some(Fault::InternalError);
    assert_refused(
        check_preconditions(&retry, &facts, now()),
        500,
        "InternalError",
        "The request processing has failed due to some unknown error.",
    );
    // A failure after the checks is not reached by a replay.
    facts.fault = Some(Fault::CreateSnapshotFailed);
    assert_replays(check_preconditions(&retry, &facts, now()), "s-first");
}

#[test]
fn in_flight_then_mismatch_order() {
    let mut facts = world();
    facts.client_tokens.insert(
        "t-1".into(),
        TokenRecord {
            request: CreateSnapshotRequest::new("d-1").client_token("t-1"),
            snapshot_id: None,
            in_flight: true,
        },
    );
    let same = CreateSnapshotRequest::new("d-1").client_token("t-1");
    assert_refused_about(
        check_preconditions(&same, &facts, now()),
        403,
        "IdempotentProcessing",
        "The previous idempotent request(s) is still processing.",
        "ClientToken",
    );
    // Another meaning is a mismatch even while the first is in flight.
    assert_refused(
        check_preconditions(&same.clone().snapshot_name("other"), &facts, now()),
        403,
        "IdempotentParameterMismatch",
        "The specified clientToken is used.",
    );
    // A record with a snapshot but still in flight, or answered without one, is in flight.
    for (snapshot_id, in_flight) in [(Some("s-1".to_owned()), true), (None, false)] {
        let record = facts.client_tokens.get_mut("t-1").unwrap();
        record.snapshot_id = snapshot_id;
        record.in_flight = in_flight;
        assert_refused(
            check_preconditions(&same, &facts, now()),
            403,
            "IdempotentProcessing",
            "The previous idempotent request(s) is still processing.",
        );
    }
}

#[test]
fn tokens_are_case_sensitive_and_empty_is_none() {
    let mut facts = world();
    answered(
        &mut facts,
        "t-1",
        "DiskId=d-free&ClientToken=t-1",
        "s-first",
    );
    let other_case = CreateSnapshotRequest::new("d-1").client_token("T-1");
    assert_creates(
        check_preconditions(&other_case, &facts, now()),
        "d-1",
        ecs_snapshot_rules::state::SnapshotKind::Normal,
    );
    answered(&mut facts, "", "DiskId=d-free", "s-empty");
    let empty = CreateSnapshotRequest::new("d-1").client_token("");
    assert_creates(
        check_preconditions(&empty, &facts, now()),
        "d-1",
        ecs_snapshot_rules::state::SnapshotKind::Normal,
    );
}

// ----- In the simulator -----

fn ready_region() -> (Region, String) {
    let mut region = Region::new(1, stateful_support::at("2026-01-01T00:00:00Z"));
    let vm = region.create_instance(DiskCategory::CloudEssd);
    region.start_instance(&vm.instance_id).unwrap();
    region.advance(3600).unwrap();
    (region, vm.system_disk_id)
}

#[test]
fn a_replay_creates_nothing_even_while_the_snapshot_progresses() {
    let (mut region, disk_id) = ready_region();
    let request = CreateSnapshotRequest::new(&disk_id)
        .client_token("t-1")
        .tag("a", "1")
        .tag("b", "2");
    let first = region.create_snapshot(&request);
    let first_id = first.result.clone().unwrap().snapshot_id;
    let before = region.facts().clone();
    // The same meaning, spelled otherwise.
    let retry = parse_query(&format!(
        "DiskId={disk_id}&ClientToken=t-1&Tag.1.key=b&Tag.1.value=2&Tag.2.Key=a&Tag.2.Value=1"
    ))
    .unwrap()
    .into_owned();
    let again = region.create_snapshot(&retry);
    let success = again.result.unwrap();
    assert_eq!(success.snapshot_id, first_id);
    assert!(success.replayed);
    assert_ne!(again.request_id, first.request_id);
    assert_eq!(region.facts(), &before);
    assert_eq!(region.snapshots().count(), 1);
    // Another meaning with the same token.
    let answer = region.create_snapshot(&request.clone().snapshot_name("other"));
    let error = answer.result.unwrap_err();
    assert_eq!(
        (error.status(), error.code().as_str(), error.message()),
        (
            403,
            "IdempotentParameterMismatch",
            "The specified clientToken is used."
        )
    );
    // After the snapshot is accomplished, still the same answer.
    region.finish_snapshot(&first_id).unwrap();
    assert_eq!(
        region.create_snapshot(&request).result.unwrap().snapshot_id,
        first_id
    );
    assert_eq!(region.snapshots().count(), 1);
}

#[test]
fn a_call_in_flight_holds_its_token() {
    let (mut region, disk_id) = ready_region();
    let request = CreateSnapshotRequest::new(&disk_id).client_token("t-1");
    let ticket = region.submit(&request);
    let retry = region.create_snapshot(&request).result.unwrap_err();
    assert_eq!(
        (retry.status(), retry.code().as_str(), retry.message()),
        (
            403,
            "IdempotentProcessing",
            "The previous idempotent request(s) is still processing."
        )
    );
    let request_id = ticket.request_id().to_owned();
    let answer = region.complete(ticket).unwrap();
    assert_eq!(answer.request_id, request_id);
    let first = answer.result.unwrap();
    assert!(!first.replayed);
    let replay = region.create_snapshot(&request).result.unwrap();
    assert_eq!(
        (replay.snapshot_id, replay.replayed),
        (first.snapshot_id, true)
    );
}

#[test]
fn a_refused_call_records_nothing() {
    let (mut region, disk_id) = ready_region();
    region.set_fault(Some(Fault::InternalError));
    let request = CreateSnapshotRequest::new(&disk_id).client_token("t-1");
    // While the refused call is in flight, its token is taken.
    let ticket = region.submit(&request);
    let during = region.create_snapshot(&request).result.unwrap_err();
    assert_eq!(
        (during.status(), during.code().as_str(), during.message()),
        (
            500,
            "InternalError",
            "The request processing has failed due to some unknown error."
        )
    );
    region.set_fault(None);
    let during = region.create_snapshot(&request).result.unwrap_err();
    assert_eq!(
        (during.status(), during.code().as_str(), during.message()),
        (
            403,
            "IdempotentProcessing",
            "The previous idempotent request(s) is still processing."
        )
    );
    let refused = region.complete(ticket).unwrap().result.unwrap_err();
    assert_eq!(
        (refused.status(), refused.code().as_str(), refused.message()),
        (
            500,
            "InternalError",
            "The request processing has failed due to some unknown error."
        )
    );
    assert!(region.facts().client_tokens.is_empty());
    // The retry of a 5xx is judged afresh, and succeeds.
    let retry = region.create_snapshot(&request).result.unwrap();
    assert!(!retry.replayed);
    // A ticket cannot be answered twice: it is consumed; a ticket of another region is unknown.
    let mut other = Region::new(2, region.now());
    let foreign = other.submit(&request);
    let error = region.complete(foreign).unwrap_err();
    assert!(matches!(
        error,
        ecs_snapshot_rules::state::RegionError::UnknownTicket(_)
    ));
}
