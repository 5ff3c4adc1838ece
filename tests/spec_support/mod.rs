//! The project's transcription of the API's documents (`spec/*.tsv`), read as rows of named
//! cells. The files are the facts the tests compare the crate with; `scripts/spec-agrees`
//! checks them against the documents themselves where those are at hand.

use std::collections::BTreeMap;
use std::path::Path;

/// One row: its cells by column name.
pub type Row = BTreeMap<String, String>;

/// The rows of `spec/NAME`, in file order: `#` lines are comments, the first other line
/// names the columns, and every row has exactly that many cells.
#[track_caller]
pub fn rows(name: &str) -> Vec<Row> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("spec")
        .join(name);
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read spec/{name}: {e}"));
    let mut lines = text.lines().filter(|line| !line.starts_with('#'));
    let header: Vec<&str> = lines.next().expect("a header line").split('\t').collect();
    lines
        .enumerate()
        .map(|(n, line)| {
            let cells: Vec<&str> = line.split('\t').collect();
            assert_eq!(
                cells.len(),
                header.len(),
                "spec/{name}, row {}: {line:?}",
                n + 1
            );
            header
                .iter()
                .zip(cells)
                .map(|(column, cell)| ((*column).to_owned(), cell.to_owned()))
                .collect()
        })
        .collect()
}

/// The rows of `spec/NAME` whose `source` is `source`.
#[track_caller]
pub fn rows_from(name: &str, source: &str) -> Vec<Row> {
    let found: Vec<Row> = rows(name)
        .into_iter()
        .filter(|row| row["source"] == source)
        .collect();
    assert!(!found.is_empty(), "spec/{name} has no row from {source}");
    found
}
