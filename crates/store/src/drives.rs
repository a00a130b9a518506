//! Organizing drives: their metrics, targets, reports, and the per-month figures of every
//! unit in a drive's subtree (`drive_values`), kept current with each membership change
//! and report, and rebuilt from the day counters when the tree changes shape.

use crate::counters::CountChange;
use crate::error::{ResultExt, StoreError};
use crate::{Conn, Scope};
use muster_domain::calendar::Calendar;
use muster_domain::drive::{MetricKind, Period, ReportStatus};
use muster_domain::Date;
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq)]
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricRow {
    pub id: i64,
    pub drive_id: i64,
    pub position: i64,
    pub kind: String,
    pub informal_category: Option<String>,
    pub min_workers: Option<i64>,
    pub unit_of_measure: Option<String>,
    pub name: Option<String>,
}

#[derive(Debug, Clone)]
pub struct MetricFields {
    pub kind: MetricKind,
    pub informal_category: Option<String>,
    pub min_workers: Option<i64>,
    pub unit_of_measure: Option<String>,
    pub name: Option<String>,
}

const DRIVE_COLUMNS: &str = "d.id, d.tree_id, d.scope_unit_id, d.code, d.name, d.calendar, \
    d.start_month, d.months, d.starts_on, d.ends_on, d.report_due_days";

fn decode_drive(r: &AnyRow) -> Result<DriveRow, sqlx::Error> {
    Ok(DriveRow {
        id: r.try_get("id")?,
        tree_id: r.try_get("tree_id")?,
        scope_unit_id: r.try_get("scope_unit_id")?,
        code: r.try_get("code")?,
        name: r.try_get("name")?,
        calendar: r.try_get("calendar")?,
        start_month: r.try_get("start_month")?,
        months: r.try_get("months")?,
        starts_on: r.try_get("starts_on")?,
        ends_on: r.try_get("ends_on")?,
        report_due_days: r.try_get("report_due_days")?,
    })
}

fn decode_metric(r: &AnyRow) -> Result<MetricRow, sqlx::Error> {
    Ok(MetricRow {
        id: r.try_get("id")?,
        drive_id: r.try_get("drive_id")?,
        position: r.try_get("position")?,
        kind: r.try_get("kind")?,
        informal_category: r.try_get("informal_category")?,
        min_workers: r.try_get("min_workers")?,
        unit_of_measure: r.try_get("unit_of_measure")?,
        name: r.try_get("name")?,
    })
}

pub async fn by_code(conn: &mut Conn, code: &str) -> Result<Option<DriveRow>, StoreError> {
    let sql = format!("SELECT {DRIVE_COLUMNS} FROM drives d WHERE d.code = $1");
    let row = sqlx::query(AssertSqlSafe(sql))
        .bind(code)
        .fetch_optional(&mut *conn)
        .await
        .store()?;
    row.as_ref().map(decode_drive).transpose().store()
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
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(scope.param())
        .fetch_all(&mut *conn)
        .await
        .store()?;
    rows.iter()
        .map(decode_drive)
        .collect::<Result<_, _>>()
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
    let rows = sqlx::query(AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await
        .store()?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("drive_id")?,
                r.try_get("locale")?,
                r.try_get("name")?,
            ))
        })
        .collect::<Result<_, sqlx::Error>>()
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
         unit_of_measure, name) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(drive_id)
    .bind(position)
    .bind(f.kind.as_str())
    .bind(&f.informal_category)
    .bind(f.min_workers)
    .bind(&f.unit_of_measure)
    .bind(&f.name)
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
    let rows = sqlx::query(
        "SELECT id, drive_id, position, kind, informal_category, min_workers, unit_of_measure, name \
         FROM drive_metrics WHERE drive_id = $1 ORDER BY position, id",
    )
    .bind(drive_id)
    .fetch_all(&mut *conn)
    .await
    .store()?;
    rows.iter()
        .map(decode_metric)
        .collect::<Result<_, _>>()
        .store()
}

