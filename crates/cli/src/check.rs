//! `check`: read each input, judge it, report it.

use std::io::{self, IsTerminal, Write};

use ecs_snapshot_rules::{
    check_preconditions, parse_request, validate, violations, warnings, ApiError,
    CreateSnapshotRequest, Facts, ParseError, Timestamp,
};

use ecs_snapshot_rules::rules::Warning;

use crate::inputs::{self, Origin};
use crate::report;
use crate::world_file::read_world;
use crate::{CheckArgs, EXIT_ERROR, EXIT_OK, EXIT_REFUSED, PROGRAM};

/// At most this many violations, and this many warnings, are reported for one input: a
/// hostile file of a million bad tags gets a verdict in bounded memory, and a reader gets
/// the first thousand and a count of the rest.
pub const MAX_FINDINGS: usize = 1000;

/// What one input came to.
pub enum Verdict {
    /// The request was read and judged: no violations means the API accepts it.
    Judged {
        /// The refusals: none (accepted), the first (the API's answer), or all (`--all`).
        violations: Vec<ApiError>,
        /// What the API accepts but is most likely a mistake.
        warnings: Vec<Warning>,
        /// How many findings past [`MAX_FINDINGS`] of each list were left out.
        omitted: usize,
    },
    /// The input could not be read, or is not a request the API would answer at all.
    Failed(Failure),
}

/// Why an input could not be judged.
pub struct Failure {
    /// What is wrong, e.g. `invalid JSON at line 2, column 5: expected ...`.
    pub message: String,
    /// For a JSON syntax error, where it is.
    pub position: Option<(usize, usize)>,
}

impl Verdict {
    fn from_parse_error(error: &ParseError) -> Verdict {
        match error.api_error() {
            // The API would answer this one: a refusal like any other.
            Some(refusal) => Verdict::Judged {
                violations: vec![refusal],
                warnings: Vec::new(),
                omitted: 0,
            },
            None => Verdict::Failed(Failure {
                message: error.to_string(),
                position: match error {
                    ParseError::Json { line, column, .. } => Some((*line, *column)),
                    _ => None,
                },
            }),
        }
    }
}

/// What requests are judged against. Everything that depends on `--world` and `--now` lives
/// here: [`Judge::new`] loads them and [`Judge::judge`] applies them.
pub struct Judge {
    all: bool,
    /// The facts of `--world` and the clock they are read at.
    world: Option<(Facts, Timestamp)>,
}

impl Judge {
    /// A judge for the options given, or why it cannot be had (a world file that cannot be
    /// read or is not a valid facts document).
    pub fn new(args: &CheckArgs) -> Result<Judge, String> {
        let world = match &args.world {
            None => None,
            Some(path) => {
                let facts = read_world(path)?;
                let now = match args.now {
                    Some(now) => now,
                    None => system_now()?,
                };
                Some((facts, now))
            }
        };
        Ok(Judge {
            all: args.all,
            world,
        })
    }

    /// The refusals of `request`: none, the first, or (with `--all`) every one. With a world,
    /// the state the request meets is judged once the request itself is valid: the
    /// precondition check stops at its first failure, as the API does.
    pub fn judge(&self, request: &CreateSnapshotRequest<'_>) -> Vec<ApiError> {
        let stateless = if self.all {
            violations(request)
        } else {
            validate(request).err().into_iter().collect()
        };
        match &self.world {
            Some((facts, now)) if stateless.is_empty() => check_preconditions(request, facts, *now)
                .err()
                .into_iter()
                .collect(),
            _ => stateless,
        }
    }

    /// Reads, parses and judges one input's bytes.
    pub fn verdict(&self, bytes: &[u8]) -> Verdict {
        match parse_request(bytes) {
            Ok(request) => {
                let mut violations = self.judge(&request);
                let mut warnings = warnings(&request);
                let omitted = violations.len().saturating_sub(MAX_FINDINGS)
                    + warnings.len().saturating_sub(MAX_FINDINGS);
                violations.truncate(MAX_FINDINGS);
                warnings.truncate(MAX_FINDINGS);
                Verdict::Judged {
                    violations,
                    warnings,
                    omitted,
                }
            }
            Err(error) => Verdict::from_parse_error(&error),
        }
    }
}

/// Runs `check`; returns the exit status.
pub fn run(args: &CheckArgs, out: &mut dyn Write, colour: bool) -> io::Result<u8> {
    let judge = match Judge::new(args) {
        Ok(judge) => judge,
        Err(message) => {
            crate::say!("{PROGRAM}: error: {message}");
            return Ok(EXIT_ERROR);
        }
    };
    let inputs = match inputs::expand(&args.inputs) {
        Ok(inputs) => inputs,
        Err(message) => {
            crate::say!("{PROGRAM}: error: {message}");
            return Ok(EXIT_ERROR);
        }
    };
    let mut reporter = report::for_format(args.format, colour);
    let mut summary = Summary::default();
    for input in &inputs {
        if input.origin == Origin::Stdin && io::stdin().is_terminal() {
            crate::say!("{PROGRAM}: reading a request from standard input (end it with Ctrl-D)");
        }
        let (bytes, verdict) = match inputs::read(input) {
            Ok(bytes) => {
                let verdict = judge.verdict(&bytes);
                (bytes, verdict)
            }
            Err(error) => (
                Vec::new(),
                Verdict::Failed(Failure {
                    message: error.0,
                    position: None,
                }),
            ),
        };
        summary.add(&verdict);
        if let Verdict::Failed(failure) = &verdict {
            // Keep the order of what was already printed and this message.
            out.flush()?;
            crate::say!(
                "{}: error: {}",
                report::printable(&input.name),
                report::printable(&failure.message)
            );
        }
        let text = std::str::from_utf8(&bytes).ok();
        reporter.input(out, input, text, &verdict)?;
    }
    reporter.finish(out)?;
    Ok(summary.status(args.deny_warnings))
}

/// What the inputs came to, for the exit status.
#[derive(Default)]
struct Summary {
    failed: bool,
    refused: bool,
    warned: bool,
}

impl Summary {
    fn add(&mut self, verdict: &Verdict) {
        match verdict {
            Verdict::Judged {
                violations,
                warnings,
                ..
            } => {
                self.refused |= !violations.is_empty();
                self.warned |= !warnings.is_empty();
            }
            Verdict::Failed(_) => self.failed = true,
        }
    }

    fn status(&self, deny_warnings: bool) -> u8 {
        if self.failed {
            EXIT_ERROR
        } else if self.refused || (deny_warnings && self.warned) {
            EXIT_REFUSED
        } else {
            EXIT_OK
        }
    }
}

/// The machine's clock, for `--world` without `--now`.
pub(crate) fn system_now() -> Result<Timestamp, String> {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|_| "the system clock is before 1970; give --now".to_owned())?
        .as_secs();
    i64::try_from(seconds)
        .ok()
        .and_then(|s| Timestamp::from_unix_seconds(s).ok())
        .ok_or_else(|| "the system clock is past year 9999; give --now".to_owned())
}
