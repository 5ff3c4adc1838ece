//! The JSON parser: any bytes give a request or a clear error (malformed JSON says where). A
//! request written back with `to_json` reads back as itself, also through the query string.
#![no_main]

use ecs_snapshot_rules::{parse_json, parse_query, ParseError};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match parse_json(data) {
        Ok(request) => {
            let json = request.to_json();
            if !request
                .other_parameters
                .iter()
                .any(|(name, _)| name == "Tag")
            {
                let again = parse_json(&json).expect("written JSON reads back");
                assert_eq!(again, request);
                assert_eq!(again.to_json(), json);
            }
            let query = request.to_query();
            assert_eq!(
                parse_query(&query).expect("a written query reads back"),
                request
            );
        }
        Err(ParseError::Json {
            line,
            column,
            message,
        }) => {
            assert!(line >= 1 && column >= 1 && !message.is_empty());
        }
        Err(error) => assert!(!error.to_string().is_empty()),
    }
});
