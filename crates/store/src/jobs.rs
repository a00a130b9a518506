//! The record of heavy jobs, and files staged for an import.

use crate::error::{ResultExt, StoreError};
use crate::{Conn, Scope};
use sqlx::{AssertSqlSafe, FromRow};

#[derive(Debug, Clone, PartialEq, serde::Serialize, FromRow)]
pub struct JobRow {
    pub id: i64,
    pub kind: String,
    pub tree_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub user_id: Option<i64>,
    pub username: String,
    pub subject_id: Option<i64>,
    pub state: String,
    pub done: i64,
    pub total: Option<i64>,
    pub result: Option<String>,
    pub created_at: String,
    pub finished_at: Option<String>,
    pub touched_at: String,
}

/// What a new job is.
pub struct NewJob<'a> {
    pub kind: &'a str,
    pub tree_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub user_id: Option<i64>,
    pub username: &'a str,
}

const COLUMNS: &str = "id, kind, tree_id, unit_id, user_id, username, subject_id, state, \
                       done, total, result, created_at, finished_at, touched_at";

/// Fails the jobs of `tree_id` still open but untouched since `stalled_before`: their
/// server stopped. Answers how many.
pub async fn fail_stalled(
    conn: &mut Conn,
    tree_id: Option<i64>,
    stalled_before: &str,
    now: &str,
) -> Result<u64, StoreError> {
    let done = sqlx::query(
        "UPDATE jobs SET state = 'failed', result = 'stalled', finished_at = $3 \
         WHERE tree_id IS NOT DISTINCT FROM $1 AND state IN ('queued', 'running') \
         AND touched_at < $2",
    )
    .bind(tree_id)
    .bind(stalled_before)
    .bind(now)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(done.rows_affected())
}

/// Fails the open jobs working on `subject_id` (an import run taken over by the same
/// run started again after its process was killed).
pub async fn take_over(
    conn: &mut Conn,
    kind: &str,
    subject_id: i64,
    now: &str,
) -> Result<(), StoreError> {
    // The same user starting the same file again resumes its run at once (the command
    // line's "run it again" after a kill), so a double submission of one file can run
    // twice: known, and left for the import to become a queued job.
    sqlx::query(
        "UPDATE jobs SET state = 'failed', result = 'taken_over', finished_at = $3 \
         WHERE kind = $1 AND subject_id = $2 AND state IN ('queued', 'running')",
    )
    .bind(kind)
    .bind(subject_id)
    .bind(now)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

/// Says what a job works on.
pub async fn set_subject(conn: &mut Conn, id: i64, subject_id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE jobs SET subject_id = $2 WHERE id = $1")
        .bind(id)
        .bind(subject_id)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

/// Records a job as running. A tree with an open job already refuses it: the unique
/// index answers `Conflict("jobs_one_heavy_per_tree")`.
pub async fn start(conn: &mut Conn, job: &NewJob<'_>, now: &str) -> Result<i64, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO jobs (kind, tree_id, unit_id, user_id, username, state, created_at, touched_at) \
         VALUES ($1, $2, $3, $4, $5, 'running', $6, $6) RETURNING id",
    )
    .bind(job.kind)
    .bind(job.tree_id)
    .bind(job.unit_id)
    .bind(job.user_id)
    .bind(job.username)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_sqlx)?;
    Ok(id)
}

/// How far a job has got; touches it.
pub async fn progress(
    conn: &mut Conn,
    id: i64,
    done: i64,
    total: Option<i64>,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE jobs SET done = $2, total = $3, touched_at = $4 WHERE id = $1")
        .bind(id)
        .bind(done)
        .bind(total)
        .bind(now)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

/// Marks a job as alive.
pub async fn touch(conn: &mut Conn, id: i64, now: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE jobs SET touched_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

/// Ends a job: `done` with its result, or `failed` with what went wrong.
pub async fn finish(
    conn: &mut Conn,
    id: i64,
    state: &str,
    result: &str,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE jobs SET state = $2, result = $3, finished_at = $4, touched_at = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(state)
    .bind(result)
    .bind(now)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<JobRow>, StoreError> {
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM jobs WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
    .store()
}

/// The latest jobs of `kind` on trees of the scope, newest first.
pub async fn recent(
    conn: &mut Conn,
    scope: Scope,
    kind: &str,
    limit: i64,
) -> Result<Vec<JobRow>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM jobs WHERE kind = $2 AND ({}) ORDER BY id DESC LIMIT $3",
        scope.condition("COALESCE(jobs.unit_id, jobs.tree_id)", 1)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(kind)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await
        .store()
}

/// Keeps an uploaded file until `expires_at`, under `token`.
pub async fn stage(
    conn: &mut Conn,
    token: &str,
    user_id: Option<i64>,
    file_name: &str,
    bytes: &[u8],
    expires_at: &str,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM staged_uploads WHERE expires_at < $1")
        .bind(now)
        .execute(&mut *conn)
        .await
        .store()?;
    sqlx::query(
        "INSERT INTO staged_uploads (token, user_id, file_name, bytes, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token)
    .bind(user_id)
    .bind(file_name)
    .bind(bytes)
    .bind(expires_at)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

/// A staged file of `user_id` not yet expired: its name and bytes.
pub async fn staged(
    conn: &mut Conn,
    token: &str,
    user_id: Option<i64>,
    now: &str,
) -> Result<Option<(String, Vec<u8>)>, StoreError> {
    sqlx::query_as(
        "SELECT file_name, bytes FROM staged_uploads \
         WHERE token = $1 AND user_id IS NOT DISTINCT FROM $2 AND expires_at >= $3",
    )
    .bind(token)
    .bind(user_id)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await
    .store()
}

/// Whether a file of `user_id` is staged under `token` and not expired.
pub async fn is_staged(
    conn: &mut Conn,
    token: &str,
    user_id: Option<i64>,
    now: &str,
) -> Result<bool, StoreError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM staged_uploads \
         WHERE token = $1 AND user_id IS NOT DISTINCT FROM $2 AND expires_at >= $3",
    )
    .bind(token)
    .bind(user_id)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .store()?;
    Ok(n > 0)
}

/// Drops the files a user staged before.
pub async fn unstage_user(conn: &mut Conn, user_id: Option<i64>) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM staged_uploads WHERE user_id IS NOT DISTINCT FROM $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

/// Drops a staged file (once its import has started).
pub async fn unstage(conn: &mut Conn, token: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM staged_uploads WHERE token = $1")
        .bind(token)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}
