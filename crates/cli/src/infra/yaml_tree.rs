//! YAML into a [`Tree`] with positions, from `saphyr-parser`'s events (D151). Built with an
//! explicit stack and a depth limit; aliases and nodes with a local tag (ROS's `!Ref`,
//! `!GetAtt`, `!Sub`) are unknown values, but an alias a merge key (`<<`) merges, which is
//! copied within a budget linear in the file. Each key of a mapping is kept once, with its
//! last value.

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span, Tag};

use super::tree::{last_wins, Node, Tree, MAX_DEPTH};
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
    /// Entries, the key waiting for its value and whether it is a merge key (`<<`), and the
    /// values of the merge keys.
    Map {
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
        key_merges: bool,
        merges: Vec<Node>,
    },
}

struct Open {
    frame: Frame,
    position: Position,
    unknown: bool,
    /// The anchor's id, 0 for none.
    anchor: usize,
}

/// What a document may copy through merge keys: nodes copied in all (anchored mappings
/// kept, and merged), at most four per byte of the file plus a floor, so that a file of
/// aliases of aliases (a billion laughs) is refused in time linear in its size.
fn copy_budget(text: &str) -> usize {
    text.len().saturating_mul(4).saturating_add(100_000)
}

fn invalid(position: Position, message: &str) -> ReadFailure {
    ReadFailure::at(
        format!(
            "invalid YAML at line {}, column {}: {message}",
            position.line, position.column
        ),
        Some(position),
    )
}

/// The nodes under `node` and itself, and its height (0 for a scalar). Recursion is bounded:
/// every node of the tree is at most [`MAX_DEPTH`] deep.
fn measure(node: &Node) -> (usize, usize) {
    let children: Box<dyn Iterator<Item = &Node>> = match &node.value {
        Tree::List(items) => Box::new(items.iter()),
        Tree::Map(entries) => Box::new(entries.iter().flat_map(|(k, v)| [k, v])),
        _ => Box::new(std::iter::empty()),
    };
    children.fold((1, 0), |(size, height), child| {
        let (s, h) = measure(child);
        (size + s, height.max(h + 1))
    })
}

/// Takes `cost` nodes from `budget`, or refuses at `position`.
fn spend(budget: &mut usize, cost: usize, position: Position) -> Result<(), ReadFailure> {
    *budget = budget.checked_sub(cost).ok_or_else(|| {
        invalid(
            position,
            "merge keys (<<) copy more nodes than the file may",
        )
    })?;
    Ok(())
}

/// Whether a node that comes now is the value of a merge key, or an item of its list.
fn merging(stack: &[Open]) -> bool {
    let merge_value = |open: &Open| {
        matches!(
            open.frame,
            Frame::Map {
                key: Some(_),
                key_merges: true,
                ..
            }
        )
    };
    match stack {
        [.., last] if merge_value(last) => true,
        [.., parent, last] => matches!(last.frame, Frame::List(_)) && merge_value(parent),
        _ => false,
    }
}

/// A mapping's entries with its merge keys applied as YAML 1.1 (and PyYAML, which ROS
/// loads templates with) applies them: a merged mapping's entries under the explicit
/// ones, a list's earlier mappings over its later ones, and each key once, its last value.
fn close_map(
    entries: Vec<(Node, Node)>,
    merges: Vec<Node>,
) -> Result<Vec<(Node, Node)>, ReadFailure> {
    if merges.is_empty() {
        return Ok(last_wins(entries));
    }
    let not_a_mapping =
        |at: Position| invalid(at, "a merge key (<<) takes a mapping or a list of mappings");
    let mut all = Vec::new();
    for merge in merges {
        match merge.value {
            Tree::Map(merged) => all.extend(merged),
            Tree::List(items) => {
                let mut maps = Vec::with_capacity(items.len());
                for item in items {
                    match item.value {
                        Tree::Map(merged) => maps.push(merged),
                        _ => return Err(not_a_mapping(item.position)),
                    }
                }
                all.extend(maps.into_iter().rev().flatten());
            }
            _ => return Err(not_a_mapping(merge.position)),
        }
    }
    all.extend(entries);
    Ok(last_wins(all))
}

