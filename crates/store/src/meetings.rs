//! Meetings of committees: agenda, minutes, attendance and finalized versions.

use crate::decode::Flag;
use crate::error::{ResultExt, StoreError};
use crate::{Conn, Scope};
use sqlx::{AssertSqlSafe, FromRow};

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct MeetingRow {
    pub id: i64,
    pub committee_id: i64,
    pub committee_name: String,
    pub unit_id: i64,
    pub unit_code: String,
    pub starts_at: String,
    pub place: Option<String>,
    pub version: i64,
    #[sqlx(try_from = "Flag")]
    pub correcting: bool,
    pub number: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
}

const SELECT: &str = "SELECT m.id, m.committee_id, c.name AS committee_name, m.unit_id, \
     u.code AS unit_code, m.starts_at, m.place, m.version, m.correcting, m.number, \
     m.created_at, m.updated_at FROM meetings m JOIN committees c ON c.id = m.committee_id \
     JOIN units u ON u.id = m.unit_id";

pub async fn insert(
    conn: &mut Conn,
    committee_id: i64,
    unit_id: i64,
    starts_at: &str,
    place: Option<&str>,
    now: &str,
) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "INSERT INTO meetings (committee_id, unit_id, starts_at, place, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(committee_id)
    .bind(unit_id)
    .bind(starts_at)
    .bind(place)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .store()
}

