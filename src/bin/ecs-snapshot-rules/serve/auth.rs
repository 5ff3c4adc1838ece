//! Who may call: the one place a request's signature is checked.

use ecs_snapshot_rules::ApiError;

/// How callers are authenticated.
pub enum Auth {
    /// No `--credentials`: every request is served, signed or not.
    Open,
}

/// What of an HTTP request a signature covers.
pub struct Call<'a> {
    /// `GET` or `POST`.
    pub method: &'a str,
    /// The path (`/`).
    pub path: &'a str,
    /// The raw query string, without `?`.
    pub query: &'a str,
    /// Every header, names as sent.
    pub headers: &'a [(&'a str, &'a str)],
    /// The raw body.
    pub body: &'a [u8],
}

impl Auth {
    /// Whether this server checks signatures.
    pub fn is_open(&self) -> bool {
        matches!(self, Auth::Open)
    }

    /// Checks the caller of `call`, or says why it is refused, with the API's common error.
    pub fn authenticate(&self, call: &Call<'_>) -> Result<(), ApiError> {
        let _ = (call.method, call.path, call.query, call.headers, call.body);
        match self {
            Auth::Open => Ok(()),
        }
    }
}
