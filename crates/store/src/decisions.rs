//! Decisions of meetings and the action items they cause.

use crate::error::{ResultExt, StoreError};
use crate::{Conn, Scope};
use sqlx::{AssertSqlSafe, FromRow};
use std::collections::HashMap;

/// A decision as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDecision {
    pub meeting_id: i64,
    pub item_id: i64,
    pub committee_id: i64,
    pub unit_id: i64,
    pub year: i64,
    pub text: String,
    pub outcome: String,
    pub votes_for: Option<i64>,
    pub votes_against: Option<i64>,
    pub votes_abstain: Option<i64>,
    pub quorum_note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct DecisionRow {
    pub id: i64,
    pub meeting_id: i64,
    pub item_id: i64,
    pub committee_id: i64,
    pub committee_name: String,
    pub unit_id: i64,
    pub unit_code: String,
    pub starts_at: String,
    pub year: i64,
    pub number: i64,
    pub text: String,
    pub outcome: String,
    pub votes_for: Option<i64>,
    pub votes_against: Option<i64>,
    pub votes_abstain: Option<i64>,
    pub quorum_note: Option<String>,
    pub created_at: String,
}

const SELECT: &str = "SELECT d.id, d.meeting_id, d.item_id, d.committee_id, c.name AS committee_name, \
     d.unit_id, u.code AS unit_code, m.starts_at, d.year, d.number, d.text, d.outcome, d.votes_for, \
     d.votes_against, d.votes_abstain, d.quorum_note, d.created_at FROM decisions d \
     JOIN committees c ON c.id = d.committee_id JOIN units u ON u.id = d.unit_id \
     JOIN meetings m ON m.id = d.meeting_id";

/// Records a decision under the next number of its committee and year.
pub async fn insert(conn: &mut Conn, d: &NewDecision, now: &str) -> Result<(i64, i64), StoreError> {
    let number: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(number) FROM decisions WHERE committee_id = $1 AND year = $2",
    )
    .bind(d.committee_id)
    .bind(d.year)
    .fetch_one(&mut *conn)
    .await
    .store()?;
    let number = number.unwrap_or(0) + 1;
    let id = sqlx::query_scalar(
        "INSERT INTO decisions (meeting_id, item_id, committee_id, unit_id, year, number, text, outcome, \
         votes_for, votes_against, votes_abstain, quorum_note, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(d.meeting_id)
    .bind(d.item_id)
    .bind(d.committee_id)
    .bind(d.unit_id)
    .bind(d.year)
    .bind(number)
    .bind(&d.text)
    .bind(&d.outcome)
    .bind(d.votes_for)
    .bind(d.votes_against)
    .bind(d.votes_abstain)
    .bind(&d.quorum_note)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .store()?;
    Ok((id, number))
}

pub async fn by_id(
    conn: &mut Conn,
    scope: Scope,
    id: i64,
) -> Result<Option<DecisionRow>, StoreError> {
    let sql = format!(
        "{SELECT} WHERE d.id = $2 AND {}",
        scope.holds("d.unit_id", 1)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .store()
}

/// Decisions of the subtree, newest first: of one meeting, or whose text holds `q`.
pub async fn list(
    conn: &mut Conn,
    scope: Scope,
    meeting_id: Option<i64>,
    q: Option<&str>,
    limit: i64,
) -> Result<Vec<DecisionRow>, StoreError> {
    let sql = format!(
        "{SELECT} WHERE {} AND ($2 = 0 OR d.meeting_id = $2) AND ($3 = '' OR lower(d.text) LIKE $3 ESCAPE '\\') \
         ORDER BY m.starts_at DESC, d.id DESC LIMIT $4",
        scope.condition("d.unit_id", 1)
    );
    let pattern = q
        .map(|q| {
            let escaped = q
                .to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            format!("%{escaped}%")
        })
        .unwrap_or_default();
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(meeting_id.unwrap_or(0))
        .bind(pattern)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await
        .store()
}

/// An action item as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAction {
    pub decision_id: Option<i64>,
    pub meeting_id: i64,
    pub parent_id: Option<i64>,
    pub unit_id: i64,
    pub person_id: Option<i64>,
    pub title: String,
    pub due_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ActionRow {
    pub id: i64,
    pub decision_id: Option<i64>,
    pub meeting_id: i64,
    pub parent_id: Option<i64>,
    pub unit_id: i64,
    pub unit_code: String,
    pub person_id: Option<i64>,
    pub person_name: Option<String>,
    pub title: String,
    pub due_on: String,
    pub status: String,
    pub done_on: Option<String>,
    /// The unit of the committee that decided it.
    pub origin_unit_id: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// The holder's code and name are looked up per row: as joins, PostgreSQL misjudges how
/// few of a large decision's items are its own and hashes every unit first.
const ACTION_SELECT: &str = "SELECT a.id, a.decision_id, a.meeting_id, a.parent_id, a.unit_id, \
     (SELECT u.code FROM units u WHERE u.id = a.unit_id) AS unit_code, a.person_id, \
     (SELECT p.full_name FROM people p WHERE p.id = a.person_id) AS person_name, a.title, a.due_on, \
     a.status, a.done_on, m.unit_id AS origin_unit_id, a.created_at, a.updated_at FROM action_items a \
     JOIN meetings m ON m.id = a.meeting_id";

pub async fn insert_action(conn: &mut Conn, a: &NewAction, now: &str) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "INSERT INTO action_items (decision_id, meeting_id, parent_id, unit_id, person_id, title, due_on, \
         status, created_at, updated_at, own_decision_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $8, $9) RETURNING id",
    )
    .bind(a.decision_id)
    .bind(a.meeting_id)
    .bind(a.parent_id)
    .bind(a.unit_id)
    .bind(a.person_id)
    .bind(&a.title)
    .bind(&a.due_on)
    .bind(now)
    .bind(a.decision_id.filter(|_| a.parent_id.is_none()))
    .fetch_one(&mut *conn)
    .await
    .store()
}

