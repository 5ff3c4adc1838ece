//! The scenarios of the spec's Description section, and the documented order of the
//! stateful checks, through `check_preconditions`.

mod stateful_support;

use ecs_snapshot_rules::request::SnapshotCategory;
use ecs_snapshot_rules::state::{
    Accepted, DiskCategory, DiskFacts, DiskStatus, Encryption, Fault, InstanceStatus, LockReason,
    NewSnapshot, OperationLock, SnapshotKind, SnapshotSource, SnapshotSupport, TokenRecord,
    VolumeFacts,
};
use ecs_snapshot_rules::{check_preconditions, CreateSnapshotRequest, Facts};
use stateful_support::{
    assert_creates, assert_refused, assert_refused_about, at, disk, instance, now, now_plus,
    request, with_category, world,
};

const INSTANCE_STATUS: (u16, &str, &str) = (
    400,
    "IncorrectInstanceStatus",
    "The current status of the resource does not support this operation.",
);
const DISK_STATUS: (u16, &str, &str) = (
    403,
    "IncorrectDiskStatus",
    "The current disk status does not support this operation.",
);
const NOT_ON_THIS_CATEGORY: (u16, &str, &str) = (
    400,
    "DiskCategory.OperationNotSupported",
    "The type of the specified disk does not support creating a snapshot.",
);
const DISK_NOT_FOUND: (u16, &str, &str) = (
    404,
    "InvalidDiskId.NotFound",
    "The specified DiskId does not exist.",
);

#[track_caller]
fn check(
    facts: &Facts,
    request: &CreateSnapshotRequest,
) -> Result<Accepted, ecs_snapshot_rules::ApiError> {
    check_preconditions(request, facts, now())
}

#[track_caller]
fn refused(
    facts: &Facts,
    request: &CreateSnapshotRequest,
    (status, code, message): (u16, &str, &str),
) {
    assert_refused(check(facts, request), status, code, message);
}

#[test]
fn the_healthy_world_is_accepted() {
    assert_creates(check(&world(), &request()), "d-1", SnapshotKind::Normal);
    assert_creates(
        check(&world(), &CreateSnapshotRequest::new("d-free")),
        "d-free",
        SnapshotKind::Normal,
    );
}

// ----- The order of the checks -----

type Step = (
    u16,
    &'static str,
    &'static str,
    fn(&mut Facts, &mut CreateSnapshotRequest),
);

