//! The `--now` clock: an RFC 3339 date and time.

use std::fmt;

/// A point in time given as RFC 3339, kept as written and as seconds since the Unix epoch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timestamp {
    /// Seconds since 1970-01-01T00:00:00Z (negative before).
    pub unix_seconds: i64,
    /// Nanoseconds past `unix_seconds` (fractions beyond nanoseconds are dropped).
    pub nanos: u32,
    /// The text as given.
    pub text: String,
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Reads `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)` (RFC 3339, section 5.6; `t`, `z`
/// and a space for `T` are accepted, as the RFC allows). A leap second (`:60`) is read as the
/// next second.
pub fn parse_rfc3339(text: &str) -> Result<Timestamp, String> {
    let wrong = || format!("{text:?} is not an RFC 3339 date and time (e.g. 2026-01-31T12:00:00Z)");
    let b = text.as_bytes();
    if b.len() < 20 || !text.is_ascii() {
        return Err(wrong());
    }
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let digits = b.get(range)?;
        digits
            .iter()
            .all(u8::is_ascii_digit)
            .then(|| digits.iter().fold(0, |n, d| n * 10 + i64::from(d - b'0')))
    };
    let punctuation_ok = b[4] == b'-'
        && b[7] == b'-'
        && matches!(b[10], b'T' | b't' | b' ')
        && b[13] == b':'
        && b[16] == b':';
    let (Some(year), Some(month), Some(day), Some(hour), Some(minute), Some(second)) = (
        number(0..4),
        number(5..7),
        number(8..10),
        number(11..13),
        number(14..16),
        number(17..19),
    ) else {
        return Err(wrong());
    };
    if !punctuation_ok
        || !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return Err(wrong());
    }
    let mut rest = &b[19..];
    let mut nanos: u32 = 0;
    if let Some(fraction) = rest.strip_prefix(b".") {
        let digits = fraction.iter().take_while(|d| d.is_ascii_digit()).count();
        if digits == 0 {
            return Err(wrong());
        }
        for (i, d) in fraction[..digits].iter().enumerate().take(9) {
            nanos += u32::from(d - b'0') * 10u32.pow(8 - i as u32);
        }
        rest = &fraction[digits..];
    }
    let offset_seconds = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let digits = [*h1, *h2, *m1, *m2];
            if !digits.iter().all(u8::is_ascii_digit) {
                return Err(wrong());
            }
            let hours = i64::from((h1 - b'0') * 10 + (h2 - b'0'));
            let minutes = i64::from((m1 - b'0') * 10 + (m2 - b'0'));
            if hours > 23 || minutes > 59 {
                return Err(wrong());
            }
            let offset = hours * 3600 + minutes * 60;
            if *sign == b'-' {
                -offset
            } else {
                offset
            }
        }
        _ => return Err(wrong()),
    };
    let days = days_from_civil(year, month, day);
    let unix_seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_seconds;
    Ok(Timestamp {
        unix_seconds,
        nanos,
        text: text.to_owned(),
    })
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to the given date of the proleptic Gregorian calendar.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::parse_rfc3339;

    #[test]
    fn reads_utc_offsets_and_fractions() {
        assert_eq!(
            parse_rfc3339("1970-01-01T00:00:00Z").unwrap().unix_seconds,
            0
        );
        assert_eq!(
            parse_rfc3339("2026-01-31T12:00:00Z").unwrap().unix_seconds,
            1_769_860_800
        );
        let t = parse_rfc3339("2026-01-31T20:00:00.5+08:00").unwrap();
        assert_eq!((t.unix_seconds, t.nanos), (1_769_860_800, 500_000_000));
        assert_eq!(
            parse_rfc3339("2024-02-29t12:00:00z").unwrap().unix_seconds,
            1_709_208_000
        );
    }

    #[test]
    fn refuses_what_is_not_rfc_3339() {
        for text in [
            "",
            "2026-01-31",
            "2026-01-31T12:00:00",
            "2026-02-30T12:00:00Z",
            "2023-02-29T12:00:00Z",
            "2026-13-01T12:00:00Z",
            "2026-01-31T24:00:00Z",
            "2026-01-31T12:00:00.Z",
            "2026-01-31T12:00:00+0800",
            "2026-01-31T12:00:00+24:00",
            "２026-01-31T12:00:00Z",
        ] {
            assert!(parse_rfc3339(text).is_err(), "{text}");
        }
    }
}
