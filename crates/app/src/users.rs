//! Logins and API tokens.

use crate::error::on_conflict;
use crate::{Actor, App, AppError};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use muster_domain::calendar::{Calendar, Digits};
use muster_domain::date::{now_utc, utc_in};
use muster_domain::unit::parse_locale;
use muster_domain::user::Permission;
use muster_domain::user::{
    login_delay, login_source, may_change_login, parse_username, Role, Standing, LOGIN_STREAK_SECS,
};
use muster_store::sessions;
use muster_store::users::{self as store, NewUser, UserRow};
use muster_store::{Scope, StoreError};
use sha2::{Digest, Sha256};

pub struct NewLogin<'a> {
    /// `None`: the whole instance (only an instance admin may create such a login).
    pub unit_code: Option<&'a str>,
    pub username: &'a str,
    pub role: &'a str,
    pub password: &'a str,
    pub locale: Option<&'a str>,
}

fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("password hashing: {e}")))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn actor_of(u: UserRow) -> Result<Actor, AppError> {
    Ok(Actor {
        user_id: Some(u.id),
        username: u.username,
        role: Role::parse(&u.role).map_err(|_| AppError::Internal("stored role".into()))?,
        unit_id: u.unit_id,
        locale: u.locale,
        calendar: u.calendar,
        digits: u.digits,
    })
}

/// Whether a login lies in `scope`: one attached to a unit of it, or any for the whole
/// instance (a login of the whole instance only there).
async fn login_in_scope(
    conn: &mut muster_store::Conn,
    scope: Scope,
    user: &UserRow,
) -> Result<bool, AppError> {
    Ok(match (user.unit_id, scope) {
        (_, Scope::All) => true,
        (Some(unit), scope) => muster_store::units::in_scope(conn, scope, unit).await?,
        (None, _) => false,
    })
}

/// The calendar a new login reads dates in, by language.
fn default_calendar(locale: &str) -> &'static str {
    if locale == "fa" {
        "persian"
    } else {
        "gregorian"
    }
}

impl App {
    /// Creates a login attached to a unit in the actor's scope.
    pub async fn add_user(&self, actor: &Actor, new: NewLogin<'_>) -> Result<i64, AppError> {
        let permit = actor.permit(Permission::ManageUnits)?;
        let username =
            parse_username(new.username).map_err(|e| AppError::field("username", e.code))?;
        let role = Role::parse(new.role).map_err(|e| AppError::field("role", e.code))?;
        if role == Role::Admin && actor.role != Role::Admin {
            return Err(AppError::field("role", "role_above_own"));
        }
        if new.password.chars().count() < 8 {
            return Err(AppError::field("password", "too_short"));
        }
        let locale = match new.locale {
            Some(l) => parse_locale(l).map_err(|e| AppError::field("locale", e.code))?,
            None => "en",
        };
        let mut tx = self.write(permit).await?;
        let scope = tx.scope();
        let unit = match new.unit_code {
            Some(code) => Some(
                tx.unit(code)
                    .await
                    .map_err(|_| AppError::field("unit_code", "unknown_unit"))?,
            ),
            None if scope == Scope::All => None,
            None => return Err(AppError::field("unit_code", "required")),
        };
        let password = new.password.to_string();
        let password_hash = tokio::task::spawn_blocking(move || hash_password(&password))
            .await
            .map_err(|e| AppError::Internal(format!("password hashing: {e}")))??;
        let now = tx.now().to_string();
        let id = store::insert(
            &mut tx,
            &NewUser {
                username: &username,
                password_hash: &password_hash,
                unit_id: unit.as_ref().map(|u| u.id),
                role: role.as_str(),
                locale,
                calendar: default_calendar(locale),
            },
            &now,
        )
        .await
        .map_err(on_conflict)?;
        let after = serde_json::json!({
            "username": username, "role": role.as_str(), "unit_code": unit.as_ref().map(|u| &u.code),
        });
        tx.audit("create", "user", id, unit.map(|u| u.id), None, Some(after))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Issues a bearer token for a user; only its hash is stored.
    pub(crate) async fn create_token(&self, username: &str) -> Result<String, AppError> {
        let mut tx = self.db().begin().await?;
        let user = store::by_username(&mut tx, &username.trim().to_ascii_lowercase())
            .await?
            .ok_or(AppError::NotFound("user"))?;
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        let token: String = std::iter::once("mst_".to_string())
            .chain(bytes.iter().map(|b| format!("{b:02x}")))
            .collect();
        store::insert_token(&mut tx, user.id, &token_hash(&token), &now_utc()).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(token)
    }

    /// The actor a bearer token stands for.
    pub async fn authenticate_token(&self, token: &str) -> Result<Actor, AppError> {
        let mut conn = self.db().read().await?;
        match store::by_token_hash(&mut conn, &token_hash(token.trim())).await? {
            Some(u) if !u.disabled => actor_of(u),
            _ => Err(AppError::Unauthenticated),
        }
    }

    /// The actor a username and password stand for. An unknown username is checked
    /// against a stand-in hash, so that the time taken does not tell which exist; the
    /// hashing runs off the async workers.
    pub async fn authenticate_password(
        &self,
        username: &str,
        password: &str,
    ) -> Result<Actor, AppError> {
        let user = {
            let mut conn = self.db().read().await?;
            store::by_username(&mut conn, &username.trim().to_ascii_lowercase()).await?
        };
        let hash = match &user {
            Some(u) => u.password_hash.clone(),
            None => stand_in_hash()?.to_string(),
        };
        let password = password.to_string();
        let matches = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
            .await
            .map_err(|e| AppError::Internal(format!("password check: {e}")))?;
        match user {
            Some(u) if matches && !u.disabled => actor_of(u),
            _ => Err(AppError::Unauthenticated),
        }
    }

    pub async fn user_count(&self) -> Result<i64, AppError> {
        let mut conn = self.db().read().await?;
        Ok(store::count(&mut conn).await?)
    }
}

const SESSION_DAYS: i64 = 14;

/// A hash of no one's password, checked for usernames that do not exist.
fn stand_in_hash() -> Result<&'static str, AppError> {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    if let Some(h) = HASH.get() {
        return Ok(h);
    }
    let h = hash_password(&random_token())?;
    Ok(HASH.get_or_init(|| h))
}