/// A world where everything is wrong at once; fixing the first failure each time must
/// reveal the next in the order of `docs/STATEFUL.md`, until the request is accepted. The
/// account used local snapshots before 2020-12-14, so that InstantAccess takes effect.
#[test]
fn checks_run_in_the_documented_order() {
    let mut facts = Facts {
        fault: Some(Fault::InternalError),
        ..Facts::default()
    };
    facts.account.snapshot_service_activated = false;
    facts.account.enough_balance = false;
    facts.account.enough_balance_for_postpaid = false;
    facts.account.used_local_snapshots_before_2020_12_14 = true;
    facts.account.channel_partner_snapshot_quota = Some(5);
    facts.account.snapshot_count = 5;
    facts.region.instant_access_available = false;
    facts.instances.insert(
        "i-1".into(),
        ecs_snapshot_rules::state::InstanceFacts {
            status: InstanceStatus::Stopping,
            ever_started: false,
            created_at: Some(now_plus(-600)),
            system_disk_replaced_at: Some(now_plus(-1200)),
            operation_locks: vec![OperationLock {
                lock_reason: LockReason::Security,
            }],
            hibernation_configured: true,
            ..Default::default()
        },
    );
    facts.client_tokens.insert(
        "t-1".into(),
        TokenRecord {
            request: CreateSnapshotRequest::new("d-x").snapshot_name("other"),
            snapshot_id: Some("s-first".into()),
            in_flight: false,
        },
    );
    let mut request = CreateSnapshotRequest::new("d-x")
        .snapshot_name("auto-x")
        .instant_access(true)
        .resource_group_id("rg-x")
        .storage_location_arn("acs:ecs:cn-hangzhou:1:storage-location/x")
        .client_token("t-1");

    let steps: &[Step] = &[
        (
            400,
            "InvalidSnapshotName.Malformed",
            "The specified SnapshotName is wrongly formed.",
            |_, r| r.snapshot_name = None,
        ),
        (
            500,
            "InternalError",
            "The request processing has failed due to some unknown error.",
            |f, _| f.fault = Some(Fault::InternalErrorException),
        ),
        (
            500,
            "InternalError",
            "The request processing has failed due to some unknown error, exception or failure.",
            |f, _| f.fault = Some(Fault::CreateSnapshotFailed),
        ),
        (
            403,
            "IdempotentParameterMismatch",
            "The specified clientToken is used.",
            |f, r| {
                let record = f.client_tokens.get_mut("t-1").unwrap();
                record.request = r.clone().into_owned();
                record.in_flight = true;
            },
        ),
        (
            403,
            "IdempotentProcessing",
            "The previous idempotent request(s) is still processing.",
            |f, _| {
                f.client_tokens.clear();
            },
        ),
        (
            403,
            "InvalidAccountStatus.SnapshotServiceUnavailable",
            "Snapshot service has not been opened yet.",
            |f, _| f.account.snapshot_service_activated = true,
        ),
        (
            403,
            "InvalidAccountStatus.NotEnoughBalance",
            "Your account does not have enough balance.",
            |f, _| f.account.enough_balance = true,
        ),
        (
            403,
            "InvalidAccountStatus.NotEnoughBalance",
            "Your account does not have enough balance to order postpaid product.",
            |f, _| f.account.enough_balance_for_postpaid = true,
        ),
        (
            403,
            "QuotaExceed.SnapshotQuota",
            "The quota is insufficient, please contact your channel partner to increase the quota.",
            |f, _| f.account.channel_partner_snapshot_quota = Some(6),
        ),
        (
            403,
            "InvalidRegion.NotSupportSnapshotInstantAccessRegion",
            "The snapshot InstantAccess is not supported for this region.",
            |f, _| f.region.instant_access_available = true,
        ),
        (
            404,
            "InvalidResourceGroup.NotFound",
            "The ResourceGroup provided does not exist in our records.",
            |f, _| {
                f.resource_groups.insert("rg-x".into());
            },
        ),
        (
            403,
            "InvalidParameter.UnauthorizedStorageLocationArn",
            "The operation has failed due to lack of permission for the specified \"StorageLocationArn\". Please use a resource with appropriate permission for the operation.",
            |f, _| {
                f.storage_location_arns
                    .insert("acs:ecs:cn-hangzhou:1:storage-location/x".into());
            },
        ),
        (
            404,
            "InvalidDiskId.NotFound",
            "The specified DiskId does not exist.",
            |f, _| {
                f.disks.insert(
                    "d-x".into(),
                    DiskFacts {
                        category: DiskCategory::ElasticEphemeralDiskStandard,
                        status: Some(DiskStatus::Attaching),
                        in_arrears: true,
                        transferring: true,
                        status_invalid: true,
                        in_cloud_box: true,
                        encryption: Some(Encryption {
                            key_exists: false,
                            key_enabled: false,
                            ecs_tagged: false,
                            ecs_authorized: false,
                            ..Encryption::with_key("k")
                        }),
                        ever_attached: false,
                        ever_used: false,
                        ready_for_snapshot_at: Some(now_plus(60)),
                        manual_snapshot_count: 256,
                        unfinished_encrypted_copies: true,
                        automatic_or_group_snapshot_in_progress: true,
                        creating_snapshot_id: Some("s-progressing".into()),
                        also_creating_snapshot_ids: vec!["s-progressing-2".into()],
                        concurrent_snapshot_quota: Some(2),
                        ..DiskFacts::default()
                    },
                );
            },
        ),
        (
            403,
            "DiskId.ValueNotSupported",
            "The specified parameter diskid is not supported.",
            |f, _| disk(f, "d-x").category = DiskCategory::Ephemeral,
        ),
        (
            403,
            "IncorrectDiskType.NotSupport",
            "The specified device type is not supported.",
            |f, _| disk(f, "d-x").category = DiskCategory::CloudSsd,
        ),
        (
            400,
            "DiskCategory.OperationNotSupported",
            "The type of the specified disk does not support creating a snapshot.",
            |f, _| disk(f, "d-x").category = DiskCategory::CloudAuto,
        ),
        (
            403,
            "CloudBoxNotSupportSnapshotWithInstantAccess",
            "The specified disk in CloudBox does not support to create a snapshot with InstantAccess.",
            |f, _| disk(f, "d-x").in_cloud_box = false,
        ),
        (
            403,
            "DiskInArrears",
            "The specified operation is denied as your disk has expired.",
            |f, _| disk(f, "d-x").in_arrears = false,
        ),
        (
            403,
            "IncorrectDiskStatus.Transferring",
            "The specified device is transferring, you can retry after the process is finished.",
            |f, _| disk(f, "d-x").transferring = false,
        ),
        (
            403,
            "IncorrectDiskStatus",
            "The current disk status does not support this operation.",
            |f, _| disk(f, "d-x").status = None,
        ),
        (
            403,
            "IncorrectDiskStatus.Invalid",
            "The specified disk status invalid, restart instance and try again.",
            |f, _| disk(f, "d-x").status_invalid = false,
        ),
        (
            400,
            "InvalidParameter.KMSKeyId.NotFound",
            "The specified KMSKeyId does not exist.",
            |f, _| key(f).key_exists = true,
        ),
        (
            403,
            "InvalidParameter.KMSKeyId.CMKNotEnabled",
            "The CMK needs to be enabled.",
            |f, _| key(f).key_enabled = true,
        ),
        (
            403,
            "InvalidParameter.KMSKeyId.CMKUnauthorized",
            "ECS tags must be added to the CMK.",
            |f, _| key(f).ecs_tagged = true,
        ),
        (
            403,
            "InvalidParameter.KMSKeyId.KMSUnauthorized",
            "ECS service have no right to access your KMS.",
            |f, _| key(f).ecs_authorized = true,
        ),
        (
            403,
            "IncorrectDiskStatus.NeverAttached",
            "The specified disk has never been attached to any instance.",
            |f, _| disk(f, "d-x").instance_id = Some("i-gone".into()),
        ),
        (
            403,
            "IncorrectDiskStatus.NeverUsed",
            "The specified disk has never been used after creating.",
            |f, _| disk(f, "d-x").ever_used = true,
        ),
        (
            404,
            "InvalidInstanceId.NotFound",
            "The specified InstanceId does not exist.",
            |f, _| disk(f, "d-x").instance_id = Some("i-1".into()),
        ),
        (
            403,
            "InstanceLockedForSecurity",
            "The disk attached instance is locked due to security.",
            |f, _| instance(f, "i-1").operation_locks.clear(),
        ),
        (
            403,
            "HibernationConfigured.InstanceOperationForbidden",
            "The operation is not permitted due to limit of the hibernation configured instance.",
            |f, _| instance(f, "i-1").hibernation_configured = false,
        ),
        (
            400,
            "IncorrectInstanceStatus",
            "The current status of the resource does not support this operation.",
            |f, _| instance(f, "i-1").ever_started = true,
        ),
        (
            400,
            "IncorrectInstanceStatus",
            "The current status of the resource does not support this operation.",
            |f, _| instance(f, "i-1").status = InstanceStatus::Stopped,
        ),
        (
            400,
            "IncorrectInstanceStatus",
            "The current status of the resource does not support this operation.",
            |f, _| instance(f, "i-1").created_at = Some(now_plus(-3600)),
        ),
        (
            400,
            "IncorrectInstanceStatus",
            "The current status of the resource does not support this operation.",
            |f, _| instance(f, "i-1").system_disk_replaced_at = Some(now_plus(-3600)),
        ),
        (
            403,
            "IncorrectDiskStatus",
            "The current disk status does not support this operation.",
            |f, _| disk(f, "d-x").ready_for_snapshot_at = Some(now()),
        ),
        (
            403,
            "QuotaExceed.Snapshot",
            "The snapshot quota exceeds.",
            |f, _| disk(f, "d-x").manual_snapshot_count = 255,
        ),
        (
            403,
            "InvalidOperation.UnfinishedEncryptedSnapshotCopy",
            "This disk has unfinished encrypted copy snapshots in the target region.",
            |f, _| disk(f, "d-x").unfinished_encrypted_copies = false,
        ),
        (
            403,
            "DISK_HAS_CREATING_SNAPSHOT",
            "The operation cannot be performed while a snapshot is being created for the disk.",
            |f, _| disk(f, "d-x").automatic_or_group_snapshot_in_progress = false,
        ),
        (
            403,
            "QuotaExceed.ConcurrentSnapshotQuota",
            "The number of snapshots being created for the disk d-x has exceeded the concurrent quota (2). Please wait for the previous snapshots to complete before trying again.",
            |f, _| disk(f, "d-x").concurrent_snapshot_quota = None,
        ),
        (
            403,
            "IncorrectDiskStatus.CreatingSnapshot",
            "A previous snapshot creation is in process.",
            |f, _| {
                let d = disk(f, "d-x");
                d.creating_snapshot_id = None;
                d.also_creating_snapshot_ids.clear();
            },
        ),
        (
            400,
            "CreateSnapshot.Failed",
            "The process of creating snapshot is failed.",
            |f, _| f.fault = None,
        ),
    ];
    for (i, &(status, code, message, fix)) in steps.iter().enumerate() {
        let result = check_preconditions(&request, &facts, now());
        let got = result
            .as_ref()
            .map_err(|e| (e.status(), e.code().as_str(), e.message().to_owned()));
        assert_eq!(got, Err((status, code, message.to_owned())), "step {i}");
        fix(&mut facts, &mut request);
    }
    assert_eq!(
        check_preconditions(&request, &facts, now()),
        Ok(Accepted::Create(NewSnapshot {
            source: SnapshotSource::Disk("d-x".into()),
            kind: SnapshotKind::InstantAccess,
        }))
    );
}

