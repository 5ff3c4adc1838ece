//! Terraform configuration files (`.tf`), read with `hcl-edit`, which keeps the byte span of
//! every expression: the snapshot resources, as the provider would send them, and what a
//! module knows of its values (variables, locals, calls of child modules).

use std::collections::HashMap;

use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl_edit::structure::{Block, Body};
use hcl_edit::Span;

use super::hcl_size;
use super::instances::{instances, key_suffix, Instances};
use super::local_exec;
use super::position::LineIndex;
use super::provider::{self, Argument, Stage, SNAPSHOT_TYPES};
use super::variables::{Budget, PrimitiveType, Scope, Value, MAX_VALUE_WEIGHT};
use super::{unknown_tag_key, DeclaredSnapshot, ReadFailure};
use crate::finding::Position;

/// A `.tf` file's body, or why it is not HCL, with the parser's line and column both in
/// the message (which is all the text output shows, as for JSON and YAML) and beside it.
pub fn parse(text: &str) -> Result<Body, ReadFailure> {
    let text = without_bom(text);
    hcl_size::check_objects(text)?;
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
    /// Its `count`, if written.
    pub count: Option<Expression>,
    /// Its `for_each`, if written.
    pub for_each: Option<Expression>,
}

/// What one file contributes to its module's scope.
#[derive(Clone, Debug, Default)]
pub struct ModuleParts {
    /// Each `variable` block's name and default.
    pub variables: Vec<(String, Option<Expression>)>,
    /// Each local value.
    pub locals: Vec<(String, Expression)>,
    /// The variables declared of a primitive `type`, to which Terraform converts their values.
    pub types: Vec<(String, PrimitiveType)>,
    /// The length of the module's text, which sets what its evaluation may copy (D300).
    pub source_bytes: usize,
    /// The calls of modules with a local source.
    pub calls: Vec<ModuleCall>,
    /// The `to` of each `import` block: resources taken under management, never created.
    pub imports: Vec<ImportTarget>,
}

/// The address an `import` block brings a resource to, as written: each step a name, or an
/// instance key (`None` where it is not known, such as `each.key`).
#[derive(Clone, Debug, PartialEq)]
pub struct ImportTarget(Vec<Step>);

/// One step of an address.
#[derive(Clone, Debug, PartialEq)]
enum Step {
    /// `.name`.
    Name(String),
    /// `["key"]` or `[0]`, or an index not known.
    Key(Option<String>),
}

impl ImportTarget {
    /// The target of the traversal `to`, its keys read in `scope`; `None` when it is not
    /// an address.
    fn of(to: &Expression, scope: &Scope) -> Option<ImportTarget> {
        let Expression::Traversal(traversal) = to else {
            return None;
        };
        let Expression::Variable(root) = &traversal.expr else {
            return None;
        };
        let mut steps = vec![Step::Name(root.as_str().to_owned())];
        for operator in traversal.operators.iter() {
            steps.push(match operator.value() {
                TraversalOperator::GetAttr(name) => Step::Name(name.as_str().to_owned()),
                TraversalOperator::Index(index) => Step::Key(match scope.evaluate(index) {
                    Value::String(key) => Some(key_suffix(&key)),
                    Value::Number(n) => Some(format!("[{n}]")),
                    _ => None,
                }),
                TraversalOperator::LegacyIndex(n) => Step::Key(Some(format!("[{}]", n.value()))),
                _ => return None,
            });
        }
        Some(ImportTarget(steps))
    }

    /// Whether the resource instance `address` (`module.db.TYPE.NAME["k"]`, as the tool
    /// writes it; a call in its provisioners, `... local-exec: ...`, is the resource's) is
    /// this target: a key not known matches any key. An imported resource runs no
    /// provisioner either.
    pub fn matches(&self, address: &str) -> bool {
        let address = address
            .split_once(" local-exec: ")
            .map_or(address, |(resource, _)| resource);
        let mut rest = address;
        for (n, step) in self.0.iter().enumerate() {
            match step {
                Step::Name(name) => {
                    let name_here = if n == 0 {
                        rest.strip_prefix(name.as_str())
                    } else {
                        rest.strip_prefix('.')
                            .and_then(|r| r.strip_prefix(name.as_str()))
                    };
                    match name_here {
                        Some(after) if after.is_empty() || after.starts_with(['.', '[']) => {
                            rest = after;
                        }
                        _ => return false,
                    }
                }
                Step::Key(Some(key)) => match rest.strip_prefix(key.as_str()) {
                    Some(after) => rest = after,
                    None => return false,
                },
                Step::Key(None) => {
                    if let Some(after) = rest.strip_prefix('[') {
                        match instance_key_end(after) {
                            Some(end) => rest = &after[end..],
                            None => return false,
                        }
                    }
                }
            }
        }
        rest.is_empty()
    }
}

