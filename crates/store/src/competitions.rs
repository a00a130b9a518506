//! Competitions and their entries, results and winners advancing, and the tallies
//! they make.

use crate::error::{ResultExt, StoreError};
use crate::{Conn, Scope};
use sqlx::{AssertSqlSafe, FromRow};

/// What a competition's create writes, already checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompetitionFields {
    pub tree_id: i64,
    pub unit_id: i64,
    pub program_id: Option<i64>,
    pub event_id: Option<i64>,
    pub discipline: String,
    pub category: String,
    pub entry_kind: String,
    pub held_on: String,
    pub advances_to: Option<i64>,
    pub advance_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct CompetitionRow {
    pub id: i64,
    pub tree_id: i64,
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_level: String,
    pub program_id: Option<i64>,
    pub event_id: Option<i64>,
    pub discipline: String,
    pub category: String,
    pub entry_kind: String,
    pub held_on: String,
    pub advances_to: Option<i64>,
    pub advance_count: i64,
    pub finished_at: Option<String>,
    pub entries: i64,
}

const SELECT: &str =
    "SELECT c.id, c.tree_id, c.unit_id, u.code AS unit_code, u.level AS unit_level, \
     c.program_id, c.event_id, c.discipline, c.category, c.entry_kind, c.held_on, c.advances_to, \
     c.advance_count, c.finished_at, \
     (SELECT COUNT(*) FROM competition_entries x WHERE x.competition_id = c.id) AS entries \
     FROM competitions c JOIN units u ON u.id = c.unit_id";

/// Competitions a caller may open: those of units in their subtree and those of the
/// units above it (which their units enter).
fn visible(scope: Scope, one: bool) -> String {
    let mine = if one {
        scope.holds("c.unit_id", 1)
    } else {
        scope.condition("c.unit_id", 1)
    };
    format!(
        "({mine} OR c.unit_id IN (SELECT ancestor_id FROM unit_closure WHERE descendant_id = $1))"
    )
}

pub async fn insert(conn: &mut Conn, f: &CompetitionFields, now: &str) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "INSERT INTO competitions (tree_id, unit_id, program_id, event_id, discipline, category, \
         entry_kind, held_on, advances_to, advance_count, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
    )
    .bind(f.tree_id)
    .bind(f.unit_id)
    .bind(f.program_id)
    .bind(f.event_id)
    .bind(&f.discipline)
    .bind(&f.category)
    .bind(&f.entry_kind)
    .bind(&f.held_on)
    .bind(f.advances_to)
    .bind(f.advance_count)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .store()
}

pub async fn by_id(
    conn: &mut Conn,
    scope: Scope,
    id: i64,
) -> Result<Option<CompetitionRow>, StoreError> {
    let sql = format!("{SELECT} WHERE c.id = $2 AND {}", visible(scope, true));
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .store()
}

