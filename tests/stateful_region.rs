//! The simulator: lifecycles, the clock, snapshots and their quota, and determinism.

mod stateful_support;

use ecs_snapshot_rules::state::{
    Answer, DiskCategory, DiskCondition, DiskEvent, DiskStatus, Fault, InstanceEvent,
    InstanceStatus, InvalidTransition, LockReason, Notice, RegionError, SnapshotStatus,
};
use ecs_snapshot_rules::{CreateSnapshotRequest, Facts, Region, Timestamp};
use stateful_support::at;

fn start() -> Timestamp {
    at("2026-01-01T00:00:00Z")
}

/// A region with a Running instance an hour old; returns it with the instance and its
/// system disk.
fn ready(seed: u64) -> (Region, String, String) {
    let mut region = Region::new(seed, start());
    let vm = region.create_instance(DiskCategory::CloudEssd);
    region.start_instance(&vm.instance_id).unwrap();
    region.advance(3600).unwrap();
    (region, vm.instance_id, vm.system_disk_id)
}

#[track_caller]
fn refused(answer: Answer, status: u16, code: &str, message: &str) {
    let error = answer.result.expect_err("expected a refusal");
    assert_eq!(
        (error.status(), error.code().as_str(), error.message()),
        (status, code, message)
    );
}

#[track_caller]
fn created(answer: Answer) -> String {
    let success = answer.result.expect("expected a snapshot");
    assert!(!success.replayed);
    success.snapshot_id
}

#[test]
fn the_same_seed_gives_the_same_ids() {
    let run = |seed| {
        let (mut region, instance_id, disk_id) = ready(seed);
        let answer = region.create_snapshot(&CreateSnapshotRequest::new(&disk_id));
        (instance_id, disk_id, answer)
    };
    let (a, b) = (run(9), run(9));
    assert_eq!(a, b);
    assert_ne!(run(10).0, a.0);
    let (instance_id, disk_id, answer) = a;
    assert!(instance_id.starts_with("i-") && instance_id.len() == 15);
    assert!(disk_id.starts_with("d-") && disk_id.len() == 15);
    let snapshot_id = answer.result.unwrap().snapshot_id;
    assert!(snapshot_id.starts_with("s-") && snapshot_id.len() == 15);
    assert_eq!(answer.request_id.len(), 36);
}

#[test]
fn a_new_instance_waits_to_be_started_and_an_hour() {
    let mut region = Region::new(1, start());
    let vm = region.create_instance(DiskCategory::CloudSsd);
    let request = CreateSnapshotRequest::new(&vm.system_disk_id);
    let not_yet = (
        400,
        "IncorrectInstanceStatus",
        "The current status of the resource does not support this operation.",
    );
    // Pending.
    refused(
        region.create_snapshot(&request),
        not_yet.0,
        not_yet.1,
        not_yet.2,
    );
    // Created and Stopped, but never started, even after the hour.
    region
        .instance_event(&vm.instance_id, InstanceEvent::Created)
        .unwrap();
    region.advance(7200).unwrap();
    refused(
        region.create_snapshot(&request),
        not_yet.0,
        not_yet.1,
        not_yet.2,
    );
    region.start_instance(&vm.instance_id).unwrap();
    assert!(region.instance(&vm.instance_id).unwrap().ever_started);
    created(region.create_snapshot(&request));
}

#[test]
fn a_new_data_disk_until_it_can_be_snapshotted() {
    let (mut region, instance_id, _) = ready(2);
    let disk_id = region.create_disk(DiskCategory::CloudEssd);
    let request = CreateSnapshotRequest::new(&disk_id);
    refused(
        region.create_snapshot(&request),
        403,
        "IncorrectDiskStatus",
        "The current disk status does not support this operation.",
    );
    region.finish_creating_disk(&disk_id).unwrap();
    refused(
        region.create_snapshot(&request),
        403,
        "IncorrectDiskStatus.NeverAttached",
        "The specified disk has never been attached to any instance.",
    );
    region.attach_disk(&disk_id, &instance_id).unwrap();
    refused(
        region.create_snapshot(&request),
        403,
        "IncorrectDiskStatus.NeverUsed",
        "The specified disk has never been used after creating.",
    );
    region.write_to_disk(&disk_id, 100).unwrap();
    created(region.create_snapshot(&request));
}

