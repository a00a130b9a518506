//! Governance figures of subtrees over a period: committees and the meetings their
//! cadence asks for, meetings held, attendance, decisions adopted, action items done on
//! time and overdue, read from the unit tallies the write path keeps.

use crate::error::{ResultExt, StoreError};
use crate::tallies::{self, Range};
use crate::Conn;
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

/// The tallies of governance records: queries of (unit, figure, day, count) rows, each
/// unit's own, narrowed by `within(unit column, day expression)`. Committees count on the day they begin and
/// the day they end (`start:` and `end:` with their cadence); meetings, the attendance
/// of their roster and decisions adopted on the meeting's day; action items on their
/// due day: all, done by then, still pending.
pub(crate) fn tally_parts(within: &dyn Fn(&str, &str) -> String) -> Vec<String> {
    let day = "substr(m.starts_at, 1, 10)";
    [
        format!(
            "SELECT c.unit_id, 'start:' || c.cadence AS figure, c.term_start AS day, COUNT(*) AS n \
             FROM committees c WHERE {} GROUP BY c.unit_id, c.cadence, c.term_start",
            within("c.unit_id", "c.term_start")
        ),
        format!(
            "SELECT c.unit_id, 'end:' || c.cadence, c.term_end, COUNT(*) FROM committees c \
             WHERE c.term_end IS NOT NULL AND {} GROUP BY c.unit_id, c.cadence, c.term_end",
            within("c.unit_id", "c.term_end")
        ),
        format!(
            "SELECT m.unit_id, 'meetings', {day}, COUNT(*) FROM meetings m WHERE {} \
             GROUP BY m.unit_id, {day}",
            within("m.unit_id", day)
        ),
        format!(
            "SELECT m.unit_id, 'attended', {day}, COUNT(*) FROM meetings m \
             JOIN meeting_attendance a ON a.meeting_id = m.id AND a.presence IN ('present', 'represented') \
             WHERE {} GROUP BY m.unit_id, {day}",
            within("m.unit_id", day)
        ),
        // The roster of the meeting's day: a seat nobody recorded counts as not there.
        format!(
            "SELECT m.unit_id, 'roster', {day}, COUNT(*) FROM meetings m \
             JOIN committee_seats s ON s.committee_id = m.committee_id AND s.from_on <= {day} \
             AND (s.until_on IS NULL OR s.until_on >= {day}) WHERE {} GROUP BY m.unit_id, {day}",
            within("m.unit_id", day)
        ),
        format!(
            "SELECT d.unit_id, 'adopted', {day}, COUNT(*) FROM decisions d JOIN meetings m ON m.id = d.meeting_id \
             WHERE d.outcome = 'adopted' AND {} GROUP BY d.unit_id, {day}",
            within("d.unit_id", day)
        ),
        format!(
            "SELECT a.unit_id, 'items_due', a.due_on, COUNT(*) FROM action_items a WHERE {} \
             GROUP BY a.unit_id, a.due_on",
            within("a.unit_id", "a.due_on")
        ),
        format!(
            "SELECT a.unit_id, 'items_on_time', a.due_on, COUNT(*) FROM action_items a \
             WHERE a.status = 'done' AND a.done_on <= a.due_on AND {} GROUP BY a.unit_id, a.due_on",
            within("a.unit_id", "a.due_on")
        ),
        format!(
            "SELECT a.unit_id, 'items_pending', a.due_on, COUNT(*) FROM action_items a \
             WHERE a.status IN ('open', 'in_progress') AND {} GROUP BY a.unit_id, a.due_on",
            within("a.unit_id", "a.due_on")
        ),
    ]
    .into()
}

/// The figures of the subtree under each of `roots` for days `from` to `to` (both ISO,
/// `to` excluded), read from the tallies: meetings held by `today` (included), items
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
    let cadences = |prefix: &str| -> Vec<String> {
        muster_domain::governance::Cadence::ALL
            .iter()
            .map(|c| format!("{prefix}:{}", c.as_str()))
            .collect()
    };
    let figures = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
    let ranges = [
        // Meetings held: dated up to today.
        Range {
            figures: figures(&["meetings", "attended", "roster", "adopted"]),
            from: Some(from.into()),
            to: std::cmp::min(to.to_string(), next_day(today)),
        },
        Range {
            figures: figures(&["items_due", "items_on_time"]),
            from: Some(from.into()),
            to: to.into(),
        },
        // Overdue: still pending, due before today.
        Range {
            figures: figures(&["items_pending"]),
            from: Some(from.into()),
            to: std::cmp::min(to, today).into(),
        },
        // Serving: begun before the end, not ended before the start.
        Range {
            figures: cadences("start"),
            from: None,
            to: to.into(),
        },
        Range {
            figures: cadences("end"),
            from: None,
            to: from.into(),
        },
    ];
    let rows = tallies::read(conn, roots, &ranges).await?;
    for ((root, figure), n) in rows {
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

/// The day after an ISO day (the same text when it is not one).
fn next_day(day: &str) -> String {
    muster_domain::Date::parse_iso(day)
        .map(|d| d.add_days(1).to_string())
        .unwrap_or_else(|_| day.to_string())
}
