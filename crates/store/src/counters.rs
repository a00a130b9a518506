//! Per-unit, per-month membership counters, written in the same transaction as the
//! change they count. Roll-ups read these rows through the closure table.

use crate::error::{ResultExt, StoreError};
use crate::Conn;
use sqlx::{AssertSqlSafe, FromRow};

/// A change to one unit's counters in one month.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CountChange {
    pub unit_id: i64,
    /// The ISO date of the change; its month is the first seven characters.
    pub day: String,
    pub employment_type: String,
    pub informal_category: String,
    pub joins: i64,
    pub leaves: i64,
    pub transfers_in: i64,
    pub transfers_out: i64,
    pub active_delta: i64,
    /// The person's workplace, whose member count moves with `active_delta`.
    pub workplace_id: Option<i64>,
}

pub async fn apply(conn: &mut Conn, c: &CountChange) -> Result<(), StoreError> {
    let month = c.day.get(..7).unwrap_or(&c.day);
    // The unit's own row, then the same change for it and every unit above it.
    for (table, units) in [
        ("unit_month_counts", "SELECT $1 AS unit_id"),
        (
            "subtree_month_counts",
            "SELECT ancestor_id AS unit_id FROM unit_closure WHERE descendant_id = $1",
        ),
    ] {
        let sql = format!(
            "INSERT INTO {table} (unit_id, month, employment_type, informal_category, joins, leaves, \
             transfers_in, transfers_out, active_delta) \
             SELECT u.unit_id, $2, $3, $4, $5, $6, $7, $8, $9 FROM ({units}) u WHERE u.unit_id IS NOT NULL \
             ON CONFLICT (unit_id, month, employment_type, informal_category) DO UPDATE SET \
             joins = {table}.joins + excluded.joins, \
             leaves = {table}.leaves + excluded.leaves, \
             transfers_in = {table}.transfers_in + excluded.transfers_in, \
             transfers_out = {table}.transfers_out + excluded.transfers_out, \
             active_delta = {table}.active_delta + excluded.active_delta"
        );
        sqlx::query(AssertSqlSafe(sql))
            .bind(c.unit_id)
            .bind(month)
            .bind(&c.employment_type)
            .bind(&c.informal_category)
            .bind(c.joins)
            .bind(c.leaves)
            .bind(c.transfers_in)
            .bind(c.transfers_out)
            .bind(c.active_delta)
            .execute(&mut *conn)
            .await
            .store()?;
    }
    sqlx::query(
        "INSERT INTO unit_day_counts (unit_id, day, employment_type, informal_category, joins, \
         active_delta) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (unit_id, day, employment_type, informal_category) DO UPDATE SET \
         joins = unit_day_counts.joins + excluded.joins, \
         active_delta = unit_day_counts.active_delta + excluded.active_delta",
    )
    .bind(c.unit_id)
    .bind(&c.day)
    .bind(&c.employment_type)
    .bind(&c.informal_category)
    .bind(c.joins)
    .bind(c.active_delta)
    .execute(&mut *conn)
    .await
    .store()?;
    if let (Some(w), true) = (c.workplace_id, c.active_delta != 0) {
        crate::mapping::count_member(conn, w, c.active_delta).await?;
    }
    crate::drives::count(conn, c).await
}

/// One month of a subtree's roll-up.
#[derive(Debug, Clone, Default, PartialEq, Eq, FromRow)]
pub struct MonthTotals {
    pub month: String,
    pub employment_type: String,
    pub joins: i64,
    pub leaves: i64,
    #[sqlx(rename = "tin")]
    pub transfers_in: i64,
    #[sqlx(rename = "tout")]
    pub transfers_out: i64,
    #[sqlx(rename = "delta")]
    pub active_delta: i64,
}

