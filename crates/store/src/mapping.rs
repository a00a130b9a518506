//! Workplace mapping: union coverage of a subtree, the priority list of workplaces to
//! organize, the workers known at a workplace with their latest assessment, the
//! organizing committee, departments, headcount history and each tree's weights.

use crate::decode::Flag;
use crate::error::{ResultExt, StoreError};
use crate::{Conn, Scope};
use muster_domain::workplace::PriorityWeights;
use sqlx::{AssertSqlSafe, FromRow};

/// The size band of `w.headcount` in SQL, named as `SizeBand` names them.
const BAND: &str = "CASE WHEN w.headcount IS NULL THEN '' WHEN w.headcount < 25 THEN '1-24' \
    WHEN w.headcount < 100 THEN '25-99' WHEN w.headcount < 500 THEN '100-499' ELSE '500+' END";

/// Workplaces of a subtree grouped by size band, ownership and whether a union covers
/// them, with their workers and members.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct CoverageRow {
    pub band: String,
    pub ownership: String,
    /// 0 or 1 in the SQL.
    #[sqlx(try_from = "Flag")]
    pub covered: bool,
    pub workplaces: i64,
    pub workers: i64,
    pub members: i64,
}

pub async fn coverage(conn: &mut Conn, scope: Scope) -> Result<Vec<CoverageRow>, StoreError> {
    let sql = format!(
        "SELECT {BAND} AS band, COALESCE(w.ownership, '') AS ownership, \
         CASE WHEN w.covering_unit_id IS NULL THEN 0 ELSE 1 END AS covered, \
         COUNT(*) AS workplaces, CAST(COALESCE(SUM(w.headcount), 0) AS BIGINT) AS workers, \
         CAST(COALESCE(SUM(w.members), 0) AS BIGINT) AS members \
         FROM workplaces w WHERE w.archived = 0 AND {} \
         GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
        scope.condition("w.unit_id", 1)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .fetch_all(&mut *conn)
        .await
        .store()
}

/// What narrows the priority list.
#[derive(Debug, Clone, Default)]
pub struct PriorityFilter {
    /// Headcount from, to (both included).
    pub headcount: Option<(i64, Option<i64>)>,
    /// An ISIC section letter or code prefix.
    pub sector: Option<String>,
    pub ownership: Option<String>,
    /// Only workplaces followed by this user.
    pub organizer_id: Option<i64>,
}

/// A workplace on the priority list.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct PriorityRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub unit_code: String,
    pub sector_code: Option<String>,
    pub ownership: Option<String>,
    pub headcount: Option<i64>,
    pub operating_since: Option<String>,
    pub members: i64,
    pub covering_unit_code: Option<String>,
    pub organizer: Option<String>,
    pub follow_up_on: Option<String>,
    /// As stored, counted with the weights of the workplace's tree.
    pub score: f64,
    pub tree_id: i64,
}

/// The score of `PriorityWeights::score` in SQL for the row `workplaces`, with years
/// counted by calendar year up to `$1` and its tree's weights (the defaults where none
/// are set); NULL when the workplace has a union whose membership rate reaches the
/// tree's threshold.
fn score_sql() -> String {
    let d = PriorityWeights::default();
    let weight = |column: &str, default: i64| {
        format!("COALESCE((SELECT ts.{column} FROM tree_settings ts WHERE ts.tree_id = workplaces.tree_id), {default})")
    };
    let (wh, wy, wr, wt) = (
        weight("weight_headcount", d.headcount),
        weight("weight_years", d.years),
        weight("weight_rate", d.rate),
        weight("rate_threshold", d.rate_threshold),
    );
    let years = "($1 - CAST(substr(operating_since, 1, 4) AS BIGINT))";
    format!(
        "CASE WHEN covering_unit_id IS NOT NULL AND NOT (headcount > 0 AND members * 100 < headcount * {wt}) THEN NULL \
         ELSE ({wh} * (CASE WHEN COALESCE(headcount, 0) >= 1000 THEN 1.0 WHEN COALESCE(headcount, 0) <= 0 THEN 0.0 \
               ELSE headcount / 1000.0 END) \
             + {wy} * (CASE WHEN operating_since IS NULL THEN 0.0 WHEN {years} >= 20 THEN 1.0 \
               WHEN {years} <= 0 THEN 0.0 ELSE {years} / 20.0 END) \
             + {wr} * (1.0 - CASE WHEN COALESCE(headcount, 0) <= 0 THEN 0.0 WHEN members >= headcount THEN 1.0 \
               ELSE members * 1.0 / headcount END)) * 100.0 / ({wh} + {wy} + {wr}) END"
    )
}

