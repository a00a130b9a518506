//! Organizing drives: a run of calendar months, metrics with targets, the exact split of
//! a target among child units, and the progress figures a dashboard shows.

use crate::calendar::{Calendar, CalendarDate};
use crate::date::Date;
use crate::{string_enum, FieldError};

string_enum!(
    /// What a metric counts. The first four are computed from the registry; `custom`
    /// figures are filed by units in their monthly reports; the last four are computed
    /// from committees' meetings, decisions and action items.
    MetricKind, "invalid_metric_kind" {
        NewMembers => "new_members",
        NewInformal => "new_informal",
        NetChange => "net_change",
        NewUnits => "new_units",
        Custom => "custom",
        MeetingsHeld => "meetings_held",
        CommitteesMet => "committees_met",
        DecisionsAdopted => "decisions_adopted",
        ActionItemsDone => "action_items_done",
        EventsHeld => "events_held",
        RecruitedAtEvents => "recruited_at_events",
        CasesResolved => "cases_resolved",
        AidDisbursed => "aid_disbursed",
        SchemeEnrolled => "scheme_enrolled",
        HelpedToApply => "helped_to_apply",
        MembersReferred => "members_referred",
    }
);

impl MetricKind {
    /// The kinds computed from other modules' records (governance), recounted for the
    /// units a write touched: a meeting counts once its minutes are finalized, a
    /// committee once in the month of its first such meeting in the drive, a decision
    /// when adopted (in its meeting's month), an action item when done (in the month it
    /// was done; an item split into parts counts through its parts), an event once its
    /// closing report is filed (in the month it began), a member recruited at an event
    /// in the month the event began, a case in the month it was resolved or closed, at
    /// the desk that keeps it, aid in whole units of the tree's currency on the day it
    /// was paid, at the unit whose budget paid it, members enrolled in the metric's
    /// scheme on the day they were enrolled, members helped to apply to any scheme on
    /// the day they were first helped, members referred to the Party on the day, all at
    /// the member's unit.
    pub const COMPUTED: [MetricKind; 11] = [
        MetricKind::MeetingsHeld,
        MetricKind::CommitteesMet,
        MetricKind::DecisionsAdopted,
        MetricKind::ActionItemsDone,
        MetricKind::EventsHeld,
        MetricKind::RecruitedAtEvents,
        MetricKind::CasesResolved,
        MetricKind::AidDisbursed,
        MetricKind::SchemeEnrolled,
        MetricKind::HelpedToApply,
        MetricKind::MembersReferred,
    ];

    pub fn computed(self) -> bool {
        Self::COMPUTED.contains(&self)
    }

    /// Whether the figures come from membership changes.
    pub fn from_memberships(self) -> bool {
        matches!(
            self,
            MetricKind::NewMembers | MetricKind::NewInformal | MetricKind::NetChange
        )
    }
}

string_enum!(
    /// Where a unit's monthly report stands. Figures count once submitted; a returned
    /// report's figures stop counting until it is filed again.
    ReportStatus, "invalid_report_status" {
        Submitted => "submitted",
        Accepted => "accepted",
        Returned => "returned",
    }
);

impl ReportStatus {
    pub fn counts(self) -> bool {
        !matches!(self, ReportStatus::Returned)
    }
}

string_enum!(
    /// How a unit stands against its target.
    Standing, "invalid_standing" {
        Achieved => "achieved",
        OnTrack => "on_track",
        Behind => "behind",
        AtRisk => "at_risk",
        NoTarget => "no_target",
    }
);

/// The longest drive, in months.
pub const MAX_MONTHS: u32 = 120;

/// The most metrics one drive may have: a drive is read whole on its dashboard, and
/// no campaign counts more than a few dozen things.
pub const MAX_METRICS: usize = 50;

/// A target, or a part of one: a count, so never below zero.
pub fn check_target(t: i64) -> Result<i64, FieldError> {
    if t < 0 {
        Err(FieldError::new("negative"))
    } else if t > 1_000_000_000_000 {
        Err(FieldError::new("out_of_range"))
    } else {
        Ok(t)
    }
}

/// A run of whole months in one calendar: the period of a drive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub calendar: Calendar,
    pub start_year: i32,
    pub start_month: u8,
    pub months: u32,
}

