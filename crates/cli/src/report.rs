//! The three output formats of `check`: text, JSON lines and SARIF.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, Write};
use std::path::Path;

use ecs_snapshot_rules::rules::{Warning, WarningKind};
use ecs_snapshot_rules::{ApiError, ErrorCode};
use serde::Serialize;
use serde_json::{json, Value};

use crate::check::{Failure, Verdict};
use crate::inputs::Input;
use crate::CheckFormat;

/// Writes the verdicts of `check` in one format.
pub trait Reporter {
    /// One input's verdict; `text` is the input, when it could be read.
    fn input(
        &mut self,
        out: &mut dyn Write,
        input: &Input,
        text: Option<&str>,
        verdict: &Verdict,
    ) -> io::Result<()>;

    /// After the last input.
    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()>;
}

/// The reporter for `format`; `colour` applies to text only.
pub fn for_format(format: CheckFormat, colour: bool) -> Box<dyn Reporter> {
    match format {
        CheckFormat::Text => Box::new(Text { colour }),
        CheckFormat::Json => Box::new(JsonLines),
        CheckFormat::Sarif => Box::new(Sarif::default()),
    }
}

/// `text` with each control character (a line break in a parameter name, an escape
/// sequence) and each invisible format character (a byte order mark, a right-to-left
/// override) written as a Rust escape, so that one finding stays one line, shows what is
/// there, and cannot drive the terminal.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if needs_escape(c) {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// Control characters, and the invisible format characters that reorder or hide text.
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

// ---------------------------------------------------------------------------------------
// Text

struct Text {
    colour: bool,
}

impl Text {
    fn paint<'a>(&self, style: &str, text: &'a str) -> Cow<'a, str> {
        if self.colour {
            Cow::Owned(format!("\x1b[{style}m{text}\x1b[0m"))
        } else {
            Cow::Borrowed(text)
        }
    }
}

const BOLD: &str = "1";
const RED: &str = "1;31";
const GREEN: &str = "32";
const YELLOW: &str = "1;33";

impl Reporter for Text {
    fn input(
        &mut self,
        out: &mut dyn Write,
        input: &Input,
        _text: Option<&str>,
        verdict: &Verdict,
    ) -> io::Result<()> {
        let Verdict::Judged {
            violations,
            warnings,
            omitted,
        } = verdict
        else {
            // Failures go to standard error, as `PATH: error: ...`.
            return Ok(());
        };
        let name = printable(&input.name);
        let name = self.paint(BOLD, &name);
        for warning in warnings {
            writeln!(
                out,
                "{name}: {}: {}",
                self.paint(YELLOW, "warning"),
                printable(warning.message())
            )?;
        }
        if violations.is_empty() {
            writeln!(out, "{name}: {}", self.paint(GREEN, "ok"))?;
        }
        for violation in violations {
            writeln!(
                out,
                "{name}: {} (HTTP {}): {}",
                self.paint(RED, violation.code().as_str()),
                violation.status(),
                printable(violation.message())
            )?;
        }
        if *omitted > 0 {
            writeln!(out, "{name}: note: {omitted} more findings not shown")?;
        }
        Ok(())
    }

    fn finish(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// JSON lines

struct JsonLines;

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct JsonInput<'a> {
    input: &'a str,
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
    violations: Option<Vec<JsonViolation<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    warnings: Option<Vec<JsonWarning<'a>>>,
    #[serde(skip_serializing_if = "is_zero")]
    omitted: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct JsonViolation<'a> {
    http_status: u16,
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    parameter: Option<&'a str>,
}

impl<'a> From<&'a ApiError> for JsonViolation<'a> {
    fn from(error: &'a ApiError) -> Self {
        JsonViolation {
            http_status: error.status(),
            code: error.code().as_str(),
            message: error.message(),
            parameter: error.parameter(),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct JsonWarning<'a> {
    parameter: &'a str,
    message: &'a str,
    kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    suggestion: Option<&'a str>,
}

impl<'a> From<&'a Warning> for JsonWarning<'a> {
    fn from(warning: &'a Warning) -> Self {
        JsonWarning {
            parameter: warning.parameter(),
            message: warning.message(),
            kind: warning.kind().id(),
            suggestion: warning.suggestion(),
        }
    }
}

impl Reporter for JsonLines {
    fn input(
        &mut self,
        out: &mut dyn Write,
        input: &Input,
        _text: Option<&str>,
        verdict: &Verdict,
    ) -> io::Result<()> {
        let mut object = JsonInput {
            input: &input.name,
            valid: false,
            http_status: None,
            code: None,
            message: None,
            parameter: None,
            violations: Some(Vec::new()),
            warnings: Some(Vec::new()),
            omitted: 0,
            error: None,
            line: None,
            column: None,
        };
        match verdict {
            Verdict::Judged {
                violations,
                warnings,
                omitted,
            } => {
                object.omitted = *omitted;
                object.valid = violations.is_empty();
                if let Some(first) = violations.first() {
                    object.http_status = Some(first.status());
                    object.code = Some(first.code().as_str());
                    object.message = Some(first.message());
                    object.parameter = first.parameter();
                }
                object.violations = Some(violations.iter().map(JsonViolation::from).collect());
                object.warnings = Some(warnings.iter().map(JsonWarning::from).collect());
            }
            Verdict::Failed(Failure { message, position }) => {
                object.error = Some(message);
                object.line = position.map(|(line, _)| line);
                object.column = position.map(|(_, column)| column);
            }
        }
        serde_json::to_writer(&mut *out, &object)?;
        writeln!(out)?;
        // One line per input as soon as it is judged, for a reader that streams.
        out.flush()
    }

