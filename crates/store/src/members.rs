//! People and their memberships.

use crate::decode::Flag;
use crate::error::{ResultExt, StoreError};
use crate::{Conn, Scope};
use sqlx::{AssertSqlSafe, FromRow};

/// The fields of a person that a create or an update writes, already validated.
#[derive(Debug, Clone, Default, PartialEq, FromRow)]
pub struct PersonFields {
    pub full_name: String,
    pub latin_name: Option<String>,
    pub gender: Option<String>,
    pub birth_date: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub national_id: Option<String>,
    pub region: Option<String>,
    pub address: Option<String>,
    pub occupation_code: Option<String>,
    pub sector_code: Option<String>,
    pub employment_type: Option<String>,
    pub informal_category: Option<String>,
    pub workplace_id: Option<i64>,
    pub preferred_language: Option<String>,
}

#[derive(Debug, Clone, FromRow)]
pub struct PersonRow {
    pub id: i64,
    pub tree_id: i64,
    #[sqlx(flatten)]
    pub fields: PersonFields,
    #[sqlx(try_from = "Flag")]
    pub archived: bool,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, FromRow)]
pub struct MembershipRow {
    pub id: i64,
    pub tree_id: i64,
    pub person_id: i64,
    pub unit_id: i64,
    pub unit_code: String,
    pub status: String,
    pub member_number: Option<String>,
    pub joined_on: Option<String>,
    pub left_on: Option<String>,
    pub recruited_by: Option<i64>,
    #[sqlx(try_from = "Flag")]
    pub is_current: bool,
    pub previous_id: Option<i64>,
    pub created_at: String,
}

#[derive(Debug, Clone)]
pub struct NewMembership {
    pub tree_id: i64,
    pub person_id: i64,
    pub unit_id: i64,
    pub status: String,
    pub member_number: Option<String>,
    pub joined_on: Option<String>,
    pub recruited_by: Option<i64>,
    pub previous_id: Option<i64>,
}

const PERSON_COLUMNS: &str =
    "full_name, latin_name, gender, birth_date, phone, email, national_id, \
     region, address, occupation_code, sector_code, employment_type, informal_category, \
     workplace_id, preferred_language";

fn bind_person<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    f: &'q PersonFields,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    q.bind(&f.full_name)
        .bind(&f.latin_name)
        .bind(&f.gender)
        .bind(&f.birth_date)
        .bind(&f.phone)
        .bind(&f.email)
        .bind(&f.national_id)
        .bind(&f.region)
        .bind(&f.address)
        .bind(&f.occupation_code)
        .bind(&f.sector_code)
        .bind(&f.employment_type)
        .bind(&f.informal_category)
        .bind(f.workplace_id)
        .bind(&f.preferred_language)
}

pub async fn insert_person(
    conn: &mut Conn,
    tree_id: i64,
    f: &PersonFields,
    now: &str,
) -> Result<i64, StoreError> {
    let sql = format!(
        "INSERT INTO people ({PERSON_COLUMNS}, tree_id, created_at, updated_at, sort_key) VALUES \
         ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $18) RETURNING id"
    );
    let q = bind_person(sqlx::query(AssertSqlSafe(sql)), f)
        .bind(tree_id)
        .bind(now)
        .bind(muster_domain::names::sort_key(&f.full_name));
    let row = q.fetch_one(&mut *conn).await.store()?;
    let (id,): (i64,) = FromRow::from_row(&row).store()?;
    Ok(id)
}

