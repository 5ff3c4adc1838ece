//! Byte offsets into line and column.

use crate::finding::Position;

/// Where each line of a text starts, to turn byte offsets into positions in `O(log n)`.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// The index of `text`.
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { text, starts }
    }

    /// The line and column (in characters, both from 1) of byte `offset`; an offset past
    /// the end is the end.
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&start| start <= offset);
        let start = self.starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |prefix| prefix.chars().count());
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
}
