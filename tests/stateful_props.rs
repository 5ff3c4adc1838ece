//! Model-based property tests: random sequences of operations on the simulator, checked
//! step by step against a deliberately naive reference model written here (vectors scanned
//! and counted afresh every time), with the invariants checked after every step.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use ecs_snapshot_rules::state::{
    DiskCategory, DiskCondition, DiskStatus, Fault, InstanceStatus, LockReason, SnapshotSource,
    SnapshotStatus, Ticket,
};
use ecs_snapshot_rules::{parse_query, Region, Timestamp};
use proptest::prelude::*;

/// An expected refusal: status, code, message, as the current reference writes them (the
/// message filled in where it has `%s`).
type Refusal = (u16, &'static str, Cow<'static, str>);

/// A refusal whose message is the documented one.
const fn refusal(status: u16, code: &'static str, message: &'static str) -> Refusal {
    (status, code, Cow::Borrowed(message))
}

const INTERNAL_ERROR: Refusal = refusal(
    500,
    "InternalError",
    "The request processing has failed due to some unknown error.",
);
const INTERNAL_EXCEPTION: Refusal = refusal(
    500,
    "InternalError",
    "The request processing has failed due to some unknown error, exception or failure.",
);
const MISMATCH: Refusal = refusal(
    403,
    "IdempotentParameterMismatch",
    "The specified clientToken is used.",
);
const PROCESSING: Refusal = refusal(
    403,
    "IdempotentProcessing",
    "The previous idempotent request(s) is still processing.",
);
const DISK_NOT_FOUND: Refusal = refusal(
    404,
    "InvalidDiskId.NotFound",
    "The specified DiskId does not exist.",
);
const VALUE_NOT_SUPPORTED: Refusal = refusal(
    403,
    "DiskId.ValueNotSupported",
    "The specified parameter diskid is not supported.",
);
const TYPE_NOT_SUPPORTED: Refusal = refusal(
    403,
    "IncorrectDiskType.NotSupport",
    "The specified device type is not supported.",
);
const CATEGORY_NOT_SUPPORTED: Refusal = refusal(
    400,
    "DiskCategory.OperationNotSupported",
    "The type of the specified disk does not support creating a snapshot.",
);
const CLOUD_BOX: Refusal = refusal(
    403,
    "CloudBoxNotSupportSnapshotWithInstantAccess",
    "The specified disk in CloudBox does not support to create a snapshot with InstantAccess.",
);
const REGION: Refusal = refusal(
    403,
    "InvalidRegion.NotSupportSnapshotInstantAccessRegion",
    "The snapshot InstantAccess is not supported for this region.",
);
const PARTNER_QUOTA: Refusal = refusal(
    403,
    "QuotaExceed.SnapshotQuota",
    "The quota is insufficient, please contact your channel partner to increase the quota.",
);
const KMS_NOT_FOUND: Refusal = refusal(
    400,
    "InvalidParameter.KMSKeyId.NotFound",
    "The specified KMSKeyId does not exist.",
);
const KMS_NOT_ENABLED: Refusal = refusal(
    403,
    "InvalidParameter.KMSKeyId.CMKNotEnabled",
    "The CMK needs to be enabled.",
);
const KMS_NO_TAG: Refusal = refusal(
    403,
    "InvalidParameter.KMSKeyId.CMKUnauthorized",
    "ECS tags must be added to the CMK.",
);
const HIBERNATION: Refusal = refusal(
    403,
    "HibernationConfigured.InstanceOperationForbidden",
    "The operation is not permitted due to limit of the hibernation configured instance.",
);
const COPIES: Refusal = refusal(
    403,
    "InvalidOperation.UnfinishedEncryptedSnapshotCopy",
    "This disk has unfinished encrypted copy snapshots in the target region.",
);
const AUTOMATIC: Refusal = refusal(
    403,
    "DISK_HAS_CREATING_SNAPSHOT",
    "The operation cannot be performed while a snapshot is being created for the disk.",
);
const ARREARS: Refusal = refusal(
    403,
    "DiskInArrears",
    "The specified operation is denied as your disk has expired.",
);
const TRANSFERRING: Refusal = refusal(
    403,
    "IncorrectDiskStatus.Transferring",
    "The specified device is transferring, you can retry after the process is finished.",
);
const DISK_STATUS: Refusal = refusal(
    403,
    "IncorrectDiskStatus",
    "The current disk status does not support this operation.",
);
const STATUS_INVALID: Refusal = refusal(
    403,
    "IncorrectDiskStatus.Invalid",
    "The specified disk status invalid, restart instance and try again.",
);
const KMS: Refusal = refusal(
    403,
    "InvalidParameter.KMSKeyId.KMSUnauthorized",
    "ECS service have no right to access your KMS.",
);
const NEVER_ATTACHED: Refusal = refusal(
    403,
    "IncorrectDiskStatus.NeverAttached",
    "The specified disk has never been attached to any instance.",
);
const NEVER_USED: Refusal = refusal(
    403,
    "IncorrectDiskStatus.NeverUsed",
    "The specified disk has never been used after creating.",
);
const LOCKED: Refusal = refusal(
    403,
    "InstanceLockedForSecurity",
    "The disk attached instance is locked due to security.",
);
const INSTANCE_STATUS: Refusal = refusal(
    400,
    "IncorrectInstanceStatus",
    "The current status of the resource does not support this operation.",
);
const QUOTA: Refusal = refusal(403, "QuotaExceed.Snapshot", "The snapshot quota exceeds.");
const CREATING: Refusal = refusal(
    403,
    "IncorrectDiskStatus.CreatingSnapshot",
    "A previous snapshot creation is in process.",
);
const FAILED: Refusal = refusal(
    400,
    "CreateSnapshot.Failed",
    "The process of creating snapshot is failed.",
);