pub async fn update_person(
    conn: &mut Conn,
    id: i64,
    f: &PersonFields,
    now: &str,
) -> Result<(), StoreError> {
    let sets = PERSON_COLUMNS
        .split(',')
        .enumerate()
        .map(|(i, c)| format!("{} = ${}", c.trim(), i + 1))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!("UPDATE people SET {sets}, updated_at = $16, sort_key = $18 WHERE id = $17");
    bind_person(sqlx::query(AssertSqlSafe(sql)), f)
        .bind(now)
        .bind(id)
        .bind(muster_domain::names::sort_key(&f.full_name))
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

pub async fn person(conn: &mut Conn, id: i64) -> Result<Option<PersonRow>, StoreError> {
    let sql = format!(
        "SELECT id, tree_id, archived, created_at, updated_at, {PERSON_COLUMNS} FROM people WHERE id = $1"
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .store()
}

/// A person with their current membership, whose columns that the person has too are
/// selected under other names (`m_id`, `m_created_at`).
#[derive(FromRow)]
struct PersonWithMembership {
    #[sqlx(flatten)]
    person: PersonRow,
    m_id: i64,
    unit_id: i64,
    unit_code: String,
    status: String,
    member_number: Option<String>,
    joined_on: Option<String>,
    left_on: Option<String>,
    recruited_by: Option<i64>,
    #[sqlx(try_from = "Flag")]
    is_current: bool,
    previous_id: Option<i64>,
    m_created_at: String,
}

/// People with their current membership, by id, for comparing an import with them.
pub async fn people_with_membership(
    conn: &mut Conn,
    ids: &[i64],
) -> Result<Vec<(PersonRow, MembershipRow)>, StoreError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let list = crate::id_list(chunk);
        let sql = format!(
            "SELECT p.id, p.tree_id, p.archived, p.created_at, p.updated_at, \
             {people}, m.id AS m_id, m.unit_id, u.code AS unit_code, m.status, m.member_number, \
             m.joined_on, m.left_on, m.recruited_by, m.is_current, m.previous_id, \
             m.created_at AS m_created_at FROM people p \
             JOIN memberships m ON m.person_id = p.id AND m.is_current = 1 \
             JOIN units u ON u.id = m.unit_id WHERE p.id IN ({list})",
            people = PERSON_COLUMNS
                .split(", ")
                .map(|c| format!("p.{}", c.trim()))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let rows: Vec<PersonWithMembership> = sqlx::query_as(AssertSqlSafe(sql))
            .fetch_all(&mut *conn)
            .await
            .store()?;
        for r in rows {
            let p = r.person;
            let m = MembershipRow {
                id: r.m_id,
                tree_id: p.tree_id,
                person_id: p.id,
                unit_id: r.unit_id,
                unit_code: r.unit_code,
                status: r.status,
                member_number: r.member_number,
                joined_on: r.joined_on,
                left_on: r.left_on,
                recruited_by: r.recruited_by,
                is_current: r.is_current,
                previous_id: r.previous_id,
                created_at: r.m_created_at,
            };
            out.push((p, m));
        }
    }
    Ok(out)
}

pub async fn archive_person(conn: &mut Conn, id: i64, now: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE people SET archived = 1, updated_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

const MEMBERSHIP_SELECT: &str = "SELECT m.id, m.tree_id, m.person_id, m.unit_id, u.code AS unit_code, \
     m.status, m.member_number, m.joined_on, m.left_on, m.recruited_by, m.is_current, m.previous_id, \
     m.created_at FROM memberships m JOIN units u ON u.id = m.unit_id";

pub async fn insert_membership(
    conn: &mut Conn,
    m: &NewMembership,
    now: &str,
) -> Result<i64, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO memberships (tree_id, person_id, unit_id, status, member_number, joined_on, \
         recruited_by, previous_id, is_current, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9) RETURNING id",
    )
    .bind(m.tree_id)
    .bind(m.person_id)
    .bind(m.unit_id)
    .bind(&m.status)
    .bind(&m.member_number)
    .bind(&m.joined_on)
    .bind(m.recruited_by)
    .bind(m.previous_id)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .store()?;
    Ok(id)
}

