//! Eight bytes at a time: the word operations the text rules and the JSON reader scan with.

/// `0x01` in every byte.
pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Eight bytes (of a `chunks_exact(8)`) as a little-endian word.
pub(crate) fn word(bytes: &[u8]) -> u64 {
    let mut eight = [0u8; 8];
    eight.copy_from_slice(&bytes[..8]);
    u64::from_le_bytes(eight)
}

/// Whether a byte of `word` is below `limit` (at most 128): the classic test for a zero
/// byte, generalised.
pub(crate) fn has_below(word: u64, limit: u8) -> bool {
    word.wrapping_sub(ONES * u64::from(limit)) & !word & HIGHS != 0
}

/// Whether a byte of `word` is `byte`.
pub(crate) fn has_byte(word: u64, byte: u8) -> bool {
    has_below(word ^ (ONES * u64::from(byte)), 1)
}

/// How many of the eight bytes of `word` start a UTF-8 character: those whose top bit is
/// clear or whose second bit is set (all but the `10xxxxxx` continuation bytes).
pub(crate) fn starts_in(word: u64) -> usize {
    let starts = (!word >> 7 | word >> 6) & ONES;
    (starts.wrapping_mul(ONES) >> 56) as usize
}
