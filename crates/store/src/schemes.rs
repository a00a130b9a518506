//! Schemes: a tree's schemes with their rules, where members stand with them, the
//! worklist of those eligible and not enrolled (the rule's own SQL, built by the
//! domain), counts per subtree, and members' milestones.

use crate::error::{ResultExt, StoreError};
use crate::{id_list, Conn};
use muster_domain::schemes::{schemes_named, Rule};
use muster_domain::Date;
use sqlx::{AssertSqlSafe, FromRow};

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct SchemeRow {
    pub id: i64,
    pub tree_id: i64,
    pub tree_code: String,
    /// The rule and the day the eligibility counts are of, and a count under way.
    pub counted_rule: Option<String>,
    pub counted_on: Option<String>,
    /// A little before the count began: who changed since is tested again.
    pub counted_at: Option<String>,
    pub counting_since: Option<String>,
    pub counting_done: i64,
    pub counting_total: i64,
    pub code: String,
    pub name: String,
    pub runner: Option<String>,
    pub rule: String,
    pub documents: Option<String>,
    pub link: Option<String>,
}

const SCHEME: &str = "SELECT s.id, s.tree_id, u.code AS tree_code, s.counted_rule, s.counted_on, \
     s.counted_at, s.counting_since, s.counting_done, s.counting_total, s.code, s.name, s.runner, s.rule, \
     s.documents, s.link FROM schemes s JOIN units u ON u.id = s.tree_id";

/// A scheme's fields as written, already checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemeFields {
    pub name: String,
    pub runner: Option<String>,
    pub rule: String,
    pub documents: Option<String>,
    pub link: Option<String>,
}

pub async fn schemes(conn: &mut Conn, tree_id: i64) -> Result<Vec<SchemeRow>, StoreError> {
    sqlx::query_as(AssertSqlSafe(format!(
        "{SCHEME} WHERE $1 = 0 OR s.tree_id = $1 ORDER BY u.code, s.code"
    )))
    .bind(tree_id)
    .fetch_all(&mut *conn)
    .await
    .store()
}

pub async fn by_code(
    conn: &mut Conn,
    tree_id: i64,
    code: &str,
) -> Result<Option<SchemeRow>, StoreError> {
    sqlx::query_as(AssertSqlSafe(format!(
        "{SCHEME} WHERE s.tree_id = $1 AND s.code = $2"
    )))
    .bind(tree_id)
    .bind(code)
    .fetch_optional(&mut *conn)
    .await
    .store()
}

pub async fn by_id(conn: &mut Conn, id: i64) -> Result<Option<SchemeRow>, StoreError> {
    sqlx::query_as(AssertSqlSafe(format!("{SCHEME} WHERE s.id = $1")))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .store()
}

pub async fn insert(
    conn: &mut Conn,
    tree_id: i64,
    code: &str,
    f: &SchemeFields,
    now: &str,
) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "INSERT INTO schemes (tree_id, code, name, runner, rule, documents, link, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(tree_id)
    .bind(code)
    .bind(&f.name)
    .bind(&f.runner)
    .bind(&f.rule)
    .bind(&f.documents)
    .bind(&f.link)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .store()
}

pub async fn update(
    conn: &mut Conn,
    id: i64,
    f: &SchemeFields,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE schemes SET name = $2, runner = $3, rule = $4, documents = $5, link = $6, updated_at = $7 WHERE id = $1",
    )
    .bind(id)
    .bind(&f.name)
    .bind(&f.runner)
    .bind(&f.rule)
    .bind(&f.documents)
    .bind(&f.link)
    .bind(now)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

/// A rule as SQL on `p` for a day, its parameters numbered after a query's `own`:
/// the tree first when the rule names schemes, then the rule's values.
struct RuleSql {
    sql: String,
    tree: Option<i64>,
    values: Vec<String>,
}

fn rule_sql(rule: &Rule, on: Date, own: usize, tree: i64) -> RuleSql {
    let names = !schemes_named(rule).is_empty();
    let (sql, values) = rule.to_sql(on, own + 1 + usize::from(names), own + 1);
    RuleSql {
        sql,
        tree: names.then_some(tree),
        values,
    }
}

/// The active members a rule admits, with `joins` added to the members and people.
fn eligible(joins: &str, rule: &RuleSql) -> String {
    format!(
        "FROM memberships m JOIN people p ON p.id = m.person_id {joins} \
         WHERE m.is_current = 1 AND m.status = 'active' AND p.archived = 0 AND ({})",
        rule.sql
    )
}

