//! What the process says and returns: its name as it prefixes its messages, its exit
//! statuses, and a line to standard error.

/// Writes a line to standard error; a standard error that cannot be written to is ignored
/// (unlike `eprintln!`, which would panic).
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}
pub(crate) use say;

/// Exit status: every input is valid (or the subcommand succeeded).
pub const EXIT_OK: u8 = 0;
/// Exit status: at least one input is refused (or warned about, with `--deny-warnings`).
pub const EXIT_REFUSED: u8 = 1;
/// Exit status: an input could not be read or parsed, or the command line is wrong.
pub const EXIT_ERROR: u8 = 2;

/// The program's name, as it prefixes its own error messages.
pub const PROGRAM: &str = "ecs-snapshot-rules";
