//! Instants in UTC, to the second, read from and written as RFC 3339.
//!
//! The rules compare instants ("an hour after the instance was created") and nothing finer
//! than a second matters to them, so a [`Timestamp`] is a count of seconds since
//! 1970-01-01T00:00:00Z, kept within the years 0000 to 9999 that RFC 3339 can write.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// One hour, in seconds: the wait after an instance is created or its system disk replaced.
pub const HOUR: i64 = 3600;

/// An instant in UTC, to the second: what `now` and every time in the facts are.
///
/// Read with [`str::parse`] from RFC 3339 (`2026-11-27T12:00:00Z`, `2026-11-27T20:00:00+08:00`;
/// `t`, `z` and a space for `T` as the RFC allows; a fraction of a second, which is dropped;
/// a leap second `:60` read as the next second); written with `Display` in UTC with a `Z`.
/// In JSON it is that string. See `docs/DECISIONS.md`, D66.
///
/// ```
/// use ecs_snapshot_rules::Timestamp;
///
/// let t: Timestamp = "2026-11-27T20:00:00+08:00".parse()?;
/// assert_eq!(t.to_string(), "2026-11-27T12:00:00Z");
/// assert_eq!(t.unix_seconds(), 1_795_780_800);
/// assert!("2026-02-30T00:00:00Z".parse::<Timestamp>().is_err());
/// # Ok::<(), ecs_snapshot_rules::state::TimestampError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Timestamp(i64);

/// Why a text is not a timestamp this crate reads.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TimestampError {
    /// The text does not have the shape `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)`.
    #[error(
        "{text:?} is not an RFC 3339 timestamp: {reason} (expected e.g. 2026-11-27T12:00:00Z)"
    )]
    Malformed {
        /// The text given.
        text: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The instant is before year 0000 or after year 9999 in UTC.
    #[error("the instant is outside the years 0000 to 9999 (UTC)")]
    OutOfRange,
}

/// Seconds since the epoch of 0000-01-01T00:00:00Z.
const MIN_SECONDS: i64 = -62_167_219_200;
/// Seconds since the epoch of 9999-12-31T23:59:59Z.
const MAX_SECONDS: i64 = 253_402_300_799;

impl Timestamp {
    /// The earliest instant: 0000-01-01T00:00:00Z.
    pub const MIN: Timestamp = Timestamp(MIN_SECONDS);
    /// The latest instant: 9999-12-31T23:59:59Z.
    pub const MAX: Timestamp = Timestamp(MAX_SECONDS);
    /// 1970-01-01T00:00:00Z.
    pub const UNIX_EPOCH: Timestamp = Timestamp(0);

    /// The instant `seconds` after 1970-01-01T00:00:00Z (before it when negative), if it is
    /// within the years 0000 to 9999.
    ///
    /// # Errors
    ///
    /// [`TimestampError`] for an instant outside the years 0000 to 9999.
    pub fn from_unix_seconds(seconds: i64) -> Result<Timestamp, TimestampError> {
        if (MIN_SECONDS..=MAX_SECONDS).contains(&seconds) {
            Ok(Timestamp(seconds))
        } else {
            Err(TimestampError::OutOfRange)
        }
    }

    /// Seconds since 1970-01-01T00:00:00Z.
    pub const fn unix_seconds(self) -> i64 {
        self.0
    }

    /// The instant `seconds` later (earlier when negative), or `None` past the years 0000 to
    /// 9999.
    pub fn checked_add_seconds(self, seconds: i64) -> Option<Timestamp> {
        self.0
            .checked_add(seconds)
            .and_then(|sum| Timestamp::from_unix_seconds(sum).ok())
    }

    /// Whether at least `seconds` have passed from `since` to `self`: "an hour after the
    /// instance was created" is `now.has_elapsed(created_at, HOUR)`. An instant before
    /// `since` has not.
    pub fn has_elapsed(self, since: Timestamp, seconds: i64) -> bool {
        // Both are within the years 0000 to 9999, so the difference cannot overflow.
        self.0 - since.0 >= seconds
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.0.div_euclid(86_400);
        let second_of_day = self.0.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        write!(
            f,
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
            second_of_day / 3600,
            second_of_day / 60 % 60,
            second_of_day % 60
        )
    }
}

impl FromStr for Timestamp {
    type Err = TimestampError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse(text)
    }
}

impl TryFrom<String> for Timestamp {
    type Error = TimestampError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        parse(&text)
    }
}

impl From<Timestamp> for String {
    fn from(timestamp: Timestamp) -> Self {
        timestamp.to_string()
    }
}

/// A cursor over the bytes of a timestamp.
struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn malformed(&self, reason: &'static str) -> TimestampError {
        TimestampError::Malformed {
            text: self.text.to_owned(),
            reason,
        }
    }

    /// Exactly `count` ASCII digits, as a number.
    fn digits(&mut self, count: usize, reason: &'static str) -> Result<i64, TimestampError> {
        let mut value = 0i64;
        for _ in 0..count {
            match self.bytes.get(self.at) {
                Some(byte) if byte.is_ascii_digit() => {
                    value = value * 10 + i64::from(byte - b'0');
                    self.at += 1;
                }
                _ => return Err(self.malformed(reason)),
            }
        }
        Ok(value)
    }

    /// One byte that is one of `expected`.
    fn one_of(&mut self, expected: &[u8], reason: &'static str) -> Result<u8, TimestampError> {
        match self.bytes.get(self.at) {
            Some(byte) if expected.contains(byte) => {
                self.at += 1;
                Ok(*byte)
            }
            _ => Err(self.malformed(reason)),
        }
    }
}