/// Names by locale of a drive's metrics: (metric id, locale, name).
pub async fn metric_names(
    conn: &mut Conn,
    drive_id: i64,
) -> Result<Vec<(i64, String, String)>, StoreError> {
    let rows = sqlx::query(
        "SELECT n.metric_id, n.locale, n.name FROM drive_metric_names n \
         JOIN drive_metrics m ON m.id = n.metric_id WHERE m.drive_id = $1",
    )
    .bind(drive_id)
    .fetch_all(&mut *conn)
    .await
    .store()?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("metric_id")?,
                r.try_get("locale")?,
                r.try_get("name")?,
            ))
        })
        .collect::<Result<_, sqlx::Error>>()
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
    let rows = sqlx::query(
        "SELECT t.metric_id, t.unit_id, t.target FROM drive_targets t \
         JOIN drive_metrics m ON m.id = t.metric_id AND m.drive_id = $1 \
         WHERE t.unit_id = $2 OR t.unit_id IN (SELECT id FROM units WHERE parent_id = $2)",
    )
    .bind(drive_id)
    .bind(unit_id)
    .fetch_all(&mut *conn)
    .await
    .store()?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("metric_id")?,
                r.try_get("unit_id")?,
                r.try_get("target")?,
            ))
        })
        .collect::<Result<_, sqlx::Error>>()
        .store()
}

// --- Figures ----------------------------------------------------------------------

/// One metric's figure for one unit and month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Value {
    pub metric_id: i64,
    pub unit_id: i64,
    pub period: i64,
    pub own: i64,
    pub total: i64,
}

