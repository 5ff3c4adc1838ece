//! ROS templates (JSON or YAML, `ROSTemplateFormatVersion`): each resource of type
//! `ALIYUN::ECS::Snapshot`, its properties as ROS sends them to CreateSnapshot, and ROS's
//! own rule on `Timeout` (200 to 1440 minutes). A `Ref` (or `!Ref`) to a parameter of the
//! template with a `Default` is that default, as a Terraform variable's default is (D298);
//! other `Ref`s, `Fn::*` and YAML's other short forms (`!GetAtt`, `!Sub`) are values known only
//! at deployment: not judged.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;

use super::tree::{Node, Tree};
use super::{
    json_tree, ros_terraform, tag_names, unknown_tag_key, yaml_tree, Declarations,
    DeclaredSnapshot, ReadFailure,
};
use crate::tool_rules::ROS_TIMEOUT;

/// The resource type.
pub const SNAPSHOT_TYPE: &str = "ALIYUN::ECS::Snapshot";

/// ROS's range for `Timeout`, in minutes.
const TIMEOUT_MINUTES: std::ops::RangeInclusive<i64> = 200..=1440;

/// The properties sent as they are, by name.
const PROPERTIES: &[&str] = &[
    "DiskId",
    "SnapshotName",
    "Description",
    "RetentionDays",
    "InstantAccess",
    "InstantAccessRetentionDays",
    "ResourceGroupId",
];

/// The snapshots of the template `text`, JSON when it starts with `{`, else YAML.
pub fn read(text: &str) -> Declarations {
    let body = text.trim_start_matches('\u{feff}').trim_start();
    let root = if body.starts_with('{') {
        json_tree::parse(text)?
    } else {
        yaml_tree::parse(text)?
    };
    if root.get("ROSTemplateFormatVersion").is_none() {
        return Err(ReadFailure::at(
            "not a ROS template: no ROSTemplateFormatVersion",
            Some(root.position),
        ));
    }
    // A template that hands its `Workspace` to Terraform (D299).
    let mut found = if ros_terraform::is_terraform(&root) {
        ros_terraform::read(&root, text, parameter_defaults(&root))?
    } else {
        Vec::new()
    };
    let defaults = Defaults::of(&root);
    let conditions = Conditions {
        root: &root,
        defaults: &defaults,
        named: RefCell::new(HashMap::new()),
    };
    let Some(Node {
        value: Tree::Map(resources),
        ..
    }) = root.get("Resources")
    else {
        return Ok(found);
    };
    for (id, resource) in resources {
        let is_snapshot = matches!(
            resource.get("Type").map(|t| &t.value),
            Some(Tree::String(t)) if t == SNAPSHOT_TYPE
        );
        if !is_snapshot {
            continue;
        }
        // `Count: 0` creates none, nor a `Condition` that is false, each read with the
        // parameters' defaults. Where either is not known, the resource is judged once, as
        // written, and without the defaults: they may be what leaves it uncreated (D298).
        let count = resource.get("Count").map(|c| defaults.resolve(c));
        let count = count.as_deref().map(Node::scalar_text);
        let count = count.map(|c| c.and_then(|n| n.trim().parse::<f64>().ok()));
        if count == Some(Some(0.0)) {
            continue;
        }
        let condition = resource.get("Condition").map(|c| conditions.holds(c, 0));
        if condition == Some(Some(false)) {
            continue;
        }
        let known = count.is_none_or(|c| c.is_some()) && condition.is_none_or(|c| c.is_some());
        let none = Defaults::default();
        let id = id.scalar_text().unwrap_or_default();
        found.push(snapshot(
            id,
            resource,
            if known { &defaults } else { &none },
        ));
    }
    Ok(found)
}

/// The template's `Conditions`, read with the parameters' defaults, each named one once.
struct Conditions<'t> {
    root: &'t Node,
    defaults: &'t Defaults<'t>,
    /// What each named condition came to: conditions that name each other are read once
    /// each, not once a path.
    named: RefCell<HashMap<String, Option<bool>>>,
}

