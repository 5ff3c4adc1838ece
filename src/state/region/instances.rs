//! The region's instances: created, started, stopped, locked, and what their changes do to
//! the disks and snapshots under them.

use super::{NewInstance, Notice, Region, RegionError};
use crate::state::category::DiskCategory;
use crate::state::disk::DiskStatus;
use crate::state::facts::{DiskFacts, InstanceFacts, LockReason, OperationLock};
use crate::state::instance::{InstanceEvent, InstanceStatus};

impl Region {
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
                hibernation_configured: false,
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
    ///
    /// # Errors
    ///
    /// [`RegionError`] when an ID names nothing the region holds (or a ticket it did not
    /// issue), or when the operation cannot happen in the resource's current status.
    pub fn instance_event(
        &mut self,
        instance_id: &str,
        event: InstanceEvent,
    ) -> Result<Vec<Notice>, RegionError> {
        self.step_instance(instance_id, event)?;
        Ok(self.snapshots_under(instance_id))
    }

    /// Starts a Pending or Stopped instance: Starting, then Running.
    ///
    /// # Errors
    ///
    /// [`RegionError`] when an ID names nothing the region holds (or a ticket it did not
    /// issue), or when the operation cannot happen in the resource's current status.
    pub fn start_instance(&mut self, instance_id: &str) -> Result<Vec<Notice>, RegionError> {
        self.step_instance(instance_id, InstanceEvent::Start)?;
        self.step_instance(instance_id, InstanceEvent::Started)?;
        Ok(self.snapshots_under(instance_id))
    }

    /// Stops a Running instance: Stopping, then Stopped.
    ///
    /// # Errors
    ///
    /// [`RegionError`] when an ID names nothing the region holds (or a ticket it did not
    /// issue), or when the operation cannot happen in the resource's current status.
    pub fn stop_instance(&mut self, instance_id: &str) -> Result<Vec<Notice>, RegionError> {
        self.step_instance(instance_id, InstanceEvent::Stop)?;
        self.step_instance(instance_id, InstanceEvent::Stopped)?;
        Ok(self.snapshots_under(instance_id))
    }

    /// Adds an operation lock (`security` prohibits every operation on the instance).
    ///
    /// # Errors
    ///
    /// [`RegionError`] when an ID names nothing the region holds (or a ticket it did not
    /// issue), or when the operation cannot happen in the resource's current status.
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
    ///
    /// # Errors
    ///
    /// [`RegionError`] when an ID names nothing the region holds (or a ticket it did not
    /// issue), or when the operation cannot happen in the resource's current status.
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

    pub(super) fn instance_mut(
        &mut self,
        instance_id: &str,
    ) -> Result<&mut InstanceFacts, RegionError> {
        self.facts
            .instances
            .get_mut(instance_id)
            .ok_or_else(|| RegionError::UnknownInstance(instance_id.to_owned()))
    }

    pub(super) fn step_instance(
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

    /// Configures hibernation on an instance, or takes it off: its disks cannot be
    /// snapshotted while it is configured (`docs/DECISIONS.md`, D232).
    ///
    /// # Errors
    ///
    /// [`RegionError`] when an ID names nothing the region holds (or a ticket it did not
    /// issue), or when the operation cannot happen in the resource's current status.
    pub fn set_hibernation_configured(
        &mut self,
        instance_id: &str,
        configured: bool,
    ) -> Result<(), RegionError> {
        self.facts
            .instances
            .get_mut(instance_id)
            .ok_or_else(|| RegionError::UnknownInstance(instance_id.to_owned()))?
            .hibernation_configured = configured;
        Ok(())
    }

    /// A notice for each snapshot being created of a disk attached to the instance.
    pub(super) fn snapshots_under(&self, instance_id: &str) -> Vec<Notice> {
        let status = self
            .facts
            .instances
            .get(instance_id)
            .map_or(InstanceStatus::Pending, |i| i.status);
        self.attached
            .get(instance_id)
            .into_iter()
            .flatten()
            .filter_map(|disk_id| self.facts.disks.get(disk_id))
            .flat_map(DiskFacts::creating_snapshots)
            .map(|snapshot_id| Notice::InstanceChangedDuringSnapshot {
                instance_id: instance_id.to_owned(),
                status,
                snapshot_id: snapshot_id.to_owned(),
            })
            .collect()
    }
}
