//! The query-string parser: any bytes give a request or a clear error. A request written back
//! with `to_query` reads back as itself (and writing that again gives the same text), and
//! `to_json` reads back as itself too; an error the API answers is `InvalidParameter` or
//! `InvalidAction.NotFound`, naming a parameter.
#![no_main]

use ecs_snapshot_rules::{parse_json, parse_query, ErrorCode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match parse_query(data) {
        Ok(request) => {
            let query = request.to_query();
            let again = parse_query(&query).expect("a written query reads back");
            assert_eq!(again, request);
            assert_eq!(again.to_query(), query);
            // A common or unknown parameter called "Tag" would be the SDK's tag list in JSON.
            if !request
                .other_parameters
                .iter()
                .any(|(name, _)| name == "Tag")
            {
                let json = request.to_json();
                assert_eq!(parse_json(&json).expect("written JSON reads back"), request);
            }
        }
        Err(error) => {
            let answer = error.api_error().expect("a query string is an API request");
            assert!(matches!(
                answer.code(),
                ErrorCode::InvalidParameter | ErrorCode::InvalidActionNotFound
            ));
            assert!(answer.parameter().is_some());
        }
    }
});