const CATEGORIES: [DiskCategory; 5] = [
    DiskCategory::CloudEssd,
    DiskCategory::CloudSsd,
    DiskCategory::LocalSsdPro,
    DiskCategory::ElasticEphemeralDiskStandard,
    DiskCategory::CloudEssdEntry,
];
/// The conditions a disk can be put in, in the order the rules look at them.
const CONDITIONS: [DiskCondition; 10] = [
    DiskCondition::InCloudBox,
    DiskCondition::InArrears,
    DiskCondition::Transferring,
    DiskCondition::StatusInvalid,
    DiskCondition::KmsKeyNotFound,
    DiskCondition::KmsKeyDisabled,
    DiskCondition::KmsKeyWithoutEcsTag,
    DiskCondition::KmsKeyUnauthorized,
    DiskCondition::UnfinishedEncryptedCopies,
    DiskCondition::AutomaticOrGroupSnapshotInProgress,
];
const FAULTS: [Option<Fault>; 4] = [
    None,
    Some(Fault::InternalError),
    Some(Fault::InternalErrorException),
    Some(Fault::CreateSnapshotFailed),
];

/// What a CreateSnapshot call asks for, in the reference's own terms. Two calls with equal
/// `Ask`s mean the same, whatever `spelling` says.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Ask {
    disk: usize,
    named: bool,
    instant_access: bool,
    /// Bit 0: tag a=1, bit 1: tag b=2.
    tags: u8,
}

#[derive(Clone, Debug)]
enum Op {
    CreateInstance(usize),
    CreateDisk(usize),
    FinishDisk(usize),
    Attach(usize, usize),
    Detach(usize),
    ReInit(usize),
    FinishReInit(usize),
    Start(usize),
    Stop(usize),
    Write(usize, u32),
    Advance(u32),
    Snapshot {
        ask: Ask,
        token: Option<u8>,
        spelling: u8,
    },
    /// The last CreateSnapshot call again, spelled otherwise: a replay when it had a token.
    Retry(u8),
    Submit {
        ask: Ask,
        token: Option<u8>,
        spelling: u8,
    },
    Complete(usize),
    Finish(usize),
    Fail(usize),
    Delete(usize),
    Burst(usize, u16),
    Expire(usize, u32),
    Release(usize),
    Lock(usize, bool),
    Hibernation(usize, bool),
    Condition(usize, usize, bool),
    /// A disk's concurrent-snapshot quota: `None` is one at a time.
    ConcurrentQuota(usize, Option<u32>),
    /// Whether the account used local snapshots before 2020-12-14.
    Legacy(bool),
    /// Whether the region offers instant access.
    RegionInstantAccess(bool),
    /// The quota of the account's channel partner.
    PartnerQuota(Option<u32>),
    SetFault(usize),
}

fn ask() -> impl Strategy<Value = Ask> {
    (0usize..4, any::<bool>(), prop::bool::weighted(0.3), 0u8..4).prop_map(
        |(disk, named, instant_access, tags)| Ask {
            disk,
            named,
            instant_access,
            tags,
        },
    )
}

fn op() -> impl Strategy<Value = Op> {
    let token = prop::option::weighted(0.6, 0u8..3);
    prop_oneof![
        3 => (0usize..5).prop_map(Op::CreateInstance),
        3 => prop_oneof![3 => Just(0usize), 1 => 0usize..5].prop_map(Op::CreateDisk),
        3 => any::<usize>().prop_map(Op::FinishDisk),
        4 => (any::<usize>(), any::<usize>()).prop_map(|(d, i)| Op::Attach(d, i)),
        1 => any::<usize>().prop_map(Op::Detach),
        1 => any::<usize>().prop_map(Op::ReInit),
        1 => any::<usize>().prop_map(Op::FinishReInit),
        4 => any::<usize>().prop_map(Op::Start),
        1 => any::<usize>().prop_map(Op::Stop),
        3 => (any::<usize>(), 0u32..200).prop_map(|(d, g)| Op::Write(d, g)),
        3 => prop_oneof![0u32..120, 3000u32..4000].prop_map(Op::Advance),
        12 => (ask(), token.clone(), any::<u8>()).prop_map(|(ask, token, spelling)| Op::Snapshot { ask, token, spelling }),
        4 => any::<u8>().prop_map(Op::Retry),
        3 => (ask(), token, any::<u8>()).prop_map(|(ask, token, spelling)| Op::Submit { ask, token, spelling }),
        2 => any::<usize>().prop_map(Op::Complete),
        4 => any::<usize>().prop_map(Op::Finish),
        1 => any::<usize>().prop_map(Op::Fail),
        1 => any::<usize>().prop_map(Op::Delete),
        1 => (any::<usize>(), prop_oneof![1u16..20, 240u16..270]).prop_map(|(d, n)| Op::Burst(d, n)),
        1 => (any::<usize>(), prop_oneof![Just(0u32), 1u32..600]).prop_map(|(d, s)| Op::Expire(d, s)),
        1 => any::<usize>().prop_map(Op::Release),
        1 => (any::<usize>(), any::<bool>()).prop_map(|(i, on)| Op::Lock(i, on)),
        1 => (any::<usize>(), any::<bool>()).prop_map(|(i, on)| Op::Hibernation(i, on)),
        2 => (any::<usize>(), 0usize..CONDITIONS.len(), prop::bool::weighted(0.3)).prop_map(|(d, c, on)| Op::Condition(d, c, on)),
        1 => (any::<usize>(), prop::option::of(1u32..4)).prop_map(|(d, q)| Op::ConcurrentQuota(d, q)),
        1 => any::<bool>().prop_map(Op::Legacy),
        1 => prop::bool::weighted(0.7).prop_map(Op::RegionInstantAccess),
        1 => prop::option::weighted(0.5, 0u32..40).prop_map(Op::PartnerQuota),
        1 => prop_oneof![4 => Just(0usize), 1 => 1usize..4].prop_map(Op::SetFault),
    ]
}

