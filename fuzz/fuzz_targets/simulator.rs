//! The Region simulator driven by an arbitrary sequence of operations. After every step:
//! snapshot IDs and RequestIds are unique, the snapshot count moves exactly with the accepted
//! answers (one more for a new snapshot, none for a refusal or a replay), every snapshot's
//! status moves only along its state machine (progressing to accomplished or failed), a
//! snapshot disappears only when deleted or released with its disk (with every other snapshot
//! of a disk with a concurrent quota in progress then), a replayed ClientToken answers the
//! snapshot it answered first, and every refusal is a catalogue row of the state or the
//! request with its status (a filled message for the quotas). The facts of the current
//! reference (KMS keys, CloudBoxes, hibernation, quotas, the region, the account's local
//! snapshots) are set and cleared along the way. The same seed and operations give the same
//! region.
#![no_main]

use std::collections::{HashMap, HashSet};

use arbitrary::Arbitrary;
use ecs_snapshot_rules::catalogue::Scope;
use ecs_snapshot_rules::state::{
    DiskCategory, DiskCondition, Fault, Notice, SnapshotSource, SnapshotStatus, Ticket,
};
use ecs_snapshot_rules::{CreateSnapshotRequest, ErrorCode, Region, Timestamp};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
enum Op {
    CreateInstance(u8),
    CreateDisk(u8),
    FinishDisk(u8),
    Attach(u8, u8),
    Detach(u8),
    ReInit(u8),
    FinishReInit(u8),
    Start(u8),
    Stop(u8),
    Write(u8, u8),
    Advance(u16),
    Snapshot {
        disk: u8,
        token: Option<u8>,
        named: bool,
        flags: u8,
    },
    Submit {
        disk: u8,
        token: Option<u8>,
        named: bool,
        flags: u8,
    },
    Complete(u8),
    Finish(u8),
    Fail(u8),
    Delete(u8),
    Release(u8),
    Fault(u8),
    Condition(u8, u8, bool),
    Hibernation(u8, bool),
    ConcurrentQuota(u8, Option<u8>),
    Legacy(bool),
    RegionInstantAccess(bool),
    PartnerQuota(Option<u8>),
}

/// Every condition a disk can be put in.
const CONDITIONS: [DiskCondition; 10] = [
    DiskCondition::InArrears,
    DiskCondition::Transferring,
    DiskCondition::StatusInvalid,
    DiskCondition::KmsKeyUnauthorized,
    DiskCondition::KmsKeyNotFound,
    DiskCondition::KmsKeyDisabled,
    DiskCondition::KmsKeyWithoutEcsTag,
    DiskCondition::InCloudBox,
    DiskCondition::UnfinishedEncryptedCopies,
    DiskCondition::AutomaticOrGroupSnapshotInProgress,
];

#[derive(Arbitrary, Debug)]
struct Input {
    seed: u64,
    ops: Vec<Op>,
}

fn pick<T>(items: &[T], i: u8) -> Option<&T> {
    (!items.is_empty()).then(|| &items[usize::from(i) % items.len()])
}

struct World {
    region: Region,
    instances: Vec<String>,
    disks: Vec<String>,
    /// Every snapshot ID ever answered or seen, and the status last seen.
    seen: HashMap<String, SnapshotStatus>,
    /// The disk of every snapshot of a disk ever seen.
    disk_of: HashMap<String, String>,
    request_ids: HashSet<String>,
    /// The snapshot each ClientToken was first answered with.
    tokens: HashMap<String, String>,
    /// Submitted calls: the ticket, the request, and the snapshot the submission added.
    pending: Vec<(Ticket, CreateSnapshotRequest<'static>, Option<String>)>,
    /// Every snapshot ID answered as new.
    answered: HashSet<String>,
    /// Snapshots deleted, by DeleteSnapshot or with their disk.
    gone: HashSet<String>,
}

impl World {
    /// A request for a disk; `flags` adds InstantAccess (bits 0 and 1: true, false) and
    /// Category (bits 2 and 3: standard, Flash), which may clash, and InstantAccessRetentionDays
    /// 0 (bit 4), which is judged only with InstantAccess=true.
    fn request(
        &self,
        disk: u8,
        token: Option<u8>,
        named: bool,
        flags: u8,
    ) -> CreateSnapshotRequest<'static> {
        let disk_id = pick(&self.disks, disk)
            .cloned()
            .unwrap_or_else(|| "d-none".to_owned());
        let mut request = CreateSnapshotRequest::new(disk_id);
        if let Some(token) = token {
            request = request.client_token(format!("token-{}", token % 4));
        }
        if named {
            request = request.snapshot_name("nightly.快照");
        }
        if flags & 1 != 0 {
            request = request.instant_access(true);
        } else if flags & 2 != 0 {
            request = request.instant_access(false);
        }
        if flags & 4 != 0 {
            request.set(ecs_snapshot_rules::request::Parameter::Category, "standard");
        } else if flags & 8 != 0 {
            request.set(ecs_snapshot_rules::request::Parameter::Category, "Flash");
        }
        if flags & 16 != 0 {
            request = request.instant_access_retention_days(0);
        }
        request
    }

