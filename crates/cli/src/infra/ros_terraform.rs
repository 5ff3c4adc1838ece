//! ROS templates that hold Terraform (`Transform: Aliyun::Terraform-v1.5`): the `.tf` files
//! of their `Workspace` are one module, read as a Terraform module of its own (its
//! variables known from their defaults), each snapshot placed in the template where its
//! value is written (D299).

use super::terraform::ModuleParts;
use super::terraform::{self, declarations};
use super::terraform_project::{defaults, with_locals};
use super::tree::{Node, Tree};
use super::{DeclaredSnapshot, ReadFailure};
use crate::finding::Position;

/// Whether the template's `Transform` hands it to Terraform.
pub fn is_terraform(root: &Node) -> bool {
    root.get("Transform")
        .and_then(Node::scalar_text)
        .is_some_and(|t| t.starts_with("Aliyun::Terraform"))
}

/// The snapshots of the `.tf` files of the template's `Workspace`; `text` is the template's.
/// What is the same in every file of a module (its variables, locals, imports) is gathered
/// first, then each file's resources are read in that scope.
///
/// # Errors
///
/// A `.tf` file that is not HCL, placed in the template.
pub fn read(root: &Node, text: &str) -> Result<Vec<DeclaredSnapshot>, ReadFailure> {
    let Some(Node {
        value: Tree::Map(entries),
        ..
    }) = root.get("Workspace")
    else {
        return Ok(Vec::new());
    };
    // The template's lines, once: a template of many files costs its size, not their
    // number times its size.
    let lines: Vec<&str> = text.lines().collect();
    let mut files = Vec::new();
    let mut parts = ModuleParts::default();
    for (name, node) in entries {
        let (Some(name), Tree::String(source)) = (name.scalar_text(), &node.value) else {
            continue;
        };
        if !name.ends_with(".tf") {
            continue;
        }
        let place = Placement::of(node, &lines);
        let body = terraform::parse(source).map_err(|failure| {
            let at = failure.position.map(|p| place.map(p));
            // The parser's message names its place in the file's text: it is named again
            // in the template's.
            let what = failure
                .message
                .split_once(": ")
                .map_or(failure.message.as_str(), |(_, what)| what);
            let message = match at {
                Some(at) => format!(
                    "invalid HCL in Workspace {name:?} at line {}, column {}: {what}",
                    at.line, at.column
                ),
                None => format!("invalid HCL in Workspace {name:?}: {what}"),
            };
            ReadFailure::at(message, at)
        })?;
        let found = terraform::module_parts(&body);
        parts.variables.extend(found.variables);
        parts.locals.extend(found.locals);
        parts.imports.extend(found.imports);
        files.push((source, body, place));
    }
    let scope = with_locals(defaults(&parts), &parts);
    let mut found = Vec::new();
    for (source, body, place) in files {
        for mut declared in declarations(&body, source, &scope, "") {
            if parts.imports.iter().any(|t| t.matches(&declared.address)) {
                continue;
            }
            declared.map_positions(&|p| place.map(p));
            found.push(declared);
        }
    }
    Ok(found)
}

/// Where the text of a `Workspace` file stands in the template.
enum Placement {
    /// A literal block scalar (`|`): line N of the text is N lines below the indicator,
    /// each column moved by the block's indentation.
    Block {
        indicator_line: usize,
        indent: usize,
    },
    /// Any other scalar (quoted, folded, a JSON string): every place is the value's start.
    At(Position),
}

impl Placement {
    /// The YAML reader places a block scalar at its first character, on the line below
    /// its indicator (`main.tf: |` or `|-`, `|+`, `|2`); anything else stays at its start.
    fn of(node: &Node, lines: &[&str]) -> Placement {
        let start = node.position;
        let line = |n: usize| {
            n.checked_sub(1)
                .and_then(|i| lines.get(i))
                .copied()
                .unwrap_or_default()
        };
        let before_is_blank = line(start.line)
            .chars()
            .take(start.column.saturating_sub(1))
            .all(char::is_whitespace);
        let indicator = line(start.line.saturating_sub(1))
            .trim_end()
            .rsplit(' ')
            .next()
            .unwrap_or_default()
            .to_owned();
        let is_literal_block = indicator.starts_with('|')
            && indicator[1..]
                .chars()
                .all(|c| c.is_ascii_digit() || c == '-' || c == '+');
        if start.line < 2 || !is_literal_block || !before_is_blank {
            return Placement::At(start);
        }
        Placement::Block {
            indicator_line: start.line - 1,
            indent: start.column - 1,
        }
    }

    fn map(&self, p: Position) -> Position {
        match *self {
            Placement::Block {
                indicator_line,
                indent,
            } => Position::new(indicator_line + p.line, p.column + indent),
            Placement::At(at) => at,
        }
    }
}
