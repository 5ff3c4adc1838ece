//! The region's disks: created, attached, detached, written to, re-initialised, expired
//! and released.

use super::{DiskCondition, Notice, Region, RegionError, ATTACH_WAIT_SECONDS_PER_GIB};
use crate::state::category::DiskCategory;
use crate::state::disk::{DiskEvent, DiskStatus};
use crate::state::facts::{DiskFacts, Encryption};
use crate::state::instance::InstanceStatus;
use crate::state::time::Timestamp;

impl Region {
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
    ///
    /// # Errors
    ///
    /// [`RegionError`] when an ID names nothing the region holds (or a ticket it did not
    /// issue), or when the operation cannot happen in the resource's current status.
    pub fn finish_creating_disk(&mut self, disk_id: &str) -> Result<(), RegionError> {
        self.step_disk(disk_id, &[DiskEvent::Created])
    }

    /// Attaches an Available disk to a Running or Stopped instance. It can be snapshotted
    /// once the wait for the data written to it has passed ([`ATTACH_WAIT_SECONDS_PER_GIB`]).
    ///
    /// # Errors
    ///
    /// [`RegionError`] when an ID names nothing the region holds (or a ticket it did not
    /// issue), or when the operation cannot happen in the resource's current status.
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
    ///
    /// # Errors
    ///
    /// [`RegionError`] when an ID names nothing the region holds (or a ticket it did not
    /// issue), or when the operation cannot happen in the resource's current status.
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
    ///
    /// # Errors
    ///
    /// [`RegionError`] when an ID names nothing the region holds (or a ticket it did not
    /// issue), or when the operation cannot happen in the resource's current status.
    pub fn reinit_disk(&mut self, disk_id: &str) -> Result<(), RegionError> {
        self.step_disk(disk_id, &[DiskEvent::ReInit])
    }

    /// The re-initialisation finished: back to In_use.
    ///
    /// # Errors
    ///
    /// [`RegionError`] when an ID names nothing the region holds (or a ticket it did not
    /// issue), or when the operation cannot happen in the resource's current status.
    pub fn finish_reinit_disk(&mut self, disk_id: &str) -> Result<(), RegionError> {
        self.step_disk(disk_id, &[DiskEvent::ReInited])
    }

    /// Writes `gib` GiB to an In_use disk of a Running instance: the disk is used, and its
    /// next attachment waits longer.
    ///
    /// # Errors
    ///
    /// [`RegionError`] when an ID names nothing the region holds (or a ticket it did not
    /// issue), or when the operation cannot happen in the resource's current status.
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
    ///
    /// # Errors
    ///
    /// [`RegionError`] when an ID names nothing the region holds (or a ticket it did not
    /// issue), or when the operation cannot happen in the resource's current status.
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
    ///
    /// # Errors
    ///
    /// [`RegionError`] when an ID names nothing the region holds (or a ticket it did not
    /// issue), or when the operation cannot happen in the resource's current status.
    pub fn release_disk(&mut self, disk_id: &str) -> Result<Notice, RegionError> {
        self.step_disk(disk_id, &[DiskEvent::Release])?;
        Ok(self.remove_disk(disk_id))
    }

    /// Sets or clears a condition of a disk. A condition of its KMS key encrypts a disk that
    /// was not encrypted, with the key `key-` and its ID.
    ///
    /// # Errors
    ///
    /// [`RegionError`] when an ID names nothing the region holds (or a ticket it did not
    /// issue), or when the operation cannot happen in the resource's current status.
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
            DiskCondition::KmsKeyUnauthorized => key(disk, disk_id).ecs_authorized = !on,
            DiskCondition::KmsKeyNotFound => key(disk, disk_id).key_exists = !on,
            DiskCondition::KmsKeyDisabled => key(disk, disk_id).key_enabled = !on,
            DiskCondition::KmsKeyWithoutEcsTag => key(disk, disk_id).ecs_tagged = !on,
            DiskCondition::InCloudBox => disk.in_cloud_box = on,
            DiskCondition::UnfinishedEncryptedCopies => disk.unfinished_encrypted_copies = on,
            DiskCondition::AutomaticOrGroupSnapshotInProgress => {
                disk.automatic_or_group_snapshot_in_progress = on;
            }
        }
        Ok(())
    }

    /// Gives a disk a concurrent-snapshot quota of its own (`None`: one snapshot at a time,
    /// the default), `docs/DECISIONS.md` D235.
    ///
    /// # Errors
    ///
    /// [`RegionError`] when an ID names nothing the region holds (or a ticket it did not
    /// issue), or when the operation cannot happen in the resource's current status.
    pub fn set_concurrent_snapshot_quota(
        &mut self,
        disk_id: &str,
        quota: Option<u32>,
    ) -> Result<(), RegionError> {
        self.disk_mut(disk_id)?.concurrent_snapshot_quota = quota;
        Ok(())
    }

    pub(super) fn disk_mut(&mut self, disk_id: &str) -> Result<&mut DiskFacts, RegionError> {
        self.facts
            .disks
            .get_mut(disk_id)
            .ok_or_else(|| RegionError::UnknownDisk(disk_id.to_owned()))
    }

    /// Takes the steps of a disk's machine, all or none.
    pub(super) fn step_disk(
        &mut self,
        disk_id: &str,
        events: &[DiskEvent],
    ) -> Result<(), RegionError> {
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

    pub(super) fn unindex_attachment(&mut self, instance_id: &str, disk_id: &str) {
        if let Some(disks) = self.attached.get_mut(instance_id) {
            disks.remove(disk_id);
            if disks.is_empty() {
                self.attached.remove(instance_id);
            }
        }
    }

    /// Removes a released disk and the snapshot of it being created.
    pub(super) fn remove_disk(&mut self, disk_id: &str) -> Notice {
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
            for snapshot_id in disk.creating_snapshots() {
                let deleted = self
                    .snapshots
                    .get(snapshot_id)
                    .is_some_and(|s| s.status.deleted_with_disk());
                if deleted {
                    self.snapshots.remove(snapshot_id);
                    let account = &mut self.facts.account;
                    account.snapshot_count = account.snapshot_count.saturating_sub(1);
                    deleted_snapshot_id.get_or_insert_with(|| snapshot_id.to_owned());
                }
            }
        }
        Notice::DiskReleased {
            disk_id: disk_id.to_owned(),
            deleted_snapshot_id,
        }
    }
}

/// The encryption of a disk, which a condition of its key needs: `key-` and the disk's ID
/// for a disk that was not encrypted.
fn key<'d>(disk: &'d mut DiskFacts, disk_id: &str) -> &'d mut Encryption {
    disk.encryption
        .get_or_insert_with(|| Encryption::with_key(format!("key-{disk_id}")))
}
