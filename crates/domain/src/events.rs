//! Programs and events: what an event is, who comes in what role, where each person
//! stands (registered, waitlisted, confirmed, attended...), when a place frees for the
//! first waitlisted person, and which days a check-in may be for.

use crate::{string_enum, Date, FieldError};

string_enum!(
    /// What kind of event it is.
    EventKind, "invalid_event_kind" {
        Conference => "conference",
        Ceremony => "ceremony",
        Memorial => "memorial",
        Visit => "visit",
        Competition => "competition",
        ServiceDesk => "service_desk",
        TrainingCamp => "training_camp",
        March => "march",
        Sports => "sports",
        Cultural => "cultural",
        Awareness => "awareness",
        Other => "other",
    }
);

string_enum!(
    /// Who may come: members of the organizing unit's tree, people invited, anyone.
    Audience, "invalid_audience" {
        Members => "members",
        Invited => "invited",
        Open => "open",
    }
);

string_enum!(
    /// What a person comes as.
    Role, "invalid_role" {
        Participant => "participant",
        Speaker => "speaker",
        Honoree => "honoree",
        Volunteer => "volunteer",
        Guest => "guest",
    }
);

string_enum!(
    /// Where a participant stands.
    ParticipantStatus, "invalid_participant_status" {
        Registered => "registered",
        Waitlisted => "waitlisted",
        Confirmed => "confirmed",
        Attended => "attended",
        NoShow => "no_show",
        Cancelled => "cancelled",
    }
);

impl ParticipantStatus {
    /// Whether the person holds one of the event's places.
    pub fn holds_place(self) -> bool {
        matches!(
            self,
            ParticipantStatus::Registered
                | ParticipantStatus::Confirmed
                | ParticipantStatus::Attended
        )
    }
}

/// Where a new registration stands: a place while the event has one free, else the
/// waitlist. Speakers, honorees, volunteers and guests are never waitlisted: the
/// organizers asked them.
pub fn on_register(role: Role, capacity: Option<i64>, holding: i64) -> ParticipantStatus {
    match capacity {
        Some(c) if role == Role::Participant && holding >= c => ParticipantStatus::Waitlisted,
        _ => ParticipantStatus::Registered,
    }
}

/// Whether a registration may be taken on `today`: within the window when one is set.
pub fn check_window(
    today: Date,
    opens: Option<Date>,
    closes: Option<Date>,
) -> Result<(), FieldError> {
    if opens.is_some_and(|o| today < o) {
        Err(FieldError::new("registration_not_open"))
    } else if closes.is_some_and(|c| today > c) {
        Err(FieldError::new("registration_closed"))
    } else {
        Ok(())
    }
}

/// Whether someone outside the registry may come as `role`: to an event for members
/// only, just the people the organizers ask (speakers, honorees, volunteers, guests).
pub fn outsider_may_come(audience: Audience, role: Role) -> bool {
    audience != Audience::Members || role != Role::Participant
}

/// How many waitlisted people move up once `holding` people hold places of `capacity`.
pub fn places_free(capacity: Option<i64>, holding: i64) -> i64 {
    capacity.map_or(i64::MAX, |c| (c - holding).max(0))
}

/// The program figures a person's first check-in at an event adds one to: everyone
/// `came`; a registry member who was one before the event is among `members`; a woman
/// among `women`. Later days and second check-ins add nothing.
pub fn first_check_in_figures(member: bool, recruited: bool, woman: bool) -> Vec<&'static str> {
    let mut out = vec!["came"];
    if member && !recruited {
        out.push("members");
    }
    if woman {
        out.push("women");
    }
    out
}

/// The longest event, in days.
pub const MAX_DAYS: i64 = 60;

