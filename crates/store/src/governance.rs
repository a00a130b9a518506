//! Governance figures of subtrees over a period: committees and the meetings their
//! cadence asks for, meetings held, attendance, decisions adopted, action items done on
//! time and overdue. One query per figure, grouped by the subtree's root.

use crate::error::{ResultExt, StoreError};
use crate::{id_list, Conn};
use sqlx::AssertSqlSafe;
use std::collections::BTreeMap;

/// The figures of one subtree.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GovernanceRow {
    /// Committees serving in the period, by cadence.
    pub committees_by_cadence: BTreeMap<String, i64>,
    pub meetings_held: i64,
    /// Seats of the meetings' rosters present or represented, and all of them.
    pub attended: i64,
    pub recorded: i64,
    pub decisions_adopted: i64,
    /// Items due in the period: done by their date, and still pending past it.
    pub items_due: i64,
    pub items_done_on_time: i64,
    pub items_overdue: i64,
}

/// The units right below `unit_id`: (id, code), by code.
pub async fn children(conn: &mut Conn, unit_id: i64) -> Result<Vec<(i64, String)>, StoreError> {
    sqlx::query_as("SELECT id, code FROM units WHERE parent_id = $1 ORDER BY code")
        .bind(unit_id)
        .fetch_all(&mut *conn)
        .await
        .store()
}

/// A unit's own governance records as (unit, figure, day, count) rows, grouped: of one
/// unit (`$1`) or of every unit (`only_unit` false). Committees count on the day they
/// begin and the day they end (`start:` and `end:` with their cadence); meetings, the
/// attendance of their roster and decisions adopted on the meeting's day; action items
/// on their due day: all, done by then, still pending.
fn own_sql(only_unit: bool) -> String {
    let within = |column: &str| {
        if only_unit {
            format!("{column} = $1")
        } else {
            "1 = 1".to_string()
        }
    };
    let day = "substr(m.starts_at, 1, 10)";
    [
        format!(
            "SELECT c.unit_id, 'start:' || c.cadence AS figure, c.term_start AS day, COUNT(*) AS n \
             FROM committees c WHERE {} GROUP BY c.unit_id, c.cadence, c.term_start",
            within("c.unit_id")
        ),
        format!(
            "SELECT c.unit_id, 'end:' || c.cadence, c.term_end, COUNT(*) FROM committees c \
             WHERE c.term_end IS NOT NULL AND {} GROUP BY c.unit_id, c.cadence, c.term_end",
            within("c.unit_id")
        ),
        format!(
            "SELECT m.unit_id, 'meetings', {day}, COUNT(*) FROM meetings m WHERE {} \
             GROUP BY m.unit_id, {day}",
            within("m.unit_id")
        ),
        format!(
            "SELECT m.unit_id, 'attended', {day}, COUNT(*) FROM meetings m \
             JOIN meeting_attendance a ON a.meeting_id = m.id AND a.presence IN ('present', 'represented') \
             WHERE {} GROUP BY m.unit_id, {day}",
            within("m.unit_id")
        ),
        // The roster of the meeting's day: a seat nobody recorded counts as not there.
        format!(
            "SELECT m.unit_id, 'roster', {day}, COUNT(*) FROM meetings m \
             JOIN committee_seats s ON s.committee_id = m.committee_id AND s.from_on <= {day} \
             AND (s.until_on IS NULL OR s.until_on >= {day}) WHERE {} GROUP BY m.unit_id, {day}",
            within("m.unit_id")
        ),
        format!(
            "SELECT d.unit_id, 'adopted', {day}, COUNT(*) FROM decisions d JOIN meetings m ON m.id = d.meeting_id \
             WHERE d.outcome = 'adopted' AND {} GROUP BY d.unit_id, {day}",
            within("d.unit_id")
        ),
        format!(
            "SELECT a.unit_id, 'items_due', a.due_on, COUNT(*) FROM action_items a WHERE {} \
             GROUP BY a.unit_id, a.due_on",
            within("a.unit_id")
        ),
        format!(
            "SELECT a.unit_id, 'items_on_time', a.due_on, COUNT(*) FROM action_items a \
             WHERE a.status = 'done' AND a.done_on <= a.due_on AND {} GROUP BY a.unit_id, a.due_on",
            within("a.unit_id")
        ),
        format!(
            "SELECT a.unit_id, 'items_pending', a.due_on, COUNT(*) FROM action_items a \
             WHERE a.status IN ('open', 'in_progress') AND {} GROUP BY a.unit_id, a.due_on",
            within("a.unit_id")
        ),
    ]
    .join(" UNION ALL ")
}

/// Counts every unit's governance figures again from the records: at start-up when the
/// counters are empty but committees exist (a database from before them), and after a
/// bulk load.
pub async fn rebuild_counts(conn: &mut Conn) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM governance_days")
        .execute(&mut *conn)
        .await
        .store()?;
    let sql = format!(
        "INSERT INTO governance_days (unit_id, figure, day, own, total) \
         SELECT cl.ancestor_id, f.figure, f.day, SUM(CASE WHEN cl.depth = 0 THEN f.n ELSE 0 END), SUM(f.n) \
         FROM ({}) f JOIN unit_closure cl ON cl.descendant_id = f.unit_id \
         GROUP BY cl.ancestor_id, f.figure, f.day",
        own_sql(false)
    );
    sqlx::query(AssertSqlSafe(sql))
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

