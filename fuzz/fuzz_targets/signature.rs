//! Any request: verified or refused with one of the four signature errors, never a panic;
//! and any parameters signed with `rpc_v1::sign` verify.
#![no_main]

use ecs_snapshot_rules::signature::{rpc_v1, verify, Credentials, SignedRequest};
use ecs_snapshot_rules::wire::percent;
use ecs_snapshot_rules::{ErrorCode, Timestamp};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // Fields split at NUL: method, path, query, header name, header value, ..., body last.
    let fields: Vec<&str> = text.split('\0').collect();
    let field = |i: usize| fields.get(i).copied().unwrap_or("");
    let headers: Vec<(&str, &str)> = fields
        .get(3..)
        .unwrap_or(&[])
        .chunks(2)
        .map(|pair| (pair[0], pair.get(1).copied().unwrap_or("")))
        .collect();
    let mut keys = Credentials::new();
    keys.insert("LTAI-fuzz", "secret");
    let now = Timestamp::from_unix_seconds(1_800_000_000).unwrap();
    let request = SignedRequest {
        method: field(0),
        path: field(1),
        query: field(2),
        headers: &headers,
        body: data,
    };
    if let Err(error) = verify(&request, &keys, now, 900) {
        assert!(matches!(
            error.code(),
            ErrorCode::IncompleteSignature
                | ErrorCode::IllegalTimestamp
                | ErrorCode::InvalidAccessKeyIdNotFound
                | ErrorCode::SignatureDoesNotMatch
        ));
    }

    // The same text as parameter values, signed: always accepted.
    let mut parameters: Vec<(String, String)> = fields
        .iter()
        .enumerate()
        .map(|(i, value)| (format!("P.{i}"), (*value).to_owned()))
        .collect();
    for (name, value) in [
        ("AccessKeyId", "LTAI-fuzz"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("SignatureNonce", "n"),
        ("Timestamp", "2027-01-15T08:00:00Z"),
    ] {
        parameters.push((name.to_owned(), value.to_owned()));
    }
    let refs: Vec<(&str, &str)> = parameters
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let signature = rpc_v1::sign("GET", &refs, "secret");
    let mut signed = refs.clone();
    signed.push(("Signature", &signature));
    let query = percent::encode_pairs(&signed);
    let request = SignedRequest {
        method: "GET",
        path: "/",
        query: &query,
        headers: &[],
        body: b"",
    };
    verify(&request, &keys, now, 900).expect("a request signed with the right key verifies");
});
