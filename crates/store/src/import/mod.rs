//! Bulk paths for imports and the record of each import run.
//!
//! A batch of rows goes to the database as one JSON array bound to one parameter, which
//! the database takes apart itself (`json_each` on SQLite, `json_array_elements` on
//! PostgreSQL): one statement per table and batch instead of one per row, and one bind
//! instead of twenty per row.

use crate::error::{ResultExt, StoreError};
use crate::members::PersonFields;
use crate::Conn;
use serde::Serialize;
use sqlx::AssertSqlSafe;

mod runs;
pub use runs::*;

/// The SQL type of one JSON column.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Kind {
    Int,
    Real,
    Text,
}

pub(crate) fn is_postgres(conn: &Conn) -> bool {
    conn.backend_name() == "PostgreSQL"
}

/// The rows of the JSON array bound to `$1`, each row's array in `value`.
fn json_source(conn: &Conn) -> &'static str {
    if is_postgres(conn) {
        "jsonb_array_elements(CAST($1 AS JSONB)) AS j(value)"
    } else {
        "jsonb_each($1) AS j"
    }
}

/// `SELECT <each column><extra> FROM <the rows of $1>`, for `INSERT ... SELECT`.
fn from_json(conn: &Conn, cols: &[Kind], extra: &str) -> String {
    let exprs: Vec<String> = cols
        .iter()
        .enumerate()
        .map(|(i, k)| json_at(is_postgres(conn), &i.to_string(), *k))
        .collect();
    format!(
        "SELECT {}{extra} FROM {}",
        exprs.join(", "),
        json_source(conn)
    )
}

/// Inserts `rows`, each a JSON array of the `cols`, with `head` naming the table and its
/// columns, `extra` columns after them in the `SELECT` and `tail` after its `FROM`.
pub(crate) async fn insert_rows<T: Serialize>(
    conn: &mut Conn,
    head: &str,
    cols: &[Kind],
    extra: &str,
    tail: &str,
    rows: &[T],
) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    let json = serde_json::to_string(rows).map_err(|e| StoreError::Internal(e.to_string()))?;
    let sql = format!("{head} {} {tail}", from_json(conn, cols, extra));
    sqlx::query(AssertSqlSafe(sql))
        .bind(json)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

/// A row of a bulk insert whose first column, an id, is known only when the row is
/// written: the rest is serialized ahead, off the writer's path.
#[derive(Debug, Clone)]
pub struct IdRow(String);

impl IdRow {
    /// `rest` must serialize to a JSON array of at least one value.
    pub fn new<T: Serialize>(rest: &T) -> Result<Self, StoreError> {
        let json = serde_json::to_string(rest).map_err(|e| StoreError::Internal(e.to_string()))?;
        if !json.starts_with('[') || json == "[]" {
            return Err(StoreError::Internal(
                "a bulk row is a non-empty array".into(),
            ));
        }
        Ok(Self(json))
    }
}

/// The JSON array of a batch of `IdRow`s, each given its id.
#[derive(Debug, Default)]
pub struct IdRows {
    json: String,
    len: usize,
}

