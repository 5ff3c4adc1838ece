//! Request signatures: known answers made by the official Python SDKs
//! (`tests/signature/make_vectors.py` writes `tests/signature/vectors.json`), every error path
//! with its exact status, code and message, the nonce ledger, the clock skew, hostile input,
//! and properties over requests signed by this crate's own signers.

#![cfg(feature = "signature")]

use ecs_snapshot_rules::signature::{
    acs3, rpc_v1, verify, Credentials, NonceLedger, Scheme, SignedRequest, Verified,
};
use ecs_snapshot_rules::wire::percent;
use ecs_snapshot_rules::{ApiError, ErrorCode, Timestamp};
use proptest::prelude::*;

const INCOMPLETE: &str = "The request signature does not conform to Aliyun standards.";
const MISMATCH: &str = "The signature we calculated does not match the one you provided. Please refer to the API reference about authentication for details.";
const NOT_FOUND: &str = "The specified Access Key ID does not exist.";
const ILLEGAL_TIME: &str =
    "The input parameter \"Timestamp\" that is mandatory for processing this request is not supplied.";
const NONCE_USED: &str = "The request signature nonce has been used.";

const AK: &str = "LTAI-test-key";
const SECRET: &str = "test-secret+/=";
const NOW: &str = "2026-11-27T12:00:00Z";
const SKEW: i64 = 900;

fn now() -> Timestamp {
    NOW.parse().unwrap()
}

fn at(offset: i64) -> Timestamp {
    now().checked_add_seconds(offset).unwrap()
}

fn keys() -> Credentials {
    let mut keys = Credentials::new();
    keys.insert(AK, SECRET);
    keys
}

/// An HTTP request that owns its parts.
#[derive(Clone, Debug)]
struct Owned {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Owned {
    fn verify_with(
        &self,
        keys: &Credentials,
        now: Timestamp,
        skew: i64,
    ) -> Result<Verified, ApiError> {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let request = SignedRequest {
            method: &self.method,
            path: &self.path,
            query: &self.query,
            headers: &headers,
            body: &self.body,
        };
        verify(&request, keys, now, skew)
    }

    fn verify(&self) -> Result<Verified, ApiError> {
        self.verify_with(&keys(), now(), SKEW)
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn set_header(&mut self, name: &str, value: &str) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_owned(), value.to_owned()));
    }

    fn remove_header(&mut self, name: &str) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    }

    fn query_pairs(&self) -> Vec<(String, String)> {
        percent::decode_pairs(self.query.as_bytes()).unwrap()
    }

    /// Rewrites the query with `edit` applied to its decoded pairs (re-encoded with `%20`).
    fn edit_query(&mut self, edit: impl FnOnce(&mut Vec<(String, String)>)) {
        let mut pairs = self.query_pairs();
        edit(&mut pairs);
        let refs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        self.query = percent::encode_pairs(&refs);
    }
}

/// A change to a request's decoded parameters.
type Edit = Box<dyn Fn(&mut Vec<(String, String)>)>;

fn set(pairs: &mut Vec<(String, String)>, name: &str, value: &str) {
    pairs.retain(|(n, _)| n != name);
    pairs.push((name.to_owned(), value.to_owned()));
}

fn remove(pairs: &mut Vec<(String, String)>, name: &str) {
    pairs.retain(|(n, _)| n != name);
}

#[track_caller]
fn assert_refused(result: Result<Verified, ApiError>, code: ErrorCode, status: u16, message: &str) {
    let error = result.expect_err("expected a refusal");
    assert_eq!(error.code(), code, "{error}");
    assert_eq!(error.status(), status, "{error}");
    assert_eq!(error.message(), message, "{error}");
}

#[track_caller]
fn incomplete(result: Result<Verified, ApiError>) {
    assert_refused(result, ErrorCode::IncompleteSignature, 400, INCOMPLETE);
}

#[track_caller]
fn mismatch(result: Result<Verified, ApiError>) {
    assert_refused(result, ErrorCode::SignatureDoesNotMatch, 403, MISMATCH);
}

#[track_caller]
fn illegal_time(result: Result<Verified, ApiError>) {
    assert_refused(result, ErrorCode::IllegalTimestamp, 400, ILLEGAL_TIME);
}

#[track_caller]
fn not_found(result: Result<Verified, ApiError>) {
    assert_refused(
        result,
        ErrorCode::InvalidAccessKeyIdNotFound,
        400,
        NOT_FOUND,
    );
}

// ----- Requests signed by this crate's signers -------------------------------------------

/// The RPC parameters of a request at `time`, signed, with `extra` parameters.
fn rpc_pairs(method: &str, time: &str, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut pairs: Vec<(&str, &str)> = vec![
        ("Action", "CreateSnapshot"),
        ("Version", "2014-05-26"),
        ("Format", "JSON"),
        ("DiskId", "d-bp1s5fnvk4gn2tws0"),
        ("AccessKeyId", AK),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("SignatureNonce", "nonce-1"),
        ("Timestamp", time),
    ];
    pairs.extend_from_slice(extra);
    let signature = rpc_v1::sign(method, &pairs, SECRET);
    let mut owned: Vec<(String, String)> = pairs
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect();
    owned.push(("Signature".to_owned(), signature));
    owned
}

fn encode(pairs: &[(String, String)]) -> String {
    let refs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    percent::encode_pairs(&refs)
}

/// A signed RPC GET at `time`.
fn rpc_get_at(time: &str) -> Owned {
    Owned {
        method: "GET".into(),
        path: "/".into(),
        query: encode(&rpc_pairs("GET", time, &[("SnapshotName", "a b*~+/😀")])),
        headers: vec![("host".into(), "ecs.aliyuncs.com".into())],
        body: Vec::new(),
    }
}

