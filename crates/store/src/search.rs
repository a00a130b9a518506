//! Member search: key maintenance and the two query plans.
//!
//! A search is a list of terms (see `muster_domain::search`). Two plans answer it:
//! - *by key*: walk the index of the rarest term's keys in key order and keep the people
//!   that also match the other terms and lie in scope. It stops after one page, so a
//!   common name costs about as much as a rare one.
//! - *by unit*: when the scope (or the unit filter) holds few members, walk those
//!   members and test each one's keys.
//!
//! The page cursor records the plan, so paging never mixes two orders.

use crate::error::{ResultExt, StoreError};
use crate::members::{
    bind_values, filter_conditions, FilterValue, MemberFilter, MemberListRow, LIST_COLUMNS,
};
use crate::{Conn, Scope};
use muster_domain::search::Term;
use sqlx::{AssertSqlSafe, FromRow};

/// Replaces the search keys of one person, filed under the branch of `unit_id`.
pub async fn set_person_keys(
    conn: &mut Conn,
    person_id: i64,
    unit_id: i64,
    keys: &[String],
) -> Result<(), StoreError> {
    let branch = branch_of(conn, unit_id).await?;
    sqlx::query("DELETE FROM person_keys WHERE person_id = $1")
        .bind(person_id)
        .execute(&mut *conn)
        .await
        .store()?;
    for key in keys {
        sqlx::query("INSERT INTO person_keys (key, person_id, branch_id) VALUES ($1, $2, $3)")
            .bind(key)
            .bind(person_id)
            .bind(branch)
            .execute(&mut *conn)
            .await
            .store()?;
    }
    Ok(())
}

/// The branch of a unit: its ancestor just below the top of its tree (itself when it
/// is there), or the top itself.
pub async fn branch_of(conn: &mut Conn, unit_id: i64) -> Result<i64, StoreError> {
    let branch: Option<i64> = sqlx::query_scalar(
        "SELECT a.id FROM unit_closure c JOIN units a ON a.id = c.ancestor_id \
         WHERE c.descendant_id = $1 AND a.parent_id = a.tree_id",
    )
    .bind(unit_id)
    .fetch_optional(&mut *conn)
    .await
    .store()?;
    Ok(branch.unwrap_or(unit_id))
}

/// Files again the keys of everyone in the subtree of `unit_id` after it moved.
pub async fn refile_subtree(conn: &mut Conn, unit_id: i64) -> Result<(), StoreError> {
    let branch = branch_of(conn, unit_id).await?;
    sqlx::query(
        "UPDATE person_keys SET branch_id = $2 WHERE person_id IN (SELECT m.person_id FROM memberships m \
         JOIN unit_closure c ON c.descendant_id = m.unit_id WHERE c.ancestor_id = $1 AND m.is_current = 1)",
    )
    .bind(unit_id)
    .bind(branch)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

/// Text as hex, for cursors that must survive a URL.
pub fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

pub fn unhex(s: &str) -> Option<String> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    let bytes = (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect::<Option<Vec<u8>>>()?;
    String::from_utf8(bytes).ok()
}

/// Whether the subtree under `unit_id` holds few enough members to gather them all.
pub async fn is_small_subtree(conn: &mut Conn, unit_id: i64) -> Result<bool, StoreError> {
    Ok(scope_size(conn, unit_id, SMALL_SCOPE).await? <= SMALL_SCOPE)
}

/// Above this many members in the scope, searching starts from the keys.
const SMALL_SCOPE: i64 = 1000;
/// Counting a term's keys stops here: past it, only "common" matters.
const COUNT_CAP: i64 = 20_000;
/// A term matching at most this many keys is rare enough to gather whole.
const RARE: i64 = 2_000;

/// Where the previous page ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchCursor {
    Start,
    ByKey {
        term: usize,
        key: String,
        person_id: i64,
    },
    ByUnit {
        membership_id: i64,
    },
    BySet {
        person_id: i64,
    },
}

impl SearchCursor {
    pub fn encode(&self) -> String {
        match self {
            SearchCursor::Start => String::new(),
            SearchCursor::ByKey {
                term,
                key,
                person_id,
            } => format!("k{term}.{}.{person_id}", hex(key)),
            SearchCursor::ByUnit { membership_id } => format!("u{membership_id}"),
            SearchCursor::BySet { person_id } => format!("p{person_id}"),
        }
    }

