//! The catalogue against the spec files, row by row: a typo in a status, code or message
//! fails here.
//!
//! The spec files live in `../shared/spec/` beside the checkout (set
//! `ECS_SNAPSHOT_RULES_SPEC_DIR` to read them elsewhere). Without them these tests fail: a
//! catalogue that is not compared is not known to be right.

use std::collections::BTreeSet;
use std::path::PathBuf;

use ecs_snapshot_rules::{ErrorCode, Scope, Source};

fn spec_file(name: &str) -> String {
    let dir = std::env::var_os("ECS_SNAPSHOT_RULES_SPEC_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/spec"));
    let path = dir.join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read the spec file {} ({e}); set ECS_SNAPSHOT_RULES_SPEC_DIR",
            path.display()
        )
    })
}

/// The rows of the first Markdown table after `heading`, header and rule dropped, each cell
/// trimmed and unescaped.
fn table_after(text: &str, heading: &str) -> Vec<Vec<String>> {
    let start = text
        .find(heading)
        .unwrap_or_else(|| panic!("no {heading:?} in the spec"));
    text[start..]
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .skip(2)
        .map(|line| {
            let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
            inner.split('|').map(unescape).collect()
        })
        .collect()
}

fn unescape(cell: &str) -> String {
    let cell = cell.trim();
    let cell = cell
        .strip_prefix('`')
        .and_then(|c| c.strip_suffix('`'))
        .unwrap_or(cell);
    let mut out = String::with_capacity(cell.len());
    let mut chars = cell.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn rows_from(source: impl Fn(Source) -> bool) -> Vec<ErrorCode> {
    ErrorCode::ALL
        .iter()
        .copied()
        .filter(|row| source(row.source()))
        .collect()
}

#[test]
fn every_row_of_the_spec_error_table_is_in_the_catalogue_in_order() {
    let table = table_after(&spec_file("CreateSnapshot.md"), "## Error codes");
    let ours = rows_from(|s| matches!(s, Source::Spec(_)));
    assert_eq!(table.len(), 31, "the spec's error table has 31 rows");
    assert_eq!(ours.len(), table.len());
    for (n, (row, ours)) in table.iter().zip(&ours).enumerate() {
        let what = format!("spec row {}", n + 1);
        assert_eq!(ours.source(), Source::Spec(n as u8 + 1), "{what}: source");
        assert_eq!(row[0], ours.status().to_string(), "{what}: status");
        assert_eq!(row[1], ours.as_str(), "{what}: code");
        assert_eq!(row[2], ours.message_template(), "{what}: message");
    }
    let distinct: BTreeSet<_> = ours.iter().map(|row| row.as_str()).collect();
    assert_eq!(distinct.len(), 30, "30 distinct codes");
}

#[test]
fn every_row_of_the_supplement_table_is_in_the_catalogue_in_order() {
    let table = table_after(
        &spec_file("SUPPLEMENT.md"),
        "## Error codes for parameter checks",
    );
    let ours = rows_from(|s| s == Source::Supplement);
    assert_eq!(ours.len(), table.len());
    for (row, ours) in table.iter().zip(&ours) {
        let what = format!("supplement row {}", ours.as_str());
        assert_eq!(row[0], ours.status().to_string(), "{what}: status");
        assert_eq!(row[1], ours.as_str(), "{what}: code");
        assert_eq!(row[2], ours.message_template(), "{what}: message");
        let server_only = row[3].starts_with("(servers only)");
        assert_eq!(server_only, ours.scope() == Scope::Server, "{what}: scope");
    }
}

#[test]
fn the_spec_documents_quota_exceed_tags_as_a_template() {
    assert_eq!(ErrorCode::QuotaExceedTags.message_template(), "%s");
    assert_eq!(ErrorCode::QuotaExceedTags.status(), 403);
}

#[test]
fn the_spec_quirks_are_kept() {
    assert_eq!(ErrorCode::InvalidDescriptionMalformed.status(), 404);
    assert_eq!(ErrorCode::CreateSnapshotFailed.status(), 403);
    assert_eq!(
        ErrorCode::DiskCategoryOperationNotSupported.message_template(),
        "The operation is not supported to the specified disk due to its disk category"
    );
}

#[test]
fn codes_are_found_by_their_spelling() {
    assert_eq!(
        ErrorCode::from_code("QuotaExceed.Snapshot"),
        Some(ErrorCode::QuotaExceedSnapshot)
    );
    let internal: Vec<_> = ErrorCode::rows_for("InternalError").collect();
    assert_eq!(
        internal,
        [ErrorCode::InternalError, ErrorCode::InternalErrorException]
    );
    assert_eq!(ErrorCode::from_code("internalerror"), None);
    assert_eq!(
        ErrorCode::InvalidTagKeyMalformed.to_string(),
        "InvalidTagKey.Malformed"
    );
}

#[test]
fn every_row_has_a_description_of_its_own() {
    let mut seen = BTreeSet::new();
    for row in ErrorCode::ALL {
        let about = row.description();
        assert!(about.ends_with('.'), "{row:?}: {about:?} is a sentence");
        assert!(seen.insert(about), "{row:?}: description repeated");
    }
}
