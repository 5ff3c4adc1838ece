//! The request's own time (RPC `Timestamp`, ACS3 `x-acs-date`), read as ISO 8601 and
//! compared with the server's clock.

use crate::{ApiError, ErrorCode, Timestamp};

/// Reads the request time `text` (ISO 8601 in UTC as the SDKs write it,
/// `2026-11-27T12:00:00Z`; the RFC 3339 forms `Timestamp` reads are accepted too) and checks
/// it is at most `max_skew_seconds` from `now`, either way. A negative `max_skew_seconds` is
/// taken as 0. Absent (`None`), malformed or too far: `IllegalTimestamp`.
pub(crate) fn check(
    text: Option<&str>,
    now: Timestamp,
    max_skew_seconds: i64,
) -> Result<Timestamp, ApiError> {
    let illegal = || ApiError::new(ErrorCode::IllegalTimestamp).with_parameter("Timestamp");
    // Longer than any RFC 3339 text worth reading: refused without reading it.
    let text = text.filter(|t| t.len() <= 64).ok_or_else(illegal)?;
    let time: Timestamp = text.parse().map_err(|_| illegal())?;
    // Both are within the years 0000 to 9999: the difference cannot overflow.
    let skew = (time.unix_seconds() - now.unix_seconds()).unsigned_abs();
    if skew > max_skew_seconds.max(0).unsigned_abs() {
        return Err(illegal());
    }
    Ok(time)
}