// ----- The reference model -----

#[derive(Clone, Debug)]
struct RefInstance {
    id: String,
    status: InstanceStatus,
    ever_started: bool,
    created_at: i64,
    locked: bool,
    hibernation: bool,
}

#[derive(Clone, Debug)]
struct RefDisk {
    id: String,
    category: DiskCategory,
    status: DiskStatus,
    ever_attached: bool,
    ever_used: bool,
    instance: Option<String>,
    ready_at: Option<i64>,
    written: u64,
    release_at: Option<i64>,
    conditions: [bool; CONDITIONS.len()],
    concurrent_quota: Option<u32>,
    released: bool,
}

#[derive(Clone, Debug)]
struct RefSnapshot {
    id: String,
    disk: String,
    status: SnapshotStatus,
}

/// What a call means, resolved when it is made: the DiskId it names, not an index.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Meaning {
    disk_id: String,
    named: bool,
    instant_access: bool,
    tags: u8,
}

#[derive(Clone, Debug)]
struct RefToken {
    token: String,
    meaning: Meaning,
    snapshot: Option<String>,
    in_flight: bool,
}

struct Model {
    region: Region,
    now: i64,
    instances: Vec<RefInstance>,
    /// Every disk ever created, released ones kept (marked) so that requests can name them.
    disks: Vec<RefDisk>,
    snapshots: Vec<RefSnapshot>,
    tokens: Vec<RefToken>,
    fault: Option<Fault>,
    legacy: bool,
    instant_access_region: bool,
    partner_quota: Option<u32>,
    pending: Vec<(Ticket, Result<String, Refusal>, Option<String>)>,
    last_call: Option<(Ask, Option<u8>)>,
}

enum Outcome {
    Create,
    Replay(String),
    Refuse(Refusal),
}

impl Model {
    fn new(seed: u64) -> Model {
        let start = Timestamp::from_unix_seconds(1_790_000_000).unwrap();
        Model {
            region: Region::new(seed, start),
            now: start.unix_seconds(),
            instances: Vec::new(),
            disks: Vec::new(),
            snapshots: Vec::new(),
            tokens: Vec::new(),
            fault: None,
            legacy: false,
            instant_access_region: true,
            partner_quota: None,
            pending: Vec::new(),
            last_call: None,
        }
    }

    /// A fertile start: a Running instance an hour old with its system disk, and a data
    /// disk attached and written to, both ready to be snapshotted.
    fn with_setup(seed: u64) -> Model {
        let mut model = Model::new(seed);
        for op in [
            Op::CreateInstance(0),
            Op::Start(0),
            Op::Advance(3600),
            Op::CreateDisk(0),
            Op::FinishDisk(1),
            Op::Attach(1, 0),
            Op::Write(1, 10),
            Op::Advance(10),
        ] {
            model.apply(&op);
        }
        model.check();
        model
    }

    fn instance_index(&self, i: usize) -> Option<usize> {
        (!self.instances.is_empty()).then(|| i % self.instances.len())
    }

    fn disk_index(&self, d: usize) -> Option<usize> {
        (!self.disks.is_empty()).then(|| d % self.disks.len())
    }

    fn live_disk(&self, d: usize) -> Option<usize> {
        self.disk_index(d).filter(|&k| !self.disks[k].released)
    }

    fn release(&mut self, k: usize) {
        let id = self.disks[k].id.clone();
        self.disks[k].released = true;
        self.snapshots
            .retain(|s| !(s.disk == id && s.status == SnapshotStatus::Progressing));
    }

    fn token_name(token: Option<u8>) -> Option<String> {
        token.map(|t| format!("token-{t}"))
    }

    fn meaning(&self, ask: &Ask) -> Meaning {
        Meaning {
            disk_id: self
                .disk_index(ask.disk)
                .map_or("d-none".to_owned(), |k| self.disks[k].id.clone()),
            named: ask.named,
            instant_access: ask.instant_access,
            tags: ask.tags,
        }
    }

    /// The query string of an ask, spelled as `spelling` says.
    fn query(&self, ask: &Ask, token: &Option<String>, spelling: u8) -> String {
        let mut q = format!("DiskId={}", self.meaning(ask).disk_id);
        if ask.named {
            q.push_str("&SnapshotName=nightly");
        }
        if ask.instant_access {
            q.push_str(if spelling & 8 != 0 {
                "&InstantAccess=True"
            } else {
                "&InstantAccess=true"
            });
        } else if spelling & 4 != 0 {
            q.push_str("&InstantAccess=false");
        }
        let mut tags: Vec<(&str, &str)> = [("a", "1"), ("b", "2")]
            .into_iter()
            .enumerate()
            .filter(|(bit, _)| ask.tags & (1 << bit) != 0)
            .map(|(_, tag)| tag)
            .collect();
        if spelling & 1 != 0 {
            tags.reverse();
        }
        let (key, value) = if spelling & 2 != 0 {
            ("key", "value")
        } else {
            ("Key", "Value")
        };
        for (n, (k, v)) in tags.iter().enumerate() {
            q.push_str(&format!(
                "&Tag.{}.{key}={k}&Tag.{}.{value}={v}",
                n + 1,
                n + 1
            ));
        }
        if let Some(token) = token {
            q.push_str(&format!("&ClientToken={token}"));
        }
        if spelling & 16 != 0 {
            q.push_str("&SignatureNonce=x");
        }
        q
    }