impl IdRows {
    pub fn push(&mut self, id: i64, row: &IdRow) {
        use std::fmt::Write;
        self.json.push(if self.len == 0 { '[' } else { ',' });
        let _ = write!(self.json, "[{id},");
        self.json.push_str(&row.0[1..]);
        self.len += 1;
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn into_json(mut self) -> String {
        self.json.push(']');
        self.json
    }
}

/// `n` fresh ids of `people`, taken inside the caller's write transaction.
pub async fn next_person_ids(conn: &mut Conn, n: usize) -> Result<Vec<i64>, StoreError> {
    if n == 0 {
        return Ok(Vec::new());
    }
    if is_postgres(conn) {
        // The sequence looked up once, and one text of all the ids: a row each costs more
        // to decode than to take.
        let ids: String = sqlx::query_scalar(
            "WITH s AS MATERIALIZED (SELECT CAST(pg_get_serial_sequence('people', 'id') AS regclass) AS seq) \
             SELECT string_agg(CAST(nextval(s.seq) AS TEXT), ',') FROM s, generate_series(1, $1)",
        )
        .bind(n as i64)
        .fetch_one(&mut *conn)
        .await
        .store()?;
        return ids
            .split(',')
            .map(|id| {
                id.parse()
                    .map_err(|_| StoreError::Internal(format!("a sequence gave {id}")))
            })
            .collect();
    }
    // SQLite: the write lock is held since `BEGIN IMMEDIATE`, so nobody else takes these.
    let max: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM people")
        .fetch_one(&mut *conn)
        .await
        .store()?;
    Ok((1..=n as i64).map(|i| max + i).collect())
}

/// The row of a new person for `insert_people`, ahead of their id.
pub fn person_row(
    tree_id: i64,
    f: &PersonFields,
    external_id: Option<&str>,
    sort_key: &str,
) -> Result<IdRow, StoreError> {
    IdRow::new(&(
        tree_id,
        f.full_name.as_str(),
        [
            f.latin_name.as_deref(),
            f.gender.as_deref(),
            f.birth_date.as_deref(),
            f.phone.as_deref(),
            f.email.as_deref(),
            f.national_id.as_deref(),
            f.region.as_deref(),
            f.address.as_deref(),
            f.occupation_code.as_deref(),
            f.sector_code.as_deref(),
            f.employment_type.as_deref(),
            f.informal_category.as_deref(),
            f.preferred_language.as_deref(),
        ],
        f.workplace_id,
        external_id,
        sort_key,
    ))
}

/// Binds the JSON of `rows` and the other parameters to `sql` and runs it.
async fn execute_json(
    conn: &mut Conn,
    sql: String,
    rows: IdRows,
    more: &[&str],
    import_id: Option<i64>,
) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut q = sqlx::query(AssertSqlSafe(sql)).bind(rows.into_json());
    if let Some(id) = import_id {
        q = q.bind(id);
    }
    for m in more {
        q = q.bind(*m);
    }
    q.execute(&mut *conn).await.store()?;
    Ok(())
}

/// The expression of the value at `path` of a JSON row (`3.1`: the second of the array
/// at 3), typed.
fn json_at(pg: bool, path: &str, kind: Kind) -> String {
    if !pg {
        return format!("j.value ->> '$[{}]'", path.replace('.', "]["));
    }
    // Integer steps (`-> 3 ->> 1`) rather than a text path (`#>> '{3,1}'`): a quarter
    // less of a batch's insert on PostgreSQL.
    let (head, last) = path.rsplit_once('.').unwrap_or(("", path));
    let steps: String = head
        .split('.')
        .filter(|s| !s.is_empty())
        .map(|s| format!(" -> {s}"))
        .collect();
    let e = format!("(j.value{steps} ->> {last})");
    match kind {
        Kind::Int => format!("CAST({e} AS BIGINT)"),
        Kind::Real => format!("CAST({e} AS DOUBLE PRECISION)"),
        Kind::Text => e,
    }
}

/// Inserts new people, each `person_row` with its id taken by `next_person_ids`.
pub async fn insert_people(
    conn: &mut Conn,
    rows: IdRows,
    import_id: i64,
    now: &str,
) -> Result<(), StoreError> {
    // The JSON of a row is [id, tree, name, [13 texts], workplace, external id, sort key].
    let pg = is_postgres(conn);
    let at = |path: &str, kind: Kind| json_at(pg, path, kind);
    let texts: Vec<String> = (0..13).map(|i| at(&format!("3.{i}"), Kind::Text)).collect();
    let sql = format!(
        "INSERT INTO people (id, tree_id, full_name, latin_name, gender, birth_date, phone, email, \
         national_id, region, address, occupation_code, sector_code, employment_type, \
         informal_category, preferred_language, workplace_id, external_id, sort_key, import_id, \
         created_at, updated_at) SELECT {}, {}, {}, {}, {}, {}, {}, $2, $3, $3 FROM {}",
        at("0", Kind::Int),
        at("1", Kind::Int),
        at("2", Kind::Text),
        texts.join(", "),
        at("4", Kind::Int),
        at("5", Kind::Text),
        at("6", Kind::Text),
        json_source(conn),
    );
    execute_json(conn, sql, rows, &[now], Some(import_id)).await
}