fn rpc_get() -> Owned {
    rpc_get_at(NOW)
}

/// A signed RPC POST whose tags travel in a form body.
fn rpc_post_form() -> Owned {
    let body_pairs = [("Tag.1.Key", "env"), ("Tag.1.Value", "a+b c")];
    let all = rpc_pairs("POST", NOW, &body_pairs);
    let (body, query): (Vec<_>, Vec<_>) = all.into_iter().partition(|(n, _)| n.starts_with("Tag."));
    Owned {
        method: "POST".into(),
        path: "/".into(),
        query: encode(&query),
        headers: vec![(
            "Content-Type".into(),
            "application/x-www-form-urlencoded; charset=utf-8".into(),
        )],
        body: encode(&body).into_bytes(),
    }
}

/// A signed ACS3 request: query parameters, `body`, and the SDK's headers.
fn acs3_request_at(method: &str, body: &[u8], date: Option<&str>) -> Owned {
    let query: Vec<(&str, &str)> = vec![
        ("DiskId", "d-bp1s5fnvk4gn2tws0"),
        ("SnapshotName", "a b*~+/😀"),
        ("Tag.1.Key", "env"),
    ];
    let hash = acs3::content_sha256(body);
    let mut headers: Vec<(&str, &str)> = vec![
        ("host", "ecs.aliyuncs.com"),
        ("x-acs-action", "CreateSnapshot"),
        ("x-acs-version", "2014-05-26"),
        ("x-acs-signature-nonce", "nonce-1"),
        ("x-acs-content-sha256", &hash),
    ];
    if let Some(date) = date {
        headers.push(("x-acs-date", date));
    }
    let authorization = acs3::sign(method, "/", &query, &headers, AK, SECRET);
    let mut owned: Vec<(String, String)> = headers
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect();
    owned.push(("Authorization".into(), authorization));
    Owned {
        method: method.into(),
        path: "/".into(),
        query: percent::encode_pairs(&query),
        headers: owned,
        body: body.to_vec(),
    }
}

fn acs3_get() -> Owned {
    acs3_request_at("GET", b"", Some(NOW))
}

fn acs3_post_form() -> Owned {
    acs3_request_at("POST", b"Description=a%20b&Tag.2.Key=x", Some(NOW))
}

// ----- Known answers from the official SDKs ------------------------------------------------

struct Vectors {
    access_key_id: String,
    access_key_secret: String,
    now: Timestamp,
    cases: Vec<(String, Scheme, String, Owned)>,
}

fn vectors() -> Vectors {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/signature/vectors.json");
    let data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let text = |v: &serde_json::Value| v.as_str().unwrap().to_owned();
    let cases = data["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let scheme = match v["scheme"].as_str().unwrap() {
                "RpcHmacSha1" => Scheme::RpcHmacSha1,
                "Acs3HmacSha256" => Scheme::Acs3HmacSha256,
                other => panic!("unknown scheme {other}"),
            };
            let headers = v["headers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| (text(&h[0]), text(&h[1])))
                .collect();
            let request = Owned {
                method: text(&v["method"]),
                path: text(&v["path"]),
                query: text(&v["query"]),
                headers,
                body: text(&v["body"]).into_bytes(),
            };
            (text(&v["name"]), scheme, text(&v["nonce"]), request)
        })
        .collect();
    Vectors {
        access_key_id: text(&data["access_key_id"]),
        access_key_secret: text(&data["access_key_secret"]),
        now: data["now"].as_str().unwrap().parse().unwrap(),
        cases,
    }
}

fn vector_keys(v: &Vectors) -> Credentials {
    let mut keys = Credentials::new();
    keys.insert(v.access_key_id.clone(), v.access_key_secret.clone());
    keys
}

#[test]
fn sdk_vectors_cover_both_schemes_get_post_and_form_bodies() {
    let v = vectors();
    let names: Vec<&str> = v.cases.iter().map(|(n, ..)| n.as_str()).collect();
    assert_eq!(v.cases.len(), 8, "{names:?}");
    for scheme in [Scheme::RpcHmacSha1, Scheme::Acs3HmacSha256] {
        let of_scheme = || v.cases.iter().filter(move |(_, s, ..)| *s == scheme);
        assert!(of_scheme().any(|(.., r)| r.method == "GET"));
        assert!(of_scheme().any(|(.., r)| r.method == "POST" && !r.body.is_empty()));
        assert!(
            of_scheme().any(|(.., r)| r.query.contains("%F0%9F%98%80") && r.query.contains("Tag."))
        );
    }
}

#[test]
fn sdk_vectors_verify() {
    let v = vectors();
    let keys = vector_keys(&v);
    for (name, scheme, nonce, request) in &v.cases {
        let verified = request
            .verify_with(&keys, v.now, SKEW)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            verified,
            Verified {
                access_key_id: v.access_key_id.clone(),
                nonce: nonce.clone(),
                scheme: *scheme,
                timestamp: v.now,
            },
            "{name}"
        );
        // The same parameters written the other way (`%20`, `%2A`, ...) verify too.
        let mut reencoded = request.clone();
        reencoded.edit_query(|_| {});
        assert_eq!(
            reencoded.verify_with(&keys, v.now, SKEW).as_ref(),
            Ok(&verified),
            "{name}"
        );
    }
}

