//! Terraform configuration files (`.tf`), read with `hcl-edit`, which keeps the byte span of
//! every expression: the snapshot resources, as the provider would send them, and what a
//! module knows of its values (variables, locals, calls of child modules).

use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Block, Body};
use hcl_edit::Span;

use super::instances::{instances, key_suffix, Instances};
use super::position::LineIndex;
use super::provider::{self, Argument, Stage, SNAPSHOT_TYPES};
use super::variables::{Scope, Value};
use super::{DeclaredSnapshot, ReadFailure};
use crate::finding::Position;

/// A `.tf` file's body, or why it is not HCL, with the parser's line and column both in
/// the message (which is all the text output shows, as for JSON and YAML) and beside it.
pub fn parse(text: &str) -> Result<Body, ReadFailure> {
    let text = without_bom(text);
    hcl_edit::parser::parse_body(text).map_err(|error| {
        let location = error.location();
        let p = Position::new(location.line(), location.column());
        ReadFailure::at(
            format!(
                "invalid HCL at line {}, column {}: {}",
                p.line,
                p.column,
                error.message()
            ),
            Some(p),
        )
    })
}

/// `text` without its byte-order mark: what the parser reads, and what the spans it gives
/// count from (so positions are found in this text, not the file's bytes).
pub fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// A module call (`module "db" { source = "./db" ... }`) with a local source.
#[derive(Clone, Debug)]
pub struct ModuleCall {
    /// The call's name (`db`).
    pub name: String,
    /// The `source`, a relative path.
    pub source: String,
    /// The arguments given, by name.
    pub arguments: Vec<(String, Expression)>,
}

/// What one file contributes to its module's scope.
#[derive(Clone, Debug, Default)]
pub struct ModuleParts {
    /// Each `variable` block's name and default.
    pub variables: Vec<(String, Option<Expression>)>,
    /// Each local value.
    pub locals: Vec<(String, Expression)>,
    /// The calls of modules with a local source.
    pub calls: Vec<ModuleCall>,
}

/// The variables, locals and module calls of `body`.
pub fn module_parts(body: &Body) -> ModuleParts {
    let mut parts = ModuleParts::default();
    for block in body.blocks() {
        match (block.ident.as_str(), block.labels.as_slice()) {
            ("variable", [name]) => {
                let default = block.body.get_attribute("default").map(|a| a.value.clone());
                parts.variables.push((name.as_str().to_owned(), default));
            }
            ("locals", []) => {
                for attribute in block.body.attributes() {
                    parts
                        .locals
                        .push((attribute.key.as_str().to_owned(), attribute.value.clone()));
                }
            }
            ("module", [name]) => {
                let source = block
                    .body
                    .get_attribute("source")
                    .and_then(|a| a.value.as_str().map(str::to_owned));
                if let Some(source) = source.filter(|s| s.starts_with("./") || s.starts_with("../"))
                {
                    let arguments = block
                        .body
                        .attributes()
                        .filter(|a| !META_ARGUMENTS.contains(&a.key.as_str()))
                        .map(|a| (a.key.as_str().to_owned(), a.value.clone()))
                        .collect();
                    parts.calls.push(ModuleCall {
                        name: name.as_str().to_owned(),
                        source,
                        arguments,
                    });
                }
            }
            _ => {}
        }
    }
    parts
}

/// Arguments of a `module` or `resource` block that are Terraform's, not the module's or
/// the provider's.
const META_ARGUMENTS: &[&str] = &[
    "source",
    "version",
    "count",
    "for_each",
    "depends_on",
    "providers",
    "provider",
    "lifecycle",
];

/// The snapshot resources of `body` (the text of `text`), their values read in `scope`,
/// addressed below `module` (`module.db.`, or empty for a root module). A resource is judged
/// once per instance when its `for_each` is known, not at all when `count = 0` or its
/// `for_each` is empty, else once, as written.
pub fn declarations(body: &Body, text: &str, scope: &Scope, module: &str) -> Vec<DeclaredSnapshot> {
    let index = LineIndex::new(without_bom(text));
    let at = |span: Option<std::ops::Range<usize>>| span.map(|s| index.position(s.start));
    let mut found = Vec::new();
    for block in body.blocks() {
        let Some((kind, name)) = resource_labels(block) else {
            continue;
        };
        if !SNAPSHOT_TYPES.contains(&kind) {
            continue;
        }
        let meta = |name: &str| {
            block
                .body
                .get_attribute(name)
                .map(|a| scope.evaluate(&a.value))
        };
        let address = format!("{module}{kind}.{name}");
        match instances(meta("count").as_ref(), meta("for_each").as_ref()) {
            Instances::None => {}
            Instances::Block => found.push(resource(block, scope, address, &at)),
            Instances::Each(keys) => {
                let mut scope = scope.clone();
                for (key, value) in keys {
                    let suffix = key_suffix(&key);
                    scope.each = Some((key, value));
                    found.push(resource(block, &scope, format!("{address}{suffix}"), &at));
                }
            }
        }
    }
    found
}

