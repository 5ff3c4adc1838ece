//! Every row of the spec's error table (and the SUPPLEMENT's stateful rows), each produced
//! by one trigger of `docs/STATEFUL.md` through `check_preconditions`, asserted with its
//! exact status, code and message as the spec writes them.

mod stateful_support;

use ecs_snapshot_rules::catalogue::Source;
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
    fn row_10_create_snapshot_failed() -> 403, "CreateSnapshot.Failed", "The process of creating snapshot is failed." {
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
    fn row_14_instant_access_not_on_essd() -> 400, "DiskCategory.OperationNotSupported", "The operation is not supported to the specified disk due to its disk category" {
        let mut facts = world();
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
    fn row_22_disk_status_invalid() -> 403, "IncorrectDiskStatus.Invalid", "The specified device status invalid, restart instance and try again." {
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
        disk(&mut facts, "d-1").encryption = Some(Encryption { kms_key_id: "key-1".into(), ecs_authorized: false });
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
    fn supplement_resource_group_not_found() -> 404, "InvalidResourceGroup.NotFound", "The ResourceGroup provided does not exist in our records." {
        (world(), request().resource_group_id("rg-nope"))
    }
    fn supplement_category_needs_local_snapshots_before_2020_12_14() -> 403, "InvalidSnapshotCategory.Malformed", "The specified Category is not valid." {
        (world(), request().category(ecs_snapshot_rules::request::SnapshotCategory::Standard))
    }
}

#[test]
fn every_row_of_the_spec_table_and_every_stateful_supplement_row_has_a_case() {
    let mut missing = Vec::new();
    for &row in ErrorCode::ALL {
        let wanted = match (row.source(), row.scope()) {
            (Source::Spec(_), _) => true,
            (Source::Supplement, scope) => scope == ecs_snapshot_rules::catalogue::Scope::State,
        };
        let covered = CASES.iter().any(|&(_, status, code, message)| {
            status == row.status()
                && code == row.as_str()
                && (message == row.message_template() || row.message_template() == "%s")
        });
        if wanted && !covered {
            missing.push(row.as_str());
        }
    }
    assert_eq!(missing, Vec::<&str>::new(), "rows without a case");
    let spec_rows = CASES
        .iter()
        .filter(|(name, ..)| name.starts_with("row_"))
        .count();
    assert_eq!(spec_rows, 31);
}
