//! Terraform configuration in JSON syntax (`.tf.json`): `resource.TYPE.NAME` objects (each
//! level an object or an array of objects) whose strings may hold `${...}` templates, read
//! in the module's scope plus the file's own `variable` defaults and `locals`.

use hcl_edit::template::Element;

use super::instances::{instances, key_suffix, Instances};
use super::local_exec;
use super::provider::{self, Argument, Stage, SNAPSHOT_TYPES};
use super::tree::{first_repeat, Node, Tree};
use super::variables::{Scope, Value};
use super::{json_tree, unknown_tag_key, Declarations, DeclaredSnapshot, ReadFailure};

/// The snapshot resources of `text`, in `scope`, addressed below `module`.
///
/// The file is read with its repeated keys as written, for Terraform gives them two
/// meanings: a block type or label given twice is more blocks (every `resource` key is
/// read), an argument or object key given twice is refused (checked in snapshot bodies).
pub fn read(text: &str, scope: &Scope, module: &str) -> Declarations {
    let root = json_tree::parse_as_written(text)?;
    let mut scope = scope.clone();
    for variables in root.get_all("variable") {
        for (name, block) in entries(variables) {
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
    // The file's own locals (`"locals"`: an object, or an array of objects), each read in
    // the scope with those before known: a local that refers to another is known once that
    // one is, in as many rounds as there are locals (at most 16).
    {
        let own: Vec<(String, &Node)> = root
            .get_all("locals")
            .flat_map(entries)
            .filter_map(|(name, node)| Some((name.scalar_text()?, node)))
            .filter(|(name, _)| !scope.locals.contains_key(name))
            .collect();
        for _ in 0..own.len().min(16) {
            let mut changed = false;
            for (name, node) in &own {
                let known = value(node, &scope);
                if scope.locals.get(name) != Some(&known) {
                    scope.locals.insert(name.clone(), known);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }
    let mut found = Vec::new();
    // Each level of Terraform's JSON syntax is an object, or an array of objects.
    for (kind, resources) in root.get_all("resource").flat_map(entries) {
        let kind = kind.scalar_text().unwrap_or_default();
        let snapshot = SNAPSHOT_TYPES.contains(&kind.as_str());
        for (name, bodies) in entries(resources) {
            let name = name.scalar_text().unwrap_or_default();
            for body in blocks(bodies) {
                let commands = local_exec_commands(body);
                if !snapshot && commands.is_empty() {
                    continue;
                }
                if snapshot {
                    refuse_repeats(body)?;
                }
                let meta = |key: &str| body.get(key).map(|node| value(node, &scope));
                let mut instance = |scope: &Scope, address: String| {
                    let mut calls = Vec::new();
                    for (command, interpreter) in &commands {
                        let Tree::String(text) = &command.value else {
                            continue;
                        };
                        let interpreter = interpreter.map(|node| value(node, scope));
                        local_exec::json_calls(
                            text,
                            command.position,
                            interpreter,
                            scope,
                            &mut calls,
                        );
                    }
                    for call in &mut calls {
                        call.address = format!("{address} local-exec: {}", call.address);
                    }
                    found.extend(calls);
                    if snapshot {
                        found.push(resource_of(body, scope, address));
                    }
                };
                let address = format!("{module}{kind}.{name}");
                match instances(meta("count").as_ref(), meta("for_each").as_ref()) {
                    Instances::None => {}
                    Instances::Block => instance(&scope, address),
                    Instances::Each(keys) => {
                        let mut scope = scope.clone();
                        for (key, each) in keys {
                            let suffix = key_suffix(&key);
                            scope.each = Some((key, each));
                            instance(&scope, format!("{address}{suffix}"));
                        }
                    }
                }
            }
        }
    }
    Ok(found)
}

/// The `command` and `interpreter` of each `local-exec` provisioner of a resource's body:
/// `"provisioner"` an object (or array of objects) of provisioner types, each body an object
/// or an array of them.
fn local_exec_commands(body: &Node) -> Vec<(&Node, Option<&Node>)> {
    body.get_all("provisioner")
        .flat_map(entries)
        .filter(|(kind, _)| kind.scalar_text().as_deref() == Some("local-exec"))
        .flat_map(|(_, provisioners)| blocks(provisioners))
        .filter_map(|p| Some((p.get("command")?, p.get("interpreter"))))
        .collect()
}

/// The entries of an object, or of each object of an array.
fn entries(node: &Node) -> impl Iterator<Item = &(Node, Node)> {
    blocks(node).flat_map(|block| match &block.value {
        Tree::Map(entries) => entries.iter(),
        _ => [].iter(),
    })
}

/// The objects a node stands for: itself, or each object of an array.
fn blocks(node: &Node) -> impl Iterator<Item = &Node> {
    let items: &[Node] = match &node.value {
        Tree::List(items) => items,
        _ => std::slice::from_ref(node),
    };
    items
        .iter()
        .filter(|item| matches!(item.value, Tree::Map(_)))
}

/// Terraform's refusal of an argument (`Duplicate argument`) or object key (`Duplicate
/// object attribute`) given twice in a resource's body: it judges neither value.
fn refuse_repeats(node: &Node) -> Result<(), ReadFailure> {
    repeats_in(node, true)
}

/// [`refuse_repeats`] of `node`; in a block's `body`, keys named `//` are comments, which
/// Terraform skips before it looks for a repeat (hashicorp/hcl, `json/structure.go`).
fn repeats_in(node: &Node, body: bool) -> Result<(), ReadFailure> {
    match &node.value {
        Tree::Map(entries) => {
            let keys = entries
                .iter()
                .filter(|(key, _)| !(body && key.scalar_text().as_deref() == Some("//")));
            if let Some((first, again)) = first_repeat(keys) {
                let name = again.scalar_text().unwrap_or_default();
                return Err(ReadFailure::at(
                    format!(
                        "repeated key \"{name}\" at line {}, column {} (first at line {}, column {}): Terraform refuses an argument or object key given twice",
                        again.position.line,
                        again.position.column,
                        first.position.line,
                        first.position.column
                    ),
                    Some(again.position),
                ));
            }
            // In a body, a value is a nested block (`timeouts`, `lifecycle`), itself a
            // body, but for the one argument that is an object, `tags`.
            entries.iter().try_for_each(|(key, value)| {
                let nested_body = body && key.scalar_text().as_deref() != Some("tags");
                repeats_in(value, nested_body)
            })
        }
        Tree::List(items) => items.iter().try_for_each(|item| repeats_in(item, false)),
        _ => Ok(()),
    }
}

/// Arguments that are Terraform's, not the provider's.
const META_ARGUMENTS: &[&str] = &[
    "count",
    "for_each",
    "depends_on",
    "provider",
    "lifecycle",
    "connection",
    "provisioner",
];

/// One instance of the resource whose body is `body`.
fn resource_of(body: &Node, scope: &Scope, address: String) -> DeclaredSnapshot {
    let Tree::Map(attributes) = &body.value else {
        return DeclaredSnapshot::new(address, Some(body.position));
    };
    let arguments: Vec<Argument> = attributes
        .iter()
        .filter_map(|(key, node)| {
            let name = key.scalar_text().unwrap_or_default();
            if META_ARGUMENTS.contains(&name.as_str()) {
                return None;
            }
            let mut argument = Argument::new(name, value(node, scope), Some(node.position));
            if let Tree::Map(entries) = &node.value {
                argument.entries = entries.iter().map(|(k, _)| Some(k.position)).collect();
                // Some keys not known: the others are still judged, each unknown key
                // counting as a key of its own (D154).
                if argument.value == Value::Unknown {
                    argument.value = Value::Map(
                        map_entries(entries, scope)
                            .into_iter()
                            .zip(entries)
                            .enumerate()
                            .map(|(n, ((key, value), (written, _)))| {
                                let key = key.unwrap_or_else(|| {
                                    let shown = written.scalar_text().unwrap_or_default();
                                    argument.unknown_keys.push((n, format!("{shown:?}")));
                                    unknown_tag_key(n + 1)
                                });
                                (key, value)
                            })
                            .collect(),
                    );
                }
            }
            Some(argument)
        })
        .collect();
    provider::snapshot(
        address,
        Some(body.position),
        &arguments,
        Stage::Configuration,
    )
}

/// A JSON value as Terraform reads it: strings are templates.
fn value(node: &Node, scope: &Scope) -> Value {
    match &node.value {
        Tree::Null => Value::Null,
        Tree::Bool(b) => Value::Bool(*b),
        Tree::Number(n) => Value::Number(n.clone()),
        Tree::String(s) if !s.contains("${") && !s.contains("%{") => Value::String(s.clone()),
        Tree::String(s) => match hcl_edit::parser::parse_template(s) {
            // `"${expr}"` alone is the expression's value, of whatever type.
            Ok(template) => match template.iter().collect::<Vec<_>>().as_slice() {
                [Element::Interpolation(interpolation)] => scope.evaluate(&interpolation.expr),
                _ => scope.template(&template),
            },
            Err(_) => Value::Unknown,
        },
        Tree::List(items) => Value::List(items.iter().map(|n| value(n, scope)).collect()),
        Tree::Map(entries) => {
            let mut items = Vec::with_capacity(entries.len());
            for (key, value) in map_entries(entries, scope) {
                let Some(key) = key else {
                    return Value::Unknown;
                };
                items.push((key, value));
            }
            Value::Map(items)
        }
        Tree::Unknown => Value::Unknown,
    }
}

/// An object's entries: each key read as the template it is (`"${local.prefix}-team"`),
/// `None` when not known, with each value.
fn map_entries(entries: &[(Node, Node)], scope: &Scope) -> Vec<(Option<String>, Value)> {
    entries
        .iter()
        .map(|(key, node)| {
            let key = match value(key, scope) {
                Value::String(s) | Value::Number(s) => Some(s),
                Value::Bool(b) => Some(b.to_string()),
                _ => None,
            };
            (key, value(node, scope))
        })
        .collect()
}