/// Why a login was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum LoginRefused {
    BadCredentials,
    /// Too many failures lately; try again later.
    Throttled,
}

/// A logged-in session: the cookie value and the token its forms must carry.
pub struct Session {
    pub token: String,
    pub csrf: String,
    pub actor: Actor,
}

/// A random token of 32 bytes, hex.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl App {
    /// Checks a password and opens a session. Attempts are counted per source address
    /// (`source`) and username before the password is checked, and a streak of failures
    /// waits longer and longer ([`login_delay`]), so a guesser is slowed down without
    /// locking the user out from everywhere else.
    pub async fn login(
        &self,
        source: &str,
        username: &str,
        password: &str,
    ) -> Result<Session, LoginError> {
        let username = username.trim().to_ascii_lowercase();
        let source = &login_source(source);
        // Names no login can have share one count per address, so that sending new
        // ones does not grow the table or escape the throttle.
        let counted = parse_username(&username).unwrap_or_else(|_| "?".into());
        {
            let now = now_utc();
            let mut tx = self.db().begin().await?;
            let stale = utc_in(-LOGIN_STREAK_SECS);
            let Some(failures) =
                sessions::count_attempt(&mut tx, source, &counted, &now, &stale).await?
            else {
                tx.commit().await.map_err(StoreError::from)?;
                return Err(LoginError::Refused(LoginRefused::Throttled));
            };
            let next = utc_in(login_delay(failures));
            sessions::set_next_attempt(&mut tx, source, &counted, &next).await?;
            tx.commit().await.map_err(StoreError::from)?;
        }
        match self.authenticate_password(&username, password).await {
            Ok(actor) => {
                let token = random_token();
                let csrf = random_token();
                let mut tx = self.db().begin().await?;
                sessions::clear_attempts(&mut tx, &username, Some(source)).await?;
                // Expired sessions go when someone logs in: no background job needed.
                sessions::prune(&mut tx, &now_utc()).await?;
                let user_id = actor.user_id.unwrap_or(0);
                sessions::insert(
                    &mut tx,
                    &token_hash(&token),
                    user_id,
                    &csrf,
                    &now_utc(),
                    &utc_in(SESSION_DAYS * 86_400),
                )
                .await?;
                tx.commit().await.map_err(StoreError::from)?;
                Ok(Session { token, csrf, actor })
            }
            Err(AppError::Unauthenticated) => {
                Err(LoginError::Refused(LoginRefused::BadCredentials))
            }
            Err(e) => Err(LoginError::App(e)),
        }
    }

    /// The actor and CSRF token of a live session cookie.
    pub async fn session(&self, token: &str) -> Result<Option<(Actor, String)>, AppError> {
        let mut conn = self.db().read().await?;
        match sessions::find(&mut conn, &token_hash(token), &now_utc()).await? {
            Some((u, csrf)) if !u.disabled => Ok(Some((actor_of(u)?, csrf))),
            _ => Ok(None),
        }
    }

    pub async fn logout(&self, token: &str) -> Result<(), AppError> {
        let mut tx = self.db().begin().await?;
        sessions::delete(&mut tx, &token_hash(token)).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// Saves the language, calendar and digits a user reads in.
    pub async fn set_preferences(
        &self,
        actor: &Actor,
        locale: &str,
        calendar: &str,
        digits: &str,
    ) -> Result<(), AppError> {
        let Some(user_id) = actor.user_id else {
            return Err(AppError::Forbidden);
        };
        let locale = parse_locale(locale).map_err(|e| AppError::field("locale", e.code))?;
        let calendar =
            Calendar::parse(calendar).map_err(|e| AppError::field("calendar", e.code))?;
        let digits = match digits.trim() {
            "" => "",
            d => Digits::parse(d)
                .map_err(|e| AppError::field("digits", e.code))?
                .as_str(),
        };
        let mut tx = self.db().begin().await?;
        store::set_preferences(&mut tx, user_id, locale, calendar.as_str(), digits).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }
}

