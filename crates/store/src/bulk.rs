//! Bulk loads: a large import into a small database drops the secondary indexes of the
//! tables it fills (on PostgreSQL also their foreign keys and the search keys' primary
//! key), and at its end builds each again by sorting, several times quicker than growing
//! them row by row. Until then the new members are listed but slow to search.
//!
//! The counters take the new members at the end too: each batch keeps its changes in
//! `deferred_counts`, and the end adds their sum at once.
//!
//! Unique indexes stay: they are what keeps two writers from taking the same member
//! number or external id while the load runs. (A person's search keys are written by
//! one writer at a time, each set without repeats, so their primary key can wait.)
//! What was dropped is recorded in `deferred_schema` in the transaction that drops it,
//! so whatever ends the load (its own end, or `Db::open` after a crash) puts it all
//! back.

use crate::error::{ResultExt, StoreError};
use crate::import::{is_postgres, CounterRows};
use crate::Conn;
use sqlx::AssertSqlSafe;

/// The tables a bulk load fills.
const TABLES: [&str; 3] = ["people", "memberships", "person_keys"];

/// How many people the database holds, live or archived.
pub async fn people_count(conn: &mut Conn) -> Result<i64, StoreError> {
    sqlx::query_scalar("SELECT COUNT(*) FROM people")
        .fetch_one(&mut *conn)
        .await
        .store()
}

/// What a bulk load drops, each with the statement that makes it again.
async fn droppable(conn: &mut Conn) -> Result<Vec<Deferred>, StoreError> {
    let tables = TABLES.map(|t| format!("'{t}'")).join(", ");
    let sql = if is_postgres(conn) {
        format!(
            "SELECT CAST(indexname AS TEXT), CAST(tablename AS TEXT), 'index', indexdef \
             FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN ({tables}) \
             AND indexdef NOT LIKE 'CREATE UNIQUE%' \
             UNION ALL \
             SELECT CAST(c.conname AS TEXT), CAST(t.relname AS TEXT), \
             CASE c.contype WHEN 'f' THEN 'foreign_key' ELSE 'primary_key' END, \
             'ALTER TABLE ' || t.relname || ' ADD CONSTRAINT ' || c.conname || ' ' || pg_get_constraintdef(c.oid) \
             FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid \
             JOIN pg_namespace n ON n.oid = t.relnamespace \
             WHERE n.nspname = current_schema() AND t.relname IN ({tables}) \
             AND (c.contype = 'f' OR (c.contype = 'p' AND t.relname = 'person_keys'))"
        )
    } else {
        format!(
            "SELECT name, tbl_name, 'index', sql FROM sqlite_master \
             WHERE type = 'index' AND tbl_name IN ({tables}) AND sql IS NOT NULL \
             AND sql NOT LIKE 'CREATE UNIQUE%'"
        )
    };
    // By position: the columns of the PostgreSQL query have no names.
    let rows: Vec<DeferredColumns> = sqlx::query_as(AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await
        .store()?;
    Ok(rows.into_iter().map(Deferred::from).collect())
}

/// Starts a bulk load inside the caller's transaction: records and drops the secondary
/// indexes (and foreign keys) of the tables it fills. Returns how many it dropped.
pub async fn begin(conn: &mut Conn) -> Result<usize, StoreError> {
    let dropped = droppable(conn).await?;
    for d in &dropped {
        sqlx::query(
            "INSERT INTO deferred_schema (name, table_name, kind, definition) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(&d.name)
        .bind(&d.table)
        .bind(&d.kind)
        .bind(&d.definition)
        .execute(&mut *conn)
        .await
        .store()?;
        let drop = if d.is_index() {
            format!("DROP INDEX {}", d.name)
        } else {
            format!("ALTER TABLE {} DROP CONSTRAINT {}", d.table, d.name)
        };
        sqlx::query(AssertSqlSafe(drop))
            .execute(&mut *conn)
            .await
            .store()?;
    }
    Ok(dropped.len())
}

/// Whether a bulk load has left anything to put back.
pub async fn pending(conn: &mut Conn) -> Result<bool, StoreError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM deferred_schema) + (SELECT COUNT(*) FROM deferred_counts)",
    )
    .fetch_one(&mut *conn)
    .await
    .store()?;
    Ok(n > 0)
}

