//! The facts a request meets: the account, its disks, instances, Shared Block Storage
//! volumes, resource groups and the ClientTokens seen before, as plain data.
//!
//! Every field has a default that describes an ordinary resource in service, so that a
//! hand-written facts file names only what is unusual (`docs/DECISIONS.md`, D49). Unknown
//! fields are refused, so that a typo is an error and not a silently ignored fact.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::category::DiskCategory;
use super::disk::DiskStatus;
use super::instance::InstanceStatus;
use super::time::Timestamp;
use crate::request::CreateSnapshotRequest;
use crate::wire::{parse_json, parse_request};

/// Everything a CreateSnapshot request meets besides its own text.
///
/// Read it from JSON with [`Facts::from_json`]; the format is described in
/// `docs/STATEFUL.md` and `examples/world.json` is an example. Maps are keyed by ID, and are
/// hash maps so that a look-up costs the same however many resources there are.
///
/// ```
/// use ecs_snapshot_rules::{check_preconditions, parse_query, Facts, Timestamp};
///
/// let facts = Facts::from_json(r#"{
///     "disks": {"d-1": {"instance_id": "i-1", "manual_snapshot_count": 256}},
///     "instances": {"i-1": {"status": "Running"}}
/// }"#)?;
/// let now: Timestamp = "2026-11-27T12:00:00Z".parse()?;
/// let refusal = check_preconditions(&parse_query("DiskId=d-1")?, &facts, now).unwrap_err();
/// assert_eq!(refusal.code().as_str(), "QuotaExceed.Snapshot");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Facts {
    /// The calling account.
    pub account: AccountFacts,
    /// The region the request is sent to.
    pub region: RegionFacts,
    /// Disks by ID. A disk that is not here does not exist.
    #[serde(serialize_with = "sorted_map")]
    pub disks: HashMap<String, DiskFacts>,
    /// Instances by ID. An instance that is not here does not exist.
    #[serde(serialize_with = "sorted_map")]
    pub instances: HashMap<String, InstanceFacts>,
    /// Shared Block Storage devices by ID, which a DiskId may name instead of a disk.
    #[serde(serialize_with = "sorted_map")]
    pub volumes: HashMap<String, VolumeFacts>,
    /// The IDs of the account's resource groups.
    #[serde(serialize_with = "sorted_set")]
    pub resource_groups: HashSet<String>,
    /// The storage locations (ARNs) the caller has permission on, which `StorageLocationArn`
    /// may name; the parameter is "unavailable for public use", so an ordinary account has
    /// none (`docs/DECISIONS.md`, D236).
    #[serde(serialize_with = "sorted_set")]
    pub storage_location_arns: HashSet<String>,
    /// ClientTokens already seen, with what became of their first request.
    #[serde(serialize_with = "sorted_map")]
    pub client_tokens: HashMap<String, TokenRecord>,
    /// A failure of the back end to simulate, if any (`docs/DECISIONS.md`, D51).
    pub fault: Option<Fault>,
}

/// The calling account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AccountFacts {
    /// Whether the snapshot service is activated (default true); if not,
    /// `InvalidAccountStatus.SnapshotServiceUnavailable`.
    pub snapshot_service_activated: bool,
    /// Whether the balance pays for a snapshot (default true); if not,
    /// `InvalidAccountStatus.NotEnoughBalance` ("...does not have enough balance.").
    pub enough_balance: bool,
    /// Whether the balance allows ordering a pay-as-you-go product, as snapshot storage is
    /// (default true); if not, `InvalidAccountStatus.NotEnoughBalance` ("...to order postpaid
    /// product.", `docs/DECISIONS.md`, D237).
    pub enough_balance_for_postpaid: bool,
    /// Whether the account used local snapshots before 2020-12-14 (default false). For such
    /// an account `Category`, `InstantAccess` and `InstantAccessRetentionDays` still take
    /// effect; for any other they are accepted and have none (`docs/DECISIONS.md`, D226).
    pub used_local_snapshots_before_2020_12_14: bool,
    /// The quota of snapshots a channel partner (reseller) set for the account, if one did;
    /// at `snapshot_count`, `QuotaExceed.SnapshotQuota` (`docs/DECISIONS.md`, D233).
    pub channel_partner_snapshot_quota: Option<u32>,
    /// How many snapshots the account holds (progressing or accomplished), for the channel
    /// partner's quota.
    pub snapshot_count: u32,
}

impl Default for AccountFacts {
    fn default() -> Self {
        AccountFacts {
            snapshot_service_activated: true,
            enough_balance: true,
            enough_balance_for_postpaid: true,
            used_local_snapshots_before_2020_12_14: false,
            channel_partner_snapshot_quota: None,
            snapshot_count: 0,
        }
    }
}

