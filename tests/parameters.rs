//! Each parameter's documented bounds, from the project's transcription of the documents
//! (`spec/parameters.tsv`), pushed through the rules: the bounds themselves are accepted, one
//! past them is refused with the transcribed code. The row in force for a parameter is the
//! current reference's (`CURRENT.md`) where it has one, else `CreateSnapshot.md`'s.

mod spec_support;

use ecs_snapshot_rules::{parse_query, validate};
use spec_support::{rows_from, Row};

/// The rows in force, one a parameter, in the transcription's order.
fn in_force() -> Vec<Row> {
    let current = rows_from("parameters.tsv", "CURRENT.md");
    rows_from("parameters.tsv", "CreateSnapshot.md")
        .into_iter()
        .map(|first| {
            current
                .iter()
                .find(|row| row["parameter"] == first["parameter"])
                .cloned()
                .unwrap_or(first)
        })
        .collect()
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A request whose `parameter` is `count` characters long (or is `count` days, or whose tag
/// is N = `count`), everything else valid.
fn request_with(parameter: &str, count: i64) -> String {
    let n = usize::try_from(count).unwrap_or(0);
    match parameter {
        // ASCII letters: valid in a name and in a token.
        "SnapshotName" | "ClientToken" => format!("DiskId=d-1&{parameter}={}", "a".repeat(n)),
        // Three bytes a character: the bound counts characters, not bytes.
        "Description" => format!("DiskId=d-1&Description={}", encode(&"快".repeat(n))),
        "Tag.N.Key" => format!("DiskId=d-1&Tag.1.Key={}", encode(&"快".repeat(n))),
        "Tag.N.Value" => format!(
            "DiskId=d-1&Tag.1.Key=k&Tag.1.Value={}",
            encode(&"快".repeat(n))
        ),
        "Tag.N" => format!("DiskId=d-1&Tag.{count}.Key=k&Tag.{count}.Value=v"),
        "RetentionDays" => format!("DiskId=d-1&RetentionDays={count}"),
        // Checked when InstantAccess is true, in every revision.
        "InstantAccessRetentionDays" => {
            format!("DiskId=d-1&InstantAccess=true&InstantAccessRetentionDays={count}")
        }
        other => panic!("no request shape for {other}"),
    }
}

#[track_caller]
fn assert_accepted(query: &str, what: &str) {
    let request = parse_query(query).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(validate(&request), Ok(()), "{what}");
}

#[track_caller]
fn assert_refused(query: &str, code: &str, what: &str) {
    let request = parse_query(query).unwrap_or_else(|e| panic!("{what}: {e}"));
    let refusal = validate(&request).expect_err(what);
    assert_eq!(refusal.code().as_str(), code, "{what}");
}

#[test]
fn every_transcribed_bound_is_the_rules_bound() {
    let mut checked = 0;
    for row in in_force() {
        let (Ok(min), Ok(max)) = (row["min"].parse::<i64>(), row["max"].parse::<i64>()) else {
            continue;
        };
        let parameter = row["parameter"].as_str();
        let code = row["code"].as_str();
        let what = |n: i64| format!("{parameter} at {n} {} ({})", row["measure"], row["source"]);
        assert_accepted(&request_with(parameter, min.max(1)), &what(min.max(1)));
        assert_accepted(&request_with(parameter, max), &what(max));
        assert_refused(&request_with(parameter, max + 1), code, &what(max + 1));
        // An empty tag key is a key of no characters; an empty text elsewhere is below 1.
        if min > 0 {
            assert_refused(&request_with(parameter, min - 1), code, &what(min - 1));
        } else {
            assert_accepted(&request_with(parameter, 0), &what(0));
        }
        checked += 1;
    }
    assert_eq!(checked, 8, "eight parameters have bounds");
}

#[test]
fn the_one_required_parameter_is_required() {
    for row in in_force().iter().filter(|row| row["required"] == "yes") {
        let parameter = &row["parameter"];
        let request = parse_query("SnapshotName=nightly").unwrap();
        let refusal = validate(&request).unwrap_err();
        assert_eq!(refusal.code().as_str(), row["code"], "{parameter}");
        assert_eq!(refusal.parameter(), Some(parameter.as_str()));
    }
}
