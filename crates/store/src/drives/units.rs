//! The units of a drive as its pages name them: children, the path down, split weights.

use super::*;

/// A unit shown in a drive's tables: its id, code and name in the reader's locale.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct NamedUnit {
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// The children of a unit (archived ones too: their figures still count), by code.
pub async fn children(
    conn: &mut Conn,
    unit_id: i64,
    locale: &str,
) -> Result<Vec<NamedUnit>, StoreError> {
    sqlx::query_as(
        "SELECT u.id, u.code, COALESCE(n.name, u.name) AS name FROM units u \
         LEFT JOIN unit_names n ON n.unit_id = u.id AND n.locale = $2 \
         WHERE u.parent_id = $1 ORDER BY u.code",
    )
    .bind(unit_id)
    .bind(locale)
    .fetch_all(&mut *conn)
    .await
    .store()
}

/// The units from `top` down to `unit` (both included), top first.
pub async fn path(
    conn: &mut Conn,
    top: i64,
    unit_id: i64,
    locale: &str,
) -> Result<Vec<NamedUnit>, StoreError> {
    sqlx::query_as(
        "SELECT u.id, u.code, COALESCE(n.name, u.name) AS name FROM unit_closure c \
         JOIN units u ON u.id = c.ancestor_id \
         JOIN unit_closure t ON t.descendant_id = c.ancestor_id AND t.ancestor_id = $1 \
         LEFT JOIN unit_names n ON n.unit_id = u.id AND n.locale = $3 \
         WHERE c.descendant_id = $2 ORDER BY c.depth DESC",
    )
    .bind(top)
    .bind(unit_id)
    .bind(locale)
    .fetch_all(&mut *conn)
    .await
    .store()
}

/// What a proportional split weighs each child by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    /// Active members of the child's subtree.
    Members,
    /// Workers of the workplaces covered by a unit of the child's subtree.
    Workforce,
}

/// The weight of each child of `unit_id` (children without any weigh 0).
pub async fn split_weights(
    conn: &mut Conn,
    unit_id: i64,
    weight: Weight,
) -> Result<HashMap<i64, i64>, StoreError> {
    let sql = match weight {
        Weight::Members => {
            "SELECT s.unit_id AS id, CAST(SUM(s.members) AS BIGINT) AS w FROM subtree_status_counts s \
             JOIN units u ON u.id = s.unit_id WHERE u.parent_id = $1 AND s.status = 'active' GROUP BY s.unit_id"
        }
        Weight::Workforce => {
            "SELECT c.ancestor_id AS id, CAST(SUM(w.headcount) AS BIGINT) AS w FROM workplaces w \
             JOIN unit_closure c ON c.descendant_id = w.covering_unit_id \
             JOIN units u ON u.id = c.ancestor_id \
             WHERE u.parent_id = $1 AND w.archived = 0 AND w.headcount IS NOT NULL GROUP BY c.ancestor_id"
        }
    };
    let rows: Vec<(i64, Option<i64>)> = sqlx::query_as(sql)
        .bind(unit_id)
        .fetch_all(&mut *conn)
        .await
        .store()?;
    Ok(rows
        .into_iter()
        .map(|(id, w)| (id, w.unwrap_or(0)))
        .collect())
}