    /// The naive reference of the rules, for the part of the world this test builds.
    fn predict(&self, ask: &Ask, token: &Option<String>) -> Outcome {
        match self.fault {
            Some(Fault::InternalError) => return Outcome::Refuse(INTERNAL_ERROR),
            Some(Fault::InternalErrorException) => return Outcome::Refuse(INTERNAL_EXCEPTION),
            _ => {}
        }
        if let Some(token) = token {
            if let Some(record) = self.tokens.iter().find(|t| &t.token == token) {
                if record.meaning != self.meaning(ask) {
                    return Outcome::Refuse(MISMATCH);
                }
                return match (&record.snapshot, record.in_flight) {
                    (Some(id), false) => Outcome::Replay(id.clone()),
                    _ => Outcome::Refuse(PROCESSING),
                };
            }
        }
        // The account's channel partner quota counts every snapshot it holds.
        let held_by_account = self
            .snapshots
            .iter()
            .filter(|s| s.status != SnapshotStatus::Failed)
            .count();
        if self
            .partner_quota
            .is_some_and(|quota| held_by_account >= quota as usize)
        {
            return Outcome::Refuse(PARTNER_QUOTA);
        }
        // InstantAccess takes effect only for an account with local snapshots before
        // 2020-12-14.
        let instant_access = ask.instant_access && self.legacy;
        if instant_access && !self.instant_access_region {
            return Outcome::Refuse(REGION);
        }
        let Some(k) = self.live_disk(ask.disk) else {
            return Outcome::Refuse(DISK_NOT_FOUND);
        };
        let disk = &self.disks[k];
        match disk.category {
            DiskCategory::ElasticEphemeralDiskStandard => {
                return Outcome::Refuse(VALUE_NOT_SUPPORTED)
            }
            DiskCategory::LocalSsdPro => return Outcome::Refuse(TYPE_NOT_SUPPORTED),
            _ => {}
        }
        let essd_series = matches!(
            disk.category,
            DiskCategory::CloudEssd | DiskCategory::CloudEssdEntry
        );
        if instant_access && !essd_series {
            return Outcome::Refuse(CATEGORY_NOT_SUPPORTED);
        }
        let [cloud_box, arrears, transferring, invalid, no_key, disabled, untagged, unauthorized, copies, automatic] =
            disk.conditions;
        if instant_access && cloud_box {
            return Outcome::Refuse(CLOUD_BOX);
        }
        for (on, refusal) in [(arrears, ARREARS), (transferring, TRANSFERRING)] {
            if on {
                return Outcome::Refuse(refusal);
            }
        }
        if !matches!(
            disk.status,
            DiskStatus::Available | DiskStatus::InUse | DiskStatus::Expired
        ) {
            return Outcome::Refuse(DISK_STATUS);
        }
        for (on, refusal) in [
            (invalid, STATUS_INVALID),
            (no_key, KMS_NOT_FOUND),
            (disabled, KMS_NOT_ENABLED),
            (untagged, KMS_NO_TAG),
            (unauthorized, KMS),
        ] {
            if on {
                return Outcome::Refuse(refusal);
            }
        }
        if disk.instance.is_none() && !disk.ever_attached {
            return Outcome::Refuse(NEVER_ATTACHED);
        }
        if !disk.ever_used {
            return Outcome::Refuse(NEVER_USED);
        }
        if let Some(instance_id) = &disk.instance {
            let instance = self
                .instances
                .iter()
                .find(|i| &i.id == instance_id)
                .unwrap();
            if instance.locked {
                return Outcome::Refuse(LOCKED);
            }
            if instance.hibernation {
                return Outcome::Refuse(HIBERNATION);
            }
            let status_ok = matches!(
                instance.status,
                InstanceStatus::Running | InstanceStatus::Stopped
            );
            if !instance.ever_started || !status_ok || self.now < instance.created_at + 3600 {
                return Outcome::Refuse(INSTANCE_STATUS);
            }
        }
        if disk.ready_at.is_some_and(|t| self.now < t) {
            return Outcome::Refuse(DISK_STATUS);
        }
        let held = self
            .snapshots
            .iter()
            .filter(|s| s.disk == disk.id && s.status != SnapshotStatus::Failed)
            .count();
        if held >= 256 {
            return Outcome::Refuse(QUOTA);
        }
        if copies {
            return Outcome::Refuse(COPIES);
        }
        if automatic {
            return Outcome::Refuse(AUTOMATIC);
        }
        let progressing = self
            .snapshots
            .iter()
            .filter(|s| s.disk == disk.id && s.status == SnapshotStatus::Progressing)
            .count();
        match disk.concurrent_quota {
            None if progressing > 0 => return Outcome::Refuse(CREATING),
            Some(quota) if progressing >= quota as usize => {
                return Outcome::Refuse((
                    403,
                    "QuotaExceed.ConcurrentSnapshotQuota",
                    Cow::Owned(format!(
                        "The number of snapshots being created for the disk {} has exceeded \
                         the concurrent quota ({quota}). Please wait for the previous \
                         snapshots to complete before trying again.",
                        disk.id
                    )),
                ))
            }
            None | Some(_) => {}
        }
        if self.fault == Some(Fault::CreateSnapshotFailed) {
            return Outcome::Refuse(FAILED);
        }
        Outcome::Create
    }

