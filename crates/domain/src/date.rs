//! Plain calendar dates, stored and exchanged as ISO `YYYY-MM-DD` (proleptic Gregorian).
//! Display in other calendars belongs to the web layer; this type only has to be right.

use crate::FieldError;
use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Result<Self, FieldError> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) {
            return Err(FieldError::new("invalid_date"));
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(FieldError::new("invalid_date"));
        }
        Ok(Self { year, month, day })
    }

    /// Parses `YYYY-MM-DD` exactly (ASCII digits, zero padded).
    pub fn parse_iso(s: &str) -> Result<Self, FieldError> {
        let b = s.trim().as_bytes();
        let bad = || FieldError::new("invalid_date");
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let num = |r: std::ops::Range<usize>| -> Result<u32, FieldError> {
            let part = &b[r];
            if !part.iter().all(u8::is_ascii_digit) {
                return Err(bad());
            }
            Ok(part.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
        };
        let year = num(0..4)? as i32;
        let month = num(5..7)? as u8;
        let day = num(8..10)? as u8;
        Self::new(year, month, day)
    }

    pub fn year(self) -> i32 {
        self.year
    }
    pub fn month(self) -> u8 {
        self.month
    }
    pub fn day(self) -> u8 {
        self.day
    }

    /// The reporting period of this date: `YYYY-MM`.
    pub fn month_key(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    pub fn to_days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days(z: i64) -> Self {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Self { year, month, day }
    }

    pub fn add_days(self, n: i64) -> Self {
        Self::from_days(self.to_days() + n)
    }

    pub fn today() -> Self {
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Self::from_days(secs.div_euclid(86_400))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The current instant as RFC 3339 UTC with milliseconds, for audit entries and
/// timestamps. Instants written this way compare correctly as text.
pub fn now_utc() -> String {
    utc_in(0)
}

/// The instant `secs` seconds from now (before it when negative), as `now_utc` writes it.
pub fn utc_in(secs: i64) -> String {
    let d = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let secs = d.as_secs() as i64 + secs;
    let date = Date::from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{date}T{:02}:{:02}:{:02}.{:03}Z",
        s / 3600,
        s / 60 % 60,
        s % 60,
        d.subsec_millis()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_round_trip_and_day_arithmetic() {
        let d = Date::parse_iso("2024-05-15").unwrap();
        assert_eq!(d.to_string(), "2024-05-15");
        assert_eq!(Date::from_days(d.to_days()), d);
        assert_eq!(Date::parse_iso("1970-01-01").unwrap().to_days(), 0);
        assert_eq!(d.add_days(17).to_string(), "2024-06-01");
        assert_eq!(d.month_key(), "2024-05");
    }

    #[test]
    fn impossible_dates_are_refused() {
        for s in [
            "2024-02-30",
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "15/5/2024",
            "2024-5-15",
            "",
        ] {
            assert!(Date::parse_iso(s).is_err(), "{s} should be refused");
        }
        assert!(Date::parse_iso("2024-02-29").is_ok());
    }
}
