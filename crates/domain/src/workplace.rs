//! Workplaces: enterprises and worksites, with or without a union.

use crate::string_enum;

string_enum!(Ownership, "invalid_ownership" {
    State => "state",
    DomesticPrivate => "domestic_private",
    ForeignInvested => "foreign_invested",
    Cooperative => "cooperative",
    Household => "household",
});

string_enum!(
    /// Workplaces by number of workers, as union coverage targets name them: the
    /// national plans aim at a union in every enterprise of 25 or more.
    SizeBand, "invalid_size_band" {
        Micro => "1-24",
        Small => "25-99",
        Medium => "100-499",
        Large => "500+",
    }
);

impl SizeBand {
    pub fn of(headcount: i64) -> Self {
        match headcount {
            i64::MIN..=24 => SizeBand::Micro,
            25..=99 => SizeBand::Small,
            100..=499 => SizeBand::Medium,
            _ => SizeBand::Large,
        }
    }

    /// The headcounts of the band, both ends included (`None`: no upper end).
    pub fn range(self) -> (i64, Option<i64>) {
        match self {
            SizeBand::Micro => (1, Some(24)),
            SizeBand::Small => (25, Some(99)),
            SizeBand::Medium => (100, Some(499)),
            SizeBand::Large => (500, None),
        }
    }
}

/// How the priority list weighs a workplace without a union (or with few members):
/// each weight is a share of the score, the threshold the membership rate (per cent)
/// under which a workplace with a union still counts as one to organize.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriorityWeights {
    pub headcount: i64,
    pub years: i64,
    pub rate: i64,
    pub rate_threshold: i64,
}

impl Default for PriorityWeights {
    fn default() -> Self {
        Self {
            headcount: 50,
            years: 20,
            rate: 30,
            rate_threshold: 50,
        }
    }
}

/// Headcount at which the size part of the score is full.
pub const FULL_SIZE: i64 = 1000;
/// Years operating at which the age part of the score is full.
pub const FULL_YEARS: i64 = 20;

impl PriorityWeights {
    /// Every weight 0 to 100, not all 0; the threshold 0 to 100.
    pub fn check(&self) -> Result<(), (&'static str, crate::FieldError)> {
        let bad = crate::FieldError::new("out_of_range");
        for (field, w) in [
            ("headcount", self.headcount),
            ("years", self.years),
            ("rate", self.rate),
            ("rate_threshold", self.rate_threshold),
        ] {
            if !(0..=100).contains(&w) {
                return Err((field, bad));
            }
        }
        if self.headcount + self.years + self.rate == 0 {
            return Err(("headcount", crate::FieldError::new("all_weights_zero")));
        }
        Ok(())
    }

    /// The score, 0 to 100, of a workplace of `headcount` workers operating for
    /// `years` with `members` of them members:
    /// `(wh·min(1, headcount/1000) + wy·min(1, years/20) + wr·(1 − min(1, members/headcount))) / (wh + wy + wr) · 100`.
    /// A workplace whose headcount is not known scores nothing for size, and its rate
    /// counts as zero.
    pub fn score(&self, headcount: Option<i64>, years: Option<i64>, members: i64) -> f64 {
        let h = headcount.unwrap_or(0).max(0) as f64;
        let size = (h / FULL_SIZE as f64).min(1.0);
        let age = (years.unwrap_or(0).max(0) as f64 / FULL_YEARS as f64).min(1.0);
        let rate = if h > 0.0 {
            (members.max(0) as f64 / h).min(1.0)
        } else {
            0.0
        };
        let total = (self.headcount + self.years + self.rate).max(1) as f64;
        100.0
            * (self.headcount as f64 * size
                + self.years as f64 * age
                + self.rate as f64 * (1.0 - rate))
            / total
    }
}

/// An organizer's rating of one worker's support, 1 (leads others) to 5 (opposed), as
/// organizing committees use it: levels 1 and 2 are the workers a union can count on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Support(u8);

impl Support {
    pub fn parse(s: &str) -> Result<Self, crate::FieldError> {
        match crate::names::digits_to_ascii(s.trim()).parse::<u8>() {
            Ok(n @ 1..=5) => Ok(Self(n)),
            _ => Err(crate::FieldError::new("invalid_support")),
        }
    }
    pub fn level(self) -> u8 {
        self.0
    }
    pub fn is_supporter(self) -> bool {
        self.0 <= 2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_and_scores() {
        assert_eq!(SizeBand::of(24), SizeBand::Micro);
        assert_eq!(SizeBand::of(25), SizeBand::Small);
        assert_eq!(SizeBand::of(499), SizeBand::Medium);
        assert_eq!(SizeBand::of(500), SizeBand::Large);
        let w = PriorityWeights::default();
        // Large, old, no members: the whole score.
        assert_eq!(w.score(Some(2000), Some(25), 0), 100.0);
        // 500 workers (half the size part), 10 years (half the age part), 250 members.
        assert_eq!(
            w.score(Some(500), Some(10), 250),
            50.0 * 0.5 + 20.0 * 0.5 + 30.0 * 0.5
        );
        // A small new workplace ranks below a large old one, whatever its rate.
        assert!(w.score(Some(30), Some(1), 0) < w.score(Some(800), Some(15), 400));
        assert_eq!(w.score(None, None, 0), 30.0);
        let only_rate = PriorityWeights {
            headcount: 0,
            years: 0,
            rate: 10,
            rate_threshold: 50,
        };
        assert_eq!(only_rate.score(Some(100), Some(3), 25), 75.0);
        assert!(PriorityWeights {
            headcount: 0,
            years: 0,
            rate: 0,
            rate_threshold: 50
        }
        .check()
        .is_err());
        assert!(PriorityWeights {
            headcount: 101,
            ..w
        }
        .check()
        .is_err());
    }

    #[test]
    fn support_levels() {
        assert_eq!(Support::parse("۲").unwrap().level(), 2);
        assert!(Support::parse("2").unwrap().is_supporter());
        assert!(!Support::parse("3").unwrap().is_supporter());
        assert!(Support::parse("6").is_err());
        assert!(Support::parse("0").is_err());
    }
}