/// The row of the current membership of a new person for `insert_memberships`.
pub fn membership_row(
    tree_id: i64,
    unit_id: i64,
    status: &str,
    member_number: Option<&str>,
    joined_on: Option<&str>,
    left_on: Option<&str>,
) -> Result<IdRow, StoreError> {
    IdRow::new(&(tree_id, unit_id, status, member_number, joined_on, left_on))
}

/// Inserts the memberships of new people, each `membership_row` with the person's id.
pub async fn insert_memberships(
    conn: &mut Conn,
    rows: IdRows,
    now: &str,
) -> Result<(), StoreError> {
    use Kind::{Int, Text};
    let sql =
        format!(
        "INSERT INTO memberships (person_id, tree_id, unit_id, status, member_number, joined_on, \
         left_on, created_at, updated_at, is_current) {}",
        from_json(conn, &[Int, Int, Int, Text, Text, Text, Text], ", $2, $2, 1"),
    );
    execute_json(conn, sql, rows, &[now], None).await
}

/// One search key of a new person for `insert_keys`, with the branch it is found in.
pub fn key_row(key: &str, branch_id: i64) -> Result<IdRow, StoreError> {
    IdRow::new(&(key, branch_id))
}

/// Inserts the search keys of new people, each `key_row` with the person's id, in the
/// order given (key order goes into the key's index one after another).
pub async fn insert_keys(conn: &mut Conn, rows: IdRows) -> Result<(), StoreError> {
    use Kind::{Int, Text};
    let sql = format!(
        "INSERT INTO person_keys (person_id, key, branch_id) {}",
        from_json(conn, &[Int, Text, Int], ""),
    );
    execute_json(conn, sql, rows, &[], None).await
}

/// Changes to the monthly counters of units (`subtree` false) or subtrees: (unit,
/// month, employment, category, joins, leaves, transfers in, transfers out, active).
pub type MonthRow = (i64, String, String, String, i64, i64, i64, i64, i64);

pub async fn add_month_counts(
    conn: &mut Conn,
    subtree: bool,
    rows: &[MonthRow],
) -> Result<(), StoreError> {
    use Kind::{Int, Text};
    let table = if subtree {
        "subtree_month_counts"
    } else {
        "unit_month_counts"
    };
    insert_rows(
        conn,
        &format!(
            "INSERT INTO {table} (unit_id, month, employment_type, informal_category, joins, \
             leaves, transfers_in, transfers_out, active_delta)"
        ),
        &[Int, Text, Text, Text, Int, Int, Int, Int, Int],
        "",
        &format!(
            "WHERE true ON CONFLICT (unit_id, month, employment_type, informal_category) DO UPDATE SET \
             joins = {table}.joins + excluded.joins, leaves = {table}.leaves + excluded.leaves, \
             transfers_in = {table}.transfers_in + excluded.transfers_in, \
             transfers_out = {table}.transfers_out + excluded.transfers_out, \
             active_delta = {table}.active_delta + excluded.active_delta"
        ),
        rows,
    )
    .await
}

/// Changes to the daily counters: (unit, day, employment, category, joins, active).
pub type DayRow = (i64, String, String, String, i64, i64);

pub async fn add_day_counts(conn: &mut Conn, rows: &[DayRow]) -> Result<(), StoreError> {
    use Kind::{Int, Text};
    insert_rows(
        conn,
        "INSERT INTO unit_day_counts (unit_id, day, employment_type, informal_category, joins, \
         active_delta)",
        &[Int, Text, Text, Text, Int, Int],
        "",
        "WHERE true ON CONFLICT (unit_id, day, employment_type, informal_category) DO UPDATE SET \
         joins = unit_day_counts.joins + excluded.joins, \
         active_delta = unit_day_counts.active_delta + excluded.active_delta",
        rows,
    )
    .await
}

