//! Logins: roles and what each may do.

use crate::string_enum;

string_enum!(Role, "invalid_role" {
    Admin => "admin",
    Officer => "officer",
    Organizer => "organizer",
    CaseWorker => "case_worker",
    Viewer => "viewer",
});

impl Role {
    /// Creating, editing and moving units, and managing users.
    pub fn manages_units(self) -> bool {
        matches!(self, Role::Admin | Role::Officer)
    }

    /// Registering people, changing memberships, recording workplaces.
    pub fn edits_registry(self) -> bool {
        matches!(self, Role::Admin | Role::Officer | Role::Organizer)
    }
}

/// A username: 3 to 64 characters of ASCII letters, digits, `.`, `_` and `-`.
pub fn parse_username(s: &str) -> Result<String, crate::FieldError> {
    let s = s.trim();
    if (3..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
    {
        Ok(s.to_ascii_lowercase())
    } else {
        Err(crate::FieldError::new("invalid_username"))
    }
}
