//! Byte offsets into line and column.

use crate::finding::Position;

/// Bytes between two checkpoints of the character count.
const STRIDE: usize = 64;

/// Where each line of a text starts, and how many characters come before every
/// [`STRIDE`]th byte, so that any offset becomes a position in `O(log n)` for the line and
/// at most `STRIDE` bytes counted for the column, whatever the order of the queries: a
/// file of one long line costs no more than one of many short ones.
pub struct LineIndex<'a> {
    bytes: &'a [u8],
    starts: Vec<usize>,
    /// `checkpoints[k]`: the characters in the first `k * STRIDE` bytes.
    checkpoints: Vec<usize>,
    /// Bytes counted by [`LineIndex::position`] so far, to hold it to its bound in tests.
    #[cfg(test)]
    scanned: std::cell::Cell<usize>,
}

/// A byte that starts a character (not a UTF-8 continuation byte).
fn starts_character(byte: u8) -> bool {
    byte & 0xC0 != 0x80
}

impl<'a> LineIndex<'a> {
    /// The index of `text`, in one pass over it.
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut checkpoints = Vec::with_capacity(bytes.len() / STRIDE + 1);
        let mut characters = 0;
        for (block, chunk) in bytes.chunks(STRIDE).enumerate() {
            checkpoints.push(characters);
            for (i, &b) in chunk.iter().enumerate() {
                if b == b'\n' {
                    starts.push(block * STRIDE + i + 1);
                }
                characters += usize::from(starts_character(b));
            }
        }
        checkpoints.push(characters);
        LineIndex {
            bytes,
            starts,
            checkpoints,
            #[cfg(test)]
            scanned: std::cell::Cell::new(0),
        }
    }

    /// The characters in the first `offset` bytes (a character cut by `offset` counts).
    fn characters_before(&self, offset: usize) -> usize {
        let block = offset / STRIDE;
        let from = block * STRIDE;
        #[cfg(test)]
        self.scanned.set(self.scanned.get() + (offset - from));
        self.checkpoints[block]
            + self.bytes[from..offset]
                .iter()
                .filter(|&&b| starts_character(b))
                .count()
    }

    /// The line and column (in characters, both from 1) of byte `offset`; an offset past
    /// the end is the end.
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.bytes.len());
        let line = self.starts.partition_point(|&start| start <= offset);
        let start = self.starts[line - 1];
        let column = self.characters_before(offset) - self.characters_before(start);
        Position::new(line, column + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_character_columns() {
        let index = LineIndex::new("ab\nçd\n\nx");
        assert_eq!(index.position(0), Position::new(1, 1));
        assert_eq!(index.position(2), Position::new(1, 3));
        assert_eq!(index.position(3), Position::new(2, 1));
        // `ç` is two bytes, one character.
        assert_eq!(index.position(5), Position::new(2, 2));
        assert_eq!(index.position(7), Position::new(3, 1));
        assert_eq!(index.position(8), Position::new(4, 1));
        assert_eq!(index.position(9), Position::new(4, 2));
        assert_eq!(index.position(99), Position::new(4, 2));
    }

    #[test]
    fn a_long_line_costs_a_bounded_count_per_query_in_any_order() {
        // One line of 200,000 two-byte characters, queried at every character, backwards:
        // counting from the line's start each time would scan 4 * 10^10 bytes.
        let text = "é".repeat(200_000);
        let index = LineIndex::new(&text);
        for n in (0..200_000).rev() {
            assert_eq!(index.position(2 * n), Position::new(1, n + 1));
        }
        assert!(
            index.scanned.get() <= 200_000 * 2 * STRIDE,
            "{} bytes scanned",
            index.scanned.get()
        );
        // Mixed lines: the same answers as counting by hand.
        let text = "a\u{1F600}b\nxyz\u{E9}\n\n\u{4E2D}\u{6587}q";
        let index = LineIndex::new(text);
        for (offset, _) in text.char_indices() {
            let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let expected = Position::new(
                text[..offset].matches('\n').count() + 1,
                text[line_start..offset].chars().count() + 1,
            );
            assert_eq!(index.position(offset), expected, "offset {offset}");
        }
    }
}
