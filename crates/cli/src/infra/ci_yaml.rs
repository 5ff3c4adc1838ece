//! CI files in YAML (GitHub Actions and Gitea workflows, GitLab CI, CircleCI, Drone, Azure
//! Pipelines, Taskfiles...): the
//! values of the keys that hold shell commands, read with the YAML parser and each read as
//! shell text by [`super::shell`], every character mapped back to its line and column in
//! the file. A plain, quoted, literal (`|`) or folded (`>`) scalar may hold the commands, or
//! a list of them (GitLab's `script:`).

use std::collections::HashMap;
use std::ops::Range;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

use super::position::LineIndex;
use super::shell::{self, Dialect, UNKNOWN};
use super::yaml_tree;
use super::Declarations;

/// Keys whose values CI systems run with a shell: GitHub Actions' and Gitea's `run`,
/// GitLab's `script`, `before_script` and `after_script` (Bitbucket's and Azure Pipelines'
/// `script` too), CircleCI's `command` (under `run`), Drone's, Woodpecker's and Buildkite's
/// `commands`, Azure Pipelines' `bash` step, and Task's `cmds` (with `cmd` in its items).
pub const SHELL_KEYS: &[&str] = &[
    "run",
    "script",
    "before_script",
    "after_script",
    "command",
    "commands",
    "bash",
    "cmds",
    "cmd",
];

/// A scalar that holds shell text: its value, style, and where its source starts (char
/// index, from the parser).
struct ShellText {
    value: String,
    style: ScalarStyle,
    start: usize,
}

enum Container {
    /// A mapping: its current key (when a scalar), whether a key comes next, where the
    /// current key's shell texts start (an index of the texts found), and the texts each
    /// earlier key's value holds, by key.
    Map {
        key: Option<String>,
        expecting_key: bool,
        texts_from: usize,
        texts_of: HashMap<String, Range<usize>>,
    },
    /// A sequence, and whether it is the value of a shell key.
    Sequence { of_shell_key: bool },
}

/// Whether the text a scalar or collection at this point stands for is a shell key's value;
/// and the step that follows it.
fn slot(stack: &mut [Container]) -> Slot {
    match stack.last_mut() {
        Some(Container::Map {
            key, expecting_key, ..
        }) if *expecting_key => {
            *expecting_key = false;
            *key = None;
            Slot::Key
        }
        Some(Container::Map {
            key, expecting_key, ..
        }) => {
            *expecting_key = true;
            let shell = key.as_deref().is_some_and(|k| SHELL_KEYS.contains(&k));
            Slot::Value { shell }
        }
        Some(Container::Sequence { of_shell_key }) => Slot::Value {
            shell: *of_shell_key,
        },
        None => Slot::Value { shell: false },
    }
}

enum Slot {
    Key,
    Value { shell: bool },
}

