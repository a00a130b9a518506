//! Login sessions and failed-login counts.

use crate::error::{ResultExt, StoreError};
use crate::users::UserRow;
use crate::Conn;
use sqlx::Row;

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
    let row = sqlx::query(
        "SELECT u.id, u.username, u.password_hash, u.unit_id, u.role, u.locale, u.calendar, u.digits, \
         u.disabled, s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1 AND s.expires_at > $2",
    )
    .bind(id_hash)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await
    .store()?;
    match row {
        None => Ok(None),
        Some(r) => {
            let user = crate::users::decode(&r).store()?;
            let csrf: String = r.try_get("csrf_token").store()?;
            Ok(Some((user, csrf)))
        }
    }
}

pub async fn delete(conn: &mut Conn, id_hash: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

/// Failed logins for `username` since `since`.
pub async fn failures(conn: &mut Conn, username: &str, since: &str) -> Result<i64, StoreError> {
    let n: Option<i64> = sqlx::query_scalar(
        "SELECT failures FROM login_failures WHERE username = $1 AND first_at > $2",
    )
    .bind(username)
    .bind(since)
    .fetch_optional(&mut *conn)
    .await
    .store()?;
    Ok(n.unwrap_or(0))
}

/// Counts one more failure; a window older than `since` starts again.
pub async fn record_failure(
    conn: &mut Conn,
    username: &str,
    now: &str,
    since: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO login_failures (username, failures, first_at) VALUES ($1, 1, $2) \
         ON CONFLICT (username) DO UPDATE SET \
         failures = CASE WHEN login_failures.first_at > $3 THEN login_failures.failures + 1 ELSE 1 END, \
         first_at = CASE WHEN login_failures.first_at > $3 THEN login_failures.first_at ELSE $2 END",
    )
    .bind(username)
    .bind(now)
    .bind(since)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

pub async fn clear_failures(conn: &mut Conn, username: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM login_failures WHERE username = $1")
        .bind(username)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
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