    pub fn decode(s: &str) -> Option<Self> {
        if s.is_empty() {
            return Some(SearchCursor::Start);
        }
        if let Some(id) = s.strip_prefix('u') {
            return id
                .parse()
                .ok()
                .map(|membership_id| SearchCursor::ByUnit { membership_id });
        }
        if let Some(id) = s.strip_prefix('p') {
            return id
                .parse()
                .ok()
                .map(|person_id| SearchCursor::BySet { person_id });
        }
        let rest = s.strip_prefix('k')?;
        let mut parts = rest.split('.');
        let term = parts.next()?.parse().ok()?;
        let hex = parts.next()?;
        let person_id = parts.next()?.parse().ok()?;
        if !hex.len().is_multiple_of(2) || parts.next().is_some() {
            return None;
        }
        let key = unhex(hex)?;
        Some(SearchCursor::ByKey {
            term,
            key,
            person_id,
        })
    }
}

async fn term_size(conn: &mut Conn, term: &Term, branch: Option<i64>) -> Result<i64, StoreError> {
    let mut total = 0;
    for alternative in term {
        let (low, high) = alternative.range();
        let sql = "SELECT COUNT(*) FROM (SELECT 1 FROM person_keys WHERE key >= $1 AND key < $2 \
                   AND ($4 = 0 OR branch_id = $4) LIMIT $3) t";
        total += sqlx::query_scalar::<_, i64>(sql)
            .bind(low.as_str())
            .bind(high.as_str())
            .bind(COUNT_CAP)
            .bind(branch.unwrap_or(0))
            .fetch_one(&mut *conn)
            .await
            .store()?;
    }
    Ok(total)
}

async fn scope_size(conn: &mut Conn, unit_id: i64, small_scope: i64) -> Result<i64, StoreError> {
    let sql = "SELECT COUNT(*) FROM (SELECT 1 FROM unit_closure c JOIN memberships m \
               ON m.unit_id = c.descendant_id AND m.is_current = 1 WHERE c.ancestor_id = $1 LIMIT $2) t";
    let mut q = sqlx::query_scalar(sql);
    q = q.bind(unit_id);
    q.bind(small_scope + 1).fetch_one(&mut *conn).await.store()
}

/// `EXISTS` conditions for terms, parameters from `$first`; returns SQL and values.
fn term_conditions(terms: &[(usize, &Term)], person: &str, first: usize) -> (String, Vec<String>) {
    let mut sql = String::new();
    let mut values = Vec::new();
    for (_, term) in terms {
        let alternatives = term
            .iter()
            .map(|m| {
                let (low, high) = m.range();
                values.push(low);
                values.push(high);
                let n = first + values.len();
                format!("(t.key >= ${} AND t.key < ${})", n - 2, n - 1)
            })
            .collect::<Vec<_>>()
            .join(" OR ");
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM person_keys t WHERE t.person_id = {person} AND ({alternatives}))"
        ));
    }
    (sql, values)
}

/// One page of members matching all `terms`, in the scope and the filter.
pub async fn search(
    conn: &mut Conn,
    scope: Scope,
    filter: &MemberFilter,
    terms: &[Term],
    cursor: &SearchCursor,
    limit: i64,
) -> Result<(Vec<MemberListRow>, Option<SearchCursor>), StoreError> {
    search_planned(conn, scope, filter, terms, cursor, limit, Plan::Auto).await
}

/// Which plan answers a search: chosen from the data, or forced so that tests can
/// drive every plan over the same data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    Auto,
    ByKey,
    BySet,
    ByUnit,
}

