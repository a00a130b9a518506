//! Governance: committees of a unit, who sits on them and for how long, and when a
//! meeting of one is quorate.

use crate::{string_enum, Date, FieldError};

string_enum!(
    /// What a committee is: a unit's executive, a steering committee over a campaign
    /// with its support team, a working group, or one formed with outside bodies.
    CommitteeKind, "invalid_committee_kind" {
        Executive => "executive",
        Steering => "steering",
        SupportTeam => "support_team",
        WorkingGroup => "working_group",
        JointWorkingGroup => "joint_working_group",
    }
);

string_enum!(
    /// How often a committee is to meet.
    Cadence, "invalid_cadence" {
        Monthly => "monthly",
        Quarterly => "quarterly",
        AsNeeded => "as_needed",
    }
);

impl Cadence {
    /// Meetings a committee of this cadence owes in a quarter.
    pub fn per_quarter(self) -> i64 {
        match self {
            Cadence::Monthly => 3,
            Cadence::Quarterly => 1,
            Cadence::AsNeeded => 0,
        }
    }
}

string_enum!(
    /// A seat's position, highest first.
    Position, "invalid_position" {
        Chair => "chair",
        ViceChair => "vice_chair",
        Secretary => "secretary",
        StandingMember => "standing_member",
        Member => "member",
    }
);

string_enum!(
    /// Whether a member of the roster came to a meeting. One represented by someone
    /// they named counts toward the quorum, as a proxy does.
    Presence, "invalid_presence" {
        Present => "present",
        Represented => "represented",
        Excused => "excused",
        Absent => "absent",
    }
);

impl Presence {
    /// Counts toward the quorum.
    pub fn counts(self) -> bool {
        matches!(self, Presence::Present | Presence::Represented)
    }
}

/// The longest an agenda item is planned to take, in minutes.
pub const MAX_ITEM_MINUTES: i64 = 600;
/// Items an agenda holds at most (sub-items included).
pub const MAX_AGENDA_ITEMS: usize = 100;

/// A meeting's start as typed: a day and an optional `HH:MM` (24 hours), stored as
/// `2022-04-11T10:00`.
pub fn meeting_start(day: Date, time: Option<&str>) -> Result<String, FieldError> {
    let time = time
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or("00:00");
    let digits = crate::names::digits_to_ascii(time);
    let (h, m) = digits
        .split_once(':')
        .ok_or_else(|| FieldError::new("invalid_time"))?;
    let (h, m): (u32, u32) = match (h.trim().parse(), m.trim().parse()) {
        (Ok(h), Ok(m)) if h < 24 && m < 60 => (h, m),
        _ => return Err(FieldError::new("invalid_time")),
    };
    Ok(format!("{day}T{h:02}:{m:02}"))
}

string_enum!(
    /// What a committee decided on a motion.
    Outcome, "invalid_outcome" {
        Adopted => "adopted",
        Rejected => "rejected",
        Deferred => "deferred",
    }
);

string_enum!(
    /// Where an action item stands.
    ActionStatus, "invalid_action_status" {
        Open => "open",
        InProgress => "in_progress",
        Done => "done",
        Cancelled => "cancelled",
    }
);

impl ActionStatus {
    /// Still to be done.
    pub fn is_pending(self) -> bool {
        matches!(self, ActionStatus::Open | ActionStatus::InProgress)
    }
}

/// Checks a vote's counts against the members with a vote: none negative, together
/// not more than the roster. `None` of all three is a decision by consensus.
pub fn check_votes(
    for_: Option<i64>,
    against: Option<i64>,
    abstain: Option<i64>,
    voting: i64,
) -> Result<(), (&'static str, FieldError)> {
    for (field, n) in [
        ("votes_for", for_),
        ("votes_against", against),
        ("votes_abstain", abstain),
    ] {
        if n.is_some_and(|n| n < 0) {
            return Err((field, FieldError::new("negative")));
        }
    }
    let total = for_.unwrap_or(0) + against.unwrap_or(0) + abstain.unwrap_or(0);
    if total > voting {
        return Err(("votes_for", FieldError::new("more_votes_than_members")));
    }
    Ok(())
}

/// The share of items done among those not cancelled, in per cent (`None`: nothing to
/// do).
pub fn share_done(done: i64, counted: i64) -> Option<f64> {
    (counted > 0).then(|| done as f64 * 100.0 / counted as f64)
}