/// Which workplaces' scores to count again.
#[derive(Debug, Clone, Copy)]
pub enum Rescore {
    One(i64),
    Tree(i64),
    /// Those last scored in an earlier year.
    Stale,
}

/// Counts the priority score of workplaces again, as of `year`.
pub async fn rescore(conn: &mut Conn, which: Rescore, year: i32) -> Result<(), StoreError> {
    let (condition, id) = match which {
        Rescore::One(id) => ("id = $2", id),
        Rescore::Tree(id) => ("tree_id = $2", id),
        Rescore::Stale => ("priority_year < $1 AND $2 = 0", 0),
    };
    let sql = format!(
        "UPDATE workplaces SET priority = CAST({} AS DOUBLE PRECISION), priority_year = $1 WHERE {condition}",
        score_sql()
    );
    sqlx::query(AssertSqlSafe(sql))
        .bind(i64::from(year))
        .bind(id)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

/// Whether some workplace was last scored in a year before `year`.
pub async fn any_stale(conn: &mut Conn, year: i32) -> Result<bool, StoreError> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM workplaces WHERE priority_year < $1 LIMIT 1")
            .bind(i64::from(year))
            .fetch_optional(&mut *conn)
            .await
            .store()?;
    Ok(found.is_some())
}

/// Workplaces of the subtree still to organize, best score first (ties by code), and
/// how many there are.
///
/// With `wide`, the subtree is checked row by row while the score index is walked in
/// order, which finds the first page of a province at once; a narrow subtree is
/// better read by its units and sorted.
pub async fn priority_list(
    conn: &mut Conn,
    scope: Scope,
    wide: bool,
    filter: &PriorityFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<PriorityRow>, i64), StoreError> {
    // `+` keeps the unit from being used as an index (SQLite and PostgreSQL alike).
    let unit = if wide { "+w.unit_id" } else { "w.unit_id" };
    let mut conditions = vec![
        "w.priority IS NOT NULL".to_string(),
        "w.archived = 0".to_string(),
        scope.condition(unit, 1),
    ];
    match filter.headcount {
        Some((from, Some(to))) => conditions.push(format!("w.headcount BETWEEN {from} AND {to}")),
        Some((from, None)) => conditions.push(format!("w.headcount >= {from}")),
        None => {}
    }
    conditions.push(
        if filter.sector.is_some() {
            "w.sector_code LIKE $2"
        } else {
            "$2 = ''"
        }
        .into(),
    );
    conditions.push(
        if filter.ownership.is_some() {
            "w.ownership = $3"
        } else {
            "$3 = ''"
        }
        .into(),
    );
    conditions.push(
        if filter.organizer_id.is_some() {
            "w.organizer_id = $4"
        } else {
            "$4 = 0"
        }
        .into(),
    );
    let wh = conditions.join(" AND ");
    let sector = filter
        .sector
        .as_ref()
        .map(|s| format!("{s}%"))
        .unwrap_or_default();
    let ownership = filter.ownership.clone().unwrap_or_default();
    let organizer = filter.organizer_id.unwrap_or(0);
    let sql = format!(
        "SELECT w.id, w.code, w.name, u.code AS unit_code, w.sector_code, w.ownership, w.headcount, \
         w.operating_since, w.members, cu.code AS covering_unit_code, o.username AS organizer, w.follow_up_on, \
         w.priority AS score, w.tree_id \
         FROM workplaces w JOIN units u ON u.id = w.unit_id LEFT JOIN units cu ON cu.id = w.covering_unit_id \
         LEFT JOIN users o ON o.id = w.organizer_id \
         WHERE {wh} ORDER BY w.priority DESC, w.code LIMIT $5 OFFSET $6"
    );
    let items: Vec<PriorityRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(&sector)
        .bind(&ownership)
        .bind(organizer)
        .bind(limit)
        .bind(offset)
        .fetch_all(&mut *conn)
        .await
        .store()?;
    let count_sql = format!("SELECT COUNT(*) FROM workplaces w WHERE {wh}");
    let total: i64 = sqlx::query_scalar(AssertSqlSafe(count_sql))
        .bind(scope.param())
        .bind(&sector)
        .bind(&ownership)
        .bind(organizer)
        .fetch_one(&mut *conn)
        .await
        .store()?;
    Ok((items, total))
}

