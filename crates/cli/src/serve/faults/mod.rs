//! Faults on demand, for testing clients' retries: a rate limit per caller (`Throttling`),
//! a share of calls answered `InternalError` or `ServiceUnavailable`, added latency, and
//! "the next N calls fail with code X" for any row of the catalogue.
//!
//! A call's fate is decided when it reaches the faults (after the action and the caller are
//! checked, before its parameters are read), under one lock, in this order: the next
//! queued failure; else the rate limit; else the shares. A faulted call is answered without
//! reaching the region, so it changes nothing there.
//!
//! Determinism: the latency's jitter and the shares are drawn from the seed, the caller and
//! the caller's call number (`draw`), so each caller meets the same faults on every run with
//! the same seed, however its calls interleave with other callers'. The queued failures go
//! to the next calls in the order they take the lock: with one client at a time that is its
//! order of calls; with concurrent clients, exactly N calls fail, and which ones is the
//! order they arrived in. The rate limit alone depends on the clock.

pub mod answer;
mod draw;
pub mod plan;
pub mod rate_limit;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::library::ApiError;
use serde_json::{json, Value};

use super::caller::Caller;
use draw::{caller_hash, draw, Purpose};
use plan::{FailNext, Plan};
use rate_limit::Bucket;

/// Callers remembered at once; a new one beyond them starts the memory afresh (every
/// caller's count and bucket), so that a flood of made-up AccessKeyIds cannot grow it.
pub const MAX_CALLERS: usize = 10_000;

/// The faults in force, and what they did.
pub struct Faults {
    state: Mutex<State>,
    /// The plan the server started with, for `reset`.
    initial: Plan,
}

struct State {
    plan: Plan,
    callers: HashMap<Caller, CallerState>,
    /// When the plan was set: the rate limit's time zero.
    since: Instant,
    /// Calls that reached the faults.
    calls: u64,
    /// Faulted calls, by code.
    faulted: BTreeMap<&'static str, u64>,
}

#[derive(Default)]
struct CallerState {
    hash: u64,
    calls: u64,
    bucket: Bucket,
}

/// What happens to one call.
#[derive(Debug)]
pub struct Verdict {
    /// How long it waits first.
    pub delay: Duration,
    /// The fault it is answered with, if any.
    pub fault: Option<ApiError>,
}

impl State {
    fn new(plan: Plan) -> State {
        State {
            plan,
            callers: HashMap::new(),
            since: Instant::now(),
            calls: 0,
            faulted: BTreeMap::new(),
        }
    }
}