/// Keeps the counter changes of one batch of a bulk load, in the batch's transaction,
/// to be added when the load ends: one sum then instead of one per batch.
pub async fn stage_counts(conn: &mut Conn, counts: &CounterRows) -> Result<(), StoreError> {
    let json = serde_json::to_string(counts).map_err(|e| StoreError::Internal(e.to_string()))?;
    sqlx::query("INSERT INTO deferred_counts (counts) VALUES ($1)")
        .bind(json)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

/// Adds the counter changes kept by `stage_counts` to the counters, and forgets them,
/// in the caller's transaction.
pub async fn add_staged_counts(conn: &mut Conn) -> Result<(), StoreError> {
    let staged: Vec<String> = sqlx::query_scalar("SELECT counts FROM deferred_counts")
        .fetch_all(&mut *conn)
        .await
        .store()?;
    if staged.is_empty() {
        return Ok(());
    }
    let batches = staged
        .iter()
        .map(|s| serde_json::from_str(s))
        .collect::<Result<Vec<CounterRows>, _>>()
        .map_err(|e| StoreError::Internal(format!("staged counts: {e}")))?;
    let drives = crate::import::any_drive(conn).await?;
    CounterRows::merge(batches).add_to(conn, drives).await?;
    sqlx::query("DELETE FROM deferred_counts")
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

/// A schema object a bulk load dropped.
#[derive(Debug, Clone)]
pub struct Deferred {
    pub name: String,
    pub table: String,
    /// `index`, `primary_key` or `foreign_key`.
    pub kind: String,
    /// The statement that makes it again.
    pub definition: String,
}

impl Deferred {
    pub fn is_index(&self) -> bool {
        self.kind == "index"
    }

    pub fn is_foreign_key(&self) -> bool {
        self.kind == "foreign_key"
    }
}

/// A row of (name, table, kind, definition).
type DeferredColumns = (String, String, String, String);

impl From<DeferredColumns> for Deferred {
    fn from((name, table, kind, definition): DeferredColumns) -> Self {
        Deferred {
            name,
            table,
            kind,
            definition,
        }
    }
}

/// What bulk loads dropped and is not back yet: primary keys, indexes, foreign keys.
pub async fn deferred(conn: &mut Conn) -> Result<Vec<Deferred>, StoreError> {
    let rows: Vec<DeferredColumns> = sqlx::query_as(
        "SELECT name, table_name, kind, definition FROM deferred_schema ORDER BY kind DESC, name",
    )
    .fetch_all(&mut *conn)
    .await
    .store()?;
    Ok(rows.into_iter().map(Deferred::from).collect())
}

/// Makes one dropped index or foreign key again and forgets it, in the caller's
/// transaction. A foreign key comes back `NOT VALID`: in force for new rows at once,
/// and checked against the rows already there by `validate`, one pass.
pub async fn restore(conn: &mut Conn, d: &Deferred) -> Result<(), StoreError> {
    let (name, definition) = (d.name.as_str(), d.definition.as_str());
    if !d.is_index() {
        let exists: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM pg_constraint WHERE conname = $1")
                .bind(name)
                .fetch_one(&mut *conn)
                .await
                .store()?;
        if exists == 0 {
            let sql = if d.is_foreign_key() {
                format!("{definition} NOT VALID")
            } else {
                definition.to_string()
            };
            sqlx::query(AssertSqlSafe(sql))
                .execute(&mut *conn)
                .await
                .store()?;
        }
    } else {
        let sql = match definition.strip_prefix("CREATE INDEX ") {
            Some(rest) => format!("CREATE INDEX IF NOT EXISTS {rest}"),
            None => definition.to_string(),
        };
        sqlx::query(AssertSqlSafe(sql))
            .execute(&mut *conn)
            .await
            .store()?;
    }
    sqlx::query("DELETE FROM deferred_schema WHERE name = $1")
        .bind(name)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

/// Checks the rows already in a table against a foreign key restored `NOT VALID`.
pub async fn validate(conn: &mut Conn, d: &Deferred) -> Result<(), StoreError> {
    sqlx::query(AssertSqlSafe(format!(
        "ALTER TABLE {} VALIDATE CONSTRAINT {}",
        d.table, d.name
    )))
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}