    fn finish(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

// ---------------------------------------------------------------------------------------
// SARIF 2.1.0

const SARIF_SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

#[derive(Default)]
struct Sarif {
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
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: SarifText,
    locations: [Value; 1],
    properties: Value,
}

/// The rules of the log: one per distinct error code of the catalogue, in its order
/// (`InternalError`'s two rows are one rule), then one per warning kind; and where each id is.
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
                "scope": crate::catalog::scope_id(row),
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

fn artifact_location(input: &Input) -> Value {
    match input.path() {
        Some(path) => json!({ "uri": path_uri(path) }),
        None => json!({ "uri": "stdin", "description": { "text": "standard input" } }),
    }
}

/// The line on which each parameter name first appears in `text`, as a query-string name
/// (`DiskId=`) or a JSON key (`"DiskId":`). One pass over the text.
fn parameter_lines(text: &str) -> HashMap<&str, usize> {
    let is_name = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-');
    let bytes = text.as_bytes();
    let mut lines = HashMap::new();
    let mut line = 1;
    let mut i = 0;
    while i < bytes.len() {
        let before = if i == 0 { b'&' } else { bytes[i - 1] };
        if bytes[i] == b'\n' {
            line += 1;
        }
        let starts_name = is_name(bytes[i])
            && matches!(before, b'&' | b'?' | b'"' | b' ' | b'\t' | b'\n' | b'\r');
        if !starts_name {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && is_name(bytes[i]) {
            i += 1;
        }
        let names_a_parameter = if before == b'"' {
            bytes.get(i) == Some(&b'"')
                && bytes[i + 1..]
                    .iter()
                    .find(|b| !b.is_ascii_whitespace())
                    .is_some_and(|&b| b == b':')
        } else {
            bytes.get(i) == Some(&b'=')
        };
        if names_a_parameter {
            lines.entry(&text[start..i]).or_insert(line);
        }
    }
    lines
}

/// Where a finding about `parameter` is: its line, else the line of the SDK's `Tag` list for
/// a tag, else line 1.
fn line_of(lines: &HashMap<&str, usize>, parameter: Option<&str>) -> usize {
    let Some(parameter) = parameter else {
        return 1;
    };
    lines
        .get(parameter)
        .or_else(|| {
            parameter
                .starts_with("Tag.")
                .then(|| lines.get("Tag"))
                .flatten()
        })
        .copied()
        .unwrap_or(1)
}

fn location(input: &Input, line: usize) -> [Value; 1] {
    [json!({
        "physicalLocation": {
            "artifactLocation": artifact_location(input),
            "region": { "startLine": line },
        }
    })]
}

impl Reporter for Sarif {
    fn input(
        &mut self,
        _out: &mut dyn Write,
        input: &Input,
        text: Option<&str>,
        verdict: &Verdict,
    ) -> io::Result<()> {
        match verdict {
            Verdict::Judged {
                violations,
                warnings,
                omitted,
            } => {
                if *omitted > 0 {
                    self.notifications.push(json!({
                        "level": "note",
                        "message": { "text": format!("{}: {omitted} more findings not shown", input.name) },
                        "locations": [{ "physicalLocation": { "artifactLocation": artifact_location(input) } }],
                    }));
                }
                if violations.is_empty() && warnings.is_empty() {
                    return Ok(());
                }
                let lines = text.map(parameter_lines).unwrap_or_default();
                for violation in violations {
                    let mut properties = json!({ "httpStatus": violation.status() });
                    if let Some(parameter) = violation.parameter() {
                        properties["parameter"] = json!(parameter);
                    }
                    self.results.push(SarifResult {
                        rule_id: violation.code().as_str(),
                        rule_index: None,
                        level: "error",
                        message: sarif_text(violation.to_string()),
                        locations: location(input, line_of(&lines, violation.parameter())),
                        properties,
                    });
                }
                for warning in warnings {
                    let mut properties = json!({ "parameter": warning.parameter() });
                    if let Some(suggestion) = warning.suggestion() {
                        properties["suggestion"] = json!(suggestion);
                    }
                    self.results.push(SarifResult {
                        rule_id: warning.kind().id(),
                        rule_index: None,
                        level: "warning",
                        message: sarif_text(warning.message()),
                        locations: location(input, line_of(&lines, Some(warning.parameter()))),
                        properties,
                    });
                }
            }
            Verdict::Failed(Failure { message, position }) => {
                let mut location = json!({
                    "physicalLocation": { "artifactLocation": artifact_location(input) }
                });
                if let Some((line, column)) = position {
                    location["physicalLocation"]["region"] =
                        json!({ "startLine": line, "startColumn": column });
                }
                self.notifications.push(json!({
                    "level": "error",
                    "message": { "text": format!("{}: {}", input.name, message) },
                    "locations": [location],
                }));
            }
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let (rules, index) = sarif_rules();
        let mut results = std::mem::take(&mut self.results);
        for result in &mut results {
            result.rule_index = index.get(result.rule_id).copied();
        }
        let notifications = std::mem::take(&mut self.notifications);
        let log = SarifLog {
            schema: SARIF_SCHEMA,
            version: "2.1.0",
            runs: [SarifRun {
                tool: SarifTool {
                    driver: SarifDriver {
                        name: crate::PROGRAM,
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