impl AccountFacts {
    /// Whether `Category`, `InstantAccess` and `InstantAccessRetentionDays` take effect for
    /// the account: only if it used local snapshots before 2020-12-14 (`docs/DECISIONS.md`,
    /// D226).
    pub fn legacy_parameters_take_effect(&self) -> bool {
        self.used_local_snapshots_before_2020_12_14
    }
}

/// The region a request is sent to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RegionFacts {
    /// Whether the region offers instant access (default true); if not, `InstantAccess=true`
    /// where it takes effect is `InvalidRegion.NotSupportSnapshotInstantAccessRegion`
    /// (`docs/DECISIONS.md`, D231).
    pub instant_access_available: bool,
}

impl Default for RegionFacts {
    fn default() -> Self {
        RegionFacts {
            instant_access_available: true,
        }
    }
}

/// A disk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DiskFacts {
    /// Whether the disk exists (default true); `false` keeps the record of a disk that is
    /// gone, which is as if it were not listed.
    pub exists: bool,
    /// The category (default `cloud_essd`).
    pub category: DiskCategory,
    /// The status; when absent, `In_use` if the disk has an `instance_id`, else `Available`.
    /// See [`DiskFacts::status_at`] for how expiry and release times change it.
    pub status: Option<DiskStatus>,
    /// When the disk's subscription runs out: from then on it is `Expired`.
    pub expires_at: Option<Timestamp>,
    /// When the disk is released: from then on it does not exist.
    pub release_at: Option<Timestamp>,
    /// Whether the disk is suspended for an overdue payment: `DiskInArrears`.
    pub in_arrears: bool,
    /// Whether the disk is being migrated: `IncorrectDiskStatus.Transferring`.
    pub transferring: bool,
    /// Whether the device status is invalid (a restart clears it): `IncorrectDiskStatus.Invalid`.
    pub status_invalid: bool,
    /// Whether the disk is in a CloudBox: instant access where it takes effect is
    /// `CloudBoxNotSupportSnapshotWithInstantAccess` (`docs/DECISIONS.md`, D231).
    pub in_cloud_box: bool,
    /// Whether the disk was ever attached to an instance (default true). A disk that has an
    /// `instance_id` is attached, whatever this says.
    pub ever_attached: bool,
    /// Whether anything was ever written to the disk since it was created (default true).
    pub ever_used: bool,
    /// The disk's encryption, when it is encrypted.
    pub encryption: Option<Encryption>,
    /// The instance the disk is attached to, if it is attached.
    pub instance_id: Option<String>,
    /// When it was attached (for the reader; the rules use `ready_for_snapshot_at`).
    pub attached_at: Option<Timestamp>,
    /// When, after its attachment, the disk can first be snapshotted: the wait "depends on
    /// the volume of data stored on the disk", so the facts say when it ends
    /// (`docs/DECISIONS.md`, D55). Before then: `IncorrectDiskStatus`.
    pub ready_for_snapshot_at: Option<Timestamp>,
    /// How many manual snapshots the disk has (progressing or accomplished); at 256,
    /// `QuotaExceed.Snapshot`.
    pub manual_snapshot_count: u32,
    /// Whether an encrypted copy of a snapshot of the disk to another region is unfinished:
    /// `InvalidOperation.UnfinishedEncryptedSnapshotCopy` (`docs/DECISIONS.md`, D234).
    pub unfinished_encrypted_copies: bool,
    /// Whether a snapshot of the disk that no CreateSnapshot made (an automatic snapshot
    /// policy's, or a snapshot-consistent group's) is being created: `DISK_HAS_CREATING_SNAPSHOT`
    /// (`docs/DECISIONS.md`, D235).
    pub automatic_or_group_snapshot_in_progress: bool,
    /// The ID of a snapshot of this disk made by CreateSnapshot and being created, if one is
    /// (the earliest, when several are). At the disk's concurrent quota:
    /// `IncorrectDiskStatus.CreatingSnapshot`, or `QuotaExceed.ConcurrentSnapshotQuota` for a
    /// disk with a `concurrent_snapshot_quota`.
    pub creating_snapshot_id: Option<String>,
    /// The IDs of further snapshots of this disk made by CreateSnapshot and being created,
    /// beside `creating_snapshot_id`: only a disk with a `concurrent_snapshot_quota` of more
    /// than one has any.
    pub also_creating_snapshot_ids: Vec<String>,
    /// How many snapshots of the disk made by CreateSnapshot may be created at once, when
    /// the disk has a quota of its own; without one, one at a time (`docs/DECISIONS.md`,
    /// D235).
    pub concurrent_snapshot_quota: Option<u32>,
}

