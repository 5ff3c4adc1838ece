//! Any bytes, read as a request whichever its format: a request or a clear error, never a
//! panic. A request's verdict is the first of its violations, every violation is a catalogue
//! row a request alone can cause with its documented status and a filled-in message, and
//! the request survives a round trip through the query string with the same verdict.
#![no_main]

use ecs_snapshot_rules::catalogue::Scope;
use ecs_snapshot_rules::{parse_query, parse_request, validate, violations, ErrorCode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let request = match parse_request(data) {
        Ok(request) => request,
        Err(error) => {
            assert!(!error.to_string().is_empty());
            if let Some(answer) = error.api_error() {
                assert_eq!(answer.code().scope(), Scope::Request);
            }
            return;
        }
    };
    let all = violations(&request);
    assert_eq!(validate(&request).err(), all.first().cloned());
    for error in &all {
        assert!(ErrorCode::ALL.contains(&error.code()));
        assert_eq!(error.code().scope(), Scope::Request);
        assert_eq!(error.status(), error.code().status());
        assert!(!error.message().is_empty() && error.message() != "%s");
        assert!(!error.message().contains("\"NAME\""));
        assert!(error.parameter().is_some());
    }
    let query = request.to_query();
    let again = parse_query(&query).expect("a written request reads back");
    assert_eq!(again, request);
    assert_eq!(violations(&again), all);
});