/// The calls of the CI file `text`.
pub fn read(text: &str) -> Declarations {
    // No call without the word: a file that never names the CLI (a Helm template, which is
    // not YAML until rendered) is not parsed at all.
    if !text.contains("aliyun") {
        return Ok(Vec::new());
    }
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - body.len();
    let mut found_texts: Vec<Option<ShellText>> = Vec::new();
    let mut stack: Vec<Container> = Vec::new();
    for event in Parser::new_from_str(body) {
        let (event, span) = event.map_err(yaml_tree::syntax_error)?;
        if matches!(
            event,
            Event::MappingStart(..)
                | Event::SequenceStart(..)
                | Event::Scalar(..)
                | Event::Alias(_)
                | Event::MappingEnd
        ) {
            end_of_value(&mut stack, &mut found_texts, &event);
        }
        match event {
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let shell = matches!(slot(&mut stack), Slot::Value { shell: true });
                stack.push(if matches!(event, Event::MappingStart(..)) {
                    Container::Map {
                        key: None,
                        expecting_key: true,
                        texts_from: 0,
                        texts_of: HashMap::new(),
                    }
                } else {
                    Container::Sequence {
                        of_shell_key: shell,
                    }
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
            }
            Event::Scalar(value, style, _, _) => match slot(&mut stack) {
                Slot::Key => {
                    if let Some(Container::Map {
                        key, texts_from, ..
                    }) = stack.last_mut()
                    {
                        *key = Some(value.into_owned());
                        *texts_from = found_texts.len();
                    }
                }
                Slot::Value { shell: true } => found_texts.push(Some(ShellText {
                    value: value.into_owned(),
                    style,
                    start: start_of(&span),
                })),
                Slot::Value { shell: false } => {}
            },
            Event::Alias(_) => {
                slot(&mut stack);
            }
            _ => {}
        }
    }
    let index = LineIndex::new(text);
    let mut cursor = CharCursor::default();
    let mut found = Vec::new();
    for shell_text in found_texts.into_iter().flatten() {
        let source = bom + cursor.byte_of(body, shell_text.start);
        let map = source_offsets(text, source, shell_text.style, &shell_text.value);
        let (value, map) = templates_unknown(&shell_text.value, map);
        let at = |offset: usize| index.position(map[offset.min(map.len() - 1)]);
        shell::scan_into(&value, Dialect::Shell, &at, &mut found)?;
    }
    Ok(found)
}

/// The CI system's own expressions, which it substitutes into the text before the shell
/// reads it (GitHub Actions' and Gitea's `${{ ... }}`, GitLab's `$[[ ... ]]`): each is
/// replaced by [`shell::UNKNOWN`] around the text it is shown by, so that its word is not
/// known in any quoting, single quotes included; `map` (a file offset for each byte of
/// `value`) follows, each byte of a replacement placed at the expression's start.
fn templates_unknown(value: &str, map: Vec<usize>) -> (String, Vec<usize>) {
    if !value.contains("${{") && !value.contains("$[[") {
        return (value.to_owned(), map);
    }
    let mut text = String::with_capacity(value.len());
    let mut places = Vec::with_capacity(map.len());
    let mut i = 0;
    while i < value.len() {
        let rest = &value[i..];
        let template = [("${{", "}}"), ("$[[", "]]")]
            .into_iter()
            .find(|(open, _)| rest.starts_with(open))
            .and_then(|(open, close)| {
                let end = rest[open.len()..].find(close)? + open.len() + close.len();
                Some((open, close, end))
            });
        match template {
            Some((open, close, end)) => {
                let inner = rest[open.len()..end - close.len()].trim();
                let plain = !inner.is_empty()
                    && inner.len() <= 64
                    && inner
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
                let shown = if plain { inner } else { "…" };
                let replacement = format!("{UNKNOWN}{open} {shown} {close}{UNKNOWN}");
                let at = map.get(i).copied().unwrap_or_default();
                places.extend(std::iter::repeat_n(at, replacement.len()));
                text.push_str(&replacement);
                i += end;
            }
            None => {
                let ch = rest.chars().next().expect("a character");
                text.push(ch);
                places.extend_from_slice(&map[i..(i + ch.len_utf8()).min(map.len())]);
                i += ch.len_utf8();
            }
        }
    }
    (text, places)
}

/// Before a mapping's next key (or its end): the texts its current key's value held are
/// that key's; when the key was given before, the earlier value's texts are dropped, for
/// the CI systems keep a repeated key's last value (or refuse the file), never run both.
fn end_of_value(stack: &mut [Container], found: &mut [Option<ShellText>], event: &Event) {
    let Some(Container::Map {
        key,
        expecting_key: true,
        texts_from,
        texts_of,
    }) = stack.last_mut()
    else {
        return;
    };
    // A mapping's end, or a key's start (a value is read with expecting_key false).
    if !matches!(event, Event::MappingEnd) && !key_starts(event) {
        return;
    }
    let Some(name) = key.take() else {
        return;
    };
    let texts = *texts_from..found.len();
    if let Some(earlier) = texts_of.insert(name, texts) {
        found[earlier].iter_mut().for_each(|t| *t = None);
    }
}

fn key_starts(event: &Event) -> bool {
    matches!(
        event,
        Event::MappingStart(..) | Event::SequenceStart(..) | Event::Scalar(..) | Event::Alias(_)
    )
}

fn start_of(span: &Span) -> usize {
    span.start.index()
}

/// Turns the parser's character indices into byte offsets, moving forward only (the
/// scalars come in document order), so that a file costs one pass.
#[derive(Default)]
struct CharCursor {
    chars: usize,
    bytes: usize,
}

impl CharCursor {
    fn byte_of(&mut self, text: &str, index: usize) -> usize {
        if index < self.chars {
            *self = CharCursor::default();
        }
        for ch in text[self.bytes..].chars() {
            if self.chars == index {
                break;
            }
            self.chars += 1;
            self.bytes += ch.len_utf8();
        }
        self.bytes
    }
}

/// For each byte of `value` (and one past its end), the byte offset in `text` of the
/// character it comes from, for a scalar of `style` whose source starts at `start`.
///
/// The value is matched against its source character by character: line folding (a line
/// break that became a space, or fewer breaks), indentation, a block scalar's header, and the
/// escapes of quoted scalars are stepped over. Where the value cannot be matched (a form
/// this does not follow), every byte is placed at the scalar's start.
fn source_offsets(text: &str, start: usize, style: ScalarStyle, value: &str) -> Vec<usize> {
    matched(text, start, style, value).unwrap_or_else(|| vec![start; value.len() + 1])
}

fn matched(text: &str, start: usize, style: ScalarStyle, value: &str) -> Option<Vec<usize>> {
    let src = text.as_bytes();
    let mut p = start;
    // An anchor or a tag before the scalar.
    while matches!(src.get(p), Some(b'&' | b'!')) {
        while src.get(p).is_some_and(|b| !b.is_ascii_whitespace()) {
            p += 1;
        }
        while matches!(src.get(p), Some(b' ' | b'\t')) {
            p += 1;
        }
    }
    match style {
        ScalarStyle::Literal | ScalarStyle::Folded => {
            // The header line (`|-`, `>2`, a comment) holds none of the value.
            if matches!(src.get(p), Some(b'|' | b'>')) {
                p += src[p..].iter().position(|&b| b == b'\n')? + 1;
            }
        }
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => p += 1,
        _ => {}
    }
    let mut map = Vec::with_capacity(value.len() + 1);
    let mut chars = value.chars().peekable();
    while let Some(&vc) = chars.peek() {
        let Some(&sc) = src.get(p) else {
            // Line breaks a block scalar keeps past the end of the file.
            if chars.all(|c| c.is_whitespace()) {
                break;
            }
            return None;
        };
        if style == ScalarStyle::DoubleQuoted && sc == b'\\' {
            match src.get(p + 1)? {
                b'\n' => {
                    // An escaped line break: nothing, and the next line's indentation.
                    p += 2;
                    while matches!(src.get(p), Some(b' ' | b'\t')) {
                        p += 1;
                    }
                    continue;
                }
                b'\r' if src.get(p + 2) == Some(&b'\n') => {
                    p += 3;
                    while matches!(src.get(p), Some(b' ' | b'\t')) {
                        p += 1;
                    }
                    continue;
                }
                _ => {}
            }
            let (escaped, length) = escape(&src[p + 1..])?;
            if escaped != vc {
                return None;
            }
            map.extend(std::iter::repeat_n(p, vc.len_utf8()));
            chars.next();
            p += 1 + length;
            continue;
        }
        if style == ScalarStyle::SingleQuoted && sc == b'\'' && src.get(p + 1) == Some(&b'\'') {
            if vc != '\'' {
                return None;
            }
            map.push(p);
            chars.next();
            p += 2;
            continue;
        }
        let ch = text[p..].chars().next()?;
        if ch == vc {
            map.extend(std::iter::repeat_n(p, vc.len_utf8()));
            chars.next();
            p += ch.len_utf8();
        } else if matches!(sc, b' ' | b'\t' | b'\r' | b'\n') {
            if matches!(vc, ' ' | '\n') {
                // A folded line break (or kept breaks) stands where the source's blanks
                // start.
                map.push(p);
                chars.next();
            } else {
                p += 1;
            }
        } else {
            return None;
        }
    }
    map.resize(value.len() + 1, p);
    Some(map)
}

/// The character a double-quoted scalar's escape stands for (`rest` after the backslash),
/// and the bytes it takes after the backslash.
fn escape(rest: &[u8]) -> Option<(char, usize)> {
    let simple = match rest.first()? {
        b'0' => '\0',
        b'a' => '\u{7}',
        b'b' => '\u{8}',
        b't' | b'\t' => '\t',
        b'n' => '\n',
        b'v' => '\u{b}',
        b'f' => '\u{c}',
        b'r' => '\r',
        b'e' => '\u{1b}',
        b' ' => ' ',
        b'"' => '"',
        b'/' => '/',
        b'\\' => '\\',
        b'N' => '\u{85}',
        b'_' => '\u{a0}',
        b'L' => '\u{2028}',
        b'P' => '\u{2029}',
        b'x' => return hex(rest, 2),
        b'u' => return hex(rest, 4),
        b'U' => return hex(rest, 8),
        _ => return None,
    };
    Some((simple, 1))
}

fn hex(rest: &[u8], digits: usize) -> Option<(char, usize)> {
    let text = std::str::from_utf8(rest.get(1..1 + digits)?).ok()?;
    let code = u32::from_str_radix(text, 16).ok()?;
    Some((char::from_u32(code)?, 1 + digits))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Position;

    /// Each call's place and the places of its parameters' values.
    fn places(text: &str) -> Vec<(String, Vec<(String, Position)>)> {
        read(text)
            .unwrap()
            .into_iter()
            .map(|call| {
                let p = call.position.unwrap();
                let values = call
                    .parameters
                    .iter()
                    .map(|v| (format!("{}={}", v.name, v.value), v.position.unwrap()))
                    .collect();
                (format!("{}:{}", p.line, p.column), values)
            })
            .collect()
    }

    #[test]
    fn every_style_of_scalar_maps_back_to_its_lines_and_columns() {
        let text = "\
jobs:
  a:
    steps:
      - run: aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName plain
      - run: \"aliyun ecs CreateSnapshot --DiskId \\\"d-2\\\" --SnapshotName dq\"
      - run: 'aliyun ecs CreateSnapshot --DiskId ''d-3'' --SnapshotName sq'
      - run: |
          echo \"aliyun ecs CreateSnapshot --DiskId nope\"
          aliyun ecs CreateSnapshot \\
            --DiskId d-4
      - run: >
          aliyun ecs CreateSnapshot
          --DiskId d-5
          --SnapshotName folded
      - run: aliyun ecs CreateSnapshot
          --DiskId d-6
job2:
  script:
    - echo start
    - aliyun --region cn-hangzhou ecs CreateSnapshot --DiskId d-7
  image: aliyun ecs CreateSnapshot --DiskId not-a-command
";
        let p = Position::new;
        let s = |a: &str| a.to_owned();
        assert_eq!(
            places(text),
            [
                (
                    s("4:14"),
                    vec![
                        (s("DiskId=d-1"), p(4, 49)),
                        (s("SnapshotName=plain"), p(4, 68))
                    ]
                ),
                (
                    s("5:15"),
                    vec![
                        (s("DiskId=d-2"), p(5, 50)),
                        (s("SnapshotName=dq"), p(5, 73))
                    ]
                ),
                (
                    s("6:15"),
                    vec![
                        (s("DiskId=d-3"), p(6, 50)),
                        (s("SnapshotName=sq"), p(6, 73))
                    ]
                ),
                (s("9:11"), vec![(s("DiskId=d-4"), p(10, 22))]),
                (
                    s("12:11"),
                    vec![
                        (s("DiskId=d-5"), p(13, 20)),
                        (s("SnapshotName=folded"), p(14, 26))
                    ]
                ),
                (s("15:14"), vec![(s("DiskId=d-6"), p(16, 20))]),
                (s("20:7"), vec![(s("DiskId=d-7"), p(20, 63))]),
            ]
        );
    }

    #[test]
    fn a_file_without_the_cli_is_not_parsed_and_bad_yaml_is_an_error() {
        assert_eq!(read("{{ template }}\n: :\n").unwrap(), Vec::new());
        let error = read("run: 'aliyun\n").unwrap_err();
        assert!(
            error.message.starts_with("invalid YAML at line "),
            "{}",
            error.message
        );
    }
}
