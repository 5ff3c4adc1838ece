//! The open connections: their slots, for the accept loop to count and to choose one to
//! evict, and counts of how connections ended, for the control API.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::Notify;
use tokio::time::Instant;

use super::slot::Slot;

/// Every open connection.
pub struct Connections {
    table: Mutex<HashMap<u64, Arc<Slot>>>,
    next_id: AtomicU64,
    epoch: Instant,
    /// Woken when a connection closes or finishes serving a request: room may be made.
    pub changed: Notify,
    /// How connections came and went.
    pub counts: ConnectionCounts,
}

/// Counts of connections since the server started (a reset of the region leaves them).
#[derive(Default)]
pub struct ConnectionCounts {
    /// Connections accepted.
    pub accepted: AtomicU64,
    /// The most connections open at once.
    pub peak_open: AtomicU64,
    /// Closed to make room for a new one, while waiting for a request.
    pub evicted: AtomicU64,
    /// Closed because a request's head did not arrive within the header-read timeout.
    pub header_timeouts: AtomicU64,
    /// Closed because no request came within the idle timeout.
    pub idle_timeouts: AtomicU64,
    /// Closed because a request's body did not arrive within the header-read timeout.
    pub body_timeouts: AtomicU64,
}

impl Connections {
    /// No connection yet.
    pub fn new() -> Connections {
        Connections {
            table: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(1),
            epoch: Instant::now(),
            changed: Notify::new(),
            counts: ConnectionCounts::default(),
        }
    }

    fn table(&self) -> MutexGuard<'_, HashMap<u64, Arc<Slot>>> {
        self.table
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// How many connections are open.
    pub fn open(&self) -> usize {
        self.table().len()
    }

    /// A connection accepted now.
    pub fn register(&self) -> Arc<Slot> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let slot = Arc::new(Slot::new(id, self.epoch));
        let open = {
            let mut table = self.table();
            table.insert(id, Arc::clone(&slot));
            table.len()
        };
        self.counts.accepted.fetch_add(1, Ordering::Relaxed);
        self.counts
            .peak_open
            .fetch_max(open as u64, Ordering::Relaxed);
        slot
    }

    /// A connection closed.
    pub fn close(&self, id: u64) {
        self.table().remove(&id);
        self.changed.notify_one();
    }

    /// Evicts the connection that has waited longest for a request (never one in service);
    /// `false` when every connection is in service.
    pub fn evict_longest_waiting(&self) -> bool {
        let table = self.table();
        // Each connection's phase and its start are read once: they change under our feet,
        // and a sort by keys that change is no order at all.
        let mut waiting: Vec<(u64, u64, &Arc<Slot>)> = table
            .values()
            .filter_map(|slot| {
                let (phase, since) = slot.phase_and_since();
                phase.is_waiting().then_some((since, slot.id, slot))
            })
            .collect();
        waiting.sort_unstable_by_key(|&(since, id, _)| (since, id));
        // A connection may start serving between the look and the eviction: try the next.
        for (_, _, slot) in waiting {
            if slot.evict() {
                self.counts.evicted.fetch_add(1, Ordering::Relaxed);
                return true;
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::super::slot::Phase;
    use super::*;

    #[test]
    fn the_longest_waiting_connection_is_evicted_and_one_in_service_never() {
        let connections = Connections::new();
        let oldest = connections.register();
        let serving = connections.register();
        let newest = connections.register();
        assert!(serving.start_serving());
        assert_eq!(connections.open(), 3);

        assert!(connections.evict_longest_waiting());
        assert_eq!(oldest.phase(), Phase::Evicted);
        assert!(connections.evict_longest_waiting());
        assert_eq!(newest.phase(), Phase::Evicted);
        // Only the one in service is left, and it is not evicted.
        assert!(!connections.evict_longest_waiting());
        assert_eq!(serving.phase(), Phase::Serving);
        assert_eq!(connections.counts.evicted.load(Ordering::Relaxed), 2);

        connections.close(oldest.id);
        connections.close(newest.id);
        assert_eq!(connections.open(), 1);
        assert_eq!(connections.counts.accepted.load(Ordering::Relaxed), 3);
        assert_eq!(connections.counts.peak_open.load(Ordering::Relaxed), 3);
    }

    /// Connections change phase while the accept loop looks for one to evict (their tasks run
    /// on other threads); the look must neither panic nor evict one in service.
    #[test]
    fn eviction_holds_while_phases_change_under_it() {
        let connections = Arc::new(Connections::new());
        let slots: Vec<Arc<Slot>> = (0..64).map(|_| connections.register()).collect();
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let churn: Vec<_> = (0..2)
            .map(|t| {
                let slots = slots.clone();
                let stop = Arc::clone(&stop);
                std::thread::spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        for slot in slots.iter().skip(t).step_by(2) {
                            if slot.start_serving() {
                                slot.done_serving();
                            }
                        }
                    }
                })
            })
            .collect();
        let mut evicted = 0;
        for _ in 0..2_000 {
            if connections.evict_longest_waiting() {
                evicted += 1;
            }
            if evicted == slots.len() {
                break;
            }
        }
        stop.store(true, Ordering::Relaxed);
        for thread in churn {
            thread.join().expect("no panic");
        }
        // Every eviction took a waiting connection, each one once.
        let out = slots
            .iter()
            .filter(|slot| slot.phase() == Phase::Evicted)
            .count();
        assert_eq!(out, evicted);
        assert_eq!(
            connections.counts.evicted.load(Ordering::Relaxed),
            evicted as u64
        );
    }
}
