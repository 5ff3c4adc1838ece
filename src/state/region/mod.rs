//! A deterministic in-memory region: instances, disks and snapshots that change as
//! operations and a logical clock say, answering CreateSnapshot through the one
//! precondition check, [`check_preconditions`]. This file holds the region, its clock and
//! what it reports; `instances`, `disks` and `calls` hold the operations on each.

mod calls;
mod disks;
mod instances;

use std::collections::{BTreeSet, HashMap};

use super::disk::{DiskEvent, DiskStatus};
use super::facts::{AccountFacts, DiskFacts, Facts, Fault, InstanceFacts, RegionFacts};
use super::ids::IdSource;
use super::instance::{InstanceEvent, InstanceStatus};
use super::meaning::SnapshotKind;
use super::preconditions::SnapshotSource;
use super::snapshot::{SnapshotEvent, SnapshotStatus};
use super::time::Timestamp;
use super::transition::InvalidTransition;
use crate::catalogue::ApiError;

/// How long a data disk waits after it is attached before it can be snapshotted, per GiB
/// written to it: the spec says the wait "depends on the volume of data stored on the disk"
/// and gives no figure, so the simulator takes one second a GiB (`docs/DECISIONS.md`, D55).
pub const ATTACH_WAIT_SECONDS_PER_GIB: i64 = 1;

/// A simulated region of one account: create instances and disks, attach, start, stop,
/// move a logical clock, and call CreateSnapshot, with IDs drawn from a seed so that the
/// same operations always give the same IDs.
///
/// Every CreateSnapshot is judged by [`check_preconditions`](crate::check_preconditions) on the region's [`Facts`], and
/// costs the same however many snapshots, disks and tokens the region holds: the facts are
/// hash maps and each disk keeps its count of manual snapshots.
///
/// ```
/// use ecs_snapshot_rules::state::DiskCategory;
/// use ecs_snapshot_rules::{CreateSnapshotRequest, Region, Timestamp};
///
/// let mut region = Region::new(7, "2026-11-27T00:00:00Z".parse()?);
/// let vm = region.create_instance(DiskCategory::CloudEssd);
/// region.start_instance(&vm.instance_id)?;
/// let request = CreateSnapshotRequest::new(&vm.system_disk_id).client_token("nightly-1");
///
/// // Within the hour after the instance was created: refused.
/// let answer = region.create_snapshot(&request);
/// assert_eq!(answer.result.unwrap_err().code().as_str(), "IncorrectInstanceStatus");
///
/// region.advance(3600)?;
/// let first = region.create_snapshot(&request).result?;
/// // The same ClientToken again: the same snapshot, nothing new.
/// let again = region.create_snapshot(&request).result?;
/// assert_eq!(again.snapshot_id, first.snapshot_id);
/// assert!(again.replayed);
/// assert_eq!(region.snapshots().count(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Region {
    facts: Facts,
    now: Timestamp,
    ids: IdSource,
    snapshots: HashMap<String, SnapshotRecord>,
    /// The disks attached to each instance, sorted so that notices come in a fixed order.
    attached: HashMap<String, BTreeSet<String>>,
    /// GiB written to each disk, for the wait after it is attached.
    written_gib: HashMap<String, u64>,
    /// Expired disks by release time.
    release_schedule: BTreeSet<(Timestamp, String)>,
    /// Answers held back until [`Region::complete`].
    pending: HashMap<String, Pending>,
}

/// A snapshot the region holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotRecord {
    /// Its ID.
    pub snapshot_id: String,
    /// What it is a snapshot of.
    pub source: SnapshotSource,
    /// Normal, local or with instant access.
    pub kind: SnapshotKind,
    /// Where its state machine is.
    pub status: SnapshotStatus,
    /// When it was requested.
    pub created_at: Timestamp,
}

/// The API's answer to one CreateSnapshot call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The RequestId the API gives every answer.
    pub request_id: String,
    /// The snapshot, or the refusal.
    pub result: Result<Success, ApiError>,
}