/// The person's current membership (the one in force or the last one ended).
pub async fn current_membership(
    conn: &mut Conn,
    person_id: i64,
) -> Result<Option<MembershipRow>, StoreError> {
    let sql = format!("{MEMBERSHIP_SELECT} WHERE m.person_id = $1 AND m.is_current = 1");
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(person_id)
        .fetch_optional(&mut *conn)
        .await
        .store()
}

/// Every membership of the person, oldest first: the history.
pub async fn memberships(
    conn: &mut Conn,
    person_id: i64,
) -> Result<Vec<MembershipRow>, StoreError> {
    let sql = format!("{MEMBERSHIP_SELECT} WHERE m.person_id = $1 ORDER BY m.id");
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(person_id)
        .fetch_all(&mut *conn)
        .await
        .store()
}

pub async fn set_status(
    conn: &mut Conn,
    membership_id: i64,
    status: &str,
    joined_on: Option<&str>,
    left_on: Option<&str>,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE memberships SET status = $2, joined_on = COALESCE($3, joined_on), left_on = $4, \
         updated_at = $5 WHERE id = $1",
    )
    .bind(membership_id)
    .bind(status)
    .bind(joined_on)
    .bind(left_on)
    .bind(now)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

pub async fn set_member_number(
    conn: &mut Conn,
    membership_id: i64,
    number: Option<&str>,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE memberships SET member_number = $2, updated_at = $3 WHERE id = $1")
        .bind(membership_id)
        .bind(number)
        .bind(now)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

/// Closes a membership for a transfer: it stops being current so the next can open.
pub async fn close_for_transfer(
    conn: &mut Conn,
    membership_id: i64,
    left_on: &str,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE memberships SET status = 'transferred', left_on = $2, is_current = 0, updated_at = $3 \
         WHERE id = $1",
    )
    .bind(membership_id)
    .bind(left_on)
    .bind(now)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

/// One line of the members list.
#[derive(Debug, Clone, FromRow)]
pub struct MemberListRow {
    pub person_id: i64,
    pub membership_id: i64,
    pub member_number: Option<String>,
    pub full_name: String,
    pub latin_name: Option<String>,
    pub unit_code: String,
    pub status: String,
    pub joined_on: Option<String>,
    pub employment_type: Option<String>,
    pub phone: Option<String>,
}

pub(crate) const LIST_COLUMNS: &str = "p.id AS person_id, m.id AS membership_id, m.member_number, \
     p.full_name, p.latin_name, u.code AS unit_code, m.status, m.joined_on, p.employment_type, p.phone";

/// Filters of the members list besides the search text.
#[derive(Debug, Clone, Default)]
pub struct MemberFilter {
    /// Only this unit's subtree (already checked to lie in the caller's scope).
    pub unit_id: Option<i64>,
    pub status: Option<String>,
    pub employment_type: Option<String>,
}

/// Builds the conditions shared by both search plans. Parameters start at `$first`;
/// returns the SQL and the values to bind, in order.
pub(crate) fn filter_conditions(
    scope: Scope,
    filter: &MemberFilter,
    first: usize,
) -> (String, Vec<FilterValue>) {
    let mut sql = format!(
        "m.is_current = 1 AND p.archived = 0 AND {}",
        scope.condition("m.unit_id", first)
    );
    let mut values = vec![FilterValue::Int(scope.param())];
    if let Some(unit) = filter.unit_id {
        values.push(FilterValue::Int(unit));
        sql.push_str(&format!(
            " AND m.unit_id IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id = ${})",
            first + values.len() - 1
        ));
    }
    if let Some(status) = &filter.status {
        values.push(FilterValue::Text(status.clone()));
        sql.push_str(&format!(" AND m.status = ${}", first + values.len() - 1));
    }
    if let Some(kind) = &filter.employment_type {
        values.push(FilterValue::Text(kind.clone()));
        sql.push_str(&format!(
            " AND p.employment_type = ${}",
            first + values.len() - 1
        ));
    }
    (sql, values)
}

#[derive(Debug, Clone)]
pub(crate) enum FilterValue {
    Int(i64),
    Text(String),
}

pub(crate) fn bind_values<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    values: &'q [FilterValue],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    for v in values {
        q = match v {
            FilterValue::Int(i) => q.bind(*i),
            FilterValue::Text(s) => q.bind(s.as_str()),
        };
    }
    q
}

