//! Cases: the case types, cases kept at a unit's desk (and seen by the desk that
//! referred them), what was done on them, and the tallies they make.

use crate::error::{ResultExt, StoreError};
use crate::{Conn, Scope};
use sqlx::{AssertSqlSafe, FromRow};

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct CaseTypeRow {
    pub id: i64,
    pub tree_id: Option<i64>,
    pub code: String,
    pub name: String,
    pub steps: String,
}

/// The case types of a tree: those every tree has, then its own.
pub async fn types(conn: &mut Conn, tree_id: Option<i64>) -> Result<Vec<CaseTypeRow>, StoreError> {
    sqlx::query_as(
        "SELECT id, tree_id, code, name, steps FROM case_types \
         WHERE tree_id IS NULL OR tree_id = $1 ORDER BY CASE WHEN tree_id IS NULL THEN 0 ELSE 1 END, id",
    )
    .bind(tree_id.unwrap_or(0))
    .fetch_all(&mut *conn)
    .await
    .store()
}

pub async fn insert_type(
    conn: &mut Conn,
    tree_id: i64,
    code: &str,
    name: &str,
    steps: &str,
    now: &str,
) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "INSERT INTO case_types (tree_id, code, name, steps, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(tree_id)
    .bind(code)
    .bind(name)
    .bind(steps)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .store()
}

/// A case as listed and shown, without its notes.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct CaseRow {
    pub id: i64,
    pub tree_id: i64,
    pub unit_id: i64,
    pub unit_code: String,
    pub from_unit_id: Option<i64>,
    pub from_code: Option<String>,
    pub case_type_id: i64,
    pub type_code: String,
    pub type_name: String,
    pub steps: String,
    pub person_id: Option<i64>,
    pub name: String,
    pub event_id: Option<i64>,
    pub workplace_code: Option<String>,
    pub assignee: Option<String>,
    pub subject: String,
    pub status: String,
    pub step: i64,
    pub step_from: String,
    pub due_on: Option<String>,
    pub opened_on: String,
    pub resolved_on: Option<String>,
    pub outcome: Option<String>,
}

const SELECT: &str = "SELECT c.id, c.tree_id, c.unit_id, u.code AS unit_code, c.from_unit_id, \
     f.code AS from_code, c.case_type_id, t.code AS type_code, t.name AS type_name, t.steps, \
     c.person_id, COALESCE(p.full_name, c.outside_name, '') AS name, c.event_id, \
     w.code AS workplace_code, c.assignee, c.subject, c.status, c.step, c.step_from, c.due_on, \
     c.opened_on, c.resolved_on, c.outcome \
     FROM cases c JOIN units u ON u.id = c.unit_id LEFT JOIN units f ON f.id = c.from_unit_id \
     JOIN case_types t ON t.id = c.case_type_id LEFT JOIN people p ON p.id = c.person_id \
     LEFT JOIN workplaces w ON w.id = c.workplace_id";

/// What a new case writes, already checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    pub tree_id: i64,
    pub unit_id: i64,
    pub case_type_id: i64,
    pub person_id: Option<i64>,
    pub outside_name: Option<String>,
    pub outside_phone: Option<String>,
    pub event_id: Option<i64>,
    pub workplace_id: Option<i64>,
    pub assignee: Option<String>,
    pub subject: String,
    pub opened_on: String,
    pub due_on: Option<String>,
}

pub async fn insert(conn: &mut Conn, n: &NewCase, now: &str) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "INSERT INTO cases (tree_id, unit_id, case_type_id, person_id, outside_name, outside_phone, event_id, \
         workplace_id, assignee, subject, status, step, step_from, due_on, opened_on, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'open', 0, $11, $12, $11, $13, $13) RETURNING id",
    )
    .bind(n.tree_id)
    .bind(n.unit_id)
    .bind(n.case_type_id)
    .bind(n.person_id)
    .bind(&n.outside_name)
    .bind(&n.outside_phone)
    .bind(n.event_id)
    .bind(n.workplace_id)
    .bind(&n.assignee)
    .bind(&n.subject)
    .bind(&n.opened_on)
    .bind(&n.due_on)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .store()
}

/// A case kept by a unit in `scope`, or referred from one.
pub async fn by_id(conn: &mut Conn, scope: Scope, id: i64) -> Result<Option<CaseRow>, StoreError> {
    let sql = format!(
        "{SELECT} WHERE c.id = $2 AND ({} OR (c.from_unit_id IS NOT NULL AND {}))",
        scope.holds("c.unit_id", 1),
        scope.holds("c.from_unit_id", 1)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .store()
}

/// Which cases a list holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFilter {
    /// Those assigned to this login.
    pub assignee: Option<String>,
    /// Those kept by the desk of this unit itself (not below it).
    pub desk: Option<i64>,
    /// Those not resolved or closed.
    pub open_only: bool,
}