/// Competitions the caller may open (of one program when given), by discipline,
/// category and level from the top down.
pub async fn list(
    conn: &mut Conn,
    scope: Scope,
    program_id: Option<i64>,
    limit: i64,
) -> Result<Vec<CompetitionRow>, StoreError> {
    let program = if program_id.is_some() {
        "AND c.program_id = $2"
    } else {
        ""
    };
    let sql = format!(
        "{SELECT} WHERE {} {program} ORDER BY LOWER(c.discipline), c.category, \
         (SELECT COUNT(*) FROM unit_closure d WHERE d.descendant_id = c.unit_id), c.held_on, c.id LIMIT $3",
        visible(scope, false)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(program_id.unwrap_or(0))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await
        .store()
}

/// The competitions that send their winners to `id`: (id, unit code).
pub async fn feeders(conn: &mut Conn, id: i64) -> Result<Vec<(i64, String)>, StoreError> {
    sqlx::query_as(
        "SELECT c.id, u.code FROM competitions c JOIN units u ON u.id = c.unit_id \
         WHERE c.advances_to = $1 ORDER BY u.code",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await
    .store()
}

pub async fn set_finished(conn: &mut Conn, id: i64, now: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE competitions SET finished_at = $2, updated_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct EntryRow {
    pub id: i64,
    pub competition_id: i64,
    pub unit_id: i64,
    pub unit_code: String,
    pub person_id: Option<i64>,
    pub name: String,
    pub team_members: Option<String>,
    pub from_entry_id: Option<i64>,
    pub rank: Option<i64>,
    pub score: Option<String>,
    pub medal: Option<String>,
    /// 1 when the entry's unit lies in the reader's scope.
    pub ours: i64,
}

/// A new entry, already checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    pub competition_id: i64,
    pub unit_id: i64,
    pub person_id: Option<i64>,
    pub team_name: Option<String>,
    pub team_members: Option<String>,
    pub from_entry_id: Option<i64>,
}

pub async fn insert_entry(conn: &mut Conn, n: &NewEntry, now: &str) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "INSERT INTO competition_entries (competition_id, unit_id, person_id, team_name, team_members, \
         from_entry_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(n.competition_id)
    .bind(n.unit_id)
    .bind(n.person_id)
    .bind(&n.team_name)
    .bind(&n.team_members)
    .bind(n.from_entry_id)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .store()
}

/// A competition's entries, ranked first by rank, with whether each is of the reader's
/// subtree.
pub async fn entries(
    conn: &mut Conn,
    scope: Scope,
    competition_id: i64,
) -> Result<Vec<EntryRow>, StoreError> {
    let sql = format!(
        "SELECT x.id, x.competition_id, x.unit_id, u.code AS unit_code, x.person_id, \
         COALESCE(p.full_name, x.team_name, '') AS name, x.team_members, x.from_entry_id, \
         x.rank, x.score, x.medal, CAST(CASE WHEN {} THEN 1 ELSE 0 END AS BIGINT) AS ours \
         FROM competition_entries x JOIN units u ON u.id = x.unit_id \
         LEFT JOIN people p ON p.id = x.person_id \
         WHERE x.competition_id = $2 \
         ORDER BY CASE WHEN x.rank IS NULL THEN 1 ELSE 0 END, x.rank, u.code, x.id",
        scope.condition("x.unit_id", 1)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(competition_id)
        .fetch_all(&mut *conn)
        .await
        .store()
}

pub async fn set_result(
    conn: &mut Conn,
    entry_id: i64,
    rank: Option<i64>,
    score: Option<&str>,
    medal: Option<&str>,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE competition_entries SET rank = $2, score = $3, medal = $4, updated_at = $5 WHERE id = $1",
    )
    .bind(entry_id)
    .bind(rank)
    .bind(score)
    .bind(medal)
    .bind(now)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

/// Whether the person's current membership lies in `unit_id`'s subtree.
pub async fn person_under(
    conn: &mut Conn,
    person_id: i64,
    unit_id: i64,
) -> Result<bool, StoreError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM memberships m JOIN unit_closure c ON c.descendant_id = m.unit_id \
         WHERE m.person_id = $1 AND m.is_current = 1 AND c.ancestor_id = $2",
    )
    .bind(person_id)
    .bind(unit_id)
    .fetch_one(&mut *conn)
    .await
    .store()?;
    Ok(n > 0)
}

/// The tallies of competitions: those of a program finished, on the day each was held.
pub(crate) fn tally_parts(within: &dyn Fn(&str, &str) -> String) -> Vec<String> {
    vec![format!(
        "SELECT c.unit_id, 'p:' || CAST(c.program_id AS TEXT) || ':competitions', c.held_on, COUNT(*) \
         FROM competitions c WHERE c.program_id IS NOT NULL AND c.finished_at IS NOT NULL AND {} \
         GROUP BY c.unit_id, c.program_id, c.held_on",
        within("c.unit_id", "c.held_on")
    )]
}
