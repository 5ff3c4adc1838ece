//! Request signatures: verifies that a request was signed with a known AccessKey pair, the
//! way an Alibaba Cloud endpoint authenticates its callers, and answers a refusal with the
//! API's exact error.
//!
//! Two schemes are understood, as the official SDKs send them:
//! - **RPC, HMAC-SHA1, SignatureVersion 1.0** ([`rpc_v1`]): `AccessKeyId`, `SignatureMethod`,
//!   `SignatureVersion`, `SignatureNonce`, `Timestamp` and `Signature` among the query (or
//!   form body) parameters.
//! - **ACS3-HMAC-SHA256** ([`acs3`]): `x-acs-date`, `x-acs-signature-nonce` and
//!   `x-acs-content-sha256` headers and an `Authorization: ACS3-HMAC-SHA256 ...` header.
//!
//! [`verify`] checks one request: the signature's parameters, the clock skew, the key and the
//! signature, in that order (`docs/DECISIONS.md`, D70). A [`NonceLedger`] then refuses a
//! replayed nonce. Everything is pure: no I/O, no clock (`now` is given), no globals, and no
//! input makes it panic. Available with the cargo feature `signature`.
//!
//! ```
//! use ecs_snapshot_rules::signature::{rpc_v1, verify, Credentials, NonceLedger, SignedRequest};
//! use ecs_snapshot_rules::wire::percent;
//! use ecs_snapshot_rules::{ErrorCode, Timestamp};
//!
//! let mut keys = Credentials::new();
//! keys.insert("LTAI-test", "s3cr3t");
//! let now: Timestamp = "2026-11-27T12:00:00Z".parse().unwrap();
//!
//! // Sign a request as an SDK would, and write its query string.
//! let mut parameters = vec![
//!     ("Action", "CreateSnapshot"), ("DiskId", "d-1"), ("SnapshotName", "nightly *~"),
//!     ("AccessKeyId", "LTAI-test"), ("SignatureMethod", "HMAC-SHA1"),
//!     ("SignatureVersion", "1.0"), ("SignatureNonce", "n-1"),
//!     ("Timestamp", "2026-11-27T12:00:00Z"),
//! ];
//! let signature = rpc_v1::sign("GET", &parameters, "s3cr3t");
//! parameters.push(("Signature", &signature));
//! let query = percent::encode_pairs(parameters.iter().copied());
//!
//! let request = SignedRequest { method: "GET", path: "/", query: &query, headers: &[], body: b"" };
//! let verified = verify(&request, &keys, now, 900)?;
//! assert_eq!(verified.access_key_id, "LTAI-test");
//!
//! // The same request again: the ledger refuses its nonce.
//! let mut ledger = NonceLedger::new(900);
//! ledger.record(&verified.access_key_id, &verified.nonce, now)?;
//! let replay = ledger.record(&verified.access_key_id, &verified.nonce, now).unwrap_err();
//! assert_eq!(replay.code(), ErrorCode::SignatureNonceUsed);
//!
//! // A wrong secret.
//! let mut other = Credentials::new();
//! other.insert("LTAI-test", "guess");
//! let refusal = verify(&request, &other, now, 900).unwrap_err();
//! assert_eq!((refusal.status(), refusal.code().as_str()), (403, "SignatureDoesNotMatch"));
//! # Ok::<(), ecs_snapshot_rules::ApiError>(())
//! ```

use std::collections::BTreeMap;

use crate::{ApiError, ErrorCode, Timestamp};

pub mod acs3;
mod credentials;
mod nonce;
pub mod rpc_v1;
mod timestamp;

pub use credentials::{Credentials, CredentialsError};
pub use nonce::NonceLedger;

/// One HTTP request as the server received it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignedRequest<'a> {
    /// The method, `GET` or `POST`, as sent (it is signed as it is).
    pub method: &'a str,
    /// The path, `/` for the RPC API; empty is taken as `/`.
    pub path: &'a str,
    /// The raw query string without `?`, still percent-encoded.
    pub query: &'a str,
    /// The headers, names in any letter case, in the order received.
    pub headers: &'a [(&'a str, &'a str)],
    /// The raw body (form-encoded for an RPC POST).
    pub body: &'a [u8],
}

/// Which signature scheme a request used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// RPC `SignatureMethod=HMAC-SHA1`, `SignatureVersion=1.0`.
    RpcHmacSha1,
    /// `Authorization: ACS3-HMAC-SHA256 ...`.
    Acs3HmacSha256,
}

/// What a verified request proved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    /// The AccessKeyId it was signed with.
    pub access_key_id: String,
    /// Its nonce (`SignatureNonce` or `x-acs-signature-nonce`), for a [`NonceLedger`].
    pub nonce: String,
    /// The scheme it used.
    pub scheme: Scheme,
    /// Its own time (`Timestamp` or `x-acs-date`).
    pub timestamp: Timestamp,
}

/// The headers by lower-case name, each with its values in the order received.
pub(crate) struct HeaderMap<'a> {
    by_name: BTreeMap<String, Vec<&'a str>>,
}

impl<'a> HeaderMap<'a> {
    fn new(headers: &[(&'a str, &'a str)]) -> Self {
        let mut by_name: BTreeMap<String, Vec<&'a str>> = BTreeMap::new();
        for (name, value) in headers {
            by_name
                .entry(name.to_ascii_lowercase())
                .or_default()
                .push(value);
        }
        HeaderMap { by_name }
    }

    /// The values of the header `name` (lower-case).
    pub(crate) fn get(&self, name: &str) -> &[&'a str] {
        self.by_name.get(name).map_or(&[], Vec::as_slice)
    }
}

/// Compares two byte strings in time that depends on their lengths only.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Checks the signature (whichever scheme the request uses: an
/// `Authorization: ACS3-HMAC-SHA256 ...` header, else RPC `Signature` parameters) and the
/// clock skew: the request's time may be at most `max_skew_seconds` before or after `now`.
///
/// The first failure, in this order (`docs/DECISIONS.md`, D70):
/// 1. `IncompleteSignature` (400): signature parameters missing or malformed (more than one
///    `Authorization` header, another algorithm, a malformed header, a nonce or body hash
///    that is missing or unsigned, a body hash that is not the body's, a parameter given
///    twice, an escape that does not decode to UTF-8, ...);
/// 2. `IllegalTimestamp` (400): `Timestamp` or `x-acs-date` absent, malformed or too far
///    from `now`;
/// 3. `InvalidAccessKeyId.NotFound` (400): the AccessKeyId is not in `credentials`;
/// 4. `SignatureDoesNotMatch` (403).
///
/// # Errors
///
/// The first failure of the list above, as an [`ApiError`] with its
/// status, code and message.
///
/// The nonce is not looked at beyond being present: record it in a [`NonceLedger`] after this
/// accepted the request.
pub fn verify(
    request: &SignedRequest<'_>,
    credentials: &Credentials,
    now: Timestamp,
    max_skew_seconds: i64,
) -> Result<Verified, ApiError> {
    let headers = HeaderMap::new(request.headers);
    match headers.get("authorization") {
        [] => rpc_v1::verify(request, &headers, credentials, now, max_skew_seconds),
        [authorization] => acs3::verify(
            request,
            &headers,
            authorization,
            credentials,
            now,
            max_skew_seconds,
        ),
        _ => Err(ApiError::new(ErrorCode::IncompleteSignature).with_parameter("Authorization")),
    }
}
