//! The unit tree: rows, names, levels and the closure table.

use crate::decode::ZeroIfNull;
use crate::error::{ResultExt, StoreError};
use crate::{Conn, Scope};
use sqlx::{AssertSqlSafe, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct UnitRow {
    pub id: i64,
    pub tree_id: i64,
    pub parent_id: Option<i64>,
    pub parent_code: Option<String>,
    pub code: String,
    pub level: String,
    pub name: String,
    pub region: Option<String>,
    pub founded_on: Option<String>,
    pub dissolved_on: Option<String>,
    /// 0 when the unit has no closure rows (the SQL's `MAX` is NULL).
    #[sqlx(try_from = "ZeroIfNull")]
    pub depth: i64,
}

/// The fields of a unit that a create or an update writes.
#[derive(Debug, Clone, Default)]
pub struct UnitFields {
    pub code: String,
    pub level: String,
    pub name: String,
    pub region: Option<String>,
    pub founded_on: Option<String>,
    pub dissolved_on: Option<String>,
}

const SELECT: &str =
    "SELECT u.id, u.tree_id, u.parent_id, p.code AS parent_code, u.code, u.level, \
     u.name, u.region, u.founded_on, u.dissolved_on, \
     (SELECT MAX(c.depth) FROM unit_closure c WHERE c.descendant_id = u.id) AS depth \
     FROM units u LEFT JOIN units p ON p.id = u.parent_id";

pub async fn by_code(conn: &mut Conn, code: &str) -> Result<Option<UnitRow>, StoreError> {
    let sql = format!("{SELECT} WHERE u.code = $1 AND u.archived = 0");
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(code)
        .fetch_optional(&mut *conn)
        .await
        .store()
}

pub async fn by_id(conn: &mut Conn, id: i64) -> Result<Option<UnitRow>, StoreError> {
    let sql = format!("{SELECT} WHERE u.id = $1");
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .store()
}

/// Every unit in the scope, parents before children.
pub async fn list(conn: &mut Conn, scope: Scope) -> Result<Vec<UnitRow>, StoreError> {
    let sql = format!(
        "{SELECT} WHERE u.archived = 0 AND {} ORDER BY u.tree_id, depth, u.code",
        scope.condition("u.id", 1)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .fetch_all(&mut *conn)
        .await
        .store()
}

/// Whether `unit_id` lies in the scope.
pub async fn in_scope(conn: &mut Conn, scope: Scope, unit_id: i64) -> Result<bool, StoreError> {
    match scope {
        Scope::All => Ok(true),
        Scope::Subtree(root) => {
            let found: Option<i64> = sqlx::query_scalar(
                "SELECT depth FROM unit_closure WHERE ancestor_id = $1 AND descendant_id = $2",
            )
            .bind(root)
            .bind(unit_id)
            .fetch_optional(&mut *conn)
            .await
            .store()?;
            Ok(found.is_some())
        }
    }
}

/// Names of the units in the scope in every locale: (unit id, locale, name).
pub async fn names_in(
    conn: &mut Conn,
    scope: Scope,
) -> Result<Vec<(i64, String, String)>, StoreError> {
    let sql = format!(
        "SELECT n.unit_id, n.locale, n.name FROM unit_names n WHERE {} ORDER BY n.unit_id, n.locale",
        scope.condition("n.unit_id", 1)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .fetch_all(&mut *conn)
        .await
        .store()
}

pub async fn names_of(conn: &mut Conn, unit_id: i64) -> Result<Vec<(String, String)>, StoreError> {
    crate::names::of(conn, crate::names::UNITS, unit_id).await
}

pub async fn set_names(
    conn: &mut Conn,
    unit_id: i64,
    names: &[(String, String)],
) -> Result<(), StoreError> {
    crate::names::replace(conn, crate::names::UNITS, unit_id, names).await
}

/// Inserts a unit under `parent` (or as the root of a new tree) with its closure rows.
pub async fn insert(
    conn: &mut Conn,
    parent: Option<&UnitRow>,
    fields: &UnitFields,
    now: &str,
) -> Result<i64, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO units (tree_id, parent_id, code, level, name, region, founded_on, dissolved_on, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(parent.map(|p| p.tree_id))
    .bind(parent.map(|p| p.id))
    .bind(&fields.code)
    .bind(&fields.level)
    .bind(&fields.name)
    .bind(&fields.region)
    .bind(&fields.founded_on)
    .bind(&fields.dissolved_on)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .store()?;
    if parent.is_none() {
        sqlx::query("UPDATE units SET tree_id = id WHERE id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await
            .store()?;
    }
    sqlx::query(
        "INSERT INTO unit_closure (ancestor_id, descendant_id, depth) \
         SELECT ancestor_id, $1, depth + 1 FROM unit_closure WHERE descendant_id = $2 \
         UNION ALL SELECT $1, $1, 0",
    )
    .bind(id)
    .bind(parent.map_or(-1, |p| p.id))
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(id)
}

pub async fn update(
    conn: &mut Conn,
    id: i64,
    fields: &UnitFields,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE units SET level = $2, name = $3, region = $4, founded_on = $5, dissolved_on = $6, \
         updated_at = $7 WHERE id = $1",
    )
    .bind(id)
    .bind(&fields.level)
    .bind(&fields.name)
    .bind(&fields.region)
    .bind(&fields.founded_on)
    .bind(&fields.dissolved_on)
    .bind(now)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

/// Moves the subtree under `unit_id` below `new_parent_id`: the closure rows that tie
/// the subtree to its old ancestors are replaced by rows to the new ones.
pub async fn move_subtree(
    conn: &mut Conn,
    unit_id: i64,
    new_parent_id: i64,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "DELETE FROM unit_closure WHERE descendant_id IN \
           (SELECT descendant_id FROM unit_closure WHERE ancestor_id = $1) \
         AND ancestor_id NOT IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id = $1)",
    )
    .bind(unit_id)
    .execute(&mut *conn)
    .await
    .store()?;
    sqlx::query(
        "INSERT INTO unit_closure (ancestor_id, descendant_id, depth) \
         SELECT a.ancestor_id, d.descendant_id, a.depth + d.depth + 1 \
         FROM unit_closure a, unit_closure d WHERE a.descendant_id = $2 AND d.ancestor_id = $1",
    )
    .bind(unit_id)
    .bind(new_parent_id)
    .execute(&mut *conn)
    .await
    .store()?;
    sqlx::query("UPDATE units SET parent_id = $2, updated_at = $3 WHERE id = $1")
        .bind(unit_id)
        .bind(new_parent_id)
        .bind(now)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

/// The level names a tree allows, from the top.
/// The levels of a unit's children.
pub async fn child_levels(conn: &mut Conn, unit_id: i64) -> Result<Vec<String>, StoreError> {
    sqlx::query_scalar("SELECT level FROM units WHERE parent_id = $1")
        .bind(unit_id)
        .fetch_all(&mut *conn)
        .await
        .store()
}

pub async fn levels(conn: &mut Conn, tree_id: i64) -> Result<Vec<String>, StoreError> {
    sqlx::query_scalar("SELECT name FROM tree_levels WHERE tree_id = $1 ORDER BY position")
        .bind(tree_id)
        .fetch_all(&mut *conn)
        .await
        .store()
}

pub async fn set_levels(
    conn: &mut Conn,
    tree_id: i64,
    levels: &[String],
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM tree_levels WHERE tree_id = $1")
        .bind(tree_id)
        .execute(&mut *conn)
        .await
        .store()?;
    for (position, name) in levels.iter().enumerate() {
        sqlx::query("INSERT INTO tree_levels (tree_id, position, name) VALUES ($1, $2, $3)")
            .bind(tree_id)
            .bind(position as i64)
            .bind(name)
            .execute(&mut *conn)
            .await
            .store()?;
    }
    Ok(())
}

/// Number of units in the subtree under `unit_id`, itself included.
pub async fn subtree_size(conn: &mut Conn, unit_id: i64) -> Result<i64, StoreError> {
    sqlx::query_scalar("SELECT COUNT(*) FROM unit_closure WHERE ancestor_id = $1")
        .bind(unit_id)
        .fetch_one(&mut *conn)
        .await
        .store()
}

/// How far `unit_id` lies below `ancestor_id` (0: the same unit); `None` when it is not
/// in that subtree.
pub async fn depth_below(
    conn: &mut Conn,
    ancestor_id: i64,
    unit_id: i64,
) -> Result<Option<i64>, StoreError> {
    sqlx::query_scalar(
        "SELECT depth FROM unit_closure WHERE ancestor_id = $1 AND descendant_id = $2",
    )
    .bind(ancestor_id)
    .bind(unit_id)
    .fetch_optional(&mut *conn)
    .await
    .store()
}
