//! The ACS3-HMAC-SHA256 signature of the current SDKs: parameters in the query string, the
//! request's time, nonce and body hash in `x-acs-*` headers, and
//! `Authorization: ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<h1;h2>,Signature=<hex>`.
//!
//! CanonicalRequest = `METHOD\nPATH\nCanonicalQuery\nCanonicalHeaders\nSignedHeaders\nBodyHash`;
//! StringToSign = `ACS3-HMAC-SHA256\n` + hex(SHA-256(CanonicalRequest)); the signature is
//! hex(HMAC-SHA256(AccessKeySecret, StringToSign)). A form body (RPC-style POST) is not part of
//! the canonical query: it is covered by its hash, `x-acs-content-sha256`.

use std::collections::BTreeMap;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::{constant_time_eq, timestamp, HeaderMap, Scheme, SignedRequest, Verified};
use crate::wire::percent::{decode_pairs, encode};
use crate::{ApiError, ErrorCode, Timestamp};

/// The algorithm name that starts the `Authorization` header and the StringToSign.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0F)]));
    }
    out
}

/// Lower-case hex SHA-256 of `body`: the value of `x-acs-content-sha256`.
///
/// ```
/// use ecs_snapshot_rules::signature::acs3::content_sha256;
///
/// assert_eq!(
///     content_sha256(b""),
///     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
/// );
/// ```
pub fn content_sha256(body: &[u8]) -> String {
    hex(&Sha256::digest(body))
}

/// The CanonicalQuery of the decoded query `parameters`: sorted by name (then value), each
/// `name=encode(value)`, joined with `&`. Names are written as they are, not encoded, as the
/// Python SDK does; [`verify`](super::verify) also accepts names encoded, as the documentation
/// writes them (`docs/DECISIONS.md`, D72).
pub(crate) fn canonical_query(parameters: &[(&str, &str)]) -> String {
    let mut sorted: Vec<&(&str, &str)> = parameters.iter().collect();
    sorted.sort_unstable();
    sorted
        .iter()
        .map(|(name, value)| format!("{name}={}", encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The CanonicalHeaders and SignedHeaders of `headers`: names lower-cased and sorted, the
/// values of one name trimmed, sorted and joined with `,`.
pub(crate) fn canonical_headers(headers: &[(&str, &str)]) -> (String, String) {
    let mut grouped: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (name, value) in headers {
        grouped
            .entry(name.to_ascii_lowercase())
            .or_default()
            .push(value.trim());
    }
    let mut canonical = String::new();
    for (name, values) in &mut grouped {
        values.sort_unstable();
        canonical.push_str(name);
        canonical.push(':');
        canonical.push_str(&values.join(","));
        canonical.push('\n');
    }
    let signed = grouped
        .keys()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(";");
    (canonical, signed)
}

/// The CanonicalRequest of a request that signs `headers`, with `content_sha256` as the hash
/// of its body. An empty `path` is `/`.
pub(crate) fn canonical_request(
    method: &str,
    path: &str,
    query: &[(&str, &str)],
    headers: &[(&str, &str)],
    content_sha256: &str,
) -> String {
    let (canonical, signed) = canonical_headers(headers);
    let path = if path.is_empty() { "/" } else { path };
    format!(
        "{method}\n{path}\n{}\n{canonical}\n{signed}\n{content_sha256}",
        canonical_query(query)
    )
}

/// The StringToSign of a CanonicalRequest.
pub(crate) fn string_to_sign(canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{}",
        hex(&Sha256::digest(canonical_request.as_bytes()))
    )
}

/// The hex signature of a CanonicalRequest for `access_key_secret`.
pub(crate) fn signature(canonical_request: &str, access_key_secret: &str) -> String {
    // HMAC takes a key of any length: the error branch is never taken.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(access_key_secret.as_bytes()) else {
        return String::new();
    };
    mac.update(string_to_sign(canonical_request).as_bytes());
    hex(&mac.finalize().into_bytes())
}

/// The `Authorization` header value that signs every one of `headers` (which should hold
/// `host`, `x-acs-date`, `x-acs-signature-nonce` and `x-acs-content-sha256`, as the SDKs send
/// them) for a request with the decoded `query` parameters. The body hash is the value of
/// `x-acs-content-sha256` in `headers`, or that of an empty body when it is missing.
///
/// ```
/// use ecs_snapshot_rules::signature::acs3::{content_sha256, sign};
///
/// let hash = content_sha256(b"");
/// let headers = [("x-acs-date", "2026-11-27T12:00:00Z"), ("x-acs-content-sha256", hash.as_str())];
/// let authorization = sign("POST", "/", &[("DiskId", "d-1")], &headers, "LTAI-test", "secret");
/// assert!(authorization.starts_with(
///     "ACS3-HMAC-SHA256 Credential=LTAI-test,SignedHeaders=x-acs-content-sha256;x-acs-date,Signature="
/// ));
/// ```
pub fn sign(
    method: &str,
    path: &str,
    query: &[(&str, &str)],
    headers: &[(&str, &str)],
    access_key_id: &str,
    access_key_secret: &str,
) -> String {
    let hash = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("x-acs-content-sha256"))
        .map_or_else(|| content_sha256(b""), |(_, value)| value.trim().to_owned());
    let (_, signed) = canonical_headers(headers);
    let canonical = canonical_request(method, path, query, headers, &hash);
    format!(
        "{ALGORITHM} Credential={access_key_id},SignedHeaders={signed},Signature={}",
        signature(&canonical, access_key_secret)
    )
}

/// The parts of an `Authorization` header.
struct Authorization<'a> {
    access_key_id: &'a str,
    signed_headers: Vec<&'a str>,
    signature: &'a str,
}

