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
//!
//! A request flows one way: bytes → a [`wire`] reader → a [`CreateSnapshotRequest`] → the
//! [`rules`] → the [`state`] it meets → the API's answer, whose codes are the [`catalogue`]'s.
//!
//! - [`request`]: the request, generated from one table of parameters
//!   ([`request::Parameter`]), with its tags and typed values.
//! - [`wire`]: [`parse_query`] (query string, form body or URL), [`parse_pairs`] (decoded
//!   pairs), [`parse_json`] (the SDK's `to_map()` shape and the flat one), [`parse_request`]
//!   (either); the zero-allocation readers; the writers `to_query`, `to_pairs` and `to_json`;
//!   the percent-encoding codec; [`ParseError`], which knows the API's answer to what cannot
//!   be read.
//! - [`rules`]: [`validate`] returns the first failure of the stateless rules in one
//!   documented order, [`violations`] all of them, [`warnings`] what the API accepts but a
//!   caller most likely did not mean. None allocates unless it must. [`rules::patterns`]
//!   writes each documented text format as regular expressions.
//! - [`catalogue`]: [`ErrorCode`], one variant per row of the API's error tables, each with
//!   its status, message and source; [`ApiError`], one refusal, which writes the API's error
//!   bodies.
//! - [`state`]: [`check_preconditions`] judges a request against the [`Facts`] it meets at a
//!   [`Timestamp`], and [`state::warnings`] says what those facts make ineffective; [`Region`]
//!   is a deterministic simulator built on it.
//! - [`testing`]: requests for fuzzing campaigns and property tests, valid ones and ones
//!   broken in exactly one documented way with the answer they must get.
//! - `signature` (cargo feature `signature`): request signatures as the official SDKs make
//!   them.
//!
//! The rules are those of the current revision of the API reference, with its earlier
//! revision where it is silent; a request Alibaba's own tools send and the API accepts is
//! never refused (`tests/evidence/`).
//!
//! Everything is a pure function: no I/O, no globals, no panics, time and memory linear in
//! the input. Decisions where the documents are silent or disagree are in
//! `docs/DECISIONS.md`, and
//! `docs/ARCHITECTURE.md` walks through the modules.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![deny(clippy::missing_errors_doc)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod catalogue;
pub mod request;
pub mod rules;
#[cfg(feature = "signature")]
#[cfg_attr(docsrs, doc(cfg(feature = "signature")))]
pub mod signature;
pub mod state;
pub mod testing;
pub mod wire;

pub use catalogue::{ApiError, ErrorCode};
pub use request::CreateSnapshotRequest;
pub use rules::{validate, violations, warnings};
pub use state::{check_preconditions, Facts, Region, Timestamp};
pub use wire::{parse_json, parse_pairs, parse_query, parse_request, ParseError};

/// The README's Rust examples, compiled and run as doctests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