fn parse(text: &str) -> Result<Timestamp, TimestampError> {
    let mut r = Reader {
        text,
        bytes: text.as_bytes(),
        at: 0,
    };
    let year = r.digits(4, "the year must be four digits")?;
    r.one_of(b"-", "expected '-' after the year")?;
    let month = r.digits(2, "the month must be two digits")?;
    r.one_of(b"-", "expected '-' after the month")?;
    let day = r.digits(2, "the day must be two digits")?;
    r.one_of(b"Tt ", "expected 'T' between the date and the time")?;
    let hour = r.digits(2, "the hour must be two digits")?;
    r.one_of(b":", "expected ':' after the hour")?;
    let minute = r.digits(2, "the minute must be two digits")?;
    r.one_of(b":", "expected ':' after the minute")?;
    let second = r.digits(2, "the second must be two digits")?;
    if r.bytes.get(r.at) == Some(&b'.') {
        r.at += 1;
        let start = r.at;
        while r.bytes.get(r.at).is_some_and(u8::is_ascii_digit) {
            r.at += 1;
        }
        if r.at == start {
            return Err(r.malformed("expected digits after the '.' of the seconds"));
        }
    }
    let offset_seconds = match r.one_of(b"Zz+-", "expected 'Z' or an offset like +08:00")? {
        sign @ (b'+' | b'-') => {
            let sign = if sign == b'-' { -1 } else { 1 };
            let hours = r.digits(2, "the offset's hours must be two digits")?;
            r.one_of(b":", "expected ':' in the offset")?;
            let minutes = r.digits(2, "the offset's minutes must be two digits")?;
            if hours > 23 || minutes > 59 {
                return Err(r.malformed("the offset is out of range"));
            }
            sign * (hours * 3600 + minutes * 60)
        }
        _ => 0,
    };
    if r.at != r.bytes.len() {
        return Err(r.malformed("unexpected text after the timestamp"));
    }
    if !(1..=12).contains(&month) {
        return Err(r.malformed("the month must be 01 to 12"));
    }
    if day < 1 || day > days_in_month(year, month) {
        return Err(r.malformed("the day does not exist in that month"));
    }
    if hour > 23 || minute > 59 {
        return Err(r.malformed("the time of day is out of range"));
    }
    // 60 is a leap second, read as the next second (there is no 23:59:60 in Unix time).
    if second > 60 {
        return Err(r.malformed("the second must be 00 to 60"));
    }
    let local = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
    Timestamp::from_unix_seconds(local - offset_seconds)
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a date in the proleptic Gregorian calendar (H. Hinnant's
/// algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date of a count of days since 1970-01-01 (the inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn ok(text: &str, unix: i64, written: &str) {
        let t: Timestamp = text.parse().unwrap();
        assert_eq!(t.unix_seconds(), unix, "{text}");
        assert_eq!(t.to_string(), written, "{text}");
        assert_eq!(written.parse::<Timestamp>().unwrap(), t);
    }

    #[track_caller]
    fn bad(text: &str, reason: &str) {
        match text.parse::<Timestamp>() {
            Err(TimestampError::Malformed { reason: got, .. }) => assert_eq!(got, reason, "{text}"),
            other => panic!("{text}: expected Malformed({reason}), got {other:?}"),
        }
    }

    #[test]
    fn reads_and_writes_utc() {
        ok("1970-01-01T00:00:00Z", 0, "1970-01-01T00:00:00Z");
        ok(
            "2026-11-27T12:00:00Z",
            1_795_780_800,
            "2026-11-27T12:00:00Z",
        );
        ok(
            "2020-12-14T00:00:00z",
            1_607_904_000,
            "2020-12-14T00:00:00Z",
        );
        ok(
            "2024-02-29t23:59:59Z",
            1_709_251_199,
            "2024-02-29T23:59:59Z",
        );
        ok("1969-12-31T23:59:59Z", -1, "1969-12-31T23:59:59Z");
        ok("0000-01-01T00:00:00Z", MIN_SECONDS, "0000-01-01T00:00:00Z");
        ok("9999-12-31T23:59:59Z", MAX_SECONDS, "9999-12-31T23:59:59Z");
        ok("2000-02-29T00:00:00Z", 951_782_400, "2000-02-29T00:00:00Z");
    }

    #[test]
    fn offsets_and_fractions() {
        ok(
            "2026-11-27T20:00:00+08:00",
            1_795_780_800,
            "2026-11-27T12:00:00Z",
        );
        ok(
            "2026-11-27T06:30:00-05:30",
            1_795_780_800,
            "2026-11-27T12:00:00Z",
        );
        ok(
            "2026-11-27T12:00:00-00:00",
            1_795_780_800,
            "2026-11-27T12:00:00Z",
        );
        ok(
            "2026-11-27T12:00:00.999Z",
            1_795_780_800,
            "2026-11-27T12:00:00Z",
        );
        ok(
            "2026-11-27T12:00:00.5+00:00",
            1_795_780_800,
            "2026-11-27T12:00:00Z",
        );
        ok(
            "2026-11-27 12:00:00Z",
            1_795_780_800,
            "2026-11-27T12:00:00Z",
        );
    }

    #[test]
    fn a_leap_second_is_the_next_second() {
        ok(
            "2016-12-31T23:59:60Z",
            1_483_228_800,
            "2017-01-01T00:00:00Z",
        );
        assert_eq!(
            "9999-12-31T23:59:60Z".parse::<Timestamp>(),
            Err(TimestampError::OutOfRange)
        );
    }

    #[test]
    fn every_day_round_trips() {
        // Every day of four centuries, across the epoch: day count -> date -> day count.
        for days in -75_000..75_000 {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
            assert!((1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m));
        }
    }

    #[test]
    fn refuses_bad_input_with_a_reason() {
        bad("", "the year must be four digits");
        bad("2026-11-27", "expected 'T' between the date and the time");
        bad(
            "2026-11-27_12:00:00Z",
            "expected 'T' between the date and the time",
        );
        bad(
            "2026-11-27T12:00:00",
            "expected 'Z' or an offset like +08:00",
        );
        bad("2026-11-27T12:00Z", "expected ':' after the minute");
        bad("26-11-27T12:00:00Z", "the year must be four digits");
        bad("2026-1-27T12:00:00Z", "the month must be two digits");
        bad("2026-13-01T00:00:00Z", "the month must be 01 to 12");
        bad("2026-00-01T00:00:00Z", "the month must be 01 to 12");
        bad(
            "2026-02-29T00:00:00Z",
            "the day does not exist in that month",
        );
        bad(
            "1900-02-29T00:00:00Z",
            "the day does not exist in that month",
        );
        bad(
            "2026-04-31T00:00:00Z",
            "the day does not exist in that month",
        );
        bad(
            "2026-04-00T00:00:00Z",
            "the day does not exist in that month",
        );
        bad("2026-11-27T24:00:00Z", "the time of day is out of range");
        bad("2026-11-27T12:60:00Z", "the time of day is out of range");
        bad("2026-11-27T12:00:61Z", "the second must be 00 to 60");
        bad(
            "2026-11-27T12:00:00.Z",
            "expected digits after the '.' of the seconds",
        );
        bad(
            "2026-11-27T12:00:00+8:00",
            "the offset's hours must be two digits",
        );
        bad("2026-11-27T12:00:00+0800", "expected ':' in the offset");
        bad("2026-11-27T12:00:00+24:00", "the offset is out of range");
        bad(
            "2026-11-27T12:00:00Z ",
            "unexpected text after the timestamp",
        );
        bad(" 2026-11-27T12:00:00Z", "the year must be four digits");
        bad("２026-11-27T12:00:00Z", "the year must be four digits");
    }

    #[test]
    fn range_is_years_0000_to_9999() {
        assert_eq!(
            "0000-01-01T00:00:00+00:01".parse::<Timestamp>(),
            Err(TimestampError::OutOfRange)
        );
        assert_eq!(
            "9999-12-31T23:59:59-00:01".parse::<Timestamp>(),
            Err(TimestampError::OutOfRange)
        );
        assert_eq!(
            Timestamp::from_unix_seconds(MAX_SECONDS + 1),
            Err(TimestampError::OutOfRange)
        );
        assert_eq!(Timestamp::MAX.checked_add_seconds(1), None);
        assert_eq!(Timestamp::MIN.checked_add_seconds(-1), None);
        assert_eq!(
            Timestamp::UNIX_EPOCH.checked_add_seconds(HOUR),
            Some(Timestamp(3600))
        );
    }

    #[test]
    fn elapsed_counts_whole_seconds() {
        let since = Timestamp(1000);
        assert!(!Timestamp(1000).has_elapsed(since, HOUR));
        assert!(!Timestamp(1000 + HOUR - 1).has_elapsed(since, HOUR));
        assert!(Timestamp(1000 + HOUR).has_elapsed(since, HOUR));
        assert!(!Timestamp(999).has_elapsed(since, 0));
        assert!(Timestamp::MAX.has_elapsed(Timestamp::MIN, HOUR));
    }

    #[test]
    fn json_is_the_rfc_3339_string() {
        let t: Timestamp = serde_json::from_str("\"2026-11-27T20:00:00+08:00\"").unwrap();
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"2026-11-27T12:00:00Z\""
        );
        let error = serde_json::from_str::<Timestamp>("\"yesterday\"").unwrap_err();
        assert_eq!(
            error.to_string(),
            "\"yesterday\" is not an RFC 3339 timestamp: the year must be four digits \
             (expected e.g. 2026-11-27T12:00:00Z)"
        );
    }
}