impl Conditions<'_> {
    /// Whether the condition `node` (a resource's `Condition`: a name in `Conditions`, or a
    /// condition function) holds: `Fn::Equals`, `Fn::Not`, `Fn::And`, `Fn::Or` and
    /// `{"Condition": NAME}`; `None` when it is not known. `depth` bounds conditions that
    /// name each other in a loop.
    fn holds(&self, node: &Node, depth: usize) -> Option<bool> {
        if depth > 16 {
            return None;
        }
        if let Some(name) = node.scalar_text() {
            if let Some(known) = self.named.borrow().get(&name) {
                return *known;
            }
            let named = self.root.get("Conditions").and_then(|c| c.get(&name));
            let holds = named.and_then(|n| self.holds(n, depth + 1));
            self.named.borrow_mut().insert(name, holds);
            return holds;
        }
        let (function, arguments) = function(node)?;
        let holds = |n: &Node| self.holds(n, depth + 1);
        match (function, &arguments.value) {
            ("Condition", _) => holds(arguments),
            ("Fn::Not", Tree::List(items)) if items.len() == 1 => holds(&items[0]).map(|b| !b),
            ("Fn::And", Tree::List(items)) => items
                .iter()
                .try_fold(true, |all, item| Some(all & holds(item)?)),
            ("Fn::Or", Tree::List(items)) => items
                .iter()
                .try_fold(false, |any, item| Some(any | holds(item)?)),
            ("Fn::Equals", Tree::List(items)) if items.len() == 2 => {
                let a = self.defaults.resolve(&items[0]);
                let b = self.defaults.resolve(&items[1]);
                Some(a.scalar_text()? == b.scalar_text()?)
            }
            _ => None,
        }
    }
}

/// The template's parameters that have a scalar `Default`: what a `Ref` to them is when the
/// stack is created without them.
#[derive(Default)]
struct Defaults<'t> {
    parameters: HashMap<String, &'t Node>,
}

impl<'t> Defaults<'t> {
    fn of(root: &'t Node) -> Defaults<'t> {
        let parameters = parameter_defaults(root)
            .filter_map(|(name, default)| Some((name, default?)))
            .collect();
        Defaults { parameters }
    }

    /// `node`, or the default it refers to (`{"Ref": "Name"}`, `!Ref Name`), placed where
    /// it is used.
    fn resolve<'n>(&self, node: &'n Node) -> Cow<'n, Node> {
        let default = function(node)
            .filter(|(function, _)| *function == "Ref")
            .and_then(|(_, name)| self.parameters.get(&name.scalar_text()?));
        match default {
            Some(default) => Cow::Owned(Node {
                value: default.value.clone(),
                position: node.position,
            }),
            None => Cow::Borrowed(node),
        }
    }
}

/// The template's `Parameters` with a scalar `Default`, by name, the last declaration of a
/// name winning as a YAML or JSON reader keeps it: `None` for an empty default, the idiom of
/// an optional parameter, which ROS may leave out of the request (D298).
fn parameter_defaults(root: &Node) -> impl Iterator<Item = (String, Option<&Node>)> {
    let declared = match root.get("Parameters").map(|p| &p.value) {
        Some(Tree::Map(declared)) => declared.as_slice(),
        _ => &[],
    };
    declared.iter().filter_map(|(name, parameter)| {
        let default = parameter.get("Default")?;
        let text = default.scalar_text()?;
        Some((name.scalar_text()?, (!text.is_empty()).then_some(default)))
    })
}

/// A ROS function: a mapping of one entry (`{"Ref": "Name"}`, `{"Fn::Equals": [...]}`), as
/// its name and argument.
fn function(node: &Node) -> Option<(&str, &Node)> {
    let Tree::Map(entries) = &node.value else {
        return None;
    };
    let [(name, argument)] = entries.as_slice() else {
        return None;
    };
    match &name.value {
        Tree::String(name) => Some((name, argument)),
        _ => None,
    }
}

