//! People and memberships: statuses and their lifecycle, employment, member numbers.

use crate::{names, string_enum, FieldError};

string_enum!(
    /// Where a membership stands. `Transferred` is set only by a transfer, which closes
    /// one membership and opens the next.
    Status, "invalid_status" {
        Applicant => "applicant",
        Active => "active",
        Lapsed => "lapsed",
        Suspended => "suspended",
        Resigned => "resigned",
        Expelled => "expelled",
        Deceased => "deceased",
        Transferred => "transferred",
    }
);

impl Status {
    /// Whether a membership in this status counts as an active member.
    pub fn is_active(self) -> bool {
        self == Status::Active
    }

    /// Statuses that end a membership: its `left_on` date is set.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            Status::Resigned | Status::Expelled | Status::Deceased | Status::Transferred
        )
    }

    /// The lifecycle: which status may follow which by a status change.
    pub fn can_become(self, next: Status) -> bool {
        use Status::*;
        match self {
            Applicant => matches!(next, Active | Resigned),
            Active => matches!(next, Lapsed | Suspended | Resigned | Expelled | Deceased),
            Lapsed | Suspended => matches!(next, Active | Resigned | Expelled | Deceased),
            Resigned => next == Active,
            Expelled | Deceased | Transferred => false,
        }
    }
}

string_enum!(EmploymentType, "invalid_employment_type" {
    Formal => "formal",
    Informal => "informal",
});

string_enum!(
    /// The kind of informal work, asked of informal workers only.
    InformalCategory, "invalid_informal_category" {
        DailyWage => "daily_wage",
        Domestic => "domestic",
        Sanitation => "sanitation",
        Construction => "construction",
        Platform => "platform",
        Agriculture => "agriculture",
        StreetVending => "street_vending",
        Other => "other",
    }
);

string_enum!(Gender, "invalid_gender" {
    Female => "female",
    Male => "male",
    Other => "other",
});

/// Checks that an informal category is given only with informal employment.
pub fn check_employment(
    employment: Option<EmploymentType>,
    category: Option<InformalCategory>,
) -> Result<(), FieldError> {
    match (employment, category) {
        (Some(EmploymentType::Informal), _) | (_, None) => Ok(()),
        _ => Err(FieldError::new("category_needs_informal")),
    }
}

/// A member number, unique within its tree: letters, digits, `-`, `/` and `.`,
/// 1 to 32 characters. Native digits are accepted and stored as ASCII.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MemberNumber(String);

impl MemberNumber {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let s = names::digits_to_ascii(s.trim()).to_ascii_uppercase();
        let ok = (1..=32).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'/' | b'.'));
        if ok {
            Ok(Self(s))
        } else {
            Err(FieldError::new("invalid_member_number"))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A phone number as typed, checked loosely (7 to 15 digits, `+`, spaces, dashes,
/// parentheses); native digits become ASCII.
pub fn parse_phone(s: &str) -> Result<String, FieldError> {
    let s = names::digits_to_ascii(s.trim());
    let digits = s.bytes().filter(u8::is_ascii_digit).count();
    let ok = (7..=15).contains(&digits)
        && s.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b' ' | b'-' | b'(' | b')'));
    if ok {
        Ok(s)
    } else {
        Err(FieldError::new("invalid_phone"))
    }
}

/// The digits of a phone number, the form it is searched by.
pub fn phone_digits(s: &str) -> String {
    names::digits_to_ascii(s)
        .chars()
        .filter(char::is_ascii_digit)
        .collect()
}

/// An e-mail address, checked for the shape `local@domain.tld`.
pub fn parse_email(s: &str) -> Result<String, FieldError> {
    let s = s.trim();
    let ok = s.len() <= 254
        && !s.contains(char::is_whitespace)
        && s.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if ok {
        Ok(s.to_string())
    } else {
        Err(FieldError::new("invalid_email"))
    }
}

/// An ISCO-08 occupation or ISIC Rev.4 sector code: letters and digits, up to 8.
pub fn parse_code(s: &str) -> Result<String, FieldError> {
    let s = s.trim().to_ascii_uppercase();
    if (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(s)
    } else {
        Err(FieldError::new("invalid_code"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifecycle_allows_only_real_transitions() {
        assert!(Status::Applicant.can_become(Status::Active));
        assert!(Status::Active.can_become(Status::Lapsed));
        assert!(Status::Lapsed.can_become(Status::Active));
        assert!(!Status::Deceased.can_become(Status::Active));
        assert!(!Status::Active.can_become(Status::Transferred));
        assert!(!Status::Applicant.can_become(Status::Expelled));
    }

    #[test]
    fn member_numbers_accept_native_digits() {
        assert_eq!(MemberNumber::parse("۱۲۳-الف").ok(), None);
        assert_eq!(
            MemberNumber::parse(" bt-۰۰۴۲ ").unwrap().as_str(),
            "BT-0042"
        );
        assert!(MemberNumber::parse("").is_err());
    }

    #[test]
    fn phones_and_emails() {
        assert_eq!(parse_phone("۰۹۱۲ ۳۴۵ ۶۷۸۹").unwrap(), "0912 345 6789");
        assert_eq!(phone_digits("+84 912-345-678"), "84912345678");
        assert!(parse_phone("12ab").is_err());
        assert!(parse_email("a@b.vn").is_ok());
        assert!(parse_email("a@b").is_err());
    }

    #[test]
    fn informal_category_needs_informal_work() {
        assert!(check_employment(
            Some(EmploymentType::Informal),
            Some(InformalCategory::Domestic)
        )
        .is_ok());
        assert!(check_employment(
            Some(EmploymentType::Formal),
            Some(InformalCategory::Domestic)
        )
        .is_err());
    }
}
