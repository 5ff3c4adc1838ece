//! Where one connection is in its life: waiting for a request, reading its head, or in
//! service. The connection's own task moves it along; the accept loop reads it, from another
//! thread, to choose a connection to evict.

use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;

/// A connection's phase.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Accepted, its first request's head not complete yet: the header-read timeout runs
    /// from the accept.
    First,
    /// A response was given; waiting for the next request's first byte: the idle timeout.
    Idle,
    /// The first bytes of a later request's head arrived: the header-read timeout runs from
    /// the first byte.
    Reading,
    /// A request is being served: never timed out, never evicted.
    Serving,
    /// Chosen by the accept loop to make room: the connection closes.
    Evicted,
}

impl Phase {
    fn from_u8(value: u8) -> Phase {
        match value {
            0 => Phase::First,
            1 => Phase::Idle,
            2 => Phase::Reading,
            3 => Phase::Serving,
            _ => Phase::Evicted,
        }
    }

    /// Whether a connection in this phase may be evicted: it has no request in service.
    pub fn is_waiting(self) -> bool {
        matches!(self, Phase::First | Phase::Idle | Phase::Reading)
    }
}

/// The shared record of one connection.
pub struct Slot {
    /// The connection's number, in accept order.
    pub id: u64,
    phase: AtomicU8,
    /// When the phase began, in microseconds since `epoch`.
    since: AtomicU64,
    epoch: Instant,
    /// Woken when the connection is evicted.
    pub evicted: Notify,
}

impl Slot {
    /// A connection accepted now.
    pub fn new(id: u64, epoch: Instant) -> Slot {
        let slot = Slot {
            id,
            phase: AtomicU8::new(Phase::First as u8),
            since: AtomicU64::new(0),
            epoch,
            evicted: Notify::new(),
        };
        slot.since.store(slot.micros_now(), Ordering::Release);
        slot
    }

    fn micros_now(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_micros()).unwrap_or(u64::MAX)
    }

    /// The current phase.
    pub fn phase(&self) -> Phase {
        Phase::from_u8(self.phase.load(Ordering::Acquire))
    }

    /// When the current phase began, in microseconds since the server's epoch.
    pub fn since(&self) -> u64 {
        self.since.load(Ordering::Acquire)
    }

    fn set(&self, phase: Phase) {
        self.since.store(self.micros_now(), Ordering::Release);
        self.phase.store(phase as u8, Ordering::Release);
    }

    /// Bytes arrived: a connection idle between requests starts reading a head.
    pub fn bytes_arrived(&self) {
        if self
            .phase
            .compare_exchange(
                Phase::Idle as u8,
                Phase::Reading as u8,
                Ordering::AcqRel,
                Ordering::Acquire,
            )
            .is_ok()
        {
            self.since.store(self.micros_now(), Ordering::Release);
        }
    }

    /// A request's head is complete: the connection is in service, unless it was evicted
    /// (then `false`, and the request must change nothing).
    pub fn start_serving(&self) -> bool {
        let started = self.leave_waiting(Phase::Serving);
        if started {
            self.since.store(self.micros_now(), Ordering::Release);
        }
        started
    }

    /// The response is handed over: idle until the next request.
    pub fn done_serving(&self) {
        if self.phase() == Phase::Serving {
            self.set(Phase::Idle);
        }
    }

    /// Evicts the connection if it is still waiting (`false` if it started serving
    /// meanwhile).
    pub fn evict(&self) -> bool {
        let evicted = self.leave_waiting(Phase::Evicted);
        if evicted {
            self.evicted.notify_one();
        }
        evicted
    }

    /// Moves from a waiting phase to `to` in one step; `false` when the phase was not a
    /// waiting one (the other side won the race).
    fn leave_waiting(&self, to: Phase) -> bool {
        self.phase
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |current| {
                Phase::from_u8(current).is_waiting().then_some(to as u8)
            })
            .is_ok()
    }

    /// When the connection's current wait runs out, or `None` while it is in service.
    pub fn deadline(&self, header_read: Duration, idle: Duration) -> Option<Instant> {
        let allowed = match self.phase() {
            Phase::First | Phase::Reading => header_read,
            Phase::Idle => idle,
            Phase::Serving => return None,
            Phase::Evicted => Duration::ZERO,
        };
        Some(self.epoch + Duration::from_micros(self.since()) + allowed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slot_in_service_cannot_be_evicted() {
        let slot = Slot::new(1, Instant::now());
        assert_eq!(slot.phase(), Phase::First);
        assert!(slot.start_serving());
        assert!(!slot.evict());
        assert_eq!(slot.phase(), Phase::Serving);
        slot.done_serving();
        assert_eq!(slot.phase(), Phase::Idle);
        slot.bytes_arrived();
        assert_eq!(slot.phase(), Phase::Reading);
        assert!(slot.evict());
        assert_eq!(slot.phase(), Phase::Evicted);
        // An evicted connection serves nothing more.
        assert!(!slot.start_serving());
        slot.done_serving();
        assert_eq!(slot.phase(), Phase::Evicted);
    }

    #[test]
    fn each_phase_has_its_own_deadline() {
        let epoch = Instant::now();
        let slot = Slot::new(1, epoch);
        let header = Duration::from_secs(10);
        let idle = Duration::from_secs(60);
        let first = slot.deadline(header, idle).expect("a deadline");
        assert_eq!(first, epoch + Duration::from_micros(slot.since()) + header);
        // Bytes on a fresh connection do not restart its header-read clock.
        slot.bytes_arrived();
        assert_eq!(slot.phase(), Phase::First);
        assert_eq!(slot.deadline(header, idle), Some(first));
        assert!(slot.start_serving());
        assert_eq!(slot.deadline(header, idle), None);
        slot.done_serving();
        let idle_until = slot.deadline(header, idle).expect("a deadline");
        assert_eq!(
            idle_until,
            epoch + Duration::from_micros(slot.since()) + idle
        );
        slot.bytes_arrived();
        let reading = slot.deadline(header, idle).expect("a deadline");
        assert_eq!(
            reading,
            epoch + Duration::from_micros(slot.since()) + header
        );
    }
}
