//! Names in other languages. Units, drives, drive metrics and workplaces keep them in
//! tables of one shape, `(<owner>, locale, name)`, read and written here.

use crate::error::{ResultExt, StoreError};
use crate::Conn;
use sqlx::AssertSqlSafe;

/// One table of names and the column naming its owner (both fixed in the code).
#[derive(Debug, Clone, Copy)]
pub(crate) struct NameTable {
    pub table: &'static str,
    pub owner: &'static str,
}

pub(crate) const UNITS: NameTable = NameTable {
    table: "unit_names",
    owner: "unit_id",
};
pub(crate) const DRIVES: NameTable = NameTable {
    table: "drive_names",
    owner: "drive_id",
};
pub(crate) const METRICS: NameTable = NameTable {
    table: "drive_metric_names",
    owner: "metric_id",
};
pub(crate) const WORKPLACES: NameTable = NameTable {
    table: "workplace_names",
    owner: "workplace_id",
};

/// The names of one owner: (locale, name), by locale.
pub(crate) async fn of(
    conn: &mut Conn,
    t: NameTable,
    id: i64,
) -> Result<Vec<(String, String)>, StoreError> {
    let sql = format!(
        "SELECT locale, name FROM {} WHERE {} = $1 ORDER BY locale",
        t.table, t.owner
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(id)
        .fetch_all(&mut *conn)
        .await
        .store()
}

/// Replaces the names of one owner.
pub(crate) async fn replace(
    conn: &mut Conn,
    t: NameTable,
    id: i64,
    names: &[(String, String)],
) -> Result<(), StoreError> {
    let sql = format!("DELETE FROM {} WHERE {} = $1", t.table, t.owner);
    sqlx::query(AssertSqlSafe(sql))
        .bind(id)
        .execute(&mut *conn)
        .await
        .store()?;
    let sql = format!(
        "INSERT INTO {} ({}, locale, name) VALUES ($1, $2, $3)",
        t.table, t.owner
    );
    for (locale, name) in names {
        sqlx::query(AssertSqlSafe(sql.clone()))
            .bind(id)
            .bind(locale)
            .bind(name)
            .execute(&mut *conn)
            .await
            .store()?;
    }
    Ok(())
}