/// Changes to the members by status of units or subtrees: (unit, status, delta).
pub async fn add_status_counts(
    conn: &mut Conn,
    subtree: bool,
    rows: &[(i64, String, i64)],
) -> Result<(), StoreError> {
    use Kind::{Int, Text};
    let table = if subtree {
        "subtree_status_counts"
    } else {
        "unit_status_counts"
    };
    insert_rows(
        conn,
        &format!("INSERT INTO {table} (unit_id, status, members)"),
        &[Int, Text, Int],
        "",
        &format!(
            "WHERE true ON CONFLICT (unit_id, status) DO UPDATE SET \
             members = {table}.members + excluded.members"
        ),
        rows,
    )
    .await
}

/// People of the given trees with the given external ids: (tree, external id, person).
pub async fn by_external_id(
    conn: &mut Conn,
    keys: &[(i64, &str)],
) -> Result<Vec<(i64, String, i64)>, StoreError> {
    lookup(
        conn,
        "SELECT p.tree_id, p.external_id AS k, p.id FROM people p JOIN {source} \
         ON p.tree_id = {t} AND p.external_id = {k}",
        keys,
    )
    .await
}

/// Current members of the given trees with the given member numbers.
pub async fn by_member_number(
    conn: &mut Conn,
    keys: &[(i64, &str)],
) -> Result<Vec<(i64, String, i64)>, StoreError> {
    lookup(
        conn,
        "SELECT m.tree_id, m.member_number AS k, m.person_id AS id FROM memberships m \
         JOIN {source} ON m.tree_id = {t} AND m.member_number = {k} AND m.is_current = 1",
        keys,
    )
    .await
}

async fn lookup(
    conn: &mut Conn,
    shape: &str,
    keys: &[(i64, &str)],
) -> Result<Vec<(i64, String, i64)>, StoreError> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let json = serde_json::to_string(keys).map_err(|e| StoreError::Internal(e.to_string()))?;
    let sql = shape
        .replace("{source}", json_source(conn))
        .replace("{t}", &json_at(is_postgres(conn), "0", Kind::Int))
        .replace("{k}", &json_at(is_postgres(conn), "1", Kind::Text));
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(json)
        .fetch_all(&mut *conn)
        .await
        .store()
}

/// The tree of each of these people who is not archived: (person, tree).
pub async fn trees_of(conn: &mut Conn, ids: &[i64]) -> Result<Vec<(i64, i64)>, StoreError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let list = crate::id_list(chunk);
        let rows: Vec<(i64, i64)> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT id, tree_id FROM people WHERE archived = 0 AND id IN ({list})"
        )))
        .fetch_all(&mut *conn)
        .await
        .store()?;
        out.extend(rows);
    }
    Ok(out)
}

/// Each unit's ancestors, itself included: (unit, ancestor).
pub async fn ancestors(conn: &mut Conn, unit_id: i64) -> Result<Vec<i64>, StoreError> {
    sqlx::query_scalar("SELECT ancestor_id FROM unit_closure WHERE descendant_id = $1")
        .bind(unit_id)
        .fetch_all(&mut *conn)
        .await
        .store()
}

/// Changes to every counter an import makes, summed by counter row.
#[derive(Debug, Default, Serialize, serde::Deserialize)]
pub struct CounterRows {
    pub months: Vec<MonthRow>,
    pub subtree_months: Vec<MonthRow>,
    pub days: Vec<DayRow>,
    /// (unit, status, members)
    pub statuses: Vec<(i64, String, i64)>,
    pub subtree_statuses: Vec<(i64, String, i64)>,
    /// (workplace, members)
    pub workplaces: Vec<(i64, i64)>,
}

