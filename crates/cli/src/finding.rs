//! The one finding model: what every reader produces and every output format writes.
//!
//! An input (a file, or standard input) is judged into [`Subject`]s, one per snapshot it
//! declares (a Terraform resource, a plan's resource change, a ROS resource, one
//! `aliyun ecs CreateSnapshot` call, or the one request of a request file); each subject
//! has [`Finding`]s.

use std::borrow::Cow;
use std::path::PathBuf;

/// A place in an input: line and column, both from 1; the column counts characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1, in characters.
    pub column: usize,
}

impl Position {
    /// Line `line`, column `column`.
    pub const fn new(line: usize, column: usize) -> Position {
        Position { line, column }
    }
}

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The request would be refused: by the API, or by the tool that sends it.
    Error,
    /// The request would be accepted, but most likely does not do what was meant.
    Warning,
}

/// One thing found about one subject.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// A stable rule id: the API's error code (`InvalidSnapshotName.Malformed`), a warning
    /// kind of the rules (`UnknownParameter`), or a rule of the tool on the way, prefixed
    /// with its name (`aliyun-cli:UnknownParameter`, `ros:TimeoutOutOfRange`).
    pub rule: Cow<'static, str>,
    /// The API's HTTP status, for a refusal of the API.
    pub status: Option<u16>,
    /// The message: the API's exact message for an API refusal.
    pub message: String,
    /// The API parameter it is about (`SnapshotName`, `Tag.3.Key`).
    pub parameter: Option<String>,
    /// The source's own name for it (`snapshot_name`, `Tags`, `--SnapshotName`).
    pub attribute: Option<String>,
    /// Where in the input, when the format has positions.
    pub position: Option<Position>,
    /// What to write instead, when it is known (the parameter a misspelt one meant).
    pub suggestion: Option<String>,
}

impl Finding {
    /// Whether the finding is a refusal.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The message as a one-line title: `Code (HTTP 400): Message` for an API refusal, the
    /// message alone otherwise.
    pub fn headline(&self) -> Cow<'_, str> {
        match self.status {
            Some(status) => Cow::Owned(format!("{} (HTTP {status}): {}", self.rule, self.message)),
            None => Cow::Borrowed(&self.message),
        }
    }
}

/// A parameter that was not judged because its value is not known before the apply (a
/// reference to another resource, a function of unknown values, a shell variable).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The source's name for it (`disk_id`).
    pub attribute: String,
    /// The API parameter it would be (`DiskId`).
    pub parameter: String,
    /// Where it is.
    pub position: Option<Position>,
    /// The text its value starts with, when that much is known (`auto-` of
    /// `"auto-$(date +%F)"`); empty when nothing is.
    pub known_start: String,
}

/// One snapshot an input asks for, and what was found about it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Subject {
    /// The resource's address or logical ID (`module.db.alicloud_ecs_snapshot.nightly`,
    /// `NightlySnapshot`), or the command (`aliyun ecs CreateSnapshot`); `None` for the one
    /// request of a request file.
    pub address: Option<String>,
    /// Where it starts.
    pub position: Option<Position>,
    /// Refusals first, in the API's order, then warnings.
    pub findings: Vec<Finding>,
    /// The parameters whose values are not known, so not judged.
    pub skipped: Vec<Skipped>,
    /// Findings past the limit of one subject, counted and left out.
    pub omitted: usize,
    /// Findings silenced by a suppression comment.
    pub suppressed: usize,
}

impl Subject {
    /// Whether the request would be accepted.
    pub fn is_valid(&self) -> bool {
        !self.findings.iter().any(Finding::is_error)
    }

    /// The refusals, in order.
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.is_error())
    }

    /// The warnings, in order.
    pub fn warnings(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| !f.is_error())
    }
}

/// Why an input could not be judged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// What is wrong, e.g. `invalid JSON at line 2, column 5: expected ...`.
    pub message: String,
    /// Where, when known.
    pub position: Option<Position>,
}

/// What one input came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Read and judged: one subject per snapshot it asks for (none is possible: a Terraform
    /// file without snapshot resources).
    Judged(Vec<Subject>),
    /// It could not be read or parsed.
    Failed(Failure),
}

/// The kinds of input, as detected or as `--input-format` names them (the help shows these
/// lines).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum InputKind {
    /// One CreateSnapshot request: a query string, URL or JSON object.
    Request,
    /// Terraform configuration (.tf).
    Terraform,
    /// Terraform configuration in JSON syntax (.tf.json).
    TerraformJson,
    /// A Terraform plan as `terraform show -json` writes it.
    Plan,
    /// A ROS template, JSON or YAML.
    Ros,
    /// A shell script, Makefile or CI file with aliyun CLI calls.
    Shell,
}

impl InputKind {
    /// The kind's stable name, as `--input-format` takes it and the JSON output writes it.
    pub const fn id(self) -> &'static str {
        match self {
            InputKind::Request => "request",
            InputKind::Terraform => "terraform",
            InputKind::TerraformJson => "terraform-json",
            InputKind::Plan => "plan",
            InputKind::Ros => "ros",
            InputKind::Shell => "shell",
        }
    }
}

/// One input and what it came to: what every output format writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// The name it is reported under: `-`, or the path as given.
    pub name: String,
    /// The file's path, `None` for standard input.
    pub path: Option<PathBuf>,
    /// What kind of input it is; `None` when it could not be told.
    pub kind: Option<InputKind>,
    /// The verdicts, or why there are none.
    pub outcome: Outcome,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum;

    /// `--input-format` takes each kind by the name the JSON output writes.
    #[test]
    fn each_kind_is_named_alike_on_the_command_line_and_in_the_output() {
        let names: Vec<String> = InputKind::value_variants()
            .iter()
            .map(|kind| {
                let value = kind.to_possible_value().expect("not hidden");
                assert_eq!(value.get_name(), kind.id());
                value.get_name().to_owned()
            })
            .collect();
        assert_eq!(
            names,
            [
                "request",
                "terraform",
                "terraform-json",
                "plan",
                "ros",
                "shell"
            ]
        );
    }
}