/// Binds a rule's parameters after a query's own.
macro_rules! bind_rule {
    ($q:expr, $r:expr) => {{
        let mut q = $q;
        if let Some(t) = $r.tree {
            q = q.bind(t);
        }
        for v in &$r.values {
            q = q.bind(v);
        }
        q
    }};
}

/// One line of a worklist.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct WorklistRow {
    pub person_id: i64,
    pub full_name: String,
    pub member_number: Option<String>,
    pub phone: Option<String>,
    pub unit_code: String,
    pub workplace_code: Option<String>,
    pub region: Option<String>,
    pub status: Option<String>,
}

/// Members of `unit`'s subtree the rule admits who are not enrolled, applied or
/// turned down, by unit, then workplace or area, then name: where to go next.
///
/// The subtree's units are walked in that order a slice at a time, each slice holding
/// about `slice` members by the unit counts (the slices grow as they come up short),
/// until the page is full: a page of a district's list reads a few thousand members,
/// not all of them, and a province's list no more.
pub async fn worklist(
    conn: &mut Conn,
    unit: i64,
    scheme: i64,
    limit: i64,
    tree: i64,
    (rule, on): (&Rule, Date),
) -> Result<Vec<WorklistRow>, StoreError> {
    let units = subtree_units(
        conn,
        unit,
        "LEFT JOIN unit_status_counts c ON c.unit_id = u.id AND c.status = 'active'",
        "c.members",
    )
    .await?;
    let r = rule_sql(rule, on, 2, tree);
    let mut out: Vec<WorklistRow> = Vec::new();
    for ids in Slices::new(&units, (limit * 4).max(1_000)) {
        if out.len() as i64 >= limit {
            break;
        }
        let sql = format!(
            "{WORKLIST_COLUMNS} {} AND m.unit_id IN ({}) {WORKLIST_REST}",
            eligible(WORKLIST_JOINS, &r),
            id_list(&ids)
        );
        let q = sqlx::query_as(AssertSqlSafe(sql))
            .bind(scheme)
            .bind(limit - out.len() as i64);
        out.extend(bind_rule!(q, r).fetch_all(&mut *conn).await.store()?);
    }
    Ok(out)
}

/// The columns of a worklist line, over `m`, `p`, `u`, `w` and `e` (`$1` the scheme).
const WORKLIST_COLUMNS: &str = "SELECT p.id AS person_id, p.full_name, m.member_number, p.phone, \
     u.code AS unit_code, w.code AS workplace_code, p.region, e.status";
const WORKLIST_JOINS: &str = "JOIN units u ON u.id = m.unit_id \
     LEFT JOIN workplaces w ON w.id = p.workplace_id \
     LEFT JOIN enrollments e ON e.person_id = p.id AND e.scheme_id = $1";
/// Not enrolled, applied or turned down; in visiting order; `$2` lines at most.
const WORKLIST_REST: &str = "AND NOT EXISTS (SELECT 1 FROM enrollments x WHERE x.person_id = p.id \
     AND x.scheme_id = $1 AND x.status IN ('applied', 'enrolled', 'rejected')) \
     ORDER BY u.code, w.code, p.region, p.sort_key, p.id LIMIT $2";

/// The units of `unit`'s subtree in a worklist's order (by code), each with a weight
/// read through `join` (`c`): how many it is likely to hold.
async fn subtree_units(
    conn: &mut Conn,
    unit: i64,
    join: &str,
    weight: &str,
) -> Result<Vec<(i64, i64)>, StoreError> {
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT u.id, COALESCE({weight}, 0) FROM unit_closure cl \
         JOIN units u ON u.id = cl.descendant_id {join} \
         WHERE cl.ancestor_id = $1 ORDER BY u.code"
    )))
    .bind(unit)
    .fetch_all(&mut *conn)
    .await
    .store()
}

/// Units in order, a run at a time: each run weighs about `size` (a unit at least),
/// and each next run twice as much, as a page still short needs more.
struct Slices<'a> {
    rest: &'a [(i64, i64)],
    size: i64,
}

impl<'a> Slices<'a> {
    fn new(units: &'a [(i64, i64)], size: i64) -> Self {
        Slices { rest: units, size }
    }
}

impl Iterator for Slices<'_> {
    type Item = Vec<i64>;

    fn next(&mut self) -> Option<Vec<i64>> {
        if self.rest.is_empty() {
            return None;
        }
        let mut weight = 0;
        let take = self
            .rest
            .iter()
            .take_while(|(_, n)| {
                let more = weight < self.size;
                weight += n;
                more
            })
            .count()
            .max(1);
        let (run, rest) = self.rest.split_at(take);
        self.rest = rest;
        self.size *= 2;
        Some(run.iter().map(|(id, _)| *id).collect())
    }
}

