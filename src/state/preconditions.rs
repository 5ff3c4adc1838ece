//! The precondition check: a request, the facts it meets and the time it arrives give the
//! API's answer. The order of the checks is `docs/STATEFUL.md`'s, and `docs/DECISIONS.md`
//! (D50, D238) says why.

use super::category::SnapshotSupport;
use super::disk::DiskStatus;
use super::facts::{DiskFacts, Encryption, Facts, Fault, InstanceFacts, LockReason, VolumeFacts};
use super::idempotency::{check_token, TokenVerdict};
use super::instance::InstanceStatus;
use super::meaning::SnapshotKind;
use super::time::{Timestamp, HOUR};
use crate::catalogue::{ApiError, ErrorCode};
use crate::request::{CreateSnapshotRequest, Parameter};
use crate::rules::validate;

/// The most manual snapshots a disk can have.
pub const MAX_MANUAL_SNAPSHOTS: u32 = 256;

/// A request the API accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Accepted {
    /// A new snapshot is to be created.
    Create(NewSnapshot),
    /// The ClientToken was answered before for a request of the same meaning: the API
    /// answers with that snapshot again and changes nothing.
    Replay {
        /// The snapshot the first request created.
        snapshot_id: String,
    },
}

/// The snapshot an accepted request creates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSnapshot {
    /// What it is a snapshot of.
    pub source: SnapshotSource,
    /// Normal, local (`Flash`) or with instant access: what the request asks for where
    /// `Category` and `InstantAccess` take effect, else normal (`docs/DECISIONS.md`, D226).
    pub kind: SnapshotKind,
}

/// What a snapshot is taken of: a DiskId names a disk or a Shared Block Storage device.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SnapshotSource {
    /// A disk, by ID.
    Disk(String),
    /// A Shared Block Storage device, by ID.
    Volume(String),
}

impl SnapshotSource {
    /// The ID, as the request's DiskId gave it.
    pub fn id(&self) -> &str {
        match self {
            SnapshotSource::Disk(id) | SnapshotSource::Volume(id) => id,
        }
    }
}

/// Judges a request against the facts it meets at `now`: the stateless rules first (by
/// calling [`validate`]), then every stateful rule, in the one order of `docs/STATEFUL.md`.
/// Returns the first refusal, or what is accepted: a new snapshot, or the replay of an
/// earlier answer to the same ClientToken.
///
/// # Errors
///
/// The first [`ApiError`] a rule raises: a stateless refusal from
/// [`validate`], else the stateful refusal (`InvalidDiskId.NotFound`,
/// `IncorrectDiskStatus`, `QuotaExceed.Snapshot`, ...) of the first rule the facts break.
///
/// Pure and O(1) in the size of the facts: a few hash look-ups, and the request's meaning
/// when it carries a token seen before.
///
/// ```
/// use ecs_snapshot_rules::state::Accepted;
/// use ecs_snapshot_rules::{check_preconditions, parse_query, Facts, Timestamp};
///
/// let facts = Facts::from_json(r#"{
///     "disks": {"d-1": {"instance_id": "i-1", "category": "cloud_ssd"}},
///     "instances": {"i-1": {"status": "Stopped"}}
/// }"#)?;
/// let now: Timestamp = "2026-11-27T12:00:00Z".parse()?;
///
/// let accepted = check_preconditions(&parse_query("DiskId=d-1")?, &facts, now)?;
/// assert!(matches!(accepted, Accepted::Create(_)));
///
/// // InstantAccess no longer takes effect for this account: accepted, a normal snapshot.
/// let request = parse_query("DiskId=d-1&InstantAccess=true")?;
/// assert!(matches!(check_preconditions(&request, &facts, now)?, Accepted::Create(_)));
///
/// // For an account that used local snapshots before 2020-12-14 it does, and it is for
/// // disks of the ESSD series only.
/// let mut legacy = facts.clone();
/// legacy.account.used_local_snapshots_before_2020_12_14 = true;
/// let refusal = check_preconditions(&request, &legacy, now).unwrap_err();
/// assert_eq!(refusal.status(), 400);
/// assert_eq!(refusal.code().as_str(), "DiskCategory.OperationNotSupported");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn check_preconditions(
    request: &CreateSnapshotRequest,
    facts: &Facts,
    now: Timestamp,
) -> Result<Accepted, ApiError> {
    // 1. The request alone.
    validate(request)?;
    // 2. A failure of the back end before anything is looked at.
    match facts.fault {
        Some(Fault::InternalError) => return Err(ApiError::new(ErrorCode::InternalError)),
        Some(Fault::InternalErrorException) => {
            return Err(ApiError::new(ErrorCode::InternalErrorException))
        }
        Some(Fault::CreateSnapshotFailed) | None => {}
    }
    // 3. The ClientToken: a replay answers before the state is looked at.
    if let TokenVerdict::Replay(snapshot_id) = check_token(request, facts)? {
        return Ok(Accepted::Replay {
            snapshot_id: snapshot_id.to_owned(),
        });
    }
    // 4. The account, 5. the region, 6. the resource group and the storage location.
    check_account(facts)?;
    check_region(request, facts)?;
    check_resource_group(request, facts)?;
    check_storage_location(request, facts)?;
    // 7. What the DiskId names, 8-13. its own rules.
    let disk_id = request.disk_id.as_deref().unwrap_or_default();
    let source = match facts.disks.get(disk_id).filter(|disk| disk.exists) {
        Some(disk) if disk.status_at(now) != DiskStatus::Released => {
            check_disk(request, disk_id, disk, facts, now)?;
            SnapshotSource::Disk(disk_id.to_owned())
        }
        Some(_) | None => match facts.volumes.get(disk_id) {
            Some(volume) if volume.exists => {
                check_volume(request, facts, volume)?;
                SnapshotSource::Volume(disk_id.to_owned())
            }
            Some(_) => return Err(not_found(ErrorCode::InvalidVolumeIdNotFound)),
            None => return Err(not_found(ErrorCode::InvalidDiskIdNotFound)),
        },
    };
    // 14. Every check passed; the back end may still fail.
    if facts.fault == Some(Fault::CreateSnapshotFailed) {
        return Err(ApiError::new(ErrorCode::CreateSnapshotFailed));
    }
    Ok(Accepted::Create(NewSnapshot {
        source,
        kind: effective_kind(request, facts),
    }))
}