    /// Calls CreateSnapshot on both and checks the answer against the prediction.
    fn snapshot(&mut self, ask: &Ask, token: Option<u8>, spelling: u8) {
        self.last_call = Some((ask.clone(), token));
        let token = Self::token_name(token);
        let request = parse_query(&self.query(ask, &token, spelling))
            .unwrap()
            .into_owned();
        let predicted = self.predict(ask, &token);
        let snapshots_before = self.region.snapshots().count();
        let facts_before = self.region.facts().clone();
        let result = self.region.create_snapshot(&request).result;
        match (predicted, result) {
            (Outcome::Create, Ok(success)) => {
                assert!(!success.replayed);
                assert!(
                    self.snapshots.iter().all(|s| s.id != success.snapshot_id),
                    "a new ID"
                );
                let disk = self.meaning(ask).disk_id;
                let record = self.region.snapshot(&success.snapshot_id).unwrap();
                assert_eq!(record.source, SnapshotSource::Disk(disk.clone()));
                assert_eq!(record.status, SnapshotStatus::Progressing);
                self.snapshots.push(RefSnapshot {
                    id: success.snapshot_id.clone(),
                    disk,
                    status: SnapshotStatus::Progressing,
                });
                if let Some(token) = &token {
                    self.tokens.push(RefToken {
                        token: token.clone(),
                        meaning: self.meaning(ask),
                        snapshot: Some(success.snapshot_id),
                        in_flight: false,
                    });
                }
            }
            (Outcome::Replay(id), Ok(success)) => {
                // An idempotent replay never creates anything, nor changes anything.
                assert!(success.replayed);
                assert_eq!(success.snapshot_id, id);
                assert_eq!(self.region.snapshots().count(), snapshots_before);
                assert_eq!(self.region.facts(), &facts_before);
            }
            (Outcome::Refuse(expected), Err(error)) => {
                assert_eq!(
                    (
                        error.status(),
                        error.code().as_str(),
                        Cow::Borrowed(error.message())
                    ),
                    expected
                );
                assert_eq!(self.region.facts(), &facts_before);
            }
            (Outcome::Create, Err(e)) => panic!("expected a new snapshot, got {e}"),
            (Outcome::Replay(id), Err(e)) => panic!("expected a replay of {id}, got {e}"),
            (Outcome::Refuse(expected), Ok(s)) => panic!("expected {expected:?}, got {s:?}"),
        }
    }

    fn complete(&mut self, k: usize) {
        if self.pending.is_empty() {
            return;
        }
        let (ticket, expected, took) = self.pending.remove(k % self.pending.len());
        let answer = self.region.complete(ticket).unwrap();
        match (&expected, &answer.result) {
            (Ok(id), Ok(success)) => assert_eq!(&success.snapshot_id, id),
            (Err(refusal), Err(error)) => {
                assert_eq!(
                    (
                        error.status(),
                        error.code().as_str(),
                        Cow::Borrowed(error.message())
                    ),
                    *refusal
                )
            }
            _ => panic!("expected {expected:?}, got {:?}", answer.result),
        }
        if let Some(token) = took {
            match expected {
                Ok(_) => {
                    for record in self.tokens.iter_mut().filter(|r| r.token == token) {
                        record.in_flight = false;
                    }
                }
                Err(_) => self.tokens.retain(|r| r.token != token),
            }
        }
    }