/// The worklist as `worklist` gives it, read from who the rule admitted at the last
/// count (kept per person) and whoever changed since `since`, all tested against the
/// rule again: someone who no longer qualifies drops off, someone who came to qualify
/// since the count is there. Runs of units are sized by the counts kept.
pub async fn worklist_kept(
    conn: &mut Conn,
    unit: i64,
    scheme: i64,
    limit: i64,
    tree: i64,
    (rule, on): (&Rule, Date),
    since: &str,
) -> Result<Vec<WorklistRow>, StoreError> {
    let units = subtree_units(
        conn,
        unit,
        &format!("LEFT JOIN scheme_counts c ON c.scheme_id = {scheme} AND c.unit_id = u.id"),
        "c.eligible",
    )
    .await?;
    let r = rule_sql(rule, on, 3, tree);
    let mut out: Vec<WorklistRow> = Vec::new();
    for ids in Slices::new(&units, (limit * 2).max(200)) {
        if out.len() as i64 >= limit {
            break;
        }
        let ids = id_list(&ids);
        let sql = format!(
            "{WORKLIST_COLUMNS} FROM (\
               SELECT person_id FROM scheme_eligible WHERE scheme_id = $1 AND unit_id IN ({ids}) \
               UNION SELECT id FROM people WHERE updated_at >= $3 \
               UNION SELECT person_id FROM memberships WHERE updated_at >= $3 \
               UNION SELECT person_id FROM enrollments WHERE updated_at >= $3) k \
             JOIN memberships m ON m.person_id = k.person_id JOIN people p ON p.id = m.person_id \
             {WORKLIST_JOINS} \
             WHERE m.is_current = 1 AND m.status = 'active' AND p.archived = 0 AND ({}) \
             AND m.unit_id IN ({ids}) {WORKLIST_REST}",
            r.sql
        );
        let q = sqlx::query_as(AssertSqlSafe(sql))
            .bind(scheme)
            .bind(limit - out.len() as i64)
            .bind(since);
        out.extend(bind_rule!(q, r).fetch_all(&mut *conn).await.store()?);
    }
    Ok(out)
}

/// How many active members of each of `roots`' subtrees the rule admits.
pub async fn eligible_counts(
    conn: &mut Conn,
    roots: &[i64],
    tree: i64,
    (rule, on): (&Rule, Date),
) -> Result<Vec<(i64, i64)>, StoreError> {
    if roots.is_empty() {
        return Ok(Vec::new());
    }
    let r = rule_sql(rule, on, 0, tree);
    let sql = format!(
        "SELECT cl.ancestor_id, COUNT(*) {} GROUP BY cl.ancestor_id",
        eligible(
            &format!(
                "JOIN unit_closure cl ON cl.descendant_id = m.unit_id AND cl.ancestor_id IN ({})",
                id_list(roots)
            ),
            &r
        )
    );
    bind_rule!(sqlx::query_as(AssertSqlSafe(sql)), r)
        .fetch_all(&mut *conn)
        .await
        .store()
}