/// `!Ref NAME`, ROS's short form of `{Ref: NAME}`: read as the long form, so that the
/// template's reader tells a reference to a parameter from other values.
fn short_reference(tag: &Option<Cow<'_, Tag>>) -> bool {
    tag.as_ref()
        .is_some_and(|t| t.handle == "!" && t.suffix == "Ref")
}

/// A tag the document defines for its tool (`!Ref`), not one of YAML's own (`!!str`).
fn is_local(tag: &Option<Cow<'_, Tag>>) -> bool {
    tag.as_ref().is_some_and(|t| !t.is_yaml_core_schema())
}

/// A plain scalar as ROS's loader reads it: PyYAML's resolver, which follows YAML 1.1
/// (`yes`, `on`, `off` are booleans; `0x1e`, `0o`-less octal `012`, `1_000` and `1:30` are
/// integers), integers given in decimal, as the value then travels.
fn plain(text: &str) -> Tree {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => Tree::Null,
        "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => Tree::Bool(true),
        "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => {
            Tree::Bool(false)
        }
        _ => match yaml11_integer(text) {
            Some(decimal) => Tree::Number(decimal),
            None if looks_numeric(text) => Tree::Number(text.to_owned()),
            None => Tree::String(text.to_owned()),
        },
    }
}

/// A plain key: the null and the core schema's booleans (so that `true` and `True` are one
/// key), any other text as written.
fn core_plain(text: &str) -> Tree {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => Tree::Null,
        "true" | "True" | "TRUE" => Tree::Bool(true),
        "false" | "False" | "FALSE" => Tree::Bool(false),
        _ if looks_numeric(text) => Tree::Number(text.to_owned()),
        _ => Tree::String(text.to_owned()),
    }
}

/// The decimal text of a YAML 1.1 integer (`0b1010`, `012`, `1_000`, `0x1E`, `1:30`), as
/// PyYAML's `construct_yaml_int` reads it; `None` for anything else, and for a value past
/// what 128 bits hold (left as written).
fn yaml11_integer(text: &str) -> Option<String> {
    let (negative, body) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let first = *body.as_bytes().first()?;
    let digits_of = |digits: &str, radix: u32| -> Option<i128> {
        let clean: String = digits.chars().filter(|&c| c != '_').collect();
        if clean.is_empty() || !digits.chars().all(|c| c == '_' || c.is_digit(radix)) {
            return None;
        }
        i128::from_str_radix(&clean, radix).ok()
    };
    let value = if let Some(binary) = body.strip_prefix("0b") {
        digits_of(binary, 2)?
    } else if let Some(hex) = body.strip_prefix("0x") {
        digits_of(hex, 16)?
    } else if body.contains(':') {
        // Sexagesimal: a first part without a leading zero, then parts of 0 to 59.
        let mut parts = body.split(':');
        let head = parts.next()?;
        if !head.starts_with(|c: char| ('1'..='9').contains(&c)) {
            return None;
        }
        let mut value = digits_of(head, 10)?;
        for part in parts {
            if part.is_empty() || part.len() > 2 || !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let n: i128 = part.parse().ok()?;
            if n > 59 {
                return None;
            }
            value = value.checked_mul(60)?.checked_add(n)?;
        }
        value
    } else if first == b'0' && body.len() > 1 {
        digits_of(&body[1..], 8)?
    } else if first.is_ascii_digit() {
        digits_of(body, 10)?
    } else {
        return None;
    };
    Some(if negative && value != 0 {
        format!("-{value}")
    } else {
        value.to_string()
    })
}

fn looks_numeric(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && digits.bytes().filter(|&b| b == b'.').count() <= 1
        && digits.bytes().any(|b| b.is_ascii_digit())
}