/// Where the instance key at the start of `text` (past its `[`) ends, past its `]`: a
/// quoted key may hold `]` and escaped quotes.
fn instance_key_end(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    if bytes.first() == Some(&b'"') {
        let mut i = 1;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => i += 2,
                b'"' => return (bytes.get(i + 1) == Some(&b']')).then_some(i + 2),
                _ => i += 1,
            }
        }
        None
    } else {
        text.find(']').map(|end| end + 1)
    }
}

/// The variables, locals and module calls of `body`.
pub fn module_parts(body: &Body) -> ModuleParts {
    let mut parts = ModuleParts::default();
    for block in body.blocks() {
        match (block.ident.as_str(), block.labels.as_slice()) {
            ("variable", [name]) => {
                let default = block.body.get_attribute("default").map(|a| a.value.clone());
                parts.variables.push((name.as_str().to_owned(), default));
                let kind = block
                    .body
                    .get_attribute("type")
                    .and_then(|a| PrimitiveType::of(&a.value));
                if let Some(kind) = kind {
                    parts.types.push((name.as_str().to_owned(), kind));
                }
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
                    let meta = |name| block.body.get_attribute(name).map(|a| a.value.clone());
                    parts.calls.push(ModuleCall {
                        name: name.as_str().to_owned(),
                        source,
                        arguments,
                        count: meta("count"),
                        for_each: meta("for_each"),
                    });
                }
            }
            ("import", []) => {
                let Some(to) = block.body.get_attribute("to") else {
                    continue;
                };
                // One target per key of a `for_each` of literals; else a key not known
                // (`each.key`) matches any instance.
                let empty = Scope::default();
                let for_each = block
                    .body
                    .get_attribute("for_each")
                    .map(|a| empty.evaluate(&a.value));
                let scopes = match instances(None, for_each.as_ref()) {
                    Instances::Each(keys) => keys
                        .into_iter()
                        .map(|each| Scope {
                            each: Some(each),
                            ..Scope::default()
                        })
                        .collect(),
                    Instances::None => Vec::new(),
                    Instances::Block => vec![empty],
                };
                parts.imports.extend(
                    scopes
                        .iter()
                        .filter_map(|scope| ImportTarget::of(&to.value, scope)),
                );
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
/// addressed below `module` (`module.db.`, or empty for a root module), and the calls of
/// the CLI in the `local-exec` provisioners of any resource. A resource is judged once per
/// instance when its `for_each` is known, not at all when `count = 0` or its `for_each` is
/// empty, else once, as written.
pub fn declarations(body: &Body, text: &str, scope: &Scope, module: &str) -> Vec<DeclaredSnapshot> {
    let source = without_bom(text);
    let index = LineIndex::new(source);
    let at = |span: Option<std::ops::Range<usize>>| span.map(|s| index.position(s.start));
    let mut found = Vec::new();
    for block in body.blocks() {
        let Some((kind, name)) = resource_labels(block) else {
            continue;
        };
        let snapshot = SNAPSHOT_TYPES.contains(&kind);
        let runs_commands = local_exec::has_local_exec(block);
        if !snapshot && !runs_commands {
            continue;
        }
        let meta = |name: &str| {
            block
                .body
                .get_attribute(name)
                .map(|a| scope.evaluate(&a.value))
        };
        let mut instance = |scope: &Scope, address: String| {
            if runs_commands {
                found.extend(local_exec::calls(block, source, &index, scope, &address));
            }
            if snapshot {
                found.push(resource(block, scope, address, &at));
            }
        };
        let address = format!("{module}{kind}.{name}");
        match instances(meta("count").as_ref(), meta("for_each").as_ref()) {
            Instances::None => {}
            Instances::Block => instance(scope, address),
            Instances::Each(keys) => {
                let mut scope = scope.clone();
                for (key, value) in keys {
                    let suffix = key_suffix(&key);
                    scope.each = Some((key, value));
                    instance(&scope, format!("{address}{suffix}"));
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
        if let (Value::Unknown, Expression::Object(object)) = (&argument.value, &attribute.value) {
            argument.value = with_unknown_keys(object, scope, &mut argument.unknown_keys);
        }
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

/// The map an object constructor makes when some of its keys are not known: each such key
/// replaced by [`unknown_tag_key`] of its place, and noted in `unknown` with its text as
/// written, so that the known entries are still judged and the count still counts.
fn with_unknown_keys(
    object: &hcl_edit::expr::Object,
    scope: &Scope,
    unknown: &mut Vec<(usize, String)>,
) -> Value {
    let keys = object.iter().map(|(key, _)| key);
    let entries = scope.object_entries(object);
    Value::Map(
        entries
            .into_iter()
            .zip(keys)
            .enumerate()
            .map(|(n, ((key, value), written))| {
                let key = key.unwrap_or_else(|| {
                    let text = match written {
                        ObjectKey::Ident(ident) => ident.as_str().to_owned(),
                        ObjectKey::Expression(expression) => {
                            expression.to_string().trim().to_owned()
                        }
                    };
                    unknown.push((n, text));
                    unknown_tag_key(n + 1)
                });
                (key, value)
            })
            .collect(),
    )
}

fn resource_labels(block: &Block) -> Option<(&str, &str)> {
    match (block.ident.as_str(), block.labels.as_slice()) {
        ("resource", [kind, name]) => Some((kind.as_str(), name.as_str())),
        _ => None,
    }
}

/// The snapshot resources of `text` read as a module of its own (standard input): its
/// variables known from their defaults, and its locals.
pub fn read_alone(text: &str) -> super::Declarations {
    let body = parse(text)?;
    let mut parts = module_parts(&body);
    parts.source_bytes = text.len();
    let scope = with_locals(defaults(&parts), &parts);
    let mut found = declarations(&body, text, &scope, "");
    found.retain(|declared| !parts.imports.iter().any(|t| t.matches(&declared.address)));
    Ok(found)
}

/// Each variable with its default (unknown without one).
pub fn defaults(parts: &ModuleParts) -> HashMap<String, Value> {
    let empty = Scope::default();
    parts
        .variables
        .iter()
        .map(|(name, default)| {
            let value = default
                .as_ref()
                .map_or(Value::Unknown, |expression| empty.evaluate(expression));
            (name.clone(), value)
        })
        .collect()
}

/// The scope of `variables` with the module's locals evaluated in it; a local that refers
/// to another is known once that one is (as many rounds as there are locals, at most).
pub fn with_locals(variables: HashMap<String, Value>, parts: &ModuleParts) -> Scope {
    let mut scope = Scope {
        variables,
        budget: Budget::for_source(parts.source_bytes),
        ..Scope::default()
    };
    scope.convert_variables(&parts.types);
    for _ in 0..parts.locals.len().min(16) {
        let mut changed = false;
        // What the locals hold together is bounded too (D300).
        let mut stored = 0;
        for (name, expression) in &parts.locals {
            let mut value = scope.evaluate(expression);
            match value.weight_within(MAX_VALUE_WEIGHT.saturating_sub(stored)) {
                Some(weight) => stored += weight,
                None => value = Value::Unknown,
            }
            if scope.locals.get(name) != Some(&value) {
                scope.locals.insert(name.clone(), value);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    scope
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

    fn target(to: &str) -> ImportTarget {
        let body = parse(&format!("import {{\n  to = {to}\n  id = \"s-1\"\n}}\n")).unwrap();
        let mut imports = module_parts(&body).imports;
        assert_eq!(imports.len(), 1, "{to}");
        imports.remove(0)
    }

    #[test]
    fn an_import_target_matches_the_instances_it_names() {
        let plain = target("alicloud_ecs_snapshot.s");
        assert!(plain.matches("alicloud_ecs_snapshot.s"));
        assert!(!plain.matches("alicloud_ecs_snapshot.s2"));
        assert!(!plain.matches("alicloud_ecs_snapshot.s[\"a\"]"));
        assert!(!plain.matches("module.m.alicloud_ecs_snapshot.s"));
        let keyed = target("module.m[\"a]\\\"b\"].alicloud_ecs_snapshot.s[\"k\"]");
        assert!(keyed.matches("module.m[\"a]\\\"b\"].alicloud_ecs_snapshot.s[\"k\"]"));
        assert!(!keyed.matches("module.m[\"a\"].alicloud_ecs_snapshot.s[\"k\"]"));
        assert!(target("null_resource.n")
            .matches("null_resource.n local-exec: aliyun ecs CreateSnapshot #1"));
        let any = target("alicloud_ecs_snapshot.s[each.key]");
        assert!(any.matches("alicloud_ecs_snapshot.s[\"x\"]"));
        assert!(any.matches("alicloud_ecs_snapshot.s[\"x]\\\"y\"]"));
        assert!(any.matches("alicloud_ecs_snapshot.s"));
        assert!(!any.matches("alicloud_ecs_snapshot.t[\"x\"]"));
        assert_eq!(
            target("alicloud_ecs_snapshot.s[0]"),
            target("alicloud_ecs_snapshot.s.0")
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
