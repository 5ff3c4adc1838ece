//! Any bytes: a request or a clear error, never a panic; and every request that parses
//! survives a round trip through the query string with the same verdict.
#![no_main]

use ecs_snapshot_rules::{parse_query, parse_request, validate, violations};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(request) = parse_request(data) else {
        return;
    };
    let all = violations(&request);
    assert_eq!(validate(&request).err(), all.first().cloned());
    let again = parse_query(request.to_query()).expect("a written request reads back");
    assert_eq!(again, request);
    assert_eq!(violations(&again), all);
});
