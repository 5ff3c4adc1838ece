//! Conformance cases kept as data, in the manner of rust-url's `urltestdata.json`:
//! `tests/vectors/*.json` (drawn from the spec) and `tests/sdk/cases.json` (requests the
//! official SDKs really send). Each case is a request and the API's expected answer; the
//! runner names every case that disagrees.
//!
//! `tests/vectors/expected_failures.txt` lists cases known to fail, one name a line; a
//! listed case that passes fails the run, so the list never goes stale.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use ecs_snapshot_rules::{
    parse_json, parse_pairs, parse_query, validate, violations, ApiError, CreateSnapshotRequest,
    ParseError,
};
use serde_json::Value;

/// What a case expects: valid, or this exact error.
#[derive(Debug, PartialEq)]
enum Outcome {
    Valid,
    Refused {
        status: u16,
        code: String,
        message: String,
        parameter: Option<String>,
    },
}

impl Outcome {
    fn from_error(error: &ApiError) -> Self {
        Outcome::Refused {
            status: error.status(),
            code: error.code().as_str().to_owned(),
            message: error.message().to_owned(),
            parameter: error.parameter().map(str::to_owned),
        }
    }

    fn from_json(value: &Value) -> Result<Self, String> {
        if value.get("valid") == Some(&Value::Bool(true)) {
            return Ok(Outcome::Valid);
        }
        let text = |field: &str| {
            value
                .get(field)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| format!("expectation lacks {field:?}: {value}"))
        };
        Ok(Outcome::Refused {
            status: value
                .get("status")
                .and_then(Value::as_u64)
                .and_then(|s| u16::try_from(s).ok())
                .ok_or_else(|| format!("expectation lacks \"status\": {value}"))?,
            code: text("code")?,
            message: text("message")?,
            parameter: value
                .get("parameter")
                .and_then(Value::as_str)
                .map(str::to_owned),
        })
    }
}

/// One named case.
struct Case {
    name: String,
    input: Value,
    expect: Value,
    all: Option<Value>,
}

fn cases_in(path: &Path) -> Vec<Case> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let file: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
    let cases = file["cases"]
        .as_array()
        .unwrap_or_else(|| panic!("{} has no \"cases\" array", path.display()));
    cases
        .iter()
        .map(|case| Case {
            name: case["name"]
                .as_str()
                .unwrap_or_else(|| panic!("a case of {} has no name", path.display()))
                .to_owned(),
            input: case.clone(),
            expect: case["expect"].clone(),
            all: case.get("all").cloned(),
        })
        .collect()
}

fn parse(case: &Value) -> Result<Result<CreateSnapshotRequest<'static>, ParseError>, String> {
    if let Some(query) = case.get("query").and_then(Value::as_str) {
        Ok(parse_query(query).map(CreateSnapshotRequest::into_owned))
    } else if let Some(json) = case.get("json") {
        Ok(parse_json(&json.to_string()).map(CreateSnapshotRequest::into_owned))
    } else if let Some(pairs) = case.get("pairs").and_then(Value::as_array) {
        let pairs: Option<Vec<(String, String)>> = pairs
            .iter()
            .map(|pair| {
                let pair = pair.as_array()?;
                Some((
                    pair.first()?.as_str()?.to_owned(),
                    pair.get(1)?.as_str()?.to_owned(),
                ))
            })
            .collect();
        Ok(parse_pairs(
            pairs.ok_or("\"pairs\" must be [[name, value], ...]")?,
        ))
    } else {
        Err("a case needs \"query\", \"json\" or \"pairs\"".to_owned())
    }
}

/// The case's disagreement with the library, if any.
fn run(case: &Case) -> Option<String> {
    let expected = match Outcome::from_json(&case.expect) {
        Ok(expected) => expected,
        Err(why) => return Some(why),
    };
    let parsed = match parse(&case.input) {
        Ok(parsed) => parsed,
        Err(why) => return Some(why),
    };
    let (first, all) = match &parsed {
        Ok(request) => (
            validate(request)
                .err()
                .map_or(Outcome::Valid, |e| Outcome::from_error(&e)),
            violations(request)
                .iter()
                .map(Outcome::from_error)
                .collect(),
        ),
        Err(error) => match error.api_error() {
            Some(api) => (Outcome::from_error(&api), vec![Outcome::from_error(&api)]),
            None => return Some(format!("not a request: {error}")),
        },
    };
    if first != expected {
        return Some(format!("expected {expected:?}\n      got {first:?}"));
    }
    if let Some(list) = &case.all {
        let expected: Result<Vec<_>, _> = list
            .as_array()
            .map(|items| items.iter().map(Outcome::from_json).collect())
            .unwrap_or_else(|| Err("\"all\" must be an array".to_owned()));
        match expected {
            Ok(expected) if expected == all => {}
            Ok(expected) => {
                return Some(format!(
                    "all violations: expected {expected:?}\n      got {all:?}"
                ))
            }
            Err(why) => return Some(why),
        }
    }
    None
}

fn vector_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("vectors"))
        .expect("tests/vectors exists")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files.push(root.join("sdk/cases.json"));
    files
}

fn expected_failures() -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/expected_failures.txt");
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

#[test]
fn conformance_vectors() {
    let known = expected_failures();
    let mut names = BTreeSet::new();
    let mut failures = Vec::new();
    let mut stale = Vec::new();
    let mut count = 0;
    for file in vector_files() {
        for case in cases_in(&file) {
            count += 1;
            assert!(
                names.insert(case.name.clone()),
                "case name {} is used twice",
                case.name
            );
            match (run(&case), known.contains(&case.name)) {
                (Some(why), false) => failures.push(format!("{}: {why}", case.name)),
                (None, true) => stale.push(case.name.clone()),
                _ => {}
            }
        }
    }
    let unknown: Vec<_> = known.difference(&names).collect();
    assert!(
        unknown.is_empty(),
        "expected_failures.txt names no such case: {unknown:?}"
    );
    assert!(
        stale.is_empty(),
        "listed as expected failures but pass now (remove them): {stale:?}"
    );
    assert!(
        failures.is_empty(),
        "{} of {count} cases fail:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
    assert!(count >= 100, "only {count} cases were read");
}