/// `search` with the plan chosen or forced.
pub async fn search_planned(
    conn: &mut Conn,
    scope: Scope,
    filter: &MemberFilter,
    terms: &[Term],
    cursor: &SearchCursor,
    limit: i64,
    plan: Plan,
) -> Result<(Vec<MemberListRow>, Option<SearchCursor>), StoreError> {
    let narrow_unit = filter.unit_id.or(match scope {
        Scope::Subtree(id) => Some(id),
        Scope::All => None,
    });
    let by_unit = match cursor {
        SearchCursor::ByUnit { .. } => true,
        SearchCursor::ByKey { .. } | SearchCursor::BySet { .. } => false,
        SearchCursor::Start => match narrow_unit {
            Some(unit) => match plan {
                Plan::Auto => scope_size(conn, unit, SMALL_SCOPE).await? <= SMALL_SCOPE,
                other => other == Plan::ByUnit,
            },
            None => false,
        },
    };
    if by_unit {
        let after = match cursor {
            SearchCursor::ByUnit { membership_id } => *membership_id,
            _ => 0,
        };
        return search_by_unit(conn, scope, filter, terms, after, limit, narrow_unit).await;
    }
    // Inside one branch, walk that branch's keys only.
    let branch = match narrow_unit {
        Some(unit) => Some(branch_of(conn, unit).await?),
        None => None,
    };
    let branch = match branch {
        Some(b) if is_top_unit(conn, b).await? => None,
        other => other,
    };
    if let SearchCursor::ByKey { term, .. } = cursor {
        let plan = KeyPlan {
            driver: (*term).min(terms.len() - 1),
            branch,
        };
        return search_by_key(conn, scope, filter, terms, plan, cursor, limit).await;
    }
    let mut sizes = Vec::with_capacity(terms.len());
    for term in terms {
        sizes.push(term_size(conn, term, branch).await?);
    }
    let (smallest, driver) = sizes.iter().zip(0..).min().map_or((0, 0), |(s, i)| (*s, i));
    // Intersecting sets outright pays when the work is bounded: one term is rare, or
    // two terms are of modest size. Otherwise, walking the smallest term's keys in
    // order finds a page sooner, since common words match densely.
    let modest = sizes.iter().filter(|s| **s < COUNT_CAP).count();
    let by_set = match plan {
        Plan::Auto => smallest <= RARE || modest >= 2,
        other => other == Plan::BySet,
    };
    if by_set || matches!(cursor, SearchCursor::BySet { .. }) {
        let after = match cursor {
            SearchCursor::BySet { person_id } => *person_id,
            _ => 0,
        };
        let small: Vec<bool> = sizes.iter().map(|s| *s < COUNT_CAP).collect();
        return search_by_set(conn, scope, filter, terms, &small, branch, after, limit).await;
    }
    search_by_key(
        conn,
        scope,
        filter,
        terms,
        KeyPlan { driver, branch },
        cursor,
        limit,
    )
    .await
}

/// SQL text with its arguments, numbered as they are added.
#[derive(Default)]
struct Sql {
    text: String,
    args: Vec<FilterValue>,
}

impl Sql {
    fn arg(&mut self, v: FilterValue) -> String {
        self.args.push(v);
        format!("${}", self.args.len())
    }

    fn ranges(&mut self, term: &Term, column: &str) -> String {
        term.iter()
            .map(|m| {
                let (low, high) = m.range();
                let low = self.arg(FilterValue::Text(low));
                let high = self.arg(FilterValue::Text(high));
                format!("({column} >= {low} AND {column} < {high})")
            })
            .collect::<Vec<_>>()
            .join(" OR ")
    }
}

