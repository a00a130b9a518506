//! Organizing drives: their metrics, targets, reports, and the per-month figures of every
//! unit in a drive's subtree (`drive_values`), kept current with each membership change
//! and report, and rebuilt from the day counters when the tree changes shape.

mod computed;
mod figures;
mod reports;
mod units;

pub use computed::recount;
pub use figures::*;
pub use reports::*;
pub use units::*;

use crate::counters::CountChange;
use crate::error::{ResultExt, StoreError};
use crate::{Conn, Scope};
use muster_domain::calendar::Calendar;
use muster_domain::drive::{MetricKind, Period, ReportStatus};
use muster_domain::Date;
use sqlx::{AssertSqlSafe, FromRow};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct DriveRow {
    pub id: i64,
    pub tree_id: i64,
    pub scope_unit_id: i64,
    pub code: String,
    pub name: String,
    pub calendar: String,
    pub start_month: String,
    pub months: i64,
    pub starts_on: String,
    pub ends_on: String,
    pub report_due_days: i64,
}

impl DriveRow {
    pub fn period(&self) -> Period {
        let calendar = Calendar::parse(&self.calendar).unwrap_or(Calendar::Gregorian);
        let (y, m) = self.start_month.split_once('-').unwrap_or(("1970", "01"));
        Period {
            calendar,
            start_year: y.parse().unwrap_or(1970),
            start_month: m.parse().unwrap_or(1),
            months: self.months.max(1) as u32,
        }
    }
}

