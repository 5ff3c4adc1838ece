//! A fault plan: what the faults do, as the control API takes it in JSON and the flags build
//! it, checked once so that deciding a call's fate cannot fail.

use std::collections::VecDeque;
use std::time::Duration;

use serde::Deserialize;
use serde_json::{json, Value};

use super::answer::FaultAnswer;
use super::draw::Share;
use super::rate_limit::RateLimit;

/// The plan as written (`POST /_emulator/faults`); every field may be left out, and what is
/// left out is off.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanText {
    /// The seed of the draws; default: the server's `--seed`.
    pub seed: Option<u64>,
    /// A rate limit per caller, answered with `Throttling`.
    pub rate_limit: Option<RateLimit>,
    /// The share of calls answered `InternalError`.
    #[serde(default)]
    pub internal_error: f64,
    /// The share of calls answered `ServiceUnavailable`.
    #[serde(default)]
    pub service_unavailable: f64,
    /// Added to every call, in milliseconds.
    #[serde(default)]
    pub latency_ms: u64,
    /// Up to this many more milliseconds, drawn for each call.
    #[serde(default)]
    pub latency_jitter_ms: u64,
    /// The next calls that fail, in order.
    #[serde(default)]
    pub fail_next: Vec<FailNextText>,
}

/// "The next `count` calls fail with `code`" as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FailNextText {
    /// How many calls.
    pub count: u64,
    /// The code, as the API spells it.
    pub code: String,
    /// What the row's message needs (see `FaultAnswer::new`).
    #[serde(default)]
    pub detail: Option<String>,
}

/// The longest latency or jitter a plan may add: one hour.
pub const MAX_LATENCY_MS: u64 = 3_600_000;

/// A checked plan.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The seed of the draws.
    pub seed: u64,
    /// The rate limit per caller.
    pub rate_limit: Option<RateLimit>,
    /// The share answered `InternalError`.
    pub internal_error: Share,
    /// The share answered `ServiceUnavailable`, after those.
    pub service_unavailable: Share,
    /// Added to every call.
    pub latency: Duration,
    /// Up to this many more milliseconds.
    pub latency_jitter_ms: u64,
    /// The calls still to fail, in order.
    pub fail_next: VecDeque<FailNext>,
}

/// The next `remaining` calls fail with `answer`.
#[derive(Clone, Debug)]
pub struct FailNext {
    /// Calls still to fail so.
    pub remaining: u64,
    /// Their answer.
    pub answer: FaultAnswer,
}

impl FailNextText {
    /// Checked.
    pub fn check(&self) -> Result<FailNext, String> {
        if self.count == 0 {
            return Err("fail_next: count is at least 1".to_owned());
        }
        Ok(FailNext {
            remaining: self.count,
            answer: FaultAnswer::new(&self.code, self.detail.as_deref())
                .map_err(|e| format!("fail_next: {e}"))?,
        })
    }
}

impl PlanText {
    /// The plan, with `server_seed` when it names no seed, or what is wrong with it.
    pub fn check(&self, server_seed: u64) -> Result<Plan, String> {
        let share = |name: &str, value: f64| {
            Share::new(value).ok_or_else(|| format!("{name} is a share of calls, from 0 to 1"))
        };
        let internal_error = share("internal_error", self.internal_error)?;
        let service_unavailable = share("service_unavailable", self.service_unavailable)?;
        if self.internal_error + self.service_unavailable > 1.0 {
            return Err("internal_error and service_unavailable add up to more than 1".to_owned());
        }
        if let Some(limit) = &self.rate_limit {
            limit.check().map_err(|e| format!("rate_limit: {e}"))?;
        }
        for (name, value) in [
            ("latency_ms", self.latency_ms),
            ("latency_jitter_ms", self.latency_jitter_ms),
        ] {
            if value > MAX_LATENCY_MS {
                return Err(format!("{name} is at most {MAX_LATENCY_MS} (an hour)"));
            }
        }
        Ok(Plan {
            seed: self.seed.unwrap_or(server_seed),
            rate_limit: self.rate_limit,
            internal_error,
            service_unavailable,
            latency: Duration::from_millis(self.latency_ms),
            latency_jitter_ms: self.latency_jitter_ms,
            fail_next: self
                .fail_next
                .iter()
                .map(FailNextText::check)
                .collect::<Result<_, _>>()?,
        })
    }
}