pub async fn weights(conn: &mut Conn, tree_id: i64) -> Result<PriorityWeights, StoreError> {
    let row: Option<(i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT weight_headcount, weight_years, weight_rate, rate_threshold FROM tree_settings WHERE tree_id = $1",
    )
    .bind(tree_id)
    .fetch_optional(&mut *conn)
    .await
    .store()?;
    match row {
        None => Ok(PriorityWeights::default()),
        Some((headcount, years, rate, rate_threshold)) => Ok(PriorityWeights {
            headcount,
            years,
            rate,
            rate_threshold,
        }),
    }
}

pub async fn set_weights(
    conn: &mut Conn,
    tree_id: i64,
    w: &PriorityWeights,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO tree_settings (tree_id, weight_headcount, weight_years, weight_rate, rate_threshold) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tree_id) DO UPDATE SET weight_headcount = excluded.weight_headcount, \
         weight_years = excluded.weight_years, weight_rate = excluded.weight_rate, rate_threshold = excluded.rate_threshold",
    )
    .bind(tree_id)
    .bind(w.headcount)
    .bind(w.years)
    .bind(w.rate)
    .bind(w.rate_threshold)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

/// Assigns (or clears) the organizer following a workplace and the next follow-up.
pub async fn assign(
    conn: &mut Conn,
    workplace_id: i64,
    organizer_id: Option<i64>,
    follow_up_on: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE workplaces SET organizer_id = $2, follow_up_on = $3 WHERE id = $1")
        .bind(workplace_id)
        .bind(organizer_id)
        .bind(follow_up_on)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

/// Adds `delta` to the members counted at a workplace.
pub async fn count_member(
    conn: &mut Conn,
    workplace_id: i64,
    delta: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE workplaces SET members = members + $2 WHERE id = $1")
        .bind(workplace_id)
        .bind(delta)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

// --- One workplace ------------------------------------------------------------------

/// A worker known at a workplace: a person whose workplace it is, member or not.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct WorkerRow {
    #[sqlx(rename = "id")]
    pub person_id: i64,
    pub full_name: String,
    pub department: Option<String>,
    /// The current membership's status and unit, if any.
    pub status: Option<String>,
    pub unit_code: Option<String>,
    pub level: Option<i64>,
    pub assessed_on: Option<String>,
    pub committee_role: Option<String>,
}

pub async fn workers(conn: &mut Conn, workplace_id: i64) -> Result<Vec<WorkerRow>, StoreError> {
    sqlx::query_as(
        "SELECT p.id, p.full_name, d.name AS department, m.status, u.code AS unit_code, a.level, a.assessed_on, \
         c.role AS committee_role \
         FROM people p \
         LEFT JOIN workplace_departments d ON d.id = p.department_id \
         LEFT JOIN memberships m ON m.person_id = p.id AND m.is_current = 1 \
         LEFT JOIN units u ON u.id = m.unit_id \
         LEFT JOIN assessments a ON a.id = (SELECT MAX(x.id) FROM assessments x WHERE x.person_id = p.id AND x.workplace_id = $1) \
         LEFT JOIN committee_members c ON c.workplace_id = $1 AND c.person_id = p.id \
         WHERE p.workplace_id = $1 AND p.archived = 0 ORDER BY d.position, p.full_name, p.id",
    )
    .bind(workplace_id)
    .fetch_all(&mut *conn)
    .await
    .store()
}

/// One assessment of a worker's support.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct AssessmentRow {
    pub id: i64,
    pub person_id: i64,
    pub level: i64,
    pub note: Option<String>,
    pub assessed_on: String,
    pub assessor: String,
}

