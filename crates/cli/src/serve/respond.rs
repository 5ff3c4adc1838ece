//! Answers in the API's envelopes (SUPPLEMENT, "Response envelopes"): the body, its content
//! type and the HTTP status of the error's row.

use crate::library::{success_json_body, success_xml_body, ApiError};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::wire::Format;

/// The content type of an XML answer: the official SDKs read an XML error only under
/// exactly this one.
pub const XML: &str = "text/xml;charset=utf-8";
/// The content type of a JSON answer.
pub const JSON: &str = "application/json;charset=utf-8";

/// The success answer of CreateSnapshot.
pub fn success(format: Format, request_id: &str, snapshot_id: &str) -> Response {
    let body = match format {
        Format::Xml => success_xml_body(request_id, snapshot_id),
        Format::Json => success_json_body(request_id, snapshot_id),
    };
    answer(StatusCode::OK, format, request_id, body)
}

/// An error answer, with the status of its row.
pub fn error(format: Format, request_id: &str, error: &ApiError) -> Response {
    let body = match format {
        Format::Xml => error.xml_body(request_id),
        Format::Json => error.json_body(request_id),
    };
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    answer(status, format, request_id, body)
}

fn answer(status: StatusCode, format: Format, request_id: &str, body: String) -> Response {
    let content_type = match format {
        Format::Xml => XML,
        Format::Json => JSON,
    };
    let mut response = (status, [(header::CONTENT_TYPE, content_type)], body).into_response();
    if let Ok(value) = HeaderValue::from_str(request_id) {
        response.headers_mut().insert("x-acs-request-id", value);
    }
    response
}
