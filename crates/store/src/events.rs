//! Programs and their events, participants and check-ins, and the tallies they make.

use crate::error::{ResultExt, StoreError};
use crate::{Conn, Scope};
use sqlx::{AssertSqlSafe, FromRow};

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ProgramRow {
    pub id: i64,
    pub tree_id: i64,
    pub unit_id: i64,
    pub unit_code: String,
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub decision_id: Option<i64>,
    pub events: i64,
}

const PROGRAM_SELECT: &str = "SELECT p.id, p.tree_id, p.unit_id, u.code AS unit_code, p.name, \
     p.starts_on, p.ends_on, p.decision_id, \
     (SELECT COUNT(*) FROM events e WHERE e.program_id = p.id) AS events \
     FROM programs p JOIN units u ON u.id = p.unit_id";

/// Programs a caller may open: those of units in their subtree and those of the units
/// above it (whose programs their units fill with events).
fn program_visible(scope: Scope, one: bool) -> String {
    let mine = if one {
        scope.holds("p.unit_id", 1)
    } else {
        scope.condition("p.unit_id", 1)
    };
    format!(
        "({mine} OR p.unit_id IN (SELECT ancestor_id FROM unit_closure WHERE descendant_id = $1))"
    )
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_program(
    conn: &mut Conn,
    tree_id: i64,
    unit_id: i64,
    name: &str,
    starts_on: &str,
    ends_on: &str,
    decision_id: Option<i64>,
    now: &str,
) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "INSERT INTO programs (tree_id, unit_id, name, starts_on, ends_on, decision_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(tree_id)
    .bind(unit_id)
    .bind(name)
    .bind(starts_on)
    .bind(ends_on)
    .bind(decision_id)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .store()
}