/// The kind of snapshot an accepted request creates: what it asks for where `Category` and
/// `InstantAccess` take effect, a normal one elsewhere (D226).
fn effective_kind(request: &CreateSnapshotRequest, facts: &Facts) -> SnapshotKind {
    if facts.account.legacy_parameters_take_effect() {
        SnapshotKind::of(request)
    } else {
        SnapshotKind::Normal
    }
}

fn not_found(code: ErrorCode) -> ApiError {
    ApiError::new(code).with_parameter("DiskId")
}

/// The account: the service, the balance, the balance for pay-as-you-go products (D237), and
/// the quota of its channel partner (D233). Any account may send `Category` (D226).
fn check_account(facts: &Facts) -> Result<(), ApiError> {
    let account = &facts.account;
    if !account.snapshot_service_activated {
        return Err(ApiError::new(
            ErrorCode::InvalidAccountStatusSnapshotServiceUnavailable,
        ));
    }
    if !account.enough_balance {
        return Err(ApiError::new(
            ErrorCode::InvalidAccountStatusNotEnoughBalance,
        ));
    }
    if !account.enough_balance_for_postpaid {
        return Err(ApiError::new(
            ErrorCode::InvalidAccountStatusNotEnoughBalancePostpaid,
        ));
    }
    if account
        .channel_partner_snapshot_quota
        .is_some_and(|quota| account.snapshot_count >= quota)
    {
        return Err(ApiError::new(ErrorCode::QuotaExceedSnapshotQuota));
    }
    Ok(())
}

/// The region: instant access, where it takes effect, in a region without it (D231).
fn check_region(request: &CreateSnapshotRequest, facts: &Facts) -> Result<(), ApiError> {
    if !facts.region.instant_access_available
        && facts.account.legacy_parameters_take_effect()
        && request.wants_instant_access()
    {
        return Err(
            ApiError::new(ErrorCode::InvalidRegionNotSupportSnapshotInstantAccessRegion)
                .with_parameter(Parameter::InstantAccess.name()),
        );
    }
    Ok(())
}

/// A ResourceGroupId must name one of the account's groups; empty is as if absent (D65).
fn check_resource_group(request: &CreateSnapshotRequest, facts: &Facts) -> Result<(), ApiError> {
    match request.resource_group_id.as_deref() {
        Some(id) if !id.is_empty() && !facts.resource_groups.contains(id) => {
            Err(ApiError::new(ErrorCode::InvalidResourceGroupNotFound)
                .with_parameter("ResourceGroupId"))
        }
        Some(_) | None => Ok(()),
    }
}

