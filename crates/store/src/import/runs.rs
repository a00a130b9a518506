//! The record of each import run: its file, options, progress, counts and the rows it
//! rejected or flagged.

use super::{insert_rows, Kind};
use crate::decode::Flag;
use crate::error::{ResultExt, StoreError};
use crate::Conn;
use serde::Serialize;
use sqlx::{AssertSqlSafe, FromRow};

#[derive(Debug, Clone, Default, PartialEq, Eq, FromRow)]
pub struct ImportRow {
    pub id: i64,
    pub user_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub file_name: String,
    pub file_hash: String,
    pub options: String,
    #[sqlx(try_from = "Flag")]
    pub dry_run: bool,
    pub status: String,
    pub total_rows: i64,
    pub done_rows: i64,
    #[sqlx(flatten)]
    pub counts: ImportCounts,
    pub failure: Option<String>,
    /// `indexing` or `duplicates` once the rows are in (see `set_phase`).
    pub phase: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// What an import did to the rows it has got through.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, FromRow)]
pub struct ImportCounts {
    pub created: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub rejected: i64,
    pub duplicates: i64,
}

const IMPORT_COLUMNS: &str = "id, user_id, unit_id, file_name, file_hash, options, dry_run, \
     status, total_rows, done_rows, created, updated, unchanged, rejected, duplicates, failure, \
     phase, created_at, updated_at";

/// Starts the record of a run; returns its id.
#[allow(clippy::too_many_arguments)]
pub async fn start(
    conn: &mut Conn,
    user_id: Option<i64>,
    unit_id: Option<i64>,
    file_name: &str,
    file_hash: &str,
    options: &str,
    dry_run: bool,
    total_rows: i64,
    now: &str,
) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "INSERT INTO imports (user_id, unit_id, file_name, file_hash, options, dry_run, status, \
         total_rows, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'running', $7, $8, $8) \
         RETURNING id",
    )
    .bind(user_id)
    .bind(unit_id)
    .bind(file_name)
    .bind(file_hash)
    .bind(options)
    .bind(i64::from(dry_run))
    .bind(total_rows)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .store()
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<ImportRow>, StoreError> {
    let sql = format!("SELECT {IMPORT_COLUMNS} FROM imports WHERE id = $1");
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .store()
}

/// The latest runs of the same file with the same options and status, newest first.
pub async fn same_file(
    conn: &mut Conn,
    file_hash: &str,
    options: &str,
    status: &str,
) -> Result<Option<ImportRow>, StoreError> {
    let sql = format!(
        "SELECT {IMPORT_COLUMNS} FROM imports WHERE file_hash = $1 AND options = $2 \
         AND status = $3 AND dry_run = 0 ORDER BY id DESC LIMIT 1"
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(file_hash)
        .bind(options)
        .bind(status)
        .fetch_optional(&mut *conn)
        .await
        .store()
}

/// Runs visible from a unit (all of them when `None`), newest first.
pub async fn list(
    conn: &mut Conn,
    scope: crate::Scope,
    limit: i64,
) -> Result<Vec<ImportRow>, StoreError> {
    let sql = format!(
        "SELECT {IMPORT_COLUMNS} FROM imports WHERE {} ORDER BY id DESC LIMIT $2",
        scope.condition("unit_id", 1)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(limit)
        .fetch_all(&mut *conn)
        .await
        .store()
}

/// Records how far a run has got, in the transaction of the batch it has just written.
pub async fn checkpoint(
    conn: &mut Conn,
    id: i64,
    done_rows: i64,
    c: &ImportCounts,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE imports SET done_rows = $2, created = $3, updated = $4, unchanged = $5, \
         rejected = $6, duplicates = $7, updated_at = $8 WHERE id = $1",
    )
    .bind(id)
    .bind(done_rows)
    .bind(c.created)
    .bind(c.updated)
    .bind(c.unchanged)
    .bind(c.rejected)
    .bind(c.duplicates)
    .bind(now)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

/// Records what a run does once its rows are in: `indexing`, `duplicates`.
pub async fn set_phase(conn: &mut Conn, id: i64, phase: &str, now: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE imports SET phase = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(phase)
        .bind(now)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

/// Tells that the process running an import is still at it.
pub async fn heartbeat(conn: &mut Conn, id: i64, now: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE imports SET updated_at = $2 WHERE id = $1 AND status = 'running'")
        .bind(id)
        .bind(now)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

/// Ends a run as `done`, or leaves it `running` with its failure, to be resumed.
pub async fn finish(
    conn: &mut Conn,
    id: i64,
    status: &str,
    failure: Option<&str>,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE imports SET status = $2, failure = $3, phase = NULL, updated_at = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(status)
    .bind(failure)
    .bind(now)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

/// One rejected or flagged row of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct RowProblem {
    #[sqlx(rename = "row_number")]
    pub row: i64,
    #[sqlx(rename = "column_name")]
    pub column: String,
    pub reason: String,
    pub detail: Option<String>,
}

pub async fn add_problems(
    conn: &mut Conn,
    import_id: i64,
    problems: &[RowProblem],
) -> Result<(), StoreError> {
    use Kind::{Int, Text};
    let rows: Vec<_> = problems
        .iter()
        .map(|p| (import_id, p.row, &p.column, &p.reason, &p.detail))
        .collect();
    insert_rows(
        conn,
        "INSERT INTO import_errors (import_id, row_number, column_name, reason, detail)",
        &[Int, Int, Text, Text, Text],
        "",
        "WHERE true ON CONFLICT (import_id, row_number, column_name) DO NOTHING",
        &rows,
    )
    .await
}

pub async fn problems(
    conn: &mut Conn,
    import_id: i64,
    limit: i64,
) -> Result<Vec<RowProblem>, StoreError> {
    sqlx::query_as(
        "SELECT row_number, column_name, reason, detail FROM import_errors WHERE import_id = $1 \
         ORDER BY row_number, column_name LIMIT $2",
    )
    .bind(import_id)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await
    .store()
}
