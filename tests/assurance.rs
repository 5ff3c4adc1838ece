//! Tests written for mutants (scripts/mutants) that no other test caught: each pins a
//! behaviour the rest of the suite relied on without checking.

use ecs_snapshot_rules::request::TagSpelling;
use ecs_snapshot_rules::state::{DiskCategory, SnapshotSource};
use ecs_snapshot_rules::testing::oracle::{valid_request, Defect};
use ecs_snapshot_rules::{
    check_preconditions, parse_json, ApiError, CreateSnapshotRequest, ErrorCode, Facts, ParseError,
    Region, Timestamp,
};

#[test]
fn an_api_error_displays_code_status_and_message() {
    assert_eq!(
        ApiError::new(ErrorCode::InvalidRetentionDaysMalformed).to_string(),
        "InvalidRetentionDays.Malformed (HTTP 400): The specified RetentionDays is not valid."
    );
}

#[test]
fn json_that_is_not_an_object_says_what_was_expected() {
    let Err(ParseError::Json { message, .. }) = parse_json("[1]") else {
        panic!("an array is not a request");
    };
    assert_eq!(
        message,
        "invalid type: sequence, expected a JSON object of CreateSnapshot parameters"
    );
}

#[test]
fn a_disk_category_displays_as_the_api_spells_it() {
    assert_eq!(DiskCategory::CloudEssd.to_string(), "cloud_essd");
    assert_eq!(DiskCategory::LocalSsdPro.to_string(), "local_ssd_pro");
}

#[test]
fn a_snapshot_source_is_its_id() {
    assert_eq!(SnapshotSource::Disk("d-1".to_owned()).id(), "d-1");
    assert_eq!(SnapshotSource::Volume("v-2".to_owned()).id(), "v-2");
}