/// A StorageLocationArn must be one the caller has permission on; empty is as if absent
/// (D236).
fn check_storage_location(request: &CreateSnapshotRequest, facts: &Facts) -> Result<(), ApiError> {
    match request.storage_location_arn.as_deref() {
        Some(arn) if !arn.is_empty() && !facts.storage_location_arns.contains(arn) => Err(
            ApiError::new(ErrorCode::InvalidParameterUnauthorizedStorageLocationArn)
                .with_parameter("StorageLocationArn"),
        ),
        Some(_) | None => Ok(()),
    }
}

/// The parameter that asks for instant access or a local snapshot, if one does and it takes
/// effect for the account (D226).
fn fast_snapshot_parameter(request: &CreateSnapshotRequest, facts: &Facts) -> Option<Parameter> {
    if !facts.account.legacy_parameters_take_effect() {
        return None;
    }
    match SnapshotKind::of(request) {
        SnapshotKind::InstantAccess => Some(Parameter::InstantAccess),
        SnapshotKind::Flash => Some(Parameter::Category),
        SnapshotKind::Normal => None,
    }
}

/// A Shared Block Storage device: it is not of the ESSD series, and must be Available or
/// In_use (D58).
fn check_volume(
    request: &CreateSnapshotRequest,
    facts: &Facts,
    volume: &VolumeFacts,
) -> Result<(), ApiError> {
    if let Some(parameter) = fast_snapshot_parameter(request, facts) {
        return Err(ApiError::new(ErrorCode::DiskCategoryOperationNotSupported)
            .with_parameter(parameter.name()));
    }
    match volume.status {
        DiskStatus::Available | DiskStatus::InUse => Ok(()),
        DiskStatus::Creating
        | DiskStatus::Attaching
        | DiskStatus::Detaching
        | DiskStatus::ReIniting
        | DiskStatus::Expired
        | DiskStatus::Released => Err(ApiError::new(ErrorCode::IncorrectVolumeStatus)),
    }
}

/// A disk that exists: its kind, its condition, its history, its instance, its wait after
/// attachment, and its snapshots, in that order.
fn check_disk(
    request: &CreateSnapshotRequest,
    disk_id: &str,
    disk: &DiskFacts,
    facts: &Facts,
    now: Timestamp,
) -> Result<(), ApiError> {
    // 8. Kind (D54, D227, D231).
    match disk.category.snapshot_support() {
        SnapshotSupport::Supported => {}
        SnapshotSupport::UnsupportedBlockStorage => {
            return Err(ApiError::new(ErrorCode::DiskIdValueNotSupported).with_parameter("DiskId"))
        }
        SnapshotSupport::UnsupportedDevice => {
            return Err(ApiError::new(ErrorCode::IncorrectDiskTypeNotSupport))
        }
    }
    if let Some(parameter) = fast_snapshot_parameter(request, facts) {
        if !disk.category.supports_instant_access() {
            return Err(ApiError::new(ErrorCode::DiskCategoryOperationNotSupported)
                .with_parameter(parameter.name()));
        }
        if disk.in_cloud_box && parameter == Parameter::InstantAccess {
            return Err(
                ApiError::new(ErrorCode::CloudBoxNotSupportSnapshotWithInstantAccess)
                    .with_parameter(parameter.name()),
            );
        }
    }
    // 9. Condition.
    if disk.in_arrears {
        return Err(ApiError::new(ErrorCode::DiskInArrears));
    }
    if disk.transferring {
        return Err(ApiError::new(ErrorCode::IncorrectDiskStatusTransferring));
    }
    match disk.status_at(now) {
        DiskStatus::Available | DiskStatus::InUse | DiskStatus::Expired => {}
        DiskStatus::Creating
        | DiskStatus::Attaching
        | DiskStatus::Detaching
        | DiskStatus::ReIniting => return Err(ApiError::new(ErrorCode::IncorrectDiskStatus)),
        // Looked at by the caller; kept for an exhaustive match.
        DiskStatus::Released => return Err(not_found(ErrorCode::InvalidDiskIdNotFound)),
    }
    if disk.status_invalid {
        return Err(ApiError::new(ErrorCode::IncorrectDiskStatusInvalid));
    }
    if let Some(encryption) = &disk.encryption {
        check_key(encryption)?;
    }
    // 10. History (D68).
    if disk.instance_id.is_none() && !disk.ever_attached {
        return Err(ApiError::new(ErrorCode::IncorrectDiskStatusNeverAttached));
    }
    if !disk.ever_used {
        return Err(ApiError::new(ErrorCode::IncorrectDiskStatusNeverUsed));
    }
    // 11. The instance it is attached to.
    if let Some(instance_id) = &disk.instance_id {
        match facts.instances.get(instance_id).filter(|i| i.exists) {
            Some(instance) => check_instance(instance, now)?,
            None => return Err(ApiError::new(ErrorCode::InvalidInstanceIdNotFound)),
        }
    }
    // 12. The wait after a data disk is attached (D55).
    if disk.ready_for_snapshot_at.is_some_and(|ready| now < ready) {
        return Err(ApiError::new(ErrorCode::IncorrectDiskStatus));
    }
    // 13. Its snapshots (D59, D234, D235).
    if disk.manual_snapshot_count >= MAX_MANUAL_SNAPSHOTS {
        return Err(ApiError::new(ErrorCode::QuotaExceedSnapshot));
    }
    if disk.unfinished_encrypted_copies {
        return Err(ApiError::new(
            ErrorCode::InvalidOperationUnfinishedEncryptedSnapshotCopy,
        ));
    }
    if disk.automatic_or_group_snapshot_in_progress {
        return Err(ApiError::new(ErrorCode::DiskHasCreatingSnapshot));
    }
    check_concurrent_snapshots(disk, disk_id)
}

