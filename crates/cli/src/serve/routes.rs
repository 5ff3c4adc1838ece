//! The HTTP routes: the RPC endpoint at `/`, the control API under `/_emulator/`, and
//! `InvalidAction.NotFound` for everything else.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use crate::library::{body_is_form, ApiError, SignedRequest};
use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, Method, Uri};
use axum::response::Response;
use axum::routing::{any, get, post};
use axum::Router;

use super::caller::Caller;
use super::control;
use super::control_faults;
use super::faults::answer;
use super::limits::MAX_BODY_BYTES;
use super::respond;
use super::shared::Emulator;
use super::wire::{not_found, Wire};

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
        .route(
            "/_emulator/faults",
            get(control_faults::show).post(control_faults::set),
        )
        .route(
            "/_emulator/faults/fail-next",
            post(control_faults::fail_next),
        )
        .route("/_emulator", any(control::unknown))
        .route("/_emulator/{*rest}", any(control::unknown))
        .fallback(elsewhere)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(emulator)
}

/// Why a call was not accepted.
enum Refusal {
    /// The API's answer to it.
    Refused(ApiError),
    /// An injected fault.
    Faulted(ApiError),
}

/// `GET /` or `POST /`: one RPC call.
async fn rpc(
    State(emulator): State<Arc<Emulator>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
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
    // Too many calls in flight: turned away at once, before anything is looked at.
    let Some(_in_flight) = emulator.in_flight.enter() else {
        emulator.stats.shed.fetch_add(1, Ordering::Relaxed);
        emulator.stats.refused.fetch_add(1, Ordering::Relaxed);
        return respond::error(format, &request_id, &answer::service_unavailable());
    };
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
            return Err(Refusal::Refused(not_found()));
        }
        wire.check_action().map_err(Refusal::Refused)?;
        let verified = emulator
            .auth
            .authenticate(&call)
            .map_err(Refusal::Refused)?;
        // The faults: decided now, before the parameters are read; a faulted call never
        // reaches the region.
        let caller = Caller::identify(
            verified.as_deref(),
            wire.first("AccessKeyId"),
            headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok()),
            peer.ip(),
        );
        let verdict = emulator.faults.decide(&caller);
        if !verdict.delay.is_zero() {
            tokio::time::sleep(verdict.delay).await;
        }
        if let Some(fault) = verdict.fault {
            return Err(Refusal::Faulted(fault));
        }
        let request = wire.request().map_err(Refusal::Refused)?;
        // Judged and applied now; answered after the latency, while the ClientToken is in
        // flight (a concurrent call with it gets IdempotentProcessing).
        let ticket = emulator.region().submit(&request);
        let answered = if emulator.latency.is_zero() {
            emulator.region().complete(ticket)
        } else {
            // Completed by a task of its own: a caller who hangs up meanwhile cannot leave
            // the call (and its token) in flight for ever.
            let completing = Arc::clone(&emulator);
            tokio::spawn(async move {
                tokio::time::sleep(completing.latency).await;
                completing.region().complete(ticket)
            })
            .await
            .map_err(|_| Refusal::Refused(answer::service_unavailable()))?
        };
        // A reset while the call was in flight forgot it: a temporary failure.
        answered
            .map_err(|_| Refusal::Refused(answer::service_unavailable()))?
            .result
            .map_err(Refusal::Refused)
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
        Err(refusal) => {
            emulator.stats.refused.fetch_add(1, Ordering::Relaxed);
            let error = match refusal {
                Refusal::Refused(error) => error,
                Refusal::Faulted(error) => {
                    emulator.stats.faulted.fetch_add(1, Ordering::Relaxed);
                    error
                }
            };
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
