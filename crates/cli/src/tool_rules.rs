//! The rules of the tools a request passes before it reaches the API: the Terraform
//! provider, ROS and the aliyun CLI refuse some requests themselves, or warn. Their ids are
//! prefixed with the tool's name so that they never collide with an API error code.

use crate::finding::{Finding, Position, Severity};

/// One rule of a tool on the way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ToolRule {
    /// The stable id, e.g. `aliyun-cli:UnknownParameter`.
    pub id: &'static str,
    /// Error (the tool refuses) or warning.
    pub severity: Severity,
    /// What it means, in one sentence.
    pub description: &'static str,
}

impl ToolRule {
    /// A finding of this rule, at the rule's severity: `attribute` is the source's name for
    /// what it is about (`--DiskId`, `name`), `parameter` the API's (`SnapshotName`).
    pub fn finding(
        self,
        message: String,
        attribute: Option<&str>,
        parameter: Option<&str>,
        position: Option<Position>,
    ) -> Finding {
        Finding {
            severity: self.severity,
            rule: self.id.into(),
            status: None,
            message,
            parameter: parameter.map(str::to_owned),
            attribute: attribute.map(str::to_owned),
            position,
            suggestion: None,
        }
    }
}

/// `aliyun`: a parameter that `CreateSnapshot` does not have, nor the CLI as a flag.
pub const CLI_UNKNOWN_PARAMETER: ToolRule = ToolRule {
    id: "aliyun-cli:UnknownParameter",
    severity: Severity::Error,
    description: "The aliyun CLI refuses a parameter that CreateSnapshot does not have and that is no flag of the CLI.",
};
/// `aliyun`: a required parameter left out.
pub const CLI_MISSING_PARAMETER: ToolRule = ToolRule {
    id: "aliyun-cli:MissingParameter",
    severity: Severity::Error,
    description: "The aliyun CLI refuses a call without a required parameter (DiskId).",
};
/// `aliyun`: a parameter given twice.
pub const CLI_DUPLICATED_PARAMETER: ToolRule = ToolRule {
    id: "aliyun-cli:DuplicatedParameter",
    severity: Severity::Error,
    description: "The aliyun CLI refuses a parameter given twice.",
};
/// ROS: `Timeout` outside 200 to 1440 minutes.
pub const ROS_TIMEOUT: ToolRule = ToolRule {
    id: "ros:TimeoutOutOfRange",
    severity: Severity::Error,
    description: "ROS refuses an ALIYUN::ECS::Snapshot whose Timeout is not 200 to 1440 minutes.",
};
/// Terraform provider: an argument its schema refuses at plan time.
pub const TF_INVALID_VALUE: ToolRule = ToolRule {
    id: "terraform:InvalidValue",
    severity: Severity::Error,
    description: "The Terraform provider refuses the value at plan time (category must be \"standard\" or \"flash\", exactly).",
};
/// Terraform provider: `snapshot_name` and `name` both set.
pub const TF_CONFLICTING_ARGUMENTS: ToolRule = ToolRule {
    id: "terraform:ConflictingArguments",
    severity: Severity::Error,
    description: "The Terraform provider refuses snapshot_name and name together.",
};
/// Terraform provider: a deprecated argument that is still sent (`name`).
pub const TF_DEPRECATED_ARGUMENT: ToolRule = ToolRule {
    id: "terraform:DeprecatedArgument",
    severity: Severity::Warning,
    description: "The argument is deprecated by the Terraform provider (name: use snapshot_name).",
};
/// Terraform provider: a deprecated argument that is no longer sent at all.
pub const TF_NOT_SENT: ToolRule = ToolRule {
    id: "terraform:ArgumentNotSent",
    severity: Severity::Warning,
    description: "The argument is deprecated and the Terraform provider (1.231.0 and later) does not send it: it has no effect.",
};

/// Every tool rule, in a stable order.
pub const TOOL_RULES: &[ToolRule] = &[
    CLI_UNKNOWN_PARAMETER,
    CLI_MISSING_PARAMETER,
    CLI_DUPLICATED_PARAMETER,
    ROS_TIMEOUT,
    TF_INVALID_VALUE,
    TF_CONFLICTING_ARGUMENTS,
    TF_DEPRECATED_ARGUMENT,
    TF_NOT_SENT,
];