/// Flips the last character of a Base64 or hex signature to another of its alphabet.
fn flip(signature: &str) -> String {
    let mut chars: Vec<char> = signature.chars().collect();
    let i = chars.len() - 2; // not the Base64 padding
    chars[i] = if chars[i] == 'a' { 'b' } else { 'a' };
    chars.into_iter().collect()
}

#[test]
fn sdk_vectors_with_one_byte_changed_do_not_match() {
    let v = vectors();
    let keys = vector_keys(&v);
    for (name, scheme, _, request) in &v.cases {
        let check = |changed: &Owned, keys: &Credentials, what: &str| {
            let result = changed.verify_with(keys, v.now, SKEW);
            assert_eq!(
                result.as_ref().map_err(ApiError::code),
                Err(ErrorCode::SignatureDoesNotMatch),
                "{name}: {what}"
            );
            mismatch(result);
        };
        // The signature.
        let mut changed = request.clone();
        match scheme {
            Scheme::RpcHmacSha1 => changed.edit_query(|pairs| {
                let signature = pairs
                    .iter()
                    .find(|(n, _)| n == "Signature")
                    .unwrap()
                    .1
                    .clone();
                set(pairs, "Signature", &flip(&signature));
            }),
            Scheme::Acs3HmacSha256 => {
                let authorization = request.header("authorization").unwrap();
                changed.set_header("Authorization", &flip(authorization));
            }
        }
        check(&changed, &keys, "signature");
        // The secret: one byte changed.
        let mut wrong = Credentials::new();
        wrong.insert(v.access_key_id.clone(), flip(&v.access_key_secret));
        check(request, &wrong, "secret");
        // A parameter of the query.
        let mut changed = request.clone();
        changed.edit_query(|pairs| set(pairs, "DiskId", "d-bp1s5fnvk4gn2tws1"));
        check(&changed, &keys, "DiskId");
        // A parameter of a form body.
        if !request.body.is_empty() {
            let mut changed = request.clone();
            let body = String::from_utf8(request.body.clone()).unwrap();
            changed.body = body.replacen("env", "eNv", 1).into_bytes();
            assert_ne!(changed.body, request.body);
            if *scheme == Scheme::Acs3HmacSha256 {
                // The body no longer has the signed hash; with the hash updated, it is
                // the signature that no longer matches.
                incomplete(changed.verify_with(&keys, v.now, SKEW));
                changed.set_header("x-acs-content-sha256", &acs3::content_sha256(&changed.body));
            }
            check(&changed, &keys, "body");
        }
        // The method.
        let mut changed = request.clone();
        changed.method = if request.method == "GET" {
            "POST".into()
        } else {
            "GET".into()
        };
        check(&changed, &keys, "method");
        // A signed header (ACS3 signs them all).
        if *scheme == Scheme::Acs3HmacSha256 {
            let mut changed = request.clone();
            changed.set_header("host", "ecs.cn-beijing.aliyuncs.com");
            check(&changed, &keys, "host");
        }
    }
}

// ----- Every refusal of the RPC scheme -----------------------------------------------------

#[test]
fn rpc_own_signatures_verify() {
    let verified = rpc_get().verify().unwrap();
    assert_eq!(verified.scheme, Scheme::RpcHmacSha1);
    assert_eq!(verified.nonce, "nonce-1");
    assert_eq!(verified.access_key_id, AK);
    assert_eq!(verified.timestamp, now());
    assert_eq!(
        rpc_post_form().verify().unwrap().scheme,
        Scheme::RpcHmacSha1
    );
}

#[test]
fn rpc_missing_or_malformed_signature_parameters_are_incomplete() {
    let cases: Vec<(&str, Edit)> = vec![
        ("no Signature", Box::new(|p| remove(p, "Signature"))),
        ("empty Signature", Box::new(|p| set(p, "Signature", ""))),
        (
            "no SignatureMethod",
            Box::new(|p| remove(p, "SignatureMethod")),
        ),
        (
            "HMAC-SHA256",
            Box::new(|p| set(p, "SignatureMethod", "HMAC-SHA256")),
        ),
        (
            "hmac-sha1",
            Box::new(|p| set(p, "SignatureMethod", "hmac-sha1")),
        ),
        (
            "no SignatureVersion",
            Box::new(|p| remove(p, "SignatureVersion")),
        ),
        (
            "version 2.0",
            Box::new(|p| set(p, "SignatureVersion", "2.0")),
        ),
        (
            "no SignatureNonce",
            Box::new(|p| remove(p, "SignatureNonce")),
        ),
        (
            "empty SignatureNonce",
            Box::new(|p| set(p, "SignatureNonce", "")),
        ),
        ("no AccessKeyId", Box::new(|p| remove(p, "AccessKeyId"))),
        ("empty AccessKeyId", Box::new(|p| set(p, "AccessKeyId", ""))),
        (
            "a parameter twice",
            Box::new(|p| p.push(("DiskId".into(), "d-2".into()))),
        ),
        (
            "Signature twice",
            Box::new(|p| {
                let s = p.iter().find(|(n, _)| n == "Signature").unwrap().1.clone();
                p.push(("Signature".into(), s));
            }),
        ),
    ];
    for (what, edit) in cases {
        let mut request = rpc_get();
        request.edit_query(|p| edit(p));
        let result = request.verify();
        assert_eq!(
            result.as_ref().map_err(ApiError::code),
            Err(ErrorCode::IncompleteSignature),
            "{what}"
        );
        incomplete(result);
    }
}

