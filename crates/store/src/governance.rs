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

/// The figures of the subtree under each of `roots` for days `from` to `to` (both ISO,
/// `to` excluded); an item still pending is overdue once its date is before `today`.
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
    let ids = id_list(roots);
    let under = |column: &str| {
        format!("JOIN unit_closure cl ON cl.descendant_id = {column} AND cl.ancestor_id IN ({ids})")
    };
    let sql = format!(
        "SELECT cl.ancestor_id, c.cadence, COUNT(*) FROM committees c {} \
         WHERE c.term_start < $2 AND (c.term_end IS NULL OR c.term_end >= $1) GROUP BY cl.ancestor_id, c.cadence",
        under("c.unit_id")
    );
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(from)
        .bind(to)
        .fetch_all(&mut *conn)
        .await
        .store()?;
    for (root, cadence, n) in rows {
        if let Some(r) = out.get_mut(&root) {
            r.committees_by_cadence.insert(cadence, n);
        }
    }
    let sql = format!(
        "SELECT cl.ancestor_id, COUNT(*) FROM meetings m {} WHERE m.starts_at >= $1 AND m.starts_at < $2 \
         GROUP BY cl.ancestor_id",
        under("m.unit_id")
    );
    let rows: Vec<(i64, i64)> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(from)
        .bind(to)
        .fetch_all(&mut *conn)
        .await
        .store()?;
    for (root, n) in rows {
        if let Some(r) = out.get_mut(&root) {
            r.meetings_held = n;
        }
    }
    // Attendance over the whole roster of each meeting's day: a seat nobody recorded
    // counts as not there.
    let sql = format!(
        "SELECT cl.ancestor_id, \
         CAST(SUM((SELECT COUNT(*) FROM meeting_attendance a WHERE a.meeting_id = m.id \
              AND a.presence IN ('present', 'represented'))) AS BIGINT), \
         CAST(SUM((SELECT COUNT(*) FROM committee_seats s WHERE s.committee_id = m.committee_id \
              AND s.from_on <= substr(m.starts_at, 1, 10) \
              AND (s.until_on IS NULL OR s.until_on >= substr(m.starts_at, 1, 10)))) AS BIGINT) \
         FROM meetings m {} WHERE m.starts_at >= $1 AND m.starts_at < $2 GROUP BY cl.ancestor_id",
        under("m.unit_id")
    );
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(from)
        .bind(to)
        .fetch_all(&mut *conn)
        .await
        .store()?;
    for (root, attended, recorded) in rows {
        if let Some(r) = out.get_mut(&root) {
            r.attended = attended;
            r.recorded = recorded;
        }
    }
    let sql = format!(
        "SELECT cl.ancestor_id, COUNT(*) FROM decisions d JOIN meetings m ON m.id = d.meeting_id {} \
         WHERE d.outcome = 'adopted' AND m.starts_at >= $1 AND m.starts_at < $2 GROUP BY cl.ancestor_id",
        under("d.unit_id")
    );
    let rows: Vec<(i64, i64)> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(from)
        .bind(to)
        .fetch_all(&mut *conn)
        .await
        .store()?;
    for (root, n) in rows {
        if let Some(r) = out.get_mut(&root) {
            r.decisions_adopted = n;
        }
    }
    let sql = format!(
        "SELECT cl.ancestor_id, COUNT(*), \
         CAST(SUM(CASE WHEN a.status = 'done' AND a.done_on <= a.due_on THEN 1 ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN a.status IN ('open', 'in_progress') AND a.due_on < $3 THEN 1 ELSE 0 END) AS BIGINT) \
         FROM action_items a {} WHERE a.due_on >= $1 AND a.due_on < $2 GROUP BY cl.ancestor_id",
        under("a.unit_id")
    );
    let rows: Vec<(i64, i64, i64, i64)> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(from)
        .bind(to)
        .bind(today)
        .fetch_all(&mut *conn)
        .await
        .store()?;
    for (root, due, on_time, overdue) in rows {
        if let Some(r) = out.get_mut(&root) {
            r.items_due = due;
            r.items_done_on_time = on_time;
            r.items_overdue = overdue;
        }
    }
    Ok(out)
}
