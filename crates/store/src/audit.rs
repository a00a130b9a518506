//! The audit log: who changed what, when, before and after.

use crate::error::{ResultExt, StoreError};
use crate::Conn;
use sqlx::FromRow;

#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub user_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: i64,
    pub unit_id: Option<i64>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

#[derive(Debug, Clone)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: i64,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

pub async fn record(conn: &mut Conn, e: &AuditEntry, now: &str) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (at, user_id, actor, action, entity, entity_id, unit_id, before_json, \
         after_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(now)
    .bind(e.user_id)
    .bind(&e.actor)
    .bind(&e.action)
    .bind(&e.entity)
    .bind(e.entity_id)
    .bind(e.unit_id)
    .bind(e.before.as_ref().map(|v| v.to_string()))
    .bind(e.after.as_ref().map(|v| v.to_string()))
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

/// The trail of one entity, oldest first.
pub async fn trail(
    conn: &mut Conn,
    entity: &str,
    entity_id: i64,
) -> Result<Vec<AuditRow>, StoreError> {
    let rows: Vec<StoredEntry> = sqlx::query_as(
        "SELECT id, at, actor, action, entity, entity_id, before_json, after_json FROM audit_log \
         WHERE entity = $1 AND entity_id = $2 ORDER BY id",
    )
    .bind(entity)
    .bind(entity_id)
    .fetch_all(&mut *conn)
    .await
    .store()?;
    let json = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
    Ok(rows
        .into_iter()
        .map(|r| AuditRow {
            id: r.id,
            at: r.at,
            actor: r.actor,
            action: r.action,
            entity: r.entity,
            entity_id: r.entity_id,
            before: json(r.before_json),
            after: json(r.after_json),
        })
        .collect())
}

/// An entry as stored, its states as JSON text (text that does not parse reads as none).
#[derive(FromRow)]
struct StoredEntry {
    id: i64,
    at: String,
    actor: String,
    action: String,
    entity: String,
    entity_id: i64,
    before_json: Option<String>,
    after_json: Option<String>,
}