/// The set plan: the people matching every small term, by intersecting their key
/// ranges, then the scope, the filters and the common terms; pages by person id.
#[allow(clippy::too_many_arguments)] // the pieces of one query; a struct would only rename them
async fn search_by_set(
    conn: &mut Conn,
    scope: Scope,
    filter: &MemberFilter,
    terms: &[Term],
    small: &[bool],
    branch: Option<i64>,
    after: i64,
    limit: i64,
) -> Result<(Vec<MemberListRow>, Option<SearchCursor>), StoreError> {
    let mut sql = Sql::default();
    let after = sql.arg(FilterValue::Int(after));
    let want = sql.arg(FilterValue::Int(limit + 1));
    let in_branch = match branch {
        Some(b) => format!("branch_id = {} AND ", sql.arg(FilterValue::Int(b))),
        None => String::new(),
    };
    let mut sets = Vec::new();
    let mut common = String::new();
    for (term, is_small) in terms.iter().zip(small) {
        let ranges = sql.ranges(term, if *is_small { "key" } else { "t.key" });
        if *is_small {
            // DISTINCT: a person with two keys in a term's ranges (حسن and حسن‌زاده for
            // `حسن`) is one person; INTERSECT would make them one, a lone set does not.
            sets.push(format!(
                "SELECT DISTINCT person_id FROM person_keys WHERE {in_branch}({ranges})"
            ));
        } else {
            common.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM person_keys t WHERE t.person_id = x.person_id AND ({ranges}))"
            ));
        }
    }
    let (conditions, values) = filter_conditions(scope, filter, sql.args.len() + 1);
    sql.args.extend(values);
    sql.text = format!(
        "SELECT {LIST_COLUMNS} FROM ({}) x CROSS JOIN memberships m CROSS JOIN people p CROSS JOIN units u \
         WHERE m.person_id = x.person_id AND p.id = x.person_id AND u.id = m.unit_id \
         AND x.person_id > {after} AND {conditions}{common} ORDER BY x.person_id LIMIT {want}",
        sets.join(" INTERSECT ")
    );
    let rows = bind_values(sqlx::query(AssertSqlSafe(sql.text)), &sql.args)
        .fetch_all(&mut *conn)
        .await
        .store()?;
    page(&rows, limit, |r| SearchCursor::BySet {
        person_id: r.person_id,
    })
}

/// One page of rows fetched with one extra: the extra says a next page exists, whose
/// cursor is made from the last row kept.
fn page(
    rows: &[sqlx::any::AnyRow],
    limit: i64,
    cursor: impl Fn(&MemberListRow) -> SearchCursor,
) -> Result<(Vec<MemberListRow>, Option<SearchCursor>), StoreError> {
    let mut items = rows
        .iter()
        .map(MemberListRow::from_row)
        .collect::<Result<Vec<_>, _>>()
        .store()?;
    let next = (items.len() as i64 > limit).then(|| {
        items.truncate(limit as usize);
        items.last().map(&cursor)
    });
    Ok((items, next.flatten()))
}

/// Whether the unit is the top of its tree.
async fn is_top_unit(conn: &mut Conn, unit_id: i64) -> Result<bool, StoreError> {
    let parent: Option<Option<i64>> =
        sqlx::query_scalar("SELECT parent_id FROM units WHERE id = $1")
            .bind(unit_id)
            .fetch_optional(&mut *conn)
            .await
            .store()?;
    Ok(matches!(parent, Some(None)))
}

async fn search_by_unit(
    conn: &mut Conn,
    scope: Scope,
    filter: &MemberFilter,
    terms: &[Term],
    after: i64,
    limit: i64,
    narrow: Option<i64>,
) -> Result<(Vec<MemberListRow>, Option<SearchCursor>), StoreError> {
    let (conditions, values) = filter_conditions(scope, filter, 3);
    let all: Vec<(usize, &Term)> = terms.iter().enumerate().collect();
    let (exists, keys) = term_conditions(&all, "m.person_id", 3 + values.len());
    // Walk the small subtree's units, then their members: CROSS JOIN keeps SQLite from
    // scanning every membership in id order instead.
    let from = match narrow {
        Some(_) => format!(
            "unit_closure c CROSS JOIN memberships m CROSS JOIN people p CROSS JOIN units u \
             WHERE c.ancestor_id = ${} AND m.unit_id = c.descendant_id AND",
            3 + values.len() + keys.len()
        ),
        None => "memberships m CROSS JOIN people p CROSS JOIN units u WHERE".to_string(),
    };
    let sql = format!(
        "SELECT {LIST_COLUMNS} FROM {from} p.id = m.person_id AND u.id = m.unit_id \
         AND m.id > $1 AND {conditions}{exists} ORDER BY m.id LIMIT $2"
    );
    let q = sqlx::query(AssertSqlSafe(sql)).bind(after).bind(limit + 1);
    let mut q = bind_values(q, &values);
    for k in &keys {
        q = q.bind(k.as_str());
    }
    if let Some(unit) = narrow {
        q = q.bind(unit);
    }
    let rows = q.fetch_all(&mut *conn).await.store()?;
    page(&rows, limit, |r| SearchCursor::ByUnit {
        membership_id: r.membership_id,
    })
}

/// How the key plan walks: which term drives, inside which branch (if any).
#[derive(Debug, Clone, Copy)]
struct KeyPlan {
    driver: usize,
    branch: Option<i64>,
}

