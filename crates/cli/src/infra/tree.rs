//! A document tree with the place of every node: what the JSON and YAML readers build for
//! ROS templates and Terraform's JSON syntax.

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
    /// A mapping, in document order; keys as text.
    Map(Vec<(Node, Node)>),
    /// A value the document leaves to the deployment: a YAML node with a local tag
    /// (`!Ref`, `!GetAtt`), or an alias.
    Unknown,
}

impl Node {
    /// The entry `key` of a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Tree::Map(entries) => entries
                .iter()
                .find(|(k, _)| matches!(&k.value, Tree::String(s) if s == key))
                .map(|(_, v)| v),
            _ => None,
        }
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