/// Whether the rule admits one person (an active member).
pub async fn admits(
    conn: &mut Conn,
    person: i64,
    tree: i64,
    (rule, on): (&Rule, Date),
) -> Result<bool, StoreError> {
    let r = rule_sql(rule, on, 1, tree);
    let sql = format!("SELECT COUNT(*) {} AND p.id = $1", eligible("", &r));
    let n: i64 = bind_rule!(sqlx::query_scalar(AssertSqlSafe(sql)).bind(person), r)
        .fetch_one(&mut *conn)
        .await
        .store()?;
    Ok(n > 0)
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct EnrollmentRow {
    pub id: i64,
    pub scheme_id: i64,
    pub scheme_code: String,
    pub person_id: i64,
    pub unit_id: i64,
    pub status: String,
    pub scheme_number: Option<String>,
    pub helped_by: Option<String>,
    pub helped_on: Option<String>,
    pub applied_on: Option<String>,
    pub enrolled_on: Option<String>,
    /// 1 when the rule did not admit them.
    pub outside_rule: i64,
    pub reason: Option<String>,
    pub updated_on: String,
}

const ENROLLMENT: &str = "SELECT e.id, e.scheme_id, s.code AS scheme_code, e.person_id, e.unit_id, e.status, \
     e.scheme_number, e.helped_by, e.helped_on, e.applied_on, e.enrolled_on, e.outside_rule, e.reason, e.updated_on \
     FROM enrollments e JOIN schemes s ON s.id = e.scheme_id";

pub async fn enrollment(
    conn: &mut Conn,
    person: i64,
    scheme: i64,
) -> Result<Option<EnrollmentRow>, StoreError> {
    sqlx::query_as(AssertSqlSafe(format!(
        "{ENROLLMENT} WHERE e.person_id = $1 AND e.scheme_id = $2"
    )))
    .bind(person)
    .bind(scheme)
    .fetch_optional(&mut *conn)
    .await
    .store()
}

pub async fn enrollments_of(
    conn: &mut Conn,
    person: i64,
) -> Result<Vec<EnrollmentRow>, StoreError> {
    sqlx::query_as(AssertSqlSafe(format!(
        "{ENROLLMENT} WHERE e.person_id = $1 ORDER BY s.code"
    )))
    .bind(person)
    .fetch_all(&mut *conn)
    .await
    .store()
}

/// Writes where a member stands with a scheme (one row per member and scheme).
pub async fn save_enrollment(
    conn: &mut Conn,
    e: &EnrollmentRow,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO enrollments (person_id, scheme_id, unit_id, status, scheme_number, helped_by, helped_on, \
         applied_on, enrolled_on, outside_rule, reason, updated_on, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) \
         ON CONFLICT (person_id, scheme_id) DO UPDATE SET unit_id = excluded.unit_id, status = excluded.status, \
         scheme_number = excluded.scheme_number, helped_by = excluded.helped_by, helped_on = excluded.helped_on, \
         applied_on = excluded.applied_on, enrolled_on = excluded.enrolled_on, outside_rule = excluded.outside_rule, \
         reason = excluded.reason, updated_on = excluded.updated_on, updated_at = excluded.updated_at",
    )
    .bind(e.person_id)
    .bind(e.scheme_id)
    .bind(e.unit_id)
    .bind(&e.status)
    .bind(&e.scheme_number)
    .bind(&e.helped_by)
    .bind(&e.helped_on)
    .bind(&e.applied_on)
    .bind(&e.enrolled_on)
    .bind(e.outside_rule)
    .bind(&e.reason)
    .bind(&e.updated_on)
    .bind(now)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct MilestoneRow {
    pub id: i64,
    pub person_id: i64,
    pub full_name: String,
    pub unit_code: String,
    pub kind: String,
    pub on_day: String,
    pub note: Option<String>,
    pub by_name: String,
}

#[allow(clippy::too_many_arguments)]
pub async fn add_milestone(
    conn: &mut Conn,
    person: i64,
    unit: i64,
    kind: &str,
    on_day: &str,
    note: Option<&str>,
    by: &str,
    now: &str,
) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "INSERT INTO milestones (person_id, unit_id, kind, on_day, note, by_name, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(person)
    .bind(unit)
    .bind(kind)
    .bind(on_day)
    .bind(note)
    .bind(by)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .store()
}

/// Milestones of one person, or of a unit's subtree (of one kind when asked), latest
/// first.
pub async fn milestones(
    conn: &mut Conn,
    person: Option<i64>,
    unit: i64,
    kind: Option<&str>,
    limit: i64,
) -> Result<Vec<MilestoneRow>, StoreError> {
    let sql = "SELECT x.id, x.person_id, p.full_name, u.code AS unit_code, x.kind, x.on_day, x.note, x.by_name \
         FROM milestones x JOIN people p ON p.id = x.person_id JOIN units u ON u.id = x.unit_id \
         WHERE x.unit_id IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id = $1) \
         AND ($2 = 0 OR x.person_id = $2) AND ($3 = '' OR x.kind = $3) \
         ORDER BY x.on_day DESC, x.id DESC LIMIT $4";
    sqlx::query_as(sql)
        .bind(unit)
        .bind(person.unwrap_or(0))
        .bind(kind.unwrap_or(""))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await
        .store()
}

/// Where members stand with schemes, for the tallies: per unit, scheme and status, on
/// the state day (a roll-up reads one row per unit and figure).
pub(crate) fn tally_parts(within: &dyn Fn(&str, &str) -> String) -> Vec<String> {
    let state_day = format!("'{}'", crate::cases::STATE_DAY);
    vec![format!(
        "SELECT e.unit_id, 'sch:' || CAST(e.scheme_id AS TEXT) || ':' || e.status, {state_day}, COUNT(*) \
         FROM enrollments e WHERE {} GROUP BY e.unit_id, e.scheme_id, e.status",
        within("e.unit_id", &state_day)
    )]
}