/// A line of the members list found by one of its keys, with the key.
#[derive(FromRow)]
struct ListRowByKey {
    #[sqlx(flatten)]
    row: MemberListRow,
    matched_key: String,
}

async fn search_by_key(
    conn: &mut Conn,
    scope: Scope,
    filter: &MemberFilter,
    terms: &[Term],
    plan: KeyPlan,
    cursor: &SearchCursor,
    limit: i64,
) -> Result<(Vec<MemberListRow>, Option<SearchCursor>), StoreError> {
    let KeyPlan { driver, branch } = plan;
    let driver_term = &terms[driver];
    let (mut after_key, mut after_person) = match cursor {
        SearchCursor::ByKey { key, person_id, .. } => (key.clone(), *person_id),
        _ => (String::new(), 0),
    };
    let others: Vec<(usize, &Term)> = terms
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != driver)
        .collect();
    // A person is listed under the first of their keys that matches the driving term,
    // so one person never shows twice.
    let driver_ranges: Vec<(String, String)> = driver_term.iter().map(|m| m.range()).collect();
    let mut ranges = driver_ranges.clone();
    ranges.sort();
    let mut items: Vec<MemberListRow> = Vec::new();
    let mut last_keys: Vec<String> = Vec::new();
    for (low, high) in &ranges {
        if items.len() as i64 > limit {
            break;
        }
        if after_key.as_str() >= high.as_str() {
            continue;
        }
        // $1 low, $2 high, $3 after key, $4 after person, $5 limit, $6 branch, then
        // filters, terms.
        let (conditions, values) = filter_conditions(scope, filter, 7);
        let (exists, keys) = term_conditions(&others, "k.person_id", 7 + values.len());
        let mut first_key = String::new();
        let mut extra = Vec::new();
        for (l, h) in &driver_ranges {
            extra.push(l.clone());
            extra.push(h.clone());
            let n = 7 + values.len() + keys.len() + extra.len();
            if !first_key.is_empty() {
                first_key.push_str(" OR ");
            }
            first_key.push_str(&format!("(e.key >= ${} AND e.key < ${})", n - 2, n - 1));
        }
        let in_branch = if branch.is_some() {
            "k.branch_id = $6"
        } else {
            "$6 = 0"
        };
        let sql = format!(
            // CROSS JOIN keeps SQLite walking the keys first (PostgreSQL plans freely):
            // started from the scope's memberships, a large scope costs far more.
            "SELECT {LIST_COLUMNS}, k.key AS matched_key FROM person_keys k \
             CROSS JOIN memberships m CROSS JOIN people p CROSS JOIN units u \
             WHERE m.person_id = k.person_id AND p.id = k.person_id AND u.id = m.unit_id \
             AND {in_branch} AND k.key >= $1 AND k.key < $2 \
             AND (k.key > $3 OR (k.key = $3 AND k.person_id > $4)) \
             AND {conditions}{exists} \
             AND NOT EXISTS (SELECT 1 FROM person_keys e WHERE e.person_id = k.person_id \
                 AND e.key < k.key AND ({first_key})) \
             ORDER BY k.key, k.person_id LIMIT $5"
        );
        let want = limit + 1 - items.len() as i64;
        let q = sqlx::query(AssertSqlSafe(sql))
            .bind(low.as_str())
            .bind(high.as_str())
            .bind(after_key.as_str())
            .bind(after_person)
            .bind(want)
            .bind(branch.unwrap_or(0));
        let mut q = bind_values(q, &values);
        for k in keys.iter().chain(extra.iter()) {
            q = q.bind(k.as_str());
        }
        let rows = q.fetch_all(&mut *conn).await.store()?;
        for row in &rows {
            let row = ListRowByKey::from_row(row).store()?;
            items.push(row.row);
            last_keys.push(row.matched_key);
        }
        after_key = String::new();
        after_person = 0;
    }
    let next = (items.len() as i64 > limit).then(|| {
        items.truncate(limit as usize);
        SearchCursor::ByKey {
            term: driver,
            key: last_keys[limit as usize - 1].clone(),
            person_id: items.last().map_or(0, |r| r.person_id),
        }
    });
    Ok((items, next))
}
