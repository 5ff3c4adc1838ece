//! A document tree with the place of every node: what the JSON and YAML readers build for
//! ROS templates and Terraform's JSON syntax.

use std::collections::HashMap;

use crate::finding::Position;

/// The deepest nesting a document may have: deeper is refused, so that no reader or
/// walker of a hostile document exhausts the call stack.
pub const MAX_DEPTH: usize = 128;

/// A node and where it starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// What it is.
    pub value: Tree,
    /// Where it starts.
    pub position: Position,
}

/// The kinds of node.
#[derive(Clone, Debug, PartialEq)]
pub enum Tree {
    /// `null` (YAML: `~`, `null`, or nothing).
    Null,
    /// A boolean.
    Bool(bool),
    /// A number, as written.
    Number(String),
    /// A string.
    String(String),
    /// A list.
    List(Vec<Node>),
    /// A mapping, in document order. The YAML reader and the ROS JSON reader keep each key
    /// once (its last value, [`last_wins`]); `.tf.json` keeps every entry as written.
    Map(Vec<(Node, Node)>),
    /// A value the document leaves to the deployment: a YAML node with a local tag
    /// (`!Ref`, `!GetAtt`), or an alias.
    Unknown,
}

impl Node {
    /// The entry `key` of a mapping (the first, where keys may repeat).
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Tree::Map(entries) => entries
                .iter()
                .find(|(k, _)| matches!(&k.value, Tree::String(s) if s == key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// Every entry `key` of a mapping, in document order.
    pub fn get_all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        let entries: &[(Node, Node)] = match &self.value {
            Tree::Map(entries) => entries,
            _ => &[],
        };
        entries
            .iter()
            .filter(move |(k, _)| matches!(&k.value, Tree::String(s) if s == key))
            .map(|(_, v)| v)
    }

    /// The text of a string, number or boolean, as a tool sends it.
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Tree::String(s) | Tree::Number(s) => Some(s.clone()),
            Tree::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
}

/// A scalar key as the loaders compare keys: `1` and `'1'` are two keys, `true` and `True`
/// one. Lists, mappings and unknown values as keys are never equal to another.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum KeyId<'a> {
    Null,
    Bool(bool),
    Number(&'a str),
    String(&'a str),
}

fn key_id(key: &Node) -> Option<KeyId<'_>> {
    match &key.value {
        Tree::Null => Some(KeyId::Null),
        Tree::Bool(b) => Some(KeyId::Bool(*b)),
        Tree::Number(n) => Some(KeyId::Number(n)),
        Tree::String(s) => Some(KeyId::String(s)),
        Tree::List(_) | Tree::Map(_) | Tree::Unknown => None,
    }
}

/// The entries of a mapping with each repeated key's last value only, where that value
/// stands: Python's `json` and PyYAML (which ROS loads templates with), Go and JavaScript
/// all keep the last. One pass and a hash index, however many keys.
pub fn last_wins(entries: Vec<(Node, Node)>) -> Vec<(Node, Node)> {
    let mut last = HashMap::with_capacity(entries.len());
    for (n, (key, _)) in entries.iter().enumerate() {
        if let Some(id) = key_id(key) {
            last.insert(id, n);
        }
    }
    let keep: Vec<bool> = entries
        .iter()
        .enumerate()
        .map(|(n, (key, _))| key_id(key).is_none_or(|id| last.get(&id) == Some(&n)))
        .collect();
    if keep.iter().all(|&k| k) {
        return entries;
    }
    entries
        .into_iter()
        .zip(keep)
        .filter_map(|(entry, keep)| keep.then_some(entry))
        .collect()
}

/// The first key of `entries` given a second time, and its first occurrence: for a reader
/// whose tool refuses a repeated key rather than keeping either value.
pub fn first_repeat<'a>(
    entries: impl IntoIterator<Item = &'a (Node, Node)>,
) -> Option<(&'a Node, &'a Node)> {
    let mut seen = HashMap::new();
    for (key, _) in entries {
        if let Some(id) = key_id(key) {
            if let Some(first) = seen.insert(id, key) {
                return Some((first, key));
            }
        }
    }
    None
}