#[test]
fn rpc_undecodable_query_or_form_body_is_incomplete() {
    for bad in ["%zz", "%", "%4", "%FF", "%C3%28", "%ED%A0%80"] {
        let mut request = rpc_get();
        request.query.push_str(&format!("&X={bad}"));
        incomplete(request.verify());
        let mut request = rpc_post_form();
        request
            .body
            .extend_from_slice(format!("&X={bad}").as_bytes());
        incomplete(request.verify());
    }
    let mut request = rpc_get();
    request.query.push_str("&X=\u{0}");
    mismatch(request.verify());
}

#[test]
fn rpc_form_body_is_read_only_with_the_form_content_type() {
    let mut request = rpc_post_form();
    request.set_header("content-type", "Application/X-WWW-Form-Urlencoded");
    assert!(request.verify().is_ok());
    // Not read as a form: the signed tags are missing.
    for other in ["application/json", "text/plain", "multipart/form-data"] {
        request.set_header("content-type", other);
        mismatch(request.verify());
    }
    request.remove_header("content-type");
    mismatch(request.verify());
}

#[test]
fn rpc_body_of_another_content_type_is_not_signed() {
    let mut request = rpc_get();
    request.method = "POST".into();
    request.edit_query(|p| {
        remove(p, "Signature");
    });
    let pairs = request.query_pairs();
    let refs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let signature = rpc_v1::sign("POST", &refs, SECRET);
    request.edit_query(|p| set(p, "Signature", &signature));
    request.body = b"{\"DiskId\": \"d-other\"}".to_vec();
    request.set_header("Content-Type", "application/json");
    assert!(request.verify().is_ok());
    // The same body declared as a form is read: its one odd parameter is not signed.
    request.set_header("Content-Type", "application/x-www-form-urlencoded");
    mismatch(request.verify());
}

#[test]
fn rpc_timestamp_absent_or_malformed_is_illegal() {
    for edit in [
        Box::new(|p: &mut Vec<(String, String)>| remove(p, "Timestamp")) as Edit,
        Box::new(|p| set(p, "Timestamp", "")),
        Box::new(|p| set(p, "Timestamp", "yesterday")),
        Box::new(|p| set(p, "Timestamp", "2026-11-27T12:00:00")),
        Box::new(|p| set(p, "Timestamp", "2026-02-30T12:00:00Z")),
        Box::new(|p| set(p, "Timestamp", &"9".repeat(100_000))),
    ] {
        let mut request = rpc_get();
        request.edit_query(|p| edit(p));
        illegal_time(request.verify());
    }
}

#[test]
fn skew_of_exactly_the_maximum_is_accepted_and_one_more_second_refused() {
    for offset in [-SKEW, SKEW] {
        let time = at(offset).to_string();
        assert_eq!(rpc_get_at(&time).verify().unwrap().timestamp, at(offset));
        assert!(acs3_request_at("GET", b"", Some(&time)).verify().is_ok());
    }
    for offset in [-SKEW - 1, SKEW + 1] {
        let time = at(offset).to_string();
        illegal_time(rpc_get_at(&time).verify());
        illegal_time(acs3_request_at("GET", b"", Some(&time)).verify());
    }
    // A skew of 0 accepts the very second only; a negative one is taken as 0.
    assert!(rpc_get().verify_with(&keys(), now(), 0).is_ok());
    assert!(rpc_get().verify_with(&keys(), now(), -5).is_ok());
    illegal_time(rpc_get().verify_with(&keys(), at(1), 0));
    illegal_time(rpc_get().verify_with(&keys(), at(-1), -5));
    // Extreme clocks and skews do not overflow.
    illegal_time(rpc_get().verify_with(&keys(), Timestamp::MAX, SKEW));
    assert!(rpc_get()
        .verify_with(&keys(), Timestamp::MIN, i64::MAX)
        .is_ok());
    // The RFC 3339 forms are read: an offset and a fraction.
    assert!(rpc_get_at("2026-11-27T20:00:00.5+08:00").verify().is_ok());
}

#[test]
fn unknown_access_key_is_not_found() {
    not_found(rpc_get().verify_with(&Credentials::new(), now(), SKEW));
    not_found(acs3_get().verify_with(&Credentials::new(), now(), SKEW));
    let mut other = Credentials::new();
    other.insert("LTAI-other", SECRET);
    not_found(rpc_get().verify_with(&other, now(), SKEW));
}

#[test]
fn signature_checks_run_in_the_documented_order() {
    // IncompleteSignature before IllegalTimestamp.
    let mut request = rpc_get();
    request.edit_query(|p| {
        remove(p, "Signature");
        set(p, "Timestamp", "never");
    });
    incomplete(request.verify());
    // IllegalTimestamp before InvalidAccessKeyId.NotFound.
    let mut request = rpc_get();
    request.edit_query(|p| set(p, "Timestamp", "never"));
    illegal_time(request.verify_with(&Credentials::new(), now(), SKEW));
    let mut request = acs3_get();
    request.remove_header("x-acs-date");
    illegal_time(request.verify_with(&Credentials::new(), now(), SKEW));
    // InvalidAccessKeyId.NotFound before SignatureDoesNotMatch.
    let mut request = rpc_get();
    request.edit_query(|p| set(p, "Signature", "AAAA"));
    not_found(request.verify_with(&Credentials::new(), now(), SKEW));
    mismatch(request.verify());
}

