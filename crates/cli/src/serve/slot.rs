//! Where one connection is in its life: waiting for a request, reading its head, or in
//! service. The connection's own task moves it along; the accept loop reads it, from another
//! thread, to choose a connection to evict.

use std::sync::atomic::{AtomicU64, Ordering};
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

/// Which timeout a waiting connection is under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timeout {
    /// A request's head is awaited or arriving.
    HeaderRead,
    /// Nothing arrived since the last response.
    Idle,
}

/// The low bits of the state word hold the phase's start; the top byte holds the phase.
const PHASE_SHIFT: u32 = 56;
const MICROS_MASK: u64 = (1 << PHASE_SHIFT) - 1;

fn pack(phase: Phase, micros: u64) -> u64 {
    (u64::from(phase as u8) << PHASE_SHIFT) | (micros & MICROS_MASK)
}

fn unpack(word: u64) -> (Phase, u64) {
    let phase = u8::try_from(word >> PHASE_SHIFT).unwrap_or(u8::MAX);
    (Phase::from_u8(phase), word & MICROS_MASK)
}

/// The shared record of one connection.
pub struct Slot {
    /// The connection's number, in accept order.
    pub id: u64,
    /// The phase and when it began (microseconds since `epoch`) in one word, so that a
    /// reader never pairs a phase with another phase's start.
    state: AtomicU64,
    epoch: Instant,
    /// Woken when the connection is evicted.
    pub evicted: Notify,
}

impl Slot {
    /// A connection accepted now.
    pub fn new(id: u64, epoch: Instant) -> Slot {
        let slot = Slot {
            id,
            state: AtomicU64::new(0),
            epoch,
            evicted: Notify::new(),
        };
        slot.state
            .store(pack(Phase::First, slot.micros_now()), Ordering::Release);
        slot
    }

    fn micros_now(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_micros()).unwrap_or(MICROS_MASK)
    }

    /// The current phase and when it began (microseconds since the server's epoch), read
    /// together.
    pub fn phase_and_since(&self) -> (Phase, u64) {
        unpack(self.state.load(Ordering::Acquire))
    }

    /// The current phase.
    pub fn phase(&self) -> Phase {
        self.phase_and_since().0
    }

    /// Moves to `to`, starting its clock now, when the phase is one `from` allows; `false`
    /// when it was not (another thread moved it first).
    fn shift(&self, from: impl Fn(Phase) -> bool, to: Phase) -> bool {
        let now = self.micros_now();
        self.state
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |word| {
                from(unpack(word).0).then_some(pack(to, now))
            })
            .is_ok()
    }

    /// Bytes arrived: a connection idle between requests starts reading a head.
    pub fn bytes_arrived(&self) {
        self.shift(|phase| phase == Phase::Idle, Phase::Reading);
    }

    /// A request's head is complete: the connection is in service, unless it was evicted
    /// (then `false`, and the request must change nothing).
    pub fn start_serving(&self) -> bool {
        self.shift(Phase::is_waiting, Phase::Serving)
    }

    /// The response is handed over: idle until the next request.
    pub fn done_serving(&self) {
        self.shift(|phase| phase == Phase::Serving, Phase::Idle);
    }

    /// Evicts the connection if it is still waiting (`false` if it started serving
    /// meanwhile).
    pub fn evict(&self) -> bool {
        let evicted = self.shift(Phase::is_waiting, Phase::Evicted);
        if evicted {
            self.evicted.notify_one();
        }
        evicted
    }

    /// When the connection's current wait runs out and under which timeout, read in one
    /// step; `None` while it is in service or once it is evicted (an evicted connection
    /// has no wait: it closes, and is not counted as timed out).
    pub fn deadline(&self, header_read: Duration, idle: Duration) -> Option<(Timeout, Instant)> {
        let (phase, since) = self.phase_and_since();
        let (timeout, allowed) = match phase {
            Phase::First | Phase::Reading => (Timeout::HeaderRead, header_read),
            Phase::Idle => (Timeout::Idle, idle),
            Phase::Serving | Phase::Evicted => return None,
        };
        Some((timeout, self.epoch + Duration::from_micros(since) + allowed))
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
        let at = |slot: &Slot, allowed| {
            epoch + Duration::from_micros(slot.phase_and_since().1) + allowed
        };
        let first = slot.deadline(header, idle).expect("a deadline");
        assert_eq!(first, (Timeout::HeaderRead, at(&slot, header)));
        // Bytes on a fresh connection do not restart its header-read clock.
        slot.bytes_arrived();
        assert_eq!(slot.phase(), Phase::First);
        assert_eq!(slot.deadline(header, idle), Some(first));
        assert!(slot.start_serving());
        assert_eq!(slot.deadline(header, idle), None);
        slot.done_serving();
        assert_eq!(
            slot.deadline(header, idle),
            Some((Timeout::Idle, at(&slot, idle)))
        );
        slot.bytes_arrived();
        assert_eq!(
            slot.deadline(header, idle),
            Some((Timeout::HeaderRead, at(&slot, header)))
        );
    }

    /// An evicted connection has no deadline: were it given one already past, a poll that
    /// saw the eviction only after the deadline would count it as timed out.
    #[test]
    fn an_evicted_slot_has_no_deadline() {
        let slot = Slot::new(7, Instant::now());
        assert!(slot.evict());
        assert_eq!(slot.phase(), Phase::Evicted);
        assert_eq!(
            slot.deadline(Duration::from_secs(10), Duration::from_secs(60)),
            None
        );
    }

    #[test]
    fn the_phase_and_its_start_are_packed_without_loss() {
        for phase in [
            Phase::First,
            Phase::Idle,
            Phase::Reading,
            Phase::Serving,
            Phase::Evicted,
        ] {
            for micros in [0, 1, 123_456_789, MICROS_MASK] {
                assert_eq!(unpack(pack(phase, micros)), (phase, micros));
            }
        }
    }
}