pub async fn add_assessment(
    conn: &mut Conn,
    workplace_id: i64,
    a: &AssessmentRow,
    user_id: Option<i64>,
    now: &str,
) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "INSERT INTO assessments (person_id, workplace_id, level, note, assessed_on, assessed_by, assessor, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(a.person_id)
    .bind(workplace_id)
    .bind(a.level)
    .bind(&a.note)
    .bind(&a.assessed_on)
    .bind(user_id)
    .bind(&a.assessor)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .store()
}

/// A worker's assessments at a workplace, latest first.
pub async fn assessments(
    conn: &mut Conn,
    workplace_id: i64,
    person_id: i64,
) -> Result<Vec<AssessmentRow>, StoreError> {
    sqlx::query_as(
        "SELECT id, person_id, level, note, assessed_on, assessor FROM assessments \
         WHERE workplace_id = $1 AND person_id = $2 ORDER BY id DESC",
    )
    .bind(workplace_id)
    .bind(person_id)
    .fetch_all(&mut *conn)
    .await
    .store()
}

pub async fn departments(
    conn: &mut Conn,
    workplace_id: i64,
) -> Result<Vec<(i64, String)>, StoreError> {
    sqlx::query_as(
        "SELECT id, name FROM workplace_departments WHERE workplace_id = $1 ORDER BY position, id",
    )
    .bind(workplace_id)
    .fetch_all(&mut *conn)
    .await
    .store()
}

/// Adds a department or shift (or finds it by name) and gives its id.
pub async fn department(conn: &mut Conn, workplace_id: i64, name: &str) -> Result<i64, StoreError> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM workplace_departments WHERE workplace_id = $1 AND name = $2",
    )
    .bind(workplace_id)
    .bind(name)
    .fetch_optional(&mut *conn)
    .await
    .store()?;
    if let Some(id) = found {
        return Ok(id);
    }
    sqlx::query_scalar(
        "INSERT INTO workplace_departments (workplace_id, name, position) \
         SELECT $1, $2, COUNT(*) FROM workplace_departments WHERE workplace_id = $1 RETURNING id",
    )
    .bind(workplace_id)
    .bind(name)
    .fetch_one(&mut *conn)
    .await
    .store()
}

/// Records a worker at a workplace, in a department, without making them a member.
pub async fn place_worker(
    conn: &mut Conn,
    person_id: i64,
    workplace_id: Option<i64>,
    department_id: Option<i64>,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE people SET workplace_id = $2, department_id = $3 WHERE id = $1")
        .bind(person_id)
        .bind(workplace_id)
        .bind(department_id)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

pub async fn set_committee_member(
    conn: &mut Conn,
    workplace_id: i64,
    person_id: i64,
    role: Option<&str>,
    since: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM committee_members WHERE workplace_id = $1 AND person_id = $2")
        .bind(workplace_id)
        .bind(person_id)
        .execute(&mut *conn)
        .await
        .store()?;
    if let Some(role) = role {
        sqlx::query("INSERT INTO committee_members (workplace_id, person_id, role, since) VALUES ($1, $2, $3, $4)")
            .bind(workplace_id)
            .bind(person_id)
            .bind(role)
            .bind(since)
            .execute(&mut *conn)
            .await
            .store()?;
    }
    Ok(())
}

pub async fn headcounts(
    conn: &mut Conn,
    workplace_id: i64,
) -> Result<Vec<(String, i64)>, StoreError> {
    sqlx::query_as("SELECT as_of, headcount FROM workplace_headcounts WHERE workplace_id = $1 ORDER BY as_of DESC")
        .bind(workplace_id)
        .fetch_all(&mut *conn)
        .await
        .store()
}

/// Records a headcount on a date; the latest dated one becomes the workplace's.
pub async fn add_headcount(
    conn: &mut Conn,
    workplace_id: i64,
    as_of: &str,
    headcount: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO workplace_headcounts (workplace_id, as_of, headcount) VALUES ($1, $2, $3) \
         ON CONFLICT (workplace_id, as_of) DO UPDATE SET headcount = excluded.headcount",
    )
    .bind(workplace_id)
    .bind(as_of)
    .bind(headcount)
    .execute(&mut *conn)
    .await
    .store()?;
    sqlx::query(
        "UPDATE workplaces SET headcount = (SELECT h.headcount FROM workplace_headcounts h \
         WHERE h.workplace_id = $1 ORDER BY h.as_of DESC LIMIT 1) WHERE id = $1",
    )
    .bind(workplace_id)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}
