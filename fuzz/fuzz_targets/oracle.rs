//! The oracle keeps its promises: a valid request is valid, and each defect gives exactly
//! the error it names, also after a trip over the wire.
#![no_main]

use ecs_snapshot_rules::testing::oracle::{valid_request, Defect};
use ecs_snapshot_rules::{parse_query, validate, violations};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (u64, u8)| {
    let (seed, which) = input;
    let request = valid_request(seed);
    assert_eq!(validate(&request), Ok(()));
    let defect = Defect::ALL[usize::from(which) % Defect::ALL.len()];
    let broken = defect.apply(&request);
    assert_eq!(violations(&broken.request).first(), Some(&broken.expected));
    let query = broken.request.to_query();
    let again = parse_query(&query).expect("a written request reads back");
    assert_eq!(validate(&again), Err(broken.expected));
});
