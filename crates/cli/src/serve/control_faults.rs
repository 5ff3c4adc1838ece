//! The faults' part of the control API: read the plan in force, replace it, queue failures.
//! `docs/EMULATOR.md` describes the JSON.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::control::{failure, reply};
use super::faults::plan::{FailNextText, PlanText};
use super::shared::Emulator;

/// `GET /_emulator/faults`: the plan in force, what is left of its queued failures, the calls
/// that reached the faults, the callers remembered, and faulted calls by code.
pub async fn show(State(emulator): State<Arc<Emulator>>) -> Response {
    reply(StatusCode::OK, &emulator.faults.to_json())
}

/// `POST /_emulator/faults`: replaces the plan (what the body leaves out is off); callers'
/// counts and buckets start afresh.
pub async fn set(State(emulator): State<Arc<Emulator>>, body: Bytes) -> Response {
    let text: PlanText = match read(&body) {
        Ok(text) => text,
        Err(message) => return failure(StatusCode::BAD_REQUEST, message),
    };
    match text.check(emulator.seed) {
        Ok(plan) => {
            emulator.faults.set(plan);
            show(State(emulator)).await
        }
        Err(message) => failure(StatusCode::BAD_REQUEST, message),
    }
}

/// `POST /_emulator/faults/fail-next`: `{"count": N, "code": "X", "detail": ...}`: the next N
/// calls, after those already queued, fail with X.
pub async fn fail_next(State(emulator): State<Arc<Emulator>>, body: Bytes) -> Response {
    let text: FailNextText = match read(&body) {
        Ok(text) => text,
        Err(message) => return failure(StatusCode::BAD_REQUEST, message),
    };
    match text.check() {
        Ok(next) => {
            emulator.faults.fail_next(next);
            show(State(emulator)).await
        }
        Err(message) => failure(StatusCode::BAD_REQUEST, message),
    }
}

/// A JSON body (an empty one is `{}`), or why it is not one.
fn read<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, serde_json::Error> {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        &b"{}"[..]
    } else {
        body
    };
    serde_json::from_slice(body)
}
