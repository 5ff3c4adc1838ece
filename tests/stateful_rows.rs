//! Every row of the error tables of the current reference (`CURRENT.md`) and of
//! `CreateSnapshot.md`, each produced by one trigger of `docs/STATEFUL.md` through
//! `check_preconditions`, asserted with its exact status, code and message: the current
//! reference's where the revisions differ. `row_NN` is row NN of `CreateSnapshot.md`,
//! `current_NN` row NN of the current reference that `CreateSnapshot.md` does not have. The
//! rows only a server can produce have no case, and are marked so.

mod stateful_support;

use ecs_snapshot_rules::catalogue::Scope;
use ecs_snapshot_rules::request::Parameter;
use ecs_snapshot_rules::state::{
    DiskCategory, DiskStatus, Encryption, Fault, InstanceStatus, LockReason, OperationLock,
    TokenRecord, VolumeFacts,
};
use ecs_snapshot_rules::{check_preconditions, CreateSnapshotRequest, ErrorCode, Facts};
use stateful_support::{assert_refused, disk, instance, now, request, world};

fn token(facts: &mut Facts, token: &str, first: CreateSnapshotRequest<'static>, in_flight: bool) {
    facts.client_tokens.insert(
        token.into(),
        TokenRecord {
            request: first,
            snapshot_id: (!in_flight).then(|| "s-first".to_owned()),
            in_flight,
        },
    );
}

macro_rules! rows {
    ($( fn $name:ident() -> $status:literal, $code:literal, $message:literal $case:block )+) => {
        $(
            #[test]
            fn $name() {
                let (facts, request): (Facts, CreateSnapshotRequest) = $case;
                assert_refused(check_preconditions(&request, &facts, now()), $status, $code, $message);
            }
        )+
        /// Every case: (test, status, code, message).
        const CASES: &[(&str, u16, &str, &str)] = &[ $( (stringify!($name), $status, $code, $message), )+ ];
    }
}