/// Claims the count of a scheme: false when another count started after
/// `stale_before` is under way.
pub async fn claim_count(
    conn: &mut Conn,
    scheme: i64,
    now: &str,
    stale_before: &str,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE schemes SET counting_since = $2, counting_done = 0, counting_total = 0 \
         WHERE id = $1 AND (counting_since IS NULL OR counting_since < $3)",
    )
    .bind(scheme)
    .bind(now)
    .bind(stale_before)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(done.rows_affected() == 1)
}

pub async fn count_progress(
    conn: &mut Conn,
    scheme: i64,
    done: i64,
    total: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE schemes SET counting_done = $2, counting_total = $3 WHERE id = $1")
        .bind(scheme)
        .bind(done)
        .bind(total)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

/// Keeps who a rule admits in `branch`'s subtree (in `branch` itself only when
/// `own_only`), person by person, in place of what was kept there; gives how many per
/// unit.
pub async fn keep_branch(
    conn: &mut Conn,
    scheme: i64,
    branch: i64,
    own_only: bool,
    tree: i64,
    (rule, on): (&Rule, Date),
) -> Result<Vec<(i64, i64)>, StoreError> {
    let units = if own_only {
        "unit_id = $2"
    } else {
        "unit_id IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id = $2)"
    };
    sqlx::query(AssertSqlSafe(format!(
        "DELETE FROM scheme_eligible WHERE scheme_id = $1 AND {units}"
    )))
    .bind(scheme)
    .bind(branch)
    .execute(&mut *conn)
    .await
    .store()?;
    let r = rule_sql(rule, on, 2, tree);
    let sql = format!(
        "INSERT INTO scheme_eligible (scheme_id, unit_id, person_id) \
         SELECT $1, m.unit_id, m.person_id {} AND m.{units}",
        eligible("", &r)
    );
    bind_rule!(sqlx::query(AssertSqlSafe(sql)).bind(scheme).bind(branch), r)
        .execute(&mut *conn)
        .await
        .store()?;
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT unit_id, COUNT(*) FROM scheme_eligible WHERE scheme_id = $1 AND {units} \
         GROUP BY unit_id"
    )))
    .bind(scheme)
    .bind(branch)
    .fetch_all(&mut *conn)
    .await
    .store()
}

/// Replaces a scheme's counts with `counts` (per unit), as of `rule` on `day`, the
/// people behind them kept as of `at`.
pub async fn save_counts(
    conn: &mut Conn,
    scheme: i64,
    counts: &[(i64, i64)],
    rule: &str,
    (day, at): (&str, &str),
) -> Result<(), StoreError> {
    for table in ["scheme_counts", "scheme_totals"] {
        sqlx::query(AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE scheme_id = $1"
        )))
        .bind(scheme)
        .execute(&mut *conn)
        .await
        .store()?;
    }
    for chunk in counts.chunks(500) {
        let values: Vec<String> = chunk
            .iter()
            .map(|(u, n)| format!("({scheme}, {u}, {n})"))
            .collect();
        sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO scheme_counts (scheme_id, unit_id, eligible) VALUES {}",
            values.join(", ")
        )))
        .execute(&mut *conn)
        .await
        .store()?;
    }
    sqlx::query(
        "INSERT INTO scheme_totals (scheme_id, unit_id, eligible) \
         SELECT $1, cl.ancestor_id, CAST(SUM(c.eligible) AS BIGINT) FROM scheme_counts c \
         JOIN unit_closure cl ON cl.descendant_id = c.unit_id WHERE c.scheme_id = $1 GROUP BY cl.ancestor_id",
    )
    .bind(scheme)
    .execute(&mut *conn)
    .await
    .store()?;
    sqlx::query(
        "UPDATE schemes SET counted_rule = $2, counted_on = $3, counted_at = $4, \
         counting_since = NULL WHERE id = $1",
    )
    .bind(scheme)
    .bind(rule)
    .bind(day)
    .bind(at)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

/// The counted eligibility of each of `roots`' subtrees.
pub async fn counted(
    conn: &mut Conn,
    scheme: i64,
    roots: &[i64],
) -> Result<Vec<(i64, i64)>, StoreError> {
    if roots.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT unit_id, eligible FROM scheme_totals WHERE scheme_id = $1 AND unit_id IN ({})",
        id_list(roots)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scheme)
        .fetch_all(&mut *conn)
        .await
        .store()
}
