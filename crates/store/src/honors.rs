//! Honors: a tree's categories, calls for nominations with their quotas, nominations
//! and each level's word on them, certificates, and the tallies they make.

use crate::error::{ResultExt, StoreError};
use crate::{Conn, Scope};
use sqlx::{AssertSqlSafe, FromRow};

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct CategoryRow {
    pub id: i64,
    pub tree_id: i64,
    pub code: String,
    pub name: String,
}

pub async fn insert_category(
    conn: &mut Conn,
    tree_id: i64,
    code: &str,
    name: &str,
    now: &str,
) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "INSERT INTO honor_categories (tree_id, code, name, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(tree_id)
    .bind(code)
    .bind(name)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .store()
}

/// The categories of one tree, or of every tree.
pub async fn categories(
    conn: &mut Conn,
    tree_id: Option<i64>,
) -> Result<Vec<CategoryRow>, StoreError> {
    sqlx::query_as(
        "SELECT id, tree_id, code, name FROM honor_categories WHERE ($1 = 0 OR tree_id = $1) \
         ORDER BY tree_id, code",
    )
    .bind(tree_id.unwrap_or(0))
    .fetch_all(&mut *conn)
    .await
    .store()
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct CallRow {
    pub id: i64,
    pub tree_id: i64,
    pub unit_id: i64,
    pub unit_code: String,
    pub category_id: i64,
    pub category_code: String,
    pub category_name: String,
    pub program_id: Option<i64>,
    pub event_id: Option<i64>,
    pub name: String,
    pub quota: i64,
    pub closes_on: Option<String>,
    pub nominations: i64,
    pub awarded: i64,
}

const CALL_SELECT: &str = "SELECT h.id, h.tree_id, h.unit_id, u.code AS unit_code, h.category_id, \
     k.code AS category_code, k.name AS category_name, h.program_id, h.event_id, h.name, h.quota, \
     h.closes_on, \
     (SELECT COUNT(*) FROM honor_nominations n WHERE n.call_id = h.id) AS nominations, \
     (SELECT COUNT(*) FROM honor_nominations n WHERE n.call_id = h.id AND n.status = 'awarded') AS awarded \
     FROM honor_calls h JOIN units u ON u.id = h.unit_id JOIN honor_categories k ON k.id = h.category_id";

/// Calls a caller may open: of units in their subtree and of the units above it, whose
/// calls their units answer.
fn visible(scope: Scope, one: bool) -> String {
    let mine = if one {
        scope.holds("h.unit_id", 1)
    } else {
        scope.condition("h.unit_id", 1)
    };
    format!(
        "({mine} OR h.unit_id IN (SELECT ancestor_id FROM unit_closure WHERE descendant_id = $1))"
    )
}

/// What a call's create writes, already checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallFields {
    pub tree_id: i64,
    pub unit_id: i64,
    pub category_id: i64,
    pub program_id: Option<i64>,
    pub event_id: Option<i64>,
    pub name: String,
    pub quota: i64,
    pub closes_on: Option<String>,
}

pub async fn insert_call(conn: &mut Conn, f: &CallFields, now: &str) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "INSERT INTO honor_calls (tree_id, unit_id, category_id, program_id, event_id, name, quota, \
         closes_on, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(f.tree_id)
    .bind(f.unit_id)
    .bind(f.category_id)
    .bind(f.program_id)
    .bind(f.event_id)
    .bind(&f.name)
    .bind(f.quota)
    .bind(&f.closes_on)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .store()
}

pub async fn call(conn: &mut Conn, scope: Scope, id: i64) -> Result<Option<CallRow>, StoreError> {
    let sql = format!("{CALL_SELECT} WHERE h.id = $2 AND {}", visible(scope, true));
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .store()
}

