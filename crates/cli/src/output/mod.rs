//! The output formats of `check`, one per file: each writes [`Report`]s, and knows nothing
//! of how they were made.

mod checkstyle;
mod escape;
mod github;
mod json;
mod junit;
mod sarif;
mod text;

use std::io::{self, Write};

pub use escape::printable;

use crate::finding::Report;

/// The output formats of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One readable line per finding.
    Text,
    /// One JSON object per request or resource, one per line.
    Json,
    /// A SARIF 2.1.0 log, for code-scanning dashboards.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=...::`), for annotations.
    Github,
    /// A JUnit XML report: one test case per judged resource.
    Junit,
    /// A Checkstyle XML report.
    Checkstyle,
}

/// What the whole run came to, for the formats that sum it up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Files of no supported format met in a directory, skipped.
    pub skipped_files: usize,
}

/// How a reporter writes.
#[derive(Clone, Copy, Debug, Default)]
pub struct Style {
    /// Colour, for text on a terminal.
    pub colour: bool,
    /// Also resources without findings, and the parameters not judged (text).
    pub verbose: bool,
}

/// Writes the reports of `check` in one format.
pub trait Reporter {
    /// One input's report.
    fn report(&mut self, out: &mut dyn Write, report: &Report) -> io::Result<()>;

    /// After the last input.
    fn finish(&mut self, out: &mut dyn Write, totals: &Totals) -> io::Result<()>;
}

/// The reporter for `format`.
pub fn for_format(format: Format, style: Style) -> Box<dyn Reporter> {
    match format {
        Format::Text => Box::new(text::Text::new(style)),
        Format::Json => Box::new(json::JsonLines),
        Format::Sarif => Box::new(sarif::Sarif::default()),
        Format::Github => Box::new(github::Github),
        Format::Junit => Box::new(junit::Junit::default()),
        Format::Checkstyle => Box::new(checkstyle::Checkstyle::default()),
    }
}

/// `attribute (Parameter)`, `attribute` alone when they are the same or there is no
/// parameter, or nothing.
pub(crate) fn attribute_text(attribute: Option<&str>, parameter: Option<&str>) -> Option<String> {
    match (attribute, parameter) {
        (Some(a), Some(p)) if a != p => Some(format!("{a} ({p})")),
        (Some(a), _) => Some(a.to_owned()),
        (None, Some(p)) => Some(p.to_owned()),
        (None, None) => None,
    }
}