/// Cases of the scope (kept or referred from it), nearest deadline first.
pub async fn list(
    conn: &mut Conn,
    scope: Scope,
    filter: &CaseFilter,
    limit: i64,
) -> Result<Vec<CaseRow>, StoreError> {
    // A list driven by its own index (an assignee's, a desk's) probes the scope per
    // row; listing a province's 30,000 units first made SQLite walk every desk's cases.
    let narrowed = filter.assignee.is_some() || filter.desk.is_some();
    let in_scope = |column: &str| {
        if narrowed {
            scope.holds(column, 1)
        } else {
            scope.condition(column, 1)
        }
    };
    let mut conditions = vec![format!(
        "({} OR (c.from_unit_id IS NOT NULL AND {}))",
        in_scope("c.unit_id"),
        in_scope("c.from_unit_id")
    )];
    if filter.assignee.is_some() {
        conditions.push("c.assignee = $2".into());
    }
    if filter.desk.is_some() {
        conditions.push("c.unit_id = $3".into());
    }
    if filter.open_only {
        conditions.push("c.status NOT IN ('resolved', 'closed')".into());
    }
    let sql = format!(
        "{SELECT} WHERE {} ORDER BY CASE WHEN c.due_on IS NULL THEN 1 ELSE 0 END, c.due_on, c.id LIMIT $4",
        conditions.join(" AND ")
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(filter.assignee.clone().unwrap_or_default())
        .bind(filter.desk.unwrap_or(0))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await
        .store()
}

/// Where a case stands after a change, already decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseState {
    pub status: String,
    pub step: i64,
    pub step_from: String,
    pub due_on: Option<String>,
    pub resolved_on: Option<String>,
    pub resolve_days: Option<i64>,
    pub outcome: Option<String>,
    pub assignee: Option<String>,
}

pub async fn set_state(
    conn: &mut Conn,
    id: i64,
    s: &CaseState,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE cases SET status = $2, step = $3, step_from = $4, due_on = $5, resolved_on = $6, \
         resolve_days = $7, outcome = $8, assignee = $9, updated_at = $10 WHERE id = $1",
    )
    .bind(id)
    .bind(&s.status)
    .bind(s.step)
    .bind(&s.step_from)
    .bind(&s.due_on)
    .bind(&s.resolved_on)
    .bind(s.resolve_days)
    .bind(&s.outcome)
    .bind(&s.assignee)
    .bind(now)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