#[test]
fn refusals_name_the_parameter_or_header() {
    let parameter =
        |result: Result<Verified, ApiError>| result.unwrap_err().parameter().map(str::to_owned);
    let mut request = rpc_get();
    request.edit_query(|p| remove(p, "Signature"));
    assert_eq!(parameter(request.verify()).as_deref(), Some("Signature"));
    let mut request = rpc_get();
    request.edit_query(|p| p.push(("DiskId".into(), "d-2".into())));
    assert_eq!(parameter(request.verify()).as_deref(), Some("DiskId"));
    let mut request = rpc_get();
    request.query.push_str("&X=%zz");
    assert_eq!(parameter(request.verify()), None);
    let mut request = rpc_get();
    request.edit_query(|p| remove(p, "Timestamp"));
    assert_eq!(parameter(request.verify()).as_deref(), Some("Timestamp"));
    assert_eq!(
        parameter(rpc_get().verify_with(&Credentials::new(), now(), SKEW)).as_deref(),
        Some("AccessKeyId")
    );
    let mut request = acs3_get();
    request.remove_header("x-acs-date");
    assert_eq!(parameter(request.verify()).as_deref(), Some("x-acs-date"));
    let mut request = acs3_get();
    request.remove_header("x-acs-version");
    assert_eq!(
        parameter(request.verify()).as_deref(),
        Some("Authorization")
    );
    let mut request = acs3_get();
    request.set_header("host", "elsewhere");
    assert_eq!(parameter(request.verify()).as_deref(), Some("Signature"));
}

// ----- Every refusal of the ACS3 scheme ----------------------------------------------------

#[test]
fn acs3_own_signatures_verify_with_headers_in_any_case() {
    for request in [acs3_get(), acs3_post_form()] {
        let verified = request.verify().unwrap();
        assert_eq!(verified.scheme, Scheme::Acs3HmacSha256);
        assert_eq!(verified.nonce, "nonce-1");
        assert_eq!(verified.timestamp, now());
        let mut shouting = request.clone();
        for (name, _) in &mut shouting.headers {
            *name = name.to_ascii_uppercase();
        }
        assert_eq!(shouting.verify(), Ok(verified));
    }
}

#[track_caller]
fn with_authorization(value: &str) -> Result<Verified, ApiError> {
    let mut request = acs3_get();
    request.set_header("Authorization", value);
    request.verify()
}

#[test]
fn acs3_malformed_authorization_is_incomplete() {
    let good = acs3_get().header("authorization").unwrap().to_owned();
    let signature = good.rsplit_once("Signature=").unwrap().1.to_owned();
    let signed =
        "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version";
    assert!(good.contains(signed), "{good}");
    // Spaces around the commas and the parts in another order are accepted.
    assert!(with_authorization(&format!(
        "ACS3-HMAC-SHA256  Signature={signature} , SignedHeaders={signed}, Credential={AK}"
    ))
    .is_ok());
    // Upper-case hex digits are the same signature.
    assert!(with_authorization(&format!(
        "ACS3-HMAC-SHA256 Credential={AK},SignedHeaders={signed},Signature={}",
        signature.to_ascii_uppercase()
    ))
    .is_ok());
    for bad in [
        String::new(),
        "ACS3-HMAC-SHA256".to_owned(),
        format!("ACS3-HMAC-SM3 Credential={AK},SignedHeaders={signed},Signature={signature}"),
        format!("acs3-hmac-sha256 Credential={AK},SignedHeaders={signed},Signature={signature}"),
        format!("ACS3-HMAC-SHA256Credential={AK},SignedHeaders={signed},Signature={signature}"),
        format!("Bearer {signature}"),
        format!("ACS3-HMAC-SHA256 SignedHeaders={signed},Signature={signature}"),
        format!("ACS3-HMAC-SHA256 Credential=,SignedHeaders={signed},Signature={signature}"),
        format!("ACS3-HMAC-SHA256 Credential={AK},Signature={signature}"),
        format!("ACS3-HMAC-SHA256 Credential={AK},SignedHeaders={signed}"),
        format!("ACS3-HMAC-SHA256 Credential={AK},SignedHeaders={signed},Signature={}", &signature[1..]),
        format!("ACS3-HMAC-SHA256 Credential={AK},SignedHeaders={signed},Signature={}g", &signature[1..]),
        format!("ACS3-HMAC-SHA256 Credential={AK},SignedHeaders={signed},Signature={signature},Signature={signature}"),
        format!("ACS3-HMAC-SHA256 Credential={AK},SignedHeaders={signed},Signature={signature},Extra=1"),
        format!("ACS3-HMAC-SHA256 Credential={AK},SignedHeaders={signed},Signature={signature},"),
        format!("ACS3-HMAC-SHA256 Credential={AK},SignedHeaders={},Signature={signature}", signed.to_ascii_uppercase()),
        format!("ACS3-HMAC-SHA256 Credential={AK},SignedHeaders=x-acs-version;{signed},Signature={signature}"),
        format!("ACS3-HMAC-SHA256 Credential={AK},SignedHeaders=host;host;{signed},Signature={signature}"),
        format!("ACS3-HMAC-SHA256 Credential={AK},SignedHeaders={signed};,Signature={signature}"),
        format!("ACS3-HMAC-SHA256 Credential={AK},SignedHeaders=,Signature={signature}"),
        format!("ACS3-HMAC-SHA256 Credential={AK},SignedHeaders=authorization;{signed},Signature={signature}"),
    ] {
        let result = with_authorization(&bad);
        assert_eq!(result.as_ref().map_err(ApiError::code), Err(ErrorCode::IncompleteSignature), "{bad}");
        incomplete(result);
    }
}