    fn apply(&mut self, op: &Op) {
        match op {
            Op::CreateInstance(c) => {
                let vm = self.region.create_instance(CATEGORIES[*c]);
                self.instances.push(RefInstance {
                    id: vm.instance_id.clone(),
                    status: InstanceStatus::Pending,
                    ever_started: false,
                    created_at: self.now,
                    locked: false,
                    hibernation: false,
                });
                self.disks.push(RefDisk {
                    id: vm.system_disk_id,
                    category: CATEGORIES[*c],
                    status: DiskStatus::InUse,
                    ever_attached: true,
                    ever_used: true,
                    instance: Some(vm.instance_id),
                    ready_at: None,
                    written: 0,
                    release_at: None,
                    conditions: [false; CONDITIONS.len()],
                    concurrent_quota: None,
                    released: false,
                });
            }
            Op::CreateDisk(c) => {
                let id = self.region.create_disk(CATEGORIES[*c]);
                self.disks.push(RefDisk {
                    id,
                    category: CATEGORIES[*c],
                    status: DiskStatus::Creating,
                    ever_attached: false,
                    ever_used: false,
                    instance: None,
                    ready_at: None,
                    written: 0,
                    release_at: None,
                    conditions: [false; CONDITIONS.len()],
                    concurrent_quota: None,
                    released: false,
                });
            }
            Op::FinishDisk(d) => {
                self.disk_step(*d, DiskStatus::Creating, DiskStatus::Available, |r, id| {
                    r.finish_creating_disk(id)
                })
            }
            Op::ReInit(d) => {
                self.disk_step(*d, DiskStatus::InUse, DiskStatus::ReIniting, |r, id| {
                    r.reinit_disk(id)
                })
            }
            Op::FinishReInit(d) => {
                self.disk_step(*d, DiskStatus::ReIniting, DiskStatus::InUse, |r, id| {
                    r.finish_reinit_disk(id)
                })
            }
            Op::Attach(d, i) => {
                let (Some(k), Some(j)) = (self.live_disk(*d), self.instance_index(*i)) else {
                    return;
                };
                let (disk_id, instance_id) =
                    (self.disks[k].id.clone(), self.instances[j].id.clone());
                let ok = matches!(
                    self.instances[j].status,
                    InstanceStatus::Running | InstanceStatus::Stopped
                ) && self.disks[k].status == DiskStatus::Available;
                assert_eq!(
                    self.region.attach_disk(&disk_id, &instance_id).is_ok(),
                    ok,
                    "attach"
                );
                if ok {
                    let now = self.now;
                    let disk = &mut self.disks[k];
                    disk.status = DiskStatus::InUse;
                    disk.instance = Some(instance_id);
                    disk.ever_attached = true;
                    disk.ready_at = Some(now + disk.written as i64);
                }
            }
            Op::Detach(d) => {
                let Some(k) = self.live_disk(*d) else { return };
                let ok = self.disks[k].status == DiskStatus::InUse;
                assert_eq!(
                    self.region.detach_disk(&self.disks[k].id.clone()).is_ok(),
                    ok,
                    "detach"
                );
                if ok {
                    let disk = &mut self.disks[k];
                    disk.status = DiskStatus::Available;
                    disk.instance = None;
                    disk.ready_at = None;
                }
            }
            Op::Start(i) | Op::Stop(i) => {
                let Some(j) = self.instance_index(*i) else {
                    return;
                };
                let starting = matches!(op, Op::Start(_));
                let from_ok = matches!(
                    (starting, self.instances[j].status),
                    (true, InstanceStatus::Pending | InstanceStatus::Stopped)
                        | (false, InstanceStatus::Running)
                );
                let id = self.instances[j].id.clone();
                let result = if starting {
                    self.region.start_instance(&id)
                } else {
                    self.region.stop_instance(&id)
                };
                assert_eq!(result.is_ok(), from_ok, "start/stop");
                if let Ok(notices) = result {
                    let instance = &mut self.instances[j];
                    instance.status = if starting {
                        InstanceStatus::Running
                    } else {
                        InstanceStatus::Stopped
                    };
                    instance.ever_started |= starting;
                    // One notice per snapshot in progress on a disk attached to it.
                    let expected: usize = self
                        .disks
                        .iter()
                        .filter(|d| !d.released && d.instance.as_deref() == Some(id.as_str()))
                        .map(|d| {
                            self.snapshots
                                .iter()
                                .filter(|s| {
                                    s.disk == d.id && s.status == SnapshotStatus::Progressing
                                })
                                .count()
                        })
                        .sum();
                    assert_eq!(notices.len(), expected, "notices");
                }
            }
            Op::Write(d, gib) => {
                let Some(k) = self.live_disk(*d) else { return };
                let running = self.disks[k]
                    .instance
                    .as_ref()
                    .and_then(|id| self.instances.iter().find(|i| &i.id == id))
                    .is_some_and(|i| i.status == InstanceStatus::Running);
                let ok = self.disks[k].status == DiskStatus::InUse && running;
                assert_eq!(
                    self.region
                        .write_to_disk(&self.disks[k].id.clone(), *gib)
                        .is_ok(),
                    ok,
                    "write"
                );
                if ok {
                    self.disks[k].ever_used = true;
                    self.disks[k].written += u64::from(*gib);
                }
            }
            Op::Advance(seconds) => {
                let notices = self.region.advance(*seconds).unwrap();
                self.now += i64::from(*seconds);
                let due: Vec<usize> = (0..self.disks.len())
                    .filter(|&k| {
                        !self.disks[k].released
                            && self.disks[k].release_at.is_some_and(|t| t <= self.now)
                    })
                    .collect();
                assert_eq!(notices.len(), due.len(), "releases");
                for k in due {
                    self.release(k);
                }
            }
            Op::Snapshot {
                ask,
                token,
                spelling,
            } => self.snapshot(ask, *token, *spelling),
            Op::Retry(spelling) => {
                if let Some((ask, token)) = self.last_call.clone() {
                    self.snapshot(&ask, token, *spelling);
                }
            }
            Op::Submit {
                ask,
                token,
                spelling,
            } => self.submit(ask, *token, *spelling),
            Op::Complete(k) => self.complete(*k),
            Op::Finish(s) | Op::Fail(s) => {
                if self.snapshots.is_empty() {
                    return;
                }
                let k = s % self.snapshots.len();
                let id = self.snapshots[k].id.clone();
                let ok = self.snapshots[k].status == SnapshotStatus::Progressing;
                let finish = matches!(op, Op::Finish(_));
                let result = if finish {
                    self.region.finish_snapshot(&id)
                } else {
                    self.region.fail_snapshot(&id)
                };
                assert_eq!(result.is_ok(), ok, "finish/fail");
                if ok {
                    self.snapshots[k].status = if finish {
                        SnapshotStatus::Accomplished
                    } else {
                        SnapshotStatus::Failed
                    };
                }
            }
            Op::Delete(s) => {
                if self.snapshots.is_empty() {
                    return;
                }
                let k = s % self.snapshots.len();
                let ok = self.snapshots[k].status != SnapshotStatus::Progressing;
                assert_eq!(
                    self.region
                        .delete_snapshot(&self.snapshots[k].id.clone())
                        .is_ok(),
                    ok,
                    "delete"
                );
                if ok {
                    self.snapshots.remove(k);
                }
            }
            Op::Burst(d, n) => {
                let ask = Ask {
                    disk: *d,
                    named: false,
                    instant_access: false,
                    tags: 0,
                };
                for _ in 0..*n {
                    let before = self.snapshots.len();
                    self.snapshot(&ask, None, 0);
                    if self.snapshots.len() == before {
                        break;
                    }
                    let id = self.snapshots[before].id.clone();
                    self.region.finish_snapshot(&id).unwrap();
                    self.snapshots[before].status = SnapshotStatus::Accomplished;
                }
            }
            Op::Expire(d, after) => {
                let Some(k) = self.live_disk(*d) else { return };
                let ok = matches!(
                    self.disks[k].status,
                    DiskStatus::Available | DiskStatus::InUse
                );
                let result = self.region.expire_disk(&self.disks[k].id.clone(), *after);
                assert_eq!(result.is_ok(), ok, "expire");
                if ok {
                    self.disks[k].status = DiskStatus::Expired;
                    self.disks[k].release_at = Some(self.now + i64::from(*after));
                    if *after == 0 {
                        self.release(k);
                    }
                }
            }
            Op::Release(d) => {
                let Some(k) = self.live_disk(*d) else { return };
                let ok = matches!(
                    self.disks[k].status,
                    DiskStatus::Available | DiskStatus::Expired
                );
                assert_eq!(
                    self.region.release_disk(&self.disks[k].id.clone()).is_ok(),
                    ok,
                    "release"
                );
                if ok {
                    self.release(k);
                }
            }
            Op::Lock(i, on) => {
                let Some(j) = self.instance_index(*i) else {
                    return;
                };
                let id = self.instances[j].id.clone();
                if *on {
                    self.region
                        .lock_instance(&id, LockReason::Security)
                        .unwrap();
                } else {
                    self.region
                        .unlock_instance(&id, LockReason::Security)
                        .unwrap();
                }
                self.instances[j].locked = *on;
            }
            Op::Hibernation(i, on) => {
                let Some(j) = self.instance_index(*i) else {
                    return;
                };
                let id = self.instances[j].id.clone();
                self.region.set_hibernation_configured(&id, *on).unwrap();
                self.instances[j].hibernation = *on;
            }
            Op::Condition(d, c, on) => {
                let Some(k) = self.live_disk(*d) else { return };
                self.region
                    .set_disk_condition(&self.disks[k].id.clone(), CONDITIONS[*c], *on)
                    .unwrap();
                self.disks[k].conditions[*c] = *on;
            }
            Op::ConcurrentQuota(d, quota) => {
                let Some(k) = self.live_disk(*d) else { return };
                self.region
                    .set_concurrent_snapshot_quota(&self.disks[k].id.clone(), *quota)
                    .unwrap();
                self.disks[k].concurrent_quota = *quota;
            }
            Op::Legacy(on) => {
                self.region
                    .account_mut()
                    .used_local_snapshots_before_2020_12_14 = *on;
                self.legacy = *on;
            }
            Op::RegionInstantAccess(on) => {
                self.region.region_mut().instant_access_available = *on;
                self.instant_access_region = *on;
            }
            Op::PartnerQuota(quota) => {
                self.region.account_mut().channel_partner_snapshot_quota = *quota;
                self.partner_quota = *quota;
            }
            Op::SetFault(f) => {
                self.fault = FAULTS[*f];
                self.region.set_fault(self.fault);
            }
        }
    }

