//! The rules of the tools a request passes before it reaches the API: the Terraform
//! provider, ROS and the aliyun CLI refuse some requests themselves, or warn. Their ids are
//! prefixed with the tool's name so that they never collide with an API error code.

use crate::finding::Severity;

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

/// `aliyun`: a parameter that `CreateSnapshot` does not have, nor the CLI as a flag.
pub const CLI_UNKNOWN_PARAMETER: &str = "aliyun-cli:UnknownParameter";
/// `aliyun`: a required parameter left out.
pub const CLI_MISSING_PARAMETER: &str = "aliyun-cli:MissingParameter";
/// `aliyun`: a parameter given twice.
pub const CLI_DUPLICATED_PARAMETER: &str = "aliyun-cli:DuplicatedParameter";
/// ROS: `Timeout` outside 200 to 1440 minutes.
pub const ROS_TIMEOUT: &str = "ros:TimeoutOutOfRange";
/// Terraform provider: an argument its schema refuses at plan time.
pub const TF_INVALID_VALUE: &str = "terraform:InvalidValue";
/// Terraform provider: `snapshot_name` and `name` both set.
pub const TF_CONFLICTING_ARGUMENTS: &str = "terraform:ConflictingArguments";
/// Terraform provider: a deprecated argument that is still sent (`name`).
pub const TF_DEPRECATED_ARGUMENT: &str = "terraform:DeprecatedArgument";
/// Terraform provider: a deprecated argument that is no longer sent at all.
pub const TF_NOT_SENT: &str = "terraform:ArgumentNotSent";

/// Every tool rule, in a stable order.
pub const TOOL_RULES: &[ToolRule] = &[
    ToolRule {
        id: CLI_UNKNOWN_PARAMETER,
        severity: Severity::Error,
        description: "The aliyun CLI refuses a parameter that CreateSnapshot does not have and that is no flag of the CLI.",
    },
    ToolRule {
        id: CLI_MISSING_PARAMETER,
        severity: Severity::Error,
        description: "The aliyun CLI refuses a call without a required parameter (DiskId).",
    },
    ToolRule {
        id: CLI_DUPLICATED_PARAMETER,
        severity: Severity::Error,
        description: "The aliyun CLI refuses a parameter given twice.",
    },
    ToolRule {
        id: ROS_TIMEOUT,
        severity: Severity::Error,
        description: "ROS refuses an ALIYUN::ECS::Snapshot whose Timeout is not 200 to 1440 minutes.",
    },
    ToolRule {
        id: TF_INVALID_VALUE,
        severity: Severity::Error,
        description: "The Terraform provider refuses the value at plan time (category must be \"standard\" or \"flash\", exactly).",
    },
    ToolRule {
        id: TF_CONFLICTING_ARGUMENTS,
        severity: Severity::Error,
        description: "The Terraform provider refuses snapshot_name and name together.",
    },
    ToolRule {
        id: TF_DEPRECATED_ARGUMENT,
        severity: Severity::Warning,
        description: "The argument is deprecated by the Terraform provider (name: use snapshot_name).",
    },
    ToolRule {
        id: TF_NOT_SENT,
        severity: Severity::Warning,
        description: "The argument is deprecated and the Terraform provider (1.231.0 and later) does not send it: it has no effect.",
    },
];
