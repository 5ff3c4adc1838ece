//! The catalogue against the documents' error tables, row by row (the current reference's,
//! `CreateSnapshot.md`'s and the SUPPLEMENT's): a typo in a status, code or message fails
//! here, and so does a row whose current value or earlier value is not the document's.
//!
//! The tables are transcribed in `spec/errors.tsv` (one row a line, each naming its source
//! and its position there); `scripts/spec-agrees` checks that transcription against the
//! documents themselves.

mod spec_support;

use std::collections::BTreeSet;

use ecs_snapshot_rules::catalogue::{Scope, Source};
use ecs_snapshot_rules::ErrorCode;
use spec_support::rows_from;

/// The catalogue row with `source` row `n` of a table.
fn row_of(n: usize, row_in: impl Fn(Source) -> Option<u8>) -> Option<ErrorCode> {
    ErrorCode::ALL
        .iter()
        .copied()
        .find(|row| row_in(row.source()).map(usize::from) == Some(n))
}

#[test]
fn every_row_of_the_current_reference_is_in_the_catalogue() {
    let table = rows_from("errors.tsv", "CURRENT.md");
    assert_eq!(
        table.len(),
        50,
        "the current reference's error table has 50 rows"
    );
    let spec = rows_from("errors.tsv", "CreateSnapshot.md");
    let supplement = rows_from("errors.tsv", "SUPPLEMENT.md");
    for (n, row) in table.iter().enumerate().map(|(i, row)| (i + 1, row)) {
        let what = format!("current row {n}");
        assert_eq!(row["row"], n.to_string(), "{what}: transcribed in order");
        let ours = row_of(n, Source::current_row).unwrap_or_else(|| panic!("{what}: no row"));
        assert_eq!(row["status"], ours.status().to_string(), "{what}: status");
        assert_eq!(row["code"], ours.as_str(), "{what}: code");
        assert_eq!(row["message"], ours.message_template(), "{what}: message");
        // A row the current reference has first is its own, and only its.
        let new = row["note"].starts_with("new");
        assert_eq!(
            new,
            matches!(ours.source(), Source::Current(_)),
            "{what}: source {:?}",
            ours.source()
        );
        // A row whose status or message differs from the earlier document's keeps that
        // value as its earlier one.
        let earlier_row = match ours.source() {
            Source::SpecAndCurrent { spec: s, .. } => Some(&spec[usize::from(s) - 1]),
            Source::SupplementAndCurrent(_) => supplement.iter().find(|r| r["code"] == row["code"]),
            _ => None,
        };
        let changed = earlier_row
            .is_some_and(|e| e["status"] != row["status"] || e["message"] != row["message"]);
        assert_eq!(changed, ours.earlier().is_some(), "{what}: earlier value");
        if let (Some(earlier), Some(e)) = (ours.earlier(), earlier_row) {
            assert_eq!(
                e["status"],
                earlier.status.to_string(),
                "{what}: earlier status"
            );
            assert_eq!(e["message"], earlier.message, "{what}: earlier message");
            assert_eq!(e["source"], earlier.document, "{what}: earlier document");
        }
    }
    let in_catalogue = ErrorCode::ALL
        .iter()
        .filter(|row| row.source().current_row().is_some())
        .count();
    assert_eq!(
        in_catalogue, 50,
        "no row claims a current row the table lacks"
    );
}

#[test]
fn every_row_of_the_spec_error_table_is_in_the_catalogue_in_order() {
    let table = rows_from("errors.tsv", "CreateSnapshot.md");
    assert_eq!(table.len(), 31, "the spec's error table has 31 rows");
    let ours: Vec<ErrorCode> = ErrorCode::ALL
        .iter()
        .copied()
        .filter(|row| row.source().spec_row().is_some())
        .collect();
    assert_eq!(ours.len(), table.len());
    for (n, (row, ours)) in table.iter().zip(&ours).enumerate() {
        let what = format!("spec row {}", n + 1);
        assert_eq!(
            row["row"],
            (n + 1).to_string(),
            "{what}: transcribed in order"
        );
        assert_eq!(
            ours.source().spec_row(),
            Some(n as u8 + 1),
            "{what}: source"
        );
        assert_eq!(row["code"], ours.as_str(), "{what}: code");
        // The spec's status and message: the row's own, or the earlier value where the
        // current reference changed them.
        let (status, message) = match ours.earlier() {
            Some(earlier) => {
                assert_eq!(earlier.document, "CreateSnapshot.md", "{what}");
                (earlier.status, earlier.message)
            }
            None => (ours.status(), ours.message_template()),
        };
        assert_eq!(row["status"], status.to_string(), "{what}: status");
        assert_eq!(row["message"], message, "{what}: message");
    }
    let distinct: BTreeSet<_> = ours.iter().map(|row| row.as_str()).collect();
    assert_eq!(distinct.len(), 30, "30 distinct codes");
}