/// One meeting, if its committee's unit lies in `scope`.
pub async fn by_id(
    conn: &mut Conn,
    scope: Scope,
    id: i64,
) -> Result<Option<MeetingRow>, StoreError> {
    let sql = format!(
        "{SELECT} WHERE m.id = $2 AND {}",
        scope.holds("m.unit_id", 1)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .store()
}

/// Meetings in `scope` (of one committee when given), latest first.
pub async fn list(
    conn: &mut Conn,
    scope: Scope,
    committee_id: Option<i64>,
    limit: i64,
) -> Result<Vec<MeetingRow>, StoreError> {
    let sql = format!(
        "{SELECT} WHERE {} AND ($2 = 0 OR m.committee_id = $2) ORDER BY m.starts_at DESC, m.id DESC LIMIT $3",
        scope.condition("m.unit_id", 1)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(committee_id.unwrap_or(0))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await
        .store()
}

pub async fn touch(conn: &mut Conn, id: i64, now: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE meetings SET updated_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ItemRow {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub position: i64,
    pub title: String,
    pub presenter: Option<String>,
    pub planned_minutes: Option<i64>,
    pub minutes: Option<String>,
}

/// Invites someone beyond the roster to a meeting.
pub async fn add_guest(
    conn: &mut Conn,
    meeting_id: i64,
    name: &str,
    organization: Option<&str>,
    title: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO meeting_guests (meeting_id, name, organization, title) VALUES ($1, $2, $3, $4)",
    )
    .bind(meeting_id)
    .bind(name)
    .bind(organization)
    .bind(title)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

/// A meeting's invited guests, as invited: (name, organization, title).
pub async fn guests(
    conn: &mut Conn,
    meeting_id: i64,
) -> Result<Vec<(String, Option<String>, Option<String>)>, StoreError> {
    sqlx::query_as(
        "SELECT name, organization, title FROM meeting_guests WHERE meeting_id = $1 ORDER BY id",
    )
    .bind(meeting_id)
    .fetch_all(&mut *conn)
    .await
    .store()
}

pub async fn add_item(
    conn: &mut Conn,
    meeting_id: i64,
    parent_id: Option<i64>,
    position: i64,
    title: &str,
    presenter: Option<&str>,
    planned_minutes: Option<i64>,
) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "INSERT INTO agenda_items (meeting_id, parent_id, position, title, presenter, planned_minutes) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(meeting_id)
    .bind(parent_id)
    .bind(position)
    .bind(title)
    .bind(presenter)
    .bind(planned_minutes)
    .fetch_one(&mut *conn)
    .await
    .store()
}

/// A meeting's agenda in order (sub-items after their item).
pub async fn items(conn: &mut Conn, meeting_id: i64) -> Result<Vec<ItemRow>, StoreError> {
    sqlx::query_as(
        "SELECT id, parent_id, position, title, presenter, planned_minutes, minutes \
         FROM agenda_items WHERE meeting_id = $1 ORDER BY position, id",
    )
    .bind(meeting_id)
    .fetch_all(&mut *conn)
    .await
    .store()
}

pub async fn set_minutes(
    conn: &mut Conn,
    meeting_id: i64,
    item_id: i64,
    minutes: Option<&str>,
) -> Result<u64, StoreError> {
    let done =
        sqlx::query("UPDATE agenda_items SET minutes = $3 WHERE id = $2 AND meeting_id = $1")
            .bind(meeting_id)
            .bind(item_id)
            .bind(minutes)
            .execute(&mut *conn)
            .await
            .store()?;
    Ok(done.rows_affected())
}

/// Records whether a seat's holder came (replacing what was recorded).
pub async fn set_attendance(
    conn: &mut Conn,
    meeting_id: i64,
    seat_id: i64,
    presence: &str,
    represented_by: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM meeting_attendance WHERE meeting_id = $1 AND seat_id = $2")
        .bind(meeting_id)
        .bind(seat_id)
        .execute(&mut *conn)
        .await
        .store()?;
    sqlx::query(
        "INSERT INTO meeting_attendance (meeting_id, seat_id, presence, represented_by) VALUES ($1, $2, $3, $4)",
    )
    .bind(meeting_id)
    .bind(seat_id)
    .bind(presence)
    .bind(represented_by)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

/// What was recorded of a meeting's attendance: (seat, presence, represented by).
pub async fn attendance(
    conn: &mut Conn,
    meeting_id: i64,
) -> Result<Vec<(i64, String, Option<String>)>, StoreError> {
    sqlx::query_as(
        "SELECT seat_id, presence, represented_by FROM meeting_attendance WHERE meeting_id = $1",
    )
    .bind(meeting_id)
    .fetch_all(&mut *conn)
    .await
    .store()
}

/// The next number among a committee's finalized meetings.
pub async fn next_number(conn: &mut Conn, committee_id: i64) -> Result<i64, StoreError> {
    let n: Option<i64> =
        sqlx::query_scalar("SELECT MAX(number) FROM meetings WHERE committee_id = $1")
            .bind(committee_id)
            .fetch_one(&mut *conn)
            .await
            .store()?;
    Ok(n.unwrap_or(0) + 1)
}

/// Locks the minutes as version `version`, numbered `number`, keeping `content`.
pub async fn finalize(
    conn: &mut Conn,
    id: i64,
    version: i64,
    number: i64,
    content: &str,
    by: &str,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE meetings SET version = $2, number = $3, correcting = 0, updated_at = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(version)
    .bind(number)
    .bind(now)
    .execute(&mut *conn)
    .await
    .store()?;
    sqlx::query(
        "INSERT INTO minutes_versions (meeting_id, version, finalized_at, finalized_by, content) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(version)
    .bind(now)
    .bind(by)
    .bind(content)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

/// Opens finalized minutes for a correction, to be finalized as a new version.
pub async fn open_correction(conn: &mut Conn, id: i64, now: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE meetings SET correcting = 1, updated_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct VersionRow {
    pub version: i64,
    pub finalized_at: String,
    pub finalized_by: String,
    pub content: String,
}

/// A meeting's finalized versions, first to last.
pub async fn versions(conn: &mut Conn, meeting_id: i64) -> Result<Vec<VersionRow>, StoreError> {
    sqlx::query_as(
        "SELECT version, finalized_at, finalized_by, content FROM minutes_versions \
         WHERE meeting_id = $1 ORDER BY version",
    )
    .bind(meeting_id)
    .fetch_all(&mut *conn)
    .await
    .store()
}