/// One action item, if the unit holding it or the unit that decided it lies in `scope`.
pub async fn action(
    conn: &mut Conn,
    scope: Scope,
    id: i64,
) -> Result<Option<ActionRow>, StoreError> {
    let sql = format!(
        "{ACTION_SELECT} WHERE a.id = $2 AND ({} OR {})",
        scope.condition("a.unit_id", 1),
        scope.condition("m.unit_id", 1)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .store()
}

/// A decision's own action items (not the parts they were split into), by id.
pub async fn actions_of_decision(
    conn: &mut Conn,
    decision_id: i64,
) -> Result<Vec<ActionRow>, StoreError> {
    let sql = format!("{ACTION_SELECT} WHERE a.own_decision_id = $1 ORDER BY a.id");
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(decision_id)
        .fetch_all(&mut *conn)
        .await
        .store()
}

/// The parts an item was split into, by id.
pub async fn parts(conn: &mut Conn, id: i64) -> Result<Vec<ActionRow>, StoreError> {
    let sql = format!("{ACTION_SELECT} WHERE a.parent_id = $1 ORDER BY a.id");
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(id)
        .fetch_all(&mut *conn)
        .await
        .store()
}

/// How the parts of each item stand: all of them, those not cancelled, those done.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PartCounts {
    pub parts: i64,
    pub counted: i64,
    pub done: i64,
}

/// The parts of each of `ids`, counted; an item without parts is left out.
pub async fn part_counts(
    conn: &mut Conn,
    ids: &[i64],
) -> Result<HashMap<i64, PartCounts>, StoreError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT parent_id, COUNT(*), \
         CAST(SUM(CASE WHEN status <> 'cancelled' THEN 1 ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END) AS BIGINT) \
         FROM action_items WHERE parent_id IN ({}) GROUP BY parent_id",
        crate::id_list(ids)
    );
    let rows: Vec<(i64, i64, i64, i64)> = sqlx::query_as(AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await
        .store()?;
    Ok(rows
        .into_iter()
        .map(|(id, parts, counted, done)| {
            (
                id,
                PartCounts {
                    parts,
                    counted,
                    done,
                },
            )
        })
        .collect())
}

/// Units in a subtree above which the overdue list walks pending items by due date.
const LARGE_SUBTREE: i64 = 200;

/// Pending action items held by units of `scope`, or of `unit_id`'s subtree when given
/// (the caller has checked it lies in `scope`): those due before `due_before` when
/// given, oldest due first. The partial index of pending items by due date gives them
/// in order, each tested for the subtree, so a province's first page reads about a
/// page of rows however many items it holds.
pub async fn actions_held(
    conn: &mut Conn,
    scope: Scope,
    unit_id: Option<i64>,
    due_before: Option<&str>,
    limit: i64,
) -> Result<Vec<ActionRow>, StoreError> {
    let root = unit_id.or(scope.unit());
    let units = match root {
        Some(r) => crate::units::subtree_size(conn, r).await?,
        None => i64::MAX,
    };
    // A large subtree walks pending items in due order (the unary `+` keeps SQLite off
    // the by-unit index, which would gather and sort every pending item first); a small
    // one gathers its units' few items by that index.
    let within = match root {
        None => "$1 = 0",
        Some(_) if units > LARGE_SUBTREE => {
            "+a.unit_id IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id = $1)"
        }
        Some(_) => "a.unit_id IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id = $1)",
    };
    let sql = format!(
        "{ACTION_SELECT} WHERE a.status IN ('open', 'in_progress') AND {within} AND a.due_on < $2 \
         ORDER BY a.due_on, a.id LIMIT $3"
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(root.unwrap_or(0))
        .bind(due_before.unwrap_or("9999-12-31"))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await
        .store()
}

pub async fn set_status(
    conn: &mut Conn,
    id: i64,
    status: &str,
    done_on: Option<&str>,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE action_items SET status = $2, done_on = $3, updated_at = $4 WHERE id = $1")
        .bind(id)
        .bind(status)
        .bind(done_on)
        .bind(now)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

pub async fn add_note(
    conn: &mut Conn,
    action_id: i64,
    by: &str,
    status: &str,
    note: Option<&str>,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO action_notes (action_id, at, by_name, status, note) VALUES ($1, $2, $3, $4, $5)")
        .bind(action_id)
        .bind(now)
        .bind(by)
        .bind(status)
        .bind(note)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

/// An action item's notes, first to last: (at, by, status, note).
pub async fn notes(
    conn: &mut Conn,
    action_id: i64,
) -> Result<Vec<(String, String, String, Option<String>)>, StoreError> {
    sqlx::query_as(
        "SELECT at, by_name, status, note FROM action_notes WHERE action_id = $1 ORDER BY id",
    )
    .bind(action_id)
    .fetch_all(&mut *conn)
    .await
    .store()
}

/// A committee's first-level action items still pending from its meetings before
/// `before` (a meeting's start): the matters arising at its next meeting.
pub async fn pending_of_committee(
    conn: &mut Conn,
    committee_id: i64,
    before: &str,
) -> Result<Vec<ActionRow>, StoreError> {
    let sql = format!(
        "{ACTION_SELECT} WHERE m.committee_id = $1 AND m.starts_at < $2 AND a.parent_id IS NULL \
         AND a.status IN ('open', 'in_progress') ORDER BY a.due_on, a.id"
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(committee_id)
        .bind(before)
        .fetch_all(&mut *conn)
        .await
        .store()
}
