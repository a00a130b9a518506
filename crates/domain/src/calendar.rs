//! Calendars and digits people read and type dates in: Gregorian, Solar Hijri
//! (Persian, the jalaali arithmetic of Borkowski as in jalaali-js) and the Indian
//! national (Saka) calendar. Storage stays ISO Gregorian; these convert at the edges.

use crate::date::{days_in_month, Date};
use crate::names::digits_to_ascii;
use crate::{string_enum, FieldError};

string_enum!(Calendar, "invalid_calendar" {
    Gregorian => "gregorian",
    Persian => "persian",
    Indian => "indian",
});

string_enum!(
    /// The digits numbers are written with.
    Digits, "invalid_digits" {
        Latin => "latin",
        Persian => "persian",
        Devanagari => "devanagari",
    }
);

/// A date as a calendar names it: year, month (1-12), day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalendarDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

// --- Solar Hijri -----------------------------------------------------------------

const BREAKS: [i32; 20] = [
    -61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097, 2192, 2262, 2324,
    2394, 2456, 3178,
];

struct JalaliYear {
    /// 0 when the year is leap (30 days in Esfand).
    leap: i32,
    gregorian_year: i32,
    /// The day of March on which the year begins.
    march: i32,
}

fn div(a: i32, b: i32) -> i32 {
    a / b
}

fn rem(a: i32, b: i32) -> i32 {
    a - (a / b) * b
}

fn jalali_year(jy: i32) -> Option<JalaliYear> {
    if jy < BREAKS[0] || jy >= BREAKS[BREAKS.len() - 1] {
        return None;
    }
    let gy = jy + 621;
    let mut leap_j = -14;
    let mut jp = BREAKS[0];
    let mut jump = 0;
    for &jm in &BREAKS[1..] {
        jump = jm - jp;
        if jy < jm {
            break;
        }
        leap_j += div(jump, 33) * 8 + div(rem(jump, 33), 4);
        jp = jm;
    }
    let mut n = jy - jp;
    leap_j += div(n, 33) * 8 + div(rem(n, 33) + 3, 4);
    if rem(jump, 33) == 4 && jump - n == 4 {
        leap_j += 1;
    }
    let leap_g = div(gy, 4) - div((div(gy, 100) + 1) * 3, 4) - 150;
    let march = 20 + leap_j - leap_g;
    if jump - n < 6 {
        n = n - jump + div(jump + 4, 33) * 33;
    }
    let mut leap = rem(rem(n + 1, 33) - 1, 4);
    if leap == -1 {
        leap = 4;
    }
    Some(JalaliYear {
        leap,
        gregorian_year: gy,
        march,
    })
}

fn persian_to_days(jy: i32, jm: u8, jd: u8) -> Option<i64> {
    let y = jalali_year(jy)?;
    let start = Date::new(y.gregorian_year, 3, y.march as u8)
        .ok()?
        .to_days();
    let jm = i64::from(jm);
    Some(start + (jm - 1) * 31 - (jm / 7) * (jm - 7) + i64::from(jd) - 1)
}

fn persian_from_days(days: i64) -> Option<CalendarDate> {
    let gy = Date::from_days(days).year();
    let mut jy = gy - 621;
    let y = jalali_year(jy)?;
    let mut k = days - Date::new(gy, 3, y.march as u8).ok()?.to_days();
    if k >= 0 {
        if k <= 185 {
            return Some(CalendarDate {
                year: jy,
                month: (1 + k / 31) as u8,
                day: (k % 31 + 1) as u8,
            });
        }
        k -= 186;
    } else {
        jy -= 1;
        k += 179;
        if jalali_year(jy)?.leap == 0 {
            k += 1;
        }
    }
    Some(CalendarDate {
        year: jy,
        month: (7 + k / 30) as u8,
        day: (k % 30 + 1) as u8,
    })
}

fn persian_month_days(jy: i32, month: u8) -> u8 {
    match month {
        1..=6 => 31,
        7..=11 => 30,
        12 if jalali_year(jy).is_some_and(|y| y.leap == 0) => 30,
        12 => 29,
        _ => 0,
    }
}

// --- Indian national (Saka) --------------------------------------------------------

fn is_gregorian_leap(y: i32) -> bool {
    days_in_month(y, 2) == 29
}

/// The Gregorian date of 1 Chaitra in Saka year `sy`.
fn chaitra_first(sy: i32) -> Option<Date> {
    let gy = sy + 78;
    Date::new(gy, 3, if is_gregorian_leap(gy) { 21 } else { 22 }).ok()
}

fn indian_month_days(sy: i32, month: u8) -> u8 {
    match month {
        1 if is_gregorian_leap(sy + 78) => 31,
        1 => 30,
        2..=6 => 31,
        7..=12 => 30,
        _ => 0,
    }
}

