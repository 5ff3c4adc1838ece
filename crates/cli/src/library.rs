//! The one door to the rules library: every item of `ecs_snapshot_rules` the command uses is
//! named here and nowhere else, so that a change of the library's paths is a change of this
//! file alone.

pub use ecs_snapshot_rules::catalogue::{xml_escape, Scope, Source};
pub use ecs_snapshot_rules::request::{
    tag_parameter, Name, Parameter, Rule, TagField, TagSpelling, MAX_TAGS,
};
pub use ecs_snapshot_rules::rules::{did_you_mean, Warning, WarningKind};
pub use ecs_snapshot_rules::state::{warnings as state_warnings, TimestampError};
pub use ecs_snapshot_rules::wire::{is_json, percent, query_of};
pub use ecs_snapshot_rules::{
    check_preconditions, parse_pairs, parse_request, validate, violations, warnings, ApiError,
    CreateSnapshotRequest, ErrorCode, Facts, ParseError, Timestamp,
};

/// What `serve` uses besides: the simulator, the signature check and the response bodies.
#[cfg(feature = "server")]
pub use ecs_snapshot_rules::{
    catalogue::{success_json_body, success_xml_body},
    parse_query,
    rules::too_many_tags,
    signature::{verify, Credentials, NonceLedger, SignedRequest},
    state::{Notice, RegionError, SnapshotSource},
    wire::body_is_form,
    Region,
};