#[test]
fn the_wait_after_attaching_grows_with_the_data() {
    let (mut region, instance_id, _) = ready(3);
    let disk_id = region.create_disk(DiskCategory::CloudEssd);
    region.finish_creating_disk(&disk_id).unwrap();
    region.attach_disk(&disk_id, &instance_id).unwrap();
    region.write_to_disk(&disk_id, 100).unwrap();
    region.detach_disk(&disk_id).unwrap();
    assert_eq!(region.disk(&disk_id).unwrap().instance_id, None);
    // Detached, it can be snapshotted: it was attached once and used.
    let request = CreateSnapshotRequest::new(&disk_id);
    let first = created(region.create_snapshot(&request));
    region.finish_snapshot(&first).unwrap();
    region.attach_disk(&disk_id, &instance_id).unwrap();
    let ready_at = region
        .disk(&disk_id)
        .unwrap()
        .ready_for_snapshot_at
        .unwrap();
    assert_eq!(ready_at.unix_seconds() - region.now().unix_seconds(), 100);
    region.advance(99).unwrap();
    refused(
        region.create_snapshot(&request),
        403,
        "IncorrectDiskStatus",
        "The current disk status does not support this operation.",
    );
    region.advance(1).unwrap();
    created(region.create_snapshot(&request));
}

#[test]
fn at_most_256_manual_snapshots_and_deleting_frees_a_place() {
    let (mut region, _, disk_id) = ready(4);
    let request = CreateSnapshotRequest::new(&disk_id);
    let mut ids = Vec::new();
    for _ in 0..256 {
        let id = created(region.create_snapshot(&request));
        region.finish_snapshot(&id).unwrap();
        ids.push(id);
    }
    assert_eq!(region.disk(&disk_id).unwrap().manual_snapshot_count, 256);
    refused(
        region.create_snapshot(&request),
        403,
        "QuotaExceed.Snapshot",
        "The snapshot quota exceeds.",
    );
    region.delete_snapshot(&ids[0]).unwrap();
    let last = created(region.create_snapshot(&request));
    // A failed snapshot does not count, and can be deleted without changing the count.
    region.fail_snapshot(&last).unwrap();
    assert_eq!(region.disk(&disk_id).unwrap().manual_snapshot_count, 255);
    region.delete_snapshot(&last).unwrap();
    assert_eq!(region.disk(&disk_id).unwrap().manual_snapshot_count, 255);
    created(region.create_snapshot(&request));
}

#[test]
fn one_snapshot_at_a_time_and_progressing_ones_cannot_be_deleted() {
    let (mut region, _, disk_id) = ready(5);
    let request = CreateSnapshotRequest::new(&disk_id);
    let id = created(region.create_snapshot(&request));
    refused(
        region.create_snapshot(&request),
        403,
        "IncorrectDiskStatus.CreatingSnapshot",
        "A previous snapshot creation is in process.",
    );
    assert_eq!(
        region.delete_snapshot(&id),
        Err(RegionError::SnapshotInProgress(id.clone()))
    );
    region.finish_snapshot(&id).unwrap();
    assert_eq!(
        region.finish_snapshot(&id),
        Err(RegionError::Snapshot {
            snapshot_id: id.clone(),
            error: InvalidTransition {
                from: SnapshotStatus::Accomplished,
                event: ecs_snapshot_rules::state::SnapshotEvent::Finish
            }
        })
    );
    created(region.create_snapshot(&request));
}

#[test]
fn an_expired_disk_released_while_its_snapshot_progresses_takes_the_snapshot_with_it() {
    let (mut region, instance_id, _) = ready(6);
    let disk_id = region.create_disk(DiskCategory::CloudEssd);
    region.finish_creating_disk(&disk_id).unwrap();
    region.attach_disk(&disk_id, &instance_id).unwrap();
    region.write_to_disk(&disk_id, 0).unwrap();
    let request = CreateSnapshotRequest::new(&disk_id);
    let kept = created(region.create_snapshot(&request));
    region.finish_snapshot(&kept).unwrap();
    assert!(region.expire_disk(&disk_id, 600).unwrap().is_empty());
    assert_eq!(
        region.disk(&disk_id).unwrap().status,
        Some(DiskStatus::Expired)
    );
    // Expired disks can be snapshotted.
    let doomed = created(region.create_snapshot(&request));
    assert!(region.advance(599).unwrap().is_empty());
    let notices = region.advance(1).unwrap();
    assert_eq!(
        notices,
        [Notice::DiskReleased {
            disk_id: disk_id.clone(),
            deleted_snapshot_id: Some(doomed.clone())
        }]
    );
    assert!(region.snapshot(&doomed).is_none());
    assert_eq!(
        region.snapshot(&kept).unwrap().status,
        SnapshotStatus::Accomplished
    );
    assert!(region.disk(&disk_id).is_none());
    refused(
        region.create_snapshot(&request),
        404,
        "InvalidDiskId.NotFound",
        "The specified DiskId does not exist.",
    );
    assert_eq!(
        region.finish_snapshot(&doomed),
        Err(RegionError::UnknownSnapshot(doomed))
    );
}