impl Plan {
    /// The plan as `GET /_emulator/faults` shows it (the form `POST` takes, with what is left
    /// of `fail_next`).
    pub fn to_json(&self) -> Value {
        json!({
            "seed": self.seed,
            "rate_limit": self.rate_limit,
            "internal_error": self.internal_error.value(),
            "service_unavailable": self.service_unavailable.value(),
            "latency_ms": u64::try_from(self.latency.as_millis()).unwrap_or(u64::MAX),
            "latency_jitter_ms": self.latency_jitter_ms,
            "fail_next": self.fail_next.iter().map(|next| json!({
                "count": next.remaining,
                "code": next.answer.code(),
                "detail": next.answer.detail(),
            })).collect::<Vec<_>>(),
        })
    }
}

/// `COUNT:CODE[:DETAIL]`, as `--fail-next` takes it (e.g. `2:Throttling`,
/// `1:InvalidParameter:DiskId`).
pub fn parse_fail_next(text: &str) -> Result<FailNext, String> {
    let (count, rest) = text
        .split_once(':')
        .ok_or_else(|| format!("{text:?}: write COUNT:CODE or COUNT:CODE:DETAIL"))?;
    let count = count
        .parse()
        .map_err(|_| format!("{count:?}: COUNT is a whole number from 1"))?;
    let (code, detail) = match rest.split_once(':') {
        Some((code, detail)) => (code, Some(detail.to_owned())),
        None => (rest, None),
    };
    FailNextText {
        count,
        code: code.to_owned(),
        detail,
    }
    .check()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(text: &str) -> Result<Plan, String> {
        serde_json::from_str::<PlanText>(text)
            .map_err(|e| e.to_string())?
            .check(99)
    }

    #[test]
    fn an_empty_plan_is_no_fault_with_the_servers_seed() {
        let plan = plan("{}").expect("a plan");
        assert_eq!(
            plan.to_json(),
            json!({"seed": 99, "rate_limit": null, "internal_error": 0.0,
                   "service_unavailable": 0.0, "latency_ms": 0, "latency_jitter_ms": 0,
                   "fail_next": []})
        );
    }

    #[test]
    fn a_plan_reads_back_as_written() {
        let text = json!({"seed": 7, "rate_limit": {"calls": 5, "seconds": 2.0},
            "internal_error": 0.25, "service_unavailable": 0.5, "latency_ms": 30,
            "latency_jitter_ms": 10,
            "fail_next": [{"count": 2, "code": "Throttling", "detail": null},
                          {"count": 1, "code": "InvalidParameter", "detail": "DiskId"}]});
        assert_eq!(plan(&text.to_string()).expect("a plan").to_json(), text);
    }

    #[test]
    fn a_wrong_plan_says_what_is_wrong() {
        for (text, says) in [
            (r#"{"internal_error": 1.5}"#, "internal_error is a share"),
            (
                r#"{"internal_error": 0.6, "service_unavailable": 0.6}"#,
                "add up to more than 1",
            ),
            (
                r#"{"rate_limit": {"calls": 0, "seconds": 1}}"#,
                "at least 1 call",
            ),
            (r#"{"latency_ms": 3600001}"#, "at most 3600000"),
            (
                r#"{"fail_next": [{"count": 0, "code": "Throttling"}]}"#,
                "count is at least 1",
            ),
            (
                r#"{"fail_next": [{"count": 1, "code": "Nope"}]}"#,
                "no code of the catalogue",
            ),
            (r#"{"colour": 1}"#, "unknown field"),
        ] {
            let error = plan(text).expect_err(text);
            assert!(error.contains(says), "{text}: {error}");
        }
    }

    #[test]
    fn fail_next_flags_read_count_code_and_detail() {
        let next = parse_fail_next("3:Throttling").expect("a flag");
        assert_eq!(
            (next.remaining, next.answer.code(), next.answer.detail()),
            (3, "Throttling", None)
        );
        let next = parse_fail_next("1:InvalidParameter:Tag.1.Key").expect("a flag");
        assert_eq!(next.answer.detail(), Some("Tag.1.Key"));
        for bad in [
            "Throttling",
            "x:Throttling",
            "0:Throttling",
            "1:Nope",
            "1:Throttling:x",
        ] {
            assert!(parse_fail_next(bad).is_err(), "{bad}");
        }
    }
}