/// The figures of a drive for a unit and its children, every month.
pub async fn values(
    conn: &mut Conn,
    drive_id: i64,
    unit_id: i64,
) -> Result<Vec<Value>, StoreError> {
    let rows = sqlx::query(
        // Metric by unit, each pair one range of the primary key (an `OR` of the unit
        // and its children would scan the table on PostgreSQL).
        "SELECT v.metric_id, v.unit_id, v.period, v.own, v.total FROM drive_metrics m \
         CROSS JOIN (SELECT CAST($2 AS BIGINT) AS id UNION ALL SELECT id FROM units WHERE parent_id = $2) u \
         JOIN drive_values v ON v.metric_id = m.id AND v.unit_id = u.id \
         WHERE m.drive_id = $1",
    )
    .bind(drive_id)
    .bind(unit_id)
    .fetch_all(&mut *conn)
    .await
    .store()?;
    rows.iter()
        .map(|r| {
            Ok(Value {
                metric_id: r.try_get("metric_id")?,
                unit_id: r.try_get("unit_id")?,
                period: r.try_get("period")?,
                own: r.try_get("own")?,
                total: r.try_get("total")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .store()
}

/// Adds `delta` to one unit's own figure and to the subtree figure of it and every unit
/// above it up to the drive's scope unit.
pub async fn add_value(
    conn: &mut Conn,
    scope_unit_id: i64,
    metric_id: i64,
    unit_id: i64,
    period: i64,
    delta: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO drive_values (metric_id, unit_id, period, own, total) \
         SELECT $1, c.ancestor_id, $3, CASE WHEN c.depth = 0 THEN $4 ELSE 0 END, $4 \
         FROM unit_closure c JOIN unit_closure s ON s.descendant_id = c.ancestor_id AND s.ancestor_id = $5 \
         WHERE c.descendant_id = $2 \
         ON CONFLICT (metric_id, unit_id, period) DO UPDATE SET \
         own = drive_values.own + excluded.own, total = drive_values.total + excluded.total",
    )
    .bind(metric_id)
    .bind(unit_id)
    .bind(period)
    .bind(delta)
    .bind(scope_unit_id)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

/// What one membership change adds to a metric computed from memberships.
fn membership_figure(kind: MetricKind, category: Option<&str>, c: &CountChange) -> i64 {
    match kind {
        MetricKind::NewMembers => c.joins,
        MetricKind::NewInformal
            if c.employment_type == "informal"
                && category.is_none_or(|k| k == c.informal_category) =>
        {
            c.joins
        }
        MetricKind::NetChange => c.active_delta,
        _ => 0,
    }
}

/// Counts one membership change in every drive whose scope holds the unit and whose
/// period holds the day. Called by `counters::apply`, inside the change's transaction.
pub async fn count(conn: &mut Conn, c: &CountChange) -> Result<(), StoreError> {
    count_many(conn, std::slice::from_ref(c)).await
}

/// Counts membership changes (one, or an import's) in every drive whose scope holds
/// their unit and whose period holds their day, reading the drives under way and the
/// units' ancestors once and writing each figure once: a unit's own figure, and the
/// subtree figure of it and every unit above it up to the drive's scope unit.
pub async fn count_many(conn: &mut Conn, changes: &[CountChange]) -> Result<(), StoreError> {
    let changes: Vec<(&CountChange, Date)> = changes
        .iter()
        .filter(|c| c.joins != 0 || c.active_delta != 0)
        .filter_map(|c| Some((c, Date::parse_iso(&c.day).ok()?)))
        .collect();
    let (Some(first), Some(last)) = (
        changes.iter().map(|(c, _)| c.day.as_str()).min(),
        changes.iter().map(|(c, _)| c.day.as_str()).max(),
    ) else {
        return Ok(());
    };
    let sql = format!(
        "SELECT {DRIVE_COLUMNS}, m.id AS metric_id, m.kind, m.informal_category FROM drives d \
         JOIN drive_metrics m ON m.drive_id = d.id \
         WHERE d.starts_on <= $2 AND d.ends_on > $1 \
         AND m.kind IN ('new_members', 'new_informal', 'net_change')"
    );
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(first)
        .bind(last)
        .fetch_all(&mut *conn)
        .await
        .store()?;
    let mut metrics = Vec::with_capacity(rows.len());
    for r in &rows {
        let kind: String = r.try_get("kind").store()?;
        if let Ok(kind) = MetricKind::parse(&kind) {
            let category: Option<String> = r.try_get("informal_category").store()?;
            let metric_id: i64 = r.try_get("metric_id").store()?;
            metrics.push((decode_drive(r).store()?, metric_id, kind, category));
        }
    }
    if metrics.is_empty() {
        return Ok(());
    }
    // Each unit's ancestors with their distance, itself at 0.
    let mut units: Vec<i64> = changes.iter().map(|(c, _)| c.unit_id).collect();
    units.sort_unstable();
    units.dedup();
    let sql = format!(
        "SELECT descendant_id, ancestor_id, depth FROM unit_closure WHERE descendant_id IN ({})",
        crate::id_list(&units)
    );
    let mut above: HashMap<i64, Vec<(i64, i64)>> = HashMap::new();
    for (unit, ancestor, depth) in sqlx::query_as::<_, (i64, i64, i64)>(AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await
        .store()?
    {
        above.entry(unit).or_default().push((ancestor, depth));
    }
    // (metric, unit, period) -> (own, total), as `add_value` adds them one by one.
    let mut figures: HashMap<(i64, i64, i64), (i64, i64)> = HashMap::new();
    for (c, day) in &changes {
        let Some(ancestors) = above.get(&c.unit_id) else {
            continue;
        };
        for (drive, metric_id, kind, category) in &metrics {
            let Some(scope_depth) = ancestors
                .iter()
                .find(|(a, _)| *a == drive.scope_unit_id)
                .map(|(_, d)| *d)
            else {
                continue;
            };
            if !(drive.starts_on.as_str() <= c.day.as_str()
                && c.day.as_str() < drive.ends_on.as_str())
            {
                continue;
            }
            let Some(period) = drive.period().index_of(*day) else {
                continue;
            };
            let figure = membership_figure(*kind, category.as_deref(), c);
            if figure == 0 {
                continue;
            }
            for (a, depth) in ancestors.iter().filter(|(_, d)| *d <= scope_depth) {
                let f = figures
                    .entry((*metric_id, *a, i64::from(period)))
                    .or_default();
                if *depth == 0 {
                    f.0 += figure;
                }
                f.1 += figure;
            }
        }
    }
    let rows: Vec<(i64, i64, i64, i64, i64)> = figures
        .into_iter()
        .map(|((m, u, p), (own, total))| (m, u, p, own, total))
        .collect();
    use crate::import::Kind::Int;
    crate::import::insert_rows(
        conn,
        "INSERT INTO drive_values (metric_id, unit_id, period, own, total)",
        &[Int, Int, Int, Int, Int],
        "",
        "WHERE true ON CONFLICT (metric_id, unit_id, period) DO UPDATE SET \
         own = drive_values.own + excluded.own, total = drive_values.total + excluded.total",
        &rows,
    )
    .await
}

/// The units of a drive's subtree and their parents (the scope unit's parent is `None`).
async fn subtree_parents(
    conn: &mut Conn,
    scope_unit_id: i64,
) -> Result<HashMap<i64, Option<i64>>, StoreError> {
    let rows = sqlx::query(
        "SELECT u.id, CASE WHEN c.depth = 0 THEN NULL ELSE u.parent_id END AS parent_id \
         FROM unit_closure c JOIN units u ON u.id = c.descendant_id WHERE c.ancestor_id = $1",
    )
    .bind(scope_unit_id)
    .fetch_all(&mut *conn)
    .await
    .store()?;
    rows.iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("parent_id")?)))
        .collect::<Result<_, sqlx::Error>>()
        .store()
}

/// Figures of units' own, keyed by (metric, unit, month).
type OwnFigures = HashMap<(i64, i64, i64), i64>;

/// Recomputes a drive's figures from scratch: membership metrics from the day counters,
/// new units from the units' founding dates, custom metrics from the reports that count.
/// With `only_units`, only the new-unit metrics are redone (after a unit is created or
/// edited, which is cheap); otherwise everything (after a unit moves).
pub async fn rebuild(
    conn: &mut Conn,
    drive: &DriveRow,
    only_units: bool,
) -> Result<(), StoreError> {
    let metrics = metrics(conn, drive.id).await?;
    let redo: Vec<&MetricRow> = metrics
        .iter()
        .filter(|m| !only_units || m.kind == MetricKind::NewUnits.as_str())
        .collect();
    if redo.is_empty() {
        return Ok(());
    }
    let metric_ids: Vec<i64> = redo.iter().map(|m| m.id).collect();
    let sql = format!(
        "DELETE FROM drive_values WHERE metric_id IN ({})",
        crate::id_list(&metric_ids)
    );
    sqlx::query(AssertSqlSafe(sql))
        .execute(&mut *conn)
        .await
        .store()?;

    let period = drive.period();
    let mut own = OwnFigures::new();
    let kinds: Vec<(i64, MetricKind, Option<String>, Option<i64>)> = redo
        .iter()
        .filter_map(|m| {
            let kind = MetricKind::parse(&m.kind).ok()?;
            Some((m.id, kind, m.informal_category.clone(), m.min_workers))
        })
        .collect();

    if kinds.iter().any(|(_, k, _, _)| k.from_memberships()) {
        let rows = sqlx::query(
            "SELECT d.unit_id, d.day, d.employment_type, d.informal_category, d.joins, d.active_delta \
             FROM unit_closure s JOIN unit_day_counts d ON d.unit_id = s.descendant_id \
             WHERE s.ancestor_id = $1 AND d.day >= $2 AND d.day < $3",
        )
        .bind(drive.scope_unit_id)
        .bind(&drive.starts_on)
        .bind(&drive.ends_on)
        .fetch_all(&mut *conn)
        .await
        .store()?;
        // Many rows share a day: map each day to its month once.
        let mut months: HashMap<String, Option<u32>> = HashMap::new();
        for r in &rows {
            let change = CountChange {
                unit_id: r.try_get("unit_id").store()?,
                day: r.try_get("day").store()?,
                employment_type: r.try_get("employment_type").store()?,
                informal_category: r.try_get("informal_category").store()?,
                joins: r.try_get("joins").store()?,
                active_delta: r.try_get("active_delta").store()?,
                ..CountChange::default()
            };
            let month = *months.entry(change.day.clone()).or_insert_with(|| {
                Date::parse_iso(&change.day)
                    .ok()
                    .and_then(|d| period.index_of(d))
            });
            let Some(month) = month else { continue };
            for (metric_id, kind, category, _) in &kinds {
                let figure = membership_figure(*kind, category.as_deref(), &change);
                if figure != 0 {
                    *own.entry((*metric_id, change.unit_id, i64::from(month)))
                        .or_default() += figure;
                }
            }
        }
    }

    let unit_metrics: Vec<(i64, Option<i64>)> = kinds
        .iter()
        .filter(|(_, k, _, _)| *k == MetricKind::NewUnits)
        .map(|(id, _, _, min)| (*id, *min))
        .collect();
    if !unit_metrics.is_empty() {
        // A new grassroots unit counts for the unit it was founded under.
        let rows = sqlx::query(
            "SELECT u.parent_id, u.founded_on, w.headcount FROM unit_closure s \
             JOIN units u ON u.id = s.descendant_id \
             LEFT JOIN workplaces w ON w.id = u.workplace_id \
             WHERE s.ancestor_id = $1 AND s.depth > 0 AND u.archived = 0 \
             AND u.founded_on >= $2 AND u.founded_on < $3 \
             AND u.level = (SELECT l.name FROM tree_levels l WHERE l.tree_id = $4 \
                 ORDER BY l.position DESC LIMIT 1)",
        )
        .bind(drive.scope_unit_id)
        .bind(&drive.starts_on)
        .bind(&drive.ends_on)
        .bind(drive.tree_id)
        .fetch_all(&mut *conn)
        .await
        .store()?;
        for r in &rows {
            let parent: i64 = r.try_get("parent_id").store()?;
            let founded: String = r.try_get("founded_on").store()?;
            let headcount: Option<i64> = r.try_get("headcount").store()?;
            let Some(month) = Date::parse_iso(&founded)
                .ok()
                .and_then(|d| period.index_of(d))
            else {
                continue;
            };
            for (metric_id, min) in &unit_metrics {
                if min.is_none_or(|n| headcount.unwrap_or(0) >= n) {
                    *own.entry((*metric_id, parent, i64::from(month)))
                        .or_default() += 1;
                }
            }
        }
    }

    if kinds.iter().any(|(_, k, _, _)| *k == MetricKind::Custom) {
        let rows = sqlx::query(
            "SELECT r.unit_id, r.period, v.metric_id, v.value FROM drive_reports r \
             JOIN drive_report_values v ON v.report_id = r.id \
             WHERE r.drive_id = $1 AND r.status <> 'returned'",
        )
        .bind(drive.id)
        .fetch_all(&mut *conn)
        .await
        .store()?;
        for r in &rows {
            let metric_id: i64 = r.try_get("metric_id").store()?;
            if metric_ids.contains(&metric_id) {
                let key = (
                    metric_id,
                    r.try_get("unit_id").store()?,
                    r.try_get("period").store()?,
                );
                *own.entry(key).or_default() += r.try_get::<i64, _>("value").store()?;
            }
        }
    }
    write_figures(conn, drive.scope_unit_id, own).await
}

/// Writes own figures and the subtree totals they make, walking each unit's parents up
/// to the scope unit.
async fn write_figures(
    conn: &mut Conn,
    scope_unit_id: i64,
    own: OwnFigures,
) -> Result<(), StoreError> {
    let parents = subtree_parents(conn, scope_unit_id).await?;
    let mut rows: HashMap<(i64, i64, i64), (i64, i64)> = HashMap::new();
    for ((metric, unit, month), figure) in own {
        if !parents.contains_key(&unit) {
            continue;
        }
        rows.entry((metric, unit, month)).or_default().0 += figure;
        let mut at = Some(unit);
        while let Some(u) = at {
            rows.entry((metric, u, month)).or_default().1 += figure;
            at = parents.get(&u).copied().flatten();
        }
    }
    let rows: Vec<_> = rows
        .into_iter()
        .filter(|(_, (o, t))| *o != 0 || *t != 0)
        .collect();
    for chunk in rows.chunks(400) {
        let mut sql = String::from(
            "INSERT INTO drive_values (metric_id, unit_id, period, own, total) VALUES ",
        );
        for (i, ((metric, unit, month), (o, t))) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!("({metric},{unit},{month},{o},{t})"));
        }
        sqlx::query(AssertSqlSafe(sql))
            .execute(&mut *conn)
            .await
            .store()?;
    }
    Ok(())
}