    fn new_request_id(&mut self, id: &str) {
        assert!(
            self.request_ids.insert(id.to_owned()),
            "RequestId {id} answered twice"
        );
    }

    /// Calls `call` and returns the snapshot it added, if any (never more than one).
    fn added_by<T>(&mut self, call: impl FnOnce(&mut Region) -> T) -> (T, Option<String>) {
        let before: HashSet<String> = self
            .region
            .snapshots()
            .map(|s| s.snapshot_id.clone())
            .collect();
        let out = call(&mut self.region);
        let mut added: Vec<String> = self
            .region
            .snapshots()
            .map(|s| s.snapshot_id.clone())
            .filter(|id| !before.contains(id))
            .collect();
        assert!(added.len() <= 1, "one call added {} snapshots", added.len());
        assert_eq!(self.region.snapshots().count(), before.len() + added.len());
        let added = added.pop();
        if let Some(id) = &added {
            assert!(!self.seen.contains_key(id), "snapshot ID {id} given twice");
            self.seen.insert(id.clone(), SnapshotStatus::Progressing);
            if let Some(record) = self.region.snapshot(id) {
                if let SnapshotSource::Disk(disk) = &record.source {
                    self.disk_of.insert(id.clone(), disk.clone());
                }
            }
        }
        (out, added)
    }

    /// Checks an answer; `added` is the snapshot the call added.
    fn answer(
        &mut self,
        request: &CreateSnapshotRequest,
        result: &Result<ecs_snapshot_rules::state::Success, ecs_snapshot_rules::ApiError>,
        added: Option<String>,
    ) {
        match result {
            Ok(success) => {
                if success.replayed {
                    assert_eq!(added, None, "a replay created a snapshot");
                    let token = request
                        .client_token
                        .as_deref()
                        .expect("a replay has a token");
                    assert_eq!(self.tokens.get(token), Some(&success.snapshot_id));
                } else {
                    assert_eq!(added.as_ref(), Some(&success.snapshot_id));
                    assert!(
                        self.answered.insert(success.snapshot_id.clone()),
                        "snapshot ID {} answered twice",
                        success.snapshot_id
                    );
                    if let Some(token) = &request.client_token {
                        self.tokens
                            .insert(token.to_string(), success.snapshot_id.clone());
                    }
                }
            }
            Err(error) => {
                assert_eq!(added, None, "a refusal created a snapshot");
                assert!(ErrorCode::ALL.contains(&error.code()));
                assert_ne!(error.code().scope(), Scope::Server, "a server's row");
                assert_eq!(error.status(), error.code().status());
                assert!(!error.message().contains("%s"), "a message left unfilled");
            }
        }
    }

    fn notices(&mut self, notices: &[Notice]) {
        for notice in notices {
            if let Notice::DiskReleased {
                deleted_snapshot_id: Some(id),
                ..
            } = notice
            {
                self.gone.insert(id.clone());
            }
        }
    }