/// The KMS key of `d-x`, to change it.
fn key(facts: &mut Facts) -> &mut Encryption {
    disk(facts, "d-x").encryption.as_mut().unwrap()
}

// ----- The spec's "you cannot create snapshots" list -----

#[test]
fn at_most_256_manual_snapshots() {
    let mut facts = world();
    disk(&mut facts, "d-1").manual_snapshot_count = 255;
    assert_creates(check(&facts, &request()), "d-1", SnapshotKind::Normal);
    disk(&mut facts, "d-1").manual_snapshot_count = 256;
    assert_refused(
        check(&facts, &request()),
        403,
        "QuotaExceed.Snapshot",
        "The snapshot quota exceeds.",
    );
}

#[test]
fn one_snapshot_at_a_time() {
    let mut facts = world();
    disk(&mut facts, "d-1").creating_snapshot_id = Some("s-1".into());
    assert_refused(
        check(&facts, &request()),
        403,
        "IncorrectDiskStatus.CreatingSnapshot",
        "A previous snapshot creation is in process.",
    );
}

/// D235: a disk without a concurrent quota of its own takes one snapshot at a time
/// (`IncorrectDiskStatus.CreatingSnapshot`); one with a quota takes as many at once
/// (`QuotaExceed.ConcurrentSnapshotQuota`, its ID and the quota filled in); a snapshot that no
/// CreateSnapshot made is `DISK_HAS_CREATING_SNAPSHOT` whatever the quota.
#[test]
fn a_concurrent_quota_lets_several_snapshots_progress() {
    let mut facts = world();
    disk(&mut facts, "d-1").concurrent_snapshot_quota = Some(3);
    for in_progress in 0..3 {
        let d = disk(&mut facts, "d-1");
        d.creating_snapshot_id = (in_progress > 0).then(|| "s-0".to_owned());
        d.also_creating_snapshot_ids = (1..in_progress).map(|n| format!("s-{n}")).collect();
        assert_creates(check(&facts, &request()), "d-1", SnapshotKind::Normal);
    }
    disk(&mut facts, "d-1")
        .also_creating_snapshot_ids
        .push("s-2".into());
    assert_refused(
        check(&facts, &request()),
        403,
        "QuotaExceed.ConcurrentSnapshotQuota",
        "The number of snapshots being created for the disk d-1 has exceeded the concurrent quota (3). Please wait for the previous snapshots to complete before trying again.",
    );
    let d = disk(&mut facts, "d-1");
    d.creating_snapshot_id = None;
    d.also_creating_snapshot_ids.clear();
    d.automatic_or_group_snapshot_in_progress = true;
    assert_refused(
        check(&facts, &request()),
        403,
        "DISK_HAS_CREATING_SNAPSHOT",
        "The operation cannot be performed while a snapshot is being created for the disk.",
    );
}

