//! The RPC wire format of SUPPLEMENT.md: which action a request calls, in which format it
//! wants its answer, and its parameters, from the query string and a form body.

use crate::library::{parse_query, percent, ApiError, CreateSnapshotRequest, ErrorCode};

/// The format of an answer's body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// XML, the API's default.
    Xml,
    /// JSON: `Format=JSON`, or an ACS3 request that names no format.
    Json,
}

/// A request as the RPC endpoint reads it.
pub struct Wire<'a> {
    /// The raw query string, without `?`.
    pub query: &'a str,
    /// The body, when it holds form parameters (see `wire::body_is_form` of the library).
    pub form: Option<&'a [u8]>,
    /// The `x-acs-action` header of an ACS3 request.
    pub acs_action: Option<&'a str>,
}

impl Wire<'_> {
    /// Every parameter, split as the library splits them and leniently decoded (a bad `%`
    /// escape is kept as it is), in order: the query string, then the form body.
    fn lenient_pairs(&self) -> impl Iterator<Item = (String, String)> + '_ {
        percent::pieces(self.query.as_bytes())
            .chain(percent::pieces(self.form.unwrap_or_default()))
            .map(|piece| {
                (
                    percent::decode_lossy(piece.name),
                    percent::decode_lossy(piece.value),
                )
            })
    }

    /// The first value of the parameter `name`, leniently decoded.
    pub fn first(&self, name: &str) -> Option<String> {
        self.lenient_pairs()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value)
    }

    /// The format of the answer (`docs/DECISIONS.md`, D81): `Format=JSON` in any letter
    /// case is JSON; `Format=XML` or any other value is XML; without `Format`, an ACS3
    /// request (which the current SDKs send, asking for `application/json`) gets JSON and
    /// any other request XML, the API's default.
    pub fn format(&self) -> Format {
        match self.first("Format") {
            Some(value) if value.eq_ignore_ascii_case("JSON") => Format::Json,
            Some(_) => Format::Xml,
            None if self.acs_action.is_some() => Format::Json,
            None => Format::Xml,
        }
    }

    /// Whether the request calls CreateSnapshot: the `x-acs-action` header of an ACS3
    /// request, else the `Action` parameter. No action at all names no API either
    /// (`InvalidAction.NotFound`, D82). A wrong `Action` parameter beside a right header is
    /// caught when the parameters are read.
    pub fn check_action(&self) -> Result<(), ApiError> {
        let action = match self.acs_action {
            Some(header) => Some(header.to_owned()),
            None => self.first("Action"),
        };
        match action.as_deref() {
            Some("CreateSnapshot") => Ok(()),
            Some(_) | None => Err(not_found()),
        }
    }

    /// The CreateSnapshot request its parameters make, or the API's answer to parameters
    /// that cannot be read (a repeated name, a bad `%` escape, a wrong `Action`).
    pub fn request(&self) -> Result<CreateSnapshotRequest<'static>, ApiError> {
        let form = self.form.filter(|body| !body.is_empty());
        let parsed = match form {
            None => parse_query(self.query).map(CreateSnapshotRequest::into_owned),
            Some(body) => {
                let mut all = Vec::with_capacity(self.query.len() + 1 + body.len());
                all.extend_from_slice(self.query.as_bytes());
                all.push(b'&');
                all.extend_from_slice(body);
                parse_query(&all).map(CreateSnapshotRequest::into_owned)
            }
        };
        parsed.map_err(|error| {
            // Every error of the query reader on text has the API's answer (only JSON and raw
            // bytes have none); the fallback keeps this total without a panic.
            error
                .api_error()
                .unwrap_or_else(|| ApiError::invalid_parameter("Action"))
        })
    }
}

/// `InvalidAction.NotFound`: what the endpoint answers for another action, path or method.
pub fn not_found() -> ApiError {
    ApiError::new(ErrorCode::InvalidActionNotFound)
}
