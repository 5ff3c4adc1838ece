//! The clock of `check --world` and `serve`: `--now`, read by the library's own reader, or
//! the machine's clock.

use crate::library::{Timestamp, TimestampError};

/// `--now`: an RFC 3339 timestamp, read by the library's own reader.
pub(crate) fn parse_now(text: &str) -> Result<Timestamp, String> {
    text.parse().map_err(|e: TimestampError| e.to_string())
}

/// The machine's clock, when `--now` is not given.
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