impl Faults {
    /// Faults as `plan` says.
    pub fn new(plan: Plan) -> Faults {
        Faults {
            state: Mutex::new(State::new(plan.clone())),
            initial: plan,
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The fate of a call of `caller` arriving now.
    pub fn decide(&self, caller: &Caller) -> Verdict {
        let mut state = self.state();
        let now = u64::try_from(state.since.elapsed().as_nanos()).unwrap_or(u64::MAX);
        state.calls += 1;
        if !state.callers.contains_key(caller) && state.callers.len() >= MAX_CALLERS {
            state.callers.clear();
        }
        let State {
            plan,
            callers,
            faulted,
            ..
        } = &mut *state;
        let entry = callers
            .entry(caller.clone())
            .or_insert_with(|| CallerState {
                hash: caller_hash(&caller.to_string()),
                ..CallerState::default()
            });
        let n = entry.calls;
        entry.calls += 1;

        let jitter = match plan.latency_jitter_ms {
            0 => 0,
            most => draw(plan.seed, Purpose::Latency, entry.hash, n) % (most + 1),
        };
        let delay = plan.latency + Duration::from_millis(jitter);

        let fault = if let Some(next) = plan.fail_next.front_mut() {
            next.remaining -= 1;
            let error = next.answer.error();
            if next.remaining == 0 {
                plan.fail_next.pop_front();
            }
            Some(error)
        } else if plan
            .rate_limit
            .is_some_and(|limit| !limit.admit(&mut entry.bucket, now))
        {
            Some(answer::throttling())
        } else {
            let d = draw(plan.seed, Purpose::Failure, entry.hash, n);
            if plan.internal_error.holds(d, 0) {
                Some(answer::internal_error())
            } else if plan
                .service_unavailable
                .holds(d, plan.internal_error.threshold())
            {
                Some(answer::service_unavailable())
            } else {
                None
            }
        };
        if let Some(error) = &fault {
            *faulted.entry(answer::code_of(error)).or_default() += 1;
        }
        Verdict { delay, fault }
    }

    /// Replaces the plan: callers, counts and the rate limit's buckets start afresh.
    pub fn set(&self, plan: Plan) {
        *self.state() = State::new(plan);
    }

    /// Queues more failures after those queued.
    pub fn fail_next(&self, next: FailNext) {
        self.state().plan.fail_next.push_back(next);
    }

    /// Back to the plan the server started with.
    pub fn reset(&self) {
        self.set(self.initial.clone());
    }

    /// The plan in force, what is left of its queued failures, and counts.
    pub fn to_json(&self) -> Value {
        let state = self.state();
        let mut view = state.plan.to_json();
        view["calls"] = json!(state.calls);
        view["callers"] = json!(state.callers.len());
        view["faulted"] = json!(state.faulted);
        view
    }
}

#[cfg(test)]
mod tests {
    use super::plan::PlanText;
    use super::*;
    use std::net::{IpAddr, Ipv4Addr};

    fn faults(text: &str) -> Faults {
        Faults::new(
            serde_json::from_str::<PlanText>(text)
                .expect("JSON")
                .check(1)
                .expect("a plan"),
        )
    }

    fn key(id: &str) -> Caller {
        Caller::Key(id.to_owned())
    }

    /// Which of `calls` calls of `caller` are faulted, as a string of `x` and `.`.
    fn pattern(faults: &Faults, caller: &Caller, calls: usize) -> String {
        (0..calls)
            .map(|_| {
                if faults.decide(caller).fault.is_some() {
                    'x'
                } else {
                    '.'
                }
            })
            .collect()
    }

    #[test]
    fn a_callers_faults_do_not_depend_on_other_callers() {
        let plan = r#"{"seed": 5, "internal_error": 0.3, "service_unavailable": 0.1}"#;
        let alone = pattern(&faults(plan), &key("A"), 200);
        let mixed = faults(plan);
        let mut interleaved = String::new();
        for i in 0..200 {
            // B calls a varying number of times between A's calls.
            for _ in 0..(i % 3) {
                mixed.decide(&key("B"));
            }
            interleaved.push(if mixed.decide(&key("A")).fault.is_some() {
                'x'
            } else {
                '.'
            });
        }
        assert_eq!(interleaved, alone);
        assert!(alone.contains('x') && alone.contains('.'), "{alone}");
        // Another seed, other faults.
        let reseeded = pattern(
            &faults(r#"{"seed": 6, "internal_error": 0.3, "service_unavailable": 0.1}"#),
            &key("A"),
            200,
        );
        assert_ne!(reseeded, alone);
    }

    #[test]
    fn queued_failures_come_first_in_order_then_the_plan_goes_on() {
        let faults = faults(
            r#"{"fail_next": [{"count": 2, "code": "Throttling"},
                              {"count": 1, "code": "InvalidParameter", "detail": "DiskId"}]}"#,
        );
        let caller = Caller::Address(IpAddr::V4(Ipv4Addr::LOCALHOST));
        let codes: Vec<Option<String>> = (0..4)
            .map(|_| {
                faults
                    .decide(&caller)
                    .fault
                    .map(|e| answer::code_of(&e).to_owned())
            })
            .collect();
        assert_eq!(
            codes,
            [
                Some("Throttling".into()),
                Some("Throttling".into()),
                Some("InvalidParameter".into()),
                None
            ]
        );
        let view = faults.to_json();
        assert_eq!(view["fail_next"], json!([]));
        assert_eq!(
            view["faulted"],
            json!({"Throttling": 2, "InvalidParameter": 1})
        );
        assert_eq!(view["calls"], 4);
    }

    #[test]
    fn the_rate_limit_is_per_caller() {
        let faults = faults(r#"{"rate_limit": {"calls": 2, "seconds": 3600}}"#);
        let throttled = |caller: &Caller| {
            faults
                .decide(caller)
                .fault
                .map(|e| answer::code_of(&e).to_owned())
        };
        assert_eq!(throttled(&key("A")), None);
        assert_eq!(throttled(&key("A")), None);
        assert_eq!(throttled(&key("A")).as_deref(), Some("Throttling"));
        assert_eq!(throttled(&key("B")), None);
        // A new plan, fresh buckets.
        faults.reset();
        assert_eq!(throttled(&key("A")), None);
    }

    #[test]
    fn latency_is_the_base_plus_a_seeded_jitter() {
        let plan = r#"{"seed": 3, "latency_ms": 100, "latency_jitter_ms": 50}"#;
        let delays = |faults: &Faults| -> Vec<Duration> {
            (0..50).map(|_| faults.decide(&key("A")).delay).collect()
        };
        let first = delays(&faults(plan));
        assert_eq!(delays(&faults(plan)), first);
        assert!(first
            .iter()
            .all(|d| (Duration::from_millis(100)..=Duration::from_millis(150)).contains(d)));
        assert!(first.iter().any(|d| *d != first[0]), "{first:?}");
    }

    #[test]
    fn a_flood_of_callers_is_forgotten_rather_than_kept() {
        let faults = faults("{}");
        for i in 0..(MAX_CALLERS + 5) {
            faults.decide(&key(&format!("made-up-{i}")));
        }
        let remembered = faults.to_json()["callers"].as_u64().expect("a count");
        assert!(remembered <= MAX_CALLERS as u64, "{remembered}");
        assert_eq!(remembered, 5);
    }
}
