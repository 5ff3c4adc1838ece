//! `Region::load_facts`: a world file or a test's fixture loaded into the simulator.

use ecs_snapshot_rules::state::{Fault, Notice};
use ecs_snapshot_rules::{CreateSnapshotRequest, Facts, Region};

fn region() -> Region {
    Region::new(3, "2026-11-27T12:00:00Z".parse().expect("time"))
}

fn facts(json: &str) -> Facts {
    Facts::from_json(json).expect("facts")
}

#[test]
fn loaded_facts_merge_by_id() {
    let mut region = region();
    region.load_facts(facts(
        r#"{"instances": {"i-1": {}}, "disks": {"d-1": {"instance_id": "i-1"}, "d-2": {"instance_id": "i-1"}},
            "resource_groups": ["rg-1"], "fault": "create_snapshot_failed"}"#,
    ));
    // A second load replaces d-2, adds d-3 and rg-2, keeps d-1 and rg-1; account and fault
    // are replaced (here by their defaults).
    region.load_facts(facts(
        r#"{"disks": {"d-2": {"instance_id": "i-1", "in_arrears": true}, "d-3": {"instance_id": "i-1"}},
            "resource_groups": ["rg-2"]}"#,
    ));
    assert_eq!(region.facts().fault, None::<Fault>);
    assert!(region.disk("d-1").is_some());
    assert!(region.disk("d-2").is_some_and(|d| d.in_arrears));
    assert!(region.facts().resource_groups.contains("rg-1"));
    let answer = |region: &mut Region, disk: &str| {
        region
            .create_snapshot(&CreateSnapshotRequest::new(disk).resource_group_id("rg-2"))
            .result
            .map(|s| s.snapshot_id)
            .map_err(|e| e.code().as_str())
    };
    assert!(answer(&mut region, "d-1").is_ok());
    assert_eq!(answer(&mut region, "d-2"), Err("DiskInArrears"));
    assert!(answer(&mut region, "d-3").is_ok());
}

#[test]
fn a_loaded_snapshot_in_progress_can_be_finished_or_failed() {
    let mut region = region();
    region.load_facts(facts(
        r#"{"instances": {"i-1": {}}, "disks": {"d-1": {"instance_id": "i-1", "creating_snapshot_id": "s-1", "manual_snapshot_count": 1}}}"#,
    ));
    assert!(region.snapshot("s-1").is_some());
    region.fail_snapshot("s-1").expect("progressing");
    assert_eq!(region.disk("d-1").map(|d| d.manual_snapshot_count), Some(0));
    assert!(region
        .create_snapshot(&CreateSnapshotRequest::new("d-1"))
        .result
        .is_ok());
}

#[test]
fn a_loaded_disk_whose_release_time_has_come_is_released() {
    let mut region = region();
    let notices = region.load_facts(facts(
        r#"{"disks": {"d-old": {"status": "Expired", "release_at": "2026-11-27T11:00:00Z"},
                      "d-later": {"status": "Expired", "release_at": "2026-11-27T13:00:00Z"}}}"#,
    ));
    assert_eq!(
        notices,
        [Notice::DiskReleased {
            disk_id: "d-old".to_owned(),
            deleted_snapshot_id: None
        }]
    );
    assert!(region.disk("d-later").is_some());
    let later = region.advance(3600).expect("clock");
    assert_eq!(later.len(), 1);
    assert!(region.disk("d-later").is_none());
}
