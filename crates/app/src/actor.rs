use muster_domain::user::Role;
use muster_store::Scope;

/// Who is acting: a logged-in user, a token's user, or the system itself (CLI, demo).
/// Its scope is the subtree of the unit it is attached to; the only way to obtain a
/// `Scope` for a query is through an actor.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub username: String,
    pub role: Role,
    /// `None` means the whole instance.
    pub unit_id: Option<i64>,
    pub locale: String,
    pub calendar: String,
    /// Empty: the language's own digits.
    pub digits: String,
}

impl Actor {
    /// The instance itself, for the command line and the demo loader.
    pub fn system() -> Self {
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

    pub fn scope(&self) -> Scope {
        match self.unit_id {
            None => Scope::All,
            Some(id) => Scope::Subtree(id),
        }
    }
}
