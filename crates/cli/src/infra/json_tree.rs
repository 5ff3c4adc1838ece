//! JSON into a [`Tree`] with positions (serde_json keeps none): for ROS templates and
//! Terraform's JSON syntax, where a finding must name its line.

use super::tree::{last_wins, Node, Tree, MAX_DEPTH};
use super::ReadFailure;
use crate::finding::Position;

/// The document `text`, each repeated key of an object keeping its last value (as
/// Python's `json`, which ROS reads templates with, keeps it), or the first syntax error
/// with its line and column.
pub fn parse(text: &str) -> Result<Node, ReadFailure> {
    read(text, true)
}

/// The document `text` with every entry of every object as written, repeated keys
/// included: for a tool that gives a repeated key a meaning of its own (Terraform merges
/// repeated block types and refuses repeated arguments).
pub fn parse_as_written(text: &str) -> Result<Node, ReadFailure> {
    read(text, false)
}

fn read(text: &str, keep_last: bool) -> Result<Node, ReadFailure> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader {
        bytes: text.as_bytes(),
        text,
        at: 0,
        line: 1,
        line_start: 0,
        column: std::cell::Cell::new((0, 0)),
        keep_last,
    };
    reader.blank();
    let node = reader.value(0)?;
    reader.blank();
    if reader.at < reader.bytes.len() {
        return Err(reader.error("trailing characters after the document"));
    }
    Ok(node)
}

struct Reader<'a> {
    bytes: &'a [u8],
    text: &'a str,
    at: usize,
    line: usize,
    line_start: usize,
    /// The last place a column was counted at, and that column (from 0): the reader only
    /// moves forward, so each character of a line is counted once, however long the line.
    column: std::cell::Cell<(usize, usize)>,
    /// Whether a repeated key keeps only its last value.
    keep_last: bool,
}

