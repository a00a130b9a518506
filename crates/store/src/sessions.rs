//! Login sessions and failed-login counts.

use crate::error::{ResultExt, StoreError};
use crate::users::UserRow;
use crate::Conn;
use sqlx::FromRow;

pub async fn insert(
    conn: &mut Conn,
    id_hash: &str,
    user_id: i64,
    csrf_token: &str,
    now: &str,
    expires_at: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id_hash)
    .bind(user_id)
    .bind(csrf_token)
    .bind(now)
    .bind(expires_at)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

/// The user of a live session and the session's CSRF token.
pub async fn find(
    conn: &mut Conn,
    id_hash: &str,
    now: &str,
) -> Result<Option<(UserRow, String)>, StoreError> {
    let row: Option<SessionUser> = sqlx::query_as(
        "SELECT u.id, u.username, u.password_hash, u.unit_id, u.role, u.locale, u.calendar, u.digits, \
         u.disabled, s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1 AND s.expires_at > $2",
    )
    .bind(id_hash)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await
    .store()?;
    Ok(row.map(|r| (r.user, r.csrf_token)))
}

/// The user of a session and the session's CSRF token.
#[derive(FromRow)]
struct SessionUser {
    #[sqlx(flatten)]
    user: UserRow,
    csrf_token: String,
}

pub async fn delete(conn: &mut Conn, id_hash: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

/// Counts an attempt to log in as `username` from `source`, unless the streak of
/// failures it continues asks to wait (`next_at` is later than `now`): one statement, so
/// two attempts at once cannot both slip through. A streak whose last failure is before
/// `stale_before` starts again. Answers the failures of the streak with this attempt,
/// or `None` when it must wait.
pub async fn count_attempt(
    conn: &mut Conn,
    source: &str,
    username: &str,
    now: &str,
    stale_before: &str,
) -> Result<Option<i64>, StoreError> {
    // Streaks long over are forgotten.
    sqlx::query("DELETE FROM login_attempts WHERE last_at < $1 AND next_at < $2")
        .bind(stale_before)
        .bind(now)
        .execute(&mut *conn)
        .await
        .store()?;
    sqlx::query_scalar(
        "INSERT INTO login_attempts (source, username, failures, last_at, next_at) \
         VALUES ($1, $2, 1, $3, $3) \
         ON CONFLICT (source, username) DO UPDATE SET \
         failures = CASE WHEN login_attempts.last_at < $4 THEN 1 ELSE login_attempts.failures + 1 END, \
         last_at = $3 \
         WHERE login_attempts.next_at <= $3 \
         RETURNING failures",
    )
    .bind(source)
    .bind(username)
    .bind(now)
    .bind(stale_before)
    .fetch_optional(&mut *conn)
    .await
    .store()
}

/// When the next attempt of this streak may come.
pub async fn set_next_attempt(
    conn: &mut Conn,
    source: &str,
    username: &str,
    next_at: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE login_attempts SET next_at = $3 WHERE source = $1 AND username = $2")
        .bind(source)
        .bind(username)
        .bind(next_at)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

/// Ends a streak: a success from `source`, or (without a source) an officer's unlock.
pub async fn clear_attempts(
    conn: &mut Conn,
    username: &str,
    source: Option<&str>,
) -> Result<u64, StoreError> {
    let done = match source {
        Some(source) => {
            sqlx::query("DELETE FROM login_attempts WHERE username = $1 AND source = $2")
                .bind(username)
                .bind(source)
                .execute(&mut *conn)
                .await
        }
        None => {
            sqlx::query("DELETE FROM login_attempts WHERE username = $1")
                .bind(username)
                .execute(&mut *conn)
                .await
        }
    }
    .store()?;
    Ok(done.rows_affected())
}

/// The usernames held up now (a streak asks to wait past `now`), with the latest time
/// they may try again.
pub async fn held_up(conn: &mut Conn, now: &str) -> Result<Vec<(String, String)>, StoreError> {
    sqlx::query_as(
        "SELECT username, MAX(next_at) AS until FROM login_attempts WHERE next_at > $1 GROUP BY username",
    )
    .bind(now)
    .fetch_all(&mut *conn)
    .await
    .store()
}

/// Removes sessions that have expired.
pub async fn prune(conn: &mut Conn, now: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}
