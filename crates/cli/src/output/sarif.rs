//! `--format sarif`: one SARIF 2.1.0 log for all inputs, for code-scanning dashboards.
//!
//! One result per finding, at its line and column (`physicalLocation.region`), with the
//! resource's address as a logical location and a `partialFingerprints` entry that does
//! not change when lines move, so that an upload matches results across commits.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;
use serde_json::{json, Value};

use super::{Reporter, Totals};
use crate::finding::{Finding, Outcome, Position, Report, Severity, Subject};
use crate::library::{ErrorCode, WarningKind};
use crate::tool_rules::TOOL_RULES;

const SARIF_SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The key of this tool's fingerprint in `partialFingerprints`.
const FINGERPRINT_KEY: &str = "ecsSnapshotRules/v1";

#[derive(Default)]
pub struct Sarif {
    results: Vec<SarifResult>,
    notifications: Vec<Value>,
}

// The log's objects, as typed structs so that the fields come in a readable, stable order.

#[derive(Serialize)]
struct SarifLog {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [SarifRun; 1],
}

#[derive(Serialize)]
struct SarifRun {
    tool: SarifTool,
    invocations: [SarifInvocation; 1],
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct SarifTool {
    driver: SarifDriver,
}

#[derive(Serialize)]
struct SarifDriver {
    name: &'static str,
    version: &'static str,
    rules: Vec<SarifRule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifInvocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Value>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRule {
    id: &'static str,
    name: String,
    short_description: SarifText,
    #[serde(skip_serializing_if = "Option::is_none")]
    full_description: Option<SarifText>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<SarifText>,
    default_configuration: SarifConfiguration,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<Value>,
}

#[derive(Serialize)]
struct SarifText {
    text: String,
}

fn sarif_text(text: impl Into<String>) -> SarifText {
    SarifText { text: text.into() }
}

#[derive(Serialize)]
struct SarifConfiguration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: SarifText,
    locations: [Value; 1],
    partial_fingerprints: Value,
    properties: Value,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The rules of the log: one per distinct error code of the catalogue, in its order
/// (`InternalError`'s two rows are one rule), then one per warning kind, then the rules of
/// the tools on the way; and where each id is.
fn sarif_rules() -> (Vec<SarifRule>, HashMap<&'static str, usize>) {
    let mut rules = Vec::new();
    let mut index: HashMap<&'static str, usize> = HashMap::new();
    for &row in ErrorCode::ALL {
        let code = row.as_str();
        if index.contains_key(code) {
            continue;
        }
        let rows: Vec<ErrorCode> = ErrorCode::rows_for(code).collect();
        let join = |part: fn(ErrorCode) -> &'static str, separator: &str| {
            rows.iter()
                .map(|&r| part(r))
                .collect::<Vec<_>>()
                .join(separator)
        };
        index.insert(code, rules.len());
        rules.push(SarifRule {
            id: code,
            name: format!("{row:?}"),
            short_description: sarif_text(join(ErrorCode::message_template, " / ")),
            full_description: Some(sarif_text(join(ErrorCode::description, " "))),
            help: Some(sarif_text(row.how_to_fix())),
            default_configuration: SarifConfiguration { level: "error" },
            properties: Some(json!({
                "httpStatus": row.status(),
                "source": crate::catalog::source_text(row),
                "scope": row.scope().id(),
            })),
        });
    }
    for &kind in WarningKind::ALL {
        index.insert(kind.id(), rules.len());
        rules.push(SarifRule {
            id: kind.id(),
            name: kind.id().to_owned(),
            short_description: sarif_text(kind.description()),
            full_description: None,
            help: None,
            default_configuration: SarifConfiguration { level: "warning" },
            properties: None,
        });
    }
    for rule in TOOL_RULES {
        index.insert(rule.id, rules.len());
        rules.push(SarifRule {
            id: rule.id,
            name: rule.id.replace(':', "/"),
            short_description: sarif_text(rule.description),
            full_description: None,
            help: None,
            default_configuration: SarifConfiguration {
                level: level(rule.severity),
            },
            properties: None,
        });
    }
    (rules, index)
}

/// A relative path as a URI reference (`requests/a%20b.json`), an absolute one as a `file:`
/// URI.
fn path_uri(path: &Path) -> String {
    let bytes = path.as_os_str().as_encoded_bytes();
    let bytes = bytes.strip_prefix(b"./").unwrap_or(bytes);
    let mut uri = String::with_capacity(bytes.len() + 8);
    if bytes.first() == Some(&b'/') {
        uri.push_str("file://");
    }
    for &b in bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri
}

fn artifact_location(report: &Report) -> Value {
    match &report.path {
        Some(path) => json!({ "uri": path_uri(path) }),
        None => json!({ "uri": "stdin", "description": { "text": "standard input" } }),
    }
}

fn location(report: &Report, subject: &Subject, position: Option<Position>) -> Value {
    // A finding about a parameter that is not there (a missing DiskId) is placed at its
    // resource; a request file's at line 1.
    let region = match position.or(subject.position) {
        Some(p) => json!({ "startLine": p.line, "startColumn": p.column }),
        None => json!({ "startLine": 1 }),
    };
    let mut location = json!({
        "physicalLocation": {
            "artifactLocation": artifact_location(report),
            "region": region,
        }
    });
    if let Some(address) = &subject.address {
        location["logicalLocations"] = json!([{ "fullyQualifiedName": address }]);
    }
    location
}

/// 64-bit FNV-1a: a stable hash (unlike the standard library's, which may change between
/// releases), for fingerprints.
fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in part.as_bytes().iter().chain(b"\x1f") {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// What identifies a finding across commits: the file, the resource, the rule and the
/// parameter, not the line.
fn fingerprint(report: &Report, subject: &Subject, finding: &Finding) -> Value {
    let hash = fnv1a(&[
        &report.name,
        subject.address.as_deref().unwrap_or_default(),
        &finding.rule,
        finding
            .attribute
            .as_deref()
            .or(finding.parameter.as_deref())
            .unwrap_or_default(),
    ]);
    json!({ FINGERPRINT_KEY: format!("{hash:016x}") })
}

fn result(report: &Report, subject: &Subject, finding: &Finding) -> SarifResult {
    let mut properties = json!({});
    if let Some(status) = finding.status {
        properties["httpStatus"] = json!(status);
    }
    if let Some(parameter) = &finding.parameter {
        properties["parameter"] = json!(parameter);
    }
    if let Some(suggestion) = &finding.suggestion {
        properties["suggestion"] = json!(suggestion);
    }
    if let Some(attribute) = &finding.attribute {
        properties["attribute"] = json!(attribute);
    }
    if let Some(address) = &subject.address {
        properties["address"] = json!(address);
    }
    SarifResult {
        rule_id: finding.rule.to_string(),
        rule_index: None,
        level: level(finding.severity),
        message: sarif_text(finding.headline()),
        locations: [location(report, subject, finding.position)],
        partial_fingerprints: fingerprint(report, subject, finding),
        properties,
    }
}

impl Reporter for Sarif {
    fn report(&mut self, _out: &mut dyn Write, report: &Report) -> io::Result<()> {
        match &report.outcome {
            Outcome::Judged(subjects) => {
                for subject in subjects {
                    if subject.omitted > 0 {
                        self.notifications.push(json!({
                            "level": "note",
                            "message": { "text": format!("{}: {} more findings not shown", report.name, subject.omitted) },
                            "locations": [{ "physicalLocation": { "artifactLocation": artifact_location(report) } }],
                        }));
                    }
                    // Refusals first, then warnings, as the request's findings are listed.
                    for finding in subject.errors().chain(subject.warnings()) {
                        self.results.push(result(report, subject, finding));
                    }
                }
            }
            Outcome::Failed(failure) => {
                let mut location = json!({
                    "physicalLocation": { "artifactLocation": artifact_location(report) }
                });
                if let Some(p) = failure.position {
                    location["physicalLocation"]["region"] =
                        json!({ "startLine": p.line, "startColumn": p.column });
                }
                self.notifications.push(json!({
                    "level": "error",
                    "message": { "text": format!("{}: {}", report.name, failure.message) },
                    "locations": [location],
                }));
            }
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _totals: &Totals) -> io::Result<()> {
        let (rules, index) = sarif_rules();
        let mut results = std::mem::take(&mut self.results);
        for result in &mut results {
            result.rule_index = index.get(result.rule_id.as_str()).copied();
        }
        let notifications = std::mem::take(&mut self.notifications);
        let log = SarifLog {
            schema: SARIF_SCHEMA,
            version: "2.1.0",
            runs: [SarifRun {
                tool: SarifTool {
                    driver: SarifDriver {
                        name: crate::process::PROGRAM,
                        version: env!("CARGO_PKG_VERSION"),
                        rules,
                    },
                },
                invocations: [SarifInvocation {
                    execution_successful: notifications.is_empty(),
                    tool_execution_notifications: notifications,
                }],
                results,
            }],
        };
        serde_json::to_writer_pretty(&mut *out, &log)?;
        writeln!(out)
    }
}