/// Monthly totals of the subtree under `root` (the whole instance when `None`), by
/// month and employment type, oldest first. The caller has checked `root` is in scope.
pub async fn rollup(conn: &mut Conn, root: Option<i64>) -> Result<Vec<MonthTotals>, StoreError> {
    let sql = format!(
        "SELECT c.month, c.employment_type, CAST(SUM(c.joins) AS BIGINT) AS joins, \
         CAST(SUM(c.leaves) AS BIGINT) AS leaves, CAST(SUM(c.transfers_in) AS BIGINT) AS tin, \
         CAST(SUM(c.transfers_out) AS BIGINT) AS tout, CAST(SUM(c.active_delta) AS BIGINT) AS delta \
         FROM subtree_month_counts c WHERE {} \
         GROUP BY c.month, c.employment_type ORDER BY c.month, c.employment_type",
        roots("c.unit_id", root)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(root.unwrap_or(0))
        .fetch_all(&mut *conn)
        .await
        .store()
}

/// The rows of one subtree (`$1`), or of every tree's top for the whole instance.
fn roots(column: &str, root: Option<i64>) -> String {
    match root {
        Some(_) => format!("{column} = $1"),
        None => format!("$1 = 0 AND {column} IN (SELECT id FROM units WHERE parent_id IS NULL)"),
    }
}

/// Adds `delta` current members of `status` to a unit and to every unit above it.
pub async fn status_delta(
    conn: &mut Conn,
    unit_id: i64,
    status: &str,
    delta: i64,
) -> Result<(), StoreError> {
    for (table, units) in [
        ("unit_status_counts", "SELECT $1 AS unit_id"),
        (
            "subtree_status_counts",
            "SELECT ancestor_id AS unit_id FROM unit_closure WHERE descendant_id = $1",
        ),
    ] {
        let sql = format!(
            "INSERT INTO {table} (unit_id, status, members) \
             SELECT u.unit_id, $2, $3 FROM ({units}) u WHERE u.unit_id IS NOT NULL \
             ON CONFLICT (unit_id, status) DO UPDATE SET members = {table}.members + excluded.members"
        );
        sqlx::query(AssertSqlSafe(sql))
            .bind(unit_id)
            .bind(status)
            .bind(delta)
            .execute(&mut *conn)
            .await
            .store()?;
    }
    Ok(())
}

/// Current members of the subtree under `root` (the whole instance when `None`) by status.
pub async fn by_status(
    conn: &mut Conn,
    root: Option<i64>,
) -> Result<Vec<(String, i64)>, StoreError> {
    let sql = format!(
        "SELECT c.status, CAST(SUM(c.members) AS BIGINT) AS n FROM subtree_status_counts c WHERE {} \
         GROUP BY c.status HAVING SUM(c.members) <> 0 ORDER BY c.status",
        roots("c.unit_id", root)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(root.unwrap_or(0))
        .fetch_all(&mut *conn)
        .await
        .store()
}

/// Moves the subtree totals of `unit_id` off its ancestors (`sign` -1, before a move)
/// or onto them (`sign` 1, after it).
pub async fn shift_subtree(conn: &mut Conn, unit_id: i64, sign: i64) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO subtree_month_counts (unit_id, month, employment_type, informal_category, joins, \
         leaves, transfers_in, transfers_out, active_delta) \
         SELECT c.ancestor_id, s.month, s.employment_type, s.informal_category, $2 * s.joins, \
         $2 * s.leaves, $2 * s.transfers_in, $2 * s.transfers_out, $2 * s.active_delta \
         FROM unit_closure c, subtree_month_counts s WHERE c.descendant_id = $1 AND c.depth > 0 \
         AND s.unit_id = $1 \
         ON CONFLICT (unit_id, month, employment_type, informal_category) DO UPDATE SET \
         joins = subtree_month_counts.joins + excluded.joins, \
         leaves = subtree_month_counts.leaves + excluded.leaves, \
         transfers_in = subtree_month_counts.transfers_in + excluded.transfers_in, \
         transfers_out = subtree_month_counts.transfers_out + excluded.transfers_out, \
         active_delta = subtree_month_counts.active_delta + excluded.active_delta",
    )
    .bind(unit_id)
    .bind(sign)
    .execute(&mut *conn)
    .await
    .store()?;
    sqlx::query(
        "INSERT INTO subtree_status_counts (unit_id, status, members) \
         SELECT c.ancestor_id, s.status, $2 * s.members FROM unit_closure c, subtree_status_counts s \
         WHERE c.descendant_id = $1 AND c.depth > 0 AND s.unit_id = $1 \
         ON CONFLICT (unit_id, status) DO UPDATE SET members = subtree_status_counts.members + excluded.members",
    )
    .bind(unit_id)
    .bind(sign)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}