fn indian_to_days(sy: i32, month: u8, day: u8) -> Option<i64> {
    let start = chaitra_first(sy)?.to_days();
    let before: i64 = (1..month)
        .map(|m| i64::from(indian_month_days(sy, m)))
        .sum();
    Some(start + before + i64::from(day) - 1)
}

fn indian_from_days(days: i64) -> Option<CalendarDate> {
    let gy = Date::from_days(days).year();
    let mut sy = gy - 78;
    if days < chaitra_first(sy)?.to_days() {
        sy -= 1;
    }
    let mut k = days - chaitra_first(sy)?.to_days();
    let mut month = 1;
    while k >= i64::from(indian_month_days(sy, month)) {
        k -= i64::from(indian_month_days(sy, month));
        month += 1;
    }
    Some(CalendarDate {
        year: sy,
        month,
        day: (k + 1) as u8,
    })
}

// --- Conversions, formatting, parsing -----------------------------------------------

impl Calendar {
    /// The calendar date of an ISO date; `None` only far outside any real use.
    pub fn from_iso(self, date: Date) -> Option<CalendarDate> {
        match self {
            Calendar::Gregorian => Some(CalendarDate {
                year: date.year(),
                month: date.month(),
                day: date.day(),
            }),
            Calendar::Persian => persian_from_days(date.to_days()),
            Calendar::Indian => indian_from_days(date.to_days()),
        }
    }

    /// The ISO date of a calendar date; a date the calendar does not have is an error.
    pub fn to_iso(self, d: CalendarDate) -> Result<Date, FieldError> {
        let bad = FieldError::new("invalid_date");
        let (days_in, days) = match self {
            Calendar::Gregorian => return Date::new(d.year, d.month, d.day),
            Calendar::Persian => (
                persian_month_days(d.year, d.month),
                persian_to_days(d.year, d.month, d.day),
            ),
            Calendar::Indian => (
                indian_month_days(d.year, d.month),
                indian_to_days(d.year, d.month, d.day),
            ),
        };
        if d.day == 0 || d.day > days_in || !(1..=9999).contains(&d.year) {
            return Err(bad);
        }
        days.map(Date::from_days).ok_or(bad)
    }

    /// The first day of the calendar month holding `date`, and the first of the next.
    pub fn month_bounds(self, date: Date) -> Option<(Date, Date)> {
        let c = self.from_iso(date)?;
        let first = self.to_iso(CalendarDate { day: 1, ..c }).ok()?;
        let (ny, nm) = if c.month == 12 {
            (c.year + 1, 1)
        } else {
            (c.year, c.month + 1)
        };
        let next = self
            .to_iso(CalendarDate {
                year: ny,
                month: nm,
                day: 1,
            })
            .ok()?;
        Some((first, next))
    }
}

impl Digits {
    fn zero(self) -> char {
        match self {
            Digits::Latin => '0',
            Digits::Persian => '\u{06F0}',
            Digits::Devanagari => '\u{0966}',
        }
    }

    /// Writes the ASCII digits of `s` in these digits.
    pub fn apply(self, s: &str) -> String {
        let zero = self.zero() as u32;
        s.chars()
            .map(|c| match c.to_digit(10) {
                Some(d) if c.is_ascii_digit() => char::from_u32(zero + d).unwrap_or(c),
                _ => c,
            })
            .collect()
    }
}

/// The order in which a numeric date is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// 2024-05-15: ISO, for English readers (no month-day ambiguity).
    Iso,
    /// 1403/02/26: Persian.
    YearFirst,
    /// 15/05/2024: Vietnamese, Indian.
    DayFirst,
}

/// A date as its reader writes it: numeric, zero padded, in their calendar and digits.
pub fn format(date: Date, calendar: Calendar, order: Order, digits: Digits) -> String {
    let Some(c) = calendar.from_iso(date) else {
        return date.to_string();
    };
    let text = match order {
        Order::Iso => format!("{:04}-{:02}-{:02}", c.year, c.month, c.day),
        Order::YearFirst => format!("{:04}/{:02}/{:02}", c.year, c.month, c.day),
        Order::DayFirst => format!("{:02}/{:02}/{:04}", c.day, c.month, c.year),
    };
    digits.apply(&text)
}