/// A value of the template that ROS resolves at deployment: a YAML local tag, an alias, or
/// a JSON `{"Ref": ...}` / `{"Fn::...": ...}`.
fn is_deployment_value(node: &Node) -> bool {
    node.value == Tree::Unknown
        || function(node).is_some_and(|(name, _)| name == "Ref" || name.starts_with("Fn::"))
}

fn snapshot(id: String, resource: &Node, defaults: &Defaults<'_>) -> DeclaredSnapshot {
    let mut declared = DeclaredSnapshot::new(id, Some(resource.position));
    let Some(properties) = resource.get("Properties") else {
        return declared;
    };
    if is_deployment_value(properties) {
        declared.skip("Properties", "DiskId", Some(properties.position));
        return declared;
    }
    for &name in PROPERTIES {
        let Some(value) = properties.get(name).map(|v| defaults.resolve(v)) else {
            continue;
        };
        if is_deployment_value(&value) {
            declared.skip(name, name, Some(value.position));
            continue;
        }
        if let Some(text) = value.scalar_text() {
            declared.send(name, text, name, Some(value.position));
        }
    }
    if let Some(tags) = properties.get("Tags") {
        read_tags(&mut declared, tags, defaults);
    }
    if let Some(timeout) = properties.get("Timeout").map(|t| defaults.resolve(t)) {
        check_timeout(&mut declared, &timeout);
    }
    declared
}

fn read_tags(declared: &mut DeclaredSnapshot, tags: &Node, defaults: &Defaults<'_>) {
    declared.tags = Some(("Tags".to_owned(), Some(tags.position)));
    declared.tags_numbered = true;
    if is_deployment_value(tags) {
        declared.skip("Tags", "Tag", Some(tags.position));
        return;
    }
    let Tree::List(items) = &tags.value else {
        return;
    };
    for (n, item) in items.iter().enumerate() {
        let index = n + 1;
        let (key_name, value_name) = tag_names(index);
        let attribute = format!("Tags[{n}]");
        let at = Some(item.position);
        if is_deployment_value(item) {
            declared.skip(&attribute, key_name.clone(), at);
            declared.send(key_name.clone(), unknown_tag_key(index), &attribute, at);
            continue;
        }
        match item.get("Key").map(|k| defaults.resolve(k)) {
            Some(key) if is_deployment_value(&key) => {
                declared.skip(&attribute, key_name.clone(), Some(key.position));
                declared.send(key_name.clone(), unknown_tag_key(index), &attribute, at);
            }
            Some(key) => {
                let text = key.scalar_text().unwrap_or_default();
                declared.send(
                    key_name.clone(),
                    text,
                    format!("{attribute}.Key"),
                    Some(key.position),
                );
            }
            // A tag without a key: the API's refusal of an empty key.
            None => declared.send(key_name.clone(), "", &attribute, at),
        }
        if let Some(value) = item.get("Value").map(|v| defaults.resolve(v)) {
            if is_deployment_value(&value) {
                declared.skip(&attribute, value_name.clone(), Some(value.position));
            } else if let Some(text) = value.scalar_text() {
                declared.send(
                    value_name.clone(),
                    text,
                    format!("{attribute}.Value"),
                    Some(value.position),
                );
            }
        }
    }
}

fn check_timeout(declared: &mut DeclaredSnapshot, timeout: &Node) {
    if is_deployment_value(timeout) {
        declared.skip("Timeout", "Timeout", Some(timeout.position));
        return;
    }
    let minutes = timeout
        .scalar_text()
        .and_then(|t| t.trim().parse::<i64>().ok());
    if minutes.is_some_and(|m| TIMEOUT_MINUTES.contains(&m)) {
        return;
    }
    declared.findings.push(ROS_TIMEOUT.finding(
        format!(
            "Timeout must be an integer from {} to {} (minutes), not {}",
            TIMEOUT_MINUTES.start(),
            TIMEOUT_MINUTES.end(),
            timeout
                .scalar_text()
                .unwrap_or_else(|| "a list or mapping".to_owned())
        ),
        Some("Timeout"),
        None,
        Some(timeout.position),
    ));
}
