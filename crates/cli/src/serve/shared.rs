//! What every request handler shares: the simulated region behind one lock, the RequestId
//! source, the caller check, the faults, the bound on calls in flight, the open connections,
//! and counts of what CreateSnapshot answered.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use crate::library::{Facts, Region, Timestamp};

use super::auth::Auth;
use super::connections::Connections;
use super::faults::plan::Plan;
use super::faults::Faults;
use super::in_flight::InFlight;

/// The emulator: one region, and what it was started from so that it can be reset.
pub struct Emulator {
    region: Mutex<Region>,
    /// The region as the server started (seed, clock and `--world`), for `reset`.
    initial: Region,
    /// RequestIds, fresh for every answer.
    pub request_ids: RequestIds,
    /// How callers are authenticated.
    pub auth: Auth,
    /// How long a CreateSnapshot stays in flight between being judged and being answered.
    pub latency: Duration,
    /// Counts of CreateSnapshot answers.
    pub stats: Stats,
    /// The faults in force.
    pub faults: Faults,
    /// The seed the server started with: a fault plan's seed unless it names one.
    pub seed: u64,
    /// Calls being answered, and their bound.
    pub in_flight: InFlight,
    /// The open connections.
    pub connections: Arc<Connections>,
}

/// What the emulator is made of besides its region.
pub struct Setup {
    /// How callers are authenticated.
    pub auth: Auth,
    /// `--latency-ms`.
    pub latency: Duration,
    /// The faults the server starts with.
    pub faults: Plan,
    /// `--max-in-flight`.
    pub max_in_flight: usize,
    /// The open connections, which the accept loop keeps.
    pub connections: Arc<Connections>,
}

/// Counts of CreateSnapshot answers since the start (or the last reset).
#[derive(Default)]
pub struct Stats {
    /// Snapshots created.
    pub created: AtomicU64,
    /// Answers that replayed an earlier one (same ClientToken, same parameters).
    pub replayed: AtomicU64,
    /// Refusals (every error answer of the RPC endpoint, faults and overload included).
    pub refused: AtomicU64,
    /// Answers of an injected fault (rate limit, shares, queued failures).
    pub faulted: AtomicU64,
    /// `ServiceUnavailable` answers because too many calls were in flight.
    pub shed: AtomicU64,
}

impl Stats {
    fn clear(&self) {
        self.created.store(0, Ordering::Relaxed);
        self.replayed.store(0, Ordering::Relaxed);
        self.refused.store(0, Ordering::Relaxed);
        self.faulted.store(0, Ordering::Relaxed);
        self.shed.store(0, Ordering::Relaxed);
    }
}

impl Emulator {
    /// A region of `seed` whose clock shows `start`, holding `world`.
    pub fn new(seed: u64, start: Timestamp, world: Option<Facts>, setup: Setup) -> Emulator {
        let mut region = Region::new(seed, start);
        if let Some(facts) = world {
            region.load_facts(facts);
        }
        Emulator {
            region: Mutex::new(region.clone()),
            initial: region,
            request_ids: RequestIds::new(seed),
            auth: setup.auth,
            latency: setup.latency,
            stats: Stats::default(),
            faults: Faults::new(setup.faults),
            seed,
            in_flight: InFlight::new(setup.max_in_flight),
            connections: setup.connections,
        }
    }

    /// The region, locked. Hold the guard briefly and never across an `.await`. A panic
    /// while it was held (there is none to expect) does not make the region unusable.
    pub fn region(&self) -> MutexGuard<'_, Region> {
        self.region
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Back to the region and the faults as the server started, and the counts of answers
    /// to zero (the counts of connections describe the process, and stay).
    pub fn reset(&self) {
        *self.region() = self.initial.clone();
        self.stats.clear();
        self.faults.reset();
    }
}

/// RequestIds as the API writes them (32 upper-case hex digits, 8-4-4-4-12), unique for
/// the life of the server: the low 64 bits are a bijective mix of a counter, so no two are
/// equal before 2^64 requests.
pub struct RequestIds {
    seed: u64,
    counter: AtomicU64,
}

impl RequestIds {
    fn new(seed: u64) -> RequestIds {
        RequestIds {
            seed,
            counter: AtomicU64::new(0),
        }
    }

    /// The next RequestId.
    pub fn next(&self) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let low = mix(n.wrapping_add(self.seed));
        let high = mix(low ^ self.seed.rotate_left(32) ^ 0x9E37_79B9_7F4A_7C15);
        let hex = format!("{high:016X}{low:016X}");
        format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        )
    }
}

/// The splitmix64 finaliser: a bijection of `u64`.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn request_ids_are_unique_and_shaped_like_the_apis() {
        let ids = RequestIds::new(7);
        let mut seen = HashSet::new();
        for _ in 0..10_000 {
            let id = ids.next();
            assert_eq!(id.len(), 36);
            assert!(id
                .bytes()
                .all(|b| b == b'-' || b.is_ascii_digit() || b.is_ascii_uppercase()));
            assert!(seen.insert(id));
        }
    }
}