impl Default for DiskFacts {
    fn default() -> Self {
        DiskFacts {
            exists: true,
            category: DiskCategory::default(),
            status: None,
            expires_at: None,
            release_at: None,
            in_arrears: false,
            transferring: false,
            status_invalid: false,
            ever_attached: true,
            ever_used: true,
            encryption: None,
            instance_id: None,
            attached_at: None,
            ready_for_snapshot_at: None,
            manual_snapshot_count: 0,
            unfinished_encrypted_copies: false,
            automatic_or_group_snapshot_in_progress: false,
            creating_snapshot_id: None,
            also_creating_snapshot_ids: Vec::new(),
            concurrent_snapshot_quota: None,
            in_cloud_box: false,
        }
    }
}

impl DiskFacts {
    /// The snapshots of the disk made by CreateSnapshot and being created:
    /// `creating_snapshot_id`, then `also_creating_snapshot_ids`.
    pub fn creating_snapshots(&self) -> impl Iterator<Item = &str> {
        self.creating_snapshot_id
            .iter()
            .chain(&self.also_creating_snapshot_ids)
            .map(String::as_str)
    }

    /// The disk's status at `now`: `Released` once `release_at` has come (or when it does
    /// not exist), else `Expired` once `expires_at` has come, else `status`, else `In_use`
    /// when attached and `Available` when not.
    pub fn status_at(&self, now: Timestamp) -> DiskStatus {
        if !self.exists || self.release_at.is_some_and(|at| at <= now) {
            DiskStatus::Released
        } else if self.expires_at.is_some_and(|at| at <= now) {
            DiskStatus::Expired
        } else if let Some(status) = self.status {
            status
        } else if self.instance_id.is_some() {
            DiskStatus::InUse
        } else {
            DiskStatus::Available
        }
    }
}

/// How a disk is encrypted, and the state of its KMS key, which the snapshot is encrypted
/// with too (`docs/DECISIONS.md`, D230).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Encryption {
    /// The KMS key that encrypts the disk.
    pub kms_key_id: String,
    /// Whether the key exists (default true); if not, `InvalidParameter.KMSKeyId.NotFound`.
    #[serde(default = "yes")]
    pub key_exists: bool,
    /// Whether the key is enabled (default true); if not,
    /// `InvalidParameter.KMSKeyId.CMKNotEnabled`.
    #[serde(default = "yes")]
    pub key_enabled: bool,
    /// Whether the key carries the tag that lets ECS use it (default true); if not,
    /// `InvalidParameter.KMSKeyId.CMKUnauthorized`.
    #[serde(default = "yes")]
    pub ecs_tagged: bool,
    /// Whether ECS is authorised to use the key (default true); if not,
    /// `InvalidParameter.KMSKeyId.KMSUnauthorized`.
    #[serde(default = "yes")]
    pub ecs_authorized: bool,
}

impl Encryption {
    /// A disk encrypted with `kms_key_id`, a key in order.
    pub fn with_key(kms_key_id: impl Into<String>) -> Self {
        Encryption {
            kms_key_id: kms_key_id.into(),
            key_exists: true,
            key_enabled: true,
            ecs_tagged: true,
            ecs_authorized: true,
        }
    }
}

/// An instance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InstanceFacts {
    /// Whether the instance exists (default true); `false` is as if it were not listed.
    pub exists: bool,
    /// The status (default `Running`).
    pub status: InstanceStatus,
    /// Whether the instance was ever started (default true).
    pub ever_started: bool,
    /// When it was created: its disks can be snapshotted an hour later.
    pub created_at: Option<Timestamp>,
    /// When its system disk was last replaced: its disks can be snapshotted an hour later.
    pub system_disk_replaced_at: Option<Timestamp>,
    /// Its operation locks, as DescribeInstances lists them in `OperationLocks`.
    pub operation_locks: Vec<OperationLock>,
    /// Whether the instance has hibernation configured: its disks get
    /// `HibernationConfigured.InstanceOperationForbidden` (`docs/DECISIONS.md`, D232).
    pub hibernation_configured: bool,
}

impl Default for InstanceFacts {
    fn default() -> Self {
        InstanceFacts {
            exists: true,
            status: InstanceStatus::default(),
            ever_started: true,
            created_at: None,
            system_disk_replaced_at: None,
            operation_locks: Vec::new(),
            hibernation_configured: false,
        }
    }
}

/// One operation lock of an instance (`{"LockReason": "security"}` in DescribeInstances).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationLock {
    /// Why the instance is locked.
    pub lock_reason: LockReason,
}

