//! Members' cases: what kind a case is and the steps it goes through, each with its
//! deadline in days (a grievance's later steps count from the reply to the step
//! before), where a case stands, what was done on it, and who may read its notes.

use crate::{string_enum, Date, FieldError};

string_enum!(
    /// Where a case stands.
    CaseStatus, "invalid_case_status" {
        Open => "open",
        InProgress => "in_progress",
        Waiting => "waiting",
        Resolved => "resolved",
        Closed => "closed",
        Referred => "referred",
    }
);

impl CaseStatus {
    /// Whether the case is done with: its deadlines no longer run.
    pub fn is_done(self) -> bool {
        matches!(self, CaseStatus::Resolved | CaseStatus::Closed)
    }
}

string_enum!(
    /// What was done on a case.
    ActivityKind, "invalid_activity_kind" {
        Note => "note",
        Call => "call",
        Visit => "visit",
        Hearing => "hearing",
        Document => "document",
        Reply => "reply",
    }
);

/// One step of a case type: a short code and the days it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub code: String,
    pub days: i64,
}

/// The steps of a case type as written: `step1:7, step2:10, arbitration:30`.
pub fn parse_steps(text: &str) -> Result<Vec<Step>, FieldError> {
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (code, days) = part
            .split_once(':')
            .ok_or_else(|| FieldError::new("invalid_steps"))?;
        let code = code.trim().to_ascii_lowercase();
        let days: i64 = crate::names::digits_to_ascii(days)
            .trim()
            .parse()
            .map_err(|_| FieldError::new("invalid_steps"))?;
        let ok_code = (1..=40).contains(&code.len())
            && code
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !ok_code || !(1..=365).contains(&days) {
            return Err(FieldError::new("invalid_steps"));
        }
        out.push(Step { code, days });
    }
    if out.is_empty() || out.len() > 12 {
        return Err(FieldError::new("invalid_steps"));
    }
    Ok(out)
}

/// The steps as stored.
pub fn steps_text(steps: &[Step]) -> String {
    steps
        .iter()
        .map(|s| format!("{}:{}", s.code, s.days))
        .collect::<Vec<_>>()
        .join(",")
}

/// When the step `index` is due: its days counted from `from` (the day the case was
/// opened for the first step, the day of the reply that ended the step before for the
/// others). `None` after the last step.
pub fn due_on(steps: &[Step], index: usize, from: Date) -> Option<Date> {
    steps.get(index).map(|s| from.add_days(s.days))
}

/// How a deadline stands on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    Overdue,
    DueSoon,
    OnTime,
}

/// Whether a deadline is passed, within three days, or further.
pub fn urgency(due: Date, today: Date) -> Urgency {
    if due < today {
        Urgency::Overdue
    } else if due.to_days() - today.to_days() <= 3 {
        Urgency::DueSoon
    } else {
        Urgency::OnTime
    }
}

/// Whether someone of `role` may read a case's notes and documents: its assignee, and
/// case workers, officers and admins of the units concerned; never organizers or
/// viewers.
pub fn may_read_notes(role: crate::user::Role, assignee: bool) -> bool {
    assignee || role.may(crate::user::Permission::Casework)
}

/// The largest document a case takes.
pub const MAX_DOCUMENT_BYTES: usize = 5 * 1024 * 1024;

/// The type of a document attached to a case, read from its first bytes (what it says
/// it is does not count): PDF, PNG, JPEG, WebP, or plain text in UTF-8. Anything else,
/// an empty file or one over the size limit is refused.
pub fn document_type(bytes: &[u8]) -> Result<&'static str, FieldError> {
    if bytes.is_empty() {
        return Err(FieldError::new("empty_file"));
    }
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(FieldError::new("file_too_large"));
    }
    let kind = if bytes.starts_with(b"%PDF-") {
        "application/pdf"
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        "image/webp"
    } else if std::str::from_utf8(bytes).is_ok_and(|t| !t.contains('\0')) {
        "text/plain; charset=utf-8"
    } else {
        return Err(FieldError::new("refused_file_type"));
    };
    Ok(kind)
}

/// The case types every tree has, before it adds its own: code and steps.
pub const DEFAULT_TYPES: [(&str, &str); 6] = [
    ("legal_counseling", "counsel:14"),
    ("grievance", "step1:7,step2:10,step3:15,arbitration:30"),
    ("livelihood_aid", "assess:10,decide:10"),
    ("home_repair", "visit:14,decide:14,repair:60"),
    ("accident", "report:3,follow_up:30"),
    ("benefit_help", "apply:30"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::user::Role;

    fn d(s: &str) -> Date {
        Date::parse_iso(s).unwrap()
    }

    #[test]
    fn a_grievance_s_steps_count_from_the_reply_before() {
        let steps = parse_steps("step1:7, step2:10 ,step3:15,arbitration:30").unwrap();
        assert_eq!(steps.len(), 4);
        assert_eq!(due_on(&steps, 0, d("2026-02-20")), Some(d("2026-02-27")));
        // Step 2 starts with the employer's reply on 3 March: ten days from then.
        assert_eq!(due_on(&steps, 1, d("2026-03-03")), Some(d("2026-03-13")));
        assert_eq!(due_on(&steps, 4, d("2026-03-03")), None);
        assert_eq!(
            steps_text(&steps),
            "step1:7,step2:10,step3:15,arbitration:30"
        );
    }

    #[test]
    fn steps_are_refused_when_they_cannot_be_read() {
        for bad in ["", "step1", "step1:0", "step1:x", "a b:3", "s:400"] {
            assert_eq!(parse_steps(bad).unwrap_err().code, "invalid_steps", "{bad}");
        }
        assert_eq!(parse_steps("تماس:۵").unwrap_err().code, "invalid_steps");
        assert_eq!(parse_steps("call:۵").unwrap()[0].days, 5);
        for (_, steps) in DEFAULT_TYPES {
            assert!(parse_steps(steps).is_ok(), "{steps}");
        }
    }

    #[test]
    fn deadlines_are_overdue_due_soon_or_on_time() {
        let today = d("2026-03-10");
        assert_eq!(urgency(d("2026-03-09"), today), Urgency::Overdue);
        assert_eq!(urgency(d("2026-03-13"), today), Urgency::DueSoon);
        assert_eq!(urgency(d("2026-03-14"), today), Urgency::OnTime);
    }

    #[test]
    fn documents_are_known_by_their_first_bytes() {
        assert_eq!(document_type(b"%PDF-1.7 ...").unwrap(), "application/pdf");
        assert_eq!(
            document_type(&[0xFF, 0xD8, 0xFF, 0xE0]).unwrap(),
            "image/jpeg"
        );
        assert_eq!(
            document_type("Biên bản làm việc".as_bytes()).unwrap(),
            "text/plain; charset=utf-8"
        );
        assert_eq!(
            document_type(b"MZ\x90\x00\x03").unwrap_err().code,
            "refused_file_type"
        );
        assert_eq!(document_type(b"").unwrap_err().code, "empty_file");
        let big = vec![b'a'; MAX_DOCUMENT_BYTES + 1];
        assert_eq!(document_type(&big).unwrap_err().code, "file_too_large");
    }

    #[test]
    fn notes_are_for_case_workers_officers_and_the_assignee() {
        assert!(may_read_notes(Role::CaseWorker, false));
        assert!(may_read_notes(Role::Officer, false));
        assert!(!may_read_notes(Role::Organizer, false));
        assert!(!may_read_notes(Role::Viewer, false));
        assert!(may_read_notes(Role::Organizer, true));
    }
}
