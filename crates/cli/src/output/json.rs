//! `--format json`: one JSON object per request or resource, one per line, in input order.
//!
//! A request file gives one object, as before: `Input`, `Valid`, the first refusal's
//! `HttpStatus`, `Code`, `Message` and `Parameter`, then `Violations` and `Warnings`.
//! A resource adds `Format`, `Address`, `Line`, `Column` and `Skipped` (the parameters not
//! judged); every finding has its `Line` and `Column` where known and its source
//! `Attribute`. An input that cannot be read gives `Valid: false` and `Error`.

use std::io::{self, Write};

use serde::Serialize;

use super::{Reporter, Totals};
use crate::finding::{Finding, Outcome, Position, Report, Subject};

pub struct JsonLines;

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct JsonInput<'a> {
    input: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    address: Option<&'a str>,
    valid: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    http_status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parameter: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    attribute: Option<&'a str>,
    violations: Vec<JsonViolation<'a>>,
    warnings: Vec<JsonWarning<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skipped: Option<Vec<JsonSkipped<'a>>>,
    #[serde(skip_serializing_if = "is_zero")]
    omitted: usize,
    #[serde(skip_serializing_if = "is_zero")]
    suppressed: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
    #[serde(flatten)]
    position: Option<JsonPosition>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct JsonViolation<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    http_status: Option<u16>,
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    parameter: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    attribute: Option<&'a str>,
    #[serde(flatten)]
    position: Option<JsonPosition>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct JsonWarning<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    parameter: Option<&'a str>,
    message: &'a str,
    kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    suggestion: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    attribute: Option<&'a str>,
    #[serde(flatten)]
    position: Option<JsonPosition>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct JsonSkipped<'a> {
    attribute: &'a str,
    /// Absent when the name is not known either.
    #[serde(skip_serializing_if = "Option::is_none")]
    parameter: Option<&'a str>,
    #[serde(flatten)]
    position: Option<JsonPosition>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// `Line` and `Column`, both absent when the place is not known.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct JsonPosition {
    line: usize,
    column: usize,
}

fn position(position: Option<Position>) -> Option<JsonPosition> {
    position.map(|Position { line, column }| JsonPosition { line, column })
}

fn violation(finding: &Finding) -> JsonViolation<'_> {
    JsonViolation {
        http_status: finding.status,
        code: &finding.rule,
        message: &finding.message,
        parameter: finding.parameter.as_deref(),
        attribute: finding.attribute.as_deref(),
        position: position(finding.position),
    }
}

fn warning(finding: &Finding) -> JsonWarning<'_> {
    JsonWarning {
        parameter: finding.parameter.as_deref(),
        message: &finding.message,
        kind: &finding.rule,
        suggestion: finding.suggestion.as_deref(),
        attribute: finding.attribute.as_deref(),
        position: position(finding.position),
    }
}

fn subject_object<'a>(report: &'a Report, subject: &'a Subject) -> JsonInput<'a> {
    let first = subject.errors().next();
    let resource = subject.address.is_some();
    JsonInput {
        input: &report.name,
        format: resource.then(|| report.kind.map(|k| k.id())).flatten(),
        address: subject.address.as_deref(),
        valid: first.is_none(),
        http_status: first.and_then(|f| f.status),
        code: first.map(|f| &*f.rule),
        message: first.map(|f| f.message.as_str()),
        parameter: first.and_then(|f| f.parameter.as_deref()),
        attribute: first.and_then(|f| f.attribute.as_deref()),
        violations: subject.errors().map(violation).collect(),
        warnings: subject.warnings().map(warning).collect(),
        skipped: resource.then(|| {
            subject
                .skipped
                .iter()
                .map(|s| JsonSkipped {
                    attribute: &s.attribute,
                    parameter: Some(s.parameter.as_str()).filter(|p| !p.is_empty()),
                    position: position(s.position),
                })
                .collect()
        }),
        omitted: subject.omitted,
        suppressed: subject.suppressed,
        error: None,
        position: position(subject.position),
    }
}

impl Reporter for JsonLines {
    fn report(&mut self, out: &mut dyn Write, report: &Report) -> io::Result<()> {
        match &report.outcome {
            Outcome::Judged(subjects) => {
                for subject in subjects {
                    serde_json::to_writer(&mut *out, &subject_object(report, subject))?;
                    writeln!(out)?;
                }
            }
            Outcome::Failed(failure) => {
                let object = JsonInput {
                    input: &report.name,
                    format: None,
                    address: None,
                    valid: false,
                    http_status: None,
                    code: None,
                    message: None,
                    parameter: None,
                    attribute: None,
                    violations: Vec::new(),
                    warnings: Vec::new(),
                    skipped: None,
                    omitted: 0,
                    suppressed: 0,
                    error: Some(&failure.message),
                    position: position(failure.position),
                };
                serde_json::to_writer(&mut *out, &object)?;
                writeln!(out)?;
            }
        }
        // One line per input as soon as it is judged, for a reader that streams.
        out.flush()
    }

    fn finish(&mut self, _out: &mut dyn Write, _totals: &Totals) -> io::Result<()> {
        Ok(())
    }
}