    fn submit(&mut self, ask: &Ask, token: Option<u8>, spelling: u8) {
        let token_name = Self::token_name(token);
        let request = parse_query(&self.query(ask, &token_name, spelling))
            .unwrap()
            .into_owned();
        let predicted = self.predict(ask, &token_name);
        let snapshots_before = self.region.snapshots().count();
        let ticket = self.region.submit(&request);
        let new_ids: Vec<String> = self
            .region
            .snapshots()
            .map(|s| s.snapshot_id.clone())
            .filter(|id| self.snapshots.iter().all(|s| &s.id != id))
            .collect();
        let answered = match predicted {
            Outcome::Create => {
                assert_eq!(
                    new_ids.len(),
                    1,
                    "a submitted call creates its snapshot at once"
                );
                let id = new_ids[0].clone();
                let disk = self.meaning(ask).disk_id;
                self.snapshots.push(RefSnapshot {
                    id: id.clone(),
                    disk,
                    status: SnapshotStatus::Progressing,
                });
                Ok(id)
            }
            Outcome::Replay(id) => {
                assert_eq!(self.region.snapshots().count(), snapshots_before);
                Ok(id)
            }
            Outcome::Refuse(refusal) => {
                assert_eq!(self.region.snapshots().count(), snapshots_before);
                Err(refusal)
            }
        };
        // The reference's token rule: a call in flight takes a token nobody holds (one
        // somebody holds is a replay or a refusal, which take nothing).
        let took = match &token_name {
            Some(t) if !self.tokens.iter().any(|r| &r.token == t) => {
                self.tokens.push(RefToken {
                    token: t.clone(),
                    meaning: self.meaning(ask),
                    snapshot: answered.clone().ok(),
                    in_flight: true,
                });
                Some(t.clone())
            }
            Some(_) | None => None,
        };
        self.pending.push((ticket, answered, took));
    }

