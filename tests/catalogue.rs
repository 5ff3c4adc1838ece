//! The catalogue against the documents' error tables, row by row: a typo in a status, code
//! or message fails here.
//!
//! The tables are transcribed in `spec/errors.tsv` (one row a line, each naming its source
//! and its position there); `scripts/spec-agrees` checks that transcription against the
//! documents themselves.

mod spec_support;

use std::collections::BTreeSet;

use ecs_snapshot_rules::catalogue::{Scope, Source};
use ecs_snapshot_rules::ErrorCode;
use spec_support::rows_from;

fn rows_with(source: impl Fn(Source) -> bool) -> Vec<ErrorCode> {
    ErrorCode::ALL
        .iter()
        .copied()
        .filter(|row| source(row.source()))
        .collect()
}

#[test]
fn every_row_of_the_spec_error_table_is_in_the_catalogue_in_order() {
    let table = rows_from("errors.tsv", "CreateSnapshot.md");
    let ours = rows_with(|s| matches!(s, Source::Spec(_)));
    assert_eq!(table.len(), 31, "the spec's error table has 31 rows");
    assert_eq!(ours.len(), table.len());
    for (n, (row, ours)) in table.iter().zip(&ours).enumerate() {
        let what = format!("spec row {}", n + 1);
        assert_eq!(
            row["row"],
            (n + 1).to_string(),
            "{what}: transcribed in order"
        );
        assert_eq!(ours.source(), Source::Spec(n as u8 + 1), "{what}: source");
        assert_eq!(row["status"], ours.status().to_string(), "{what}: status");
        assert_eq!(row["code"], ours.as_str(), "{what}: code");
        assert_eq!(row["message"], ours.message_template(), "{what}: message");
    }
    let distinct: BTreeSet<_> = ours.iter().map(|row| row.as_str()).collect();
    assert_eq!(distinct.len(), 30, "30 distinct codes");
}

#[test]
fn every_row_of_the_supplement_table_is_in_the_catalogue_in_order() {
    let table = rows_from("errors.tsv", "SUPPLEMENT.md");
    let ours = rows_with(|s| s == Source::Supplement);
    assert_eq!(ours.len(), table.len());
    for (row, ours) in table.iter().zip(&ours) {
        let what = format!("supplement row {}", ours.as_str());
        assert_eq!(row["status"], ours.status().to_string(), "{what}: status");
        assert_eq!(row["code"], ours.as_str(), "{what}: code");
        assert_eq!(row["message"], ours.message_template(), "{what}: message");
        let server_only = row["note"] == "servers only";
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
