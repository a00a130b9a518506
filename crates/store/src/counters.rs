//! Per-unit, per-month membership counters, written in the same transaction as the
//! change they count. Roll-ups read these rows through the closure table.

use crate::error::{ResultExt, StoreError};
use crate::{Conn, Scope};
use sqlx::{AssertSqlSafe, Row};

/// A change to one unit's counters in one month.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CountChange {
    pub unit_id: i64,
    /// `YYYY-MM`
    pub month: String,
    pub employment_type: String,
    pub informal_category: String,
    pub joins: i64,
    pub leaves: i64,
    pub transfers_in: i64,
    pub transfers_out: i64,
    pub active_delta: i64,
}

pub async fn apply(conn: &mut Conn, c: &CountChange) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO unit_month_counts (unit_id, month, employment_type, informal_category, joins, \
         leaves, transfers_in, transfers_out, active_delta) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (unit_id, month, employment_type, informal_category) DO UPDATE SET \
         joins = unit_month_counts.joins + excluded.joins, \
         leaves = unit_month_counts.leaves + excluded.leaves, \
         transfers_in = unit_month_counts.transfers_in + excluded.transfers_in, \
         transfers_out = unit_month_counts.transfers_out + excluded.transfers_out, \
         active_delta = unit_month_counts.active_delta + excluded.active_delta",
    )
    .bind(c.unit_id)
    .bind(&c.month)
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
    Ok(())
}

/// One month of a subtree's roll-up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MonthTotals {
    pub month: String,
    pub employment_type: String,
    pub joins: i64,
    pub leaves: i64,
    pub transfers_in: i64,
    pub transfers_out: i64,
    pub active_delta: i64,
}

/// Monthly totals for the subtree under `unit_id` (or everything in `scope` when
/// `unit_id` is `None`), by month and employment type, oldest first.
pub async fn rollup(
    conn: &mut Conn,
    scope: Scope,
    unit_id: Option<i64>,
) -> Result<Vec<MonthTotals>, StoreError> {
    let unit_filter = if unit_id.is_some() {
        " AND c.unit_id IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id = $2)"
    } else {
        " AND $2 = 0"
    };
    let sql = format!(
        "SELECT c.month, c.employment_type, CAST(SUM(c.joins) AS BIGINT) AS joins, \
         CAST(SUM(c.leaves) AS BIGINT) AS leaves, CAST(SUM(c.transfers_in) AS BIGINT) AS tin, \
         CAST(SUM(c.transfers_out) AS BIGINT) AS tout, CAST(SUM(c.active_delta) AS BIGINT) AS delta \
         FROM unit_month_counts c WHERE {}{unit_filter} \
         GROUP BY c.month, c.employment_type ORDER BY c.month, c.employment_type",
        scope.condition("c.unit_id", 1)
    );
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(unit_id.unwrap_or(0))
        .fetch_all(&mut *conn)
        .await
        .store()?;
    rows.iter()
        .map(|r| {
            Ok(MonthTotals {
                month: r.try_get("month")?,
                employment_type: r.try_get("employment_type")?,
                joins: r.try_get("joins")?,
                leaves: r.try_get("leaves")?,
                transfers_in: r.try_get("tin")?,
                transfers_out: r.try_get("tout")?,
                active_delta: r.try_get("delta")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .store()
}

/// Adds `delta` current members of `status` to a unit.
pub async fn status_delta(
    conn: &mut Conn,
    unit_id: i64,
    status: &str,
    delta: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO unit_status_counts (unit_id, status, members) VALUES ($1, $2, $3) \
         ON CONFLICT (unit_id, status) DO UPDATE SET members = unit_status_counts.members + excluded.members",
    )
    .bind(unit_id)
    .bind(status)
    .bind(delta)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

/// Current members of the scope by status, from the counters.
pub async fn by_status(conn: &mut Conn, scope: Scope) -> Result<Vec<(String, i64)>, StoreError> {
    let sql = format!(
        "SELECT c.status, CAST(SUM(c.members) AS BIGINT) AS n FROM unit_status_counts c WHERE {} \
         GROUP BY c.status HAVING SUM(c.members) <> 0 ORDER BY c.status",
        scope.condition("c.unit_id", 1)
    );
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(scope.param())
        .fetch_all(&mut *conn)
        .await
        .store()?;
    rows.iter()
        .map(|r| Ok((r.try_get("status")?, r.try_get("n")?)))
        .collect::<Result<_, sqlx::Error>>()
        .store()
}
