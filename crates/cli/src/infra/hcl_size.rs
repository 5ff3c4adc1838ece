//! How many entries the object constructors of an HCL text hold, counted in one pass before
//! the text is parsed. hcl-edit looks each new key of an object constructor up among the
//! keys before it, so one object of n entries costs n² (40,000 entries: seconds); block
//! bodies do not. An object past [`MAX_OBJECT_ENTRIES`] is refused before that parse.
//!
//! The pass knows just enough HCL to tell where an object is: quoted strings (with `\`
//! escapes, `$${`, and `${...}`/`%{...}` holding expressions), heredocs (skipped to their
//! closing line), comments (`#`, `//`, `/* */`), and which `{` opens an object (one after
//! `=`, `:`, `(`, `[`, `,`, `?`, `=>` or another `{`) rather than a block body (one after a
//! label). An object's entries are counted by the commas and line breaks directly in it,
//! which is at least its entries.

use super::ReadFailure;
use crate::finding::Position;

/// The most entries one object constructor may hold: parsed, it costs well under a second;
/// beyond, its cost grows with the square of its size.
pub const MAX_OBJECT_ENTRIES: usize = 20_000;

/// What the pass is inside of.
enum Frame {
    /// An object constructor: where it starts, and the commas and line breaks so far.
    Object { start: usize, separators: usize },
    /// A block body, parentheses or brackets: counted for nothing.
    Other,
    /// A quoted string.
    Text,
    /// `${...}` or `%{...}` in a string.
    Template,
}

/// `Ok` when every object constructor of `text` holds at most [`MAX_OBJECT_ENTRIES`]
/// entries.
///
/// # Errors
///
/// The first object past the bound, at the line and column of its `{`.
pub fn check_objects(text: &str) -> Result<(), ReadFailure> {
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    // The last byte of code seen (not a blank, not in a comment or a string): what comes
    // before a `{` tells an object from a block body.
    let mut previous = b'\n';
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if matches!(stack.last(), Some(Frame::Text)) {
            match b {
                b'\\' => i += 2,
                b'"' => {
                    stack.pop();
                    previous = b'"';
                    i += 1;
                }
                b'$' | b'%' if bytes.get(i + 1) == Some(&b) && bytes.get(i + 2) == Some(&b'{') => {
                    i += 3;
                }
                b'$' | b'%' if bytes.get(i + 1) == Some(&b'{') => {
                    stack.push(Frame::Template);
                    previous = b'{';
                    i += 2;
                }
                _ => i += 1,
            }
            continue;
        }
        match b {
            b'"' => stack.push(Frame::Text),
            b'#' => {
                i = line_end(bytes, i);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = line_end(bytes, i);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = text[i + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |end| i + 2 + end + 2);
                continue;
            }
            b'<' if bytes.get(i + 1) == Some(&b'<') => {
                if let Some(end) = heredoc_end(text, i) {
                    i = end;
                    previous = b'"';
                    continue;
                }
            }
            b'{' => {
                let object = matches!(
                    previous,
                    b'=' | b':' | b'(' | b'[' | b',' | b'?' | b'>' | b'{'
                );
                stack.push(if object {
                    Frame::Object {
                        start: i,
                        separators: 0,
                    }
                } else {
                    Frame::Other
                });
            }
            b'(' | b'[' => stack.push(Frame::Other),
            b'}' | b')' | b']' => {
                let closed = stack.pop();
                if matches!(closed, Some(Frame::Template)) {
                    // Back in the string the template is part of.
                    i += 1;
                    continue;
                }
            }
            b',' | b'\n' => {
                if let Some(Frame::Object { start, separators }) = stack.last_mut() {
                    *separators += 1;
                    if *separators > MAX_OBJECT_ENTRIES {
                        let at = position(text, *start);
                        return Err(ReadFailure::at(
                            format!(
                                "an object of more than {MAX_OBJECT_ENTRIES} entries at line {}, column {}: not read (parsing it would cost the square of its size)",
                                at.line, at.column
                            ),
                            Some(at),
                        ));
                    }
                }
            }
            _ => {}
        }
        if !b.is_ascii_whitespace() {
            previous = b;
        }
        i += 1;
    }
    Ok(())
}

/// Where the line holding byte `i` ends (at its `\n`, which is then read as a separator).
fn line_end(bytes: &[u8], i: usize) -> usize {
    bytes[i..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |end| i + end)
}

/// Past the heredoc that starts with the `<<` at `i` (`<<ID` or `<<-ID` and a line break),
/// at the line break that ends its closing line; `None` when `<<` starts none.
fn heredoc_end(text: &str, i: usize) -> Option<usize> {
    let rest = &text[i + 2..];
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    let name_len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
        .count();
    if name_len == 0 {
        return None;
    }
    let name = &rest[..name_len];
    let after_name = text.len() - rest.len() + name_len;
    let body_start = text[after_name..]
        .strip_prefix("\r\n")
        .or_else(|| text[after_name..].strip_prefix('\n'))
        .map(|body| text.len() - body.len())?;
    let mut line_start = body_start;
    while line_start < text.len() {
        let end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |n| line_start + n);
        if text[line_start..end].trim() == name {
            return Some(end);
        }
        line_start = end + 1;
    }
    Some(text.len())
}

/// The line and column (in characters) of byte `offset`.
fn position(text: &str, offset: usize) -> Position {
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
    Position::new(line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object_of(entries: usize, between: &str) -> String {
        let body: String = (0..entries)
            .map(|n| format!("k{n} = \"v\"{between}"))
            .collect();
        format!("resource \"alicloud_ecs_snapshot\" \"s\" {{\n  tags = {{\n{body}}}\n}}\n")
    }

    #[test]
    fn an_object_past_the_bound_is_refused_at_its_brace() {
        assert!(check_objects(&object_of(MAX_OBJECT_ENTRIES - 1, "\n")).is_ok());
        let error = check_objects(&object_of(MAX_OBJECT_ENTRIES + 1, ",")).unwrap_err();
        assert_eq!(
            error.message,
            "an object of more than 20000 entries at line 2, column 10: not read (parsing it would cost the square of its size)"
        );
        assert_eq!(error.position, Some(Position::new(2, 10)));
    }

    #[test]
    fn block_bodies_strings_comments_and_heredocs_count_for_nothing() {
        let many_lines = "\n".repeat(MAX_OBJECT_ENTRIES + 5);
        let commas = ",".repeat(MAX_OBJECT_ENTRIES + 5);
        let texts = [
            // A block body of many attributes.
            format!("locals {{{many_lines}}}"),
            // A string, a comment, a block comment and a heredoc full of separators.
            format!("x = {{ a = \"{commas}\" }}"),
            format!("x = {{ # {commas}\n}}"),
            format!("x = {{ /* {many_lines} */ }}"),
            format!("x = {{ a = <<EOT\n{many_lines}EOT\n}}"),
            format!("x = {{ a = <<-EOT\n{commas}\n  EOT\n}}"),
            // Braces in templates and escapes do not unbalance the count.
            format!("x = {{ a = \"${{ {{b = 1}}.b }} \\\" $${{ }}\" }}\nlocals {{{many_lines}}}"),
        ];
        for text in &texts {
            assert!(
                check_objects(text).is_ok(),
                "{}",
                &text[..text.len().min(60)]
            );
        }
    }

    #[test]
    fn unbalanced_and_truncated_text_ends_without_a_panic() {
        for text in [
            "}", "x = {", "\"${", "<<", "<<EOT", "<<EOT\n", "/*", "\"\\", "a = {{{{",
        ] {
            assert!(check_objects(text).is_ok(), "{text}");
        }
    }
}