#[test]
fn instance_never_started() {
    for status in [InstanceStatus::Stopped, InstanceStatus::Running] {
        let mut facts = world();
        let i = instance(&mut facts, "i-1");
        i.ever_started = false;
        i.status = status;
        refused(&facts, &request(), INSTANCE_STATUS);
    }
}

#[test]
fn instance_must_be_running_or_stopped() {
    for status in InstanceStatus::ALL {
        let mut facts = world();
        instance(&mut facts, "i-1").status = status;
        match status {
            InstanceStatus::Running | InstanceStatus::Stopped => {
                assert_creates(check(&facts, &request()), "d-1", SnapshotKind::Normal)
            }
            InstanceStatus::Pending | InstanceStatus::Starting | InstanceStatus::Stopping => {
                refused(&facts, &request(), INSTANCE_STATUS)
            }
        }
    }
}

#[test]
fn only_the_security_lock_forbids() {
    for reason in [
        LockReason::Financial,
        LockReason::Recycling,
        LockReason::Dedicatedhostfinancial,
        LockReason::Refunded,
    ] {
        let mut facts = world();
        instance(&mut facts, "i-1")
            .operation_locks
            .push(OperationLock {
                lock_reason: reason,
            });
        assert_creates(check(&facts, &request()), "d-1", SnapshotKind::Normal);
        instance(&mut facts, "i-1")
            .operation_locks
            .push(OperationLock {
                lock_reason: LockReason::Security,
            });
        assert_refused(
            check(&facts, &request()),
            403,
            "InstanceLockedForSecurity",
            "The disk attached instance is locked due to security.",
        );
    }
}