/// An accepted CreateSnapshot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Success {
    /// The SnapshotId answered.
    pub snapshot_id: String,
    /// Whether this is the replay of an earlier answer to the same ClientToken, which
    /// created nothing.
    pub replayed: bool,
}

/// A CreateSnapshot call submitted and not yet answered: while it is, its ClientToken is in
/// flight. Hand it to [`Region::complete`] for the answer.
#[derive(Debug, PartialEq, Eq)]
pub struct Ticket {
    request_id: String,
}

impl Ticket {
    /// The RequestId its answer will carry.
    pub fn request_id(&self) -> &str {
        &self.request_id
    }
}

#[derive(Clone, Debug)]
struct Pending {
    result: Result<Success, ApiError>,
    /// The token whose in-flight record this call wrote.
    recorded_token: Option<String>,
}

/// An instance just created, with its system disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewInstance {
    /// The instance's ID.
    pub instance_id: String,
    /// Its system disk's ID.
    pub system_disk_id: String,
}

/// Something that happened besides what was asked, for the caller to know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// An instance changed status while a snapshot of one of its disks was being created,
    /// which the spec advises against; the region allows it (`docs/DECISIONS.md`, D64).
    InstanceChangedDuringSnapshot {
        /// The instance.
        instance_id: String,
        /// Its new status.
        status: InstanceStatus,
        /// The snapshot being created.
        snapshot_id: String,
    },
    /// A disk was released; the snapshots of it still being created were deleted with it.
    DiskReleased {
        /// The disk.
        disk_id: String,
        /// The snapshot deleted with it, if one was being created (the earliest, when a disk
        /// with a concurrent quota had several: they all went).
        deleted_snapshot_id: Option<String>,
    },
}

/// A condition of a disk that the rules look at and nothing in the region changes by itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DiskCondition {
    /// Suspended for an overdue payment (`DiskInArrears`).
    InArrears,
    /// Being migrated (`IncorrectDiskStatus.Transferring`).
    Transferring,
    /// Device status invalid (`IncorrectDiskStatus.Invalid`).
    StatusInvalid,
    /// Encrypted with a KMS key ECS may not use (`InvalidParameter.KMSKeyId.KMSUnauthorized`).
    KmsKeyUnauthorized,
    /// Encrypted with a KMS key that no longer exists (`InvalidParameter.KMSKeyId.NotFound`).
    KmsKeyNotFound,
    /// Encrypted with a KMS key that is disabled (`InvalidParameter.KMSKeyId.CMKNotEnabled`).
    KmsKeyDisabled,
    /// Encrypted with a KMS key without the ECS tag
    /// (`InvalidParameter.KMSKeyId.CMKUnauthorized`).
    KmsKeyWithoutEcsTag,
    /// In a CloudBox (`CloudBoxNotSupportSnapshotWithInstantAccess` with instant access).
    InCloudBox,
    /// An encrypted copy of one of its snapshots to another region is unfinished
    /// (`InvalidOperation.UnfinishedEncryptedSnapshotCopy`).
    UnfinishedEncryptedCopies,
    /// An automatic or snapshot-group snapshot of it is being created
    /// (`DISK_HAS_CREATING_SNAPSHOT`).
    AutomaticOrGroupSnapshotInProgress,
}

