//! The bound on CreateSnapshot calls being answered at once: beyond it a call is answered at
//! once with the API's `ServiceUnavailable`, never queued.

use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::{Semaphore, SemaphorePermit};

/// Calls in flight, at most `max`.
pub struct InFlight {
    permits: Semaphore,
    max: usize,
    /// The most calls in flight at once.
    peak: AtomicU64,
}

impl InFlight {
    /// At most `max` at once.
    pub fn new(max: usize) -> InFlight {
        InFlight {
            permits: Semaphore::new(max),
            max,
            peak: AtomicU64::new(0),
        }
    }

    /// A place for one more call, held until it is answered; `None` when all are taken.
    pub fn enter(&self) -> Option<SemaphorePermit<'_>> {
        let permit = self.permits.try_acquire().ok()?;
        self.peak.fetch_max(self.now() as u64, Ordering::Relaxed);
        Some(permit)
    }

    /// Calls in flight now.
    pub fn now(&self) -> usize {
        self.max - self.permits.available_permits()
    }

    /// The most calls in flight at once since the start.
    pub fn peak(&self) -> u64 {
        self.peak.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beyond_the_bound_a_call_is_turned_away_not_queued() {
        let in_flight = InFlight::new(2);
        let first = in_flight.enter().expect("a place");
        let second = in_flight.enter().expect("a place");
        assert_eq!(in_flight.now(), 2);
        assert!(in_flight.enter().is_none());
        drop(first);
        assert_eq!(in_flight.now(), 1);
        let third = in_flight.enter().expect("a place again");
        assert_eq!((in_flight.now(), in_flight.peak()), (2, 2));
        drop((second, third));
        assert_eq!(in_flight.now(), 0);
    }
}
