//! Likely duplicates: the people a matcher compares, the pairs it found, and moving a
//! merged person's records to the person kept.

use crate::error::{ResultExt, StoreError};
use crate::{Conn, Scope};
use sqlx::{AssertSqlSafe, FromRow};

/// What the matcher reads of a person.
#[derive(Debug, Clone, Default, PartialEq, Eq, FromRow)]
pub struct MatchRow {
    pub id: i64,
    pub tree_id: i64,
    pub full_name: String,
    pub latin_name: Option<String>,
    pub birth_date: Option<String>,
    pub phone: Option<String>,
    pub national_id: Option<String>,
    pub gender: Option<String>,
    pub occupation_code: Option<String>,
}

const MATCH_COLUMNS: &str = "p.id, p.tree_id, p.full_name, p.latin_name, p.birth_date, p.phone, \
     p.national_id, p.gender, p.occupation_code";

/// Every current member of a tree within the scope, for a scan.
pub async fn members_of(
    conn: &mut Conn,
    scope: Scope,
    tree_id: i64,
) -> Result<Vec<MatchRow>, StoreError> {
    let sql = format!(
        "SELECT {MATCH_COLUMNS} FROM people p JOIN memberships m ON m.person_id = p.id \
         AND m.is_current = 1 WHERE p.tree_id = $2 AND p.archived = 0 AND {} ORDER BY p.id",
        scope.condition("m.unit_id", 1)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(tree_id)
        .fetch_all(&mut *conn)
        .await
        .store()
}

/// People of the tree who might be the person described: born on one of the days
/// given, or with the same national id or phone search key.
pub async fn candidates(
    conn: &mut Conn,
    tree_id: i64,
    birth_dates: &[String],
    national_id: Option<&str>,
    phone_key: Option<&str>,
) -> Result<Vec<MatchRow>, StoreError> {
    let mut ids: Vec<i64> = Vec::new();
    for b in birth_dates {
        let found: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM people WHERE tree_id = $1 AND birth_date = $2 LIMIT 5000",
        )
        .bind(tree_id)
        .bind(b)
        .fetch_all(&mut *conn)
        .await
        .store()?;
        ids.extend(found);
    }
    if let Some(n) = national_id {
        let found: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM people WHERE tree_id = $1 AND national_id = $2")
                .bind(tree_id)
                .bind(n)
                .fetch_all(&mut *conn)
                .await
                .store()?;
        ids.extend(found);
    }
    if let Some(k) = phone_key {
        let found: Vec<i64> =
            sqlx::query_scalar("SELECT person_id FROM person_keys WHERE key = $1 LIMIT 1000")
                .bind(k)
                .fetch_all(&mut *conn)
                .await
                .store()?;
        ids.extend(found);
    }
    ids.sort_unstable();
    ids.dedup();
    by_ids(conn, tree_id, &ids).await
}

/// The matcher's rows of these people, current members of the tree only.
pub async fn by_ids(
    conn: &mut Conn,
    tree_id: i64,
    ids: &[i64],
) -> Result<Vec<MatchRow>, StoreError> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let list = crate::id_list(chunk);
        let sql = format!(
            // The tree is checked below: as a condition, SQLite may walk the tree's
            // people by an index on `tree_id` instead of looking up these few.
            "SELECT {MATCH_COLUMNS} FROM people p JOIN memberships m ON m.person_id = p.id \
             AND m.is_current = 1 WHERE p.archived = 0 AND p.id IN ({list})"
        );
        let rows: Vec<MatchRow> = sqlx::query_as(AssertSqlSafe(sql))
            .fetch_all(&mut *conn)
            .await
            .store()?;
        out.extend(rows.into_iter().filter(|row| row.tree_id == tree_id));
    }
    Ok(out)
}

/// Records pairs found (a < b), leaving alone those already decided.
pub async fn add_pairs(
    conn: &mut Conn,
    tree_id: i64,
    pairs: &[(i64, i64, f64)],
    now: &str,
) -> Result<(), StoreError> {
    use crate::import::{insert_rows, Kind};
    let rows: Vec<_> = pairs
        .iter()
        .map(|(a, b, score)| (tree_id, a, b, score, now))
        .collect();
    insert_rows(
        conn,
        "INSERT INTO duplicate_pairs (tree_id, person_a, person_b, score, found_at, status)",
        &[Kind::Int, Kind::Int, Kind::Int, Kind::Real, Kind::Text],
        ", 'open'",
        "WHERE true ON CONFLICT (person_a, person_b) DO UPDATE SET score = excluded.score \
         WHERE duplicate_pairs.status = 'open'",
        &rows,
    )
    .await
}