#[test]
fn acs3_two_authorization_headers_are_incomplete() {
    let request = acs3_get();
    let authorization = request.header("authorization").unwrap().to_owned();
    for second in ["authorization", "Authorization", "AUTHORIZATION"] {
        let mut twice = request.clone();
        twice
            .headers
            .push((second.to_owned(), authorization.clone()));
        incomplete(twice.verify());
    }
    // An Authorization header of another scheme does not fall back to RPC parameters.
    let mut request = rpc_get();
    request.set_header("Authorization", "Basic dXNlcjpwYXNz");
    incomplete(request.verify());
}

#[test]
fn acs3_nonce_and_body_hash_must_be_sent_once_signed_and_right() {
    for name in ["x-acs-signature-nonce", "x-acs-content-sha256"] {
        let mut request = acs3_post_form();
        request.remove_header(name);
        incomplete(request.verify());
        let mut request = acs3_post_form();
        let value = request.header(name).unwrap().to_owned();
        request.headers.push((name.to_ascii_uppercase(), value));
        incomplete(request.verify());
    }
    let mut request = acs3_post_form();
    request.set_header("x-acs-signature-nonce", " ");
    incomplete(request.verify());
    // The hash of another body, or of no body.
    let mut request = acs3_post_form();
    request.body.push(b'&');
    incomplete(request.verify());
    let mut request = acs3_post_form();
    request.body.clear();
    incomplete(request.verify());
    // Upper-case hex is the same hash; it is signed as sent.
    let mut request = acs3_post_form();
    let upper = request
        .header("x-acs-content-sha256")
        .unwrap()
        .to_ascii_uppercase();
    request.set_header("x-acs-content-sha256", &upper);
    mismatch(request.verify());
}

/// The ACS3 request signed over `headers` only (a subset of what it sends).
fn acs3_signing_only(headers: &[&str]) -> Owned {
    let mut request = acs3_get();
    let signed: Vec<(&str, &str)> = request
        .headers
        .iter()
        .filter(|(n, _)| headers.contains(&n.as_str()))
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let query = request.query_pairs();
    let query: Vec<(&str, &str)> = query
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let authorization = acs3::sign("GET", "/", &query, &signed, AK, SECRET);
    request.set_header("Authorization", &authorization);
    request
}

#[test]
fn acs3_the_date_nonce_and_body_hash_must_be_signed() {
    let all = [
        "x-acs-date",
        "x-acs-signature-nonce",
        "x-acs-content-sha256",
    ];
    assert!(acs3_signing_only(&all).verify().is_ok());
    for left_out in all {
        let some: Vec<&str> = all.iter().copied().filter(|n| *n != left_out).collect();
        incomplete(acs3_signing_only(&some).verify());
    }
    // A signed header that is not sent.
    let mut request = acs3_get();
    request.remove_header("x-acs-version");
    incomplete(request.verify());
    // Unsigned headers may be added.
    let mut request = acs3_get();
    request
        .headers
        .push(("x-forwarded-for".into(), "10.0.0.1".into()));
    assert!(request.verify().is_ok());
}

#[test]
fn acs3_date_absent_malformed_or_far_is_illegal() {
    illegal_time(acs3_request_at("GET", b"", None).verify());
    for date in [
        "",
        "Fri, 27 Nov 2026 12:00:00 GMT",
        "2026-11-27T12:00:00",
        "2026-11-27T13:00:00Z",
    ] {
        illegal_time(acs3_request_at("GET", b"", Some(date)).verify());
    }
    // Listed in SignedHeaders but not sent: the time is what is missing.
    let mut request = acs3_get();
    request.remove_header("x-acs-date");
    illegal_time(request.verify());
    // Sent twice: ambiguous.
    let mut request = acs3_get();
    request.headers.push(("X-Acs-Date".into(), NOW.into()));
    incomplete(request.verify());
}

#[test]
fn acs3_query_changes_do_not_match_and_bad_escapes_are_incomplete() {
    let mut request = acs3_get();
    request.edit_query(|p| p.push(("RetentionDays".into(), "30".into())));
    mismatch(request.verify());
    let mut request = acs3_get();
    request.edit_query(|p| set(p, "SnapshotName", "a b*~+/😁"));
    mismatch(request.verify());
    let mut request = acs3_get();
    request.query.push_str("&DiskId=d-2");
    incomplete(request.verify());
    for bad in ["%", "%zz", "%FF"] {
        let mut request = acs3_get();
        request.query.push_str(&format!("&X={bad}"));
        incomplete(request.verify());
    }
    // The path is signed.
    let mut request = acs3_get();
    request.path = "/other".into();
    mismatch(request.verify());
    let mut request = acs3_get();
    request.path = String::new();
    assert!(request.verify().is_ok());
}

#[test]
fn acs3_names_are_accepted_raw_or_encoded() {
    let query = [("Odd Name*", "v 1"), ("DiskId", "d-1")];
    let hash = acs3::content_sha256(b"");
    let headers = [
        ("x-acs-date", NOW),
        ("x-acs-signature-nonce", "n"),
        ("x-acs-content-sha256", hash.as_str()),
    ];
    let raw = acs3::sign("GET", "/", &query, &headers, AK, SECRET);
    let encoded_query = [("Odd%20Name%2A", "v 1"), ("DiskId", "d-1")];
    let encoded = acs3::sign("GET", "/", &encoded_query, &headers, AK, SECRET);
    assert_ne!(raw, encoded);
    for authorization in [&raw, &encoded] {
        let mut owned: Vec<(String, String)> = headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect();
        owned.push(("Authorization".into(), authorization.clone()));
        let request = Owned {
            method: "GET".into(),
            path: "/".into(),
            query: percent::encode_pairs(query),
            headers: owned,
            body: Vec::new(),
        };
        assert!(request.verify().is_ok(), "{authorization}");
        let mut changed = request.clone();
        changed.edit_query(|p| set(p, "Odd Name*", "v 2"));
        mismatch(changed.verify());
    }
}