// ----- Timing -----

#[test]
fn an_hour_after_the_instance_is_created() {
    let mut facts = world();
    for (age, accepted) in [
        (0, false),
        (3599, false),
        (3600, true),
        (7200, true),
        (-60, false),
    ] {
        instance(&mut facts, "i-1").created_at = Some(now_plus(-age));
        match accepted {
            true => assert_creates(check(&facts, &request()), "d-1", SnapshotKind::Normal),
            false => refused(&facts, &request(), INSTANCE_STATUS),
        }
    }
}

#[test]
fn an_hour_after_the_system_disk_is_replaced() {
    let mut facts = world();
    for (age, accepted) in [(1, false), (3599, false), (3600, true)] {
        instance(&mut facts, "i-1").system_disk_replaced_at = Some(now_plus(-age));
        match accepted {
            true => assert_creates(check(&facts, &request()), "d-1", SnapshotKind::Normal),
            false => refused(&facts, &request(), INSTANCE_STATUS),
        }
    }
}

#[test]
fn the_wait_after_a_data_disk_is_attached() {
    let mut facts = world();
    disk(&mut facts, "d-1").attached_at = Some(now_plus(-10));
    disk(&mut facts, "d-1").ready_for_snapshot_at = Some(now_plus(1));
    refused(&facts, &request(), DISK_STATUS);
    disk(&mut facts, "d-1").ready_for_snapshot_at = Some(now());
    assert_creates(check(&facts, &request()), "d-1", SnapshotKind::Normal);
}

// ----- Expired disks -----

