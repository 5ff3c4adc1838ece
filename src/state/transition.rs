//! The one error every state machine gives for a transition it does not have.

use std::fmt;

/// `event` cannot happen to something in state `from`: the machine has no such transition.
///
/// Each machine ([`InstanceStatus`](crate::state::InstanceStatus), [`DiskStatus`](crate::state::DiskStatus),
/// [`SnapshotStatus`](crate::state::SnapshotStatus)) returns it from its `apply`, so that an
/// impossible step is a typed refusal, never a silent change or a panic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct InvalidTransition<S, E> {
    /// The state the machine is in.
    pub from: S,
    /// The event it was asked to take.
    pub event: E,
}

impl<S: fmt::Display, E: fmt::Debug> fmt::Display for InvalidTransition<S, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no transition {:?} from state {}", self.event, self.from)
    }
}

impl<S: fmt::Display + fmt::Debug, E: fmt::Debug> std::error::Error for InvalidTransition<S, E> {}
