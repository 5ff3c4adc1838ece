//! `docs/STATEFUL.md` against the catalogue: a trigger for every row of the spec's error
//! table and for the SUPPLEMENT's stateful rows, each with its status and code, and a test
//! of that row number in `tests/stateful_rows.rs`.

use std::path::Path;

use ecs_snapshot_rules::catalogue::{Scope, Source};
use ecs_snapshot_rules::ErrorCode;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// The rows of the trigger table: (row, status, code, trigger).
fn trigger_rows() -> Vec<(String, u16, String, String)> {
    let text = read("docs/STATEFUL.md");
    let start = text
        .find("## The trigger of every row")
        .expect("the trigger section");
    text[start..]
        .lines()
        .filter(|line| line.starts_with("| "))
        .map(|line| line.split('|').map(str::trim).collect::<Vec<_>>())
        .filter(|cells| cells.len() == 6 && cells[2].parse::<u16>().is_ok())
        .map(|cells| {
            (
                cells[1].to_owned(),
                cells[2].parse().unwrap(),
                cells[3].to_owned(),
                cells[4].to_owned(),
            )
        })
        .collect()
}

#[test]
fn every_spec_row_has_its_trigger_in_order() {
    let rows = trigger_rows();
    let spec: Vec<(String, u16, String)> = ErrorCode::ALL
        .iter()
        .filter_map(|row| match row.source() {
            Source::Spec(n) => Some((n.to_string(), row.status(), row.as_str().to_owned())),
            Source::Supplement => None,
        })
        .collect();
    assert_eq!(spec.len(), 31);
    let documented: Vec<(String, u16, String)> = rows
        .iter()
        .filter(|(row, ..)| row != "S")
        .map(|(row, status, code, _)| (row.clone(), *status, code.clone()))
        .collect();
    assert_eq!(documented, spec);
    assert!(
        rows.iter().all(|(.., trigger)| trigger.len() > 10),
        "every row has a trigger"
    );
}

#[test]
fn the_stateful_supplement_rows_have_their_trigger() {
    let documented: Vec<(u16, String)> = trigger_rows()
        .into_iter()
        .filter(|(row, ..)| row == "S")
        .map(|(_, status, code, _)| (status, code))
        .collect();
    assert_eq!(
        documented,
        [
            (404, "InvalidResourceGroup.NotFound".to_owned()),
            (403, "InvalidSnapshotCategory.Malformed".to_owned()),
        ]
    );
    // InvalidResourceGroup.NotFound is the SUPPLEMENT's one stateful row.
    let stateful: Vec<_> = ErrorCode::ALL
        .iter()
        .filter(|row| row.source() == Source::Supplement && row.scope() == Scope::State)
        .map(|row| row.as_str())
        .collect();
    assert_eq!(stateful, ["InvalidResourceGroup.NotFound"]);
}

#[test]
fn every_spec_row_has_a_test_of_its_number() {
    let tests = read("tests/stateful_rows.rs");
    for n in 1..=31 {
        assert!(
            tests.contains(&format!("fn row_{n:02}_")),
            "no test for row {n}"
        );
    }
}

#[test]
fn every_scenario_test_named_in_the_docs_exists() {
    let docs = read("docs/STATEFUL.md");
    let start = docs.find("## The scenarios of the Description").unwrap();
    let end = docs.find("## Idempotency").unwrap();
    let sources: String = ["stateful_scenarios.rs", "stateful_region.rs"]
        .iter()
        .map(|f| read(&format!("tests/{f}")))
        .collect();
    // The names in the last column of each row, leaving out the file names.
    let names: Vec<&str> = docs[start..end]
        .lines()
        .filter(|line| line.starts_with("| "))
        .filter_map(|line| line.trim_end_matches('|').rsplit('|').next())
        .flat_map(|cell| cell.split('`').skip(1).step_by(2))
        .filter(|name| !name.ends_with(".rs") && !name.contains(' '))
        .collect();
    assert!(names.len() >= 12, "{names:?}");
    for name in names {
        assert!(sources.contains(&format!("fn {name}(")), "no test {name}");
    }
}
