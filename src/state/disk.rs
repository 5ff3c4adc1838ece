//! The disk's state machine: Creating, Available, Attaching, In_use, Detaching, ReIniting,
//! Expired, and Released (gone).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::transition::InvalidTransition;

/// The status of a disk, spelled as the API spells it, plus `Released` for a disk that is
/// gone.
///
/// CreateSnapshot takes a disk that is `Available`, `In_use` or `Expired`; `Creating`,
/// `Attaching`, `Detaching` and `ReIniting` refuse it with `IncorrectDiskStatus`, and a
/// `Released` disk does not exist (`InvalidDiskId.NotFound`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DiskStatus {
    /// Being created.
    Creating,
    /// Not attached to an instance.
    Available,
    /// Being attached.
    Attaching,
    /// Attached to an instance.
    #[serde(rename = "In_use")]
    InUse,
    /// Being detached.
    Detaching,
    /// Being re-initialised to its first content.
    ReIniting,
    /// Its subscription ran out; it can still be snapshotted until it is released.
    Expired,
    /// Gone: deleted, or released at the end of its expiry. Not an API status: the API no
    /// longer knows the disk.
    Released,
}

/// What can happen to a disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DiskEvent {
    /// Creation finished: Creating to Available.
    Created,
    /// AttachDisk: Available to Attaching.
    Attach,
    /// The attachment finished: Attaching to In_use.
    Attached,
    /// DetachDisk: In_use to Detaching.
    Detach,
    /// The detachment finished: Detaching to Available.
    Detached,
    /// ReInitDisk: In_use to ReIniting.
    ReInit,
    /// The re-initialisation finished: ReIniting to In_use.
    ReInited,
    /// The subscription ran out: Available or In_use to Expired.
    Expire,
    /// DeleteDisk (Available), or the release time of an Expired disk arrived: to Released.
    Release,
}

impl DiskStatus {
    /// Every status, in the order of the machine.
    pub const ALL: [DiskStatus; 8] = [
        DiskStatus::Creating,
        DiskStatus::Available,
        DiskStatus::Attaching,
        DiskStatus::InUse,
        DiskStatus::Detaching,
        DiskStatus::ReIniting,
        DiskStatus::Expired,
        DiskStatus::Released,
    ];

    /// The status as the API spells it (`Released` for a disk that is gone).
    pub const fn as_str(self) -> &'static str {
        match self {
            DiskStatus::Creating => "Creating",
            DiskStatus::Available => "Available",
            DiskStatus::Attaching => "Attaching",
            DiskStatus::InUse => "In_use",
            DiskStatus::Detaching => "Detaching",
            DiskStatus::ReIniting => "ReIniting",
            DiskStatus::Expired => "Expired",
            DiskStatus::Released => "Released",
        }
    }

    /// The status after `event`, or the typed refusal of a transition the machine does not
    /// have. `Released` is final.
    ///
    /// # Errors
    ///
    /// [`InvalidTransition`](crate::state::InvalidTransition) when the event cannot happen in
    /// this status.
    ///
    /// ```
    /// use ecs_snapshot_rules::state::{DiskEvent, DiskStatus};
    ///
    /// assert_eq!(DiskStatus::Expired.apply(DiskEvent::Release), Ok(DiskStatus::Released));
    /// assert!(DiskStatus::InUse.apply(DiskEvent::Release).is_err()); // detach it first
    /// ```
    pub fn apply(
        self,
        event: DiskEvent,
    ) -> Result<DiskStatus, InvalidTransition<DiskStatus, DiskEvent>> {
        use DiskEvent as E;
        use DiskStatus as S;
        match (self, event) {
            (S::Creating, E::Created) => Ok(S::Available),
            (S::Available, E::Attach) => Ok(S::Attaching),
            (S::Attaching, E::Attached) => Ok(S::InUse),
            (S::InUse, E::Detach) => Ok(S::Detaching),
            (S::Detaching, E::Detached) => Ok(S::Available),
            (S::InUse, E::ReInit) => Ok(S::ReIniting),
            (S::ReIniting, E::ReInited) => Ok(S::InUse),
            (S::Available | S::InUse, E::Expire) => Ok(S::Expired),
            (S::Available | S::Expired, E::Release) => Ok(S::Released),
            (
                S::Available
                | S::Attaching
                | S::InUse
                | S::Detaching
                | S::ReIniting
                | S::Expired
                | S::Released,
                E::Created,
            )
            | (
                S::Creating
                | S::Attaching
                | S::InUse
                | S::Detaching
                | S::ReIniting
                | S::Expired
                | S::Released,
                E::Attach,
            )
            | (
                S::Creating
                | S::Available
                | S::InUse
                | S::Detaching
                | S::ReIniting
                | S::Expired
                | S::Released,
                E::Attached,
            )
            | (
                S::Creating
                | S::Available
                | S::Attaching
                | S::Detaching
                | S::ReIniting
                | S::Expired
                | S::Released,
                E::Detach | E::ReInit,
            )
            | (
                S::Creating
                | S::Available
                | S::Attaching
                | S::InUse
                | S::ReIniting
                | S::Expired
                | S::Released,
                E::Detached,
            )
            | (
                S::Creating
                | S::Available
                | S::Attaching
                | S::InUse
                | S::Detaching
                | S::Expired
                | S::Released,
                E::ReInited,
            )
            | (
                S::Creating | S::Attaching | S::Detaching | S::ReIniting | S::Expired | S::Released,
                E::Expire,
            )
            | (
                S::Creating | S::Attaching | S::InUse | S::Detaching | S::ReIniting | S::Released,
                E::Release,
            ) => Err(InvalidTransition { from: self, event }),
        }
    }
}

impl DiskEvent {
    /// Every event.
    pub const ALL: [DiskEvent; 9] = [
        DiskEvent::Created,
        DiskEvent::Attach,
        DiskEvent::Attached,
        DiskEvent::Detach,
        DiskEvent::Detached,
        DiskEvent::ReInit,
        DiskEvent::ReInited,
        DiskEvent::Expire,
        DiskEvent::Release,
    ];
}

impl fmt::Display for DiskStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
