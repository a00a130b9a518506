//! Use cases of Muster: every one takes the acting user, checks that what it touches
//! lies in that user's subtree, validates input into domain types, and writes in one
//! transaction with its audit entry and counters.
#![forbid(unsafe_code)]

mod actor;
pub mod aid;
pub mod cases;
pub mod committees;
pub mod competitions;
mod counting;
pub mod courses;
#[cfg(test)]
mod csv_props;
pub mod decisions;
pub mod dedupe;
pub mod demo;
pub mod drives;
mod error;
pub mod events;
pub mod exports;
pub mod governance;
pub mod honors;
pub mod import;
pub mod jobs;
pub mod mapping;
pub mod meetings;
pub mod members;
mod scan;
pub mod schemes;
pub mod stats;
mod system;
pub mod units;
pub mod users;
pub mod workplaces;
mod write;

pub use actor::Actor;
pub use error::{AppError, Fields};
pub use system::System;

use muster_store::Db;

use muster_store::audit::{self, AuditEntry};
use muster_store::Conn;

/// The application: a database and the use cases over it.
#[derive(Clone, Debug)]
pub struct App {
    db: Db,
    /// Duplicate checks asked for per login this minute, to stop trial and error.
    checks: std::sync::Arc<dedupe::Allowance>,
}

impl App {
    pub fn new(db: Db) -> Self {
        Self {
            db,
            checks: Default::default(),
        }
    }

    pub(crate) fn db(&self) -> &Db {
        &self.db
    }
}

/// Writes one audit entry for a change made by `actor`. Every argument is one column of
/// the entry; a builder would only rename them.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn audit(
    conn: &mut Conn,
    actor: &Actor,
    action: &str,
    entity: &str,
    entity_id: i64,
    unit_id: Option<i64>,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
    now: &str,
) -> Result<(), AppError> {
    let entry = AuditEntry {
        user_id: actor.user_id,
        actor: actor.username.clone(),
        action: action.into(),
        entity: entity.into(),
        entity_id,
        unit_id,
        before,
        after,
    };
    audit::record(conn, &entry, now).await?;
    Ok(())
}

/// Keeps at most `max` (and at least 1) items per page; 50 when not asked.
pub(crate) fn page_size(limit: Option<i64>) -> i64 {
    limit.unwrap_or(50).clamp(1, 500)
}