#[test]
fn every_row_of_the_supplement_table_is_in_the_catalogue_in_order() {
    let table = rows_from("errors.tsv", "SUPPLEMENT.md");
    let ours: Vec<ErrorCode> = ErrorCode::ALL
        .iter()
        .copied()
        .filter(|row| row.source().in_supplement())
        .collect();
    assert_eq!(ours.len(), table.len());
    for (row, ours) in table.iter().zip(&ours) {
        let what = format!("supplement row {}", ours.as_str());
        let (status, message) = match ours.earlier() {
            Some(earlier) => {
                assert_eq!(earlier.document, "SUPPLEMENT.md", "{what}");
                (earlier.status, earlier.message)
            }
            None => (ours.status(), ours.message_template()),
        };
        assert_eq!(row["status"], status.to_string(), "{what}: status");
        assert_eq!(row["code"], ours.as_str(), "{what}: code");
        assert_eq!(row["message"], message, "{what}: message");
        let server_only = row["note"] == "servers only";
        assert_eq!(server_only, ours.scope() == Scope::Server, "{what}: scope");
    }
}

#[test]
fn the_spec_documents_quota_exceed_tags_as_a_template() {
    assert_eq!(ErrorCode::QuotaExceedTags.message_template(), "%s");
    assert_eq!(ErrorCode::QuotaExceedTags.status(), 403);
    assert_eq!(ErrorCode::QuotaExceedTags.source(), Source::Spec(31));
}

/// The rows the current reference changed: the current value, and the earlier one kept.
#[test]
fn the_current_reference_wins_and_the_earlier_value_is_kept() {
    assert_eq!(ErrorCode::InvalidDescriptionMalformed.status(), 404);
    assert_eq!(ErrorCode::CreateSnapshotFailed.status(), 400);
    assert_eq!(
        ErrorCode::CreateSnapshotFailed.earlier().map(|e| e.status),
        Some(403)
    );
    assert_eq!(
        ErrorCode::DiskCategoryOperationNotSupported.message_template(),
        "The type of the specified disk does not support creating a snapshot."
    );
    assert_eq!(
        ErrorCode::DiskCategoryOperationNotSupported
            .earlier()
            .map(|e| e.message),
        Some("The operation is not supported to the specified disk due to its disk category")
    );
    assert_eq!(ErrorCode::Throttling.status(), 403);
    assert_eq!(
        ErrorCode::Throttling
            .earlier()
            .map(|e| (e.document, e.status)),
        Some(("SUPPLEMENT.md", 400))
    );
    assert_eq!(ErrorCode::InvalidSnapshotNameMalformed.earlier(), None);
}

/// `%s` is filled at run time: `QuotaExceed.ConcurrentSnapshotQuota` takes the disk's ID,
/// then the quota.
#[test]
fn the_concurrent_quota_message_is_filled_with_the_disk_and_the_quota() {
    let error = ecs_snapshot_rules::ApiError::filled(
        ErrorCode::QuotaExceedConcurrentSnapshotQuota,
        &["d-bp1", "5"],
    );
    assert_eq!(
        error.message(),
        "The number of snapshots being created for the disk d-bp1 has exceeded the concurrent quota (5). Please wait for the previous snapshots to complete before trying again."
    );
    assert_eq!(error.status(), 403);
}

/// An error body in XML is a document an XML 1.0 parser reads, whatever its message holds:
/// markup escaped, and the characters XML 1.0 cannot hold written out.
#[test]
fn an_xml_error_body_holds_any_message() {
    let error = ecs_snapshot_rules::ApiError::new(ErrorCode::InvalidParameter)
        .with_message("a<b> & \"c\"\tbell\u{7}\u{1b}[31m");
    assert_eq!(
        error.xml_body("r-1"),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><RequestId>r-1</RequestId>\
         <HostId>ecs.aliyuncs.com</HostId><Code>InvalidParameter</Code>\
         <Message>a&lt;b&gt; &amp; &quot;c&quot;&#9;bell\\u{7}\\u{1b}[31m</Message></Error>"
    );
    for c in (0..0x20u32).filter_map(char::from_u32) {
        let body = error.clone().with_message(format!("x{c}y")).xml_body("r");
        assert!(
            !body.contains(c),
            "U+{:04X} written raw: {body:?}",
            u32::from(c)
        );
    }
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
    let balance: Vec<_> = ErrorCode::rows_for("InvalidAccountStatus.NotEnoughBalance").collect();
    assert_eq!(
        balance,
        [
            ErrorCode::InvalidAccountStatusNotEnoughBalance,
            ErrorCode::InvalidAccountStatusNotEnoughBalancePostpaid
        ]
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
