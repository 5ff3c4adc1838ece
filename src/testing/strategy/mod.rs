//! [Proptest](https://docs.rs/proptest) strategies (cargo feature `proptest`): valid
//! requests over the whole documented space, and for every error code a request alone can
//! cause, requests broken in exactly that one way together with the answer the API must give.
//! Point them at your own server and compare.
//!
//! ```
//! use ecs_snapshot_rules::testing::strategy::{broken_query, valid_request};
//! use ecs_snapshot_rules::{parse_query, validate, ApiError};
//! use proptest::prelude::*;
//! use proptest::test_runner::TestRunner;
//!
//! // Your server: takes a query string, answers Ok (a snapshot) or an error. Here it is
//! // this crate; in your tests it is an HTTP call to the server under test.
//! let your_server = |query: &str| -> Result<(), ApiError> {
//!     let request = parse_query(query).map_err(|e| e.api_error().expect("an API request"))?;
//!     validate(&request)
//! };
//!
//! let mut runner = TestRunner::default();
//! // Every valid request is accepted...
//! runner.run(&valid_request(), |request| {
//!     prop_assert_eq!(your_server(&request.to_query()), Ok(()));
//!     Ok(())
//! }).unwrap();
//! // ...and every broken one gets exactly its status, code, message.
//! runner.run(&broken_query(), |(query, expected)| {
//!     let answer = your_server(&query).unwrap_err();
//!     prop_assert_eq!((answer.status(), answer.code(), answer.message()),
//!                     (expected.status(), expected.code(), expected.message()));
//!     Ok(())
//! }).unwrap();
//! ```
//!
//! [`broken_request_with`] and [`broken_query_with`] give the strategy of one code, for a
//! test a code; [`REQUEST_CODES`] lists the codes, which are exactly the catalogue's rows of
//! [`Scope::Request`](crate::catalogue::Scope::Request).
//!
//! The strategies are built from the parameter table, independently of the rules they test:
//! a valid request draws each parameter from the constraint the table declares for it, and a
//! broken one is a valid one with one value replaced by a value of a class the constraint
//! forbids, paired with the error the table names for that parameter. Length classes: for
//! each text parameter the bounds and values between them (valid), and empty, too short, the
//! maximum plus one and longer (broken); text mixes ASCII, two- and three-byte characters,
//! characters outside the Basic Multilingual Plane and any other Unicode scalar value. A
//! parameter added to the table is drawn, valid and broken, without more ado.

mod breaking;
mod broken;
mod text;
mod valid;

use proptest::prelude::*;
use proptest::sample::select;

use crate::catalogue::{ApiError, ErrorCode};
use crate::request::CreateSnapshotRequest;
use crate::testing::oracle::{Broken, Defect};

/// Every code a request alone can cause, each with a strategy here: the catalogue's rows of
/// [`Scope::Request`](crate::catalogue::Scope::Request).
pub const REQUEST_CODES: &[ErrorCode] = &[
    ErrorCode::InvalidSnapshotNameMalformed,
    ErrorCode::InvalidDescriptionMalformed,
    ErrorCode::DuplicateTagKey,
    ErrorCode::InvalidTagKeyMalformed,
    ErrorCode::InvalidTagValueMalformed,
    ErrorCode::QuotaExceedTags,
    ErrorCode::MissingParameter,
    ErrorCode::InvalidRetentionDaysMalformed,
    ErrorCode::InvalidInstantAccessRetentionDaysMalformed,
    ErrorCode::InvalidSnapshotCategoryMalformed,
    ErrorCode::InvalidCategoryAndInstantAccessMalformed,
    ErrorCode::InvalidClientTokenMalformed,
    ErrorCode::InvalidParameter,
    ErrorCode::InvalidActionNotFound,
];

/// A valid request: every parameter of the table present or absent (`DiskId` always), each
/// drawn from its documented constraint, lengths at their bounds and between, Unicode text,
/// 0 to 20 tags in both spellings (numbered 1, 2, 3, ... or with gaps), common and unknown
/// parameters, Category or InstantAccess (never both).
pub fn valid_request() -> BoxedStrategy<CreateSnapshotRequest<'static>> {
    valid::request()
}

/// The defects whose error has `code`.
fn defects_with(code: ErrorCode) -> Vec<Defect> {
    let base = CreateSnapshotRequest::new("d-1");
    Defect::ALL
        .iter()
        .copied()
        .filter(|defect| defect.apply(&base).expected.code() == code)
        .collect()
}

/// Requests broken in exactly one way that gives `code`, each with the error
/// [`validate`](crate::validate) must return; `None` for a code a request alone cannot cause,
/// and for `InvalidAction.NotFound`, which only the wire can carry ([`broken_query_with`]).
pub fn broken_request_with(code: ErrorCode) -> Option<BoxedStrategy<Broken>> {
    let mut all: Vec<BoxedStrategy<Broken>> = broken::requests_with(code).into_iter().collect();
    let defects = defects_with(code);
    if !defects.is_empty() {
        all.push(
            (valid_request(), select(defects))
                .prop_map(|(request, defect)| defect.apply(&request))
                .boxed(),
        );
    }
    (!all.is_empty()).then(|| proptest::strategy::Union::new(all).boxed())
}

/// Requests broken in exactly one documented way, any of them, each with its error.
pub fn broken_request() -> BoxedStrategy<Broken> {
    let all: Vec<_> = REQUEST_CODES
        .iter()
        .filter_map(|&code| broken_request_with(code))
        .collect();
    proptest::strategy::Union::new(all).boxed()
}

/// Query strings broken in exactly one way that gives `code`, on the wire or in the request,
/// each with the API's answer; `None` for a code a request alone cannot cause.
pub fn broken_query_with(code: ErrorCode) -> Option<BoxedStrategy<(String, ApiError)>> {
    let mut all: Vec<BoxedStrategy<(String, ApiError)>> = Vec::new();
    if let Some(requests) = broken_request_with(code) {
        all.push(
            requests
                .prop_map(|broken| (broken.request.to_query(), broken.expected))
                .boxed(),
        );
    }
    match code {
        ErrorCode::InvalidActionNotFound => all.push(broken::wrong_action()),
        ErrorCode::InvalidParameter => all.push(broken::wire_invalid_parameter()),
        _ => {}
    }
    (!all.is_empty()).then(|| proptest::strategy::Union::new(all).boxed())
}

/// Query strings broken in exactly one documented way, any of them, each with the API's
/// answer.
pub fn broken_query() -> BoxedStrategy<(String, ApiError)> {
    let all: Vec<_> = REQUEST_CODES
        .iter()
        .filter_map(|&code| broken_query_with(code))
        .collect();
    proptest::strategy::Union::new(all).boxed()
}
