//! The HTTP routes: the RPC endpoint at `/`, the control API under `/_emulator/`, and
//! `InvalidAction.NotFound` for everything else.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, Method, Uri};
use axum::response::Response;
use axum::routing::{any, get, post};
use axum::Router;
use ecs_snapshot_rules::{ApiError, ErrorCode};

use super::control;
use super::respond;
use super::shared::Emulator;
use super::wire::{not_found, Wire};
use ecs_snapshot_rules::signature::SignedRequest;
use ecs_snapshot_rules::wire::body_is_form;

/// The largest body the server reads; a larger one is refused with HTTP 413 before any
/// parameter is looked at.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Every route of the emulator.
pub fn router(emulator: Arc<Emulator>) -> Router {
    Router::new()
        .route("/", any(rpc))
        .route("/_emulator/state", get(control::state))
        .route("/_emulator/facts", post(control::facts))
        .route("/_emulator/clock/advance", post(control::advance))
        .route("/_emulator/snapshots/{id}/finish", post(control::finish))
        .route("/_emulator/snapshots/{id}/fail", post(control::fail))
        .route("/_emulator/reset", post(control::reset))
        .route("/_emulator", any(control::unknown))
        .route("/_emulator/{*rest}", any(control::unknown))
        .fallback(elsewhere)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(emulator)
}

/// `GET /` or `POST /`: one RPC call.
async fn rpc(
    State(emulator): State<Arc<Emulator>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request_id = emulator.request_ids.next();
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let is_post = method == Method::POST;
    let wire = Wire {
        query: uri.query().unwrap_or_default(),
        form: (is_post && body_is_form(content_type)).then_some(&body[..]),
        acs_action: headers.get("x-acs-action").and_then(|v| v.to_str().ok()),
    };
    let format = wire.format();
    let header_pairs: Vec<(&str, &str)> = headers
        .iter()
        .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)))
        .collect();
    let call = SignedRequest {
        method: method.as_str(),
        path: uri.path(),
        query: wire.query,
        headers: &header_pairs,
        body: &body,
    };
    let outcome = async {
        if !(is_post || method == Method::GET) {
            return Err(not_found());
        }
        wire.check_action()?;
        emulator.auth.authenticate(&call)?;
        let request = wire.request()?;
        // Judged and applied now; answered after the latency, while the ClientToken is in
        // flight (a concurrent call with it gets IdempotentProcessing).
        let ticket = emulator.region().submit(&request);
        if !emulator.latency.is_zero() {
            tokio::time::sleep(emulator.latency).await;
        }
        let answer = emulator.region().complete(ticket);
        // A reset while the call was in flight forgot it: a temporary failure.
        answer
            .map_err(|_| ApiError::new(ErrorCode::ServiceUnavailable))?
            .result
    }
    .await;
    match outcome {
        Ok(success) => {
            let counter = if success.replayed {
                &emulator.stats.replayed
            } else {
                &emulator.stats.created
            };
            counter.fetch_add(1, Ordering::Relaxed);
            respond::success(format, &request_id, &success.snapshot_id)
        }
        Err(error) => {
            emulator.stats.refused.fetch_add(1, Ordering::Relaxed);
            respond::error(format, &request_id, &error)
        }
    }
}

/// Any other path: no such API.
async fn elsewhere(
    State(emulator): State<Arc<Emulator>>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let wire = Wire {
        query: uri.query().unwrap_or_default(),
        form: None,
        acs_action: headers.get("x-acs-action").and_then(|v| v.to_str().ok()),
    };
    respond::error(wire.format(), &emulator.request_ids.next(), &not_found())
}
