//! The snapshot's state machine: progressing, accomplished, failed.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::transition::InvalidTransition;

/// The status of a snapshot, spelled as the API spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SnapshotStatus {
    /// Being created; while it is, no other snapshot of its disk can be created.
    Progressing,
    /// Created.
    Accomplished,
    /// Creation failed; it holds no data and does not count against the disk's quota.
    Failed,
}

/// What can happen to a snapshot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SnapshotEvent {
    /// The back end finished creating it: progressing to accomplished.
    Finish,
    /// The back end gave up: progressing to failed.
    Fail,
}

impl SnapshotStatus {
    /// Every status, in the order of the machine.
    pub const ALL: [SnapshotStatus; 3] = [
        SnapshotStatus::Progressing,
        SnapshotStatus::Accomplished,
        SnapshotStatus::Failed,
    ];

    /// The status as the API spells it.
    pub const fn as_str(self) -> &'static str {
        match self {
            SnapshotStatus::Progressing => "progressing",
            SnapshotStatus::Accomplished => "accomplished",
            SnapshotStatus::Failed => "failed",
        }
    }

    /// The status after `event`, or the typed refusal: only a progressing snapshot can
    /// finish or fail.
    ///
    /// # Errors
    ///
    /// [`InvalidTransition`](crate::state::InvalidTransition) when the event cannot happen in
    /// this status.
    ///
    /// ```
    /// use ecs_snapshot_rules::state::{SnapshotEvent, SnapshotStatus};
    ///
    /// assert_eq!(SnapshotStatus::Progressing.apply(SnapshotEvent::Finish), Ok(SnapshotStatus::Accomplished));
    /// assert!(SnapshotStatus::Failed.apply(SnapshotEvent::Finish).is_err());
    /// ```
    pub fn apply(
        self,
        event: SnapshotEvent,
    ) -> Result<SnapshotStatus, InvalidTransition<SnapshotStatus, SnapshotEvent>> {
        use SnapshotEvent as E;
        use SnapshotStatus as S;
        match (self, event) {
            (S::Progressing, E::Finish) => Ok(S::Accomplished),
            (S::Progressing, E::Fail) => Ok(S::Failed),
            (S::Accomplished | S::Failed, E::Finish | E::Fail) => {
                Err(InvalidTransition { from: self, event })
            }
        }
    }

    /// Whether the snapshot is deleted when its disk is released: a snapshot still being
    /// created is (the spec says so of a disk released at its expiry; see
    /// `docs/DECISIONS.md`, D63); an accomplished or failed one stays.
    pub const fn deleted_with_disk(self) -> bool {
        match self {
            SnapshotStatus::Progressing => true,
            SnapshotStatus::Accomplished | SnapshotStatus::Failed => false,
        }
    }

    /// Whether the snapshot counts against its disk's quota of manual snapshots.
    pub const fn counts_against_quota(self) -> bool {
        match self {
            SnapshotStatus::Progressing | SnapshotStatus::Accomplished => true,
            SnapshotStatus::Failed => false,
        }
    }
}

impl SnapshotEvent {
    /// Every event.
    pub const ALL: [SnapshotEvent; 2] = [SnapshotEvent::Finish, SnapshotEvent::Fail];
}

impl fmt::Display for SnapshotStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