    fn apply(&mut self, op: &Op) {
        let categories = DiskCategory::ALL;
        match *op {
            Op::CreateInstance(c) => {
                let vm = self.region.create_instance(*pick(&categories, c).unwrap());
                self.instances.push(vm.instance_id);
                self.disks.push(vm.system_disk_id);
            }
            Op::CreateDisk(c) => {
                let id = self.region.create_disk(*pick(&categories, c).unwrap());
                self.disks.push(id);
            }
            Op::FinishDisk(d) => {
                if let Some(id) = pick(&self.disks, d).cloned() {
                    let _ = self.region.finish_creating_disk(&id);
                }
            }
            Op::Attach(d, i) => {
                if let (Some(d), Some(i)) = (
                    pick(&self.disks, d).cloned(),
                    pick(&self.instances, i).cloned(),
                ) {
                    let _ = self.region.attach_disk(&d, &i);
                }
            }
            Op::Detach(d) => {
                if let Some(id) = pick(&self.disks, d).cloned() {
                    let _ = self.region.detach_disk(&id);
                }
            }
            Op::ReInit(d) => {
                if let Some(id) = pick(&self.disks, d).cloned() {
                    let _ = self.region.reinit_disk(&id);
                }
            }
            Op::FinishReInit(d) => {
                if let Some(id) = pick(&self.disks, d).cloned() {
                    let _ = self.region.finish_reinit_disk(&id);
                }
            }
            Op::Start(i) => {
                if let Some(id) = pick(&self.instances, i).cloned() {
                    if let Ok(notices) = self.region.start_instance(&id) {
                        self.notices(&notices);
                    }
                }
            }
            Op::Stop(i) => {
                if let Some(id) = pick(&self.instances, i).cloned() {
                    if let Ok(notices) = self.region.stop_instance(&id) {
                        self.notices(&notices);
                    }
                }
            }
            Op::Write(d, gib) => {
                if let Some(id) = pick(&self.disks, d).cloned() {
                    let _ = self.region.write_to_disk(&id, u32::from(gib));
                }
            }
            Op::Advance(seconds) => {
                let before = self.region.now();
                let notices = self
                    .region
                    .advance(u32::from(seconds))
                    .expect("the clock is far from its end");
                assert_eq!(
                    self.region.now().unix_seconds(),
                    before.unix_seconds() + i64::from(seconds)
                );
                self.notices(&notices);
            }
            Op::Snapshot {
                disk,
                token,
                named,
                flags,
            } => {
                let request = self.request(disk, token, named, flags);
                let (answer, added) = self.added_by(|region| region.create_snapshot(&request));
                self.new_request_id(&answer.request_id);
                self.answer(&request, &answer.result, added);
            }
            Op::Submit {
                disk,
                token,
                named,
                flags,
            } => {
                let request = self.request(disk, token, named, flags);
                let (ticket, added) = self.added_by(|region| region.submit(&request));
                self.pending.push((ticket, request, added));
            }
            Op::Complete(k) => {
                if self.pending.is_empty() {
                    return;
                }
                let at = usize::from(k) % self.pending.len();
                let (ticket, request, added) = self.pending.remove(at);
                let (answer, none) = self
                    .added_by(|region| region.complete(ticket).expect("a ticket of this region"));
                assert_eq!(none, None, "an answer created a snapshot");
                self.new_request_id(&answer.request_id);
                self.answer(&request, &answer.result, added);
            }
            Op::Finish(s) | Op::Fail(s) | Op::Delete(s) => {
                let mut ids: Vec<String> = self
                    .region
                    .snapshots()
                    .map(|s| s.snapshot_id.clone())
                    .collect();
                ids.sort();
                let Some(id) = pick(&ids, s).cloned() else {
                    return;
                };
                let status = self.region.snapshot(&id).unwrap().status;
                let result = match op {
                    Op::Finish(_) => self.region.finish_snapshot(&id),
                    Op::Fail(_) => self.region.fail_snapshot(&id),
                    _ => self.region.delete_snapshot(&id),
                };
                match (op, status) {
                    (Op::Delete(_), SnapshotStatus::Progressing) => assert!(result.is_err()),
                    (Op::Delete(_), _) => {
                        assert!(result.is_ok());
                        self.gone.insert(id);
                    }
                    (_, SnapshotStatus::Progressing) => assert!(result.is_ok()),
                    _ => assert!(result.is_err(), "a finished snapshot moved on"),
                }
            }
            Op::Release(d) => {
                if let Some(id) = pick(&self.disks, d).cloned() {
                    if let Ok(notice) = self.region.release_disk(&id) {
                        self.notices(&[notice]);
                    }
                }
            }
            Op::Fault(f) => {
                let faults = [
                    None,
                    None,
                    None,
                    Some(Fault::InternalError),
                    Some(Fault::InternalErrorException),
                    Some(Fault::CreateSnapshotFailed),
                ];
                self.region.set_fault(*pick(&faults, f).unwrap());
            }
            Op::Condition(d, c, on) => {
                if let Some(id) = pick(&self.disks, d).cloned() {
                    let condition = *pick(&CONDITIONS, c).unwrap();
                    let known = self.region.disk(&id).is_some();
                    assert_eq!(
                        self.region.set_disk_condition(&id, condition, on).is_ok(),
                        known
                    );
                }
            }
            Op::Hibernation(i, on) => {
                if let Some(id) = pick(&self.instances, i).cloned() {
                    let _ = self.region.set_hibernation_configured(&id, on);
                }
            }
            Op::ConcurrentQuota(d, quota) => {
                if let Some(id) = pick(&self.disks, d).cloned() {
                    let quota = quota.map(|q| u32::from(q % 4));
                    let _ = self.region.set_concurrent_snapshot_quota(&id, quota);
                }
            }
            Op::Legacy(on) => {
                self.region
                    .account_mut()
                    .used_local_snapshots_before_2020_12_14 = on;
            }
            Op::RegionInstantAccess(on) => {
                self.region.region_mut().instant_access_available = on;
            }
            Op::PartnerQuota(quota) => {
                self.region.account_mut().channel_partner_snapshot_quota = quota.map(u32::from);
            }
        }
    }

