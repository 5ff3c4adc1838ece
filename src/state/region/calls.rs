//! CreateSnapshot calls to the region, answered at once or in two steps (submitted, then
//! completed), and the snapshots they make, which finish, fail or are deleted.

use super::{Answer, Pending, Region, RegionError, SnapshotRecord, Success, Ticket};
use crate::catalogue::ApiError;
use crate::request::CreateSnapshotRequest;
use crate::state::facts::TokenRecord;
use crate::state::preconditions::{check_preconditions, Accepted, NewSnapshot, SnapshotSource};
use crate::state::snapshot::{SnapshotEvent, SnapshotStatus};

impl Region {
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
    ///
    /// # Errors
    ///
    /// [`RegionError`] when an ID names nothing the region holds (or a ticket it did not
    /// issue), or when the operation cannot happen in the resource's current status.
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
    pub(super) fn judge(
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

    pub(super) fn start_snapshot(&mut self, new: NewSnapshot) -> String {
        let snapshot_id = self.ids.resource_id("s-");
        let account = &mut self.facts.account;
        account.snapshot_count = account.snapshot_count.saturating_add(1);
        if let SnapshotSource::Disk(disk_id) = &new.source {
            if let Some(disk) = self.facts.disks.get_mut(disk_id) {
                disk.manual_snapshot_count = disk.manual_snapshot_count.saturating_add(1);
                if disk.creating_snapshot_id.is_none() {
                    disk.creating_snapshot_id = Some(snapshot_id.clone());
                } else {
                    disk.also_creating_snapshot_ids.push(snapshot_id.clone());
                }
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
    ///
    /// # Errors
    ///
    /// [`RegionError`] when an ID names nothing the region holds (or a ticket it did not
    /// issue), or when the operation cannot happen in the resource's current status.
    pub fn finish_snapshot(&mut self, snapshot_id: &str) -> Result<(), RegionError> {
        self.step_snapshot(snapshot_id, SnapshotEvent::Finish)
    }

    /// The back end gave a snapshot up: progressing to failed. It no longer counts against
    /// its disk's quota.
    ///
    /// # Errors
    ///
    /// [`RegionError`] when an ID names nothing the region holds (or a ticket it did not
    /// issue), or when the operation cannot happen in the resource's current status.
    pub fn fail_snapshot(&mut self, snapshot_id: &str) -> Result<(), RegionError> {
        self.step_snapshot(snapshot_id, SnapshotEvent::Fail)
    }

    /// DeleteSnapshot: removes an accomplished or failed snapshot, freeing its place in its
    /// disk's quota.
    ///
    /// # Errors
    ///
    /// [`RegionError`] when an ID names nothing the region holds (or a ticket it did not
    /// issue), or when the operation cannot happen in the resource's current status.
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

    pub(super) fn step_snapshot(
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
                    // The earliest of the others, if any, takes its place.
                    disk.creating_snapshot_id = (!disk.also_creating_snapshot_ids.is_empty())
                        .then(|| disk.also_creating_snapshot_ids.remove(0));
                } else {
                    disk.also_creating_snapshot_ids
                        .retain(|id| id != snapshot_id);
                }
            }
        }
        if !status.counts_against_quota() {
            self.uncount(&source);
        }
        Ok(())
    }

    /// A snapshot of `source` no longer counts: against its disk's quota, and against the
    /// account's.
    pub(super) fn uncount(&mut self, source: &SnapshotSource) {
        let account = &mut self.facts.account;
        account.snapshot_count = account.snapshot_count.saturating_sub(1);
        if let SnapshotSource::Disk(disk_id) = source {
            if let Some(disk) = self.facts.disks.get_mut(disk_id) {
                disk.manual_snapshot_count = disk.manual_snapshot_count.saturating_sub(1);
            }
        }
    }
}