/// A pair as listed: both people and the score.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct PairRow {
    pub person_a: i64,
    pub person_b: i64,
    pub score: f64,
    pub status: String,
}

/// Open pairs whose two people are current members inside the scope, best first.
pub async fn open_pairs(
    conn: &mut Conn,
    scope: Scope,
    limit: i64,
    offset: i64,
) -> Result<(Vec<PairRow>, i64), StoreError> {
    let from = format!(
        "FROM duplicate_pairs d \
         JOIN people pa ON pa.id = d.person_a AND pa.archived = 0 \
         JOIN people pb ON pb.id = d.person_b AND pb.archived = 0 \
         JOIN memberships ma ON ma.person_id = d.person_a AND ma.is_current = 1 \
         JOIN memberships mb ON mb.person_id = d.person_b AND mb.is_current = 1 \
         WHERE d.status = 'open' AND {} AND {}",
        scope.condition("ma.unit_id", 1),
        scope.condition("mb.unit_id", 1)
    );
    let sql = format!(
        "SELECT d.person_a, d.person_b, d.score, d.status {from} \
         ORDER BY d.score DESC, d.person_a, d.person_b LIMIT $2 OFFSET $3"
    );
    let pairs: Vec<PairRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(limit)
        .bind(offset)
        .fetch_all(&mut *conn)
        .await
        .store()?;
    let total: i64 = sqlx::query_scalar(AssertSqlSafe(format!("SELECT COUNT(*) {from}")))
        .bind(scope.param())
        .fetch_one(&mut *conn)
        .await
        .store()?;
    Ok((pairs, total))
}

pub async fn pair(conn: &mut Conn, a: i64, b: i64) -> Result<Option<PairRow>, StoreError> {
    sqlx::query_as(
        "SELECT person_a, person_b, score, status FROM duplicate_pairs WHERE person_a = $1 AND person_b = $2",
    )
    .bind(a)
    .bind(b)
    .fetch_optional(&mut *conn)
    .await
    .store()
}

/// Decides a pair: `dismissed` (two people) or `merged`.
pub async fn decide(
    conn: &mut Conn,
    tree_id: i64,
    a: i64,
    b: i64,
    status: &str,
    user_id: Option<i64>,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO duplicate_pairs (tree_id, person_a, person_b, score, status, decided_by, \
         decided_at, found_at) VALUES ($1, $2, $3, 0, $4, $5, $6, $6) \
         ON CONFLICT (person_a, person_b) DO UPDATE SET status = excluded.status, \
         decided_by = excluded.decided_by, decided_at = excluded.decided_at",
    )
    .bind(tree_id)
    .bind(a)
    .bind(b)
    .bind(status)
    .bind(user_id)
    .bind(now)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

/// Moves everything recorded of person `from` to person `to`: memberships (as past
/// ones), assessments, committee seats, audit history, open pairs; `from` is archived
/// as merged into `to`.
pub async fn fold_into(conn: &mut Conn, from: i64, to: i64, now: &str) -> Result<(), StoreError> {
    // Each statement with the parameters it uses: $1 from, $2 to, $3 now.
    let steps: [(&str, usize); 9] = [
        ("UPDATE memberships SET is_current = 0 WHERE person_id = $1", 1),
        ("UPDATE memberships SET person_id = $2 WHERE person_id = $1", 2),
        ("UPDATE assessments SET person_id = $2 WHERE person_id = $1", 2),
        (
            "DELETE FROM committee_members WHERE person_id = $1 AND workplace_id IN \
             (SELECT workplace_id FROM committee_members WHERE person_id = $2)",
            2,
        ),
        ("UPDATE committee_members SET person_id = $2 WHERE person_id = $1", 2),
        (
            "UPDATE audit_log SET entity_id = $2 WHERE entity = 'person' AND entity_id = $1",
            2,
        ),
        ("DELETE FROM person_keys WHERE person_id = $1", 1),
        (
            "DELETE FROM duplicate_pairs WHERE (person_a = $1 OR person_b = $1) AND status = 'open'",
            1,
        ),
        (
            "UPDATE people SET archived = 1, merged_into = $2, updated_at = $3 WHERE id = $1",
            3,
        ),
    ];
    for (sql, params) in steps {
        let mut q = sqlx::query(sql).bind(from);
        if params > 1 {
            q = q.bind(to);
        }
        if params > 2 {
            q = q.bind(now);
        }
        q.execute(&mut *conn).await.store()?;
    }
    Ok(())
}