impl Period {
    /// A period from its first and last month, each written `YYYY-MM` in `calendar`
    /// (native digits and `/` accepted). Errors name which end is wrong.
    pub fn parse(
        calendar: Calendar,
        start: &str,
        end: &str,
    ) -> Result<Self, (&'static str, FieldError)> {
        let (sy, sm) = parse_month(start).map_err(|e| ("start_month", e))?;
        let (ey, em) = parse_month(end).map_err(|e| ("end_month", e))?;
        let months = (ey - sy) * 12 + i32::from(em) - i32::from(sm) + 1;
        if months < 1 {
            return Err(("end_month", FieldError::new("end_before_start")));
        }
        if months > MAX_MONTHS as i32 {
            return Err(("end_month", FieldError::new("period_too_long")));
        }
        let period = Self {
            calendar,
            start_year: sy,
            start_month: sm,
            months: months as u32,
        };
        // Both ends must exist as real dates in this calendar.
        period.month_start(0).map_err(|e| ("start_month", e))?;
        period
            .month_start(period.months)
            .map_err(|e| ("end_month", e))?;
        Ok(period)
    }

    /// The calendar year and month of month `i` (0 is the first).
    pub fn month(&self, i: u32) -> (i32, u8) {
        let n = self.start_year * 12 + i32::from(self.start_month) - 1 + i as i32;
        (n.div_euclid(12), (n.rem_euclid(12) + 1) as u8)
    }

    /// `YYYY-MM` of month `i` in the period's calendar, Latin digits.
    pub fn month_key(&self, i: u32) -> String {
        let (y, m) = self.month(i);
        format!("{y:04}-{m:02}")
    }

    /// The first day of month `i` (month `months` is the day after the period).
    pub fn month_start(&self, i: u32) -> Result<Date, FieldError> {
        let (year, month) = self.month(i);
        self.calendar.to_iso(CalendarDate {
            year,
            month,
            day: 1,
        })
    }

    /// The first day of the period and the first day after it.
    pub fn bounds(&self) -> (Date, Date) {
        let start = self.month_start(0).unwrap_or(Date::from_days(0));
        let end = self.month_start(self.months).unwrap_or(start);
        (start, end)
    }

    /// Which month of the period holds `date`, if any.
    pub fn index_of(&self, date: Date) -> Option<u32> {
        let c = self.calendar.from_iso(date)?;
        let n = (c.year - self.start_year) * 12 + i32::from(c.month) - i32::from(self.start_month);
        (0..self.months as i32).contains(&n).then_some(n as u32)
    }

    /// The days of the period and how many of them have begun by `today` (clamped).
    pub fn elapsed_days(&self, today: Date) -> (i64, i64) {
        let (start, end) = self.bounds();
        let total = (end.to_days() - start.to_days()).max(1);
        let done = (today.to_days() - start.to_days() + 1).clamp(0, total);
        (total, done)
    }

    /// Months that have begun by `today`: 0 before the start, `months` after the end.
    pub fn months_begun(&self, today: Date) -> u32 {
        let (start, end) = self.bounds();
        if today < start {
            0
        } else if today >= end {
            self.months
        } else {
            self.index_of(today).map_or(0, |i| i + 1)
        }
    }
}

/// `YYYY-MM` or `YYYY/MM`, native or Latin digits.
fn parse_month(s: &str) -> Result<(i32, u8), FieldError> {
    let bad = FieldError::new("invalid_month");
    let s = crate::names::digits_to_ascii(s.trim());
    let (y, m) = s.split_once(['-', '/']).ok_or(bad.clone())?;
    let year: i32 = y.parse().map_err(|_| bad.clone())?;
    let month: u8 = m.parse().map_err(|_| bad.clone())?;
    if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || y.len() != 4 {
        return Err(bad);
    }
    Ok((year, month))
}