/// Moves the subtree figures of `unit_id` off the units above it within the drive's
/// scope (`sign` -1, before a move) or onto them (`sign` 1, after it). For a unit that
/// stays inside the scope this is all a move changes, besides where a new unit counts.
pub async fn shift_subtree(
    conn: &mut Conn,
    drive: &DriveRow,
    unit_id: i64,
    sign: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO drive_values (metric_id, unit_id, period, own, total) \
         SELECT v.metric_id, c.ancestor_id, v.period, 0, $3 * v.total \
         FROM drive_values v \
         JOIN unit_closure c ON c.descendant_id = v.unit_id AND c.depth > 0 \
         JOIN unit_closure s ON s.descendant_id = c.ancestor_id AND s.ancestor_id = $4 \
         WHERE v.unit_id = $2 AND v.metric_id IN (SELECT id FROM drive_metrics WHERE drive_id = $1) \
         ON CONFLICT (metric_id, unit_id, period) DO UPDATE SET total = drive_values.total + excluded.total",
    )
    .bind(drive.id)
    .bind(unit_id)
    .bind(sign)
    .bind(drive.scope_unit_id)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

/// The drives of a tree, for rebuilding after the tree changes.
pub async fn of_tree(conn: &mut Conn, tree_id: i64) -> Result<Vec<DriveRow>, StoreError> {
    let sql = format!("SELECT {DRIVE_COLUMNS} FROM drives d WHERE d.tree_id = $1 ORDER BY d.id");
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(tree_id)
        .fetch_all(&mut *conn)
        .await
        .store()?;
    rows.iter()
        .map(decode_drive)
        .collect::<Result<_, _>>()
        .store()
}