/// Why the region refused an operation (CreateSnapshot itself never errs: its refusals are
/// answers).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RegionError {
    /// No such instance.
    #[error("instance {0} does not exist")]
    UnknownInstance(String),
    /// No such disk (or it was released).
    #[error("disk {0} does not exist")]
    UnknownDisk(String),
    /// No such snapshot (or it was deleted).
    #[error("snapshot {0} does not exist")]
    UnknownSnapshot(String),
    /// The ticket was not issued by this region, or was answered already.
    #[error("no call with RequestId {0} is waiting for its answer")]
    UnknownTicket(String),
    /// The instance's machine has no such transition.
    #[error("instance {instance_id}: {error}")]
    Instance {
        /// The instance.
        instance_id: String,
        /// The refused transition.
        error: InvalidTransition<InstanceStatus, InstanceEvent>,
    },
    /// The disk's machine has no such transition.
    #[error("disk {disk_id}: {error}")]
    Disk {
        /// The disk.
        disk_id: String,
        /// The refused transition.
        error: InvalidTransition<DiskStatus, DiskEvent>,
    },
    /// The snapshot's machine has no such transition.
    #[error("snapshot {snapshot_id}: {error}")]
    Snapshot {
        /// The snapshot.
        snapshot_id: String,
        /// The refused transition.
        error: InvalidTransition<SnapshotStatus, SnapshotEvent>,
    },
    /// Disks are attached only to an instance that is Running or Stopped.
    #[error(
        "instance {instance_id} is {status}; disks attach only to a Running or Stopped instance"
    )]
    InstanceNotReady {
        /// The instance.
        instance_id: String,
        /// Its status.
        status: InstanceStatus,
    },
    /// Data is written only to an In_use disk whose instance is Running.
    #[error("disk {0} is not attached to a Running instance")]
    NotWritable(String),
    /// A snapshot still being created cannot be deleted.
    #[error("snapshot {0} is still being created")]
    SnapshotInProgress(String),
    /// The clock would pass 9999-12-31T23:59:59Z.
    #[error("the clock cannot go past 9999-12-31T23:59:59Z")]
    ClockOverflow,
}

impl Region {
    /// An empty region of an ordinary account (see [`AccountFacts`]) whose clock shows
    /// `start`, drawing its IDs from `seed`.
    pub fn new(seed: u64, start: Timestamp) -> Region {
        Region {
            facts: Facts::default(),
            now: start,
            ids: IdSource::new(seed),
            snapshots: HashMap::new(),
            attached: HashMap::new(),
            written_gib: HashMap::new(),
            release_schedule: BTreeSet::new(),
            pending: HashMap::new(),
        }
    }

    /// The time on the region's clock.
    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// The facts CreateSnapshot meets now: write them out as JSON to replay a situation.
    pub fn facts(&self) -> &Facts {
        &self.facts
    }

    /// A snapshot the region holds.
    pub fn snapshot(&self, snapshot_id: &str) -> Option<&SnapshotRecord> {
        self.snapshots.get(snapshot_id)
    }

    /// Every snapshot the region holds, in no particular order.
    pub fn snapshots(&self) -> impl Iterator<Item = &SnapshotRecord> {
        self.snapshots.values()
    }

    /// A disk, unless it does not exist.
    pub fn disk(&self, disk_id: &str) -> Option<&DiskFacts> {
        self.facts.disks.get(disk_id)
    }

    /// An instance, unless it does not exist.
    pub fn instance(&self, instance_id: &str) -> Option<&InstanceFacts> {
        self.facts.instances.get(instance_id)
    }

    /// The account, to change its facts (service activated, balances, local snapshots, the
    /// quota of its channel partner). The region keeps its `snapshot_count`.
    pub fn account_mut(&mut self) -> &mut AccountFacts {
        &mut self.facts.account
    }

    /// The facts of the region itself, to change them (instant access).
    pub fn region_mut(&mut self) -> &mut RegionFacts {
        &mut self.facts.region
    }

    /// Adds a resource group that ResourceGroupId may name.
    pub fn add_resource_group(&mut self, resource_group_id: impl Into<String>) {
        self.facts.resource_groups.insert(resource_group_id.into());
    }

    /// Gives the caller permission on a storage location that StorageLocationArn may name.
    pub fn add_storage_location_arn(&mut self, arn: impl Into<String>) {
        self.facts.storage_location_arns.insert(arn.into());
    }

    /// Makes the back end fail (or work again, with `None`) until told otherwise.
    pub fn set_fault(&mut self, fault: Option<Fault>) {
        self.facts.fault = fault;
    }