#[test]
fn expired_disks_can_be_snapshotted() {
    let mut facts = world();
    disk(&mut facts, "d-1").status = Some(DiskStatus::Expired);
    assert_creates(check(&facts, &request()), "d-1", SnapshotKind::Normal);
    // An expiry time that has come makes the disk Expired, and it can still be snapshotted.
    let mut facts = world();
    disk(&mut facts, "d-free").expires_at = Some(now_plus(-1));
    assert_eq!(facts.disks["d-free"].status_at(now()), DiskStatus::Expired);
    assert_creates(
        check(&facts, &CreateSnapshotRequest::new("d-free")),
        "d-free",
        SnapshotKind::Normal,
    );
}

#[test]
fn a_disk_whose_release_time_has_come_is_gone() {
    let mut facts = world();
    let d = disk(&mut facts, "d-free");
    d.status = Some(DiskStatus::Expired);
    d.release_at = Some(now_plus(1));
    let request = CreateSnapshotRequest::new("d-free");
    assert_creates(check(&facts, &request), "d-free", SnapshotKind::Normal);
    disk(&mut facts, "d-free").release_at = Some(now());
    assert_refused_about(
        check(&facts, &request),
        404,
        "InvalidDiskId.NotFound",
        "The specified DiskId does not exist.",
        "DiskId",
    );
}

#[test]
fn every_disk_status() {
    for status in DiskStatus::ALL {
        let mut facts = world();
        disk(&mut facts, "d-1").status = Some(status);
        match status {
            DiskStatus::Available | DiskStatus::InUse | DiskStatus::Expired => {
                assert_creates(check(&facts, &request()), "d-1", SnapshotKind::Normal)
            }
            DiskStatus::Creating
            | DiskStatus::Attaching
            | DiskStatus::Detaching
            | DiskStatus::ReIniting => refused(&facts, &request(), DISK_STATUS),
            DiskStatus::Released => refused(&facts, &request(), DISK_NOT_FOUND),
        }
    }
}

#[test]
fn records_of_resources_that_no_longer_exist() {
    let mut facts = world();
    disk(&mut facts, "d-1").exists = false;
    refused(&facts, &request(), DISK_NOT_FOUND);
    let mut facts = world();
    instance(&mut facts, "i-1").exists = false;
    assert_refused(
        check(&facts, &request()),
        404,
        "InvalidInstanceId.NotFound",
        "The specified InstanceId does not exist.",
    );
}

#[test]
fn an_in_use_disk_without_an_instance_skips_the_instance_rules() {
    let mut facts = world();
    disk(&mut facts, "d-free").status = Some(DiskStatus::InUse);
    assert_creates(
        check(&facts, &CreateSnapshotRequest::new("d-free")),
        "d-free",
        SnapshotKind::Normal,
    );
}

#[test]
fn an_attached_disk_counts_as_attached_whatever_ever_attached_says() {
    let mut facts = world();
    disk(&mut facts, "d-1").ever_attached = false;
    assert_creates(check(&facts, &request()), "d-1", SnapshotKind::Normal);
}

// ----- Categories, instant access and Category -----

/// The world of an account that used local snapshots before 2020-12-14, where
/// `InstantAccess` and `Category` take effect, with `d-1` of `category`.
fn legacy_with_category(category: DiskCategory) -> Facts {
    let mut facts = with_category(category);
    facts.account.used_local_snapshots_before_2020_12_14 = true;
    facts
}

#[test]
fn instant_access_on_the_essd_series_where_it_takes_effect() {
    for category in DiskCategory::ALL {
        let facts = legacy_with_category(category);
        let result = check(&facts, &request().instant_access(true));
        match category.snapshot_support() {
            SnapshotSupport::Supported if category.is_essd_series() => {
                assert_creates(result, "d-1", SnapshotKind::InstantAccess)
            }
            SnapshotSupport::Supported => {
                let (status, code, message) = NOT_ON_THIS_CATEGORY;
                assert_refused_about(result, status, code, message, "InstantAccess");
                // Without instant access, a normal snapshot.
                assert_creates(
                    check(&facts, &request().instant_access(false)),
                    "d-1",
                    SnapshotKind::Normal,
                );
            }
            SnapshotSupport::UnsupportedBlockStorage => assert_refused_about(
                result,
                403,
                "DiskId.ValueNotSupported",
                "The specified parameter diskid is not supported.",
                "DiskId",
            ),
            SnapshotSupport::UnsupportedDevice => assert_refused(
                result,
                403,
                "IncorrectDiskType.NotSupport",
                "The specified device type is not supported.",
            ),
        }
    }
    let essd_series: Vec<&str> = DiskCategory::ALL
        .iter()
        .filter(|c| c.is_essd_series())
        .map(|c| c.as_str())
        .collect();
    assert_eq!(
        essd_series,
        [
            "cloud_essd",
            "cloud_auto",
            "cloud_essd_entry",
            "cloud_regional_disk_auto"
        ]
    );
}