rows! {
    fn row_01_disk_not_found() -> 404, "InvalidDiskId.NotFound", "The specified DiskId does not exist." {
        (world(), CreateSnapshotRequest::new("d-nope"))
    }
    fn row_02_snapshot_name_malformed() -> 400, "InvalidSnapshotName.Malformed", "The specified SnapshotName is wrongly formed." {
        (world(), request().snapshot_name("auto-nightly"))
    }
    fn row_03_description_malformed() -> 404, "InvalidDescription.Malformed", "The specified description is wrongly formed." {
        (world(), request().description("https://example.com"))
    }
    fn row_04_instance_neither_running_nor_stopped() -> 400, "IncorrectInstanceStatus", "The current status of the resource does not support this operation." {
        let mut facts = world();
        instance(&mut facts, "i-1").status = InstanceStatus::Stopping;
        (facts, request())
    }
    fn row_05_snapshot_being_created() -> 403, "IncorrectDiskStatus.CreatingSnapshot", "A previous snapshot creation is in process." {
        let mut facts = world();
        disk(&mut facts, "d-1").creating_snapshot_id = Some("s-progressing".into());
        (facts, request())
    }
    fn row_06_security_lock() -> 403, "InstanceLockedForSecurity", "The disk attached instance is locked due to security." {
        let mut facts = world();
        instance(&mut facts, "i-1").operation_locks.push(OperationLock { lock_reason: LockReason::Security });
        (facts, request())
    }
    fn row_07_never_attached() -> 403, "IncorrectDiskStatus.NeverAttached", "The specified disk has never been attached to any instance." {
        let mut facts = world();
        disk(&mut facts, "d-free").ever_attached = false;
        (facts, CreateSnapshotRequest::new("d-free"))
    }
    fn row_08_snapshot_quota() -> 403, "QuotaExceed.Snapshot", "The snapshot quota exceeds." {
        let mut facts = world();
        disk(&mut facts, "d-1").manual_snapshot_count = 256;
        (facts, request())
    }
    fn row_09_never_used() -> 403, "IncorrectDiskStatus.NeverUsed", "The specified disk has never been used after creating." {
        let mut facts = world();
        disk(&mut facts, "d-1").ever_used = false;
        (facts, request())
    }
    fn row_10_create_snapshot_failed() -> 400, "CreateSnapshot.Failed", "The process of creating snapshot is failed." {
        let mut facts = world();
        facts.fault = Some(Fault::CreateSnapshotFailed);
        (facts, request())
    }
    fn row_11_disk_in_arrears() -> 403, "DiskInArrears", "The specified operation is denied as your disk has expired." {
        let mut facts = world();
        disk(&mut facts, "d-1").in_arrears = true;
        (facts, request())
    }
    fn row_12_internal_error() -> 500, "InternalError", "The request processing has failed due to some unknown error." {
        let mut facts = world();
        facts.fault = Some(Fault::InternalError);
        (facts, request())
    }
    fn row_13_disk_id_value_not_supported() -> 403, "DiskId.ValueNotSupported", "The specified parameter diskid is not supported." {
        let mut facts = world();
        disk(&mut facts, "d-1").category = DiskCategory::ElasticEphemeralDiskPremium;
        (facts, request())
    }
    fn row_14_instant_access_not_on_the_essd_series() -> 400, "DiskCategory.OperationNotSupported", "The type of the specified disk does not support creating a snapshot." {
        let mut facts = legacy();
        disk(&mut facts, "d-1").category = DiskCategory::CloudSsd;
        (facts, request().instant_access(true))
    }
    fn row_15_disk_status() -> 403, "IncorrectDiskStatus", "The current disk status does not support this operation." {
        let mut facts = world();
        disk(&mut facts, "d-1").status = Some(DiskStatus::ReIniting);
        (facts, request())
    }
    fn row_16_not_enough_balance() -> 403, "InvalidAccountStatus.NotEnoughBalance", "Your account does not have enough balance." {
        let mut facts = world();
        facts.account.enough_balance = false;
        (facts, request())
    }
    fn row_17_snapshot_service_unavailable() -> 403, "InvalidAccountStatus.SnapshotServiceUnavailable", "Snapshot service has not been opened yet." {
        let mut facts = world();
        facts.account.snapshot_service_activated = false;
        (facts, request())
    }
    fn row_18_instance_not_found() -> 404, "InvalidInstanceId.NotFound", "The specified InstanceId does not exist." {
        let mut facts = world();
        disk(&mut facts, "d-1").instance_id = Some("i-gone".into());
        (facts, request())
    }
    fn row_19_volume_status() -> 403, "IncorrectVolumeStatus", "The current volume status does not support this operation." {
        let mut facts = world();
        facts.volumes.insert("d-sbs".into(), VolumeFacts { status: DiskStatus::Detaching, ..VolumeFacts::default() });
        (facts, CreateSnapshotRequest::new("d-sbs"))
    }
    fn row_20_volume_not_found() -> 404, "InvalidVolumeId.NotFound", "The specified volume does not exist." {
        let mut facts = world();
        facts.volumes.insert("d-sbs".into(), VolumeFacts { exists: false, ..VolumeFacts::default() });
        (facts, CreateSnapshotRequest::new("d-sbs"))
    }
    fn row_21_idempotent_parameter_mismatch() -> 403, "IdempotentParameterMismatch", "The specified clientToken is used." {
        let mut facts = world();
        token(&mut facts, "t-1", request().client_token("t-1").snapshot_name("first"), false);
        (facts, request().client_token("t-1").snapshot_name("second"))
    }
    fn row_22_disk_status_invalid() -> 403, "IncorrectDiskStatus.Invalid", "The specified disk status invalid, restart instance and try again." {
        let mut facts = world();
        disk(&mut facts, "d-1").status_invalid = true;
        (facts, request())
    }
    fn row_23_local_disk() -> 403, "IncorrectDiskType.NotSupport", "The specified device type is not supported." {
        let mut facts = world();
        disk(&mut facts, "d-1").category = DiskCategory::LocalSsdPro;
        (facts, request())
    }
    fn row_24_transferring() -> 403, "IncorrectDiskStatus.Transferring", "The specified device is transferring, you can retry after the process is finished." {
        let mut facts = world();
        disk(&mut facts, "d-1").transferring = true;
        (facts, request())
    }
    fn row_25_kms_unauthorized() -> 403, "InvalidParameter.KMSKeyId.KMSUnauthorized", "ECS service have no right to access your KMS." {
        let mut facts = world();
        disk(&mut facts, "d-1").encryption = Some(Encryption { ecs_authorized: false, ..Encryption::with_key("key-1") });
        (facts, request())
    }
    fn row_26_internal_error_exception() -> 500, "InternalError", "The request processing has failed due to some unknown error, exception or failure." {
        let mut facts = world();
        facts.fault = Some(Fault::InternalErrorException);
        (facts, request())
    }
    fn row_27_duplicate_tag_key() -> 400, "Duplicate.TagKey", "The Tag.N.Key contain duplicate key." {
        (world(), request().tag("env", "a").tag("env", "b"))
    }
    fn row_28_tag_key_malformed() -> 400, "InvalidTagKey.Malformed", "The specified Tag.n.Key is not valid." {
        (world(), request().tag("acs:owner", "me"))
    }
    fn row_29_tag_value_malformed() -> 400, "InvalidTagValue.Malformed", "The specified Tag.n.Value is not valid." {
        (world(), request().tag("site", "http://example.com"))
    }
    fn row_30_idempotent_processing() -> 403, "IdempotentProcessing", "The previous idempotent request(s) is still processing." {
        let mut facts = world();
        token(&mut facts, "t-1", request().client_token("t-1"), true);
        (facts, request().client_token("t-1"))
    }
    fn row_31_too_many_tags() -> 403, "QuotaExceed.Tags", "The number of tags (21) exceeds the quota of 20." {
        let request = (1..=21).fold(request(), |r, i| r.tag(format!("k{i}"), "v"));
        (world(), request)
    }
    fn current_48_resource_group_not_found() -> 404, "InvalidResourceGroup.NotFound", "The ResourceGroup provided does not exist in our records." {
        (world(), request().resource_group_id("rg-nope"))
    }
    fn current_01_kms_key_not_found() -> 400, "InvalidParameter.KMSKeyId.NotFound", "The specified KMSKeyId does not exist." {
        let mut facts = world();
        disk(&mut facts, "d-1").encryption = Some(Encryption { key_exists: false, ..Encryption::with_key("key-1") });
        (facts, request())
    }
    fn current_08_retention_days_malformed() -> 400, "InvalidRetentionDays.Malformed", "The specified RetentionDays is not valid." {
        (world(), request().retention_days(65537))
    }
    fn current_26_cmk_without_the_ecs_tag() -> 403, "InvalidParameter.KMSKeyId.CMKUnauthorized", "ECS tags must be added to the CMK." {
        let mut facts = world();
        disk(&mut facts, "d-1").encryption = Some(Encryption { ecs_tagged: false, ..Encryption::with_key("key-1") });
        (facts, request())
    }
    fn current_27_cmk_not_enabled() -> 403, "InvalidParameter.KMSKeyId.CMKNotEnabled", "The CMK needs to be enabled." {
        let mut facts = world();
        disk(&mut facts, "d-1").encryption = Some(Encryption { key_enabled: false, ..Encryption::with_key("key-1") });
        (facts, request())
    }
    fn current_30_category_malformed() -> 403, "InvalidSnapshotCategory.Malformed", "The specified Category is not valid." {
        let mut request = request();
        request.set(Parameter::Category, "Local");
        (world(), request)
    }
    fn current_32_region_without_instant_access() -> 403, "InvalidRegion.NotSupportSnapshotInstantAccessRegion", "The snapshot InstantAccess is not supported for this region." {
        let mut facts = legacy();
        facts.region.instant_access_available = false;
        (facts, request().instant_access(true))
    }
    fn current_33_category_with_instant_access_true() -> 403, "InvalidCategoryAndInstantAccess.Malformed", "The snapshot Category and InstantAccess can't be used together." {
        (world(), request().category(ecs_snapshot_rules::request::SnapshotCategory::Standard).instant_access(true))
    }
    fn current_34_automatic_snapshot_in_progress() -> 403, "DISK_HAS_CREATING_SNAPSHOT", "The operation cannot be performed while a snapshot is being created for the disk." {
        let mut facts = world();
        disk(&mut facts, "d-1").automatic_or_group_snapshot_in_progress = true;
        (facts, request())
    }
    fn current_35_hibernation_configured() -> 403, "HibernationConfigured.InstanceOperationForbidden", "The operation is not permitted due to limit of the hibernation configured instance." {
        let mut facts = world();
        instance(&mut facts, "i-1").hibernation_configured = true;
        (facts, request())
    }
    fn current_36_channel_partner_quota() -> 403, "QuotaExceed.SnapshotQuota", "The quota is insufficient, please contact your channel partner to increase the quota." {
        let mut facts = world();
        facts.account.channel_partner_snapshot_quota = Some(100);
        facts.account.snapshot_count = 100;
        (facts, request())
    }
    fn current_37_instant_access_retention_days_malformed() -> 403, "InvalidInstantAccessRetentionDays.Malformed", "The specified InstantAccessRetentionDays is not valid." {
        (world(), request().instant_access(true).instant_access_retention_days(0))
    }
    fn current_38_instant_access_in_a_cloud_box() -> 403, "CloudBoxNotSupportSnapshotWithInstantAccess", "The specified disk in CloudBox does not support to create a snapshot with InstantAccess." {
        let mut facts = legacy();
        disk(&mut facts, "d-1").in_cloud_box = true;
        (facts, request().instant_access(true))
    }
    fn current_39_not_enough_balance_for_postpaid() -> 403, "InvalidAccountStatus.NotEnoughBalance", "Your account does not have enough balance to order postpaid product." {
        let mut facts = world();
        facts.account.enough_balance_for_postpaid = false;
        (facts, request())
    }
    fn current_40_unfinished_encrypted_copies() -> 403, "InvalidOperation.UnfinishedEncryptedSnapshotCopy", "This disk has unfinished encrypted copy snapshots in the target region." {
        let mut facts = world();
        disk(&mut facts, "d-1").unfinished_encrypted_copies = true;
        (facts, request())
    }
    fn current_41_concurrent_snapshot_quota() -> 403, "QuotaExceed.ConcurrentSnapshotQuota", "The number of snapshots being created for the disk d-1 has exceeded the concurrent quota (2). Please wait for the previous snapshots to complete before trying again." {
        let mut facts = world();
        let d = disk(&mut facts, "d-1");
        d.concurrent_snapshot_quota = Some(2);
        d.creating_snapshot_id = Some("s-a".into());
        d.also_creating_snapshot_ids = vec!["s-b".into()];
        (facts, request())
    }
    fn current_42_client_token_malformed() -> 403, "InvalidClientToken.Malformed", "The specified clientToken is improperly formatted. It must contain only ASCII characters and must not exceed 64 characters in length." {
        (world(), request().client_token("t".repeat(65)))
    }
    fn current_43_storage_location_without_permission() -> 403, "InvalidParameter.UnauthorizedStorageLocationArn", "The operation has failed due to lack of permission for the specified \"StorageLocationArn\". Please use a resource with appropriate permission for the operation." {
        (world(), request().storage_location_arn("acs:ecs:cn-hangzhou:123:storage-location/x"))
    }
}

