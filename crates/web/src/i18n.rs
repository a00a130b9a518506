//! Languages of the pages: Fluent catalogs for `en`, `vi`, `fa`, `hi`, text direction,
//! and each reader's calendar and digits.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use muster_domain::calendar::{self, Calendar, Digits, Order};
use muster_domain::Date;
use std::collections::HashMap;
use std::sync::OnceLock;

pub const LOCALES: [&str; 4] = ["en", "vi", "fa", "hi"];

/// Each language named in itself, for switchers and choices.
pub const LANGUAGE_NAMES: [(&str, &str); 4] = [
    ("en", "English"),
    ("vi", "Tiếng Việt"),
    ("fa", "فارسی"),
    ("hi", "हिन्दी"),
];

/// The catalog sources, compiled in.
pub const SOURCES: [(&str, &str); 4] = [
    ("en", include_str!("../locales/en.ftl")),
    ("vi", include_str!("../locales/vi.ftl")),
    ("fa", include_str!("../locales/fa.ftl")),
    ("hi", include_str!("../locales/hi.ftl")),
];

type Bundle = FluentBundle<FluentResource>;

fn bundles() -> &'static HashMap<&'static str, Bundle> {
    static BUNDLES: OnceLock<HashMap<&'static str, Bundle>> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        SOURCES
            .iter()
            .map(|(locale, source)| {
                let id = locale.parse().unwrap_or_default();
                let mut bundle = FluentBundle::new_concurrent(vec![id]);
                // Numbers and names are passed already written; isolation marks would
                // show as stray characters in inputs and titles.
                bundle.set_use_isolating(false);
                // A catalog that does not parse fails the catalog tests; here it only
                // falls back to the keys it could read.
                let resource =
                    FluentResource::try_new(source.to_string()).unwrap_or_else(|(r, _)| r);
                let _ = bundle.add_resource(resource);
                (*locale, bundle)
            })
            .collect()
    })
}

fn format(locale: &str, key: &str, args: Option<&FluentArgs>) -> Option<String> {
    let bundle = bundles().get(locale)?;
    let pattern = bundle.get_message(key)?.value()?;
    let mut errors = Vec::new();
    Some(
        bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned(),
    )
}

/// The keys a catalog defines.
pub fn keys(source: &str) -> Vec<String> {
    source
        .lines()
        .filter(|l| !l.starts_with([' ', '#', '\t', '.', '*', '[', '}']) && l.contains(" ="))
        .filter_map(|l| l.split(" =").next())
        .map(|k| k.trim().to_string())
        .filter(|k| !k.is_empty())
        .collect()
}

/// A reader: their language, calendar and digits.
#[derive(Debug, Clone)]
pub struct Lang {
    pub locale: &'static str,
    pub calendar: Calendar,
    pub digits: Digits,
}

impl Lang {
    /// A reader of `locale` with its default calendar and digits, or those chosen.
    pub fn new(locale: &str, calendar: Option<&str>, digits: Option<&str>) -> Self {
        let locale = LOCALES
            .iter()
            .copied()
            .find(|l| *l == locale)
            .unwrap_or("en");
        let calendar =
            calendar
                .and_then(|c| Calendar::parse(c).ok())
                .unwrap_or(if locale == "fa" {
                    Calendar::Persian
                } else {
                    Calendar::Gregorian
                });
        let digits = digits
            .filter(|d| !d.is_empty())
            .and_then(|d| Digits::parse(d).ok())
            .unwrap_or(if locale == "fa" {
                Digits::Persian
            } else {
                Digits::Latin
            });
        Self {
            locale,
            calendar,
            digits,
        }
    }

