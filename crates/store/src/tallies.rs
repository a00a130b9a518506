//! Tallies: for every unit, figure and day, the unit's own count and its subtree's, so a
//! roll-up of any subtree over any run of days (a quarter of any calendar) reads a few
//! rows per unit instead of every record below it. Modules give the queries that count
//! their records (`tally_parts`); the write path counts the units a change touched
//! again and adds the differences up the tree; a unit move shifts its subtree's totals.

use crate::error::{ResultExt, StoreError};
use crate::{id_list, Conn};
use sqlx::AssertSqlSafe;
use std::collections::BTreeMap;

/// ISO days as an SQL list (`'2026-04-28', ...`); anything but digits and dashes is
/// left out, so the list is safe to write into the text. `None` when nothing is left.
fn day_list(days: &[String]) -> Option<String> {
    let list: Vec<String> = days
        .iter()
        .filter(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit() || c == '-'))
        .map(|d| format!("'{d}'"))
        .collect();
    (!list.is_empty()).then(|| list.join(", "))
}

/// Every module's tally queries as one: of the unit `${param}` when given (on the days
/// of `days`, a `day_list`, when given), else of all.
fn own_sql(param: Option<usize>, days: Option<&str>) -> String {
    let within = |column: &str, day: &str| match (param, days) {
        (Some(p), Some(days)) => format!("{column} = ${p} AND {day} IN ({days})"),
        (Some(p), None) => format!("{column} = ${p}"),
        (None, _) => "1 = 1".to_string(),
    };
    let mut parts = crate::governance::tally_parts(&within);
    parts.extend(crate::events::tally_parts(&within));
    parts.extend(crate::competitions::tally_parts(&within));
    parts.extend(crate::honors::tally_parts(&within));
    parts.extend(crate::cases::tally_parts(&within));
    parts.extend(crate::aid::tally_parts(&within));
    parts.extend(crate::schemes::tally_parts(&within));
    parts.join(" UNION ALL ")
}

/// Counts every unit's tallies again from the records: at start-up when they are empty
/// but records exist (a database from before them), and after a bulk load.
pub async fn rebuild(conn: &mut Conn) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM unit_tallies")
        .execute(&mut *conn)
        .await
        .store()?;
    let sql = format!(
        "INSERT INTO unit_tallies (unit_id, figure, day, own, total) \
         SELECT cl.ancestor_id, f.figure, f.day, SUM(CASE WHEN cl.depth = 0 THEN f.n ELSE 0 END), SUM(f.n) \
         FROM ({}) f JOIN unit_closure cl ON cl.descendant_id = f.unit_id \
         GROUP BY cl.ancestor_id, f.figure, f.day",
        own_sql(None, None)
    );
    sqlx::query(AssertSqlSafe(sql))
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

/// Whether records exist but were never tallied.
pub async fn missing(conn: &mut Conn) -> Result<bool, StoreError> {
    let any = |table: &str| format!("SELECT COUNT(*) FROM (SELECT 1 FROM {table} LIMIT 1) x");
    let mut records = 0;
    for table in [
        "committees",
        "events",
        "cases",
        "aid_budgets",
        "enrollments",
    ] {
        let n: i64 = sqlx::query_scalar(AssertSqlSafe(any(table)))
            .fetch_one(&mut *conn)
            .await
            .store()?;
        records += n;
    }
    let counted: i64 = sqlx::query_scalar(AssertSqlSafe(any("unit_tallies")))
        .fetch_one(&mut *conn)
        .await
        .store()?;
    Ok(records > 0 && counted == 0)
}

