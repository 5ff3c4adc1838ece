//! The RPC signature, `SignatureMethod=HMAC-SHA1`, `SignatureVersion=1.0`: parameters in the
//! query string (and a form body), the signature in the `Signature` parameter.
//!
//! StringToSign = `METHOD&%2F&` + encode(`name=value&...`), every parameter but `Signature`
//! (query and form body, decoded, then each name and value [`encode`]d) sorted by name; the
//! signature is Base64(HMAC-SHA1(AccessKeySecret + `&`, StringToSign)).

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;

use super::{constant_time_eq, timestamp, HeaderMap, Scheme, SignedRequest, Verified};
use crate::wire::percent::{decode_pairs, encode};
use crate::{ApiError, ErrorCode, Timestamp};

/// The only `SignatureMethod` this scheme has.
pub const SIGNATURE_METHOD: &str = "HMAC-SHA1";
/// The only `SignatureVersion` this scheme has.
pub const SIGNATURE_VERSION: &str = "1.0";

/// The StringToSign of `method` with the decoded `parameters` (those named `Signature` are
/// left out; the rest are sorted by name, then value).
pub(crate) fn string_to_sign(method: &str, parameters: &[(&str, &str)]) -> String {
    let mut sorted: Vec<&(&str, &str)> = parameters
        .iter()
        .filter(|(name, _)| *name != "Signature")
        .collect();
    sorted.sort_unstable();
    let canonical = sorted
        .iter()
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect::<Vec<_>>()
        .join("&");
    format!("{method}&%2F&{}", encode(&canonical))
}

/// The `Signature` of `method` with the decoded `parameters` (query and form body, every
/// signature parameter included but `Signature` itself), for `access_key_secret`.
///
/// ```
/// use ecs_snapshot_rules::signature::rpc_v1::sign;
///
/// let signature = sign("GET", &[("Action", "CreateSnapshot")], "secret");
/// assert_eq!(signature.len(), 28); // Base64 of 20 bytes
/// ```
pub fn sign(method: &str, parameters: &[(&str, &str)], access_key_secret: &str) -> String {
    let text = string_to_sign(method, parameters);
    let key = format!("{access_key_secret}&");
    // HMAC takes a key of any length: the error branch is never taken.
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(key.as_bytes()) else {
        return String::new();
    };
    mac.update(text.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

fn incomplete(parameter: impl Into<std::borrow::Cow<'static, str>>) -> ApiError {
    ApiError::new(ErrorCode::IncompleteSignature).with_parameter(parameter)
}

/// Verifies an RPC-signed request (`docs/DECISIONS.md`, D70 for the order of the checks).
pub(super) fn verify(
    request: &SignedRequest<'_>,
    headers: &HeaderMap<'_>,
    credentials: &super::Credentials,
    now: Timestamp,
    max_skew_seconds: i64,
) -> Result<Verified, ApiError> {
    let mut parameters = decode_pairs(request.query.as_bytes())
        .map_err(|_| ApiError::new(ErrorCode::IncompleteSignature))?;
    let is_form = crate::wire::body_is_form(headers.get("content-type").first().copied());
    if is_form {
        parameters.extend(
            decode_pairs(request.body)
                .map_err(|_| ApiError::new(ErrorCode::IncompleteSignature))?,
        );
    }
    let mut refs: Vec<(&str, &str)> = parameters
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    refs.sort_unstable();
    if let Some(pair) = refs.windows(2).find(|pair| pair[0].0 == pair[1].0) {
        return Err(incomplete(pair[0].0.to_owned()));
    }
    let get = |name: &str| {
        refs.binary_search_by(|(n, _)| (*n).cmp(name))
            .ok()
            .map(|i| refs[i].1)
    };
    let non_empty = |name: &'static str| {
        get(name)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| incomplete(name))
    };
    let signature = non_empty("Signature")?;
    if get("SignatureMethod") != Some(SIGNATURE_METHOD) {
        return Err(incomplete("SignatureMethod"));
    }
    if get("SignatureVersion") != Some(SIGNATURE_VERSION) {
        return Err(incomplete("SignatureVersion"));
    }
    let nonce = non_empty("SignatureNonce")?;
    let access_key_id = non_empty("AccessKeyId")?;
    let time = timestamp::check(get("Timestamp"), now, max_skew_seconds)?;
    let secret = credentials.secret(access_key_id).ok_or_else(|| {
        ApiError::new(ErrorCode::InvalidAccessKeyIdNotFound).with_parameter("AccessKeyId")
    })?;
    let expected = sign(request.method, &refs, secret);
    if !constant_time_eq(expected.as_bytes(), signature.as_bytes()) {
        return Err(ApiError::new(ErrorCode::SignatureDoesNotMatch).with_parameter("Signature"));
    }
    Ok(Verified {
        access_key_id: access_key_id.to_owned(),
        nonce: nonce.to_owned(),
        scheme: Scheme::RpcHmacSha1,
        timestamp: time,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_string_to_sign_sorts_encodes_twice_and_leaves_the_signature_out() {
        assert_eq!(
            string_to_sign(
                "GET",
                &[("b", "x y"), ("a", "*~"), ("Signature", "ignored")]
            ),
            "GET&%2F&a%3D%252A~%26b%3Dx%2520y"
        );
    }
}
