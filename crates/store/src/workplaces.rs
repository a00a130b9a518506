//! Workplaces: enterprises and worksites, scoped by the unit whose area they lie in.

use crate::error::{ResultExt, StoreError};
use crate::{Conn, Scope};
use sqlx::{AssertSqlSafe, FromRow};

#[derive(Debug, Clone, Default, PartialEq, FromRow)]
pub struct WorkplaceFields {
    pub code: String,
    pub name: String,
    pub unit_id: i64,
    pub registration_id: Option<String>,
    pub sector_code: Option<String>,
    pub ownership: Option<String>,
    pub headcount: Option<i64>,
    pub operating_since: Option<String>,
    pub region: Option<String>,
    pub covering_unit_id: Option<i64>,
}

#[derive(Debug, Clone, FromRow)]
pub struct WorkplaceRow {
    pub id: i64,
    pub tree_id: i64,
    pub unit_code: String,
    pub covering_unit_code: Option<String>,
    #[sqlx(flatten)]
    pub fields: WorkplaceFields,
    /// Active members who work there.
    pub members: i64,
}

const SELECT: &str = "SELECT w.id, w.tree_id, w.unit_id, u.code AS unit_code, w.code, w.name, \
     w.registration_id, w.sector_code, w.ownership, w.headcount, w.operating_since, w.region, \
     w.covering_unit_id, cu.code AS covering_unit_code, w.members \
     FROM workplaces w JOIN units u ON u.id = w.unit_id LEFT JOIN units cu ON cu.id = w.covering_unit_id";

pub async fn by_code(conn: &mut Conn, code: &str) -> Result<Option<WorkplaceRow>, StoreError> {
    let sql = format!("{SELECT} WHERE w.code = $1 AND w.archived = 0");
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(code)
        .fetch_optional(&mut *conn)
        .await
        .store()
}

pub async fn by_id(conn: &mut Conn, id: i64) -> Result<Option<WorkplaceRow>, StoreError> {
    let sql = format!("{SELECT} WHERE w.id = $1");
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .store()
}

#[derive(Debug, Clone, Default)]
pub struct WorkplaceFilter {
    pub unit_id: Option<i64>,
    /// Part of the name (any case), the code or the registration number.
    pub q: Option<String>,
    /// Only workplaces with (true) or without (false) a covering union.
    pub covered: Option<bool>,
}

/// Workplaces in the scope, by id, after `after`.
pub async fn list(
    conn: &mut Conn,
    scope: Scope,
    filter: &WorkplaceFilter,
    after: i64,
    limit: i64,
) -> Result<Vec<WorkplaceRow>, StoreError> {
    let mut sql = format!(
        "{SELECT} WHERE w.archived = 0 AND w.id > $2 AND {}",
        scope.condition("w.unit_id", 1)
    );
    if filter.unit_id.is_some() {
        sql.push_str(
            " AND w.unit_id IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id = $4)",
        );
    } else {
        sql.push_str(" AND $4 = 0");
    }
    match filter.covered {
        Some(true) => sql.push_str(" AND w.covering_unit_id IS NOT NULL"),
        Some(false) => sql.push_str(" AND w.covering_unit_id IS NULL"),
        None => {}
    }
    if filter.q.is_some() {
        sql.push_str(
            " AND (lower(w.name) LIKE $5 OR lower(w.code) LIKE $5 OR lower(w.registration_id) LIKE $5 \
             OR w.id IN (SELECT n.workplace_id FROM workplace_names n WHERE lower(n.name) LIKE $5))",
        );
    } else {
        sql.push_str(" AND $5 = ''");
    }
    sql.push_str(" ORDER BY w.id LIMIT $3");
    let q = filter
        .q
        .as_ref()
        .map(|q| format!("%{}%", q.to_lowercase()))
        .unwrap_or_default();
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(after)
        .bind(limit)
        .bind(filter.unit_id.unwrap_or(0))
        .bind(q)
        .fetch_all(&mut *conn)
        .await
        .store()
}

pub async fn insert(
    conn: &mut Conn,
    tree_id: i64,
    f: &WorkplaceFields,
    now: &str,
) -> Result<i64, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO workplaces (tree_id, unit_id, code, name, registration_id, sector_code, ownership, \
         headcount, operating_since, region, covering_unit_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
    )
    .bind(tree_id)
    .bind(f.unit_id)
    .bind(&f.code)
    .bind(&f.name)
    .bind(&f.registration_id)
    .bind(&f.sector_code)
    .bind(&f.ownership)
    .bind(f.headcount)
    .bind(&f.operating_since)
    .bind(&f.region)
    .bind(f.covering_unit_id)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .store()?;
    link_covering_unit(conn, id, f.covering_unit_id).await?;
    Ok(id)
}

/// A grassroots unit that covers a workplace and names no workplace of its own is the
/// union of that workplace.
async fn link_covering_unit(
    conn: &mut Conn,
    workplace_id: i64,
    unit_id: Option<i64>,
) -> Result<(), StoreError> {
    if let Some(unit_id) = unit_id {
        sqlx::query("UPDATE units SET workplace_id = $1 WHERE id = $2 AND workplace_id IS NULL")
            .bind(workplace_id)
            .bind(unit_id)
            .execute(&mut *conn)
            .await
            .store()?;
    }
    Ok(())
}

pub async fn update(
    conn: &mut Conn,
    id: i64,
    f: &WorkplaceFields,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE workplaces SET unit_id = $2, name = $3, registration_id = $4, sector_code = $5, \
         ownership = $6, headcount = $7, operating_since = $8, region = $9, covering_unit_id = $10, \
         updated_at = $11 WHERE id = $1",
    )
    .bind(id)
    .bind(f.unit_id)
    .bind(&f.name)
    .bind(&f.registration_id)
    .bind(&f.sector_code)
    .bind(&f.ownership)
    .bind(f.headcount)
    .bind(&f.operating_since)
    .bind(&f.region)
    .bind(f.covering_unit_id)
    .bind(now)
    .execute(&mut *conn)
    .await
    .store()?;
    link_covering_unit(conn, id, f.covering_unit_id).await
}

/// Archives a workplace: it leaves lists, coverage and the priority list, and stays on
/// record with its workers and assessments.
pub async fn archive(conn: &mut Conn, id: i64, now: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE workplaces SET archived = 1, updated_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

/// A workplace's names in other languages: (locale, name).
pub async fn names_of(conn: &mut Conn, id: i64) -> Result<Vec<(String, String)>, StoreError> {
    crate::names::of(conn, crate::names::WORKPLACES, id).await
}

pub async fn set_names(
    conn: &mut Conn,
    id: i64,
    names: &[(String, String)],
) -> Result<(), StoreError> {
    crate::names::replace(conn, crate::names::WORKPLACES, id, names).await
}
