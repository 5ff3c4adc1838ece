//! A deterministic in-memory region: instances, disks and snapshots that change as
//! operations and a logical clock say, answering CreateSnapshot through the one
//! precondition check, [`check_preconditions`].

use std::collections::{BTreeSet, HashMap};

use super::category::DiskCategory;
use super::disk::{DiskEvent, DiskStatus};
use super::facts::{
    AccountFacts, DiskFacts, Encryption, Facts, Fault, InstanceFacts, LockReason, OperationLock,
    TokenRecord,
};
use super::ids::IdSource;
use super::instance::{InstanceEvent, InstanceStatus};
use super::meaning::SnapshotKind;
use super::preconditions::{check_preconditions, Accepted, NewSnapshot, SnapshotSource};
use super::snapshot::{SnapshotEvent, SnapshotStatus};
use super::time::Timestamp;
use super::transition::InvalidTransition;
use crate::catalogue::ApiError;
use crate::request::CreateSnapshotRequest;

/// How long a data disk waits after it is attached before it can be snapshotted, per GiB
/// written to it: the spec says the wait "depends on the volume of data stored on the disk"
/// and gives no figure, so the simulator takes one second a GiB (`docs/DECISIONS.md`, D55).
pub const ATTACH_WAIT_SECONDS_PER_GIB: i64 = 1;