/// The members list without search text: newest registrations last, by membership id,
/// `after` being the last id of the previous page.
/// `narrow`: the subtree is small (see `search::is_small_subtree`), so its members are
/// best found through their units; a large one is read in id order, its units only
/// checked (`+m.unit_id` keeps SQLite from gathering the whole subtree and sorting it:
/// 3.5 s for a province of a million members, against milliseconds).
pub async fn list(
    conn: &mut Conn,
    scope: Scope,
    filter: &MemberFilter,
    after: i64,
    limit: i64,
    narrow: bool,
) -> Result<Vec<MemberListRow>, StoreError> {
    let (mut conditions, values) = filter_conditions(scope, filter, 3);
    if !narrow {
        conditions = conditions.replace("m.unit_id IN", "+m.unit_id IN");
    }
    let sql = format!(
        "SELECT {LIST_COLUMNS} FROM memberships m JOIN people p ON p.id = m.person_id \
         JOIN units u ON u.id = m.unit_id WHERE m.id > $1 AND {conditions} ORDER BY m.id LIMIT $2"
    );
    let q = sqlx::query(AssertSqlSafe(sql)).bind(after).bind(limit);
    let rows = bind_values(q, &values)
        .fetch_all(&mut *conn)
        .await
        .store()?;
    rows.iter()
        .map(MemberListRow::from_row)
        .collect::<Result<_, _>>()
        .store()
}

/// Number of current, unarchived members in the scope that pass the filter.
pub async fn count(
    conn: &mut Conn,
    scope: Scope,
    filter: &MemberFilter,
) -> Result<i64, StoreError> {
    let (conditions, values) = filter_conditions(scope, filter, 1);
    let sql = format!(
        "SELECT COUNT(*) FROM memberships m JOIN people p ON p.id = m.person_id WHERE {conditions}"
    );
    let q = sqlx::query_scalar(AssertSqlSafe(sql));
    let mut q = q;
    for v in &values {
        q = match v {
            FilterValue::Int(i) => q.bind(*i),
            FilterValue::Text(s) => q.bind(s.as_str()),
        };
    }
    q.fetch_one(&mut *conn).await.store()
}

/// People whose sort key is missing (written before it existed): (id, full name).
pub async fn missing_sort_keys(
    conn: &mut Conn,
    limit: i64,
) -> Result<Vec<(i64, String)>, StoreError> {
    sqlx::query_as("SELECT id, full_name FROM people WHERE sort_key IS NULL LIMIT $1")
        .bind(limit)
        .fetch_all(&mut *conn)
        .await
        .store()
}