impl CounterRows {
    /// Sums `many` into one, each counter row once.
    pub fn merge(many: Vec<CounterRows>) -> CounterRows {
        use std::collections::HashMap;
        type MonthKey = (i64, String, String, String);
        let mut months: HashMap<MonthKey, [i64; 5]> = HashMap::new();
        let mut subtree_months: HashMap<MonthKey, [i64; 5]> = HashMap::new();
        let mut days: HashMap<MonthKey, [i64; 2]> = HashMap::new();
        let mut statuses: HashMap<(i64, String), i64> = HashMap::new();
        let mut subtree_statuses: HashMap<(i64, String), i64> = HashMap::new();
        let mut workplaces: HashMap<i64, i64> = HashMap::new();
        let sum = |into: &mut [i64], v: &[i64]| into.iter_mut().zip(v).for_each(|(a, b)| *a += b);
        for c in many {
            for (into, rows) in [
                (&mut months, c.months),
                (&mut subtree_months, c.subtree_months),
            ] {
                for (u, m, e, k, a, b, t, o, d) in rows {
                    sum(into.entry((u, m, e, k)).or_default(), &[a, b, t, o, d]);
                }
            }
            for (u, d, e, k, j, a) in c.days {
                sum(days.entry((u, d, e, k)).or_default(), &[j, a]);
            }
            for (into, rows) in [
                (&mut statuses, c.statuses),
                (&mut subtree_statuses, c.subtree_statuses),
            ] {
                for (u, s, n) in rows {
                    *into.entry((u, s)).or_default() += n;
                }
            }
            for (w, n) in c.workplaces {
                *workplaces.entry(w).or_default() += n;
            }
        }
        let months_of = |m: HashMap<MonthKey, [i64; 5]>| -> Vec<MonthRow> {
            m.into_iter()
                .map(|((u, m, e, k), v)| (u, m, e, k, v[0], v[1], v[2], v[3], v[4]))
                .collect()
        };
        let statuses_of = |m: HashMap<(i64, String), i64>| -> Vec<(i64, String, i64)> {
            m.into_iter().map(|((u, s), n)| (u, s, n)).collect()
        };
        let mut merged = CounterRows {
            months: months_of(months),
            subtree_months: months_of(subtree_months),
            days: days
                .into_iter()
                .map(|((u, d, e, k), v)| (u, d, e, k, v[0], v[1]))
                .collect(),
            statuses: statuses_of(statuses),
            subtree_statuses: statuses_of(subtree_statuses),
            workplaces: workplaces.into_iter().collect(),
        };
        merged.sort();
        merged
    }

    /// Puts each table's rows in the order of its primary key, so that they go into it
    /// one after another rather than all over it.
    fn sort(&mut self) {
        self.months.sort_unstable();
        self.subtree_months.sort_unstable();
        self.days.sort_unstable();
        self.statuses.sort_unstable();
        self.subtree_statuses.sort_unstable();
        self.workplaces.sort_unstable();
    }

    /// Adds the changes to the counters, and to the figures of drives under way when
    /// `drives`.
    pub async fn add_to(self, conn: &mut Conn, drives: bool) -> Result<(), StoreError> {
        add_month_counts(conn, false, &self.months).await?;
        add_month_counts(conn, true, &self.subtree_months).await?;
        add_day_counts(conn, &self.days).await?;
        add_status_counts(conn, false, &self.statuses).await?;
        add_status_counts(conn, true, &self.subtree_statuses).await?;
        for (w, delta) in self.workplaces {
            crate::mapping::count_member(conn, w, delta).await?;
        }
        if drives {
            // Drives count by unit and day, as the day counters do.
            let changes: Vec<crate::counters::CountChange> = self
                .days
                .into_iter()
                .map(
                    |(unit_id, day, employment_type, informal_category, joins, active_delta)| {
                        crate::counters::CountChange {
                            unit_id,
                            day,
                            employment_type,
                            informal_category,
                            joins,
                            active_delta,
                            ..Default::default()
                        }
                    },
                )
                .collect();
            crate::drives::count_many(conn, &changes).await?;
        }
        Ok(())
    }
}

/// Whether any drive is under way, whose figures an import must count.
pub async fn any_drive(conn: &mut Conn) -> Result<bool, StoreError> {
    let n: Option<i64> = sqlx::query_scalar("SELECT id FROM drives LIMIT 1")
        .fetch_optional(&mut *conn)
        .await
        .store()?;
    Ok(n.is_some())
}
