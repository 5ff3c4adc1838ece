//! Deterministic IDs: a splitmix64 stream from a seed, written as the API writes its IDs.

use crate::testing::splitmix::SplitMix64;

/// IDs from a splitmix64 stream, one output each: unique until the period ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct IdSource {
    rng: SplitMix64,
}

const ALPHABET: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
const HEX: &[u8; 16] = b"0123456789ABCDEF";

impl IdSource {
    pub(crate) fn new(seed: u64) -> Self {
        IdSource {
            rng: SplitMix64::new(seed),
        }
    }

    fn next_u64(&mut self) -> u64 {
        self.rng.next_u64()
    }

    /// `prefix` then one output in base 36, 13 lower-case characters: `s-`, `d-`, `i-`.
    pub(crate) fn resource_id(&mut self, prefix: &str) -> String {
        let mut value = self.next_u64();
        let mut digits = [b'0'; 13];
        for digit in digits.iter_mut().rev() {
            *digit = ALPHABET.get((value % 36) as usize).copied().unwrap_or(b'0');
            value /= 36;
        }
        let mut id = String::with_capacity(prefix.len() + digits.len());
        id.push_str(prefix);
        id.extend(digits.iter().map(|&b| char::from(b)));
        id
    }

    /// A RequestId as the API writes one: 32 upper-case hex digits as 8-4-4-4-12.
    pub(crate) fn request_id(&mut self) -> String {
        let value = u128::from(self.next_u64()) << 64 | u128::from(self.next_u64());
        let mut id = String::with_capacity(36);
        for i in 0..32 {
            if matches!(i, 8 | 12 | 16 | 20) {
                id.push('-');
            }
            let nibble = (value >> (124 - 4 * i)) & 0xF;
            id.push(char::from(
                HEX.get(nibble as usize).copied().unwrap_or(b'0'),
            ));
        }
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn splitmix64_reference_values() {
        // The first outputs for seed 0 (Vigna's reference implementation).
        let mut ids = IdSource::new(0);
        assert_eq!(ids.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(ids.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn ids_have_the_api_shape_and_are_unique() {
        let mut ids = IdSource::new(42);
        let mut seen = HashSet::new();
        for _ in 0..10_000 {
            let id = ids.resource_id("s-");
            assert_eq!(id.len(), 15);
            assert!(id[2..].bytes().all(|b| ALPHABET.contains(&b)));
            assert!(seen.insert(id));
        }
        let request_id = ids.request_id();
        assert_eq!(request_id.len(), 36);
        let groups: Vec<usize> = request_id.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert!(request_id.bytes().all(|b| b == b'-' || HEX.contains(&b)));
    }

    #[test]
    fn same_seed_same_ids() {
        let mut a = IdSource::new(7);
        let mut b = IdSource::new(7);
        assert_eq!(a.resource_id("d-"), b.resource_id("d-"));
        assert_eq!(a.request_id(), b.request_id());
        assert_ne!(
            IdSource::new(7).resource_id("d-"),
            IdSource::new(8).resource_id("d-")
        );
    }
}
