//! The faults' random numbers. A draw is a pure function of the seed, what it is for, the
//! caller and the caller's call number: the faults one caller meets do not depend on how its
//! calls interleave with other callers' calls, nor on the clock.

/// What a draw decides; each purpose is a stream of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u64)]
pub enum Purpose {
    /// The added latency's jitter.
    Latency = 0x6C61_7465_6E63_7921,
    /// Whether a call fails with `InternalError` or `ServiceUnavailable`.
    Failure = 0x6661_696C_7572_6521,
}

/// The splitmix64 step: the golden gamma added, then its finaliser (a bijection of `u64`).
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a of a caller's name: the same on every machine and every run.
pub fn caller_hash(name: &str) -> u64 {
    name.bytes().fold(0xCBF2_9CE4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01B3)
    })
}

/// The draw for the `n`-th call (from 0) of the caller whose hash is `caller`.
pub fn draw(seed: u64, purpose: Purpose, caller: u64, n: u64) -> u64 {
    mix(mix(mix(seed ^ purpose as u64) ^ caller) ^ n)
}

/// A share of calls, from 0 to 1, as a threshold for draws: a draw below it is in the share.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Share {
    value: f64,
    threshold: u128,
}

impl Share {
    /// `value` of all calls; `None` unless it is a number from 0 to 1.
    pub fn new(value: f64) -> Option<Share> {
        if !(0.0..=1.0).contains(&value) {
            return None;
        }
        // 2^64 draws in all: the share's part of them, rounded down (1 is every draw).
        let threshold = (value * 18_446_744_073_709_551_616.0) as u128;
        Some(Share { value, threshold })
    }

    /// The share, as given.
    pub fn value(self) -> f64 {
        self.value
    }

    /// Whether a draw falls in the share, offset by `below` (an earlier share's threshold):
    /// shares laid one after another split the draws between them.
    pub fn holds(self, draw: u64, below: u128) -> bool {
        let draw = u128::from(draw);
        draw >= below && draw < below + self.threshold
    }

    /// Its threshold, for a share laid after it.
    pub fn threshold(self) -> u128 {
        self.threshold
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_depend_on_seed_purpose_caller_and_call_number_only() {
        let a = caller_hash("key:A");
        let b = caller_hash("key:B");
        assert_ne!(a, b);
        assert_eq!(caller_hash("key:A"), a);
        let base = draw(7, Purpose::Failure, a, 0);
        assert_eq!(draw(7, Purpose::Failure, a, 0), base);
        for other in [
            draw(8, Purpose::Failure, a, 0),
            draw(7, Purpose::Latency, a, 0),
            draw(7, Purpose::Failure, b, 0),
            draw(7, Purpose::Failure, a, 1),
        ] {
            assert_ne!(other, base);
        }
    }

    #[test]
    fn a_share_holds_that_share_of_draws() {
        let caller = caller_hash("ip:127.0.0.1");
        let internal = Share::new(0.2).expect("a share");
        let unavailable = Share::new(0.1).expect("a share");
        let calls = 100_000;
        let (mut first, mut second) = (0, 0);
        for n in 0..calls {
            let d = draw(1, Purpose::Failure, caller, n);
            let in_first = internal.holds(d, 0);
            let in_second = unavailable.holds(d, internal.threshold());
            assert!(!(in_first && in_second), "the shares overlap");
            first += u64::from(in_first);
            second += u64::from(in_second);
        }
        // Within 1% of all calls of what they should be.
        assert!((19_000..=21_000).contains(&first), "{first}");
        assert!((9_000..=11_000).contains(&second), "{second}");
    }

    #[test]
    fn the_extreme_shares_are_none_and_all() {
        let none = Share::new(0.0).expect("a share");
        let all = Share::new(1.0).expect("a share");
        for d in [0, 1, u64::MAX / 2, u64::MAX] {
            assert!(!none.holds(d, 0));
            assert!(all.holds(d, 0));
        }
        for bad in [-0.1, 1.01, f64::NAN, f64::INFINITY] {
            assert_eq!(Share::new(bad), None);
        }
    }
}
