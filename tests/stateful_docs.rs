//! `docs/STATEFUL.md` against the catalogue: a trigger for every row of the error tables of
//! the current reference (`CURRENT.md`) and of `CreateSnapshot.md`, each with its status and
//! code and the test in `tests/stateful_rows.rs` that asserts it, or marked server-only.

use std::path::Path;

use ecs_snapshot_rules::catalogue::Scope;
use ecs_snapshot_rules::ErrorCode;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// One row of the trigger table.
#[derive(Debug)]
struct Trigger {
    row: String,
    status: u16,
    code: String,
    trigger: String,
    test: String,
}

/// The rows of the trigger table, in order.
fn trigger_rows() -> Vec<Trigger> {
    let text = read("docs/STATEFUL.md");
    let start = text
        .find("## The trigger of every row")
        .expect("the trigger section");
    let end = start + text[start..].find("\n## ").unwrap_or(text.len() - start);
    text[start..end]
        .lines()
        .filter(|line| line.starts_with("| "))
        .map(|line| line.split('|').map(str::trim).collect::<Vec<_>>())
        .filter(|cells| cells.len() == 7 && cells[2].parse::<u16>().is_ok())
        .map(|cells| Trigger {
            row: cells[1].to_owned(),
            status: cells[2].parse().unwrap(),
            code: cells[3].to_owned(),
            trigger: cells[4].to_owned(),
            test: cells[5].trim_matches('`').to_owned(),
        })
        .collect()
}

/// The name a catalogue row has in the table: `C` and its row in the current reference, or
/// `S` and its row in `CreateSnapshot.md` for a row only that has; `None` for a row of the
/// SUPPLEMENT only.
fn table_name(row: ErrorCode) -> Option<String> {
    let source = row.source();
    match (source.current_row(), source.spec_row()) {
        (Some(n), _) => Some(format!("C{n}")),
        (None, Some(n)) => Some(format!("S{n}")),
        (None, None) => None,
    }
}

#[test]
fn every_row_of_both_tables_has_its_trigger() {
    let documented = trigger_rows();
    let mut expected: Vec<(String, u16, &str)> = ErrorCode::ALL
        .iter()
        .filter_map(|&row| Some((table_name(row)?, row.status(), row.as_str())))
        .collect();
    // The current reference's order, then the row only CreateSnapshot.md has.
    expected.sort_by_key(|(name, ..)| {
        let number: u16 = name[1..].parse().unwrap();
        (name.starts_with('S'), number)
    });
    assert_eq!(
        expected.len(),
        51,
        "50 rows of the current reference and QuotaExceed.Tags"
    );
    let got: Vec<(String, u16, &str)> = documented
        .iter()
        .map(|t| (t.row.clone(), t.status, t.code.as_str()))
        .collect();
    assert_eq!(got, expected);
    assert!(
        documented.iter().all(|t| t.trigger.len() > 10),
        "every row has a trigger"
    );
}

#[test]
fn every_trigger_names_its_test_or_says_server_only() {
    let tests = read("tests/stateful_rows.rs");
    for trigger in trigger_rows() {
        let row = ErrorCode::ALL
            .iter()
            .copied()
            .find(|&row| table_name(row).as_deref() == Some(trigger.row.as_str()))
            .unwrap();
        if row.scope() == Scope::Server {
            assert_eq!(trigger.test, "server only", "{}", trigger.row);
            assert!(
                trigger.trigger.starts_with("server only"),
                "{}",
                trigger.row
            );
        } else {
            let prefix = match row.source().spec_row() {
                Some(n) => format!("row_{n:02}_"),
                None => format!("current_{:02}_", row.source().current_row().unwrap()),
            };
            assert!(
                trigger.test.starts_with(&prefix),
                "{}: {}",
                trigger.row,
                trigger.test
            );
            assert!(
                tests.contains(&format!("fn {}()", trigger.test)),
                "no test {}",
                trigger.test
            );
        }
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