    pub fn dir(&self) -> &'static str {
        if self.locale == "fa" {
            "rtl"
        } else {
            "ltr"
        }
    }

    /// The message for `key`, English when this language lacks it.
    pub fn t(&self, key: &str) -> String {
        format(self.locale, key, None)
            .or_else(|| format("en", key, None))
            .unwrap_or_else(|| key.to_string())
    }

    /// The message for `key` with arguments (passed as text, already in the reader's digits).
    pub fn t_args(&self, key: &str, args: &[(&str, String)]) -> String {
        let mut fa = FluentArgs::new();
        for (name, value) in args {
            fa.set(*name, value.clone());
        }
        format(self.locale, key, Some(&fa))
            .or_else(|| format("en", key, Some(&fa)))
            .unwrap_or_else(|| key.to_string())
    }

    fn order(&self) -> Order {
        match (self.locale, self.calendar) {
            (_, Calendar::Persian) => Order::YearFirst,
            ("en", Calendar::Gregorian) => Order::Iso,
            _ => Order::DayFirst,
        }
    }

    /// The order of the dates this reader writes, for reading them back from a file.
    pub fn date_order(&self) -> muster_domain::calendar::DateOrder {
        match self.order() {
            Order::DayFirst => muster_domain::calendar::DateOrder::Dmy,
            _ => muster_domain::calendar::DateOrder::Ymd,
        }
    }

    /// A stored ISO date as this reader writes it.
    pub fn date(&self, iso: &str) -> String {
        match Date::parse_iso(iso) {
            Ok(d) => calendar::format(d, self.calendar, self.order(), self.digits),
            Err(_) => iso.to_string(),
        }
    }

    /// A stored instant (`2026-12-03T10:33:58Z`) as this reader writes it: the day in
    /// their calendar, the time of day (UTC) in their digits.
    pub fn datetime(&self, stamp: &str) -> String {
        match (stamp.get(..10), stamp.get(11..16)) {
            (Some(day), Some(time)) => format!("{} {} UTC", self.date(day), self.digits(time)),
            _ => stamp.to_string(),
        }
    }

    pub fn opt_date(&self, iso: Option<&str>) -> String {
        iso.map(|d| self.date(d)).unwrap_or_default()
    }

    /// How a date field should be filled in, as a placeholder: `1403/02/26`, `15/05/2024`.
    pub fn date_hint(&self) -> String {
        self.date("2024-05-15")
    }

    /// A typed date in this reader's calendar to ISO; what does not parse is returned
    /// as typed, so the use case refuses it on its field.
    pub fn iso_date(&self, typed: &str) -> String {
        let typed = typed.trim();
        if typed.is_empty() {
            return String::new();
        }
        calendar::parse(typed, self.calendar)
            .map(|d| d.to_string())
            .unwrap_or_else(|_| typed.to_string())
    }

    /// An integer in this reader's digits, grouped by thousands.
    pub fn number(&self, n: i64) -> String {
        let digits = n.unsigned_abs().to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(match self.locale {
                    "vi" => '.',
                    "fa" => '\u{066C}',
                    _ => ',',
                });
            }
            out.push(c);
        }
        if n < 0 {
            out.insert(0, '-');
        }
        self.digits.apply(&out)
    }

    /// An exact amount as the API answers it (`1250.50`) written for this reader, with
    /// its currency: `1,250.50 ₹`, `2.000.000 ₫`, `۵۰۰٬۰۰۰ ریال`.
    pub fn money(&self, amount: &str, currency: &str) -> String {
        let (negative, a) = match amount.strip_prefix('-') {
            Some(a) => (true, a),
            None => (false, amount),
        };
        let (whole, frac) = a.split_once('.').unwrap_or((a, ""));
        let whole: i64 = whole.parse().unwrap_or(0);
        let mut out = self.number(if negative { -whole } else { whole });
        if !frac.is_empty() {
            out.push_str(match self.locale {
                "fa" => "٫",
                "vi" => ",",
                _ => ".",
            });
            out.push_str(&self.digits.apply(frac));
        }
        let key = format!("currency-{currency}");
        let name = self.t(&key);
        format!(
            "{out}\u{a0}{}",
            if name == key {
                currency.to_string()
            } else {
                name
            }
        )
    }

    /// A text's ASCII digits in this reader's digits (a time of day, a code).
    pub fn digits(&self, text: &str) -> String {
        self.digits.apply(text)
    }

    /// A number with one decimal as this reader writes it (`90.3`, `90,3`, `۹۰٫۳`).
    pub fn decimal(&self, x: f64) -> String {
        let tenths = (x.abs() * 10.0).round() as i64;
        let sep = match self.locale {
            "fa" => "٫",
            "vi" => ",",
            _ => ".",
        };
        let sign = if x < 0.0 && tenths > 0 { "-" } else { "" };
        format!(
            "{sign}{}{sep}{}",
            self.number(tenths / 10),
            self.digits.apply(&(tenths % 10).to_string())
        )
    }

    /// A percentage with one decimal (`90.3%`); a dash when there is none.
    pub fn percent(&self, p: Option<f64>) -> String {
        p.map_or_else(|| "—".into(), |p| format!("{}%", self.decimal(p)))
    }

    /// A `YYYY-MM` period as this reader names the month: `05/2024`, `۱۴۰۳/۰۲`.
    pub fn month(&self, period: &str) -> String {
        let Ok(d) = Date::parse_iso(&format!("{period}-15")) else {
            return period.to_string();
        };
        match self.calendar.from_iso(d) {
            Some(c) if self.calendar == Calendar::Persian => {
                self.digits.apply(&format!("{:04}/{:02}", c.year, c.month))
            }
            Some(c) => self.digits.apply(&format!("{:02}/{:04}", c.month, c.year)),
            None => period.to_string(),
        }
    }
}

/// The best of our languages for an `Accept-Language` header.
pub fn negotiate(accept: &str) -> &'static str {
    let mut best = ("en", -1.0f32);
    for part in accept.split(',') {
        let mut pieces = part.trim().split(';');
        let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = pieces
            .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse().ok()))
            .unwrap_or(1.0);
        let primary = tag.split('-').next().unwrap_or("");
        if let Some(l) = LOCALES.iter().find(|l| **l == primary) {
            if q > best.1 {
                best = (l, q);
            }
        }
    }
    best.0
}

/// The headers of member files in every language (`col-*` messages), lower case, so
/// that a file exported in the reader's language imports again as it is. Made once.
/// The translated names of an enrollment file's columns, lower case, in every language.
pub fn enrollment_aliases() -> &'static [(String, muster_app::schemes::EnrollmentColumn)] {
    static ALIASES: std::sync::OnceLock<Vec<(String, muster_app::schemes::EnrollmentColumn)>> =
        std::sync::OnceLock::new();
    ALIASES.get_or_init(|| {
        let mut out = Vec::new();
        for locale in LOCALES {
            for c in muster_app::schemes::EnrollmentColumn::ALL {
                if let Some(label) = format(locale, &format!("enroll-col-{}", c.as_str()), None) {
                    out.push((label.trim().to_lowercase(), *c));
                }
            }
        }
        out
    })
}

pub fn header_aliases() -> &'static [(String, muster_app::import::Field)] {
    static ALIASES: std::sync::OnceLock<Vec<(String, muster_app::import::Field)>> =
        std::sync::OnceLock::new();
    ALIASES.get_or_init(|| {
        let mut out = Vec::new();
        for locale in LOCALES {
            for f in muster_app::import::Field::ALL {
                if let Some(label) = format(locale, &format!("col-{}", f.as_str()), None) {
                    out.push((label.trim().to_lowercase(), *f));
                }
            }
        }
        out
    })
}