/// One instance of the snapshot resource `block`, its values read in `scope`.
fn resource(
    block: &Block,
    scope: &Scope,
    address: String,
    at: &dyn Fn(Option<std::ops::Range<usize>>) -> Option<Position>,
) -> DeclaredSnapshot {
    let mut arguments = Vec::new();
    for attribute in block.body.attributes() {
        let key = attribute.key.as_str();
        if META_ARGUMENTS.contains(&key) {
            continue;
        }
        let mut argument = Argument::new(
            key,
            scope.evaluate(&attribute.value),
            at(attribute.value.span()),
        );
        if let Expression::Object(object) = &attribute.value {
            argument.entries = object
                .iter()
                .map(|(key, _)| match key {
                    ObjectKey::Ident(ident) => at(ident.span()),
                    ObjectKey::Expression(expression) => at(expression.span()),
                })
                .collect();
        }
        arguments.push(argument);
    }
    provider::snapshot(address, at(block.span()), &arguments, Stage::Configuration)
}

fn resource_labels(block: &Block) -> Option<(&str, &str)> {
    match (block.ident.as_str(), block.labels.as_slice()) {
        ("resource", [kind, name]) => Some((kind.as_str(), name.as_str())),
        _ => None,
    }
}

/// The snapshot resources of `text` read as a module of its own (standard input): its
/// variables known from their defaults.
pub fn read_alone(text: &str) -> super::Declarations {
    let body = parse(text)?;
    let parts = module_parts(&body);
    let empty = Scope::default();
    let mut scope = Scope::default();
    for (name, default) in &parts.variables {
        let value = default
            .as_ref()
            .map_or(Value::Unknown, |d| empty.evaluate(d));
        scope.variables.insert(name.clone(), value);
    }
    Ok(declarations(&body, text, &scope, ""))
}

/// The values of a `.tfvars` file: `name = value` lines of literals.
pub fn tfvars(text: &str) -> Result<Vec<(String, Value)>, ReadFailure> {
    let body = parse(text)?;
    let empty = Scope::default();
    Ok(body
        .attributes()
        .map(|a| (a.key.as_str().to_owned(), empty.evaluate(&a.value)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_resource_is_found_with_the_place_of_each_value() {
        let text = "\
variable \"days\" {
  default = 0
}

resource \"alicloud_ecs_snapshot\" \"nightly\" {
  disk_id        = \"d-1\"
  snapshot_name  = \"1st\"
  retention_days = var.days
  tags = {
    team = \"db\"
  }
}
";
        let body = parse(text).unwrap();
        let parts = module_parts(&body);
        assert_eq!(parts.variables[0].0, "days");
        let mut scope = Scope::default();
        scope
            .variables
            .insert("days".into(), Value::Number("0".into()));
        let found = declarations(&body, text, &scope, "module.db.");
        assert_eq!(found.len(), 1);
        let snapshot = &found[0];
        assert_eq!(snapshot.address, "module.db.alicloud_ecs_snapshot.nightly");
        assert_eq!(snapshot.position, Some(Position::new(5, 1)));
        let places: Vec<(&str, &str, Option<Position>)> = snapshot
            .parameters
            .iter()
            .map(|p| (p.name.as_str(), p.value.as_str(), p.position))
            .collect();
        assert_eq!(
            places,
            [
                ("DiskId", "d-1", Some(Position::new(6, 20))),
                ("SnapshotName", "1st", Some(Position::new(7, 20))),
                ("RetentionDays", "0", Some(Position::new(8, 20))),
                ("Tag.1.Key", "team", Some(Position::new(10, 5))),
                ("Tag.1.Value", "db", Some(Position::new(10, 5))),
            ]
        );
    }

    #[test]
    fn a_syntax_error_names_its_line_and_column() {
        let error = parse("resource \"a\" \"b\" {\n  x = \n}\n").unwrap_err();
        assert_eq!(
            error.message,
            "invalid HCL at line 2, column 7: invalid expression; expected `\"`, `[`, `{`, `-`, `!`, `(`, `_`, `<`, letter or digit"
        );
        assert_eq!(error.position, Some(Position::new(2, 7)));
    }
}
