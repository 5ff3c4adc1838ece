//! ROS templates that hold Terraform (`Transform: Aliyun::Terraform-v1.5`): the `.tf` files
//! at the top of their `Workspace` are the root module, its variables known from their
//! defaults, then the workspace's `terraform.tfvars` and `*.auto.tfvars`, then the
//! template's own `Parameters` defaults, which ROS passes to the variables of the same name;
//! each snapshot is placed in the template where its value is written (D299). Files in
//! folders (child modules) and `*.debug.tf` files, which ROS leaves out, are not read.

use super::terraform::{self, declarations, defaults, with_locals, ModuleParts};
use super::tree::{Node, Tree};
use super::variables::Value;
use super::{DeclaredSnapshot, ReadFailure};
use crate::finding::Position;

/// Whether the template's `Transform` hands it to Terraform.
pub fn is_terraform(root: &Node) -> bool {
    root.get("Transform")
        .and_then(Node::scalar_text)
        .is_some_and(|t| t.starts_with("Aliyun::Terraform"))
}

/// The snapshots of the `.tf` files of the template's `Workspace`; `text` is the template's,
/// `parameters` its parameters' defaults (`None` for an empty one).
/// What is the same in every file of a module (its variables, locals, imports) is gathered
/// first, then each file's resources are read in that scope.
///
/// # Errors
///
/// A `.tf` file that is not HCL, placed in the template.
pub fn read<'t>(
    root: &'t Node,
    text: &str,
    parameters: impl Iterator<Item = (String, Option<&'t Node>)>,
) -> Result<Vec<DeclaredSnapshot>, ReadFailure> {
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
    let (mut tfvars, mut auto_tfvars) = (Vec::new(), Vec::new());
    for (name, node) in entries {
        let (Some(name), Tree::String(source)) = (name.scalar_text(), &node.value) else {
            continue;
        };
        if name.contains('/') {
            continue;
        }
        if name == "terraform.tfvars" {
            tfvars.push((name, source, node));
            continue;
        }
        if name.ends_with(".auto.tfvars") {
            auto_tfvars.push((name, source, node));
            continue;
        }
        if !name.ends_with(".tf") || name.ends_with(".debug.tf") {
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
        parts.types.extend(found.types);
        parts.source_bytes += source.len();
        parts.imports.extend(found.imports);
        files.push((source, body, place));
    }
    let mut variables = defaults(&parts);
    // Terraform's order, the last value winning: `terraform.tfvars`, the `*.auto.tfvars` by
    // name, then what ROS passes: the template's parameters' defaults.
    auto_tfvars.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, source, node) in tfvars.into_iter().chain(auto_tfvars) {
        let values = terraform::tfvars(source).map_err(|failure| {
            ReadFailure::at(
                format!("invalid HCL in Workspace {name:?}: {}", failure.message),
                Some(node.position),
            )
        })?;
        variables.extend(values);
    }
    variables.extend(parameter_values(parameters));
    let scope = with_locals(variables, &parts);
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

/// The template's `Parameters` defaults, as Terraform values: ROS gives each to the
/// Terraform variable of its name; an empty one is not known (D298).
fn parameter_values<'t>(
    parameters: impl Iterator<Item = (String, Option<&'t Node>)>,
) -> Vec<(String, Value)> {
    parameters
        .map(|(name, default)| {
            let value = match default.map(|d| &d.value) {
                Some(Tree::Bool(b)) => Value::Bool(*b),
                Some(Tree::Number(n)) => Value::Number(n.clone()),
                Some(Tree::String(s)) => Value::String(s.clone()),
                _ => Value::Unknown,
            };
            (name, value)
        })
        .collect()
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
        // The indicator's line: the nearest line above that is not blank (a block may start
        // with empty lines), its comment left out.
        let mut indicator_line = start.line.saturating_sub(1);
        while indicator_line > 1 && line(indicator_line).trim().is_empty() {
            indicator_line -= 1;
        }
        let text = line(indicator_line);
        let text = text.find(" #").map_or(text, |cut| &text[..cut]);
        let indicator = text
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
            indicator_line,
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
