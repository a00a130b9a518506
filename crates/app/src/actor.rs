use muster_domain::user::Role;
use muster_store::Scope;

/// Who is acting: a logged-in user, a token's user, or the system itself (CLI, demo).
/// Its scope is the subtree of the unit it is attached to; the only way to obtain a
/// `Scope` for a query is through an actor. Only this crate makes one: from a login,
/// a session, a token, or a [`crate::System`] handle, which only `main` can open.
#[derive(Debug, Clone)]
pub struct Actor {
    pub(crate) user_id: Option<i64>,
    pub(crate) username: String,
    pub(crate) role: Role,
    /// `None` means the whole instance.
    pub(crate) unit_id: Option<i64>,
    pub(crate) locale: String,
    pub(crate) calendar: String,
    /// Empty: the language's own digits.
    pub(crate) digits: String,
}

impl Actor {
    /// The instance itself, for the command line and the demo loader.
    pub(crate) fn system() -> Self {
        Self {
            user_id: None,
            username: "system".into(),
            role: Role::Admin,
            unit_id: None,
            locale: "en".into(),
            calendar: "gregorian".into(),
            digits: String::new(),
        }
    }

    pub(crate) fn scope(&self) -> Scope {
        match self.unit_id {
            None => Scope::All,
            Some(id) => Scope::Subtree(id),
        }
    }

    /// The login's id; `None` for the system.
    pub fn user_id(&self) -> Option<i64> {
        self.user_id
    }

    pub fn username(&self) -> &str {
        &self.username
    }

    pub fn role(&self) -> Role {
        self.role
    }

    /// The unit whose subtree the actor sees; `None` for the whole instance.
    pub fn unit_id(&self) -> Option<i64> {
        self.unit_id
    }

    /// Whether the actor sees the whole instance rather than one unit's subtree.
    pub fn is_instance_wide(&self) -> bool {
        self.unit_id.is_none()
    }

    pub fn locale(&self) -> &str {
        &self.locale
    }

    pub fn calendar(&self) -> &str {
        &self.calendar
    }

    /// Empty: the language's own digits.
    pub fn digits(&self) -> &str {
        &self.digits
    }
}
