//! Logins and API tokens.

use crate::error::on_conflict;
use crate::{audit, units::find_in_scope, Actor, App, AppError};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use muster_domain::date::now_utc;
use muster_domain::unit::parse_locale;
use muster_domain::user::{parse_username, Role};
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
        if !actor.role.manages_units() {
            return Err(AppError::Forbidden);
        }
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
        let mut tx = self.db().begin().await?;
        let unit = match new.unit_code {
            Some(code) => Some(
                find_in_scope(&mut tx, actor.scope(), code)
                    .await
                    .map_err(|_| AppError::field("unit_code", "unknown_unit"))?,
            ),
            None if actor.scope() == Scope::All => None,
            None => return Err(AppError::field("unit_code", "required")),
        };
        let password_hash = hash_password(new.password)?;
        let now = now_utc();
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
        audit(
            &mut tx,
            actor,
            "create",
            "user",
            id,
            unit.map(|u| u.id),
            None,
            Some(after),
            &now,
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(id)
    }

    /// Issues a bearer token for a user; only its hash is stored.
    pub async fn create_token(&self, username: &str) -> Result<String, AppError> {
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

    /// The actor a username and password stand for.
    pub async fn authenticate_password(
        &self,
        username: &str,
        password: &str,
    ) -> Result<Actor, AppError> {
        let mut conn = self.db().read().await?;
        let user = store::by_username(&mut conn, &username.trim().to_ascii_lowercase()).await?;
        match user {
            Some(u) if !u.disabled && verify_password(password, &u.password_hash) => actor_of(u),
            _ => Err(AppError::Unauthenticated),
        }
    }

    pub async fn user_count(&self) -> Result<i64, AppError> {
        let mut conn = self.db().read().await?;
        Ok(store::count(&mut conn).await?)
    }
}