/// Splits `total` among shares in proportion to `weights` so that the parts add up to
/// `total` exactly: each part is the floor of its quota, and the units left over go to
/// the largest remainders (ties to the earlier share). With no weight at all the total
/// is split as evenly as it can be.
pub fn allocate(total: i64, weights: &[i64]) -> Vec<i64> {
    if weights.is_empty() {
        return Vec::new();
    }
    let sign = if total < 0 { -1 } else { 1 };
    let total = i128::from(total.abs());
    let mut w: Vec<i128> = weights.iter().map(|&x| i128::from(x.max(0))).collect();
    if w.iter().all(|&x| x == 0) {
        w.iter_mut().for_each(|x| *x = 1);
    }
    let sum: i128 = w.iter().sum();
    let mut parts: Vec<i128> = w.iter().map(|&x| total * x / sum).collect();
    let mut order: Vec<usize> = (0..w.len()).collect();
    // Remainders compared as fractions of `sum`: total * x mod sum.
    order.sort_by(|&a, &b| {
        ((total * w[b]) % sum)
            .cmp(&((total * w[a]) % sum))
            .then(a.cmp(&b))
    });
    let left = total - parts.iter().sum::<i128>();
    for &i in order.iter().take(left as usize) {
        parts[i] += 1;
    }
    parts.into_iter().map(|p| sign * p as i64).collect()
}

/// A unit's standing on one metric at one moment of the period.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// Figures per month, as far as the period has run.
    pub monthly: Vec<i64>,
    /// Running total per month.
    pub cumulative: Vec<i64>,
    pub actual: i64,
    pub target: Option<i64>,
    /// The target's share due by each month's end, rising evenly (rounded down).
    pub target_by_month: Vec<i64>,
    /// Per cent of the target reached, one decimal.
    pub percent: Option<f64>,
    /// What each remaining month must bring to reach the target (rounded up).
    pub pace_needed: Option<i64>,
    /// Where the period ends if the rate so far holds.
    pub projection: i64,
    pub standing: Standing,
}

/// Of the projection's share of the target, at least this much is "behind" rather than
/// "at risk".
pub const BEHIND_FROM: f64 = 0.85;

