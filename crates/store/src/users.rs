//! Logins and API tokens.

use crate::decode::Flag;
use crate::error::{ResultExt, StoreError};
use crate::Conn;
use sqlx::FromRow;

#[derive(Clone, FromRow)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub password_hash: String,
    pub unit_id: Option<i64>,
    pub role: String,
    pub locale: String,
    pub calendar: String,
    /// `latin`, `persian`, `devanagari`, or empty for the language's own.
    pub digits: String,
    #[sqlx(try_from = "Flag")]
    pub disabled: bool,
}

impl std::fmt::Debug for UserRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRow")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("password_hash", &"<redacted>")
            .field("unit_id", &self.unit_id)
            .field("role", &self.role)
            .finish()
    }
}

const SELECT: &str =
    "SELECT u.id, u.username, u.password_hash, u.unit_id, u.role, u.locale, u.calendar, u.digits, \
     u.disabled FROM users u";

pub struct NewUser<'a> {
    pub username: &'a str,
    pub password_hash: &'a str,
    pub unit_id: Option<i64>,
    pub role: &'a str,
    pub locale: &'a str,
    pub calendar: &'a str,
}

pub async fn insert(conn: &mut Conn, u: &NewUser<'_>, now: &str) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "INSERT INTO users (username, password_hash, unit_id, role, locale, calendar, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(u.username)
    .bind(u.password_hash)
    .bind(u.unit_id)
    .bind(u.role)
    .bind(u.locale)
    .bind(u.calendar)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .store()
}

pub async fn by_username(conn: &mut Conn, username: &str) -> Result<Option<UserRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE u.username = $1"));
    sqlx::query_as(sql)
        .bind(username)
        .fetch_optional(&mut *conn)
        .await
        .store()
}

pub async fn insert_token(
    conn: &mut Conn,
    user_id: i64,
    token_hash: &str,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO api_tokens (user_id, token_hash, created_at) VALUES ($1, $2, $3)")
        .bind(user_id)
        .bind(token_hash)
        .bind(now)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

/// The user a live token belongs to.
pub async fn by_token_hash(
    conn: &mut Conn,
    token_hash: &str,
) -> Result<Option<UserRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{SELECT} JOIN api_tokens t ON t.user_id = u.id WHERE t.token_hash = $1 AND t.revoked = 0"
    ));
    sqlx::query_as(sql)
        .bind(token_hash)
        .fetch_optional(&mut *conn)
        .await
        .store()
}

pub async fn count(conn: &mut Conn) -> Result<i64, StoreError> {
    sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&mut *conn)
        .await
        .store()
}

/// Saves a user's reading preferences.
pub async fn set_preferences(
    conn: &mut Conn,
    user_id: i64,
    locale: &str,
    calendar: &str,
    digits: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET locale = $2, calendar = $3, digits = $4 WHERE id = $1")
        .bind(user_id)
        .bind(locale)
        .bind(calendar)
        .bind(digits)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

/// Logins attached to units in the scope (instance-wide logins only for `Scope::All`),
/// with their unit's code.
pub async fn list(
    conn: &mut Conn,
    scope: crate::Scope,
) -> Result<Vec<(UserRow, Option<String>)>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT u.id, u.username, u.password_hash, u.unit_id, u.role, u.locale, u.calendar, u.digits, \
         u.disabled, un.code AS unit_code FROM users u LEFT JOIN units un ON un.id = u.unit_id \
         WHERE ({}) OR ($1 = 0 AND u.unit_id IS NULL) ORDER BY un.code, u.username",
        scope.condition("u.unit_id", 1)
    ));
    let rows: Vec<UserWithUnit> = sqlx::query_as(sql)
        .bind(scope.param())
        .fetch_all(&mut *conn)
        .await
        .store()?;
    Ok(rows.into_iter().map(|r| (r.user, r.unit_code)).collect())
}

/// A login with its unit's code.
#[derive(FromRow)]
struct UserWithUnit {
    #[sqlx(flatten)]
    user: UserRow,
    unit_code: Option<String>,
}

pub async fn set_role(conn: &mut Conn, user_id: i64, role: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET role = $2 WHERE id = $1")
        .bind(user_id)
        .bind(role)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

/// Gives a user a new calendar feed address (its hash), dropping any earlier one.
pub async fn set_calendar_feed(
    conn: &mut Conn,
    user_id: i64,
    token_hash: &str,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM calendar_feeds WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await
        .store()?;
    sqlx::query("INSERT INTO calendar_feeds (token_hash, user_id, created_at) VALUES ($1, $2, $3)")
        .bind(token_hash)
        .bind(user_id)
        .bind(now)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

/// The enabled user a calendar feed address belongs to.
pub async fn by_calendar_feed(
    conn: &mut Conn,
    token_hash: &str,
) -> Result<Option<UserRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{SELECT} JOIN calendar_feeds f ON f.user_id = u.id WHERE f.token_hash = $1 AND u.disabled = 0"
    ));
    sqlx::query_as(sql)
        .bind(token_hash)
        .fetch_optional(&mut *conn)
        .await
        .store()
}