#[test]
fn releasing_disks() {
    let (mut region, instance_id, system_disk) = ready(7);
    // An In_use disk must be detached first.
    assert_eq!(
        region.release_disk(&system_disk),
        Err(RegionError::Disk {
            disk_id: system_disk.clone(),
            error: InvalidTransition {
                from: DiskStatus::InUse,
                event: DiskEvent::Release
            }
        })
    );
    let id = created(region.create_snapshot(&CreateSnapshotRequest::new(&system_disk)));
    region.stop_instance(&instance_id).unwrap();
    region.detach_disk(&system_disk).unwrap();
    // An Available disk released with a snapshot in progress loses it too (D63).
    let notice = region.release_disk(&system_disk).unwrap();
    assert_eq!(
        notice,
        Notice::DiskReleased {
            disk_id: system_disk.clone(),
            deleted_snapshot_id: Some(id)
        }
    );
    assert_eq!(
        region.release_disk(&system_disk),
        Err(RegionError::UnknownDisk(system_disk))
    );
    // Expired with no wait: released at once.
    let disk_id = region.create_disk(DiskCategory::Cloud);
    region.finish_creating_disk(&disk_id).unwrap();
    let notices = region.expire_disk(&disk_id, 0).unwrap();
    assert_eq!(
        notices,
        [Notice::DiskReleased {
            disk_id: disk_id.clone(),
            deleted_snapshot_id: None
        }]
    );
}

#[test]
fn changing_an_instance_while_its_snapshot_progresses_is_allowed_with_a_notice() {
    let (mut region, instance_id, disk_id) = ready(8);
    let id = created(region.create_snapshot(&CreateSnapshotRequest::new(&disk_id)));
    let notices = region.stop_instance(&instance_id).unwrap();
    assert_eq!(
        notices,
        [Notice::InstanceChangedDuringSnapshot {
            instance_id: instance_id.clone(),
            status: InstanceStatus::Stopped,
            snapshot_id: id.clone()
        }]
    );
    assert_eq!(
        region.instance(&instance_id).unwrap().status,
        InstanceStatus::Stopped
    );
    region.finish_snapshot(&id).unwrap();
    assert_eq!(region.start_instance(&instance_id).unwrap(), []);
    assert_eq!(
        region.start_instance(&instance_id),
        Err(RegionError::Instance {
            instance_id: instance_id.clone(),
            error: InvalidTransition {
                from: InstanceStatus::Running,
                event: InstanceEvent::Start
            }
        })
    );
}