impl Reader<'_> {
    fn position(&self) -> Position {
        let (mut from, mut column) = self.column.get();
        if from < self.line_start || from > self.at {
            (from, column) = (self.line_start, 0);
        }
        column += self
            .text
            .get(from..self.at)
            .map_or(self.at - from, |s| s.chars().count());
        self.column.set((self.at, column));
        Position::new(self.line, column + 1)
    }

    fn error(&self, message: &str) -> ReadFailure {
        let p = self.position();
        ReadFailure::at(
            format!(
                "invalid JSON at line {}, column {}: {message}",
                p.line, p.column
            ),
            Some(p),
        )
    }

    fn blank(&mut self) {
        while let Some(&b) = self.bytes.get(self.at) {
            match b {
                b'\n' => {
                    self.at += 1;
                    self.line += 1;
                    self.line_start = self.at;
                }
                b' ' | b'\t' | b'\r' => self.at += 1,
                _ => break,
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, ReadFailure> {
        if depth > MAX_DEPTH {
            return Err(self.error("nested deeper than 128 levels"));
        }
        let position = self.position();
        let value = match self.bytes.get(self.at) {
            None => return Err(self.error("unexpected end of the document")),
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => Tree::String(self.string()?),
            Some(b't') => self.word("true", Tree::Bool(true))?,
            Some(b'f') => self.word("false", Tree::Bool(false))?,
            Some(b'n') => self.word("null", Tree::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(_) => return Err(self.error("expected a value")),
        };
        Ok(Node { value, position })
    }

    fn word(&mut self, word: &str, value: Tree) -> Result<Tree, ReadFailure> {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.error("expected a value"))
        }
    }

    fn number(&mut self) -> Result<Tree, ReadFailure> {
        let start = self.at;
        if self.bytes.get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        let digits = |r: &mut Self| {
            let from = r.at;
            while r.bytes.get(r.at).is_some_and(u8::is_ascii_digit) {
                r.at += 1;
            }
            r.at > from
        };
        if !digits(self) {
            return Err(self.error("expected a digit"));
        }
        if self.bytes.get(self.at) == Some(&b'.') {
            self.at += 1;
            if !digits(self) {
                return Err(self.error("expected a digit"));
            }
        }
        if matches!(self.bytes.get(self.at), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.bytes.get(self.at), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if !digits(self) {
                return Err(self.error("expected a digit"));
            }
        }
        Ok(Tree::Number(self.text[start..self.at].to_owned()))
    }

    fn string(&mut self) -> Result<String, ReadFailure> {
        self.at += 1; // the opening quote
        let mut out = String::new();
        loop {
            let start = self.at;
            while let Some(&b) = self.bytes.get(self.at) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.at += 1;
            }
            out.push_str(&self.text[start..self.at]);
            match self.bytes.get(self.at) {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    let escaped = match self.bytes.get(self.at) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.at += 1;
                            let c = self.unicode_escape()?;
                            out.push(c);
                            continue;
                        }
                        _ => return Err(self.error("invalid escape")),
                    };
                    self.at += 1;
                    out.push(escaped);
                }
                Some(_) => return Err(self.error("control character in a string")),
            }
        }
    }

    /// The four hexadecimal digits after `\u` (the `\u` read), and a low surrogate's when
    /// they are a high one.
    fn unicode_escape(&mut self) -> Result<char, ReadFailure> {
        let first = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&first) {
            if !self.bytes[self.at..].starts_with(b"\\u") {
                return Err(self.error("lone surrogate in an escape"));
            }
            self.at += 2;
            let second = self.hex4()?;
            if !(0xDC00..0xE000).contains(&second) {
                return Err(self.error("lone surrogate in an escape"));
            }
            0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        } else {
            first
        };
        char::from_u32(code).ok_or_else(|| self.error("lone surrogate in an escape"))
    }

    fn hex4(&mut self) -> Result<u32, ReadFailure> {
        let digits = self
            .text
            .get(self.at..self.at + 4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.error("invalid escape"))?;
        let value = u32::from_str_radix(digits, 16).map_err(|_| self.error("invalid escape"))?;
        self.at += 4;
        Ok(value)
    }

    fn array(&mut self, depth: usize) -> Result<Tree, ReadFailure> {
        self.at += 1;
        let mut items = Vec::new();
        self.blank();
        if self.bytes.get(self.at) == Some(&b']') {
            self.at += 1;
            return Ok(Tree::List(items));
        }
        loop {
            self.blank();
            items.push(self.value(depth + 1)?);
            self.blank();
            match self.bytes.get(self.at) {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Tree::List(items));
                }
                _ => return Err(self.error("expected `,` or `]`")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Tree, ReadFailure> {
        self.at += 1;
        let mut entries = Vec::new();
        self.blank();
        if self.bytes.get(self.at) == Some(&b'}') {
            self.at += 1;
            return Ok(Tree::Map(entries));
        }
        loop {
            self.blank();
            if self.bytes.get(self.at) != Some(&b'"') {
                return Err(self.error("expected a key in quotes"));
            }
            let position = self.position();
            let key = Node {
                value: Tree::String(self.string()?),
                position,
            };
            self.blank();
            if self.bytes.get(self.at) != Some(&b':') {
                return Err(self.error("expected `:`"));
            }
            self.at += 1;
            self.blank();
            let value = self.value(depth + 1)?;
            entries.push((key, value));
            self.blank();
            match self.bytes.get(self.at) {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    if self.keep_last {
                        entries = last_wins(entries);
                    }
                    return Ok(Tree::Map(entries));
                }
                _ => return Err(self.error("expected `,` or `}`")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_keep_their_places() {
        let node = parse("{\n  \"a\": [1, \"é\\u00e9\\ud83d\\ude00\"],\n  \"b\": null\n}").unwrap();
        let a = node.get("a").unwrap();
        assert_eq!(a.position, Position::new(2, 8));
        let Tree::List(items) = &a.value else {
            panic!()
        };
        assert_eq!(items[0].value, Tree::Number("1".into()));
        assert_eq!(items[1].value, Tree::String("éé😀".into()));
        assert_eq!(items[1].position, Position::new(2, 12));
        assert_eq!(node.get("b").unwrap().value, Tree::Null);
    }

    #[test]
    fn a_repeated_key_keeps_its_last_value_unless_read_as_written() {
        let text = "{\"a\": 1, \"b\": 2, \"a\": {\"c\": 3, \"c\": 4}}";
        let node = parse(text).unwrap();
        let Tree::Map(entries) = &node.value else {
            panic!()
        };
        let keys: Vec<_> = entries.iter().map(|(k, _)| k.scalar_text()).collect();
        assert_eq!(keys, [Some("b".to_owned()), Some("a".to_owned())]);
        let a = node.get("a").unwrap();
        assert_eq!(a.position, Position::new(1, 23));
        assert_eq!(a.get("c").unwrap().value, Tree::Number("4".into()));
        let written = parse_as_written(text).unwrap();
        assert_eq!(written.get_all("a").count(), 2);
        assert_eq!(written.get("a").unwrap().value, Tree::Number("1".into()));
        // Many keys, each repeated: one pass with an index, not a search per key.
        let mut many = String::from("{");
        for n in 0..100_000 {
            many.push_str(&format!("\"k{n}\": 0, \"k{n}\": {n},"));
        }
        many.push_str("\"end\": 0}");
        let Tree::Map(entries) = parse(&many).unwrap().value else {
            panic!()
        };
        assert_eq!(entries.len(), 100_001);
        assert_eq!(entries[99_999].1.value, Tree::Number("99999".into()));
    }

    #[test]
    fn errors_name_line_and_column() {
        let error = parse("{\n  \"a\" 1\n}").unwrap_err();
        assert_eq!(
            error.message,
            "invalid JSON at line 2, column 7: expected `:`"
        );
        let deep = "[".repeat(200_000);
        let error = parse(&deep).unwrap_err();
        assert_eq!(
            error.message,
            "invalid JSON at line 1, column 130: nested deeper than 128 levels"
        );
        assert!(parse("\"abc").is_err());
        assert!(parse("{\"a\": 1} x").is_err());
        assert!(parse("\"\\ud800\"").is_err());
    }
}