    fn disk_step(
        &mut self,
        d: usize,
        from: DiskStatus,
        to: DiskStatus,
        step: fn(&mut Region, &str) -> Result<(), ecs_snapshot_rules::state::RegionError>,
    ) {
        let Some(k) = self.live_disk(d) else { return };
        let ok = self.disks[k].status == from;
        assert_eq!(
            step(&mut self.region, &self.disks[k].id.clone()).is_ok(),
            ok,
            "{from} to {to}"
        );
        if ok {
            self.disks[k].status = to;
        }
    }

    /// The invariants, and the region against the reference.
    fn check(&self) {
        let facts = self.region.facts();
        let mut held: BTreeMap<&str, usize> = BTreeMap::new();
        let mut progressing: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for s in self.region.snapshots() {
            let SnapshotSource::Disk(disk) = &s.source else {
                panic!("no volumes here")
            };
            if s.status != SnapshotStatus::Failed {
                *held.entry(disk).or_default() += 1;
            }
            if s.status == SnapshotStatus::Progressing {
                progressing.entry(disk).or_default().push(&s.snapshot_id);
            }
        }
        for (id, disk) in &facts.disks {
            let count = held.get(id.as_str()).copied().unwrap_or(0);
            assert!(
                disk.manual_snapshot_count <= 256,
                "never more than 256 manual snapshots"
            );
            assert_eq!(
                disk.manual_snapshot_count as usize, count,
                "the count kept is the count"
            );
            let now_progressing = progressing.get(id.as_str()).cloned().unwrap_or_default();
            let limit = disk.concurrent_snapshot_quota.map_or(1, |q| q as usize);
            // A quota lowered under what progresses leaves them be: at most the highest.
            assert!(
                now_progressing.len() <= limit.max(3),
                "never more progressing at once than the quota"
            );
            let mut recorded: Vec<&str> = disk.creating_snapshots().collect();
            let mut progressing_now = now_progressing.clone();
            recorded.sort_unstable();
            progressing_now.sort_unstable();
            assert_eq!(recorded, progressing_now, "the facts name what progresses");
            assert_eq!(
                disk.creating_snapshot_id.is_none(),
                disk.also_creating_snapshot_ids.is_empty() && now_progressing.is_empty(),
                "the earliest is creating_snapshot_id"
            );
        }
        // The account holds every snapshot that is not failed.
        let held_by_account = self
            .snapshots
            .iter()
            .filter(|s| s.status != SnapshotStatus::Failed)
            .count();
        assert_eq!(facts.account.snapshot_count as usize, held_by_account);
        // Region and reference agree.
        let live: BTreeMap<&str, &RefDisk> = self
            .disks
            .iter()
            .filter(|d| !d.released)
            .map(|d| (d.id.as_str(), d))
            .collect();
        assert_eq!(
            facts
                .disks
                .keys()
                .map(String::as_str)
                .collect::<BTreeSet<_>>(),
            live.keys().copied().collect()
        );
        let now = Timestamp::from_unix_seconds(self.now).unwrap();
        assert_eq!(self.region.now(), now);
        for (id, disk) in &live {
            let facts = &facts.disks[*id];
            assert_eq!(facts.status_at(now), disk.status, "{id}");
            assert_eq!(facts.instance_id, disk.instance, "{id}");
            let reference = self
                .snapshots
                .iter()
                .filter(|s| &s.disk == id && s.status != SnapshotStatus::Failed)
                .count();
            assert_eq!(facts.manual_snapshot_count as usize, reference, "{id}");
        }
        let mut region_snapshots: Vec<_> = self
            .region
            .snapshots()
            .map(|s| (s.snapshot_id.clone(), s.status))
            .collect();
        region_snapshots.sort_by(|a, b| a.0.cmp(&b.0));
        let mut reference: Vec<_> = self
            .snapshots
            .iter()
            .map(|s| (s.id.clone(), s.status))
            .collect();
        reference.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(region_snapshots, reference);
        let tokens: BTreeSet<&str> = facts.client_tokens.keys().map(String::as_str).collect();
        let reference: BTreeSet<&str> = self.tokens.iter().map(|t| t.token.as_str()).collect();
        assert_eq!(tokens, reference);
        for t in &self.tokens {
            let record = &facts.client_tokens[&t.token];
            assert_eq!(record.in_flight, t.in_flight, "{}", t.token);
            assert_eq!(record.snapshot_id, t.snapshot, "{}", t.token);
        }
        let statuses: Vec<_> = self
            .instances
            .iter()
            .map(|i| (i.status, i.ever_started))
            .collect();
        let region: Vec<_> = self
            .instances
            .iter()
            .map(|i| {
                let f = &facts.instances[&i.id];
                (f.status, f.ever_started)
            })
            .collect();
        assert_eq!(region, statuses);
    }
}

/// 128 sequences a property, or `PROPTEST_CASES` for a longer campaign.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(128)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), max_shrink_iters: 2000, ..ProptestConfig::default() })]

    #[test]
    fn the_region_follows_the_reference(seed in any::<u64>(), ops in prop::collection::vec(op(), 1..120)) {
        let mut model = Model::with_setup(seed);
        for op in &ops {
            model.apply(op);
            model.check();
        }
        // Answer every call still in flight; the invariants hold after that too.
        while !model.pending.is_empty() {
            model.complete(0);
            model.check();
        }
    }

    #[test]
    fn the_same_seed_and_operations_give_the_same_region(seed in any::<u64>(), ops in prop::collection::vec(op(), 1..40)) {
        let run = || {
            let mut model = Model::with_setup(seed);
            for op in &ops {
                model.apply(op);
            }
            model.region.facts().to_json_pretty()
        };
        prop_assert_eq!(run(), run());
    }
}