/// Why an instance is locked, spelled as the API spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LockReason {
    /// Overdue payment.
    Financial,
    /// Security: every operation on the instance is prohibited.
    Security,
    /// The instance is in the recycle bin.
    Recycling,
    /// The dedicated host of the instance has an overdue payment.
    Dedicatedhostfinancial,
    /// The instance was refunded.
    Refunded,
}

/// A Shared Block Storage device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct VolumeFacts {
    /// Whether the device exists (default true). `false` records an ID that is known to be
    /// a Shared Block Storage device's but names none: `InvalidVolumeId.NotFound`.
    pub exists: bool,
    /// The status (default `In_use`); only `Available` and `In_use` can be snapshotted.
    pub status: DiskStatus,
}

impl Default for VolumeFacts {
    fn default() -> Self {
        VolumeFacts {
            exists: true,
            status: DiskStatus::InUse,
        }
    }
}

/// What became of the first request that carried a ClientToken.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenRecord {
    /// The first request, with the parameters it came with. In JSON: a query string
    /// (`"DiskId=d-1&SnapshotName=nightly"`) or an object with the API's names.
    #[serde(
        serialize_with = "request_as_query",
        deserialize_with = "request_from_text_or_object"
    )]
    pub request: CreateSnapshotRequest<'static>,
    /// The snapshot it created. A record without one is still in flight.
    #[serde(default)]
    pub snapshot_id: Option<String>,
    /// Whether the first request is still being processed: `IdempotentProcessing`.
    #[serde(default)]
    pub in_flight: bool,
}

impl TokenRecord {
    /// The snapshot the first request created, once it has been answered; `None` while it
    /// is in flight (`in_flight`, or no `snapshot_id` yet).
    pub fn answered(&self) -> Option<&str> {
        match (self.in_flight, &self.snapshot_id) {
            (false, Some(id)) => Some(id),
            (true, _) | (false, None) => None,
        }
    }
}

/// A failure of the back end, for the three rows of the error table that no state of the
/// resources explains (`docs/DECISIONS.md`, D51).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fault {
    /// An unknown error before anything is looked at: `InternalError` (HTTP 500), "...due
    /// to some unknown error."
    InternalError,
    /// An exception before anything is looked at: `InternalError` (HTTP 500), "...due to
    /// some unknown error, exception or failure."
    InternalErrorException,
    /// Every check passes, then the back end fails to create the snapshot:
    /// `CreateSnapshot.Failed` (HTTP 403).
    CreateSnapshotFailed,
}

/// Why a facts file could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid facts at line {line}, column {column}: {message}")]
pub struct FactsError {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
    /// What is wrong (an unknown field, a value of the wrong type, a bad timestamp, ...).
    pub message: String,
}

impl Facts {
    /// Reads facts from JSON; see `docs/STATEFUL.md` for the format.
    ///
    /// # Errors
    ///
    /// [`FactsError`] for text that is not a facts document (with the line and column of the
    /// fault): malformed JSON, an unknown field, a value of the wrong kind, or a request that
    /// cannot be read.
    pub fn from_json(text: &str) -> Result<Facts, FactsError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        serde_json::from_str(text).map_err(|error| {
            let message = error.to_string();
            let message = match message.rfind(" at line ") {
                Some(cut) => message.get(..cut).unwrap_or(&message).to_owned(),
                None => message,
            };
            FactsError {
                line: error.line(),
                column: error.column(),
                message,
            }
        })
    }

    /// The facts as pretty JSON, maps sorted by ID so that the same facts always give the
    /// same text.
    pub fn to_json_pretty(&self) -> String {
        // Serialising plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

fn yes() -> bool {
    true
}

fn sorted_map<V: Serialize, S: Serializer>(
    map: &HashMap<String, V>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    map.iter().collect::<BTreeMap<_, _>>().serialize(serializer)
}

fn sorted_set<S: Serializer>(set: &HashSet<String>, serializer: S) -> Result<S::Ok, S::Error> {
    set.iter().collect::<BTreeSet<_>>().serialize(serializer)
}

fn request_as_query<S: Serializer>(
    request: &CreateSnapshotRequest<'static>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&request.to_query())
}

fn request_from_text_or_object<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<CreateSnapshotRequest<'static>, D::Error> {
    let value = serde_json::Value::deserialize(deserializer)?;
    let parsed = match &value {
        serde_json::Value::String(text) => {
            parse_request(text).map(CreateSnapshotRequest::into_owned)
        }
        serde_json::Value::Object(_) => {
            parse_json(&value.to_string()).map(CreateSnapshotRequest::into_owned)
        }
        _ => {
            return Err(D::Error::custom(
                "a request must be a query string or an object with the API's parameter names",
            ))
        }
    };
    parsed.map_err(|error| D::Error::custom(format!("the request cannot be read: {error}")))
}
