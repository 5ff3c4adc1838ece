//! A rate limit per caller: a token bucket of `calls` tokens that refills at `calls` per
//! `seconds` (kept as the generic cell rate algorithm: one theoretical arrival time a caller).
//! The only fault that depends on time: a rate is a statement about time.

use serde::{Deserialize, Serialize};

/// At most `calls` calls in any `seconds`, in bursts of up to `calls`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimit {
    /// Calls allowed in each period, and the largest burst.
    pub calls: u32,
    /// The period, in seconds.
    pub seconds: f64,
}

impl RateLimit {
    /// A rate limit, or why it is not one.
    pub fn new(calls: u32, seconds: f64) -> Result<RateLimit, String> {
        let limit = RateLimit { calls, seconds };
        limit.check()?;
        Ok(limit)
    }

    /// Why the limit cannot be kept, if it cannot.
    pub fn check(&self) -> Result<(), String> {
        if self.calls == 0 {
            return Err("a rate limit allows at least 1 call".to_owned());
        }
        if !(self.seconds.is_finite() && self.seconds > 0.0 && self.seconds <= 1e9) {
            return Err("a rate limit's period is a number of seconds above 0".to_owned());
        }
        if self.interval() == 0 {
            return Err("a rate limit of more than one call a nanosecond".to_owned());
        }
        Ok(())
    }

    /// Nanoseconds between calls at the steady rate.
    fn interval(&self) -> u64 {
        (self.seconds * 1e9 / f64::from(self.calls)) as u64
    }

    /// Whether a call at `now` (nanoseconds since the faults were set) is within the limit,
    /// given the caller's `bucket`; a call within it takes a token, one beyond it none.
    pub fn admit(&self, bucket: &mut Bucket, now: u64) -> bool {
        let interval = self.interval();
        let tolerance = interval.saturating_mul(u64::from(self.calls) - 1);
        let arrival = bucket.theoretical_arrival.max(now);
        if arrival - now > tolerance {
            return false;
        }
        bucket.theoretical_arrival = arrival.saturating_add(interval);
        true
    }
}

/// One caller's bucket.
#[derive(Clone, Copy, Debug, Default)]
pub struct Bucket {
    theoretical_arrival: u64,
}

/// `CALLS/SECONDS` (e.g. `10/1`, `1/0.5`), as `--rate-limit` takes it.
pub fn parse(text: &str) -> Result<RateLimit, String> {
    let (calls, seconds) = text
        .split_once('/')
        .ok_or_else(|| format!("{text:?}: write CALLS/SECONDS, e.g. 10/1"))?;
    let calls = calls
        .trim()
        .parse()
        .map_err(|_| format!("{calls:?}: CALLS is a whole number from 1 to 4294967295"))?;
    let seconds = seconds
        .trim()
        .parse()
        .map_err(|_| format!("{seconds:?}: SECONDS is a number above 0"))?;
    RateLimit::new(calls, seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: u64 = 1_000_000_000;

    #[test]
    fn a_burst_of_calls_then_one_a_period_over_calls() {
        let limit = parse("3/3").expect("a limit");
        let mut bucket = Bucket::default();
        let at = |bucket: &mut Bucket, t: u64| limit.admit(bucket, t);
        assert!(at(&mut bucket, 0));
        assert!(at(&mut bucket, 0));
        assert!(at(&mut bucket, 0));
        assert!(!at(&mut bucket, 0));
        // A refused call takes no token: one second later, one token is back.
        assert!(!at(&mut bucket, SECOND - 1));
        assert!(at(&mut bucket, SECOND));
        assert!(!at(&mut bucket, SECOND));
        // After a long rest, a full burst again and no more.
        let rested = 100 * SECOND;
        assert_eq!((0..5).filter(|_| at(&mut bucket, rested)).count(), 3);
    }

    #[test]
    fn bad_limits_are_refused_with_a_reason() {
        for bad in [
            "10",
            "0/1",
            "1/0",
            "1/-1",
            "x/1",
            "1/x",
            "1/inf",
            "1/NaN",
            "4294967295/0.000001",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse(" 2 / 0.5 "),
            Ok(RateLimit {
                calls: 2,
                seconds: 0.5
            })
        );
    }
}