/// The disk's KMS key, which encrypts the snapshot too: it exists, is enabled, carries the
/// ECS tag, and ECS may use it (D230).
fn check_key(encryption: &Encryption) -> Result<(), ApiError> {
    let code = if !encryption.key_exists {
        ErrorCode::InvalidParameterKmsKeyIdNotFound
    } else if !encryption.key_enabled {
        ErrorCode::InvalidParameterKmsKeyIdCmkNotEnabled
    } else if !encryption.ecs_tagged {
        ErrorCode::InvalidParameterKmsKeyIdCmkUnauthorized
    } else if !encryption.ecs_authorized {
        ErrorCode::InvalidParameterKmsKeyIdKmsUnauthorized
    } else {
        return Ok(());
    };
    Err(ApiError::new(code))
}

/// Snapshots of the disk made by CreateSnapshot and still being created: one at a time
/// (`IncorrectDiskStatus.CreatingSnapshot`), or as many as the disk's own concurrent quota
/// (`QuotaExceed.ConcurrentSnapshotQuota`, with the disk's ID and the quota) (D235).
fn check_concurrent_snapshots(disk: &DiskFacts, disk_id: &str) -> Result<(), ApiError> {
    let in_progress = disk.creating_snapshots().count();
    match disk.concurrent_snapshot_quota {
        None if in_progress > 0 => Err(ApiError::new(
            ErrorCode::IncorrectDiskStatusCreatingSnapshot,
        )),
        Some(quota) if in_progress >= quota as usize => Err(ApiError::filled(
            ErrorCode::QuotaExceedConcurrentSnapshotQuota,
            &[disk_id, &quota.to_string()],
        )),
        None | Some(_) => Ok(()),
    }
}

/// The instance of an attached disk: its security lock (D62), hibernation (D232), whether it
/// ever started, its status, and the hour after its creation or system-disk replacement
/// (D56).
fn check_instance(instance: &InstanceFacts, now: Timestamp) -> Result<(), ApiError> {
    let locked = instance
        .operation_locks
        .iter()
        .any(|lock| lock.lock_reason == LockReason::Security);
    if locked {
        return Err(ApiError::new(ErrorCode::InstanceLockedForSecurity));
    }
    if instance.hibernation_configured {
        return Err(ApiError::new(
            ErrorCode::HibernationConfiguredInstanceOperationForbidden,
        ));
    }
    let status_ok = match instance.status {
        InstanceStatus::Running | InstanceStatus::Stopped => true,
        InstanceStatus::Pending | InstanceStatus::Starting | InstanceStatus::Stopping => false,
    };
    let too_young = |since: Option<Timestamp>| since.is_some_and(|at| !now.has_elapsed(at, HOUR));
    if !instance.ever_started
        || !status_ok
        || too_young(instance.created_at)
        || too_young(instance.system_disk_replaced_at)
    {
        return Err(ApiError::new(ErrorCode::IncorrectInstanceStatus));
    }
    Ok(())
}
