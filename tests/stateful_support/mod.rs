//! Helpers shared by the `stateful_*` tests: a healthy world and exact assertions.

#![allow(dead_code)]

use ecs_snapshot_rules::state::{
    Accepted, DiskCategory, DiskFacts, InstanceFacts, InstanceStatus, NewSnapshot, SnapshotKind,
    SnapshotSource,
};
use ecs_snapshot_rules::{ApiError, CreateSnapshotRequest, Facts, Timestamp};

/// The time every test judges at.
pub fn now() -> Timestamp {
    at("2026-11-27T12:00:00Z")
}

/// A timestamp from RFC 3339 text.
#[track_caller]
pub fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

/// `now()` moved by `seconds`.
#[track_caller]
pub fn now_plus(seconds: i64) -> Timestamp {
    now().checked_add_seconds(seconds).unwrap()
}

/// A world where `d-1` (an ESSD attached to the Running instance `i-1`, created a day ago)
/// can be snapshotted; `d-free` is an ESSD that was attached once and is Available now;
/// `rg-1` is a resource group.
pub fn world() -> Facts {
    let mut facts = Facts::default();
    facts.instances.insert(
        "i-1".into(),
        InstanceFacts {
            status: InstanceStatus::Running,
            created_at: Some(now_plus(-86_400)),
            ..InstanceFacts::default()
        },
    );
    facts.disks.insert(
        "d-1".into(),
        DiskFacts {
            instance_id: Some("i-1".into()),
            attached_at: Some(now_plus(-86_000)),
            ..DiskFacts::default()
        },
    );
    facts.disks.insert("d-free".into(), DiskFacts::default());
    facts.resource_groups.insert("rg-1".into());
    facts
}

/// A disk of a facts value, to change it.
#[track_caller]
pub fn disk<'a>(facts: &'a mut Facts, id: &str) -> &'a mut DiskFacts {
    facts.disks.get_mut(id).unwrap()
}

/// An instance of a facts value, to change it.
#[track_caller]
pub fn instance<'a>(facts: &'a mut Facts, id: &str) -> &'a mut InstanceFacts {
    facts.instances.get_mut(id).unwrap()
}

/// A request for `d-1`.
pub fn request() -> CreateSnapshotRequest<'static> {
    CreateSnapshotRequest::new("d-1")
}

/// Asserts a refusal with exactly this status, code and message.
#[track_caller]
pub fn assert_refused(result: Result<Accepted, ApiError>, status: u16, code: &str, message: &str) {
    match result {
        Err(error) => {
            assert_eq!(
                (error.status(), error.code().as_str(), error.message()),
                (status, code, message),
                "refused, but not as expected"
            );
        }
        Ok(accepted) => panic!("expected {status} {code}, got {accepted:?}"),
    }
}

/// Asserts a refusal that also names `parameter`.
#[track_caller]
pub fn assert_refused_about(
    result: Result<Accepted, ApiError>,
    status: u16,
    code: &str,
    message: &str,
    parameter: &str,
) {
    let error = result.clone().err();
    assert_refused(result, status, code, message);
    assert_eq!(
        error
            .and_then(|e| e.parameter().map(str::to_owned))
            .as_deref(),
        Some(parameter)
    );
}

/// Asserts that a new snapshot of the disk `disk_id` of `kind` is accepted.
#[track_caller]
pub fn assert_creates(result: Result<Accepted, ApiError>, disk_id: &str, kind: SnapshotKind) {
    assert_eq!(
        result,
        Ok(Accepted::Create(NewSnapshot {
            source: SnapshotSource::Disk(disk_id.to_owned()),
            kind,
        }))
    );
}

/// Asserts a replay of `snapshot_id`.
#[track_caller]
pub fn assert_replays(result: Result<Accepted, ApiError>, snapshot_id: &str) {
    assert_eq!(
        result,
        Ok(Accepted::Replay {
            snapshot_id: snapshot_id.to_owned()
        })
    );
}

/// The world with `d-1` of `category`.
pub fn with_category(category: DiskCategory) -> Facts {
    let mut facts = world();
    disk(&mut facts, "d-1").category = category;
    facts
}