// --- Reports ----------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    pub id: i64,
    pub drive_id: i64,
    pub unit_id: i64,
    pub period: i64,
    pub status: String,
    pub narrative: String,
    pub review_comment: Option<String>,
    pub filed_by: Option<String>,
    pub filed_at: String,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<String>,
    pub unit_code: String,
    /// In the locale asked for, else the unit's own name.
    pub unit_name: String,
}

/// The columns of a report with its unit's name in the locale of placeholder `$locale`.
fn report_select(locale: usize) -> String {
    format!(
        "SELECT r.id, r.drive_id, r.unit_id, r.period, r.status, r.narrative, r.review_comment, \
         f.username AS filed_by, r.filed_at, v.username AS reviewed_by, r.reviewed_at, \
         u.code AS unit_code, COALESCE(n.name, u.name) AS unit_name \
         FROM drive_reports r JOIN units u ON u.id = r.unit_id \
         LEFT JOIN unit_names n ON n.unit_id = u.id AND n.locale = ${locale} \
         LEFT JOIN users f ON f.id = r.filed_by LEFT JOIN users v ON v.id = r.reviewed_by"
    )
}

fn decode_report(r: &AnyRow) -> Result<ReportRow, sqlx::Error> {
    Ok(ReportRow {
        id: r.try_get("id")?,
        drive_id: r.try_get("drive_id")?,
        unit_id: r.try_get("unit_id")?,
        period: r.try_get("period")?,
        status: r.try_get("status")?,
        narrative: r.try_get("narrative")?,
        review_comment: r.try_get("review_comment")?,
        filed_by: r.try_get("filed_by")?,
        filed_at: r.try_get("filed_at")?,
        reviewed_by: r.try_get("reviewed_by")?,
        reviewed_at: r.try_get("reviewed_at")?,
        unit_code: r.try_get("unit_code")?,
        unit_name: r.try_get("unit_name")?,
    })
}