/// The name and phone a case of someone outside the registry was opened with.
pub async fn outside_person(
    conn: &mut Conn,
    id: i64,
) -> Result<Option<(Option<String>, Option<String>)>, StoreError> {
    sqlx::query_as(
        "SELECT outside_name, outside_phone FROM cases WHERE id = $1 AND person_id IS NULL",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
    .store()
}

/// Makes a case of someone outside the registry the case of the member they became.
pub async fn set_person(
    conn: &mut Conn,
    id: i64,
    person: i64,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE cases SET person_id = $2, outside_name = NULL, outside_phone = NULL, updated_at = $3 WHERE id = $1",
    )
    .bind(id)
    .bind(person)
    .bind(now)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

/// Hands a case to the desk of `to`; the desk of `from` keeps sight of it.
pub async fn refer(
    conn: &mut Conn,
    id: i64,
    to: i64,
    from: i64,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE cases SET unit_id = $2, from_unit_id = $3, assignee = NULL, updated_at = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(to)
    .bind(from)
    .bind(now)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ActivityRow {
    pub id: i64,
    pub kind: String,
    pub on_day: String,
    pub text: Option<String>,
    pub by_name: String,
    pub at: String,
}

#[allow(clippy::too_many_arguments)]
pub async fn add_activity(
    conn: &mut Conn,
    case_id: i64,
    kind: &str,
    on_day: &str,
    text: Option<&str>,
    by_name: &str,
    at: &str,
) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "INSERT INTO case_activities (case_id, kind, on_day, text, by_name, at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(case_id)
    .bind(kind)
    .bind(on_day)
    .bind(text)
    .bind(by_name)
    .bind(at)
    .fetch_one(&mut *conn)
    .await
    .store()
}

/// What was done on a case, in order.
pub async fn activities(conn: &mut Conn, case_id: i64) -> Result<Vec<ActivityRow>, StoreError> {
    sqlx::query_as(
        "SELECT id, kind, on_day, text, by_name, at FROM case_activities WHERE case_id = $1 ORDER BY on_day, id",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await
    .store()
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct DocumentRow {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub by_name: String,
    pub at: String,
}

#[allow(clippy::too_many_arguments)]
pub async fn add_document(
    conn: &mut Conn,
    case_id: i64,
    name: &str,
    content_type: &str,
    bytes: &[u8],
    by_name: &str,
    at: &str,
) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "INSERT INTO case_documents (case_id, name, content_type, size, bytes, by_name, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(case_id)
    .bind(name)
    .bind(content_type)
    .bind(bytes.len() as i64)
    .bind(bytes)
    .bind(by_name)
    .bind(at)
    .fetch_one(&mut *conn)
    .await
    .store()
}

/// A case's documents, without their bytes.
pub async fn documents(conn: &mut Conn, case_id: i64) -> Result<Vec<DocumentRow>, StoreError> {
    sqlx::query_as(
        "SELECT id, name, content_type, size, by_name, at FROM case_documents WHERE case_id = $1 ORDER BY id",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await
    .store()
}

/// A document with its bytes.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct DocumentFile {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// One document of a case with its bytes.
pub async fn document(
    conn: &mut Conn,
    case_id: i64,
    id: i64,
) -> Result<Option<DocumentFile>, StoreError> {
    sqlx::query_as(
        "SELECT id, name, content_type, bytes FROM case_documents WHERE case_id = $1 AND id = $2",
    )
    .bind(case_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
    .store()
}

/// The day the tallies of a case's present state are kept on.
pub const STATE_DAY: &str = "0000-01-01";

/// The tallies of cases, by the unit that keeps them: opened (on the day opened) and
/// still open, resolved and the days it took (on the day resolved), by type; and on
/// `STATE_DAY`, the same all-time totals by type and the cases not done by status.
pub(crate) fn tally_parts(within: &dyn Fn(&str, &str) -> String) -> Vec<String> {
    let state_day = format!("'{STATE_DAY}'");
    vec![
        format!(
            "SELECT c.unit_id, 'case_opened:' || t.code, c.opened_on, COUNT(*) FROM cases c \
             JOIN case_types t ON t.id = c.case_type_id WHERE {} GROUP BY c.unit_id, t.code, c.opened_on",
            within("c.unit_id", "c.opened_on")
        ),
        format!(
            "SELECT c.unit_id, 'case_open:' || t.code, c.opened_on, COUNT(*) FROM cases c \
             JOIN case_types t ON t.id = c.case_type_id WHERE c.status NOT IN ('resolved', 'closed') AND {} \
             GROUP BY c.unit_id, t.code, c.opened_on",
            within("c.unit_id", "c.opened_on")
        ),
        format!(
            "SELECT c.unit_id, 'case_resolved:' || t.code, c.resolved_on, COUNT(*) FROM cases c \
             JOIN case_types t ON t.id = c.case_type_id WHERE c.resolved_on IS NOT NULL AND {} \
             GROUP BY c.unit_id, t.code, c.resolved_on",
            within("c.unit_id", "c.resolved_on")
        ),
        format!(
            "SELECT c.unit_id, 'case_resolve_days:' || t.code, c.resolved_on, CAST(SUM(c.resolve_days) AS BIGINT) FROM cases c \
             JOIN case_types t ON t.id = c.case_type_id WHERE c.resolved_on IS NOT NULL AND {} \
             GROUP BY c.unit_id, t.code, c.resolved_on",
            within("c.unit_id", "c.resolved_on")
        ),
        // All-time totals on the state day: a roll-up reads one row per unit and figure.
        format!(
            "SELECT c.unit_id, 'case_total_opened:' || t.code, {state_day}, COUNT(*) FROM cases c \
             JOIN case_types t ON t.id = c.case_type_id WHERE {} GROUP BY c.unit_id, t.code",
            within("c.unit_id", &state_day)
        ),
        format!(
            "SELECT c.unit_id, 'case_total_resolved:' || t.code, {state_day}, COUNT(*) FROM cases c \
             JOIN case_types t ON t.id = c.case_type_id WHERE c.resolved_on IS NOT NULL AND {} \
             GROUP BY c.unit_id, t.code",
            within("c.unit_id", &state_day)
        ),
        format!(
            "SELECT c.unit_id, 'case_total_days:' || t.code, {state_day}, CAST(SUM(c.resolve_days) AS BIGINT) \
             FROM cases c JOIN case_types t ON t.id = c.case_type_id WHERE c.resolved_on IS NOT NULL AND {} \
             GROUP BY c.unit_id, t.code",
            within("c.unit_id", &state_day)
        ),
        format!(
            "SELECT c.unit_id, 'case_status:' || c.status, {state_day}, COUNT(*) FROM cases c \
             WHERE c.status NOT IN ('resolved', 'closed') AND {} GROUP BY c.unit_id, c.status",
            within("c.unit_id", &state_day)
        ),
    ]
}