/// The one document of `text`, or why it cannot be read with its line and column. A
/// second document is refused, as ROS's loader (PyYAML's `safe_load`) refuses it: judging
/// one would pass the other unread.
pub fn parse(text: &str) -> Result<Node, ReadFailure> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut stack: Vec<Open> = Vec::new();
    let mut root: Option<Node> = None;
    let mut documents = 0;
    // Anchored mappings, the only nodes a merge key copies; other aliases stay unknown.
    let mut anchors: HashMap<usize, Node> = HashMap::new();
    let mut budget = copy_budget(text);
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(syntax_error)?;
        let mut merge_key = false;
        let node = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    let p = position(&span);
                    return Err(ReadFailure::at(
                        format!(
                            "a second YAML document at line {}, column {}: a ROS template is one document",
                            p.line, p.column
                        ),
                        Some(p),
                    ));
                }
                continue;
            }
            Event::SequenceStart(anchor, ref tag) | Event::MappingStart(anchor, ref tag) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(invalid(
                        position(&span),
                        &format!("nested deeper than {MAX_DEPTH} levels"),
                    ));
                }
                let frame = if matches!(event, Event::SequenceStart(..)) {
                    Frame::List(Vec::new())
                } else {
                    Frame::Map {
                        entries: Vec::new(),
                        key: None,
                        key_merges: false,
                        merges: Vec::new(),
                    }
                };
                stack.push(Open {
                    frame,
                    position: position(&span),
                    unknown: is_local(tag),
                    anchor,
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                // The parser balances starts and ends.
                let Some(open) = stack.pop() else { continue };
                let value = match open.frame {
                    _ if open.unknown => Tree::Unknown,
                    Frame::List(items) => Tree::List(items),
                    Frame::Map {
                        entries, merges, ..
                    } => Tree::Map(close_map(entries, merges)?),
                };
                let node = Node {
                    value,
                    position: open.position,
                };
                if open.anchor != 0 && matches!(node.value, Tree::Map(_)) {
                    spend(&mut budget, measure(&node).0, node.position)?;
                    anchors.insert(open.anchor, node.clone());
                }
                node
            }
            Event::Scalar(text, style, _, tag) => {
                // A mapping's key keeps the text it is named by (a resource called `On`),
                // but for the null and the core booleans that make two spellings one key.
                let is_key = matches!(
                    stack.last(),
                    Some(Open {
                        frame: Frame::Map { key: None, .. },
                        ..
                    })
                );
                let value = if short_reference(&tag) && !is_key {
                    let at = position(&span);
                    Tree::Map(vec![(
                        Node {
                            value: Tree::String("Ref".to_owned()),
                            position: at,
                        },
                        Node {
                            value: Tree::String(text.into_owned()),
                            position: at,
                        },
                    )])
                } else if is_local(&tag) {
                    Tree::Unknown
                } else if style == ScalarStyle::Plain && tag.is_none() {
                    merge_key = text == "<<";
                    if is_key {
                        core_plain(&text)
                    } else {
                        plain(&text)
                    }
                } else {
                    Tree::String(text.into_owned())
                };
                Node {
                    value,
                    position: position(&span),
                }
            }
            Event::Alias(id) => {
                let at = position(&span);
                match anchors.get(&id) {
                    // Copied only to be merged, within the budget and the depth limit.
                    Some(anchored) if merging(&stack) => {
                        let (size, height) = measure(anchored);
                        if stack.len() + height > MAX_DEPTH {
                            return Err(invalid(
                                at,
                                &format!("nested deeper than {MAX_DEPTH} levels"),
                            ));
                        }
                        spend(&mut budget, size, at)?;
                        anchored.clone()
                    }
                    _ => Node {
                        value: Tree::Unknown,
                        position: at,
                    },
                }
            }
            _ => continue,
        };
        match stack.last_mut() {
            None => root = Some(node),
            Some(Open {
                frame: Frame::List(items),
                ..
            }) => items.push(node),
            Some(Open {
                frame:
                    Frame::Map {
                        entries,
                        key,
                        key_merges,
                        merges,
                    },
                ..
            }) => match key.take() {
                None => {
                    *key = Some(node);
                    *key_merges = merge_key;
                }
                Some(_) if std::mem::take(key_merges) => merges.push(node),
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
    fn plain_scalars_are_typed_as_pyyaml_types_them() {
        let cases = [
            ("yes", Tree::Bool(true)),
            ("On", Tree::Bool(true)),
            ("OFF", Tree::Bool(false)),
            ("no", Tree::Bool(false)),
            ("y", Tree::String("y".into())),
            ("1_000", Tree::Number("1000".into())),
            ("0x1e", Tree::Number("30".into())),
            ("0X1e", Tree::String("0X1e".into())),
            ("012", Tree::Number("10".into())),
            ("08", Tree::Number("08".into())),
            ("0b101", Tree::Number("5".into())),
            ("+30", Tree::Number("30".into())),
            ("-0", Tree::Number("0".into())),
            ("-012", Tree::Number("-10".into())),
            ("1:30", Tree::Number("90".into())),
            ("1:60", Tree::String("1:60".into())),
            ("01:30", Tree::String("01:30".into())),
            ("1.5", Tree::Number("1.5".into())),
            ("_1", Tree::String("_1".into())),
            ("0x", Tree::String("0x".into())),
            ("d-bp1", Tree::String("d-bp1".into())),
            (
                "340282366920938463463374607431768211456",
                Tree::Number("340282366920938463463374607431768211456".into()),
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(plain(text), expected, "{text}");
        }
    }

    #[test]
    fn scalars_lists_maps_and_tags_keep_their_places() {
        let text = "\
Resources:
  Snap:
    Type: ALIYUN::ECS::Snapshot
    Properties:
      DiskId: !Ref Disk
      Description: !GetAtt Other.Name
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
        // `!Ref NAME` is read as its long form, `{Ref: NAME}`; other local tags are unknown.
        let at = Position::new(5, 15);
        let string = |text: &str| Node {
            value: Tree::String(text.into()),
            position: at,
        };
        assert_eq!(
            properties.get("DiskId").unwrap().value,
            Tree::Map(vec![(string("Ref"), string("Disk"))])
        );
        assert_eq!(properties.get("Description").unwrap().value, Tree::Unknown);
        let days = properties.get("RetentionDays").unwrap();
        assert_eq!(days.value, Tree::Number("7".into()));
        assert_eq!(days.position, Position::new(7, 22));
        assert_eq!(
            properties.get("SnapshotName").unwrap().value,
            Tree::String("1st".into())
        );
        let Tree::List(tags) = &properties.get("Tags").unwrap().value else {
            panic!()
        };
        assert_eq!(tags[0].position, Position::new(10, 11));
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

    #[test]
    fn merge_keys_copy_within_a_budget_and_the_depth_limit() {
        let root = parse("a: &a {x: 1, y: 2}\nb: {<<: *a, y: 3, <<: {z: 4}}\n").unwrap();
        let b = root.get("b").unwrap();
        assert_eq!(b.get("x").unwrap().position, Position::new(1, 11));
        assert_eq!(b.get("y").unwrap().value, Tree::Number("3".into()));
        assert_eq!(b.get("z").unwrap().value, Tree::Number("4".into()));
        // A quoted `<<` is a key like any other.
        let quoted = parse("'<<': {x: 1}\n").unwrap();
        assert!(quoted.get("<<").is_some());
        // A large mapping merged many times: refused once the copies pass what the file may
        // copy, so that the cost stays linear in the file.
        let mut laughs = String::from("a: &a {");
        for n in 0..2_000 {
            laughs.push_str(&format!("k{n}: {n}, "));
        }
        laughs.push_str("end: 0}\n");
        for n in 0..10_000 {
            laughs.push_str(&format!("m{n}: {{<<: *a}}\n"));
        }
        let error = parse(&laughs).unwrap_err();
        assert!(
            error
                .message
                .ends_with("merge keys (<<) copy more nodes than the file may"),
            "{}",
            error.message
        );
        // A deep anchored mapping merged deep down is past the depth limit.
        let mut deep = String::from("a: &a ");
        deep.push_str(&"{k: ".repeat(100));
        deep.push('1');
        deep.push_str(&"}".repeat(100));
        deep.push_str("\nb: ");
        deep.push_str(&"[".repeat(60));
        deep.push_str("{<<: *a}");
        deep.push_str(&"]".repeat(60));
        deep.push('\n');
        let error = parse(&deep).unwrap_err();
        assert!(
            error.message.contains("nested deeper than 128 levels"),
            "{}",
            error.message
        );
    }
}
