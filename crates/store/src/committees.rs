//! Committees and their seats.

use crate::error::{ResultExt, StoreError};
use crate::{Conn, Scope};
use sqlx::{AssertSqlSafe, FromRow};

/// What a committee's create or update writes, already checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitteeFields {
    pub unit_id: i64,
    pub name: String,
    pub kind: String,
    pub cadence: String,
    pub quorum_percent: i64,
    pub calendar: String,
    pub term_start: String,
    pub term_end: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct CommitteeRow {
    pub id: i64,
    pub tree_id: i64,
    pub unit_id: i64,
    pub unit_code: String,
    pub name: String,
    pub kind: String,
    pub cadence: String,
    pub quorum_percent: i64,
    pub calendar: String,
    pub term_start: String,
    pub term_end: Option<String>,
    /// Seats held today (see `list`/`by_id`'s `today`).
    pub seated: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// The committee columns, with the seats held on the day bound to `$today`.
fn select(today: usize) -> String {
    format!(
        "SELECT c.id, c.tree_id, c.unit_id, u.code AS unit_code, c.name, c.kind, c.cadence, \
         c.quorum_percent, c.calendar, c.term_start, c.term_end, \
         (SELECT COUNT(*) FROM committee_seats s WHERE s.committee_id = c.id \
          AND s.from_on <= ${today} AND (s.until_on IS NULL OR s.until_on >= ${today})) AS seated, \
         c.created_at, c.updated_at FROM committees c JOIN units u ON u.id = c.unit_id"
    )
}

pub async fn insert(
    conn: &mut Conn,
    tree_id: i64,
    f: &CommitteeFields,
    now: &str,
) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "INSERT INTO committees (tree_id, unit_id, name, kind, cadence, quorum_percent, term_start, \
         term_end, created_at, updated_at, calendar) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10) \
         RETURNING id",
    )
    .bind(tree_id)
    .bind(f.unit_id)
    .bind(&f.name)
    .bind(&f.kind)
    .bind(&f.cadence)
    .bind(f.quorum_percent)
    .bind(&f.term_start)
    .bind(&f.term_end)
    .bind(now)
    .bind(&f.calendar)
    .fetch_one(&mut *conn)
    .await
    .store()
}

pub async fn update(
    conn: &mut Conn,
    id: i64,
    f: &CommitteeFields,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE committees SET name = $2, kind = $3, cadence = $4, quorum_percent = $5, \
         term_start = $6, term_end = $7, updated_at = $8, calendar = $9 WHERE id = $1",
    )
    .bind(id)
    .bind(&f.name)
    .bind(&f.kind)
    .bind(&f.cadence)
    .bind(f.quorum_percent)
    .bind(&f.term_start)
    .bind(&f.term_end)
    .bind(now)
    .bind(&f.calendar)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

/// One committee, if its unit lies in `scope`; `today` counts its seats.
pub async fn by_id(
    conn: &mut Conn,
    scope: Scope,
    id: i64,
    today: &str,
) -> Result<Option<CommitteeRow>, StoreError> {
    let sql = format!(
        "{} WHERE c.id = $2 AND {}",
        select(3),
        scope.holds("c.unit_id", 1)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(id)
        .bind(today)
        .fetch_optional(&mut *conn)
        .await
        .store()
}

/// The committees of the units in `scope` (under `unit_id` when given), of `kind` when
/// given, by unit then id.
pub async fn list(
    conn: &mut Conn,
    scope: Scope,
    unit_id: Option<i64>,
    kind: Option<&str>,
    today: &str,
    limit: i64,
) -> Result<Vec<CommitteeRow>, StoreError> {
    let sql = format!(
        "{} WHERE {} AND ($2 = 0 OR c.unit_id IN (SELECT descendant_id FROM unit_closure \
         WHERE ancestor_id = $2)) AND ($3 = '' OR c.kind = $3) ORDER BY u.code, c.id LIMIT $4",
        select(5),
        scope.condition("c.unit_id", 1)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(unit_id.unwrap_or(0))
        .bind(kind.unwrap_or(""))
        .bind(limit)
        .bind(today)
        .fetch_all(&mut *conn)
        .await
        .store()
}

/// A seat as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeatFields {
    pub person_id: Option<i64>,
    pub outside_name: Option<String>,
    pub outside_organization: Option<String>,
    pub outside_title: Option<String>,
    pub position: String,
    pub voting: bool,
    pub from_on: String,
    pub until_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct SeatRow {
    pub id: i64,
    pub committee_id: i64,
    pub person_id: Option<i64>,
    /// The member's name, or the outside participant's.
    pub name: String,
    pub member_number: Option<String>,
    pub outside_organization: Option<String>,
    pub outside_title: Option<String>,
    pub position: String,
    #[sqlx(try_from = "crate::decode::Flag")]
    pub voting: bool,
    pub from_on: String,
    pub until_on: Option<String>,
}

const SEAT_SELECT: &str = "SELECT s.id, s.committee_id, s.person_id, \
     COALESCE(p.full_name, s.outside_name, '') AS name, \
     (SELECT m.member_number FROM memberships m WHERE m.person_id = s.person_id AND m.is_current = 1) AS member_number, \
     s.outside_organization, s.outside_title, s.position, s.voting, s.from_on, s.until_on \
     FROM committee_seats s LEFT JOIN people p ON p.id = s.person_id";

pub async fn add_seat(
    conn: &mut Conn,
    committee_id: i64,
    f: &SeatFields,
    now: &str,
) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "INSERT INTO committee_seats (committee_id, person_id, outside_name, outside_organization, \
         outside_title, position, voting, from_on, until_on, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(committee_id)
    .bind(f.person_id)
    .bind(&f.outside_name)
    .bind(&f.outside_organization)
    .bind(&f.outside_title)
    .bind(&f.position)
    .bind(i64::from(f.voting))
    .bind(&f.from_on)
    .bind(&f.until_on)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .store()
}

/// Ends a seat on `until_on` (its last day).
pub async fn end_seat(conn: &mut Conn, seat_id: i64, until_on: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE committee_seats SET until_on = $2 WHERE id = $1")
        .bind(seat_id)
        .bind(until_on)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

/// Every seat of a committee, current and past: positions in order, then from first to
/// last taken.
pub async fn seats(conn: &mut Conn, committee_id: i64) -> Result<Vec<SeatRow>, StoreError> {
    let sql = format!("{SEAT_SELECT} WHERE s.committee_id = $1 ORDER BY s.from_on, s.id");
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(committee_id)
        .fetch_all(&mut *conn)
        .await
        .store()
}

/// A person's seats on committees of units in `scope`, with the committee's name and
/// unit: (seat, committee id, committee name, unit code).
pub async fn seats_of_person(
    conn: &mut Conn,
    scope: Scope,
    person_id: i64,
) -> Result<Vec<PersonSeatRow>, StoreError> {
    let sql = format!(
        "SELECT s.id, c.id AS committee_id, c.name AS committee_name, u.code AS unit_code, \
         s.position, s.from_on, s.until_on FROM committee_seats s \
         JOIN committees c ON c.id = s.committee_id JOIN units u ON u.id = c.unit_id \
         WHERE s.person_id = $2 AND {} ORDER BY s.from_on DESC, s.id DESC",
        scope.condition("c.unit_id", 1)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(person_id)
        .fetch_all(&mut *conn)
        .await
        .store()
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct PersonSeatRow {
    pub id: i64,
    pub committee_id: i64,
    pub committee_name: String,
    pub unit_code: String,
    pub position: String,
    pub from_on: String,
    pub until_on: Option<String>,
}