/// CURRENT.md: InstantAccess "no longer takes effect" for other accounts: accepted on every
/// category that holds snapshots, a normal snapshot (D226, D227).
#[test]
fn instant_access_has_no_effect_for_other_accounts() {
    for category in DiskCategory::ALL {
        let facts = with_category(category);
        let result = check(&facts, &request().instant_access(true));
        match category.snapshot_support() {
            SnapshotSupport::Supported => assert_creates(result, "d-1", SnapshotKind::Normal),
            SnapshotSupport::UnsupportedBlockStorage | SnapshotSupport::UnsupportedDevice => {
                assert!(result.is_err(), "{category}")
            }
        }
    }
}
/// Where they no longer take effect, the no-longer-used parameters are still values the
/// reference bounds: their stateless rules judge them for every account, before the account
/// is read (D294).
#[test]
fn the_values_of_legacy_parameters_are_judged_for_every_account() {
    let ordinary = with_category(DiskCategory::ALL[0]);
    assert!(!ordinary.account.used_local_snapshots_before_2020_12_14);
    assert_refused(
        check(
            &ordinary,
            &request()
                .instant_access(true)
                .instant_access_retention_days(0),
        ),
        403,
        "InvalidInstantAccessRetentionDays.Malformed",
        "The specified InstantAccessRetentionDays is not valid.",
    );
    assert_refused(
        check(
            &ordinary,
            &request()
                .instant_access(true)
                .category(SnapshotCategory::Standard),
        ),
        403,
        "InvalidCategoryAndInstantAccess.Malformed",
        "The snapshot Category and InstantAccess can't be used together.",
    );
    // In range, or with InstantAccess false, they are accepted and have no effect.
    assert_creates(
        check(
            &ordinary,
            &request()
                .instant_access(true)
                .instant_access_retention_days(65535),
        ),
        "d-1",
        SnapshotKind::Normal,
    );
    assert_creates(
        check(
            &ordinary,
            &request()
                .instant_access(false)
                .instant_access_retention_days(0)
                .category(SnapshotCategory::Standard),
        ),
        "d-1",
        SnapshotKind::Normal,
    );
}

#[test]
fn the_categories_without_snapshots() {
    let expected = [
        (
            "elastic_ephemeral_disk_standard",
            SnapshotSupport::UnsupportedBlockStorage,
        ),
        (
            "elastic_ephemeral_disk_premium",
            SnapshotSupport::UnsupportedBlockStorage,
        ),
        ("local_ssd_pro", SnapshotSupport::UnsupportedDevice),
        ("local_hdd_pro", SnapshotSupport::UnsupportedDevice),
        ("ephemeral", SnapshotSupport::UnsupportedDevice),
        ("ephemeral_ssd", SnapshotSupport::UnsupportedDevice),
    ];
    let unsupported: Vec<_> = DiskCategory::ALL
        .iter()
        .filter(|c| c.snapshot_support() != SnapshotSupport::Supported)
        .map(|c| (c.as_str(), c.snapshot_support()))
        .collect();
    assert_eq!(unsupported, expected);
}