pub async fn set_sort_key(conn: &mut Conn, id: i64, key: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE people SET sort_key = $2 WHERE id = $1")
        .bind(id)
        .bind(key)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

/// The members list in name order (see `muster_domain::names::sort_key`), after the
/// (key, person) of the previous page. `narrow` is a unit whose subtree is small enough
/// to gather and sort; otherwise the name index is walked and the scope tested.
pub async fn list_by_name(
    conn: &mut Conn,
    scope: Scope,
    filter: &MemberFilter,
    after: (&str, i64),
    limit: i64,
    narrow: Option<i64>,
) -> Result<Vec<(MemberListRow, String)>, StoreError> {
    let (conditions, values) = filter_conditions(scope, filter, 4);
    let from = match narrow {
        Some(_) => format!(
            "unit_closure c CROSS JOIN memberships m CROSS JOIN people p CROSS JOIN units u \
             WHERE c.ancestor_id = ${} AND m.unit_id = c.descendant_id AND",
            4 + values.len()
        ),
        // CROSS JOIN keeps SQLite walking the name index first.
        None => "people p CROSS JOIN memberships m CROSS JOIN units u WHERE".to_string(),
    };
    let sql = format!(
        "SELECT {LIST_COLUMNS}, p.sort_key FROM {from} m.person_id = p.id AND u.id = m.unit_id \
         AND p.sort_key IS NOT NULL AND (p.sort_key > $1 OR (p.sort_key = $1 AND p.id > $2)) \
         AND {conditions} ORDER BY p.sort_key, p.id LIMIT $3"
    );
    let q = sqlx::query(AssertSqlSafe(sql))
        .bind(after.0)
        .bind(after.1)
        .bind(limit);
    let mut q = bind_values(q, &values);
    if let Some(unit) = narrow {
        q = q.bind(unit);
    }
    let rows = q.fetch_all(&mut *conn).await.store()?;
    rows.iter()
        .map(|r| ListRowByName::from_row(r).map(|n| (n.row, n.sort_key)))
        .collect::<Result<_, _>>()
        .store()
}

/// A line of the members list in name order, with its sort key.
#[derive(FromRow)]
struct ListRowByName {
    #[sqlx(flatten)]
    row: MemberListRow,
    sort_key: String,
}

/// A member as exported: every stored field with the codes of unit and workplace.
#[derive(Debug, Clone, FromRow)]
pub struct ExportRow {
    #[sqlx(rename = "m_id")]
    pub membership_id: i64,
    #[sqlx(flatten)]
    pub person: PersonRow,
    pub external_id: Option<String>,
    pub unit_code: String,
    pub workplace_code: Option<String>,
    pub status: String,
    pub member_number: Option<String>,
    pub joined_on: Option<String>,
}

fn export_sql(condition: &str, tail: &str) -> String {
    let people = PERSON_COLUMNS
        .split(", ")
        .map(|c| format!("p.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "SELECT m.id AS m_id, p.id, p.tree_id, p.archived, p.created_at, p.updated_at, {people}, \
         p.external_id, u.code AS unit_code, w.code AS workplace_code, m.status, m.member_number, \
         m.joined_on FROM memberships m JOIN people p ON p.id = m.person_id \
         JOIN units u ON u.id = m.unit_id LEFT JOIN workplaces w ON w.id = p.workplace_id \
         WHERE {condition} {tail}"
    )
}

/// One page of the export of the members passing the filter, by membership id.
pub async fn export_page(
    conn: &mut Conn,
    scope: Scope,
    filter: &MemberFilter,
    after: i64,
    limit: i64,
) -> Result<Vec<ExportRow>, StoreError> {
    let (condition, values) = filter_conditions(scope, filter, 1);
    let n = values.len();
    let sql = export_sql(
        &format!("{condition} AND m.id > ${}", n + 1),
        &format!("ORDER BY m.id LIMIT ${}", n + 2),
    );
    let rows = bind_values(sqlx::query(AssertSqlSafe(sql)), &values)
        .bind(after)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await
        .store()?;
    rows.iter()
        .map(ExportRow::from_row)
        .collect::<Result<_, _>>()
        .store()
}

/// The export rows of these people's current memberships, in the order given.
pub async fn export_people(conn: &mut Conn, ids: &[i64]) -> Result<Vec<ExportRow>, StoreError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let list = crate::id_list(chunk);
        let sql = export_sql(&format!("m.is_current = 1 AND p.id IN ({list})"), "");
        let rows: Vec<ExportRow> = sqlx::query_as(AssertSqlSafe(sql))
            .fetch_all(&mut *conn)
            .await
            .store()?;
        let mut found: std::collections::HashMap<i64, ExportRow> =
            rows.into_iter().map(|e| (e.person.id, e)).collect();
        out.extend(chunk.iter().filter_map(|id| found.remove(id)));
    }
    Ok(out)
}
