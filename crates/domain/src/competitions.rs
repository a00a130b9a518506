//! Competitions: a discipline and category held at one unit's level (a county's men's
//! football), entries by person or team, results (rank, score, medal), and the winners
//! who advance to the competition of a unit above.

use crate::{string_enum, FieldError};

string_enum!(
    /// Who may compete.
    Category, "invalid_category" {
        Open => "open",
        Men => "men",
        Women => "women",
        Youth => "youth",
        Children => "children",
    }
);

string_enum!(
    /// Whether people enter one by one or as teams.
    EntryKind, "invalid_entry_kind" {
        Person => "person",
        Team => "team",
    }
);

string_enum!(
    /// A medal won.
    Medal, "invalid_medal" {
        Gold => "gold",
        Silver => "silver",
        Bronze => "bronze",
    }
);

impl Medal {
    /// The medal a rank wins when none is named: the first three places.
    pub fn of_rank(rank: i64) -> Option<Medal> {
        match rank {
            1 => Some(Medal::Gold),
            2 => Some(Medal::Silver),
            3 => Some(Medal::Bronze),
            _ => None,
        }
    }
}

/// The most winners who may advance from one competition.
pub const MAX_ADVANCING: i64 = 50;

/// A rank: 1 for the winner, ties allowed.
pub fn check_rank(rank: i64) -> Result<i64, FieldError> {
    if (1..=10_000).contains(&rank) {
        Ok(rank)
    } else {
        Err(FieldError::new("out_of_range"))
    }
}

/// A score as typed: an exact decimal (`87.5`, `-3`, `12,75` with a comma), at most
/// nine digits before the point and three after, kept as text so nothing is rounded.
pub fn parse_score(s: &str) -> Result<String, FieldError> {
    let s = s.trim().replace(',', ".");
    let (sign, digits) = match s.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", s.as_str()),
    };
    let (whole, frac) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let ok =
        all_digits(whole) && whole.len() <= 9 && frac.is_none_or(|f| all_digits(f) && f.len() <= 3);
    if !ok {
        return Err(FieldError::new("invalid_score"));
    }
    let whole = whole.trim_start_matches('0');
    let whole = if whole.is_empty() { "0" } else { whole };
    let frac = frac
        .map(|f| f.trim_end_matches('0'))
        .filter(|f| !f.is_empty());
    let text = match frac {
        Some(f) => format!("{whole}.{f}"),
        None => whole.to_string(),
    };
    Ok(if text == "0" {
        text
    } else {
        format!("{sign}{text}")
    })
}

/// Whether a competition may send its winners to `target`: the same discipline (as
/// typed, ignoring case and spaces at the ends), category and kind of entry, held by a
/// unit above, not finished, and not before this one.
pub fn check_advance(
    this: (&str, Category, EntryKind, &str),
    target: (&str, Category, EntryKind, &str),
    target_above: bool,
    target_finished: bool,
) -> Result<(), FieldError> {
    let same = |a: &str, b: &str| a.trim().to_lowercase() == b.trim().to_lowercase();
    if !target_above {
        Err(FieldError::new("not_above"))
    } else if !same(this.0, target.0) || this.1 != target.1 || this.2 != target.2 {
        Err(FieldError::new("other_discipline"))
    } else if target_finished {
        Err(FieldError::new("competition_finished"))
    } else if target.3 < this.3 {
        Err(FieldError::new("before_this"))
    } else {
        Ok(())
    }
}

/// Which entries advance when a competition finishes: those ranked within the first
/// `count` places (ties at the last place all go), in rank order.
pub fn advancing(ranked: &[(i64, Option<i64>)], count: i64) -> Vec<i64> {
    let mut r: Vec<(i64, i64)> = ranked
        .iter()
        .filter_map(|(id, rank)| rank.map(|k| (k, *id)))
        .filter(|(k, _)| *k <= count)
        .collect();
    r.sort();
    r.into_iter().map(|(_, id)| id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_are_exact_decimals() {
        assert_eq!(parse_score("87.50").unwrap(), "87.5");
        assert_eq!(parse_score(" 12,75 ").unwrap(), "12.75");
        assert_eq!(parse_score("007").unwrap(), "7");
        assert_eq!(parse_score("-0").unwrap(), "0");
        assert_eq!(parse_score("-3.0").unwrap(), "-3");
        for bad in ["", "1.2345", "1e3", "abc", "1.", ".5", "1234567890"] {
            assert_eq!(parse_score(bad).unwrap_err().code, "invalid_score", "{bad}");
        }
    }

    #[test]
    fn winners_advance_with_ties_at_the_last_place() {
        let ranked = [
            (10, Some(2)),
            (11, Some(1)),
            (12, None),
            (13, Some(2)),
            (14, Some(3)),
        ];
        assert_eq!(advancing(&ranked, 2), vec![11, 10, 13]);
        assert_eq!(advancing(&ranked, 0), Vec::<i64>::new());
    }

    #[test]
    fn advancing_needs_the_same_discipline_above() {
        let this = ("Bóng đá", Category::Men, EntryKind::Team, "2026-04-22");
        let ok = (" bóng ĐÁ ", Category::Men, EntryKind::Team, "2026-04-25");
        assert!(check_advance(this, ok, true, false).is_ok());
        let code = |t, above, fin| check_advance(this, t, above, fin).unwrap_err().code;
        assert_eq!(code(ok, false, false), "not_above");
        assert_eq!(code(ok, true, true), "competition_finished");
        let women = ("Bóng đá", Category::Women, EntryKind::Team, "2026-04-25");
        assert_eq!(code(women, true, false), "other_discipline");
        let earlier = ("Bóng đá", Category::Men, EntryKind::Team, "2026-04-20");
        assert_eq!(code(earlier, true, false), "before_this");
    }

    #[test]
    fn medals_follow_rank_when_not_named() {
        assert_eq!(Medal::of_rank(1), Some(Medal::Gold));
        assert_eq!(Medal::of_rank(3), Some(Medal::Bronze));
        assert_eq!(Medal::of_rank(4), None);
    }
}
