//! The instance's state machine: Pending, Starting, Running, Stopping, Stopped.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::transition::InvalidTransition;

/// The status of an ECS instance, spelled as the API spells it.
///
/// CreateSnapshot takes a disk whose instance is `Running` or `Stopped`; any other status
/// refuses it with `IncorrectInstanceStatus`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum InstanceStatus {
    /// Being created.
    Pending,
    /// Being started.
    Starting,
    /// Running (the default of an instance in a facts file: an ordinary instance in service).
    #[default]
    Running,
    /// Being stopped.
    Stopping,
    /// Stopped.
    Stopped,
}

/// What can happen to an instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InstanceEvent {
    /// Creation finished without starting it (CreateInstance): Pending to Stopped.
    Created,
    /// StartInstance, or RunInstances right after creation: Pending or Stopped to Starting.
    Start,
    /// The start finished: Starting to Running.
    Started,
    /// StopInstance: Running to Stopping.
    Stop,
    /// The stop finished: Stopping to Stopped.
    Stopped,
}

impl InstanceStatus {
    /// Every status, in the order of the machine.
    pub const ALL: [InstanceStatus; 5] = [
        InstanceStatus::Pending,
        InstanceStatus::Starting,
        InstanceStatus::Running,
        InstanceStatus::Stopping,
        InstanceStatus::Stopped,
    ];

    /// The status as the API spells it.
    pub const fn as_str(self) -> &'static str {
        match self {
            InstanceStatus::Pending => "Pending",
            InstanceStatus::Starting => "Starting",
            InstanceStatus::Running => "Running",
            InstanceStatus::Stopping => "Stopping",
            InstanceStatus::Stopped => "Stopped",
        }
    }

    /// The status after `event`, or the typed refusal of a transition the machine does not
    /// have (starting a Running instance, stopping a Pending one, ...).
    ///
    /// # Errors
    ///
    /// [`InvalidTransition`](crate::state::InvalidTransition) when the event cannot happen in
    /// this status.
    ///
    /// ```
    /// use ecs_snapshot_rules::state::{InstanceEvent, InstanceStatus};
    ///
    /// assert_eq!(InstanceStatus::Stopped.apply(InstanceEvent::Start), Ok(InstanceStatus::Starting));
    /// assert!(InstanceStatus::Running.apply(InstanceEvent::Start).is_err());
    /// ```
    pub fn apply(
        self,
        event: InstanceEvent,
    ) -> Result<InstanceStatus, InvalidTransition<InstanceStatus, InstanceEvent>> {
        use InstanceEvent as E;
        use InstanceStatus as S;
        match (self, event) {
            (S::Pending, E::Created) => Ok(S::Stopped),
            (S::Pending | S::Stopped, E::Start) => Ok(S::Starting),
            (S::Starting, E::Started) => Ok(S::Running),
            (S::Running, E::Stop) => Ok(S::Stopping),
            (S::Stopping, E::Stopped) => Ok(S::Stopped),
            (S::Starting | S::Running | S::Stopping | S::Stopped, E::Created)
            | (S::Starting | S::Running | S::Stopping, E::Start)
            | (S::Pending | S::Running | S::Stopping | S::Stopped, E::Started)
            | (S::Pending | S::Starting | S::Stopping | S::Stopped, E::Stop)
            | (S::Pending | S::Starting | S::Running | S::Stopped, E::Stopped) => {
                Err(InvalidTransition { from: self, event })
            }
        }
    }
}

impl InstanceEvent {
    /// Every event.
    pub const ALL: [InstanceEvent; 5] = [
        InstanceEvent::Created,
        InstanceEvent::Start,
        InstanceEvent::Started,
        InstanceEvent::Stop,
        InstanceEvent::Stopped,
    ];
}

impl fmt::Display for InstanceStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