#[test]
fn a_kms_key_is_authorised_unless_the_facts_say_otherwise() {
    let facts =
        Facts::from_json(r#"{"disks": {"d-1": {"encryption": {"kms_key_id": "key-1"}}}}"#).unwrap();
    let encryption = facts.disks["d-1"].encryption.as_ref().unwrap();
    assert!(encryption.ecs_authorized);
}

#[test]
fn a_listed_disk_past_its_release_time_is_not_found() {
    // Gone, so none of its own conditions (here: in arrears) is looked at.
    let facts = Facts::from_json(
        r#"{"disks": {"d-1": {"release_at": "2026-01-01T00:00:00Z", "in_arrears": true}}}"#,
    )
    .unwrap();
    let now: Timestamp = "2026-06-01T00:00:00Z".parse().unwrap();
    let refusal = check_preconditions(&CreateSnapshotRequest::new("d-1"), &facts, now).unwrap_err();
    assert_eq!(refusal.code(), ErrorCode::InvalidDiskIdNotFound);
}

#[test]
fn request_ids_use_all_128_bits() {
    let mut region = Region::new(7, Timestamp::from_unix_seconds(1_790_000_000).unwrap());
    let ids: Vec<String> = (0..8)
        .map(|_| {
            region
                .create_snapshot(&CreateSnapshotRequest::new("d-none"))
                .request_id
        })
        .collect();
    // The first 64 bits and the last 64 come from two draws: neither half is always zero.
    assert!(ids.iter().any(|id| !id.starts_with("00000000-0000-0000")));
    assert!(ids.iter().any(|id| !id.ends_with("0000-000000000000")));
}

#[test]
fn valid_requests_reach_every_class_the_oracle_promises() {
    let requests: Vec<CreateSnapshotRequest> = (0..1000).map(valid_request).collect();
    let any = |f: &dyn Fn(&CreateSnapshotRequest) -> bool| requests.iter().any(f);
    assert!(any(&|r| r.category.is_some()));
    assert!(any(&|r| r.instant_access.is_some()));
    assert!(any(&|r| r.category.is_none() && r.instant_access.is_none()));
    assert!(any(&|r| r
        .tags
        .iter()
        .any(|t| t.key_spelling == TagSpelling::Deprecated)));
    assert!(any(&|r| r
        .tags
        .iter()
        .any(|t| t.value_spelling == TagSpelling::Deprecated)));
    assert!(any(&|r| r.tags.iter().any(|t| t
        .key
        .as_ref()
        .unwrap()
        .chars()
        .count()
        == 128)));
    assert!(any(&|r| r.tags.len() == 20));
}

#[test]
fn each_defect_breaks_the_request_the_way_its_name_says() {
    let base = valid_request(3);
    let broken = |defect: Defect| defect.apply(&base).request;
    assert_eq!(broken(Defect::MissingDiskId).disk_id, None);
    assert_eq!(broken(Defect::EmptyDiskId).disk_id.as_deref(), Some(""));
    let values = |defect: Defect| -> Vec<String> {
        broken(defect)
            .tags
            .into_iter()
            .filter_map(|t| t.value.map(String::from))
            .collect()
    };
    assert!(values(Defect::TagValueTooLong)
        .iter()
        .any(|v| v.chars().count() == 129));
    // The InstantAccessRetentionDays defects turn instant access on, where it is judged.
    for defect in [
        Defect::InstantAccessRetentionDaysZero,
        Defect::InstantAccessRetentionDaysTooMany,
    ] {
        let request = broken(defect);
        assert!(request.wants_instant_access(), "{defect:?}");
        assert!(request.category.is_none(), "{defect:?}");
    }
    assert!(values(Defect::TagValueContainsUrl)
        .iter()
        .any(|v| v.contains("http://")));
    let request = broken(Defect::TagKeyMissing);
    assert!(request
        .tags
        .iter()
        .any(|t| t.key.is_none() && t.value.is_some()));
}

#[test]
fn a_new_instance_has_its_system_disk_in_use_and_attached_now() {
    let start = Timestamp::from_unix_seconds(1_790_000_000).unwrap();
    let mut region = Region::new(1, start);
    let vm = region.create_instance(DiskCategory::CloudEssd);
    let disk = region.disk(&vm.system_disk_id).unwrap();
    assert_eq!(
        disk.status,
        Some(ecs_snapshot_rules::state::DiskStatus::InUse)
    );
    assert_eq!(disk.instance_id.as_deref(), Some(vm.instance_id.as_str()));
    assert_eq!(disk.attached_at, Some(start));
    assert!(disk.ever_attached && disk.ever_used);
}

#[test]
fn an_instance_event_during_a_snapshot_gives_a_notice() {
    use ecs_snapshot_rules::state::{InstanceEvent, InstanceStatus, Notice};

    let mut region = Region::new(2, Timestamp::from_unix_seconds(1_790_000_000).unwrap());
    let vm = region.create_instance(DiskCategory::CloudEssd);
    region.start_instance(&vm.instance_id).unwrap();
    region.advance(3600).unwrap();
    let snapshot = region
        .create_snapshot(&CreateSnapshotRequest::new(vm.system_disk_id.clone()))
        .result
        .unwrap();
    let notices = region
        .instance_event(&vm.instance_id, InstanceEvent::Stop)
        .unwrap();
    assert_eq!(
        notices,
        [Notice::InstanceChangedDuringSnapshot {
            instance_id: vm.instance_id.clone(),
            status: InstanceStatus::Stopping,
            snapshot_id: snapshot.snapshot_id,
        }]
    );
}

#[test]
fn offsets_run_from_00_00_to_23_59() {
    let parse = |text: &str| text.parse::<Timestamp>();
    assert_eq!(
        parse("2026-01-01T23:59:00+23:59").unwrap(),
        parse("2026-01-01T00:00:00Z").unwrap()
    );
    for out_of_range in ["+24:00", "+00:60", "+00:99", "-99:00"] {
        assert!(parse(&format!("2026-01-01T00:00:00{out_of_range}")).is_err());
    }
}