/// Whether committees exist but their figures were never counted.
pub async fn counts_missing(conn: &mut Conn) -> Result<bool, StoreError> {
    let any = |table: &str| format!("SELECT COUNT(*) FROM (SELECT 1 FROM {table} LIMIT 1) x");
    let committees: i64 = sqlx::query_scalar(AssertSqlSafe(any("committees")))
        .fetch_one(&mut *conn)
        .await
        .store()?;
    let counted: i64 = sqlx::query_scalar(AssertSqlSafe(any("governance_days")))
        .fetch_one(&mut *conn)
        .await
        .store()?;
    Ok(committees > 0 && counted == 0)
}

/// Counts the own figures of `units` again from their records and adds each difference
/// to the unit and every unit above it. Called by the write path for the units whose
/// committees, meetings, decisions or action items a change touched.
pub async fn recount(conn: &mut Conn, units: &[i64]) -> Result<(), StoreError> {
    let sql = own_sql(true);
    for unit in units {
        let now: Vec<(i64, String, String, i64)> = sqlx::query_as(AssertSqlSafe(sql.clone()))
            .bind(unit)
            .fetch_all(&mut *conn)
            .await
            .store()?;
        let before: Vec<(String, String, i64)> =
            sqlx::query_as("SELECT figure, day, own FROM governance_days WHERE unit_id = $1")
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
            sqlx::query(
                "INSERT INTO governance_days (unit_id, figure, day, own, total) \
                 SELECT c.ancestor_id, $2, $3, CASE WHEN c.depth = 0 THEN $4 ELSE 0 END, $4 \
                 FROM unit_closure c WHERE c.descendant_id = $1 \
                 ON CONFLICT (unit_id, figure, day) DO UPDATE SET \
                 own = governance_days.own + excluded.own, total = governance_days.total + excluded.total",
            )
            .bind(unit)
            .bind(&figure)
            .bind(&day)
            .bind(d)
            .execute(&mut *conn)
            .await
            .store()?;
        }
    }
    Ok(())
}

/// Moves the subtree figures of `unit_id` off the units above it (`sign` -1, before a
/// move) or onto them (`sign` 1, after it).
pub async fn shift_subtree(conn: &mut Conn, unit_id: i64, sign: i64) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO governance_days (unit_id, figure, day, own, total) \
         SELECT c.ancestor_id, v.figure, v.day, 0, $2 * v.total FROM governance_days v \
         JOIN unit_closure c ON c.descendant_id = v.unit_id AND c.depth > 0 WHERE v.unit_id = $1 \
         ON CONFLICT (unit_id, figure, day) DO UPDATE SET total = governance_days.total + excluded.total",
    )
    .bind(unit_id)
    .bind(sign)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

/// The figures of the subtree under each of `roots` for days `from` to `to` (both ISO,
/// `to` excluded), read from the counters: meetings held by `today` (included), items
/// still pending overdue once their date is before `today`.
pub async fn rollup(
    conn: &mut Conn,
    roots: &[i64],
    from: &str,
    to: &str,
    today: &str,
) -> Result<BTreeMap<i64, GovernanceRow>, StoreError> {
    let mut out: BTreeMap<i64, GovernanceRow> = roots
        .iter()
        .map(|r| (*r, GovernanceRow::default()))
        .collect();
    if roots.is_empty() {
        return Ok(out);
    }
    // Each root and figure one range of the primary key: a query per kind of range (an
    // `OR` of them would read every row of each root; a `UNION ALL` of them PostgreSQL
    // runs in parallel workers, whose start costs more than the whole of it).
    let ids = id_list(roots);
    let part = |figures: &str, days: &str| {
        format!(
            "SELECT v.unit_id, v.figure, CAST(SUM(v.total) AS BIGINT) AS n FROM governance_days v \
             WHERE v.unit_id IN ({ids}) AND v.figure IN ({figures}) AND {days} GROUP BY v.unit_id, v.figure"
        )
    };
    let cadences = |prefix: &str| {
        muster_domain::governance::Cadence::ALL
            .iter()
            .map(|c| format!("'{prefix}:{}'", c.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let parts = [
        part(
            "'meetings', 'attended', 'roster', 'adopted'",
            "v.day >= $1 AND v.day < $2 AND v.day <= $3",
        ),
        part("'items_due', 'items_on_time'", "v.day >= $1 AND v.day < $2"),
        part(
            "'items_pending'",
            "v.day >= $1 AND v.day < $2 AND v.day < $3",
        ),
        part(&cadences("start"), "v.day < $2"),
        part(&cadences("end"), "v.day < $1"),
    ];
    let mut rows: Vec<(i64, String, i64)> = Vec::new();
    for sql in parts {
        rows.extend(
            sqlx::query_as::<_, (i64, String, i64)>(AssertSqlSafe(sql))
                .bind(from)
                .bind(to)
                .bind(today)
                .fetch_all(&mut *conn)
                .await
                .store()?,
        );
    }
    for (root, figure, n) in rows {
        let Some(r) = out.get_mut(&root) else {
            continue;
        };
        match figure.as_str() {
            "meetings" => r.meetings_held = n,
            "attended" => r.attended = n,
            "roster" => r.recorded = n,
            "adopted" => r.decisions_adopted = n,
            "items_due" => r.items_due = n,
            "items_on_time" => r.items_done_on_time = n,
            "items_pending" => r.items_overdue = n,
            f => {
                if let Some(cadence) = f.strip_prefix("start:") {
                    *r.committees_by_cadence.entry(cadence.into()).or_default() += n;
                } else if let Some(cadence) = f.strip_prefix("end:") {
                    *r.committees_by_cadence.entry(cadence.into()).or_default() -= n;
                }
            }
        }
    }
    for r in out.values_mut() {
        r.committees_by_cadence.retain(|_, n| *n != 0);
    }
    Ok(out)
}