/// One unit's report for one month, its unit named in `locale`.
pub async fn report(
    conn: &mut Conn,
    drive_id: i64,
    unit_id: i64,
    period: i64,
    locale: &str,
) -> Result<Option<ReportRow>, StoreError> {
    let sql = format!(
        "{} WHERE r.drive_id = $1 AND r.unit_id = $2 AND r.period = $3",
        report_select(4)
    );
    let row = sqlx::query(AssertSqlSafe(sql))
        .bind(drive_id)
        .bind(unit_id)
        .bind(period)
        .bind(locale)
        .fetch_optional(&mut *conn)
        .await
        .store()?;
    row.as_ref().map(decode_report).transpose().store()
}

/// The reports of a drive filed by units in `scope`, by month and unit, the units
/// named in `locale`.
pub async fn reports(
    conn: &mut Conn,
    drive_id: i64,
    scope: Scope,
    locale: &str,
) -> Result<Vec<ReportRow>, StoreError> {
    let sql = format!(
        "{} WHERE r.drive_id = $2 AND {} ORDER BY r.period, r.unit_id",
        report_select(3),
        scope.condition("r.unit_id", 1)
    );
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(drive_id)
        .bind(locale)
        .fetch_all(&mut *conn)
        .await
        .store()?;
    rows.iter()
        .map(decode_report)
        .collect::<Result<_, _>>()
        .store()
}

/// The figures of every report of a drive: report id → (metric id → figure).
pub async fn drive_report_values(
    conn: &mut Conn,
    drive_id: i64,
) -> Result<HashMap<i64, std::collections::BTreeMap<i64, i64>>, StoreError> {
    let rows = sqlx::query(
        "SELECT v.report_id, v.metric_id, v.value FROM drive_report_values v \
         JOIN drive_reports r ON r.id = v.report_id WHERE r.drive_id = $1",
    )
    .bind(drive_id)
    .fetch_all(&mut *conn)
    .await
    .store()?;
    let mut out: HashMap<i64, std::collections::BTreeMap<i64, i64>> = HashMap::new();
    for r in &rows {
        out.entry(r.try_get("report_id").store()?)
            .or_default()
            .insert(r.try_get("metric_id").store()?, r.try_get("value").store()?);
    }
    Ok(out)
}

