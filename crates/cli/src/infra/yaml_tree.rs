//! YAML into a [`Tree`] with positions, from `saphyr-parser`'s events (D151). Built with an
//! explicit stack and a depth limit; aliases and nodes with a local tag (ROS's `!Ref`,
//! `!GetAtt`, `!Sub`) are unknown values, so that no alias is expanded.

use std::borrow::Cow;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span, Tag};

use super::tree::{Node, Tree, MAX_DEPTH};
use super::ReadFailure;
use crate::finding::Position;

fn position(span: &Span) -> Position {
    Position::new(span.start.line(), span.start.col() + 1)
}

/// The parser's refusal of a file that is not YAML, at its line and column.
pub fn syntax_error(error: ScanError) -> ReadFailure {
    let p = Position::new(error.marker().line(), error.marker().col() + 1);
    ReadFailure::at(
        format!(
            "invalid YAML at line {}, column {}: {}",
            p.line,
            p.column,
            error.info()
        ),
        Some(p),
    )
}

enum Frame {
    List(Vec<Node>),
    Map(Vec<(Node, Node)>, Option<Node>),
}

struct Open {
    frame: Frame,
    position: Position,
    unknown: bool,
}

/// A tag the document defines for its tool (`!Ref`), not one of YAML's own (`!!str`).
fn is_local(tag: &Option<Cow<'_, Tag>>) -> bool {
    tag.as_ref().is_some_and(|t| !t.is_yaml_core_schema())
}

/// A plain scalar as the core schema reads it.
fn plain(text: &str) -> Tree {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => Tree::Null,
        "true" | "True" | "TRUE" => Tree::Bool(true),
        "false" | "False" | "FALSE" => Tree::Bool(false),
        _ if looks_numeric(text) => Tree::Number(text.to_owned()),
        _ => Tree::String(text.to_owned()),
    }
}

fn looks_numeric(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && digits.bytes().filter(|&b| b == b'.').count() <= 1
        && digits.bytes().any(|b| b.is_ascii_digit())
}

/// The first document of `text`, or the parser's error with its line and column.
pub fn parse(text: &str) -> Result<Node, ReadFailure> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut stack: Vec<Open> = Vec::new();
    let mut root: Option<Node> = None;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(syntax_error)?;
        let node = match event {
            Event::SequenceStart(_, ref tag) | Event::MappingStart(_, ref tag) => {
                if stack.len() >= MAX_DEPTH {
                    let p = position(&span);
                    return Err(ReadFailure::at(
                        format!(
                            "invalid YAML at line {}, column {}: nested deeper than {MAX_DEPTH} levels",
                            p.line, p.column
                        ),
                        Some(p),
                    ));
                }
                let frame = if matches!(event, Event::SequenceStart(..)) {
                    Frame::List(Vec::new())
                } else {
                    Frame::Map(Vec::new(), None)
                };
                stack.push(Open {
                    frame,
                    position: position(&span),
                    unknown: is_local(tag),
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let open = stack.pop().expect("the parser balances starts and ends");
                let value = if open.unknown {
                    Tree::Unknown
                } else {
                    match open.frame {
                        Frame::List(items) => Tree::List(items),
                        Frame::Map(entries, _) => Tree::Map(entries),
                    }
                };
                Node {
                    value,
                    position: open.position,
                }
            }
            Event::Scalar(text, style, _, tag) => {
                let value = if is_local(&tag) {
                    Tree::Unknown
                } else if style == ScalarStyle::Plain && tag.is_none() {
                    plain(&text)
                } else {
                    Tree::String(text.into_owned())
                };
                Node {
                    value,
                    position: position(&span),
                }
            }
            Event::Alias(_) => Node {
                value: Tree::Unknown,
                position: position(&span),
            },
            Event::DocumentEnd if root.is_some() => break,
            _ => continue,
        };
        match stack.last_mut() {
            None => root = Some(node),
            Some(Open {
                frame: Frame::List(items),
                ..
            }) => items.push(node),
            Some(Open {
                frame: Frame::Map(entries, key),
                ..
            }) => match key.take() {
                None => *key = Some(node),
                Some(k) => entries.push((k, node)),
            },
        }
    }
    Ok(root.unwrap_or(Node {
        value: Tree::Null,
        position: Position::new(1, 1),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_lists_maps_and_tags_keep_their_places() {
        let text = "\
Resources:
  Snap:
    Type: ALIYUN::ECS::Snapshot
    Properties:
      DiskId: !Ref Disk
      RetentionDays: 7
      SnapshotName: '1st'
      Tags:
        - Key: a
          Value: ~
";
        let root = parse(text).unwrap();
        let properties = root
            .get("Resources")
            .unwrap()
            .get("Snap")
            .unwrap()
            .get("Properties")
            .unwrap();
        assert_eq!(properties.get("DiskId").unwrap().value, Tree::Unknown);
        let days = properties.get("RetentionDays").unwrap();
        assert_eq!(days.value, Tree::Number("7".into()));
        assert_eq!(days.position, Position::new(6, 22));
        assert_eq!(
            properties.get("SnapshotName").unwrap().value,
            Tree::String("1st".into())
        );
        let Tree::List(tags) = &properties.get("Tags").unwrap().value else {
            panic!()
        };
        assert_eq!(tags[0].position, Position::new(9, 11));
        assert_eq!(tags[0].get("Value").unwrap().value, Tree::Null);
    }

    #[test]
    fn deep_nesting_and_bad_syntax_are_errors_with_places() {
        // Flow style: the parser's own limit; block style: this reader's.
        let deep = "[".repeat(100_000);
        let error = parse(&deep).unwrap_err();
        assert_eq!(
            error.message,
            "invalid YAML at line 1, column 256: recursion limit exceeded"
        );
        let mut block = String::new();
        for depth in 0..200 {
            block.push_str(&" ".repeat(depth));
            block.push_str("a:\n");
        }
        let error = parse(&block).unwrap_err();
        assert_eq!(
            error.message,
            "invalid YAML at line 129, column 129: nested deeper than 128 levels"
        );
        let error = parse("a: 'unterminated\n").unwrap_err();
        assert!(
            error.message.starts_with("invalid YAML at line "),
            "{}",
            error.message
        );
        // Aliases are not expanded: a billion laughs is a few nodes.
        let laughs = "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n";
        let root = parse(laughs).unwrap();
        let Tree::List(c) = &root.get("c").unwrap().value else {
            panic!()
        };
        assert_eq!(c[0].value, Tree::Unknown);
    }
}
