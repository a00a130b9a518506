//! Courses: skills courses for workers and training camps for cadres, their sessions
//! within the course's days, and what completing one asks: a share of its sessions
//! attended and, when the course is assessed, a passed assessment.

use crate::{string_enum, Date, FieldError};

string_enum!(
    /// What a course is for.
    CourseKind, "invalid_course_kind" {
        Skills => "skills",
        Cadre => "cadre",
    }
);

string_enum!(
    /// How a trainee did in the course's assessment.
    Assessment, "invalid_assessment" {
        Passed => "passed",
        Failed => "failed",
    }
);

/// The share of sessions, in percent, a course asks to have attended: 1 to 100.
pub fn check_min_attendance(percent: i64) -> Result<i64, FieldError> {
    if (1..=100).contains(&percent) {
        Ok(percent)
    } else {
        Err(FieldError::new("out_of_range"))
    }
}

/// A session's day: one of the course's days.
pub fn check_session_day(day: Date, starts: Date, ends: Date) -> Result<(), FieldError> {
    if day < starts || day > ends {
        Err(FieldError::new("session_outside_course"))
    } else {
        Ok(())
    }
}

/// Whether a trainee who attended `attended` of `sessions` sessions, with
/// `assessment` when the course is `assessed`, completed it.
pub fn completed(
    sessions: i64,
    attended: i64,
    min_percent: i64,
    assessed: bool,
    assessment: Option<Assessment>,
) -> bool {
    sessions > 0
        && attended * 100 >= min_percent * sessions
        && (!assessed || assessment == Some(Assessment::Passed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completion_asks_attendance_and_a_passed_assessment() {
        // Four sessions, 75 %: three will do, two will not.
        assert!(completed(4, 3, 75, false, None));
        assert!(!completed(4, 2, 75, false, None));
        // An assessed course also asks a pass.
        assert!(!completed(4, 4, 75, true, None));
        assert!(!completed(4, 4, 75, true, Some(Assessment::Failed)));
        assert!(completed(4, 3, 75, true, Some(Assessment::Passed)));
        // A course without sessions is completed by nobody.
        assert!(!completed(0, 0, 50, false, None));
        let d = |s| Date::parse_iso(s).unwrap();
        assert!(check_session_day(d("2026-05-02"), d("2026-05-01"), d("2026-05-03")).is_ok());
        assert_eq!(
            check_session_day(d("2026-05-04"), d("2026-05-01"), d("2026-05-03"))
                .unwrap_err()
                .code,
            "session_outside_course"
        );
        assert!(check_min_attendance(0).is_err() && check_min_attendance(80).is_ok());
    }
}