// ----- The nonce ledger ----------------------------------------------------------------------

#[test]
fn nonce_ledger_refuses_a_replay_per_access_key() {
    let mut ledger = NonceLedger::new(SKEW);
    assert!(ledger.is_empty());
    ledger.record(AK, "n-1", now()).unwrap();
    let replay = ledger.record(AK, "n-1", at(10)).unwrap_err();
    assert_eq!(replay.code(), ErrorCode::SignatureNonceUsed);
    assert_eq!(replay.status(), 400);
    assert_eq!(replay.message(), NONCE_USED);
    assert_eq!(replay.code().as_str(), "SignatureNonceUsed");
    ledger.record("LTAI-other", "n-1", at(10)).unwrap();
    ledger.record(AK, "n-2", at(10)).unwrap();
    assert_eq!(ledger.len(), 3);
}

#[test]
fn nonce_ledger_forgets_after_the_window() {
    let mut ledger = NonceLedger::new(SKEW);
    ledger.record(AK, "n-1", now()).unwrap();
    assert!(ledger.record(AK, "n-1", at(SKEW)).is_err());
    ledger.record(AK, "n-1", at(SKEW + 1)).unwrap();
    assert!(ledger.record(AK, "n-1", at(2 * SKEW + 1)).is_err());
    // A nonce a second: memory holds one window.
    let mut ledger = NonceLedger::new(60);
    for second in 0..10_000 {
        ledger
            .record(AK, &format!("n-{second}"), at(second))
            .unwrap();
        assert!(ledger.len() <= 61);
    }
    assert_eq!(ledger.len(), 61);
    // A clock that goes back does not lose entries.
    let mut ledger = NonceLedger::new(60);
    ledger.record(AK, "a", at(100)).unwrap();
    assert!(ledger.record(AK, "a", at(0)).is_err());
    // A negative window is 0: only the same second is a replay.
    let mut ledger = NonceLedger::new(-1);
    ledger.record(AK, "a", now()).unwrap();
    assert!(ledger.record(AK, "a", now()).is_err());
    ledger.record(AK, "a", at(1)).unwrap();
}

#[test]
fn verified_sdk_vectors_feed_the_ledger() {
    let v = vectors();
    let keys = vector_keys(&v);
    let mut ledger = NonceLedger::new(SKEW);
    for (name, _, _, request) in &v.cases {
        let verified = request.verify_with(&keys, v.now, SKEW).unwrap();
        ledger
            .record(&verified.access_key_id, &verified.nonce, v.now)
            .unwrap();
        let again = request.verify_with(&keys, v.now, SKEW).unwrap();
        let replay = ledger.record(&again.access_key_id, &again.nonce, v.now);
        assert_eq!(
            replay.map_err(|e| e.code()),
            Err(ErrorCode::SignatureNonceUsed),
            "{name}"
        );
    }
}

// ----- Hostile input -------------------------------------------------------------------------

#[test]
fn hostile_requests_are_refused_without_panicking() {
    let huge = "A".repeat(4 << 20);
    let mut request = acs3_get();
    request.set_header("Authorization", &format!("ACS3-HMAC-SHA256 {huge}"));
    incomplete(request.verify());
    let mut request = acs3_get();
    request.set_header(
        "Authorization",
        &format!("ACS3-HMAC-SHA256 Credential={huge},SignedHeaders={huge},Signature={huge}"),
    );
    incomplete(request.verify());
    let mut request = acs3_get();
    let commas = ",".repeat(1 << 20);
    request.set_header("Authorization", &format!("ACS3-HMAC-SHA256 {commas}"));
    incomplete(request.verify());
    // A hundred thousand headers, a signed header list of a hundred thousand names.
    let mut request = acs3_get();
    for i in 0..100_000 {
        request
            .headers
            .push((format!("x-h-{i}"), huge[..10].to_owned()));
    }
    let names: Vec<String> = (0..100_000).map(|i| format!("x-h-{i:06}")).collect();
    request.set_header(
        "Authorization",
        &format!(
            "ACS3-HMAC-SHA256 Credential={AK},SignedHeaders={},Signature={}",
            names.join(";"),
            "0".repeat(64)
        ),
    );
    incomplete(request.verify());
    // Escapes that do not decode, at every length.
    let mut request = rpc_get();
    request.query = "%".repeat(1 << 20);
    incomplete(request.verify());
    request.query = "%FF".repeat(1 << 18);
    incomplete(request.verify());
    request.query = "&".repeat(1 << 20);
    incomplete(request.verify());
    // A huge Timestamp.
    let mut request = rpc_get();
    request.edit_query(|p| set(p, "Timestamp", &huge));
    illegal_time(request.verify());
    // Nothing at all.
    let empty = Owned {
        method: String::new(),
        path: String::new(),
        query: String::new(),
        headers: Vec::new(),
        body: Vec::new(),
    };
    incomplete(empty.verify());
}

// ----- Properties ----------------------------------------------------------------------------

/// 256 cases a property, or `PROPTEST_CASES` for a longer campaign.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256)
}

/// The names `rpc_pairs` sets itself.
const FIXED: [&str; 9] = [
    "Action",
    "Version",
    "Format",
    "DiskId",
    "AccessKeyId",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "Timestamp",
];

