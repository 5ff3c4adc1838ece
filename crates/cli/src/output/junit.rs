//! `--format junit`: a JUnit XML report, as CI systems show test results: one test suite
//! per input, one test case per judged resource (or request), failed when it would be
//! refused; warnings are written to the case's `system-out`. An input that cannot be read
//! is one test case with an `error`.

use std::io::{self, Write};

use super::{attribute_text, Reporter, Totals};
use crate::finding::{Finding, Outcome, Report, Subject};
use crate::library::xml_escape;

#[derive(Default)]
pub struct Junit {
    suites: Vec<String>,
    tests: usize,
    failures: usize,
    errors: usize,
}

fn finding_line(report: &Report, subject: &Subject, finding: &Finding) -> String {
    let mut line = report.name.clone();
    if let Some(p) = finding.position.or(subject.position) {
        line.push_str(&format!(":{}:{}", p.line, p.column));
    }
    line.push_str(": ");
    if let Some(attribute) =
        attribute_text(finding.attribute.as_deref(), finding.parameter.as_deref())
    {
        line.push_str(&attribute);
        line.push_str(": ");
    }
    line.push_str(&finding.headline());
    line
}

impl Reporter for Junit {
    fn report(&mut self, _out: &mut dyn Write, report: &Report) -> io::Result<()> {
        let name = xml_escape(&report.name);
        let mut suite = String::new();
        match &report.outcome {
            Outcome::Judged(subjects) => {
                let failures = subjects.iter().filter(|s| !s.is_valid()).count();
                self.tests += subjects.len();
                self.failures += failures;
                suite.push_str(&format!(
                    "  <testsuite name=\"{name}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\">\n",
                    subjects.len()
                ));
                for subject in subjects {
                    let case = xml_escape(subject.address.as_deref().unwrap_or(&report.name));
                    suite.push_str(&format!(
                        "    <testcase name=\"{case}\" classname=\"{name}\""
                    ));
                    let errors: Vec<&Finding> = subject.errors().collect();
                    let warnings: Vec<&Finding> = subject.warnings().collect();
                    if errors.is_empty() && warnings.is_empty() {
                        suite.push_str("/>\n");
                        continue;
                    }
                    suite.push_str(">\n");
                    if let Some(first) = errors.first() {
                        let details: Vec<String> = errors
                            .iter()
                            .map(|f| finding_line(report, subject, f))
                            .collect();
                        suite.push_str(&format!(
                            "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                            xml_escape(&first.rule),
                            xml_escape(&first.headline()),
                            xml_escape(&details.join("\n"))
                        ));
                    }
                    if !warnings.is_empty() {
                        let details: Vec<String> = warnings
                            .iter()
                            .map(|f| format!("warning: {}", finding_line(report, subject, f)))
                            .collect();
                        suite.push_str(&format!(
                            "      <system-out>{}</system-out>\n",
                            xml_escape(&details.join("\n"))
                        ));
                    }
                    suite.push_str("    </testcase>\n");
                }
            }
            Outcome::Failed(failure) => {
                self.tests += 1;
                self.errors += 1;
                suite.push_str(&format!(
                    "  <testsuite name=\"{name}\" tests=\"1\" failures=\"0\" errors=\"1\">\n    <testcase name=\"{name}\" classname=\"{name}\">\n      <error message=\"{}\"/>\n    </testcase>\n",
                    xml_escape(&failure.message)
                ));
            }
        }
        suite.push_str("  </testsuite>\n");
        self.suites.push(suite);
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _totals: &Totals) -> io::Result<()> {
        writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
        writeln!(
            out,
            "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\">",
            crate::process::PROGRAM,
            self.tests,
            self.failures,
            self.errors
        )?;
        for suite in &self.suites {
            out.write_all(suite.as_bytes())?;
        }
        writeln!(out, "</testsuites>")
    }
}