fn incomplete(parameter: impl Into<std::borrow::Cow<'static, str>>) -> ApiError {
    ApiError::new(ErrorCode::IncompleteSignature).with_parameter(parameter)
}

/// Reads `ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..` (the three in any
/// order, each once, spaces allowed around the commas; SignedHeaders lower-case, sorted,
/// without repeats; the signature 64 hex digits).
fn parse_authorization(value: &str) -> Option<Authorization<'_>> {
    let rest = value.trim().strip_prefix(ALGORITHM)?;
    if !rest.starts_with(' ') {
        return None;
    }
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (name, value) = part.trim().split_once('=')?;
        let slot = match name {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed,
            "Signature" => &mut signature,
            _ => return None,
        };
        if slot.replace(value).is_some() {
            return None;
        }
    }
    let access_key_id = credential.filter(|c| !c.is_empty())?;
    let signature =
        signature.filter(|s| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()))?;
    let signed_headers: Vec<&str> = signed?.split(';').collect();
    let well_formed = signed_headers.iter().all(|name| {
        !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_graphic() && !b.is_ascii_uppercase())
            && *name != "authorization"
    }) && signed_headers.windows(2).all(|pair| pair[0] < pair[1]);
    well_formed.then_some(Authorization {
        access_key_id,
        signed_headers,
        signature,
    })
}

/// Verifies an ACS3-signed request whose one `Authorization` header is `authorization`
/// (`docs/DECISIONS.md`, D70 for the order of the checks, D71 for what must be signed).
pub(super) fn verify(
    request: &SignedRequest<'_>,
    headers: &HeaderMap<'_>,
    authorization: &str,
    credentials: &super::Credentials,
    now: Timestamp,
    max_skew_seconds: i64,
) -> Result<Verified, ApiError> {
    let auth = parse_authorization(authorization).ok_or_else(|| incomplete("Authorization"))?;
    let is_signed = |name: &str| auth.signed_headers.binary_search(&name).is_ok();
    // The one value of a header that must be signed, when present.
    let single = |name: &'static str| -> Result<Option<&str>, ApiError> {
        match headers.get(name) {
            [] => Ok(None),
            [value] if is_signed(name) => Ok(Some(value.trim())),
            _ => Err(incomplete(name)),
        }
    };
    let nonce = single("x-acs-signature-nonce")?
        .filter(|n| !n.is_empty())
        .ok_or_else(|| incomplete("x-acs-signature-nonce"))?;
    let hash = single("x-acs-content-sha256")?.ok_or_else(|| incomplete("x-acs-content-sha256"))?;
    if !hash.eq_ignore_ascii_case(&content_sha256(request.body)) {
        return Err(incomplete("x-acs-content-sha256"));
    }
    let date = single("x-acs-date")?;
    // Every signed header is sent (a missing x-acs-date is IllegalTimestamp, below).
    let mut signed_values: Vec<(&str, &str)> = Vec::new();
    for name in &auth.signed_headers {
        let values = headers.get(name);
        if values.is_empty() && *name != "x-acs-date" {
            return Err(incomplete("Authorization"));
        }
        signed_values.extend(values.iter().map(|value| (*name, *value)));
    }
    let query = decode_pairs(request.query.as_bytes())
        .map_err(|_| ApiError::new(ErrorCode::IncompleteSignature))?;
    let mut query: Vec<(&str, &str)> = query
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    query.sort_unstable();
    if let Some(pair) = query.windows(2).find(|pair| pair[0].0 == pair[1].0) {
        return Err(incomplete(pair[0].0.to_owned()));
    }
    let time = timestamp::check(date, now, max_skew_seconds)
        .map_err(|e| e.with_parameter("x-acs-date"))?;
    let secret = credentials.secret(auth.access_key_id).ok_or_else(|| {
        ApiError::new(ErrorCode::InvalidAccessKeyIdNotFound).with_parameter("Credential")
    })?;
    let given = auth.signature.to_ascii_lowercase();
    let matches = |query: &[(&str, &str)]| {
        let canonical =
            canonical_request(request.method, request.path, query, &signed_values, hash);
        constant_time_eq(signature(&canonical, secret).as_bytes(), given.as_bytes())
    };
    // Names as the Python SDK writes them, else encoded as the documentation says (D72).
    let encoded: Vec<(String, &str)> = query.iter().map(|(n, v)| (encode(n), *v)).collect();
    let names_differ = encoded.iter().zip(&query).any(|((e, _), (n, _))| e != n);
    let encoded: Vec<(&str, &str)> = encoded.iter().map(|(n, v)| (n.as_str(), *v)).collect();
    if !(matches(&query) || names_differ && matches(&encoded)) {
        return Err(ApiError::new(ErrorCode::SignatureDoesNotMatch).with_parameter("Signature"));
    }
    Ok(Verified {
        access_key_id: auth.access_key_id.to_owned(),
        nonce: nonce.to_owned(),
        scheme: Scheme::Acs3HmacSha256,
        timestamp: time,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_query_writes_names_as_they_are() {
        assert_eq!(
            canonical_query(&[("b", "x y"), ("a b", "*~+/"), ("Tag.1.Key", "é")]),
            "Tag.1.Key=%C3%A9&a b=%2A~%2B%2F&b=x%20y"
        );
        assert_eq!(canonical_query(&[]), "");
    }

    #[test]
    fn canonical_headers_group_trim_and_sort() {
        let (canonical, signed) = canonical_headers(&[("X-B", " 2 "), ("x-a", "1"), ("x-b", "1")]);
        assert_eq!(canonical, "x-a:1\nx-b:1,2\n");
        assert_eq!(signed, "x-a;x-b");
    }
}