#[test]
fn locks_conditions_accounts_and_faults() {
    let (mut region, instance_id, disk_id) = ready(11);
    let request = CreateSnapshotRequest::new(&disk_id);
    region
        .lock_instance(&instance_id, LockReason::Security)
        .unwrap();
    refused(
        region.create_snapshot(&request),
        403,
        "InstanceLockedForSecurity",
        "The disk attached instance is locked due to security.",
    );
    region
        .unlock_instance(&instance_id, LockReason::Security)
        .unwrap();
    let cases = [
        (
            DiskCondition::InArrears,
            403,
            "DiskInArrears",
            "The specified operation is denied as your disk has expired.",
        ),
        (
            DiskCondition::Transferring,
            403,
            "IncorrectDiskStatus.Transferring",
            "The specified device is transferring, you can retry after the process is finished.",
        ),
        (
            DiskCondition::StatusInvalid,
            403,
            "IncorrectDiskStatus.Invalid",
            "The specified disk status invalid, restart instance and try again.",
        ),
        (
            DiskCondition::KmsKeyUnauthorized,
            403,
            "InvalidParameter.KMSKeyId.KMSUnauthorized",
            "ECS service have no right to access your KMS.",
        ),
        (
            DiskCondition::KmsKeyNotFound,
            400,
            "InvalidParameter.KMSKeyId.NotFound",
            "The specified KMSKeyId does not exist.",
        ),
        (
            DiskCondition::KmsKeyDisabled,
            403,
            "InvalidParameter.KMSKeyId.CMKNotEnabled",
            "The CMK needs to be enabled.",
        ),
        (
            DiskCondition::KmsKeyWithoutEcsTag,
            403,
            "InvalidParameter.KMSKeyId.CMKUnauthorized",
            "ECS tags must be added to the CMK.",
        ),
        (
            DiskCondition::UnfinishedEncryptedCopies,
            403,
            "InvalidOperation.UnfinishedEncryptedSnapshotCopy",
            "This disk has unfinished encrypted copy snapshots in the target region.",
        ),
        (
            DiskCondition::AutomaticOrGroupSnapshotInProgress,
            403,
            "DISK_HAS_CREATING_SNAPSHOT",
            "The operation cannot be performed while a snapshot is being created for the disk.",
        ),
    ];
    for (condition, status, code, message) in cases {
        region
            .set_disk_condition(&disk_id, condition, true)
            .unwrap();
        refused(region.create_snapshot(&request), status, code, message);
        region
            .set_disk_condition(&disk_id, condition, false)
            .unwrap();
    }
    // A disk in a CloudBox: instant access, where it takes effect, is refused.
    region
        .set_disk_condition(&disk_id, DiskCondition::InCloudBox, true)
        .unwrap();
    let instant = request.clone().instant_access(true);
    // For an account where instant access no longer takes effect, it is accepted (D226).
    assert!(
        ecs_snapshot_rules::check_preconditions(&instant, region.facts(), region.now()).is_ok()
    );
    region.account_mut().used_local_snapshots_before_2020_12_14 = true;
    refused(
        region.create_snapshot(&instant),
        403,
        "CloudBoxNotSupportSnapshotWithInstantAccess",
        "The specified disk in CloudBox does not support to create a snapshot with InstantAccess.",
    );
    region
        .set_disk_condition(&disk_id, DiskCondition::InCloudBox, false)
        .unwrap();
    region.region_mut().instant_access_available = false;
    refused(
        region.create_snapshot(&instant),
        403,
        "InvalidRegion.NotSupportSnapshotInstantAccessRegion",
        "The snapshot InstantAccess is not supported for this region.",
    );
    region.region_mut().instant_access_available = true;
    region.account_mut().used_local_snapshots_before_2020_12_14 = false;
    region
        .set_hibernation_configured(&instance_id, true)
        .unwrap();
    refused(
        region.create_snapshot(&request),
        403,
        "HibernationConfigured.InstanceOperationForbidden",
        "The operation is not permitted due to limit of the hibernation configured instance.",
    );
    region
        .set_hibernation_configured(&instance_id, false)
        .unwrap();
    region.account_mut().enough_balance = false;
    refused(
        region.create_snapshot(&request),
        403,
        "InvalidAccountStatus.NotEnoughBalance",
        "Your account does not have enough balance.",
    );
    region.account_mut().enough_balance = true;
    region.account_mut().enough_balance_for_postpaid = false;
    refused(
        region.create_snapshot(&request),
        403,
        "InvalidAccountStatus.NotEnoughBalance",
        "Your account does not have enough balance to order postpaid product.",
    );
    region.account_mut().enough_balance_for_postpaid = true;
    let held = region.facts().account.snapshot_count;
    region.account_mut().channel_partner_snapshot_quota = Some(held);
    refused(
        region.create_snapshot(&request),
        403,
        "QuotaExceed.SnapshotQuota",
        "The quota is insufficient, please contact your channel partner to increase the quota.",
    );
    region.account_mut().channel_partner_snapshot_quota = None;
    let arn = "acs:ecs:cn-hangzhou:1:storage-location/backup";
    refused(
        region.create_snapshot(&request.clone().storage_location_arn(arn)),
        403,
        "InvalidParameter.UnauthorizedStorageLocationArn",
        "The operation has failed due to lack of permission for the specified \"StorageLocationArn\". Please use a resource with appropriate permission for the operation.",
    );
    region.add_storage_location_arn(arn);
    refused(
        region.create_snapshot(&request.clone().resource_group_id("rg-1")),
        404,
        "InvalidResourceGroup.NotFound",
        "The ResourceGroup provided does not exist in our records.",
    );
    region.add_resource_group("rg-1");
    region.set_fault(Some(Fault::CreateSnapshotFailed));
    refused(
        region.create_snapshot(&request),
        400,
        "CreateSnapshot.Failed",
        "The process of creating snapshot is failed.",
    );
    region.set_fault(None);
    created(
        region.create_snapshot(
            &request
                .resource_group_id("rg-1")
                .storage_location_arn("acs:ecs:cn-hangzhou:1:storage-location/backup"),
        ),
    );
}