pub async fn program(
    conn: &mut Conn,
    scope: Scope,
    id: i64,
) -> Result<Option<ProgramRow>, StoreError> {
    let sql = format!(
        "{PROGRAM_SELECT} WHERE p.id = $2 AND {}",
        program_visible(scope, true)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .store()
}

/// Programs the caller may open, latest first.
pub async fn programs(
    conn: &mut Conn,
    scope: Scope,
    limit: i64,
) -> Result<Vec<ProgramRow>, StoreError> {
    let sql = format!(
        "{PROGRAM_SELECT} WHERE {} ORDER BY p.starts_on DESC, p.id DESC LIMIT $2",
        program_visible(scope, false)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(limit)
        .fetch_all(&mut *conn)
        .await
        .store()
}

/// The programs a decision approved: (id, name, unit code).
pub async fn programs_of_decision(
    conn: &mut Conn,
    decision_id: i64,
) -> Result<Vec<(i64, String, String)>, StoreError> {
    sqlx::query_as(
        "SELECT p.id, p.name, u.code FROM programs p JOIN units u ON u.id = p.unit_id \
         WHERE p.decision_id = $1 ORDER BY p.id",
    )
    .bind(decision_id)
    .fetch_all(&mut *conn)
    .await
    .store()
}

/// What has names in other locales.
#[derive(Debug, Clone, Copy)]
pub enum Named {
    Program,
    Event,
    HonorCategory,
    CaseType,
    Scheme,
}

impl Named {
    /// The table of the names and its column of the named thing's id.
    fn table(self) -> (&'static str, &'static str) {
        match self {
            Named::Program => ("program_names", "program_id"),
            Named::Event => ("event_names", "event_id"),
            Named::HonorCategory => ("honor_category_names", "category_id"),
            Named::CaseType => ("case_type_names", "case_type_id"),
            Named::Scheme => ("scheme_names", "scheme_id"),
        }
    }
}

/// Names in other locales of programs or events: (id, locale, name).
pub async fn names(
    conn: &mut Conn,
    of: Named,
    ids: &[i64],
) -> Result<Vec<(i64, String, String)>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let (table, column) = of.table();
    let sql = format!(
        "SELECT {column}, locale, name FROM {table} WHERE {column} IN ({}) ORDER BY locale",
        crate::id_list(ids)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await
        .store()
}

/// Removes every name in other locales of one named thing, before they are set again.
pub async fn clear_names(conn: &mut Conn, of: Named, id: i64) -> Result<(), StoreError> {
    let (table, column) = of.table();
    sqlx::query(AssertSqlSafe(format!(
        "DELETE FROM {table} WHERE {column} = $1"
    )))
    .bind(id)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

pub async fn set_name(
    conn: &mut Conn,
    of: Named,
    id: i64,
    locale: &str,
    name: &str,
) -> Result<(), StoreError> {
    let (table, column) = of.table();
    let sql = format!("INSERT INTO {table} ({column}, locale, name) VALUES ($1, $2, $3)");
    sqlx::query(AssertSqlSafe(sql))
        .bind(id)
        .bind(locale)
        .bind(name)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

/// What an event's create writes, already checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventFields {
    pub program_id: Option<i64>,
    pub unit_id: i64,
    pub kind: String,
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub place: Option<String>,
    pub capacity: Option<i64>,
    pub audience: String,
    pub registration_opens: Option<String>,
    pub registration_closes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct EventRow {
    pub id: i64,
    pub program_id: Option<i64>,
    pub unit_id: i64,
    pub unit_code: String,
    pub tree_id: i64,
    pub kind: String,
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub place: Option<String>,
    pub capacity: Option<i64>,
    pub audience: String,
    pub registration_opens: Option<String>,
    pub registration_closes: Option<String>,
    pub report_notes: Option<String>,
    pub report_media: Option<String>,
    pub closed_at: Option<String>,
    /// Participants holding a place.
    pub holding: i64,
    pub waitlisted: i64,
}

const EVENT_SELECT: &str = "SELECT e.id, e.program_id, e.unit_id, u.code AS unit_code, \
     u.tree_id, e.kind, e.name, e.starts_on, e.ends_on, e.place, e.capacity, e.audience, \
     e.registration_opens, e.registration_closes, e.report_notes, e.report_media, e.closed_at, \
     (SELECT COUNT(*) FROM event_participants x WHERE x.event_id = e.id \
      AND x.status IN ('registered', 'confirmed', 'attended')) AS holding, \
     (SELECT COUNT(*) FROM event_participants x WHERE x.event_id = e.id \
      AND x.status = 'waitlisted') AS waitlisted \
     FROM events e JOIN units u ON u.id = e.unit_id";

pub async fn insert_event(conn: &mut Conn, f: &EventFields, now: &str) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "INSERT INTO events (program_id, unit_id, kind, name, starts_on, ends_on, place, capacity, audience, \
         registration_opens, registration_closes, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
    )
    .bind(f.program_id)
    .bind(f.unit_id)
    .bind(&f.kind)
    .bind(&f.name)
    .bind(&f.starts_on)
    .bind(&f.ends_on)
    .bind(&f.place)
    .bind(f.capacity)
    .bind(&f.audience)
    .bind(&f.registration_opens)
    .bind(&f.registration_closes)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .store()
}

/// An event of a unit in `scope`.
pub async fn event(conn: &mut Conn, scope: Scope, id: i64) -> Result<Option<EventRow>, StoreError> {
    let sql = format!(
        "{EVENT_SELECT} WHERE e.id = $2 AND {}",
        scope.holds("e.unit_id", 1)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .store()
}

/// Events of units in `scope` (of one program when given, or under one unit), by day.
pub async fn events(
    conn: &mut Conn,
    scope: Scope,
    program_id: Option<i64>,
    unit_id: Option<i64>,
    limit: i64,
) -> Result<Vec<EventRow>, StoreError> {
    let mut filters = vec![scope.condition("e.unit_id", 1)];
    if program_id.is_some() {
        filters.push("e.program_id = $2".into());
    }
    if unit_id.is_some() {
        filters.push(
            "e.unit_id IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id = $3)".into(),
        );
    }
    let sql = format!(
        "{EVENT_SELECT} WHERE {} ORDER BY e.starts_on, e.id LIMIT $4",
        filters.join(" AND ")
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(program_id.unwrap_or(0))
        .bind(unit_id.unwrap_or(0))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await
        .store()
}

pub async fn set_capacity(
    conn: &mut Conn,
    id: i64,
    capacity: Option<i64>,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE events SET capacity = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(capacity)
        .bind(now)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

pub async fn set_report(
    conn: &mut Conn,
    id: i64,
    notes: Option<&str>,
    media: Option<&str>,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE events SET report_notes = $2, report_media = $3, closed_at = $4, updated_at = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(notes)
    .bind(media)
    .bind(now)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

/// The person whose current membership in tree `tree_id` has member number `number`.
pub async fn person_by_number(
    conn: &mut Conn,
    tree_id: i64,
    number: &str,
) -> Result<Option<i64>, StoreError> {
    sqlx::query_scalar(
        "SELECT person_id FROM memberships WHERE tree_id = $1 AND member_number = $2 AND is_current = 1",
    )
    .bind(tree_id)
    .bind(number)
    .fetch_optional(&mut *conn)
    .await
    .store()
}

/// A participant as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewParticipant {
    pub event_id: i64,
    pub person_id: Option<i64>,
    pub outside_name: Option<String>,
    pub outside_phone: Option<String>,
    pub gender: Option<String>,
    pub role: String,
    pub status: String,
    pub ticket: String,
    pub walk_in: bool,
    pub recruited: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ParticipantRow {
    pub id: i64,
    pub event_id: i64,
    pub person_id: Option<i64>,
    /// The member's name, or the outside person's.
    pub name: String,
    pub member_number: Option<String>,
    pub phone: Option<String>,
    pub gender: Option<String>,
    pub role: String,
    pub status: String,
    pub ticket: String,
    #[sqlx(try_from = "crate::decode::Flag")]
    pub walk_in: bool,
    #[sqlx(try_from = "crate::decode::Flag")]
    pub recruited: bool,
    /// Days checked in.
    pub days: i64,
    pub created_at: String,
}

const PARTICIPANT_SELECT: &str = "SELECT x.id, x.event_id, x.person_id, \
     COALESCE(p.full_name, x.outside_name, '') AS name, \
     (SELECT m.member_number FROM memberships m WHERE m.person_id = x.person_id AND m.is_current = 1) AS member_number, \
     COALESCE(p.phone, x.outside_phone) AS phone, COALESCE(x.gender, p.gender) AS gender, x.role, x.status, \
     x.ticket, x.walk_in, x.recruited, \
     (SELECT COUNT(*) FROM event_checkins c WHERE c.participant_id = x.id) AS days, x.created_at \
     FROM event_participants x LEFT JOIN people p ON p.id = x.person_id";

pub async fn insert_participant(
    conn: &mut Conn,
    n: &NewParticipant,
    now: &str,
) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "INSERT INTO event_participants (event_id, person_id, outside_name, outside_phone, gender, role, status, \
         ticket, walk_in, recruited, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
    )
    .bind(n.event_id)
    .bind(n.person_id)
    .bind(&n.outside_name)
    .bind(&n.outside_phone)
    .bind(&n.gender)
    .bind(&n.role)
    .bind(&n.status)
    .bind(&n.ticket)
    .bind(i64::from(n.walk_in))
    .bind(i64::from(n.recruited))
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .store()
}

/// The participants of an event, in the order they registered.
pub async fn participants(
    conn: &mut Conn,
    event_id: i64,
) -> Result<Vec<ParticipantRow>, StoreError> {
    let sql = format!("{PARTICIPANT_SELECT} WHERE x.event_id = $1 ORDER BY x.id");
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(event_id)
        .fetch_all(&mut *conn)
        .await
        .store()
}

/// One participant of an event: by id, by ticket or by registry person.
pub async fn participant(
    conn: &mut Conn,
    event_id: i64,
    by: ParticipantKey<'_>,
) -> Result<Option<ParticipantRow>, StoreError> {
    let condition = match by {
        ParticipantKey::Id(_) => "x.id = $2",
        ParticipantKey::Ticket(_) => "x.ticket = $2",
        ParticipantKey::Person(_) => "x.person_id = $2",
    };
    let sql = format!("{PARTICIPANT_SELECT} WHERE x.event_id = $1 AND {condition}");
    let q = sqlx::query_as(AssertSqlSafe(sql)).bind(event_id);
    let q = match by {
        ParticipantKey::Id(id) | ParticipantKey::Person(id) => q.bind(id),
        ParticipantKey::Ticket(t) => q.bind(t.to_string()),
    };
    q.fetch_optional(&mut *conn).await.store()
}

/// How a participant is looked up.
#[derive(Debug, Clone, Copy)]
pub enum ParticipantKey<'a> {
    Id(i64),
    Ticket(&'a str),
    Person(i64),
}

pub async fn set_status(
    conn: &mut Conn,
    id: i64,
    status: &str,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE event_participants SET status = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(status)
        .bind(now)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

/// How many participants hold one of an event's places.
pub async fn holding(conn: &mut Conn, event_id: i64) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM event_participants WHERE event_id = $1 \
         AND status IN ('registered', 'confirmed', 'attended')",
    )
    .bind(event_id)
    .fetch_one(&mut *conn)
    .await
    .store()
}

/// The first `n` waitlisted participants of an event, in the order they registered.
pub async fn waitlisted(conn: &mut Conn, event_id: i64, n: i64) -> Result<Vec<i64>, StoreError> {
    sqlx::query_scalar(
        "SELECT id FROM event_participants WHERE event_id = $1 AND status = 'waitlisted' ORDER BY id LIMIT $2",
    )
    .bind(event_id)
    .bind(n)
    .fetch_all(&mut *conn)
    .await
    .store()
}

/// Records a check-in; `false` when the participant was already checked in that day.
pub async fn check_in(
    conn: &mut Conn,
    participant_id: i64,
    day: &str,
    by: &str,
    method: &str,
    now: &str,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO event_checkins (participant_id, day, at, by_name, method) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (participant_id, day) DO NOTHING",
    )
    .bind(participant_id)
    .bind(day)
    .bind(now)
    .bind(by)
    .bind(method)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(done.rows_affected() == 1)
}

/// Who came, by day: (day, people checked in).
pub async fn checkins_by_day(
    conn: &mut Conn,
    event_id: i64,
) -> Result<Vec<(String, i64)>, StoreError> {
    sqlx::query_as(
        "SELECT c.day, COUNT(*) FROM event_checkins c JOIN event_participants x ON x.id = c.participant_id \
         WHERE x.event_id = $1 GROUP BY c.day ORDER BY c.day",
    )
    .bind(event_id)
    .fetch_all(&mut *conn)
    .await
    .store()
}

/// What the closing reports of some events count, by event: (event, people who came,
/// members among them who were members before, women, members recruited).
pub async fn report_counts(
    conn: &mut Conn,
    ids: &[i64],
) -> Result<Vec<(i64, i64, i64, i64, i64)>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let came = "EXISTS (SELECT 1 FROM event_checkins c WHERE c.participant_id = x.id)";
    let sql = format!(
        "SELECT x.event_id, \
         SUM(CASE WHEN {came} THEN 1 ELSE 0 END), \
         SUM(CASE WHEN {came} AND x.person_id IS NOT NULL AND x.recruited = 0 THEN 1 ELSE 0 END), \
         SUM(CASE WHEN {came} AND COALESCE(x.gender, p.gender) = 'female' THEN 1 ELSE 0 END), \
         SUM(CASE WHEN x.recruited = 1 THEN 1 ELSE 0 END) \
         FROM event_participants x LEFT JOIN people p ON p.id = x.person_id \
         WHERE x.event_id IN ({}) GROUP BY x.event_id",
        crate::id_list(ids)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await
        .store()
}

/// The tallies of events, narrowed by `within(unit column, day expression)`: for each program `p:{id}:` the
/// events by kind on their first day, those whose closing report is filed (`held`),
/// the people who came (checked in at least once), of them registry members who were
/// members before (`members`) and women, and the members it recruited; and for all
/// events `events_held` and `recruited`. All on the event's first day, so a change to
/// one event reads that day's events of its unit only.
pub(crate) fn tally_parts(within: &dyn Fn(&str, &str) -> String) -> Vec<String> {
    let program = "'p:' || CAST(e.program_id AS TEXT)";
    let came = "EXISTS (SELECT 1 FROM event_checkins c WHERE c.participant_id = x.id)";
    vec![
        format!(
            "SELECT e.unit_id, {program} || ':events:' || e.kind AS figure, e.starts_on AS day, COUNT(*) AS n \
             FROM events e WHERE e.program_id IS NOT NULL AND {} GROUP BY e.unit_id, e.program_id, e.kind, e.starts_on",
            within("e.unit_id", "e.starts_on")
        ),
        format!(
            "SELECT e.unit_id, {program} || ':held', e.starts_on, COUNT(*) FROM events e \
             WHERE e.program_id IS NOT NULL AND e.closed_at IS NOT NULL AND {} \
             GROUP BY e.unit_id, e.program_id, e.starts_on",
            within("e.unit_id", "e.starts_on")
        ),
        format!(
            "SELECT e.unit_id, {program} || ':' || f.figure, e.starts_on, COUNT(*) FROM events e \
             JOIN event_participants x ON x.event_id = e.id LEFT JOIN people p ON p.id = x.person_id \
             JOIN (SELECT 'came' AS figure UNION ALL SELECT 'members' UNION ALL SELECT 'women' \
                   UNION ALL SELECT 'recruited') f ON \
             (f.figure = 'came' AND {came}) \
             OR (f.figure = 'members' AND {came} AND x.person_id IS NOT NULL AND x.recruited = 0) \
             OR (f.figure = 'women' AND {came} AND COALESCE(x.gender, p.gender) = 'female') \
             OR (f.figure = 'recruited' AND x.recruited = 1) \
             WHERE e.program_id IS NOT NULL AND {} GROUP BY e.unit_id, e.program_id, f.figure, e.starts_on",
            within("e.unit_id", "e.starts_on")
        ),
        format!(
            "SELECT e.unit_id, 'events_held', e.starts_on, COUNT(*) FROM events e \
             WHERE e.closed_at IS NOT NULL AND {} GROUP BY e.unit_id, e.starts_on",
            within("e.unit_id", "e.starts_on")
        ),
        format!(
            "SELECT e.unit_id, 'recruited', e.starts_on, COUNT(*) FROM events e \
             JOIN event_participants x ON x.event_id = e.id WHERE x.recruited = 1 AND {} \
             GROUP BY e.unit_id, e.starts_on",
            within("e.unit_id", "e.starts_on")
        ),
    ]
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct SessionRow {
    pub day: String,
    pub starts_at: String,
    pub ends_at: Option<String>,
    pub title: String,
    pub place: Option<String>,
}

/// An event's sessions, by day and time.
pub async fn sessions(conn: &mut Conn, event_id: i64) -> Result<Vec<SessionRow>, StoreError> {
    sqlx::query_as(
        "SELECT day, starts_at, ends_at, title, place FROM event_sessions WHERE event_id = $1 \
         ORDER BY day, starts_at, id",
    )
    .bind(event_id)
    .fetch_all(&mut *conn)
    .await
    .store()
}

/// Replaces an event's sessions.
pub async fn set_sessions(
    conn: &mut Conn,
    event_id: i64,
    sessions: &[SessionRow],
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM event_sessions WHERE event_id = $1")
        .bind(event_id)
        .execute(&mut *conn)
        .await
        .store()?;
    for s in sessions {
        sqlx::query(
            "INSERT INTO event_sessions (event_id, day, starts_at, ends_at, title, place) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(event_id)
        .bind(&s.day)
        .bind(&s.starts_at)
        .bind(&s.ends_at)
        .bind(&s.title)
        .bind(&s.place)
        .execute(&mut *conn)
        .await
        .store()?;
    }
    Ok(())
}