    /// The invariants over the whole region.
    fn check(&mut self) {
        let mut now_present = HashSet::new();
        for record in self.region.snapshots() {
            let id = &record.snapshot_id;
            assert!(now_present.insert(id.clone()), "snapshot {id} listed twice");
            assert_eq!(self.region.snapshot(id), Some(record));
            assert!(!self.gone.contains(id), "deleted snapshot {id} is back");
            let before = self
                .seen
                .get(id)
                .copied()
                .expect("a snapshot nobody was answered");
            let legal = before == record.status || before == SnapshotStatus::Progressing;
            assert!(
                legal,
                "snapshot {id} went from {before} to {}",
                record.status
            );
            self.seen.insert(id.clone(), record.status);
        }
        for (id, status) in &self.seen {
            if !now_present.contains(id) {
                // Deleted, or released with its disk while it was being created (a notice
                // names one such snapshot a disk; a disk with a concurrent quota may have
                // had several).
                let released_with_its_disk = *status == SnapshotStatus::Progressing
                    && self
                        .disk_of
                        .get(id)
                        .is_some_and(|disk| self.region.disk(disk).is_none());
                assert!(
                    self.gone.contains(id) || released_with_its_disk,
                    "snapshot {id} vanished"
                );
            }
        }
        // The account holds every snapshot that is not failed.
        let held = self
            .region
            .snapshots()
            .filter(|s| s.status != SnapshotStatus::Failed)
            .count();
        assert_eq!(self.region.facts().account.snapshot_count as usize, held);
    }
}

fn run(input: &Input) -> String {
    let start = Timestamp::from_unix_seconds(1_790_000_000).unwrap();
    let mut world = World {
        region: Region::new(input.seed, start),
        instances: Vec::new(),
        disks: Vec::new(),
        seen: HashMap::new(),
        disk_of: HashMap::new(),
        request_ids: HashSet::new(),
        tokens: HashMap::new(),
        pending: Vec::new(),
        answered: HashSet::new(),
        gone: HashSet::new(),
    };
    for op in input.ops.iter().take(200) {
        world.apply(op);
        world.check();
    }
    let mut snapshots: Vec<String> = world
        .region
        .snapshots()
        .map(|s| format!("{} {} {}", s.snapshot_id, s.status, s.created_at))
        .collect();
    snapshots.sort();
    format!(
        "{}\n{}",
        world.region.facts().to_json_pretty(),
        snapshots.join("\n")
    )
}

fuzz_target!(|input: Input| {
    assert_eq!(
        run(&input),
        run(&input),
        "the same seed and operations give the same region"
    );
});