#[derive(Debug)]
pub enum LoginError {
    Refused(LoginRefused),
    App(AppError),
}

impl From<AppError> for LoginError {
    fn from(e: AppError) -> Self {
        LoginError::App(e)
    }
}

impl From<StoreError> for LoginError {
    fn from(e: StoreError) -> Self {
        LoginError::App(e.into())
    }
}

/// A login as listed to those who manage them.
#[derive(Debug, Clone, serde::Serialize, PartialEq, Eq)]
pub struct UserView {
    pub username: String,
    pub role: String,
    pub unit_code: Option<String>,
    pub locale: String,
}

impl App {
    /// The logins of the actor's subtree, for admins and officers.
    pub async fn list_users(&self, actor: &Actor) -> Result<Vec<UserView>, AppError> {
        if !actor.role.manages_units() {
            return Err(AppError::Forbidden);
        }
        let mut conn = self.db().read().await?;
        Ok(store::list(&mut conn, actor.scope())
            .await?
            .into_iter()
            .map(|(u, unit_code)| UserView {
                username: u.username,
                role: u.role,
                unit_code,
                locale: u.locale,
            })
            .collect())
    }
}

impl App {
    /// Gives a login of the actor's subtree another role, never above the actor's own
    /// and never for the actor themself.
    pub async fn set_role(
        &self,
        actor: &Actor,
        username: &str,
        role: &str,
    ) -> Result<(), AppError> {
        let permit = actor.permit(Permission::ManageUnits)?;
        let role = Role::parse(role).map_err(|e| AppError::field("role", e.code))?;
        if role.rank() > actor.role.rank() {
            return Err(AppError::field("role", "role_above_own"));
        }
        let mut tx = self.write(permit).await?;
        let scope = tx.scope();
        let user = store::by_username(&mut tx, &username.trim().to_ascii_lowercase())
            .await?
            .ok_or(AppError::NotFound("user"))?;
        if !login_in_scope(&mut tx, scope, &user).await? {
            return Err(AppError::NotFound("user"));
        }
        if Some(user.id) == actor.user_id {
            return Err(AppError::field("role", "own_role"));
        }
        let theirs = Role::parse(&user.role)
            .map_err(|_| AppError::Internal(format!("stored role {}", user.role)))?;
        let standing = if user.unit_id == actor.unit_id {
            Standing::SameUnit
        } else {
            Standing::Below
        };
        may_change_login(actor.role, standing, theirs, role)
            .map_err(|e| AppError::field("role", e.code))?;
        store::set_role(&mut tx, user.id, role.as_str()).await?;
        tx.audit(
            "role",
            "user",
            user.id,
            user.unit_id,
            Some(serde_json::json!({ "role": user.role })),
            Some(serde_json::json!({ "role": role.as_str() })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Logins of the actor's subtree held up by failed attempts, with when they may try
    /// again (the latest of their streaks).
    pub async fn held_up_logins(&self, actor: &Actor) -> Result<Vec<(String, String)>, AppError> {
        actor.permit(Permission::ManageUnits)?;
        let mut conn = self.db().read().await?;
        let mut held = Vec::new();
        for (username, until) in sessions::held_up(&mut conn, &now_utc()).await? {
            let Some(user) = store::by_username(&mut conn, &username).await? else {
                continue;
            };
            let visible = login_in_scope(&mut conn, actor.scope(), &user).await?;
            if visible {
                held.push((username, until));
            }
        }
        Ok(held)
    }

    /// Ends every streak of failed logins of a login of the actor's subtree, so its user
    /// can sign in at once.
    pub async fn unlock_login(&self, actor: &Actor, username: &str) -> Result<(), AppError> {
        let permit = actor.permit(Permission::ManageUnits)?;
        let mut tx = self.write(permit).await?;
        let scope = tx.scope();
        let username = username.trim().to_ascii_lowercase();
        let user = store::by_username(&mut tx, &username)
            .await?
            .ok_or(AppError::NotFound("user"))?;
        if !login_in_scope(&mut tx, scope, &user).await? {
            return Err(AppError::NotFound("user"));
        }
        let cleared = sessions::clear_attempts(&mut tx, &username, None).await?;
        tx.audit(
            "unlock",
            "user",
            user.id,
            user.unit_id,
            None,
            Some(serde_json::json!({ "streaks_ended": cleared })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

impl App {
    /// A new secret address for the actor's calendar feed (an earlier one stops working):
    /// the token to put in `/calendar/{token}.ics`.
    pub async fn new_calendar_feed(&self, actor: &Actor) -> Result<String, AppError> {
        let Some(user_id) = actor.user_id else {
            return Err(AppError::Forbidden);
        };
        let token = random_token();
        let mut tx = self.db().begin().await?;
        store::set_calendar_feed(&mut tx, user_id, &token_hash(&token), &now_utc()).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(token)
    }

    /// The meetings of a calendar feed: those of the committees of its user's own unit
    /// (the meetings they are called to), from a month ago on. `None` for an address
    /// nobody holds.
    pub async fn calendar_feed(
        &self,
        token: &str,
    ) -> Result<Option<Vec<crate::meetings::MeetingView>>, AppError> {
        let user = {
            let mut conn = self.db().read().await?;
            store::by_calendar_feed(&mut conn, &token_hash(token)).await?
        };
        let Some(user) = user else { return Ok(None) };
        let actor = actor_of(user)?;
        let since = muster_domain::Date::today().add_days(-31).to_string();
        let committees = self
            .list_committees(
                &actor,
                &crate::committees::CommitteeQuery {
                    limit: Some(500),
                    ..Default::default()
                },
            )
            .await?;
        let mut out = Vec::new();
        let own = match actor.unit_id {
            Some(id) => {
                let mut conn = self.db().read().await?;
                muster_store::units::by_id(&mut conn, id)
                    .await?
                    .map(|u| u.code)
            }
            None => None,
        };
        for c in committees
            .iter()
            .filter(|c| own.as_deref().is_none_or(|o| o == c.unit_code))
        {
            let q = crate::meetings::MeetingQuery {
                committee: Some(c.id),
                limit: Some(200),
            };
            for m in self.list_meetings(&actor, &q).await? {
                if m.starts_at.as_str() >= since.as_str() {
                    out.push(self.meeting(&actor, m.id).await?);
                }
            }
        }
        out.sort_by(|a, b| a.starts_at.cmp(&b.starts_at));
        Ok(Some(out))
    }
}