/// The world of an account that used local snapshots before 2020-12-14, for which
/// `InstantAccess` and `Category` still take effect.
fn legacy() -> Facts {
    let mut facts = world();
    facts.account.used_local_snapshots_before_2020_12_14 = true;
    facts
}

/// Whether a case gives `row`: its status, code, and message (filled in where the row's
/// message has `%s`).
fn covers(case: &(&str, u16, &str, &str), row: ErrorCode) -> bool {
    let &(_, status, code, message) = case;
    status == row.status()
        && code == row.as_str()
        && (message == row.message_template() || row.message_template().contains("%s"))
}

#[test]
fn every_row_of_both_tables_has_a_case_or_is_server_only() {
    let mut missing = Vec::new();
    let mut server_only = Vec::new();
    for &row in ErrorCode::ALL {
        let source = row.source();
        if source.spec_row().is_none() && source.current_row().is_none() {
            continue;
        }
        let covered = CASES.iter().any(|case| covers(case, row));
        match row.scope() {
            Scope::Server => {
                assert!(!covered, "{row:?} is server-only and has a case");
                server_only.push(row.as_str());
            }
            Scope::Request | Scope::State if !covered => missing.push(row.as_str()),
            Scope::Request | Scope::State => {}
        }
    }
    assert_eq!(missing, Vec::<&str>::new(), "rows without a case");
    assert_eq!(server_only, ["Throttling", "InvalidAction.Unauthorized"]);
    // Every case is named after its row: row_NN for CreateSnapshot.md, current_NN for a row
    // only the current reference has.
    for &(name, ..) in CASES {
        let row = ErrorCode::ALL
            .iter()
            .copied()
            .find(|&row| covers(CASES.iter().find(|c| c.0 == name).unwrap(), row))
            .unwrap();
        let expected = match (row.source().spec_row(), row.source().current_row()) {
            (Some(n), _) => format!("row_{n:02}_"),
            (None, Some(n)) => format!("current_{n:02}_"),
            (None, None) => "supplement_".to_owned(),
        };
        assert!(name.starts_with(&expected), "{name}: {expected}");
    }
}
