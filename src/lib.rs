//! Every documented rule of Alibaba Cloud ECS's `CreateSnapshot` API, answering a request the
//! way the API would: accepted, or refused with the exact HTTP status, error code and message.
//!
//! ```
//! use ecs_snapshot_rules::{parse_query, validate, ErrorCode};
//!
//! // Names that start with "auto" are reserved for automatic snapshots.
//! let request = parse_query("Action=CreateSnapshot&DiskId=d-bp1s5fnvk4gn2tws0&SnapshotName=auto-nightly")?;
//! let refusal = validate(&request).unwrap_err();
//!
//! assert_eq!(refusal.status(), 400);
//! assert_eq!(refusal.code(), ErrorCode::InvalidSnapshotNameMalformed);
//! assert_eq!(refusal.code().as_str(), "InvalidSnapshotName.Malformed");
//! assert_eq!(refusal.message(), "The specified SnapshotName is wrongly formed.");
//! assert_eq!(refusal.parameter(), Some("SnapshotName"));
//! # Ok::<(), ecs_snapshot_rules::ParseError>(())
//! ```
//!
//! # Map
//! - **The request**: [`CreateSnapshotRequest`], built in code or read from the wire with
//!   [`parse_query`] (query string or form body), [`parse_pairs`] (decoded pairs) or
//!   [`parse_json`] (both JSON shapes); [`parse_request`] tells JSON from a query string.
//!   Wire errors are [`ParseError`]s, which map to the API's answer with
//!   [`ParseError::api_error`]. [`CreateSnapshotRequest::to_query`] and
//!   [`CreateSnapshotRequest::to_json`] write one back.
//! - **The verdict**: [`validate`] returns the first failure of the stateless rules in one
//!   documented order; [`violations`] returns all of them. Neither allocates unless it
//!   refuses with a message filled in at run time.
//! - **The zero-allocation path**: [`parse_query_view`] and [`parse_json_view`] read a
//!   [`RequestView`], which borrows its text from the input (allocating only for a value
//!   that decoding changes) and keeps up to 20 tags inline ([`TagList`]);
//!   [`RequestView::validate`] judges it by the same rule code as [`validate`].
//!   [`RequestView::into_owned`] and [`CreateSnapshotRequest::view`] convert.
//! - **The catalogue**: [`ErrorCode`] has one variant per row of the spec's error table and
//!   the SUPPLEMENT's, each with its status, code, message, description and source;
//!   [`ApiError`] is one refusal with its message filled in, and writes the API's error
//!   body ([`ApiError::json_body`], [`ApiError::xml_body`]); [`success_json_body`] and
//!   [`success_xml_body`] write the success bodies.
//! - **The warnings**: [`warnings`] lists what the API accepts but a caller most likely did
//!   not mean (unknown parameters with a "did you mean", deprecated spellings, parameters
//!   without effect), each a [`Warning`].
//! - **The oracle**: [`oracle::valid_request`] makes valid requests from a seed and
//!   [`oracle::Defect`] breaks one in exactly one documented way, with the error it must get.
//!   With the `proptest` feature, `strategy` has proptest strategies for valid requests and
//!   for requests and query strings broken in one way, for every code a request alone can
//!   cause.
//! - **The state**: [`check_preconditions`] judges a request against the [`Facts`] it meets
//!   (account, disks, instances, volumes, resource groups, ClientTokens) at a [`Timestamp`];
//!   [`Region`] is a deterministic simulator built on it, with the state machines of
//!   [`InstanceStatus`], [`DiskStatus`] and [`SnapshotStatus`] (`docs/STATEFUL.md`).
//! - **The signatures** (cargo feature `signature`): `signature::verify` authenticates a
//!   request signed with RPC HMAC-SHA1 or ACS3-HMAC-SHA256 and answers a refusal with the
//!   API's error; `signature::NonceLedger` refuses replays.
//!
//! Everything is a pure function: no I/O, no globals, no panics, time and memory linear in
//! the input. Decisions where the spec is silent are in `docs/DECISIONS.md`.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod api_error;
mod assemble;
mod catalogue;
mod encode;
mod encode_json;
mod envelope;
mod json;
pub mod oracle;
mod parameter;
mod parse_error;
mod query;
mod request;
/// Request signature verification (RPC HMAC-SHA1 and ACS3-HMAC-SHA256), the nonce ledger and
/// the credentials a server accepts; with the cargo feature `signature`.
#[cfg(feature = "signature")]
#[cfg_attr(docsrs, doc(cfg(feature = "signature")))]
pub mod signature;
mod splitmix;
mod state;
#[cfg(feature = "proptest")]
#[cfg_attr(docsrs, doc(cfg(feature = "proptest")))]
pub mod strategy;
mod text_rules;
mod validate;
mod view;
mod warnings;
mod words;

pub use api_error::ApiError;
pub use assemble::parse_pairs;
pub use catalogue::{ErrorCode, Scope, Source};
pub use envelope::{success_json_body, success_xml_body};
pub use json::{parse_json, parse_json_view};
pub use parameter::{ParameterName, COMMON_PARAMETERS, REQUEST_PARAMETERS};
pub use parse_error::ParseError;
pub use query::{parse_query, parse_query_view};
pub use request::{CreateSnapshotRequest, SnapshotCategory, Tag, TagSpelling, Typed};
pub use state::{
    check_preconditions, Accepted, AccountFacts, Answer, DiskCategory, DiskCondition, DiskEvent,
    DiskFacts, DiskStatus, Encryption, Facts, FactsError, Fault, InstanceEvent, InstanceFacts,
    InstanceStatus, InvalidTransition, LockReason, NewInstance, NewSnapshot, Notice, OperationLock,
    Region, RegionError, RequestMeaning, SnapshotEvent, SnapshotKind, SnapshotRecord,
    SnapshotSource, SnapshotStatus, SnapshotSupport, Success, Ticket, Timestamp, TimestampError,
    TokenRecord, VolumeFacts, ATTACH_WAIT_SECONDS_PER_GIB, MAX_MANUAL_SNAPSHOTS,
};
pub use validate::{validate, violations};
pub use view::{RequestView, TagList, TagView, TypedView};
pub use warnings::{did_you_mean, warnings, Warning, WarningKind};

/// Reads a request whose format is not known in advance: JSON when the first non-blank
/// character is `{` (or `[` or `"`, which are JSON too, and refused as not an object),
/// otherwise a query string or URL. A leading byte order mark is skipped.
///
/// ```
/// use ecs_snapshot_rules::{parse_request, ParseError};
///
/// let from_json = parse_request(r#"{"DiskId": "d-1", "InstantAccess": "True"}"#)?;
/// let from_query = parse_request("DiskId=d-1&InstantAccess=true")?;
/// assert_eq!(from_json, from_query);
/// assert!(matches!(parse_request(r#"[{"DiskId": "d-1"}]"#), Err(ParseError::Json { .. })));
/// # Ok::<(), ecs_snapshot_rules::ParseError>(())
/// ```
pub fn parse_request(input: impl AsRef<[u8]>) -> Result<CreateSnapshotRequest, ParseError> {
    let input = input.as_ref();
    let body = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{' | b'[' | b'"') => parse_json(body),
        _ => parse_query(body),
    }
}

/// The README's Rust examples, compiled and run as doctests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