impl Progress {
    /// The progress of figures `monthly` (one per month of `period`; months not yet
    /// begun are ignored) against `target`, as of `today`.
    pub fn compute(period: &Period, monthly: &[i64], target: Option<i64>, today: Date) -> Self {
        let begun = period.months_begun(today) as usize;
        let monthly: Vec<i64> = (0..period.months as usize)
            .map(|i| {
                if i < begun {
                    monthly.get(i).copied().unwrap_or(0)
                } else {
                    0
                }
            })
            .collect();
        let cumulative: Vec<i64> = monthly
            .iter()
            .scan(0, |acc, v| {
                *acc += v;
                Some(*acc)
            })
            .collect();
        let actual = cumulative.last().copied().unwrap_or(0);
        let n = i64::from(period.months);
        let target_by_month = match target {
            Some(t) => (1..=n).map(|k| t * k / n).collect(),
            None => Vec::new(),
        };
        let (total_days, done_days) = period.elapsed_days(today);
        let projection = if done_days == 0 {
            0
        } else {
            (actual as f64 * total_days as f64 / done_days as f64).round() as i64
        };
        let remaining = n - begun as i64;
        let (percent, pace_needed, standing) = match target {
            None => (None, None, Standing::NoTarget),
            Some(t) => {
                let percent = (t != 0).then(|| (actual as f64 * 1000.0 / t as f64).round() / 10.0);
                let missing = (t - actual).max(0);
                let pace = if remaining > 0 {
                    (missing + remaining - 1) / remaining
                } else {
                    missing
                };
                let standing = if actual >= t {
                    Standing::Achieved
                } else if done_days == 0 || projection >= t {
                    Standing::OnTrack
                } else if t > 0 && projection as f64 >= BEHIND_FROM * t as f64 {
                    Standing::Behind
                } else {
                    Standing::AtRisk
                };
                (percent, Some(pace), standing)
            }
        };
        Self {
            monthly,
            cumulative,
            actual,
            target,
            target_by_month,
            percent,
            pace_needed,
            projection,
            standing,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse_iso(s).unwrap()
    }

    #[test]
    fn allocation_adds_up_exactly() {
        assert_eq!(allocate(14_600, &[1, 1, 1]), vec![4867, 4867, 4866]);
        assert_eq!(allocate(10, &[5, 3, 2]), vec![5, 3, 2]);
        assert_eq!(allocate(7, &[1, 1, 1, 1]), vec![2, 2, 2, 1]);
        // 22 units among members 340, 260, 150: quotas 9.97, 7.63, 4.4.
        assert_eq!(allocate(22, &[340, 260, 150]), vec![10, 8, 4]);
        assert_eq!(allocate(5, &[0, 0]), vec![3, 2]);
        assert_eq!(allocate(-9, &[2, 1]), vec![-6, -3]);
        for total in [0, 1, 99, 8670, 1_000_003] {
            let parts = allocate(total, &[13, 0, 7, 29, 1]);
            assert_eq!(parts.iter().sum::<i64>(), total);
        }
    }

    #[test]
    fn gregorian_and_solar_hijri_months() {
        let g = Period::parse(Calendar::Gregorian, "2024-01", "2024-12").unwrap();
        assert_eq!(g.months, 12);
        assert_eq!(g.bounds(), (d("2024-01-01"), d("2025-01-01")));
        assert_eq!(g.index_of(d("2024-05-15")), Some(4));
        assert_eq!(g.index_of(d("2023-12-31")), None);
        // 1403 begins on 2024-03-20; Ordibehesht (month 2) on 2024-04-20.
        let p = Period::parse(Calendar::Persian, "۱۴۰۳/۰۱", "1403-06").unwrap();
        assert_eq!(p.bounds(), (d("2024-03-20"), d("2024-09-22")));
        assert_eq!(p.index_of(d("2024-04-19")), Some(0));
        assert_eq!(p.index_of(d("2024-04-20")), Some(1));
        assert_eq!(p.month_key(1), "1403-02");
        let across = Period::parse(Calendar::Persian, "1402-10", "1403-03").unwrap();
        assert_eq!(across.months, 6);
        assert_eq!(across.month(3), (1403, 1));
        assert_eq!(
            Period::parse(Calendar::Gregorian, "2024-05", "2024-04")
                .unwrap_err()
                .1
                .code,
            "end_before_start"
        );
        assert_eq!(
            Period::parse(Calendar::Gregorian, "2024-13", "2024-12")
                .unwrap_err()
                .0,
            "start_month"
        );
    }

    #[test]
    fn progress_pace_and_standing() {
        let p = Period::parse(Calendar::Gregorian, "2024-01", "2024-12").unwrap();
        // Half way through (end of June), 50 of 120: pace needed 70/6 rounded up.
        let today = d("2024-06-30");
        let pr = Progress::compute(&p, &[10, 10, 10, 10, 5, 5, 99], Some(120), today);
        assert_eq!(pr.actual, 50);
        assert_eq!(pr.cumulative[5], 50);
        assert_eq!(pr.monthly[6], 0, "July has not begun");
        assert_eq!(pr.pace_needed, Some(12));
        assert_eq!(pr.percent, Some(41.7));
        assert_eq!(pr.target_by_month[5], 60);
        assert_eq!(pr.projection, 101);
        assert_eq!(pr.standing, Standing::AtRisk);
        let pr = Progress::compute(&p, &[20, 10, 10, 10, 5, 5], Some(120), today);
        assert_eq!(pr.standing, Standing::OnTrack);
        let pr = Progress::compute(&p, &[20, 10, 10, 10, 0, 5], Some(120), today);
        assert_eq!(pr.standing, Standing::Behind);
        let pr = Progress::compute(&p, &[200], Some(120), today);
        assert_eq!(pr.standing, Standing::Achieved);
        assert_eq!(pr.pace_needed, Some(0));
        let pr = Progress::compute(&p, &[3], None, today);
        assert_eq!(pr.standing, Standing::NoTarget);
        // Before the start nothing is late; after the end the whole period counts.
        let pr = Progress::compute(&p, &[3], Some(10), d("2023-06-01"));
        assert_eq!((pr.actual, pr.standing), (0, Standing::OnTrack));
        let pr = Progress::compute(&p, &[3; 12], Some(40), d("2026-01-01"));
        assert_eq!(
            (pr.actual, pr.standing, pr.pace_needed),
            (36, Standing::Behind, Some(4))
        );
    }
}