/// Calls the caller may open (of one program when given), latest first.
pub async fn calls(
    conn: &mut Conn,
    scope: Scope,
    program_id: Option<i64>,
    limit: i64,
) -> Result<Vec<CallRow>, StoreError> {
    let program = if program_id.is_some() {
        "AND h.program_id = $2"
    } else {
        ""
    };
    let sql = format!(
        "{CALL_SELECT} WHERE {} {program} ORDER BY h.id DESC LIMIT $3",
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

/// The quotas a call sets for some units: (unit id, unit code, quota).
pub async fn quotas(conn: &mut Conn, call_id: i64) -> Result<Vec<(i64, String, i64)>, StoreError> {
    sqlx::query_as(
        "SELECT q.unit_id, u.code, q.quota FROM honor_quotas q JOIN units u ON u.id = q.unit_id \
         WHERE q.call_id = $1 ORDER BY u.code",
    )
    .bind(call_id)
    .fetch_all(&mut *conn)
    .await
    .store()
}

pub async fn set_quota(
    conn: &mut Conn,
    call_id: i64,
    unit_id: i64,
    quota: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO honor_quotas (call_id, unit_id, quota) VALUES ($1, $2, $3) \
         ON CONFLICT (call_id, unit_id) DO UPDATE SET quota = excluded.quota",
    )
    .bind(call_id)
    .bind(unit_id)
    .bind(quota)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

/// The places a unit holds in a call's quota: its nominations not rejected or withdrawn.
pub async fn taken(conn: &mut Conn, call_id: i64, unit_id: i64) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM honor_nominations WHERE call_id = $1 AND unit_id = $2 \
         AND status NOT IN ('rejected', 'withdrawn')",
    )
    .bind(call_id)
    .bind(unit_id)
    .fetch_one(&mut *conn)
    .await
    .store()
}

/// The units from `unit_id`'s parent up to `top`, nearest first.
pub async fn chain(conn: &mut Conn, unit_id: i64, top: i64) -> Result<Vec<i64>, StoreError> {
    sqlx::query_scalar(
        "SELECT c.ancestor_id FROM unit_closure c WHERE c.descendant_id = $1 AND c.depth > 0 \
         AND c.ancestor_id IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id = $2) \
         ORDER BY c.depth",
    )
    .bind(unit_id)
    .bind(top)
    .fetch_all(&mut *conn)
    .await
    .store()
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct NominationRow {
    pub id: i64,
    pub call_id: i64,
    pub unit_id: i64,
    pub unit_code: String,
    pub person_id: Option<i64>,
    pub name: String,
    pub organization: Option<String>,
    pub citation: Option<String>,
    pub status: String,
    pub awaiting_unit_id: Option<i64>,
    pub awaiting_code: Option<String>,
    pub approvals: i64,
    pub certificate: Option<String>,
    pub awarded_on: Option<String>,
}

const NOMINATION_SELECT: &str =
    "SELECT n.id, n.call_id, n.unit_id, u.code AS unit_code, n.person_id, \
     COALESCE(p.full_name, n.outside_name, '') AS name, n.organization, n.citation, n.status, \
     n.awaiting_unit_id, w.code AS awaiting_code, n.approvals, n.certificate, n.awarded_on \
     FROM honor_nominations n JOIN units u ON u.id = n.unit_id \
     LEFT JOIN units w ON w.id = n.awaiting_unit_id LEFT JOIN people p ON p.id = n.person_id";

/// A new nomination, already checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNomination {
    pub call_id: i64,
    pub unit_id: i64,
    pub person_id: Option<i64>,
    pub outside_name: Option<String>,
    pub organization: Option<String>,
    pub citation: Option<String>,
    pub awaiting_unit_id: i64,
}

pub async fn insert_nomination(
    conn: &mut Conn,
    n: &NewNomination,
    now: &str,
) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "INSERT INTO honor_nominations (call_id, unit_id, person_id, outside_name, organization, citation, \
         status, awaiting_unit_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8, $8) RETURNING id",
    )
    .bind(n.call_id)
    .bind(n.unit_id)
    .bind(n.person_id)
    .bind(&n.outside_name)
    .bind(&n.organization)
    .bind(&n.citation)
    .bind(n.awaiting_unit_id)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .store()
}