/// Checks an event's first and last day (and, for an event of a program, that it falls
/// within the program's days): the field at fault and why.
pub fn check_days(
    starts: Date,
    ends: Date,
    program: Option<(Date, Date)>,
) -> Result<(), (&'static str, FieldError)> {
    if ends < starts {
        return Err(("ends_on", FieldError::new("end_before_start")));
    }
    if ends.to_days() - starts.to_days() + 1 > MAX_DAYS {
        return Err(("ends_on", FieldError::new("period_too_long")));
    }
    if let Some((from, to)) = program {
        if starts < from || starts > to {
            return Err(("starts_on", FieldError::new("outside_program")));
        }
        if ends > to {
            return Err(("ends_on", FieldError::new("outside_program")));
        }
    }
    Ok(())
}

/// A capacity: at least one place, and no fewer than the people who already hold one.
pub fn check_capacity(capacity: i64, holding: i64) -> Result<i64, FieldError> {
    if !(1..=1_000_000).contains(&capacity) {
        Err(FieldError::new("out_of_range"))
    } else if capacity < holding {
        Err(FieldError::new("below_confirmed"))
    } else {
        Ok(capacity)
    }
}

/// Whether a check-in may be for `day`: one of the event's days.
pub fn check_day(day: Date, starts: Date, ends: Date) -> Result<Date, FieldError> {
    if day < starts || day > ends {
        Err(FieldError::new("not_an_event_day"))
    } else {
        Ok(day)
    }
}

/// A session of an event: on one of its days, from a time to a later one (`HH:MM`, 24
/// hours, in any digits). Answers the times as stored; the field at fault and why.
pub fn check_session(
    day: Date,
    from: &str,
    to: Option<&str>,
    starts: Date,
    ends: Date,
) -> Result<(String, Option<String>), (&'static str, FieldError)> {
    check_day(day, starts, ends).map_err(|_| ("day", FieldError::new("outside_event")))?;
    let time = |t: &str, field: &'static str| {
        crate::governance::meeting_start(day, Some(t))
            .map(|s| s[11..].to_string())
            .map_err(|e| (field, e))
    };
    if from.trim().is_empty() {
        return Err(("starts_at", FieldError::new("required")));
    }
    let from = time(from, "starts_at")?;
    let to = match to.map(str::trim).filter(|t| !t.is_empty()) {
        None => None,
        Some(t) => {
            let t = time(t, "ends_at")?;
            if t <= from {
                return Err(("ends_at", FieldError::new("end_before_start")));
            }
            Some(t)
        }
    };
    Ok((from, to))
}

/// The most sessions an event has.
pub const MAX_SESSIONS: usize = 200;

/// A ticket code as printed under its QR: 20 characters of Crockford's base 32 taken
/// from random bytes, so it says nothing about whose it is and cannot be guessed.
pub fn ticket_code(random: &[u8; 13]) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut bits: u128 = 0;
    for b in random {
        bits = (bits << 8) | u128::from(*b);
    }
    (0..20)
        .map(|i| ALPHABET[((bits >> (i * 5)) & 31) as usize] as char)
        .collect()
}

