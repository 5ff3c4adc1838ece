//! splitmix64 (Steele, Lea and Flood): the crate's one deterministic generator, for the
//! oracle's requests and the simulator's IDs. The same seed gives the same stream on every
//! machine, and every output is distinct until the 2^64-long period ends (each step adds an
//! odd constant to the state and the output mix is a bijection).

/// The generator's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SplitMix64(u64);

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `low..=high`.
    pub(crate) fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next_u64() % (high - low + 1)
    }

    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next_u64() % items.len() as u64) as usize]
    }

    /// A length in `low..=high` that lands on the bounds more often than chance would.
    pub(crate) fn length(&mut self, low: usize, high: usize) -> usize {
        match self.next_u64() % 4 {
            0 => low,
            1 => high,
            _ => self.between(low as u64, high as u64) as usize,
        }
    }

    pub(crate) fn text(&mut self, alphabet: &[char], length: usize) -> String {
        (0..length).map(|_| *self.pick(alphabet)).collect()
    }
}
