//! `explain` and `catalog`: the error catalogue for people and for tools.

use std::io::{self, Write};

use crate::library::{did_you_mean, ErrorCode, Scope, Source};
use clap::ValueEnum;
use serde::Serialize;

use crate::process::{EXIT_ERROR, EXIT_OK, PROGRAM};

/// The output formats of `catalog`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CatalogFormat {
    /// A JSON array of catalogue rows.
    Json,
    /// A Markdown table.
    Markdown,
}

/// Where a row is documented, e.g. `CURRENT.md, error table row 2; CreateSnapshot.md, error
/// table row 2`: the current reference first, where it has the row.
pub fn source_text(row: ErrorCode) -> String {
    match row.source() {
        Source::Spec(n) => {
            format!("CreateSnapshot.md, error table row {n} (not in the current reference)")
        }
        Source::Supplement => "SUPPLEMENT.md, error table".to_owned(),
        Source::Current(n) => format!("CURRENT.md (the current reference), error table row {n}"),
        Source::SpecAndCurrent { spec, current } => format!(
            "CURRENT.md, error table row {current}; CreateSnapshot.md, error table row {spec}"
        ),
        Source::SupplementAndCurrent(n) => {
            format!("CURRENT.md, error table row {n}; SUPPLEMENT.md, error table")
        }
    }
}

fn scope_text(row: ErrorCode) -> &'static str {
    match row.scope() {
        Scope::Request => "from the request alone (reported by `check`)",
        Scope::State => {
            "from the request and the state it meets: disk, instance, account, tokens \
             (needs `check --world`)"
        }
        Scope::Server => "only by a server: authentication, throttling (never by `check`)",
    }
}

/// `explain CODE`: every catalogue row with that code; exit status 2 for an unknown code.
pub fn explain(code: &str, out: &mut dyn Write) -> io::Result<u8> {
    let rows: Vec<ErrorCode> = ErrorCode::rows_for(code).collect();
    if rows.is_empty() {
        out.flush()?;
        crate::process::say!("{PROGRAM}: error: unknown error code {code:?}");
        let suggestions = suggestions(code);
        if !suggestions.is_empty() {
            crate::process::say!("did you mean: {}?", suggestions.join(", "));
        }
        crate::process::say!("`{PROGRAM} catalog` lists every code.");
        return Ok(EXIT_ERROR);
    }
    for (n, row) in rows.iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        if rows.len() > 1 {
            writeln!(
                out,
                "{} (HTTP {}), row {} of {}",
                row.as_str(),
                row.status(),
                n + 1,
                rows.len()
            )?;
        } else {
            writeln!(out, "{} (HTTP {})", row.as_str(), row.status())?;
        }
        writeln!(out, "  Message:     {}", row.message_template())?;
        writeln!(out, "  When:        {}", row.description())?;
        writeln!(out, "  How to fix:  {}", row.how_to_fix())?;
        writeln!(out, "  Source:      {}", source_text(*row))?;
        if let Some(earlier) = row.earlier() {
            writeln!(
                out,
                "  Earlier:     {} gave HTTP {}, {:?}; the current reference's values are above",
                earlier.document, earlier.status, earlier.message
            )?;
        }
        writeln!(out, "  Produced:    {}", scope_text(*row))?;
    }
    Ok(EXIT_OK)
}

/// Codes like `code`: those containing it (letter case ignored), else the closest by edit
/// distance; at most five.
fn suggestions(code: &str) -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = Vec::new();
    for row in ErrorCode::ALL {
        if !codes.contains(&row.as_str()) {
            codes.push(row.as_str());
        }
    }
    let needle = code.to_ascii_lowercase();
    let containing: Vec<&'static str> = if needle.len() >= 3 {
        codes
            .iter()
            .copied()
            .filter(|c| c.to_ascii_lowercase().contains(&needle))
            .take(5)
            .collect()
    } else {
        Vec::new()
    };
    if !containing.is_empty() {
        return containing;
    }
    did_you_mean(code, codes.iter().copied())
        .into_iter()
        .collect()
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct JsonRow {
    http_status: u16,
    code: &'static str,
    message: &'static str,
    description: &'static str,
    how_to_fix: &'static str,
    source: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    spec_row: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    current_row: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    earlier: Option<JsonEarlier>,
    scope: &'static str,
}

/// What the earlier revision gave for a row the current reference changed.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct JsonEarlier {
    document: &'static str,
    http_status: u16,
    message: &'static str,
}

/// `catalog`: every row, in catalogue order.
pub fn catalog(format: CatalogFormat, out: &mut dyn Write) -> io::Result<u8> {
    match format {
        CatalogFormat::Json => {
            let rows: Vec<JsonRow> = ErrorCode::ALL
                .iter()
                .map(|&row| JsonRow {
                    http_status: row.status(),
                    code: row.as_str(),
                    message: row.message_template(),
                    description: row.description(),
                    how_to_fix: row.how_to_fix(),
                    source: row.source().first_document(),
                    spec_row: row.source().spec_row(),
                    current_row: row.source().current_row(),
                    earlier: row.earlier().map(|earlier| JsonEarlier {
                        document: earlier.document,
                        http_status: earlier.status,
                        message: earlier.message,
                    }),
                    scope: match row.scope() {
                        Scope::Request => "Request",
                        Scope::State => "State",
                        Scope::Server => "Server",
                    },
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &rows)?;
            writeln!(out)?;
        }
        CatalogFormat::Markdown => {
            writeln!(out, "# CreateSnapshot error catalogue")?;
            writeln!(out)?;
            writeln!(
                out,
                "Every row of the error table of CreateSnapshot.md, in its order, then the codes \
                 SUPPLEMENT.md adds, then the rows only the current reference (CURRENT.md) \
                 has; status and message are the current reference's. *Produced* says what \
                 can give the error: the request alone, the state it meets, or only a server."
            )?;
            writeln!(out)?;
            writeln!(
                out,
                "| HTTP | Code | Message | When | How to fix | Source | Produced |"
            )?;
            writeln!(out, "|---|---|---|---|---|---|---|")?;
            for &row in ErrorCode::ALL {
                writeln!(
                    out,
                    "| {} | `{}` | {} | {} | {} | {} | {} |",
                    row.status(),
                    row.as_str(),
                    markdown(row.message_template()),
                    markdown(row.description()),
                    markdown(row.how_to_fix()),
                    markdown_source(row),
                    row.scope().id(),
                )?;
            }
        }
    }
    Ok(EXIT_OK)
}

/// The source column of the Markdown table, e.g. `CURRENT.md row 2, CreateSnapshot.md row 2`.
fn markdown_source(row: ErrorCode) -> String {
    let source = row.source();
    let mut parts = Vec::new();
    if let Some(n) = source.current_row() {
        parts.push(format!("CURRENT.md row {n}"));
    }
    if let Some(n) = source.spec_row() {
        parts.push(format!("CreateSnapshot.md row {n}"));
    }
    if source.in_supplement() {
        parts.push("SUPPLEMENT.md".to_owned());
    }
    parts.join(", ")
}

/// Text for a Markdown table cell: the characters Markdown would read as markup escaped.
fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '|' | '*' | '_' | '`' | '<' | '>' | '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
