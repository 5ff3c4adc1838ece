//! `--format text`: one readable line per finding.
//!
//! A request file keeps its short form (`PATH: Code (HTTP 400): Message`, `PATH: ok`); a
//! resource of infrastructure code is named by place and address:
//! `PATH:LINE:COL: ADDRESS: attribute (Parameter): Code (HTTP 400): Message`.

use std::borrow::Cow;
use std::io::{self, Write};

use super::{attribute_text, printable, Reporter, Style, Totals};
use crate::finding::{Finding, InputKind, Outcome, Position, Report, Subject};

pub struct Text {
    style: Style,
    subjects: usize,
    refused: usize,
    warned: usize,
    files: usize,
    infrastructure: bool,
}

const BOLD: &str = "1";
const RED: &str = "1;31";
const GREEN: &str = "32";
const YELLOW: &str = "1;33";
const DIM: &str = "2";

impl Text {
    pub fn new(style: Style) -> Text {
        Text {
            style,
            subjects: 0,
            refused: 0,
            warned: 0,
            files: 0,
            infrastructure: false,
        }
    }

    fn paint<'a>(&self, style: &str, text: &'a str) -> Cow<'a, str> {
        if self.style.colour {
            Cow::Owned(format!("\x1b[{style}m{text}\x1b[0m"))
        } else {
            Cow::Borrowed(text)
        }
    }

    /// A request file: warnings, then `ok` or the refusals.
    fn request(&self, out: &mut dyn Write, name: &str, subject: &Subject) -> io::Result<()> {
        let name = printable(name);
        let name = self.paint(BOLD, &name);
        for warning in subject.warnings() {
            writeln!(
                out,
                "{name}: {}: {}",
                self.paint(YELLOW, "warning"),
                printable(&warning.message)
            )?;
        }
        if subject.is_valid() {
            writeln!(out, "{name}: {}", self.paint(GREEN, "ok"))?;
        }
        for error in subject.errors() {
            writeln!(out, "{name}: {}", self.error_text(error))?;
        }
        if subject.omitted > 0 {
            writeln!(
                out,
                "{name}: note: {} not shown",
                plural(subject.omitted, "more finding", "more findings")
            )?;
        }
        Ok(())
    }

    fn error_text(&self, error: &Finding) -> String {
        match error.status {
            Some(status) => format!(
                "{} (HTTP {status}): {}",
                self.paint(RED, &error.rule),
                printable(&error.message)
            ),
            None => format!(
                "{}: {}",
                self.paint(RED, &error.rule),
                printable(&error.message)
            ),
        }
    }

    /// A resource or command of an input of `kind`: each finding at its place, `ok` only
    /// when verbose.
    fn resource(
        &self,
        out: &mut dyn Write,
        name: &str,
        kind: Option<InputKind>,
        subject: &Subject,
    ) -> io::Result<()> {
        let name = printable(name);
        let address = printable(subject.address.as_deref().unwrap_or_default());
        let place = |position: Option<Position>| {
            let text = match position.or(subject.position) {
                Some(p) => format!("{name}:{}:{}", p.line, p.column),
                None => name.to_string(),
            };
            self.paint(BOLD, &text).into_owned()
        };
        let attribute = |finding: &Finding| {
            attribute_text(finding.attribute.as_deref(), finding.parameter.as_deref())
                .map(|text| format!("{}: ", printable(&text)))
                .unwrap_or_default()
        };
        for finding in &subject.findings {
            if finding.is_error() {
                writeln!(
                    out,
                    "{}: {address}: {}{}",
                    place(finding.position),
                    attribute(finding),
                    self.error_text(finding)
                )?;
            } else {
                writeln!(
                    out,
                    "{}: {address}: {}: {}{} [{}]",
                    place(finding.position),
                    self.paint(YELLOW, "warning"),
                    attribute(finding),
                    printable(&finding.message),
                    finding.rule
                )?;
            }
        }
        if subject.omitted > 0 {
            writeln!(
                out,
                "{}: {address}: note: {} not shown",
                place(None),
                plural(subject.omitted, "more finding", "more findings")
            )?;
        }
        if self.style.verbose {
            // In the order of their lines (a template's properties are read by name).
            let mut skipped: Vec<_> = subject.skipped.iter().collect();
            skipped.sort_by_key(|s| s.position);
            for skipped in skipped {
                let parameter = if skipped.parameter.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", skipped.parameter)
                };
                writeln!(
                    out,
                    "{}: {address}: {}: {}{parameter} not judged: its value is not known {}",
                    place(skipped.position),
                    self.paint(DIM, "note"),
                    printable(&skipped.attribute),
                    until(kind)
                )?;
            }
            if subject.suppressed > 0 {
                writeln!(
                    out,
                    "{}: {address}: {}: {} suppressed by comments",
                    place(None),
                    self.paint(DIM, "note"),
                    plural(subject.suppressed, "finding", "findings")
                )?;
            }
            if subject.findings.is_empty() {
                writeln!(
                    out,
                    "{}: {address}: {}",
                    place(None),
                    self.paint(GREEN, "ok")
                )?;
            }
        }
        Ok(())
    }
}

/// `n` and the noun, singular for one.
fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Until when a value is not known, for the tool that reads an input of `kind`: Terraform
/// applies, a script runs, ROS creates a stack.
fn until(kind: Option<InputKind>) -> &'static str {
    match kind {
        Some(InputKind::Shell) => "until the script runs",
        Some(InputKind::Ros) => "until the stack is created",
        _ => "before the apply",
    }
}

impl Reporter for Text {
    fn report(&mut self, out: &mut dyn Write, report: &Report) -> io::Result<()> {
        // Failures go to standard error, as `PATH: error: ...`.
        let Outcome::Judged(subjects) = &report.outcome else {
            return Ok(());
        };
        self.files += 1;
        let infrastructure = report.kind.is_some_and(|kind| kind != InputKind::Request);
        self.infrastructure |= infrastructure;
        for subject in subjects {
            self.subjects += 1;
            self.refused += usize::from(!subject.is_valid());
            self.warned += usize::from(subject.warnings().next().is_some());
            if subject.address.is_none() {
                self.request(out, &report.name, subject)?;
            } else {
                self.resource(out, &report.name, report.kind, subject)?;
            }
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, totals: &Totals) -> io::Result<()> {
        // A run over requests alone says everything per request; over infrastructure code,
        // where resources without findings are silent, a closing count says what was seen.
        if !self.infrastructure && totals.skipped_files == 0 {
            return Ok(());
        }
        let mut line = format!(
            "{} in {}: {} refused, {} with warnings",
            plural(self.subjects, "snapshot", "snapshots"),
            plural(self.files, "file", "files"),
            self.refused,
            self.warned
        );
        if totals.skipped_files > 0 {
            line.push_str(&format!(
                "; {} of no supported format skipped",
                plural(totals.skipped_files, "file", "files")
            ));
        }
        writeln!(out, "{line}")
    }
}
