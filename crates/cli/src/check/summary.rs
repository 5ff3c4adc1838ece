//! What the inputs came to, for the exit status: 0 valid, 1 refused (or warned about with
//! `--deny-warnings`), 2 an input that cannot be read, which wins.

use crate::finding::Outcome;
use crate::process::{EXIT_ERROR, EXIT_OK, EXIT_REFUSED};

#[derive(Default)]
pub struct Summary {
    judged: usize,
    failed: bool,
    refused: bool,
    warned: bool,
}

impl Summary {
    /// Counts one input's outcome.
    pub fn add(&mut self, outcome: &Outcome) {
        self.judged += 1;
        match outcome {
            Outcome::Judged(subjects) => {
                for subject in subjects {
                    self.refused |= !subject.is_valid();
                    self.warned |= subject.warnings().next().is_some();
                }
            }
            Outcome::Failed(_) => self.failed = true,
        }
    }

    /// No input was judged or failed.
    pub fn is_empty(&self) -> bool {
        self.judged == 0
    }

    /// Marks the run as failed.
    pub fn fail(&mut self) {
        self.failed = true;
    }

    /// The exit status.
    pub fn status(&self, deny_warnings: bool) -> u8 {
        if self.failed {
            EXIT_ERROR
        } else if self.refused || (deny_warnings && self.warned) {
            EXIT_REFUSED
        } else {
            EXIT_OK
        }
    }
}