/// What a drive is made of when created or edited.
#[derive(Debug, Clone)]
pub struct DriveFields {
    pub scope_unit_id: i64,
    pub code: String,
    pub name: String,
    pub period: Period,
    pub report_due_days: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct MetricRow {
    pub id: i64,
    pub drive_id: i64,
    pub position: i64,
    pub kind: String,
    pub informal_category: Option<String>,
    pub min_workers: Option<i64>,
    pub unit_of_measure: Option<String>,
    pub name: Option<String>,
    pub scheme_code: Option<String>,
}

#[derive(Debug, Clone)]
pub struct MetricFields {
    pub kind: MetricKind,
    pub informal_category: Option<String>,
    pub min_workers: Option<i64>,
    pub unit_of_measure: Option<String>,
    pub name: Option<String>,
    /// The scheme a `scheme_enrolled` metric counts.
    pub scheme_code: Option<String>,
}

const DRIVE_COLUMNS: &str = "d.id, d.tree_id, d.scope_unit_id, d.code, d.name, d.calendar, \
    d.start_month, d.months, d.starts_on, d.ends_on, d.report_due_days";

pub async fn by_code(conn: &mut Conn, code: &str) -> Result<Option<DriveRow>, StoreError> {
    let sql = format!("SELECT {DRIVE_COLUMNS} FROM drives d WHERE d.code = $1");
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(code)
        .fetch_optional(&mut *conn)
        .await
        .store()
}

/// Drives a caller may open: those whose scope lies in the caller's subtree, and those
/// above it (the caller then sees their own part). Newest first.
pub async fn list(conn: &mut Conn, scope: Scope) -> Result<Vec<DriveRow>, StoreError> {
    let sql = format!(
        "SELECT {DRIVE_COLUMNS} FROM drives d WHERE {} OR d.scope_unit_id IN \
         (SELECT ancestor_id FROM unit_closure WHERE descendant_id = $1) \
         ORDER BY d.starts_on DESC, d.id DESC",
        scope.condition("d.scope_unit_id", 1)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .fetch_all(&mut *conn)
        .await
        .store()
}

pub async fn insert(
    conn: &mut Conn,
    tree_id: i64,
    f: &DriveFields,
    now: &str,
) -> Result<i64, StoreError> {
    let (starts, ends) = f.period.bounds();
    sqlx::query_scalar(
        "INSERT INTO drives (tree_id, scope_unit_id, code, name, calendar, start_month, months, \
         starts_on, ends_on, report_due_days, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
    )
    .bind(tree_id)
    .bind(f.scope_unit_id)
    .bind(&f.code)
    .bind(&f.name)
    .bind(f.period.calendar.as_str())
    .bind(f.period.month_key(0))
    .bind(i64::from(f.period.months))
    .bind(starts.to_string())
    .bind(ends.to_string())
    .bind(f.report_due_days)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .store()
}

/// Renames a drive and changes when its reports fall due.
pub async fn update(
    conn: &mut Conn,
    id: i64,
    name: &str,
    report_due_days: i64,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE drives SET name = $2, report_due_days = $3, updated_at = $4 WHERE id = $1")
        .bind(id)
        .bind(name)
        .bind(report_due_days)
        .bind(now)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

pub async fn set_names(
    conn: &mut Conn,
    drive_id: i64,
    names: &[(String, String)],
) -> Result<(), StoreError> {
    crate::names::replace(conn, crate::names::DRIVES, drive_id, names).await
}

/// Names by locale of the given drives: (drive id, locale, name).
pub async fn names(
    conn: &mut Conn,
    drive_ids: &[i64],
) -> Result<Vec<(i64, String, String)>, StoreError> {
    if drive_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT drive_id, locale, name FROM drive_names WHERE drive_id IN ({}) ORDER BY drive_id, locale",
        crate::id_list(drive_ids)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await
        .store()
}

pub async fn insert_metric(
    conn: &mut Conn,
    drive_id: i64,
    position: i64,
    f: &MetricFields,
) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "INSERT INTO drive_metrics (drive_id, position, kind, informal_category, min_workers, \
         unit_of_measure, name, scheme_code) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(drive_id)
    .bind(position)
    .bind(f.kind.as_str())
    .bind(&f.informal_category)
    .bind(f.min_workers)
    .bind(&f.unit_of_measure)
    .bind(&f.name)
    .bind(&f.scheme_code)
    .fetch_one(&mut *conn)
    .await
    .store()
}

pub async fn set_metric_names(
    conn: &mut Conn,
    metric_id: i64,
    names: &[(String, String)],
) -> Result<(), StoreError> {
    crate::names::replace(conn, crate::names::METRICS, metric_id, names).await
}

pub async fn metrics(conn: &mut Conn, drive_id: i64) -> Result<Vec<MetricRow>, StoreError> {
    sqlx::query_as(
        "SELECT id, drive_id, position, kind, informal_category, min_workers, unit_of_measure, name, \
         scheme_code FROM drive_metrics WHERE drive_id = $1 ORDER BY position, id",
    )
    .bind(drive_id)
    .fetch_all(&mut *conn)
    .await
    .store()
}

/// Names by locale of a drive's metrics: (metric id, locale, name).
pub async fn metric_names(
    conn: &mut Conn,
    drive_id: i64,
) -> Result<Vec<(i64, String, String)>, StoreError> {
    sqlx::query_as(
        "SELECT n.metric_id, n.locale, n.name FROM drive_metric_names n \
         JOIN drive_metrics m ON m.id = n.metric_id WHERE m.drive_id = $1",
    )
    .bind(drive_id)
    .fetch_all(&mut *conn)
    .await
    .store()
}

// --- Targets ----------------------------------------------------------------------

/// Sets (or with `None` clears) one unit's target for one metric.
pub async fn set_target(
    conn: &mut Conn,
    metric_id: i64,
    unit_id: i64,
    target: Option<i64>,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM drive_targets WHERE metric_id = $1 AND unit_id = $2")
        .bind(metric_id)
        .bind(unit_id)
        .execute(&mut *conn)
        .await
        .store()?;
    if let Some(t) = target {
        sqlx::query("INSERT INTO drive_targets (metric_id, unit_id, target) VALUES ($1, $2, $3)")
            .bind(metric_id)
            .bind(unit_id)
            .bind(t)
            .execute(&mut *conn)
            .await
            .store()?;
    }
    Ok(())
}

/// The targets of a drive for a unit and its children: (metric id, unit id, target).
pub async fn targets(
    conn: &mut Conn,
    drive_id: i64,
    unit_id: i64,
) -> Result<Vec<(i64, i64, i64)>, StoreError> {
    sqlx::query_as(
        "SELECT t.metric_id, t.unit_id, t.target FROM drive_targets t \
         JOIN drive_metrics m ON m.id = t.metric_id AND m.drive_id = $1 \
         WHERE t.unit_id = $2 OR t.unit_id IN (SELECT id FROM units WHERE parent_id = $2)",
    )
    .bind(drive_id)
    .bind(unit_id)
    .fetch_all(&mut *conn)
    .await
    .store()
}
