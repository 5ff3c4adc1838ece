//! The stateful rules: the facts a request meets ([`Facts`]), the precondition check over
//! them ([`check_preconditions`]), the warnings that depend on them ([`warnings`]),
//! idempotency by ClientToken, the state machines of
//! instances, disks and snapshots, and a deterministic simulator built on all of it
//! ([`Region`]). `docs/STATEFUL.md` describes the model, the order of the checks and the
//! trigger of every row of the error table.

mod category;
mod disk;
mod facts;
mod idempotency;
mod ids;
mod instance;
mod meaning;
mod preconditions;
mod region;
mod snapshot;
mod time;
mod transition;
mod warnings;

pub use category::{DiskCategory, SnapshotSupport};
pub use disk::{DiskEvent, DiskStatus};
pub use facts::{
    AccountFacts, DiskFacts, Encryption, Facts, FactsError, Fault, InstanceFacts, LockReason,
    OperationLock, RegionFacts, TokenRecord, VolumeFacts,
};
pub use instance::{InstanceEvent, InstanceStatus};
pub use meaning::{RequestMeaning, SnapshotKind};
pub use preconditions::{
    check_preconditions, Accepted, NewSnapshot, SnapshotSource, MAX_MANUAL_SNAPSHOTS,
};
pub use region::{
    Answer, DiskCondition, NewInstance, Notice, Region, RegionError, SnapshotRecord, Success,
    Ticket, ATTACH_WAIT_SECONDS_PER_GIB,
};
pub use snapshot::{SnapshotEvent, SnapshotStatus};
pub use time::{Timestamp, TimestampError};
pub use transition::InvalidTransition;
pub use warnings::warnings;

/// The examples of `docs/STATEFUL.md`, run as doctests so that the documentation cannot
/// drift from the code.
#[cfg(doctest)]
#[doc = include_str!("../../docs/STATEFUL.md")]
pub struct StatefulDocs;