/// One to seven parameters with distinct names (tag-like and other names, none of the
/// signature's own) and any Unicode values.
fn parameters() -> impl Strategy<Value = Vec<(String, String)>> {
    let name = "[A-Za-z][A-Za-z0-9.]{0,12}".prop_filter("a name of the signature", |n: &String| {
        !n.starts_with("Signature") && !FIXED.contains(&n.as_str())
    });
    proptest::collection::btree_map(name, any::<String>(), 1..8)
        .prop_map(|map| map.into_iter().collect())
}

fn refs(pairs: &[(String, String)]) -> Vec<(&str, &str)> {
    pairs
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn rpc_signed_requests_verify_and_any_changed_value_does_not_match(
        extra in parameters(),
        method in prop_oneof![Just("GET"), Just("POST")],
        pick in any::<prop::sample::Index>(),
        suffix in "[^\u{0}]{1,3}",
    ) {
        let mut pairs = rpc_pairs(method, NOW, &refs(&extra));
        let request = Owned { method: method.into(), path: "/".into(), query: encode(&pairs), headers: Vec::new(), body: Vec::new() };
        prop_assert_eq!(request.verify().map(|v| v.scheme), Ok(Scheme::RpcHmacSha1));
        // One parameter (not a signature parameter) changed.
        let i = pick.index(extra.len());
        let name = extra[i].0.clone();
        let slot = pairs.iter_mut().find(|(n, _)| *n == name).unwrap();
        slot.1.push_str(&suffix);
        let changed = Owned { query: encode(&pairs), ..request };
        prop_assert_eq!(changed.verify().map_err(|e| (e.code(), e.status())), Err((ErrorCode::SignatureDoesNotMatch, 403)));
    }

    #[test]
    fn acs3_signed_requests_verify_and_any_changed_value_does_not_match(
        query in parameters(),
        body in any::<Vec<u8>>(),
        pick in any::<prop::sample::Index>(),
        suffix in "[^\u{0}]{1,3}",
    ) {
        let hash = acs3::content_sha256(&body);
        let headers = [("host", "ecs.aliyuncs.com"), ("x-acs-date", NOW), ("x-acs-signature-nonce", "n"), ("x-acs-content-sha256", hash.as_str())];
        let authorization = acs3::sign("POST", "/", &refs(&query), &headers, AK, SECRET);
        let mut owned_headers: Vec<(String, String)> = headers.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect();
        owned_headers.push(("Authorization".into(), authorization));
        let request = Owned { method: "POST".into(), path: "/".into(), query: encode(&query), headers: owned_headers, body };
        prop_assert_eq!(request.verify().map(|v| v.scheme), Ok(Scheme::Acs3HmacSha256));
        let mut changed_query = query.clone();
        let i = pick.index(changed_query.len());
        changed_query[i].1.push_str(&suffix);
        let changed = Owned { query: encode(&changed_query), ..request };
        prop_assert_eq!(changed.verify().map_err(|e| (e.code(), e.status())), Err((ErrorCode::SignatureDoesNotMatch, 403)));
    }

    #[test]
    fn any_request_is_answered_without_panicking(
        method in ".{0,8}",
        query in ".{0,200}",
        raw_headers in proptest::collection::vec(("[A-Za-z-]{0,24}", ".{0,120}"), 0..8),
        body in any::<Vec<u8>>(),
        use_acs3 in any::<bool>(),
    ) {
        let mut headers: Vec<(String, String)> = raw_headers;
        if use_acs3 {
            headers.push(("Authorization".into(), format!("ACS3-HMAC-SHA256 Credential={AK},SignedHeaders=host,Signature={}", "a".repeat(64))));
        }
        let request = Owned { method, path: "/".into(), query, headers, body };
        let _ = request.verify();
    }
}

#[test]
fn empty_credentials_and_ledgers_say_so() {
    let mut credentials = Credentials::new();
    assert!(credentials.is_empty());
    credentials.insert(AK, SECRET);
    assert!(!credentials.is_empty());
    assert_eq!(credentials.len(), 1);
    let mut ledger = NonceLedger::new(900);
    assert!(ledger.is_empty());
    ledger.record(AK, "nonce-1", now()).unwrap();
    assert!(!ledger.is_empty());
    assert_eq!(ledger.len(), 1);
}

#[test]
fn decoding_reads_either_case_of_hex_and_says_where_an_escape_is_bad() {
    let pairs = percent::decode_pairs(b"a=%c3%A9&b=%2a").unwrap();
    assert_eq!(pairs, [("a".into(), "é".into()), ("b".into(), "*".into())]);
    let bad = percent::decode_pairs(b"a=1&bc=%zz").unwrap_err();
    assert_eq!(bad, percent::DecodeError::BadEscape { at: 7 });
    assert_eq!(
        bad.to_string(),
        "'%' not followed by two hex digits at byte 7"
    );
    let not_utf8 = percent::decode_pairs(b"a=%ff").unwrap_err();
    assert_eq!(not_utf8, percent::DecodeError::NotUtf8);
    assert_eq!(not_utf8.to_string(), "a decoded name or value is not UTF-8");
}

#[test]
fn only_a_form_body_holds_parameters() {
    use ecs_snapshot_rules::wire::body_is_form;
    for (content_type, form) in [
        (Some("application/x-www-form-urlencoded"), true),
        (
            Some(" Application/X-WWW-Form-Urlencoded ; charset=UTF-8"),
            true,
        ),
        (Some("application/x-www-form-urlencoded-extra"), false),
        (Some("application/json"), false),
        (Some(""), false),
        (None, false),
    ] {
        assert_eq!(body_is_form(content_type), form, "{content_type:?}");
    }
}