    /// Loads facts into the region, as a `--world` file or a test's fixture gives them: each
    /// disk, instance, volume and ClientToken of `facts` is added, or replaces the one of the
    /// same ID; resource groups and storage locations are added; the account, the region's
    /// own facts and the fault are replaced. A disk's `creating_snapshot_id` and
    /// `also_creating_snapshot_ids` become progressing snapshots the region holds (so that
    /// they can be finished or failed), and a disk whose `release_at` has come is released at
    /// once, as [`Region::advance`] would: its notices are returned.
    ///
    /// ```
    /// use ecs_snapshot_rules::{CreateSnapshotRequest, Facts, Region};
    ///
    /// let mut region = Region::new(1, "2026-11-27T12:00:00Z".parse()?);
    /// region.load_facts(Facts::from_json(r#"{
    ///     "instances": {"i-1": {"status": "Running"}},
    ///     "disks": {"d-1": {"instance_id": "i-1", "creating_snapshot_id": "s-busy"}}
    /// }"#)?);
    /// let busy = region.create_snapshot(&CreateSnapshotRequest::new("d-1")).result.unwrap_err();
    /// assert_eq!(busy.code().as_str(), "IncorrectDiskStatus.CreatingSnapshot");
    ///
    /// region.finish_snapshot("s-busy")?;
    /// assert!(region.create_snapshot(&CreateSnapshotRequest::new("d-1")).result.is_ok());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn load_facts(&mut self, facts: Facts) -> Vec<Notice> {
        let Facts {
            account,
            region,
            disks,
            instances,
            volumes,
            resource_groups,
            storage_location_arns,
            client_tokens,
            fault,
        } = facts;
        self.facts.account = account;
        self.facts.region = region;
        self.facts.fault = fault;
        self.facts
            .storage_location_arns
            .extend(storage_location_arns);
        self.facts.instances.extend(instances);
        self.facts.volumes.extend(volumes);
        self.facts.resource_groups.extend(resource_groups);
        self.facts.client_tokens.extend(client_tokens);
        for (disk_id, disk) in disks {
            if let Some(old) = self.facts.disks.remove(&disk_id) {
                if let Some(instance_id) = &old.instance_id {
                    self.unindex_attachment(instance_id, &disk_id);
                }
                if let Some(at) = old.release_at {
                    self.release_schedule.remove(&(at, disk_id.clone()));
                }
            }
            if let Some(instance_id) = &disk.instance_id {
                self.attached
                    .entry(instance_id.clone())
                    .or_default()
                    .insert(disk_id.clone());
            }
            if let Some(at) = disk.release_at {
                self.release_schedule.insert((at, disk_id.clone()));
            }
            for snapshot_id in disk.creating_snapshots() {
                self.snapshots
                    .entry(snapshot_id.to_owned())
                    .or_insert_with(|| SnapshotRecord {
                        snapshot_id: snapshot_id.to_owned(),
                        source: SnapshotSource::Disk(disk_id.clone()),
                        kind: SnapshotKind::Normal,
                        status: SnapshotStatus::Progressing,
                        created_at: self.now,
                    });
            }
            self.facts.disks.insert(disk_id, disk);
        }
        // Releasing what is due cannot move the clock, so it cannot overflow.
        self.advance(0).unwrap_or_default()
    }

    /// Moves the clock forward, and releases each Expired disk whose release time comes.
    ///
    /// # Errors
    ///
    /// [`RegionError`] when an ID names nothing the region holds (or a ticket it did not
    /// issue), or when the operation cannot happen in the resource's current status.
    pub fn advance(&mut self, seconds: u32) -> Result<Vec<Notice>, RegionError> {
        self.now = self
            .now
            .checked_add_seconds(i64::from(seconds))
            .ok_or(RegionError::ClockOverflow)?;
        let mut notices = Vec::new();
        while let Some((at, disk_id)) = self.release_schedule.first().cloned() {
            if at > self.now {
                break;
            }
            self.release_schedule.remove(&(at, disk_id.clone()));
            notices.push(self.remove_disk(&disk_id));
        }
        Ok(notices)
    }
}