/// A ticket code as typed or scanned: letters upper-cased, the look-alikes Crockford
/// reads as digits (O, I, L) taken as them, spaces and dashes dropped; `None` when it
/// cannot be one.
pub fn parse_ticket(s: &str) -> Option<String> {
    let code: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect();
    (code.len() == 20
        && code
            .chars()
            .all(|c| c.is_ascii_digit() || (c.is_ascii_uppercase() && c != 'U')))
    .then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse_iso(s).unwrap()
    }

    #[test]
    fn a_first_check_in_counts_a_member_before_the_event_and_women() {
        assert_eq!(first_check_in_figures(false, false, false), vec!["came"]);
        assert_eq!(
            first_check_in_figures(true, false, true),
            vec!["came", "members", "women"]
        );
        // Recruited at the event: counted as recruited, not as a member who came.
        assert_eq!(first_check_in_figures(true, true, false), vec!["came"]);
    }

    #[test]
    fn sessions_fall_on_the_event_s_days_and_end_after_they_start() {
        let (a, b) = (d("2026-04-22"), d("2026-04-24"));
        assert_eq!(
            check_session(d("2026-04-23"), "۰۹:۳۰", Some("11:00"), a, b).unwrap(),
            ("09:30".to_string(), Some("11:00".to_string()))
        );
        assert_eq!(
            check_session(d("2026-04-23"), "14:00", None, a, b).unwrap(),
            ("14:00".to_string(), None)
        );
        let err = |day, from, to| check_session(d(day), from, to, a, b).unwrap_err();
        assert_eq!(err("2026-04-25", "09:00", None).0, "day");
        assert_eq!(err("2026-04-25", "09:00", None).1.code, "outside_event");
        assert_eq!(err("2026-04-22", "", None).1.code, "required");
        assert_eq!(err("2026-04-22", "25:00", None).1.code, "invalid_time");
        let late = err("2026-04-22", "10:00", Some("09:00"));
        assert_eq!((late.0, late.1.code), ("ends_at", "end_before_start"));
    }

    #[test]
    fn a_full_event_waitlists_participants_but_not_speakers() {
        assert_eq!(
            on_register(Role::Participant, Some(2), 1),
            ParticipantStatus::Registered
        );
        assert_eq!(
            on_register(Role::Participant, Some(2), 2),
            ParticipantStatus::Waitlisted
        );
        assert_eq!(
            on_register(Role::Speaker, Some(2), 2),
            ParticipantStatus::Registered
        );
        assert_eq!(
            on_register(Role::Participant, None, 500),
            ParticipantStatus::Registered
        );
        assert_eq!(places_free(Some(3), 2), 1);
        assert_eq!(places_free(Some(3), 5), 0);
    }

    #[test]
    fn an_event_lies_within_its_program() {
        let week = Some((d("2022-04-22"), d("2022-05-01")));
        assert!(check_days(d("2022-04-23"), d("2022-04-24"), week).is_ok());
        assert_eq!(
            check_days(d("2022-04-23"), d("2022-04-22"), week)
                .unwrap_err()
                .0,
            "ends_on"
        );
        assert_eq!(
            check_days(d("2022-04-20"), d("2022-04-24"), week)
                .unwrap_err()
                .0,
            "starts_on"
        );
        let e = check_days(d("2022-04-30"), d("2022-05-02"), week).unwrap_err();
        assert_eq!((e.0, e.1.code), ("ends_on", "outside_program"));
        assert_eq!(check_capacity(10, 12).unwrap_err().code, "below_confirmed");
    }

    #[test]
    fn registration_keeps_its_window_and_audience() {
        let (o, c) = (Some(d("2022-04-01")), Some(d("2022-04-20")));
        assert!(check_window(d("2022-04-10"), o, c).is_ok());
        assert_eq!(
            check_window(d("2022-03-31"), o, c).unwrap_err().code,
            "registration_not_open"
        );
        assert_eq!(
            check_window(d("2022-04-21"), o, c).unwrap_err().code,
            "registration_closed"
        );
        assert!(check_window(d("2030-01-01"), None, None).is_ok());
        assert!(!outsider_may_come(Audience::Members, Role::Participant));
        assert!(outsider_may_come(Audience::Members, Role::Guest));
        assert!(outsider_may_come(Audience::Open, Role::Participant));
    }

    #[test]
    fn tickets_are_random_codes_read_back_as_typed() {
        let code = ticket_code(&[7; 13]);
        assert_eq!(code.len(), 20);
        assert_ne!(code, ticket_code(&[8; 13]));
        let typed = format!(
            " {}-{} ",
            code[..10].to_lowercase(),
            code[10..].to_lowercase()
        );
        assert_eq!(parse_ticket(&typed), Some(code));
        assert_eq!(parse_ticket("NOT A TICKET"), None);
        assert_eq!(parse_ticket("0123456789ABCDEFGHJU"), None);
    }
}