pub async fn report_values(conn: &mut Conn, report_id: i64) -> Result<Vec<(i64, i64)>, StoreError> {
    let rows = sqlx::query("SELECT metric_id, value FROM drive_report_values WHERE report_id = $1")
        .bind(report_id)
        .fetch_all(&mut *conn)
        .await
        .store()?;
    rows.iter()
        .map(|r| Ok((r.try_get("metric_id")?, r.try_get("value")?)))
        .collect::<Result<_, sqlx::Error>>()
        .store()
}

/// One unit's report for one month, as filed.
#[derive(Debug, Clone, Copy)]
pub struct Filing<'a> {
    pub unit_id: i64,
    pub period: i64,
    pub narrative: &'a str,
    /// (metric id, figure) for each custom metric.
    pub figures: &'a [(i64, i64)],
    pub user_id: Option<i64>,
}

/// Files (or files again) a unit's report for one month: it becomes `submitted` with
/// these figures, and the figures of the report it replaces stop counting.
pub async fn file_report(
    conn: &mut Conn,
    drive: &DriveRow,
    filing: &Filing<'_>,
    now: &str,
) -> Result<i64, StoreError> {
    let Filing {
        unit_id,
        period,
        narrative,
        figures,
        user_id,
    } = *filing;
    let previous = report(conn, drive.id, unit_id, period, "").await?;
    let id = match &previous {
        Some(old) => {
            if ReportStatus::parse(&old.status).is_ok_and(ReportStatus::counts) {
                for (metric_id, value) in report_values(conn, old.id).await? {
                    add_value(conn, drive.scope_unit_id, metric_id, unit_id, period, -value).await?;
                }
            }
            sqlx::query("DELETE FROM drive_report_values WHERE report_id = $1")
                .bind(old.id)
                .execute(&mut *conn)
                .await
                .store()?;
            sqlx::query(
                "UPDATE drive_reports SET status = 'submitted', narrative = $2, filed_by = $3, \
                 filed_at = $4, reviewed_by = NULL, reviewed_at = NULL WHERE id = $1",
            )
            .bind(old.id)
            .bind(narrative)
            .bind(user_id)
            .bind(now)
            .execute(&mut *conn)
            .await
            .store()?;
            old.id
        }
        None => sqlx::query_scalar(
            "INSERT INTO drive_reports (drive_id, unit_id, period, status, narrative, filed_by, filed_at) \
             VALUES ($1, $2, $3, 'submitted', $4, $5, $6) RETURNING id",
        )
        .bind(drive.id)
        .bind(unit_id)
        .bind(period)
        .bind(narrative)
        .bind(user_id)
        .bind(now)
        .fetch_one(&mut *conn)
        .await
        .store()?,
    };
    for (metric_id, value) in figures {
        sqlx::query(
            "INSERT INTO drive_report_values (report_id, metric_id, value) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(metric_id)
        .bind(value)
        .execute(&mut *conn)
        .await
        .store()?;
        add_value(
            conn,
            drive.scope_unit_id,
            *metric_id,
            unit_id,
            period,
            *value,
        )
        .await?;
    }
    Ok(id)
}

/// Accepts or returns a filed report; a returned report's figures stop counting.
pub async fn review_report(
    conn: &mut Conn,
    drive: &DriveRow,
    report: &ReportRow,
    to: ReportStatus,
    comment: Option<&str>,
    user_id: Option<i64>,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE drive_reports SET status = $2, review_comment = $3, reviewed_by = $4, reviewed_at = $5 \
         WHERE id = $1",
    )
    .bind(report.id)
    .bind(to.as_str())
    .bind(comment)
    .bind(user_id)
    .bind(now)
    .execute(&mut *conn)
    .await
    .store()?;
    let was = ReportStatus::parse(&report.status).is_ok_and(ReportStatus::counts);
    if was && !to.counts() {
        for (metric_id, value) in report_values(conn, report.id).await? {
            add_value(
                conn,
                drive.scope_unit_id,
                metric_id,
                report.unit_id,
                report.period,
                -value,
            )
            .await?;
        }
    }
    Ok(())
}

/// A unit that must report: its id, code, name (in the locale asked for) and founding date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportingUnit {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub founded_on: Option<String>,
}

