//! `--format checkstyle`: a Checkstyle XML report, which many CI tools and review bots read:
//! one `file` per input, one `error` per finding (severity `error` or `warning`), `source`
//! the rule id prefixed with the program's name.

use std::io::{self, Write};

use super::{attribute_text, Reporter, Totals};
use crate::finding::{Outcome, Report, Severity};
use crate::library::xml_escape;

#[derive(Default)]
pub struct Checkstyle {
    files: Vec<String>,
}

impl Reporter for Checkstyle {
    fn report(&mut self, _out: &mut dyn Write, report: &Report) -> io::Result<()> {
        let mut file = format!("  <file name=\"{}\">\n", xml_escape(&report.name));
        match &report.outcome {
            Outcome::Judged(subjects) => {
                for subject in subjects {
                    for finding in subject.errors().chain(subject.warnings()) {
                        let position = finding.position.or(subject.position);
                        let mut message = String::new();
                        if let Some(address) = &subject.address {
                            message.push_str(address);
                            message.push_str(": ");
                        }
                        if let Some(attribute) = attribute_text(
                            finding.attribute.as_deref(),
                            finding.parameter.as_deref(),
                        ) {
                            message.push_str(&attribute);
                            message.push_str(": ");
                        }
                        message.push_str(&finding.headline());
                        file.push_str(&format!(
                            "    <error line=\"{}\"{} severity=\"{}\" message=\"{}\" source=\"{}.{}\"/>\n",
                            position.map_or(1, |p| p.line),
                            position.map_or(String::new(), |p| format!(" column=\"{}\"", p.column)),
                            match finding.severity {
                                Severity::Error => "error",
                                Severity::Warning => "warning",
                            },
                            xml_escape(&message),
                            crate::process::PROGRAM,
                            xml_escape(&finding.rule)
                        ));
                    }
                }
            }
            Outcome::Failed(failure) => {
                let position = failure.position;
                file.push_str(&format!(
                    "    <error line=\"{}\"{} severity=\"error\" message=\"{}\" source=\"{}.InputError\"/>\n",
                    position.map_or(1, |p| p.line),
                    position.map_or(String::new(), |p| format!(" column=\"{}\"", p.column)),
                    xml_escape(&failure.message),
                    crate::process::PROGRAM
                ));
            }
        }
        file.push_str("  </file>\n");
        self.files.push(file);
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _totals: &Totals) -> io::Result<()> {
        writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
        writeln!(out, "<checkstyle version=\"4.3\">")?;
        for file in &self.files {
            out.write_all(file.as_bytes())?;
        }
        writeln!(out, "</checkstyle>")
    }
}