/// A simulated region of one account: create instances and disks, attach, start, stop,
/// move a logical clock, and call CreateSnapshot, with IDs drawn from a seed so that the
/// same operations always give the same IDs.
///
/// Every CreateSnapshot is judged by [`check_preconditions`] on the region's [`Facts`], and
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
    /// A disk was released; a snapshot of it still being created was deleted with it.
    DiskReleased {
        /// The disk.
        disk_id: String,
        /// The snapshot deleted with it, if one was being created.
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

    /// The account, to change its facts (service activated, balance, local snapshots).
    pub fn account_mut(&mut self) -> &mut AccountFacts {
        &mut self.facts.account
    }

    /// Adds a resource group that ResourceGroupId may name.
    pub fn add_resource_group(&mut self, resource_group_id: impl Into<String>) {
        self.facts.resource_groups.insert(resource_group_id.into());
    }

    /// Makes the back end fail (or work again, with `None`) until told otherwise.
    pub fn set_fault(&mut self, fault: Option<Fault>) {
        self.facts.fault = fault;
    }

    /// Loads facts into the region, as a `--world` file or a test's fixture gives them: each
    /// disk, instance, volume and ClientToken of `facts` is added, or replaces the one of the
    /// same ID; resource groups are added; the account and the fault are replaced. A disk's
    /// `creating_snapshot_id` becomes a progressing snapshot the region holds (so that it can
    /// be finished or failed), and a disk whose `release_at` has come is released at once,
    /// as [`Region::advance`] would: its notices are returned.
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
            disks,
            instances,
            volumes,
            resource_groups,
            client_tokens,
            fault,
        } = facts;
        self.facts.account = account;
        self.facts.fault = fault;
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
            if let Some(snapshot_id) = &disk.creating_snapshot_id {
                self.snapshots
                    .entry(snapshot_id.clone())
                    .or_insert_with(|| SnapshotRecord {
                        snapshot_id: snapshot_id.clone(),
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

    // ----- instances -----

    /// Creates an instance (Pending, never started) with a system disk of `category`
    /// attached (In_use, holding its image). Its disks can be snapshotted an hour from now.
    pub fn create_instance(&mut self, category: DiskCategory) -> NewInstance {
        let instance_id = self.ids.resource_id("i-");
        let system_disk_id = self.ids.resource_id("d-");
        self.facts.instances.insert(
            instance_id.clone(),
            InstanceFacts {
                exists: true,
                status: InstanceStatus::Pending,
                ever_started: false,
                created_at: Some(self.now),
                system_disk_replaced_at: None,
                operation_locks: Vec::new(),
            },
        );
        self.facts.disks.insert(
            system_disk_id.clone(),
            DiskFacts {
                category,
                status: Some(DiskStatus::InUse),
                ever_attached: true,
                ever_used: true,
                instance_id: Some(instance_id.clone()),
                attached_at: Some(self.now),
                ..DiskFacts::default()
            },
        );
        self.attached
            .entry(instance_id.clone())
            .or_default()
            .insert(system_disk_id.clone());
        NewInstance {
            instance_id,
            system_disk_id,
        }
    }

    /// Takes one step of an instance's state machine. A step while a snapshot of one of its
    /// disks is being created is allowed, with a notice.
    pub fn instance_event(
        &mut self,
        instance_id: &str,
        event: InstanceEvent,
    ) -> Result<Vec<Notice>, RegionError> {
        self.step_instance(instance_id, event)?;
        Ok(self.snapshots_under(instance_id))
    }

    /// Starts a Pending or Stopped instance: Starting, then Running.
    pub fn start_instance(&mut self, instance_id: &str) -> Result<Vec<Notice>, RegionError> {
        self.step_instance(instance_id, InstanceEvent::Start)?;
        self.step_instance(instance_id, InstanceEvent::Started)?;
        Ok(self.snapshots_under(instance_id))
    }

    /// Stops a Running instance: Stopping, then Stopped.
    pub fn stop_instance(&mut self, instance_id: &str) -> Result<Vec<Notice>, RegionError> {
        self.step_instance(instance_id, InstanceEvent::Stop)?;
        self.step_instance(instance_id, InstanceEvent::Stopped)?;
        Ok(self.snapshots_under(instance_id))
    }

    /// Adds an operation lock (`security` prohibits every operation on the instance).
    pub fn lock_instance(
        &mut self,
        instance_id: &str,
        reason: LockReason,
    ) -> Result<(), RegionError> {
        let instance = self.instance_mut(instance_id)?;
        let lock = OperationLock {
            lock_reason: reason,
        };
        if !instance.operation_locks.contains(&lock) {
            instance.operation_locks.push(lock);
        }
        Ok(())
    }

    /// Lifts an operation lock.
    pub fn unlock_instance(
        &mut self,
        instance_id: &str,
        reason: LockReason,
    ) -> Result<(), RegionError> {
        self.instance_mut(instance_id)?
            .operation_locks
            .retain(|lock| lock.lock_reason != reason);
        Ok(())
    }

    fn instance_mut(&mut self, instance_id: &str) -> Result<&mut InstanceFacts, RegionError> {
        self.facts
            .instances
            .get_mut(instance_id)
            .ok_or_else(|| RegionError::UnknownInstance(instance_id.to_owned()))
    }

    fn step_instance(
        &mut self,
        instance_id: &str,
        event: InstanceEvent,
    ) -> Result<(), RegionError> {
        let instance = self.instance_mut(instance_id)?;
        let status = instance
            .status
            .apply(event)
            .map_err(|error| RegionError::Instance {
                instance_id: instance_id.to_owned(),
                error,
            })?;
        instance.status = status;
        if status == InstanceStatus::Running {
            instance.ever_started = true;
        }
        Ok(())
    }

    /// A notice for each snapshot being created of a disk attached to the instance.
    fn snapshots_under(&self, instance_id: &str) -> Vec<Notice> {
        let status = self
            .facts
            .instances
            .get(instance_id)
            .map_or(InstanceStatus::Pending, |i| i.status);
        self.attached
            .get(instance_id)
            .into_iter()
            .flatten()
            .filter_map(|disk_id| self.facts.disks.get(disk_id)?.creating_snapshot_id.clone())
            .map(|snapshot_id| Notice::InstanceChangedDuringSnapshot {
                instance_id: instance_id.to_owned(),
                status,
                snapshot_id,
            })
            .collect()
    }

    // ----- disks -----

    /// Creates a data disk of `category`: Creating, never attached, never used.
    pub fn create_disk(&mut self, category: DiskCategory) -> String {
        let disk_id = self.ids.resource_id("d-");
        self.facts.disks.insert(
            disk_id.clone(),
            DiskFacts {
                category,
                status: Some(DiskStatus::Creating),
                ever_attached: false,
                ever_used: false,
                ..DiskFacts::default()
            },
        );
        disk_id
    }

    /// Creation finished: Creating to Available.
    pub fn finish_creating_disk(&mut self, disk_id: &str) -> Result<(), RegionError> {
        self.step_disk(disk_id, &[DiskEvent::Created])
    }

    /// Attaches an Available disk to a Running or Stopped instance. It can be snapshotted
    /// once the wait for the data written to it has passed ([`ATTACH_WAIT_SECONDS_PER_GIB`]).
    pub fn attach_disk(&mut self, disk_id: &str, instance_id: &str) -> Result<(), RegionError> {
        let instance = self
            .facts
            .instances
            .get(instance_id)
            .ok_or_else(|| RegionError::UnknownInstance(instance_id.to_owned()))?;
        match instance.status {
            InstanceStatus::Running | InstanceStatus::Stopped => {}
            status @ (InstanceStatus::Pending
            | InstanceStatus::Starting
            | InstanceStatus::Stopping) => {
                return Err(RegionError::InstanceNotReady {
                    instance_id: instance_id.to_owned(),
                    status,
                })
            }
        }
        self.step_disk(disk_id, &[DiskEvent::Attach, DiskEvent::Attached])?;
        let gib = self.written_gib.get(disk_id).copied().unwrap_or(0);
        let wait = i64::try_from(gib)
            .unwrap_or(i64::MAX)
            .saturating_mul(ATTACH_WAIT_SECONDS_PER_GIB);
        let ready = self.now.checked_add_seconds(wait).unwrap_or(Timestamp::MAX);
        let now = self.now;
        let disk = self.disk_mut(disk_id)?;
        disk.instance_id = Some(instance_id.to_owned());
        disk.attached_at = Some(now);
        disk.ready_for_snapshot_at = Some(ready);
        disk.ever_attached = true;
        self.attached
            .entry(instance_id.to_owned())
            .or_default()
            .insert(disk_id.to_owned());
        Ok(())
    }

    /// Detaches an In_use disk: Detaching, then Available.
    pub fn detach_disk(&mut self, disk_id: &str) -> Result<(), RegionError> {
        self.step_disk(disk_id, &[DiskEvent::Detach, DiskEvent::Detached])?;
        let disk = self.disk_mut(disk_id)?;
        let instance_id = disk.instance_id.take();
        disk.attached_at = None;
        disk.ready_for_snapshot_at = None;
        if let Some(instance_id) = instance_id {
            self.unindex_attachment(&instance_id, disk_id);
        }
        Ok(())
    }

    /// ReInitDisk: an In_use disk starts ReIniting.
    pub fn reinit_disk(&mut self, disk_id: &str) -> Result<(), RegionError> {
        self.step_disk(disk_id, &[DiskEvent::ReInit])
    }

    /// The re-initialisation finished: back to In_use.
    pub fn finish_reinit_disk(&mut self, disk_id: &str) -> Result<(), RegionError> {
        self.step_disk(disk_id, &[DiskEvent::ReInited])
    }

    /// Writes `gib` GiB to an In_use disk of a Running instance: the disk is used, and its
    /// next attachment waits longer.
    pub fn write_to_disk(&mut self, disk_id: &str, gib: u32) -> Result<(), RegionError> {
        let disk = self
            .facts
            .disks
            .get(disk_id)
            .ok_or_else(|| RegionError::UnknownDisk(disk_id.to_owned()))?;
        let running = disk
            .instance_id
            .as_ref()
            .and_then(|id| self.facts.instances.get(id))
            .is_some_and(|i| i.status == InstanceStatus::Running);
        if disk.status_at(self.now) != DiskStatus::InUse || !running {
            return Err(RegionError::NotWritable(disk_id.to_owned()));
        }
        self.disk_mut(disk_id)?.ever_used = true;
        let total = self.written_gib.entry(disk_id.to_owned()).or_insert(0);
        *total = total.saturating_add(u64::from(gib));
        Ok(())
    }

    /// The subscription of an Available or In_use disk runs out now: it is Expired, and is
    /// released `release_after` seconds from now (by [`Region::advance`]; at once for 0,
    /// with the notice returned).
    pub fn expire_disk(
        &mut self,
        disk_id: &str,
        release_after: u32,
    ) -> Result<Vec<Notice>, RegionError> {
        let release_at = self
            .now
            .checked_add_seconds(i64::from(release_after))
            .ok_or(RegionError::ClockOverflow)?;
        self.step_disk(disk_id, &[DiskEvent::Expire])?;
        let now = self.now;
        let disk = self.disk_mut(disk_id)?;
        disk.expires_at = Some(now);
        disk.release_at = Some(release_at);
        self.release_schedule
            .insert((release_at, disk_id.to_owned()));
        self.advance(0)
    }

    /// Releases an Available or Expired disk. A snapshot of it still being created is
    /// deleted with it; accomplished and failed ones stay (`docs/DECISIONS.md`, D63).
    pub fn release_disk(&mut self, disk_id: &str) -> Result<Notice, RegionError> {
        self.step_disk(disk_id, &[DiskEvent::Release])?;
        Ok(self.remove_disk(disk_id))
    }

    /// Sets or clears a condition of a disk.
    pub fn set_disk_condition(
        &mut self,
        disk_id: &str,
        condition: DiskCondition,
        on: bool,
    ) -> Result<(), RegionError> {
        let disk = self.disk_mut(disk_id)?;
        match condition {
            DiskCondition::InArrears => disk.in_arrears = on,
            DiskCondition::Transferring => disk.transferring = on,
            DiskCondition::StatusInvalid => disk.status_invalid = on,
            DiskCondition::KmsKeyUnauthorized => {
                let kms_key_id = disk
                    .encryption
                    .take()
                    .map_or_else(|| format!("key-{disk_id}"), |e| e.kms_key_id);
                disk.encryption = Some(Encryption {
                    kms_key_id,
                    ecs_authorized: !on,
                });
            }
        }
        Ok(())
    }

    fn disk_mut(&mut self, disk_id: &str) -> Result<&mut DiskFacts, RegionError> {
        self.facts
            .disks
            .get_mut(disk_id)
            .ok_or_else(|| RegionError::UnknownDisk(disk_id.to_owned()))
    }

    /// Takes the steps of a disk's machine, all or none.
    fn step_disk(&mut self, disk_id: &str, events: &[DiskEvent]) -> Result<(), RegionError> {
        let now = self.now;
        let disk = self.disk_mut(disk_id)?;
        let mut status = disk.status_at(now);
        for &event in events {
            status = status.apply(event).map_err(|error| RegionError::Disk {
                disk_id: disk_id.to_owned(),
                error,
            })?;
        }
        disk.status = Some(status);
        Ok(())
    }

    fn unindex_attachment(&mut self, instance_id: &str, disk_id: &str) {
        if let Some(disks) = self.attached.get_mut(instance_id) {
            disks.remove(disk_id);
            if disks.is_empty() {
                self.attached.remove(instance_id);
            }
        }
    }

    /// Removes a released disk and the snapshot of it being created.
    fn remove_disk(&mut self, disk_id: &str) -> Notice {
        let removed = self.facts.disks.remove(disk_id);
        self.written_gib.remove(disk_id);
        let mut deleted_snapshot_id = None;
        if let Some(disk) = removed {
            if let Some(instance_id) = &disk.instance_id {
                self.unindex_attachment(instance_id, disk_id);
            }
            if let Some(at) = disk.release_at {
                self.release_schedule.remove(&(at, disk_id.to_owned()));
            }
            if let Some(snapshot_id) = disk.creating_snapshot_id {
                let deleted = self
                    .snapshots
                    .get(&snapshot_id)
                    .is_some_and(|s| s.status.deleted_with_disk());
                if deleted {
                    self.snapshots.remove(&snapshot_id);
                    deleted_snapshot_id = Some(snapshot_id);
                }
            }
        }
        Notice::DiskReleased {
            disk_id: disk_id.to_owned(),
            deleted_snapshot_id,
        }
    }

    // ----- snapshots -----

    /// Calls CreateSnapshot and answers at once.
    pub fn create_snapshot(&mut self, request: &CreateSnapshotRequest) -> Answer {
        let request_id = self.ids.request_id();
        let (result, _) = self.judge(request, false);
        Answer { request_id, result }
    }

    /// Calls CreateSnapshot and holds the answer back: until [`Region::complete`], the
    /// call's ClientToken is in flight, and another call with it is `IdempotentProcessing`.
    /// Whatever the call changes (a new snapshot) is changed now.
    pub fn submit(&mut self, request: &CreateSnapshotRequest) -> Ticket {
        let request_id = self.ids.request_id();
        let (result, recorded_token) = self.judge(request, true);
        self.pending.insert(
            request_id.clone(),
            Pending {
                result,
                recorded_token,
            },
        );
        Ticket { request_id }
    }

    /// The answer to a submitted call. Its ClientToken is answered from now on if the call
    /// created a snapshot, and forgotten if it was refused (a refusal records nothing).
    pub fn complete(&mut self, ticket: Ticket) -> Result<Answer, RegionError> {
        let pending = self
            .pending
            .remove(&ticket.request_id)
            .ok_or_else(|| RegionError::UnknownTicket(ticket.request_id.clone()))?;
        if let Some(token) = &pending.recorded_token {
            match &pending.result {
                Ok(_) => {
                    if let Some(record) = self.facts.client_tokens.get_mut(token) {
                        record.in_flight = false;
                    }
                }
                Err(_) => {
                    self.facts.client_tokens.remove(token);
                }
            }
        }
        Ok(Answer {
            request_id: ticket.request_id,
            result: pending.result,
        })
    }

    /// Judges a call and applies what it changes; returns the token whose record it wrote.
    fn judge(
        &mut self,
        request: &CreateSnapshotRequest,
        in_flight: bool,
    ) -> (Result<Success, ApiError>, Option<String>) {
        let token = request.client_token.as_deref().filter(|t| !t.is_empty());
        match check_preconditions(request, &self.facts, self.now) {
            Ok(Accepted::Replay { snapshot_id }) => (
                Ok(Success {
                    snapshot_id,
                    replayed: true,
                }),
                None,
            ),
            Ok(Accepted::Create(new)) => {
                let snapshot_id = self.start_snapshot(new);
                let recorded = token.map(|token| {
                    self.facts.client_tokens.insert(
                        token.to_owned(),
                        TokenRecord {
                            request: request.clone().into_owned(),
                            snapshot_id: Some(snapshot_id.clone()),
                            in_flight,
                        },
                    );
                    token.to_owned()
                });
                (
                    Ok(Success {
                        snapshot_id,
                        replayed: false,
                    }),
                    recorded,
                )
            }
            Err(error) => {
                // While a refused call is in flight its token is taken; once answered, it
                // is forgotten.
                let recorded = match token {
                    Some(token) if in_flight && !self.facts.client_tokens.contains_key(token) => {
                        self.facts.client_tokens.insert(
                            token.to_owned(),
                            TokenRecord {
                                request: request.clone().into_owned(),
                                snapshot_id: None,
                                in_flight: true,
                            },
                        );
                        Some(token.to_owned())
                    }
                    Some(_) | None => None,
                };
                (Err(error), recorded)
            }
        }
    }

    fn start_snapshot(&mut self, new: NewSnapshot) -> String {
        let snapshot_id = self.ids.resource_id("s-");
        if let SnapshotSource::Disk(disk_id) = &new.source {
            if let Some(disk) = self.facts.disks.get_mut(disk_id) {
                disk.manual_snapshot_count = disk.manual_snapshot_count.saturating_add(1);
                disk.creating_snapshot_id = Some(snapshot_id.clone());
            }
        }
        self.snapshots.insert(
            snapshot_id.clone(),
            SnapshotRecord {
                snapshot_id: snapshot_id.clone(),
                source: new.source,
                kind: new.kind,
                status: SnapshotStatus::Progressing,
                created_at: self.now,
            },
        );
        snapshot_id
    }

    /// The back end finished a snapshot: progressing to accomplished.
    pub fn finish_snapshot(&mut self, snapshot_id: &str) -> Result<(), RegionError> {
        self.step_snapshot(snapshot_id, SnapshotEvent::Finish)
    }

    /// The back end gave a snapshot up: progressing to failed. It no longer counts against
    /// its disk's quota.
    pub fn fail_snapshot(&mut self, snapshot_id: &str) -> Result<(), RegionError> {
        self.step_snapshot(snapshot_id, SnapshotEvent::Fail)
    }

    /// DeleteSnapshot: removes an accomplished or failed snapshot, freeing its place in its
    /// disk's quota.
    pub fn delete_snapshot(&mut self, snapshot_id: &str) -> Result<(), RegionError> {
        let record = self
            .snapshots
            .get(snapshot_id)
            .ok_or_else(|| RegionError::UnknownSnapshot(snapshot_id.to_owned()))?;
        if record.status == SnapshotStatus::Progressing {
            return Err(RegionError::SnapshotInProgress(snapshot_id.to_owned()));
        }
        if let Some(record) = self.snapshots.remove(snapshot_id) {
            if record.status.counts_against_quota() {
                self.uncount(&record.source);
            }
        }
        Ok(())
    }

    fn step_snapshot(
        &mut self,
        snapshot_id: &str,
        event: SnapshotEvent,
    ) -> Result<(), RegionError> {
        let record = self
            .snapshots
            .get_mut(snapshot_id)
            .ok_or_else(|| RegionError::UnknownSnapshot(snapshot_id.to_owned()))?;
        let status = record
            .status
            .apply(event)
            .map_err(|error| RegionError::Snapshot {
                snapshot_id: snapshot_id.to_owned(),
                error,
            })?;
        record.status = status;
        let source = record.source.clone();
        if let SnapshotSource::Disk(disk_id) = &source {
            if let Some(disk) = self.facts.disks.get_mut(disk_id) {
                if disk.creating_snapshot_id.as_deref() == Some(snapshot_id) {
                    disk.creating_snapshot_id = None;
                }
            }
        }
        if !status.counts_against_quota() {
            self.uncount(&source);
        }
        Ok(())
    }

    fn uncount(&mut self, source: &SnapshotSource) {
        if let SnapshotSource::Disk(disk_id) = source {
            if let Some(disk) = self.facts.disks.get_mut(disk_id) {
                disk.manual_snapshot_count = disk.manual_snapshot_count.saturating_sub(1);
            }
        }
    }
}