/// The share of the members with a vote that must be present, in per cent: a meeting is
/// quorate when *more than* this share is there. Most statutes say "more than half".
pub const DEFAULT_QUORUM_PERCENT: i64 = 50;

/// Checks a quorum share: 1 to 99 per cent (100 would ask for more than everyone).
pub fn check_quorum(percent: i64) -> Result<i64, FieldError> {
    if (1..=99).contains(&percent) {
        Ok(percent)
    } else {
        Err(FieldError::new("out_of_range"))
    }
}

/// Whether `present` of `voting` members with a vote make a quorum under `percent`:
/// strictly more than the share. A committee without voting members has none.
pub fn quorate(present: i64, voting: i64, percent: i64) -> bool {
    voting > 0 && present * 100 > voting * percent
}

/// The fewest members with a vote present that make a quorum.
pub fn quorum_needed(voting: i64, percent: i64) -> i64 {
    if voting <= 0 {
        return 0;
    }
    voting * percent / 100 + 1
}

/// A term or a seat's span: from a day, until a day or open. The end may not come
/// before the start.
pub fn check_span(from: Date, until: Option<Date>) -> Result<(), FieldError> {
    match until {
        Some(u) if u < from => Err(FieldError::new("ends_before_start")),
        _ => Ok(()),
    }
}

/// Whether a seat held from `from` until `until` (open when `None`, the last day
/// included) is held on `day`.
pub fn holds_on(from: Date, until: Option<Date>, day: Date) -> bool {
    from <= day && until.is_none_or(|u| day <= u)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse_iso(s).unwrap()
    }

    #[test]
    fn more_than_half_of_twelve_is_seven() {
        assert!(!quorate(6, 12, 50));
        assert!(quorate(7, 12, 50));
        assert_eq!(quorum_needed(12, 50), 7);
        assert_eq!(quorum_needed(8, 50), 5);
        // More than 67 per cent of nine: seven.
        assert!(!quorate(6, 9, 67));
        assert!(quorate(7, 9, 67));
        assert!(!quorate(0, 0, 50));
        assert_eq!(check_quorum(100).unwrap_err().code, "out_of_range");
        assert_eq!(check_quorum(50), Ok(50));
    }

    #[test]
    fn a_meeting_starts_on_a_day_at_a_time() {
        let day = d("2022-04-11");
        assert_eq!(
            meeting_start(day, Some("9:30")).unwrap(),
            "2022-04-11T09:30"
        );
        assert_eq!(
            meeting_start(day, Some("۱۰:۰۰")).unwrap(),
            "2022-04-11T10:00"
        );
        assert_eq!(meeting_start(day, None).unwrap(), "2022-04-11T00:00");
        assert!(meeting_start(day, Some("25:00")).is_err());
        assert!(meeting_start(day, Some("noon")).is_err());
        assert!(Presence::Represented.counts() && !Presence::Excused.counts());
    }

    #[test]
    fn votes_fit_the_roster() {
        assert!(check_votes(Some(7), Some(2), Some(1), 12).is_ok());
        assert_eq!(
            check_votes(Some(10), Some(3), None, 12).unwrap_err().1.code,
            "more_votes_than_members"
        );
        assert_eq!(
            check_votes(Some(-1), None, None, 12).unwrap_err().0,
            "votes_for"
        );
        assert!(check_votes(None, None, None, 0).is_ok());
        assert_eq!(share_done(1, 2), Some(50.0));
        assert_eq!(share_done(0, 0), None);
        assert!(ActionStatus::InProgress.is_pending() && !ActionStatus::Cancelled.is_pending());
    }

    #[test]
    fn spans_end_after_they_start() {
        assert!(check_span(d("2024-01-01"), Some(d("2023-12-31"))).is_err());
        assert!(check_span(d("2024-01-01"), Some(d("2024-01-01"))).is_ok());
        assert!(holds_on(
            d("2024-01-01"),
            Some(d("2024-06-30")),
            d("2024-06-30")
        ));
        assert!(!holds_on(
            d("2024-01-01"),
            Some(d("2024-06-30")),
            d("2024-07-01")
        ));
        assert!(holds_on(d("2024-01-01"), None, d("2030-01-01")));
        assert_eq!(Cadence::parse("quarterly"), Ok(Cadence::Quarterly));
        assert_eq!(Cadence::Monthly.per_quarter(), 3);
        assert!(CommitteeKind::parse("jury").is_err());
    }
}
