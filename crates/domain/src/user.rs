//! Logins: roles and what each may do.

use crate::string_enum;

string_enum!(Role, "invalid_role" {
    Admin => "admin",
    Officer => "officer",
    Organizer => "organizer",
    CaseWorker => "case_worker",
    Viewer => "viewer",
});

/// What a use case needs the actor's role to allow. Every write names one; the table
/// of who holds which is [`Role::may`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Creating, editing and moving units, managing logins, declaring drives and setting
    /// their targets, reviewing reports, the organization's weights.
    ManageUnits,
    /// Registering people, changing memberships, recording workplaces, assessments and
    /// monthly reports, importing.
    EditRegistry,
    /// Merging two records of one person or declaring them different people: it rewrites
    /// a person's history, so it is an officer's act.
    MergeMembers,
    /// Reading sensitive fields (national ids) and matching on them.
    ReadSensitive,
    /// Keeping a unit's committees and their rosters (and, as they come, meetings and
    /// decisions): an officer's act.
    Govern,
    /// Keeping members' cases: opening them, recording what was done, reading their
    /// notes. Case workers, officers and admins; never organizers or viewers.
    Casework,
    /// Approving or turning down aid within the limit of one's unit's level, and
    /// keeping units' aid budgets: an officer's act.
    ApproveAid,
    /// Taking what one reads away as a file: every role that reads may, and a large file
    /// is made by a job, which is a write of its own.
    Export,
}

impl Role {
    /// Whether this role holds `permission`.
    pub fn may(self, permission: Permission) -> bool {
        use Permission::*;
        match permission {
            ManageUnits | MergeMembers | Govern | ApproveAid => {
                matches!(self, Role::Admin | Role::Officer)
            }
            EditRegistry | ReadSensitive => {
                matches!(self, Role::Admin | Role::Officer | Role::Organizer)
            }
            Export => true,
            Casework => matches!(self, Role::Admin | Role::Officer | Role::CaseWorker),
        }
    }

    /// Creating, editing and moving units, and managing users.
    pub fn manages_units(self) -> bool {
        self.may(Permission::ManageUnits)
    }

    /// Registering people, changing memberships, recording workplaces.
    pub fn edits_registry(self) -> bool {
        self.may(Permission::EditRegistry)
    }

    /// The rank that decides who may change whose login: a role may change only logins
    /// of a lower rank (an admin any but another admin of a wider scope).
    pub fn rank(self) -> u8 {
        match self {
            Role::Admin => 4,
            Role::Officer => 3,
            Role::Organizer | Role::CaseWorker => 2,
            Role::Viewer => 1,
        }
    }
}

/// Where a login is attached, seen from the one who would change it: at the same unit,
/// or at a unit below theirs (a login elsewhere is out of their sight altogether).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    SameUnit,
    Below,
}

/// Whether a login of role `own` may give a login of role `theirs`, standing as given,
/// the role `new`. Nobody raises a login above their own role; a login at one's own
/// unit can be changed only when it ranks below one's own, so officers of a unit cannot
/// demote each other (nor the tree's top officer); that takes someone above them.
pub fn may_change_login(
    own: Role,
    standing: Standing,
    theirs: Role,
    new: Role,
) -> Result<(), crate::FieldError> {
    if new.rank() > own.rank() || theirs.rank() > own.rank() {
        return Err(crate::FieldError::new("role_above_own"));
    }
    if standing == Standing::SameUnit && theirs.rank() >= own.rank() {
        return Err(crate::FieldError::new("peer_login"));
    }
    Ok(())
}

/// Failed logins in a streak that cost nothing: typing a password wrong thrice.
pub const FREE_LOGIN_FAILURES: i64 = 3;
/// The longest wait a streak of failed logins asks for, in seconds.
pub const MAX_LOGIN_DELAY_SECS: i64 = 15 * 60;
/// A streak of failed logins ends this long after its last failure.
pub const LOGIN_STREAK_SECS: i64 = 60 * 60;

/// How long to wait, in seconds, before the next attempt after `failures` failed ones
/// in a row from one address for one username: nothing for the first few, then a delay
/// that doubles with each failure, up to a quarter of an hour.
pub fn login_delay(failures: i64) -> i64 {
    if failures <= FREE_LOGIN_FAILURES {
        return 0;
    }
    let doublings = (failures - FREE_LOGIN_FAILURES - 1).min(20) as u32;
    (1i64 << doublings)
        .saturating_mul(2)
        .min(MAX_LOGIN_DELAY_SECS)
}

/// The source a login attempt is counted under: an IPv4 address as it is, an IPv6
/// address by its /64 network (one subscriber's or one host's addresses, of which it
/// has billions to rotate through), anything else (`local`) as given.
pub fn login_source(source: &str) -> String {
    match source.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(v4)) => v4.to_string(),
        Ok(std::net::IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                let net = std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
                format!("{net}/64")
            }
        },
        Err(_) => source.to_string(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempts_from_one_ipv6_network_count_as_one_source() {
        assert_eq!(login_source("203.0.113.7"), "203.0.113.7");
        assert_eq!(login_source("::ffff:203.0.113.7"), "203.0.113.7");
        assert_eq!(login_source("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(
            login_source("2001:db8:1:2:ffff:ffff:ffff:ffff"),
            login_source("2001:db8:1:2::9")
        );
        assert_ne!(
            login_source("2001:db8:1:3::1"),
            login_source("2001:db8:1:2::1")
        );
        assert_eq!(login_source("local"), "local");
    }

    #[test]
    fn failed_logins_wait_longer_and_longer() {
        let waits: Vec<i64> = (1..=14).map(login_delay).collect();
        assert_eq!(
            waits,
            [0, 0, 0, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]
        );
        assert_eq!(login_delay(1_000_000), MAX_LOGIN_DELAY_SECS);
    }

    #[test]
    fn who_may_change_whom() {
        use Role::*;
        use Standing::*;
        let code = |r: Result<(), crate::FieldError>| r.err().map(|e| e.code);
        // An officer changes an organizer of their own unit, and officers below them.
        assert_eq!(
            code(may_change_login(Officer, SameUnit, Organizer, Viewer)),
            None
        );
        assert_eq!(
            code(may_change_login(Officer, Below, Officer, Viewer)),
            None
        );
        // Not a peer officer of their own unit (the tree's top officer included).
        assert_eq!(
            code(may_change_login(Officer, SameUnit, Officer, Viewer)),
            Some("peer_login")
        );
        // Nobody raises a login above their own role or touches one above it.
        assert_eq!(
            code(may_change_login(Officer, Below, Organizer, Admin)),
            Some("role_above_own")
        );
        assert_eq!(
            code(may_change_login(Officer, Below, Admin, Viewer)),
            Some("role_above_own")
        );
        // An admin changes an officer at their unit, not another admin there.
        assert_eq!(
            code(may_change_login(Admin, SameUnit, Officer, Viewer)),
            None
        );
        assert_eq!(
            code(may_change_login(Admin, SameUnit, Admin, Viewer)),
            Some("peer_login")
        );
    }
}