/// A nomination made by a unit in `scope`, or one waiting on such a unit's approval.
pub async fn nomination(
    conn: &mut Conn,
    scope: Scope,
    id: i64,
) -> Result<Option<NominationRow>, StoreError> {
    let sql = format!(
        "{NOMINATION_SELECT} WHERE n.id = $2 AND {}",
        scope.holds("n.unit_id", 1)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .store()
}

/// A call's nominations made by units in `scope`, by unit.
pub async fn nominations(
    conn: &mut Conn,
    scope: Scope,
    call_id: i64,
) -> Result<Vec<NominationRow>, StoreError> {
    let sql = format!(
        "{NOMINATION_SELECT} WHERE n.call_id = $2 AND {} ORDER BY u.code, n.id",
        scope.condition("n.unit_id", 1)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(call_id)
        .fetch_all(&mut *conn)
        .await
        .store()
}

/// Moves a nomination on: its status, whose approval it awaits and how many it has.
pub async fn set_state(
    conn: &mut Conn,
    id: i64,
    status: &str,
    awaiting: Option<i64>,
    approvals: i64,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE honor_nominations SET status = $2, awaiting_unit_id = $3, approvals = $4, updated_at = $5 \
         WHERE id = $1",
    )
    .bind(id)
    .bind(status)
    .bind(awaiting)
    .bind(approvals)
    .bind(now)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

pub async fn set_awarded(
    conn: &mut Conn,
    id: i64,
    day: &str,
    certificate: &str,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE honor_nominations SET status = 'awarded', awaiting_unit_id = NULL, awarded_on = $2, \
         certificate = $3, updated_at = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(day)
    .bind(certificate)
    .bind(now)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

pub async fn add_step(
    conn: &mut Conn,
    nomination_id: i64,
    unit_id: i64,
    act: &str,
    note: Option<&str>,
    by_name: &str,
    at: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO honor_steps (nomination_id, unit_id, act, note, by_name, at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(nomination_id)
    .bind(unit_id)
    .bind(act)
    .bind(note)
    .bind(by_name)
    .bind(at)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

/// One level's word on a nomination.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct StepRow {
    pub nomination_id: i64,
    pub unit_code: String,
    pub act: String,
    pub note: Option<String>,
    pub by_name: String,
    pub at: String,
}

/// Each level's word on some nominations, in order.
pub async fn steps(conn: &mut Conn, ids: &[i64]) -> Result<Vec<StepRow>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT s.nomination_id, u.code AS unit_code, s.act, s.note, s.by_name, s.at FROM honor_steps s \
         JOIN units u ON u.id = s.unit_id WHERE s.nomination_id IN ({}) ORDER BY s.id",
        crate::id_list(ids)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await
        .store()
}

/// What a certificate's public page confirms.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct CertificateRow {
    pub name: String,
    pub organization: Option<String>,
    pub category_id: i64,
    pub category_name: String,
    pub call_name: String,
    pub unit_name: String,
    pub awarded_on: String,
    pub status: String,
}

pub async fn certificate(
    conn: &mut Conn,
    code: &str,
) -> Result<Option<CertificateRow>, StoreError> {
    sqlx::query_as(
        "SELECT COALESCE(p.full_name, n.outside_name, '') AS name, n.organization, k.id AS category_id, \
         k.name AS category_name, h.name AS call_name, u.name AS unit_name, n.awarded_on, n.status \
         FROM honor_nominations n JOIN honor_calls h ON h.id = n.call_id \
         JOIN honor_categories k ON k.id = h.category_id JOIN units u ON u.id = h.unit_id \
         LEFT JOIN people p ON p.id = n.person_id WHERE n.certificate = $1 AND n.awarded_on IS NOT NULL",
    )
    .bind(code)
    .fetch_optional(&mut *conn)
    .await
    .store()
}

/// The tallies of honors: those awarded in a program, by the nominating unit, on the
/// day of the award.
pub(crate) fn tally_parts(within: &dyn Fn(&str, &str) -> String) -> Vec<String> {
    vec![format!(
        "SELECT n.unit_id, 'p:' || CAST(h.program_id AS TEXT) || ':honors', n.awarded_on, COUNT(*) \
         FROM honor_nominations n JOIN honor_calls h ON h.id = n.call_id \
         WHERE h.program_id IS NOT NULL AND n.status = 'awarded' AND {} \
         GROUP BY n.unit_id, h.program_id, n.awarded_on",
        within("n.unit_id", "n.awarded_on")
    )]
}
