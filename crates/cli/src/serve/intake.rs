//! A request taken in: its body read within the bounds (at most `MAX_BODY_BYTES`, within the
//! header-read timeout), then handed to the routes with the caller's address.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::Incoming;
use tower_service::Service;

use super::connections::Connections;
use super::limits::{Limits, MAX_BODY_BYTES};

/// The answer to one request.
pub async fn answer(
    request: Request<Incoming>,
    peer: SocketAddr,
    router: Router,
    limits: Limits,
    connections: &Connections,
) -> Response {
    let (mut parts, body) = request.into_parts();
    let read = tokio::time::timeout(
        limits.header_read,
        Limited::new(body, MAX_BODY_BYTES).collect(),
    )
    .await;
    let bytes = match read {
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(error)) if error.downcast_ref::<LengthLimitError>().is_some() => {
            return closing(
                StatusCode::PAYLOAD_TOO_LARGE,
                "the body is larger than 1 MiB",
            )
        }
        Ok(Err(_)) => return closing(StatusCode::BAD_REQUEST, "the body could not be read"),
        Err(_) => {
            connections
                .counts
                .body_timeouts
                .fetch_add(1, Ordering::Relaxed);
            return closing(
                StatusCode::REQUEST_TIMEOUT,
                "the body did not arrive within the header-read timeout",
            );
        }
    };
    parts.extensions.insert(ConnectInfo(peer));
    let request = Request::from_parts(parts, Body::from(bytes));
    let mut router = router;
    match router.call(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// A plain-text refusal of the transport (no API envelope: no API call was read), after
/// which the connection is closed.
fn closing(status: StatusCode, message: &'static str) -> Response {
    let mut response = (status, message).into_response();
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}
