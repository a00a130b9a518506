//! Storage on SQLite (the embedded default) and PostgreSQL: one schema, one set of
//! queries wherever the dialects agree. Query functions take a connection; the use case
//! that calls them opens the transaction and commits once.
#![forbid(unsafe_code)]

mod db;
mod decode;
mod error;
mod migrate;
mod names;

pub mod aid;
pub mod audit;
pub mod backup;
pub mod bulk;
pub mod cases;
pub mod committees;
pub mod competitions;
pub mod counters;
pub mod courses;
pub mod decisions;
pub mod dedupe;
pub mod drives;
pub mod events;
pub mod governance;
pub mod honors;
pub mod import;
pub mod job_files;
pub mod jobs;
pub mod mapping;
pub mod meetings;
pub mod members;
pub mod schemes;
pub mod search;
pub mod sessions;
pub mod tallies;
pub mod units;
pub mod users;
pub mod workplaces;

pub use db::{redact as redact_url, Backend, Db, Tx};
pub use error::StoreError;
pub use sqlx::AnyConnection as Conn;
pub use sqlx::Error as SqlxError;

/// A list of integer ids for an `IN (...)`: integers only, so nothing to escape.
pub(crate) fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// The part of the tree a caller may see: the subtree under one unit, or everything.
/// Listing functions take it by value so that no listing can forget to narrow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    Subtree(i64),
}

impl Scope {
    /// A SQL condition that holds when `column` (a unit id) lies in the scope. `param`
    /// is the placeholder number that `bind_scope` will fill.
    pub(crate) fn condition(self, column: &str, param: usize) -> String {
        match self {
            Scope::All => format!("(${param} = 0 OR {column} IS NOT NULL)"),
            Scope::Subtree(_) => format!(
                "{column} IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id = ${param})"
            ),
        }
    }

    /// The same condition for a lookup of one row: a probe of the closure's primary key,
    /// where `condition` first lists the whole subtree (SQLite builds the list of a
    /// province's 30,000 units for every lookup, about 10 ms; the probe takes 0.1 ms).
    pub(crate) fn holds(self, column: &str, param: usize) -> String {
        match self {
            Scope::All => self.condition(column, param),
            Scope::Subtree(_) => format!(
                "EXISTS (SELECT 1 FROM unit_closure sc WHERE sc.ancestor_id = ${param} AND sc.descendant_id = {column})"
            ),
        }
    }

    /// The unit whose subtree this is; `None` for everything.
    pub fn unit(self) -> Option<i64> {
        match self {
            Scope::All => None,
            Scope::Subtree(id) => Some(id),
        }
    }

    pub(crate) fn param(self) -> i64 {
        match self {
            Scope::All => 0,
            Scope::Subtree(id) => id,
        }
    }
}
