//! Eight bytes at a time: the word operations the JSON reader and the text rules scan with.

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

#[cfg(test)]
mod tests {
    use super::*;

    /// Eight bytes of `filler` with `byte` at `position`.
    fn with_byte(filler: u8, byte: u8, position: usize) -> u64 {
        let mut eight = [filler; 8];
        eight[position] = byte;
        word(&eight)
    }

    #[test]
    fn has_below_is_exact_for_every_byte_in_every_position() {
        for limit in [1u8, 0x20, 0x3b, 0x80] {
            for filler in [limit, 0x7f.max(limit), 0xff] {
                assert!(
                    !has_below(word(&[filler; 8]), limit),
                    "{filler:#x} < {limit:#x}"
                );
                for byte in 0..=255u8 {
                    for position in 0..8 {
                        let found = has_below(with_byte(filler, byte, position), limit);
                        assert_eq!(found, byte < limit, "{byte:#x} at {position}, {limit:#x}");
                    }
                }
            }
        }
    }

    #[test]
    fn has_byte_finds_exactly_that_byte() {
        for wanted in [b'"', b'\\', b':', 0, 0xff] {
            for byte in 0..=255u8 {
                for position in 0..8 {
                    let filler = if wanted == b'a' { b'b' } else { b'a' };
                    let found = has_byte(with_byte(filler, byte, position), wanted);
                    assert_eq!(found, byte == wanted, "{byte:#x} at {position}");
                }
            }
        }
    }

    #[test]
    fn starts_in_counts_the_bytes_that_start_a_character() {
        assert_eq!(starts_in(word(b"abcdefgh")), 8);
        assert_eq!(starts_in(word("é快xyz".as_bytes())), 5); // 2 + 3 + 1 + 1 + 1 bytes
        assert_eq!(starts_in(word(&[0x80; 8])), 0);
        assert_eq!(starts_in(word(&[0xc3; 8])), 8);
    }
}
