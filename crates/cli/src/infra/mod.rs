//! Readers of infrastructure code: each turns one file into the snapshots it declares, as
//! the tool that reads it would send them to `CreateSnapshot`, with the place of every
//! value. They judge nothing themselves but the tool's own rules.

pub mod aliyun_cli;
pub mod ci_yaml;
pub mod hcl_size;
pub mod instances;
pub mod json_tree;
pub mod local_exec;
pub mod plan;
pub mod position;
pub mod provider;
pub mod ros;
pub mod ros_terraform;
pub mod shell;
pub mod terraform;
pub mod terraform_json;
pub mod terraform_project;
pub mod tree;
pub mod variables;
mod word;
pub mod yaml_tree;

use crate::finding::{Finding, Position, Skipped};
use crate::library::{tag_parameter, TagField, TagSpelling};

/// The most any input may hold: the plan of a large monorepo runs to tens of megabytes. The
/// files of a module read beside an input (its other `.tf` files, its `.tfvars`) are held to
/// it too.
pub const MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

/// One parameter as the tool would send it, and where it comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceParameter {
    /// The API's name, e.g. `SnapshotName`, `Tag.2.Key`.
    pub name: String,
    /// The value, as sent.
    pub value: String,
    /// The source's name for it, e.g. `snapshot_name`, `tags`, `--SnapshotName`.
    pub attribute: String,
    /// Where the value is.
    pub position: Option<Position>,
}

/// One snapshot that a source asks to create.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeclaredSnapshot {
    /// The resource's address or logical ID, or the command.
    pub address: String,
    /// Where the declaration starts.
    pub position: Option<Position>,
    /// The parameters whose values are known.
    pub parameters: Vec<SourceParameter>,
    /// The parameters whose values are not known before the apply.
    pub skipped: Vec<Skipped>,
    /// What the tool on the way says itself (ROS's Timeout, the CLI's unknown parameter).
    pub findings: Vec<Finding>,
    /// The tag collection's source name and place, for a finding about all tags (their
    /// number).
    pub tags: Option<(String, Option<Position>)>,
    /// Whether the tags' N is the tool's own numbering of a map or list (Terraform, ROS),
    /// not one the source wrote (`--Tag.21.Key`): then an N past 20 is no fault of any tag,
    /// only of their number.
    pub tags_numbered: bool,
}

impl DeclaredSnapshot {
    /// Moves every place of the declaration by `map` (a text read out of another file's
    /// value, placed in that file).
    pub fn map_positions(&mut self, map: &dyn Fn(Position) -> Position) {
        let moved = |p: &mut Option<Position>| *p = p.map(map);
        moved(&mut self.position);
        self.parameters
            .iter_mut()
            .for_each(|p| moved(&mut p.position));
        self.skipped.iter_mut().for_each(|s| moved(&mut s.position));
        self.findings
            .iter_mut()
            .for_each(|f| moved(&mut f.position));
        if let Some((_, at)) = &mut self.tags {
            moved(at);
        }
    }

    /// A declaration named `address` at `position`, with nothing in it yet.
    pub fn new(address: impl Into<String>, position: Option<Position>) -> DeclaredSnapshot {
        DeclaredSnapshot {
            address: address.into(),
            position,
            ..DeclaredSnapshot::default()
        }
    }

    /// Adds a known parameter.
    pub fn send(
        &mut self,
        name: impl Into<String>,
        value: impl Into<String>,
        attribute: impl Into<String>,
        position: Option<Position>,
    ) {
        self.parameters.push(SourceParameter {
            name: name.into(),
            value: value.into(),
            attribute: attribute.into(),
            position,
        });
    }

    /// Records a parameter whose value is not known; `parameter` is empty when its name is
    /// not known either (a shell word that may expand to flags).
    pub fn skip(
        &mut self,
        attribute: impl Into<String>,
        parameter: impl Into<String>,
        position: Option<Position>,
    ) {
        self.skip_known_start(attribute, parameter, String::new(), position);
    }

    /// Records a parameter whose value is not known past its start (`auto-` of
    /// `auto-$(date +%F)`): judged only where every value so starting is refused alike.
    pub fn skip_known_start(
        &mut self,
        attribute: impl Into<String>,
        parameter: impl Into<String>,
        known_start: impl Into<String>,
        position: Option<Position>,
    ) {
        self.skipped.push(Skipped {
            attribute: attribute.into(),
            parameter: parameter.into(),
            position,
            known_start: known_start.into(),
        });
    }
}

/// What a file of infrastructure code came to: the snapshots it declares, or why it
/// cannot be read.
pub type Declarations = Result<Vec<DeclaredSnapshot>, ReadFailure>;

/// Why a file cannot be read, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadFailure {
    /// What is wrong.
    pub message: String,
    /// Where, when known.
    pub position: Option<Position>,
}

impl ReadFailure {
    /// A failure at `position`.
    pub fn at(message: impl Into<String>, position: Option<Position>) -> ReadFailure {
        ReadFailure {
            message: message.into(),
            position,
        }
    }
}

/// The API's names of tag `n`'s key and value, `Tag.n.Key` and `Tag.n.Value`, as the library
/// spells them.
pub fn tag_names(n: usize) -> (String, String) {
    let n = u32::try_from(n).unwrap_or(u32::MAX);
    let name = |field| tag_parameter(n, field, TagSpelling::Current).into_owned();
    (name(TagField::Key), name(TagField::Value))
}

/// The value that stands in for a tag key that is not known: valid, and unlike every
/// other, so that the tag still counts towards the quota and repeats no key.
pub fn unknown_tag_key(n: usize) -> String {
    format!("unknown-key-{n}")
}