/// Counts the own tallies of `units` again from their records (on some days only,
/// when a change touched only those) and adds each difference to the unit and every
/// unit above it. Called by the write path for the units whose records a change
/// touched.
pub async fn recount(
    conn: &mut Conn,
    units: &[(i64, Option<Vec<String>>)],
) -> Result<(), StoreError> {
    for (unit, days) in units {
        let days = days.as_deref().and_then(day_list);
        let now: Vec<(i64, String, String, i64)> =
            sqlx::query_as(AssertSqlSafe(own_sql(Some(1), days.as_deref())))
                .bind(unit)
                .fetch_all(&mut *conn)
                .await
                .store()?;
        let before_sql = match &days {
            Some(days) => format!(
                "SELECT figure, day, own FROM unit_tallies WHERE unit_id = $1 AND day IN ({days})"
            ),
            None => "SELECT figure, day, own FROM unit_tallies WHERE unit_id = $1".to_string(),
        };
        let before: Vec<(String, String, i64)> = sqlx::query_as(AssertSqlSafe(before_sql))
            .bind(unit)
            .fetch_all(&mut *conn)
            .await
            .store()?;
        let mut delta: BTreeMap<(String, String), i64> = BTreeMap::new();
        for (_, figure, day, n) in now {
            *delta.entry((figure, day)).or_default() += n;
        }
        for (figure, day, own) in before {
            *delta.entry((figure, day)).or_default() -= own;
        }
        for ((figure, day), d) in delta.into_iter().filter(|(_, d)| *d != 0) {
            add(conn, *unit, &figure, &day, d).await?;
        }
    }
    Ok(())
}

/// Adds `by` to `unit`'s own tally of `figure` on `day` and to the subtree total of it
/// and of every unit above it.
pub async fn add(
    conn: &mut Conn,
    unit: i64,
    figure: &str,
    day: &str,
    by: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO unit_tallies (unit_id, figure, day, own, total) \
         SELECT c.ancestor_id, $2, $3, CASE WHEN c.depth = 0 THEN $4 ELSE 0 END, $4 \
         FROM unit_closure c WHERE c.descendant_id = $1 \
         ON CONFLICT (unit_id, figure, day) DO UPDATE SET \
         own = unit_tallies.own + excluded.own, total = unit_tallies.total + excluded.total",
    )
    .bind(unit)
    .bind(figure)
    .bind(day)
    .bind(by)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

/// Moves the subtree figures of `unit_id` off the units above it (`sign` -1, before a
/// move) or onto them (`sign` 1, after it).
pub async fn shift_subtree(conn: &mut Conn, unit_id: i64, sign: i64) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO unit_tallies (unit_id, figure, day, own, total) \
         SELECT c.ancestor_id, v.figure, v.day, 0, $2 * v.total FROM unit_tallies v \
         JOIN unit_closure c ON c.descendant_id = v.unit_id AND c.depth > 0 WHERE v.unit_id = $1 \
         ON CONFLICT (unit_id, figure, day) DO UPDATE SET total = unit_tallies.total + excluded.total",
    )
    .bind(unit_id)
    .bind(sign)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

/// Figures summed over a run of days: `from` (included, none for all before) to `to`
/// (excluded).
#[derive(Debug, Clone)]
pub struct Range {
    pub figures: Vec<String>,
    pub from: Option<String>,
    pub to: String,
}

/// The subtree totals of each root for each range's figures over its days, keyed by
/// (root, figure). Each root and figure is one range of the primary key; a query per
/// range (an `OR` of them would read every row of each root; a `UNION ALL` of them
/// PostgreSQL runs in parallel workers, whose start costs more than the whole of it).
pub async fn read(
    conn: &mut Conn,
    roots: &[i64],
    ranges: &[Range],
) -> Result<BTreeMap<(i64, String), i64>, StoreError> {
    let mut out = BTreeMap::new();
    if roots.is_empty() {
        return Ok(out);
    }
    let ids = id_list(roots);
    for r in ranges.iter().filter(|r| !r.figures.is_empty()) {
        let figures = r
            .figures
            .iter()
            .map(|f| format!("'{}'", f.replace('\'', "''")))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT v.unit_id, v.figure, CAST(SUM(v.total) AS BIGINT) FROM unit_tallies v \
             WHERE v.unit_id IN ({ids}) AND v.figure IN ({figures}) AND v.day >= $1 AND v.day < $2 \
             GROUP BY v.unit_id, v.figure"
        );
        let rows: Vec<(i64, String, i64)> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(r.from.as_deref().unwrap_or(""))
            .bind(&r.to)
            .fetch_all(&mut *conn)
            .await
            .store()?;
        for (root, figure, n) in rows {
            *out.entry((root, figure)).or_default() += n;
        }
    }
    Ok(out)
}