/// CURRENT.md dropped "cannot use the Category parameter": any account may send it, in any
/// letter case; it takes effect only for an account that used local snapshots before
/// 2020-12-14 (D226).
#[test]
fn category_from_any_account() {
    for text in ["Standard", "Flash", "standard", "flash", "FLASH"] {
        let mut query = request();
        query.set(ecs_snapshot_rules::request::Parameter::Category, text);
        let mut facts = world();
        assert_creates(check(&facts, &query), "d-1", SnapshotKind::Normal);
        facts.account.used_local_snapshots_before_2020_12_14 = true;
        let kind = if text.eq_ignore_ascii_case("Flash") {
            SnapshotKind::Flash
        } else {
            SnapshotKind::Normal
        };
        assert_creates(check(&facts, &query), "d-1", kind);
    }
}

#[test]
fn flash_is_for_the_essd_series_like_instant_access() {
    let facts = legacy_with_category(DiskCategory::CloudEfficiency);
    let (status, code, message) = NOT_ON_THIS_CATEGORY;
    assert_refused_about(
        check(&facts, &request().category(SnapshotCategory::Flash)),
        status,
        code,
        message,
        "Category",
    );
    assert_creates(
        check(&facts, &request().category(SnapshotCategory::Standard)),
        "d-1",
        SnapshotKind::Normal,
    );
    // An ESSD Entry disk is of the ESSD series.
    assert_creates(
        check(
            &legacy_with_category(DiskCategory::CloudEssdEntry),
            &request().category(SnapshotCategory::Flash),
        ),
        "d-1",
        SnapshotKind::Flash,
    );
}

// ----- Resource groups and volumes -----

#[test]
fn resource_groups() {
    assert_creates(
        check(&world(), &request().resource_group_id("rg-1")),
        "d-1",
        SnapshotKind::Normal,
    );
    assert_creates(
        check(&world(), &request().resource_group_id("")),
        "d-1",
        SnapshotKind::Normal,
    );
    assert_refused_about(
        check(&world(), &request().resource_group_id("RG-1")),
        404,
        "InvalidResourceGroup.NotFound",
        "The ResourceGroup provided does not exist in our records.",
        "ResourceGroupId",
    );
}

#[test]
fn shared_block_storage() {
    let request = CreateSnapshotRequest::new("d-sbs");
    for status in DiskStatus::ALL {
        let mut facts = world();
        facts.volumes.insert(
            "d-sbs".into(),
            VolumeFacts {
                exists: true,
                status,
            },
        );
        let result = check(&facts, &request);
        match status {
            DiskStatus::Available | DiskStatus::InUse => assert_eq!(
                result,
                Ok(Accepted::Create(NewSnapshot {
                    source: SnapshotSource::Volume("d-sbs".into()),
                    kind: SnapshotKind::Normal,
                }))
            ),
            _ => assert_refused(
                result,
                403,
                "IncorrectVolumeStatus",
                "The current volume status does not support this operation.",
            ),
        }
    }
    let mut facts = world();
    facts.volumes.insert("d-sbs".into(), VolumeFacts::default());
    // Instant access has no effect for this account (D226)...
    assert!(check(&facts, &request.clone().instant_access(true)).is_ok());
    // ...and is for the ESSD series where it does (D227).
    facts.account.used_local_snapshots_before_2020_12_14 = true;
    let (status, code, message) = NOT_ON_THIS_CATEGORY;
    assert_refused_about(
        check(&facts, &request.clone().instant_access(true)),
        status,
        code,
        message,
        "InstantAccess",
    );
    facts.volumes.insert(
        "d-sbs".into(),
        VolumeFacts {
            exists: false,
            ..VolumeFacts::default()
        },
    );
    assert_refused_about(
        check(&facts, &request),
        404,
        "InvalidVolumeId.NotFound",
        "The specified volume does not exist.",
        "DiskId",
    );
}

#[test]
fn time_only_matters_through_the_facts() {
    // The same facts at two times far apart give the same answer when no time is in them.
    let facts = world();
    for t in [
        "1970-01-01T00:00:00Z",
        "2026-11-27T12:00:00Z",
        "9999-12-31T23:59:59Z",
    ] {
        let mut facts = facts.clone();
        instance(&mut facts, "i-1").created_at = None;
        assert_creates(
            check_preconditions(&request(), &facts, at(t)),
            "d-1",
            SnapshotKind::Normal,
        );
    }
}
