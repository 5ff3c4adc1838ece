//! `--format github`: GitHub Actions workflow commands, which the runner turns into
//! annotations on the lines of a pull request:
//! `::error file=PATH,line=L,col=C,title=TITLE::MESSAGE`.
//!
//! Escaped as the Actions toolkit escapes them (`@actions/core`, `command.ts`): in the
//! message `%`, CR and LF; in a property also `:` and `,`. Before that, control characters
//! are written as escapes (`\u{1b}`), as in the text format.

use std::io::{self, Write};

use super::escape::printable;
use super::{attribute_text, Reporter, Totals};
use crate::finding::{Finding, Outcome, Position, Report, Severity, Subject};

pub struct Github;

/// A message (the command's data). Control and invisible characters are first written as
/// escapes, as every other format writes them: the runner prints the line to its log, where
/// a raw escape sequence would drive the reader's terminal.
fn escape_data(text: &str) -> String {
    printable(text)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value (`file=`, `title=`).
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn command(
    out: &mut dyn Write,
    severity: Severity,
    report: &Report,
    position: Option<Position>,
    title: &str,
    message: &str,
) -> io::Result<()> {
    let name = match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    write!(out, "::{name} file={}", escape_property(&report.name))?;
    if let Some(p) = position {
        write!(out, ",line={},col={}", p.line, p.column)?;
    }
    writeln!(
        out,
        ",title={}::{}",
        escape_property(title),
        escape_data(message)
    )
}

fn finding_message(subject: &Subject, finding: &Finding) -> String {
    let mut message = String::new();
    if let Some(address) = &subject.address {
        message.push_str(address);
        message.push_str(": ");
    }
    if let Some(attribute) =
        attribute_text(finding.attribute.as_deref(), finding.parameter.as_deref())
    {
        message.push_str(&attribute);
        message.push_str(": ");
    }
    message.push_str(&finding.headline());
    message
}

impl Reporter for Github {
    fn report(&mut self, out: &mut dyn Write, report: &Report) -> io::Result<()> {
        match &report.outcome {
            Outcome::Judged(subjects) => {
                for subject in subjects {
                    for finding in subject.errors().chain(subject.warnings()) {
                        command(
                            out,
                            finding.severity,
                            report,
                            finding.position.or(subject.position),
                            &finding.rule,
                            &finding_message(subject, finding),
                        )?;
                    }
                }
                Ok(())
            }
            Outcome::Failed(failure) => command(
                out,
                Severity::Error,
                report,
                failure.position,
                "cannot check",
                &failure.message,
            ),
        }
    }

    fn finish(&mut self, _out: &mut dyn Write, _totals: &Totals) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_never_reach_the_log_raw() {
        assert_eq!(
            escape_data("s[\"\u{1b}]0;pwn\u{7}\"]: 100% bad"),
            "s[\"\\u{1b}]0;pwn\\u{7}\"]: 100%25 bad"
        );
        assert_eq!(escape_data("two\r\nlines"), "two\\r\\nlines");
        assert_eq!(escape_property("a:b,c\u{9b}"), "a%3Ab%2Cc\\u{9b}");
    }
}