/// Reads a date typed in the reader's calendar: `YYYY-MM-DD` (always Gregorian ISO),
/// `Y/M/D` when the first part has four digits, otherwise `D/M/Y`; `/`, `-` and `.`
/// separate; native or Latin digits.
pub fn parse(input: &str, calendar: Calendar) -> Result<Date, FieldError> {
    let bad = || FieldError::new("invalid_date");
    let s = digits_to_ascii(input.trim()).replace(['\u{066B}', '\u{2215}'], "/");
    if is_iso_shaped(&s) {
        return Date::parse_iso(&s);
    }
    let parts: Vec<&str> = s.split(['/', '-', '.']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(bad());
    }
    let n = |p: &str| p.parse::<i32>().map_err(|_| bad());
    let (y, m, d) = if parts[0].len() == 4 {
        (n(parts[0])?, n(parts[1])?, n(parts[2])?)
    } else if parts[2].len() == 4 {
        (n(parts[2])?, n(parts[1])?, n(parts[0])?)
    } else {
        return Err(bad());
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(bad());
    }
    calendar.to_iso(CalendarDate {
        year: y,
        month: m as u8,
        day: d as u8,
    })
}

/// `YYYY-MM-DD` with ASCII digits: an ISO date, Gregorian.
fn is_iso_shaped(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

string_enum!(
    /// The order of a numeric date's parts in a file: year first, day first or month
    /// first. A first part of four digits is always a year.
    DateOrder, "invalid_date_order" {
        Ymd => "ymd",
        Dmy => "dmy",
        Mdy => "mdy",
    }
);

/// Reads a date of a file written in `calendar` with its parts in `order`: `/`, `-` or
/// `.` between them, native or Latin digits, four-digit years. `YYYY-MM-DD` is ISO,
/// Gregorian, whatever the calendar, as a date field reads it; but for the Solar Hijri
/// calendar only from the year 1700: no member's date is a Gregorian year before that,
/// and a Solar Hijri one is (`1403-02-26`).
pub fn parse_ordered(
    input: &str,
    calendar: Calendar,
    order: DateOrder,
) -> Result<Date, FieldError> {
    let bad = || FieldError::new("invalid_date");
    let s = digits_to_ascii(input.trim()).replace(['\u{066B}', '\u{2215}'], "/");
    // `1403-02-26` is Solar Hijri: no member's date is a Gregorian year before 1700.
    let solar_hijri_year = calendar == Calendar::Persian && s.get(..4) < Some("1700");
    if is_iso_shaped(&s) && !solar_hijri_year {
        return Date::parse_iso(&s);
    }
    let parts: Vec<&str> = s.split(['/', '-', '.']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(bad());
    }
    let n = |p: &str| p.parse::<i32>().map_err(|_| bad());
    let (y, m, d) = if parts[0].len() == 4 {
        (parts[0], parts[1], parts[2])
    } else {
        match order {
            DateOrder::Ymd => return Err(bad()),
            DateOrder::Dmy => (parts[2], parts[1], parts[0]),
            DateOrder::Mdy => (parts[2], parts[0], parts[1]),
        }
    };
    if y.len() != 4 {
        return Err(bad());
    }
    let (y, m, d) = (n(y)?, n(m)?, n(d)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(bad());
    }
    calendar.to_iso(CalendarDate {
        year: y,
        month: m as u8,
        day: d as u8,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(s: &str) -> Date {
        Date::parse_iso(s).unwrap()
    }

    #[test]
    fn dates_of_files_in_their_order_and_calendar() {
        let p = |s, c, o| parse_ordered(s, c, o).map(|d| d.to_string());
        assert_eq!(
            p("2024-05-15", Calendar::Gregorian, DateOrder::Dmy).unwrap(),
            "2024-05-15"
        );
        assert_eq!(
            p("15/05/2024", Calendar::Gregorian, DateOrder::Dmy).unwrap(),
            "2024-05-15"
        );
        assert_eq!(
            p("05/15/2024", Calendar::Gregorian, DateOrder::Mdy).unwrap(),
            "2024-05-15"
        );
        assert_eq!(
            p("۱۴۰۲/۰۱/۳۰", Calendar::Persian, DateOrder::Ymd).unwrap(),
            "2023-04-19"
        );
        assert_eq!(
            p("30.01.1402", Calendar::Persian, DateOrder::Dmy).unwrap(),
            "2023-04-19"
        );
        // An ISO date in a file of another calendar (a Persian clerk's export from a
        // Gregorian system) is Gregorian; a Solar Hijri one written with dashes is not.
        assert_eq!(
            p("1977-07-11", Calendar::Persian, DateOrder::Ymd).unwrap(),
            "1977-07-11"
        );
        assert_eq!(
            p("۱۹۷۷-۰۷-۱۱", Calendar::Persian, DateOrder::Dmy).unwrap(),
            "1977-07-11"
        );
        assert_eq!(
            p("1403-02-26", Calendar::Persian, DateOrder::Ymd).unwrap(),
            "2024-05-15"
        );
        assert_eq!(
            p("2024-05-15", Calendar::Indian, DateOrder::Dmy).unwrap(),
            "2024-05-15"
        );
        assert!(p("15/05/2024", Calendar::Gregorian, DateOrder::Mdy).is_err());
        assert!(p("15/05/24", Calendar::Gregorian, DateOrder::Dmy).is_err());
        assert!(p("2024-02-30", Calendar::Gregorian, DateOrder::Ymd).is_err());
        assert!(p("next week", Calendar::Gregorian, DateOrder::Ymd).is_err());
    }

    #[test]
    fn solar_hijri_dates_of_the_reports() {
        // 001: Monday 1401/01/22; 002: published ۱۴۰۲/۰۱/۳۰; labor week from 2 Ordibehesht 1402.
        assert_eq!(
            parse("1401/01/22", Calendar::Persian).unwrap(),
            iso("2022-04-11")
        );
        assert_eq!(
            parse("۱۴۰۲/۰۱/۳۰", Calendar::Persian).unwrap(),
            iso("2023-04-19")
        );
        assert_eq!(
            parse("1402/02/02", Calendar::Persian).unwrap(),
            iso("2023-04-22")
        );
        assert_eq!(
            format(
                iso("2024-03-20"),
                Calendar::Persian,
                Order::YearFirst,
                Digits::Persian
            ),
            "۱۴۰۳/۰۱/۰۱"
        );
        assert_eq!(
            format(
                iso("2024-05-15"),
                Calendar::Persian,
                Order::YearFirst,
                Digits::Latin
            ),
            "1403/02/26"
        );
    }

    #[test]
    fn persian_leap_years_and_impossible_dates() {
        assert!(
            parse("1403/12/30", Calendar::Persian).is_ok(),
            "1403 is leap"
        );
        assert!(
            parse("1402/12/30", Calendar::Persian).is_err(),
            "1402 is not"
        );
        assert!(parse("1401/13/01", Calendar::Persian).is_err());
        assert!(parse("1401/07/31", Calendar::Persian).is_err());
        assert_eq!(
            parse("1403/12/30", Calendar::Persian).unwrap(),
            iso("2025-03-20")
        );
    }

    #[test]
    fn day_first_gregorian_as_vietnamese_write_it() {
        assert_eq!(
            parse("15/5/2024", Calendar::Gregorian).unwrap(),
            iso("2024-05-15")
        );
        assert_eq!(
            parse("12/6/2021", Calendar::Gregorian).unwrap(),
            iso("2021-06-12")
        );
        assert_eq!(
            parse("2024-05-15", Calendar::Persian).unwrap(),
            iso("2024-05-15"),
            "ISO is always Gregorian"
        );
        assert!(parse("31/2/2024", Calendar::Gregorian).is_err());
        assert!(parse("15/5/24", Calendar::Gregorian).is_err());
        assert!(parse("yesterday", Calendar::Gregorian).is_err());
        assert_eq!(
            format(
                iso("2024-05-15"),
                Calendar::Gregorian,
                Order::DayFirst,
                Digits::Latin
            ),
            "15/05/2024"
        );
    }

    #[test]
    fn indian_national_calendar() {
        assert_eq!(
            Calendar::Indian.from_iso(iso("2024-05-15")),
            Some(CalendarDate {
                year: 1946,
                month: 2,
                day: 25
            })
        );
        assert_eq!(
            Calendar::Indian.from_iso(iso("2023-03-22")),
            Some(CalendarDate {
                year: 1945,
                month: 1,
                day: 1
            })
        );
        assert_eq!(
            Calendar::Indian.from_iso(iso("2024-03-20")),
            Some(CalendarDate {
                year: 1945,
                month: 12,
                day: 30
            })
        );
        assert_eq!(
            format(
                iso("2024-05-15"),
                Calendar::Indian,
                Order::DayFirst,
                Digits::Devanagari
            ),
            "२५/०२/१९४६"
        );
        assert_eq!(
            parse("२५/०२/१९४६", Calendar::Indian).unwrap(),
            iso("2024-05-15")
        );
    }

    #[test]
    fn every_day_round_trips_in_every_calendar() {
        let mut d = iso("1990-01-01");
        while d < iso("2040-01-01") {
            for cal in Calendar::ALL {
                let c = cal.from_iso(d).unwrap();
                assert_eq!(cal.to_iso(c).unwrap(), d, "{cal} {c:?}");
            }
            d = d.add_days(1);
        }
    }

    #[test]
    fn month_bounds_follow_the_calendar() {
        let (a, b) = Calendar::Persian.month_bounds(iso("2024-05-15")).unwrap();
        assert_eq!((a, b), (iso("2024-04-20"), iso("2024-05-21")));
    }
}