/// D235: a disk with a concurrent quota takes several snapshots at once; the region keeps
/// the earliest in `creating_snapshot_id` and the others beside it, finishes them in any
/// order, and counts every snapshot the account holds.
#[test]
fn a_disk_with_a_concurrent_quota_takes_several_snapshots_at_once() {
    let (mut region, _, disk_id) = ready(14);
    region
        .set_concurrent_snapshot_quota(&disk_id, Some(2))
        .unwrap();
    let request = CreateSnapshotRequest::new(&disk_id);
    let first = created(region.create_snapshot(&request));
    let second = created(region.create_snapshot(&request));
    let message = format!(
        "The number of snapshots being created for the disk {disk_id} has exceeded the concurrent quota (2). Please wait for the previous snapshots to complete before trying again."
    );
    refused(
        region.create_snapshot(&request),
        403,
        "QuotaExceed.ConcurrentSnapshotQuota",
        &message,
    );
    let disk = region.disk(&disk_id).unwrap();
    assert_eq!(disk.creating_snapshot_id.as_deref(), Some(first.as_str()));
    assert_eq!(
        disk.also_creating_snapshot_ids,
        std::slice::from_ref(&second)
    );
    assert_eq!(region.facts().account.snapshot_count, 2);
    // The earliest finishes: the other takes its place, and there is room for one more.
    region.finish_snapshot(&first).unwrap();
    let disk = region.disk(&disk_id).unwrap();
    assert_eq!(disk.creating_snapshot_id.as_deref(), Some(second.as_str()));
    assert!(disk.also_creating_snapshot_ids.is_empty());
    let third = created(region.create_snapshot(&request));
    // Back to one at a time: the two in progress hold the disk.
    region
        .set_concurrent_snapshot_quota(&disk_id, None)
        .unwrap();
    refused(
        region.create_snapshot(&request),
        403,
        "IncorrectDiskStatus.CreatingSnapshot",
        "A previous snapshot creation is in process.",
    );
    region.fail_snapshot(&third).unwrap();
    region.finish_snapshot(&second).unwrap();
    assert_eq!(
        region.facts().account.snapshot_count,
        2,
        "a failed one does not count"
    );
    created(region.create_snapshot(&request));
}

#[test]
fn operations_on_what_does_not_exist_or_cannot_be() {
    let (mut region, instance_id, disk_id) = ready(12);
    assert_eq!(
        region.start_instance("i-x"),
        Err(RegionError::UnknownInstance("i-x".into()))
    );
    assert_eq!(
        region.detach_disk("d-x"),
        Err(RegionError::UnknownDisk("d-x".into()))
    );
    assert_eq!(
        region.delete_snapshot("s-x"),
        Err(RegionError::UnknownSnapshot("s-x".into()))
    );
    let pending = region.create_instance(DiskCategory::CloudEssd);
    let data = region.create_disk(DiskCategory::CloudEssd);
    region.finish_creating_disk(&data).unwrap();
    assert_eq!(
        region.attach_disk(&data, &pending.instance_id),
        Err(RegionError::InstanceNotReady {
            instance_id: pending.instance_id.clone(),
            status: InstanceStatus::Pending
        })
    );
    assert_eq!(
        region.write_to_disk(&data, 1),
        Err(RegionError::NotWritable(data.clone()))
    );
    region.stop_instance(&instance_id).unwrap();
    assert_eq!(
        region.write_to_disk(&disk_id, 1),
        Err(RegionError::NotWritable(disk_id.clone()))
    );
    region.reinit_disk(&disk_id).unwrap();
    refused(
        region.create_snapshot(&CreateSnapshotRequest::new(&disk_id)),
        403,
        "IncorrectDiskStatus",
        "The current disk status does not support this operation.",
    );
    region.finish_reinit_disk(&disk_id).unwrap();
    created(region.create_snapshot(&CreateSnapshotRequest::new(&disk_id)));
    let mut late = Region::new(0, Timestamp::MAX);
    assert_eq!(late.advance(1), Err(RegionError::ClockOverflow));
    assert_eq!(late.advance(0), Ok(vec![]));
}

#[test]
fn the_facts_of_a_region_are_a_facts_file() {
    let (mut region, _, disk_id) = ready(13);
    created(
        region.create_snapshot(
            &CreateSnapshotRequest::new(&disk_id)
                .client_token("t-1")
                .tag("k", "v"),
        ),
    );
    let text = region.facts().to_json_pretty();
    let back = Facts::from_json(&text).unwrap();
    assert_eq!(&back, region.facts());
    assert_eq!(back.to_json_pretty(), text);
}