/// Units below the drive's scope unit, inside `scope`, that file monthly reports.
pub async fn reporting_units(
    conn: &mut Conn,
    drive: &DriveRow,
    scope: Scope,
    locale: &str,
) -> Result<Vec<ReportingUnit>, StoreError> {
    let sql = format!(
        "SELECT u.id, u.code, COALESCE(n.name, u.name) AS name, u.founded_on FROM unit_closure s \
         JOIN units u ON u.id = s.descendant_id \
         LEFT JOIN unit_names n ON n.unit_id = u.id AND n.locale = $3 \
         WHERE s.ancestor_id = $2 AND s.depth > 0 AND u.archived = 0 AND {} ORDER BY u.code",
        scope.condition("u.id", 1)
    );
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(drive.scope_unit_id)
        .bind(locale)
        .fetch_all(&mut *conn)
        .await
        .store()?;
    rows.iter()
        .map(|r| {
            Ok(ReportingUnit {
                id: r.try_get("id")?,
                code: r.try_get("code")?,
                name: r.try_get("name")?,
                founded_on: r.try_get("founded_on")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .store()
}

/// A unit shown in a drive's tables: its id, code and name in the reader's locale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedUnit {
    pub id: i64,
    pub code: String,
    pub name: String,
}

fn decode_named(r: &AnyRow) -> Result<NamedUnit, sqlx::Error> {
    Ok(NamedUnit {
        id: r.try_get("id")?,
        code: r.try_get("code")?,
        name: r.try_get("name")?,
    })
}

/// The children of a unit (archived ones too: their figures still count), by code.
pub async fn children(
    conn: &mut Conn,
    unit_id: i64,
    locale: &str,
) -> Result<Vec<NamedUnit>, StoreError> {
    let rows = sqlx::query(
        "SELECT u.id, u.code, COALESCE(n.name, u.name) AS name FROM units u \
         LEFT JOIN unit_names n ON n.unit_id = u.id AND n.locale = $2 \
         WHERE u.parent_id = $1 ORDER BY u.code",
    )
    .bind(unit_id)
    .bind(locale)
    .fetch_all(&mut *conn)
    .await
    .store()?;
    rows.iter()
        .map(decode_named)
        .collect::<Result<_, sqlx::Error>>()
        .store()
}

/// The units from `top` down to `unit` (both included), top first.
pub async fn path(
    conn: &mut Conn,
    top: i64,
    unit_id: i64,
    locale: &str,
) -> Result<Vec<NamedUnit>, StoreError> {
    let rows = sqlx::query(
        "SELECT u.id, u.code, COALESCE(n.name, u.name) AS name FROM unit_closure c \
         JOIN units u ON u.id = c.ancestor_id \
         JOIN unit_closure t ON t.descendant_id = c.ancestor_id AND t.ancestor_id = $1 \
         LEFT JOIN unit_names n ON n.unit_id = u.id AND n.locale = $3 \
         WHERE c.descendant_id = $2 ORDER BY c.depth DESC",
    )
    .bind(top)
    .bind(unit_id)
    .bind(locale)
    .fetch_all(&mut *conn)
    .await
    .store()?;
    rows.iter()
        .map(decode_named)
        .collect::<Result<_, sqlx::Error>>()
        .store()
}

/// What a proportional split weighs each child by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    /// Active members of the child's subtree.
    Members,
    /// Workers of the workplaces covered by a unit of the child's subtree.
    Workforce,
}

/// The weight of each child of `unit_id` (children without any weigh 0).
pub async fn split_weights(
    conn: &mut Conn,
    unit_id: i64,
    weight: Weight,
) -> Result<HashMap<i64, i64>, StoreError> {
    let sql = match weight {
        Weight::Members => {
            "SELECT s.unit_id AS id, CAST(SUM(s.members) AS BIGINT) AS w FROM subtree_status_counts s \
             JOIN units u ON u.id = s.unit_id WHERE u.parent_id = $1 AND s.status = 'active' GROUP BY s.unit_id"
        }
        Weight::Workforce => {
            "SELECT c.ancestor_id AS id, CAST(SUM(w.headcount) AS BIGINT) AS w FROM workplaces w \
             JOIN unit_closure c ON c.descendant_id = w.covering_unit_id \
             JOIN units u ON u.id = c.ancestor_id \
             WHERE u.parent_id = $1 AND w.archived = 0 AND w.headcount IS NOT NULL GROUP BY c.ancestor_id"
        }
    };
    let rows = sqlx::query(sql)
        .bind(unit_id)
        .fetch_all(&mut *conn)
        .await
        .store()?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("id")?,
                r.try_get::<Option<i64>, _>("w")?.unwrap_or(0),
            ))
        })
        .collect::<Result<_, sqlx::Error>>()
        .store()
}
