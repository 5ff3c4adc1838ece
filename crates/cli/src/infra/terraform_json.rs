//! Terraform configuration in JSON syntax (`.tf.json`): `resource.TYPE.NAME` objects whose
//! strings may hold `${...}` templates, read in the module's scope plus the file's own
//! `variable` defaults.

use super::provider::{self, Argument, Stage, SNAPSHOT_TYPES};
use super::tree::{Node, Tree};
use super::variables::{Scope, Value};
use super::{json_tree, Declarations};

/// The snapshot resources of `text`, in `scope`, addressed below `module`.
pub fn read(text: &str, scope: &Scope, module: &str) -> Declarations {
    let root = json_tree::parse(text)?;
    let mut scope = scope.clone();
    if let Some(Node {
        value: Tree::Map(variables),
        ..
    }) = root.get("variable")
    {
        for (name, block) in variables {
            let Some(name) = name.scalar_text() else {
                continue;
            };
            if scope.variables.contains_key(&name) {
                continue;
            }
            let default = block
                .get("default")
                .map_or(Value::Unknown, |d| value(d, &Scope::default()));
            scope.variables.insert(name, default);
        }
    }
    let mut found = Vec::new();
    let Some(Node {
        value: Tree::Map(types),
        ..
    }) = root.get("resource")
    else {
        return Ok(found);
    };
    for (kind, resources) in types {
        let kind = kind.scalar_text().unwrap_or_default();
        if !SNAPSHOT_TYPES.contains(&kind.as_str()) {
            continue;
        }
        let Tree::Map(resources) = &resources.value else {
            continue;
        };
        for (name, body) in resources {
            let Tree::Map(attributes) = &body.value else {
                continue;
            };
            let arguments: Vec<Argument> = attributes
                .iter()
                .map(|(key, node)| {
                    let mut argument = Argument::new(
                        key.scalar_text().unwrap_or_default(),
                        value(node, &scope),
                        Some(node.position),
                    );
                    if let Tree::Map(entries) = &node.value {
                        argument.entries = entries.iter().map(|(k, _)| Some(k.position)).collect();
                    }
                    argument
                })
                .collect();
            found.push(provider::snapshot(
                format!("{module}{kind}.{}", name.scalar_text().unwrap_or_default()),
                Some(name.position),
                &arguments,
                Stage::Configuration,
            ));
        }
    }
    Ok(found)
}

/// A JSON value as Terraform reads it: strings are templates.
fn value(node: &Node, scope: &Scope) -> Value {
    match &node.value {
        Tree::Null => Value::Null,
        Tree::Bool(b) => Value::Bool(*b),
        Tree::Number(n) => Value::Number(n.clone()),
        Tree::String(s) if !s.contains("${") && !s.contains("%{") => Value::String(s.clone()),
        Tree::String(s) => match hcl_edit::parser::parse_template(s) {
            Ok(template) => scope.template(&template),
            Err(_) => Value::Unknown,
        },
        Tree::List(items) => Value::List(items.iter().map(|n| value(n, scope)).collect()),
        Tree::Map(entries) => Value::Map(
            entries
                .iter()
                .map(|(k, v)| (k.scalar_text().unwrap_or_default(), value(v, scope)))
                .collect(),
        ),
        Tree::Unknown => Value::Unknown,
    }
}
