//! Courses: skills courses and cadre camps held by a unit, their sessions, their
//! trainees with attendance, assessment and certificate, the cadre register and the
//! figures per subtree.

use crate::error::{ResultExt, StoreError};
use crate::{id_list, Conn, Scope};
use sqlx::{AssertSqlSafe, FromRow};

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct CourseRow {
    pub id: i64,
    pub tree_id: i64,
    pub unit_id: i64,
    pub unit_code: String,
    pub kind: String,
    pub name: String,
    pub place: Option<String>,
    pub trainer: Option<String>,
    pub starts_on: String,
    pub ends_on: String,
    pub min_attendance: i64,
    pub assessed: i64,
}

/// A course's fields as written, already checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseFields {
    pub tree_id: i64,
    pub unit_id: i64,
    pub kind: String,
    pub name: String,
    pub place: Option<String>,
    pub trainer: Option<String>,
    pub starts_on: String,
    pub ends_on: String,
    pub min_attendance: i64,
    pub assessed: bool,
}

const COURSE: &str = "SELECT c.id, c.tree_id, c.unit_id, u.code AS unit_code, c.kind, c.name, c.place, \
     c.trainer, c.starts_on, c.ends_on, c.min_attendance, c.assessed FROM courses c JOIN units u ON u.id = c.unit_id";

/// Courses a caller may open: held in their subtree or by a unit above it (whose
/// courses their members take).
fn visible(scope: Scope, one: bool) -> String {
    let mine = if one {
        scope.holds("c.unit_id", 1)
    } else {
        scope.condition("c.unit_id", 1)
    };
    format!(
        "({mine} OR c.unit_id IN (SELECT ancestor_id FROM unit_closure WHERE descendant_id = $1))"
    )
}

pub async fn insert(conn: &mut Conn, f: &CourseFields, now: &str) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "INSERT INTO courses (tree_id, unit_id, kind, name, place, trainer, starts_on, ends_on, min_attendance, \
         assessed, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
    )
    .bind(f.tree_id)
    .bind(f.unit_id)
    .bind(&f.kind)
    .bind(&f.name)
    .bind(&f.place)
    .bind(&f.trainer)
    .bind(&f.starts_on)
    .bind(&f.ends_on)
    .bind(f.min_attendance)
    .bind(i64::from(f.assessed))
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .store()
}

pub async fn by_id(
    conn: &mut Conn,
    scope: Scope,
    id: i64,
) -> Result<Option<CourseRow>, StoreError> {
    let sql = format!("{COURSE} WHERE c.id = $2 AND {}", visible(scope, true));
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .store()
}

pub async fn list(conn: &mut Conn, scope: Scope, limit: i64) -> Result<Vec<CourseRow>, StoreError> {
    let sql = format!(
        "{COURSE} WHERE {} ORDER BY c.starts_on DESC, c.id DESC LIMIT $2",
        visible(scope, false)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(limit)
        .fetch_all(&mut *conn)
        .await
        .store()
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct SessionRow {
    pub id: i64,
    pub course_id: i64,
    pub day: String,
    pub title: String,
    pub place: Option<String>,
    pub trainer: Option<String>,
}

pub async fn sessions(conn: &mut Conn, course: i64) -> Result<Vec<SessionRow>, StoreError> {
    sqlx::query_as(
        "SELECT id, course_id, day, title, place, trainer FROM course_sessions WHERE course_id = $1 ORDER BY day, id",
    )
    .bind(course)
    .fetch_all(&mut *conn)
    .await
    .store()
}

pub async fn add_session(
    conn: &mut Conn,
    course: i64,
    day: &str,
    title: &str,
    place: Option<&str>,
    trainer: Option<&str>,
) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "INSERT INTO course_sessions (course_id, day, title, place, trainer) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(course)
    .bind(day)
    .bind(title)
    .bind(place)
    .bind(trainer)
    .fetch_one(&mut *conn)
    .await
    .store()
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct TraineeRow {
    pub id: i64,
    pub course_id: i64,
    pub person_id: i64,
    pub full_name: String,
    pub unit_id: i64,
    pub unit_code: String,
    pub assessment: Option<String>,
    pub completed_on: Option<String>,
    pub certificate: Option<String>,
    pub attended: i64,
}

const TRAINEE: &str =
    "SELECT t.id, t.course_id, t.person_id, p.full_name, t.unit_id, u.code AS unit_code, \
     t.assessment, t.completed_on, t.certificate, \
     (SELECT COUNT(*) FROM course_attendance a WHERE a.trainee_id = t.id) AS attended \
     FROM course_trainees t JOIN people p ON p.id = t.person_id JOIN units u ON u.id = t.unit_id";

/// A course's trainees of units in `scope`, by name.
pub async fn trainees(
    conn: &mut Conn,
    scope: Scope,
    course: i64,
) -> Result<Vec<TraineeRow>, StoreError> {
    let sql = format!(
        "{TRAINEE} WHERE t.course_id = $2 AND {} ORDER BY p.sort_key, t.id",
        scope.condition("t.unit_id", 1)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(course)
        .fetch_all(&mut *conn)
        .await
        .store()
}

pub async fn trainee(conn: &mut Conn, id: i64) -> Result<Option<TraineeRow>, StoreError> {
    sqlx::query_as(AssertSqlSafe(format!("{TRAINEE} WHERE t.id = $1")))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .store()
}

/// Adds a trainee; `None` when the person takes the course already.
pub async fn add_trainee(
    conn: &mut Conn,
    course: i64,
    person: i64,
    unit: i64,
    now: &str,
) -> Result<Option<i64>, StoreError> {
    let taken: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM course_trainees WHERE course_id = $1 AND person_id = $2",
    )
    .bind(course)
    .bind(person)
    .fetch_optional(&mut *conn)
    .await
    .store()?;
    if taken.is_some() {
        return Ok(None);
    }
    sqlx::query_scalar(
        "INSERT INTO course_trainees (course_id, person_id, unit_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(course)
    .bind(person)
    .bind(unit)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .store()
    .map(Some)
}

/// Sets who attended a session among `trainees` (those not in `present` did not).
pub async fn set_attendance(
    conn: &mut Conn,
    session: i64,
    trainees: &[i64],
    present: &[i64],
) -> Result<(), StoreError> {
    if trainees.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "DELETE FROM course_attendance WHERE session_id = $1 AND trainee_id IN ({})",
        id_list(trainees)
    );
    sqlx::query(AssertSqlSafe(sql))
        .bind(session)
        .execute(&mut *conn)
        .await
        .store()?;
    for t in present {
        sqlx::query("INSERT INTO course_attendance (session_id, trainee_id) VALUES ($1, $2)")
            .bind(session)
            .bind(t)
            .execute(&mut *conn)
            .await
            .store()?;
    }
    Ok(())
}

/// The sessions each trainee of a course attended: (trainee, session).
pub async fn attendance(conn: &mut Conn, course: i64) -> Result<Vec<(i64, i64)>, StoreError> {
    sqlx::query_as(
        "SELECT a.trainee_id, a.session_id FROM course_attendance a JOIN course_sessions s ON s.id = a.session_id \
         WHERE s.course_id = $1",
    )
    .bind(course)
    .fetch_all(&mut *conn)
    .await
    .store()
}

pub async fn set_assessment(
    conn: &mut Conn,
    trainee: i64,
    assessment: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE course_trainees SET assessment = $2 WHERE id = $1")
        .bind(trainee)
        .bind(assessment)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

pub async fn certify(
    conn: &mut Conn,
    trainee: i64,
    on: &str,
    code: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE course_trainees SET completed_on = $2, certificate = $3 WHERE id = $1 AND certificate IS NULL")
        .bind(trainee)
        .bind(on)
        .bind(code)
        .execute(&mut *conn)
        .await
        .store()?;
    Ok(())
}

/// What a course certificate's code names.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct CertificateRow {
    pub full_name: String,
    pub course: String,
    pub kind: String,
    pub unit_name: String,
    pub unit_code: String,
    pub starts_on: String,
    pub ends_on: String,
    pub completed_on: String,
}

pub async fn certificate(
    conn: &mut Conn,
    code: &str,
) -> Result<Option<CertificateRow>, StoreError> {
    sqlx::query_as(
        "SELECT p.full_name, c.name AS course, c.kind, u.name AS unit_name, u.code AS unit_code, c.starts_on, \
         c.ends_on, t.completed_on FROM course_trainees t JOIN courses c ON c.id = t.course_id \
         JOIN people p ON p.id = t.person_id JOIN units u ON u.id = c.unit_id \
         WHERE t.certificate = $1 AND t.completed_on IS NOT NULL",
    )
    .bind(code)
    .fetch_optional(&mut *conn)
    .await
    .store()
}

/// One line of a person's courses or of the cadre register.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct TrainedRow {
    pub course_id: i64,
    pub course: String,
    pub kind: String,
    pub person_id: i64,
    pub full_name: String,
    pub unit_code: String,
    pub starts_on: String,
    pub completed_on: Option<String>,
    pub certificate: Option<String>,
}

const TRAINED: &str = "SELECT c.id AS course_id, c.name AS course, c.kind, t.person_id, p.full_name, \
     u.code AS unit_code, c.starts_on, t.completed_on, t.certificate FROM course_trainees t \
     JOIN courses c ON c.id = t.course_id JOIN people p ON p.id = t.person_id JOIN units u ON u.id = t.unit_id";

pub async fn courses_of(conn: &mut Conn, person: i64) -> Result<Vec<TrainedRow>, StoreError> {
    sqlx::query_as(AssertSqlSafe(format!(
        "{TRAINED} WHERE t.person_id = $1 ORDER BY c.starts_on DESC"
    )))
    .bind(person)
    .fetch_all(&mut *conn)
    .await
    .store()
}

/// Who completed a cadre course, of units in `scope`, latest first.
pub async fn cadre_register(
    conn: &mut Conn,
    scope: Scope,
    limit: i64,
) -> Result<Vec<TrainedRow>, StoreError> {
    let sql = format!(
        "{TRAINED} WHERE c.kind = 'cadre' AND t.completed_on IS NOT NULL AND {} \
         ORDER BY t.completed_on DESC, p.sort_key LIMIT $2",
        scope.condition("t.unit_id", 1)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(limit)
        .fetch_all(&mut *conn)
        .await
        .store()
}

/// For each of `roots`' subtrees: courses held there, people trained there (trainees
/// of its units), and of those who completed: (root, courses, trained, completed).
pub async fn figures(
    conn: &mut Conn,
    roots: &[i64],
) -> Result<Vec<(i64, i64, i64, i64)>, StoreError> {
    if roots.is_empty() {
        return Ok(Vec::new());
    }
    let list = id_list(roots);
    let sql = format!(
        "SELECT r.id, \
         (SELECT COUNT(*) FROM courses c JOIN unit_closure cl ON cl.descendant_id = c.unit_id WHERE cl.ancestor_id = r.id), \
         (SELECT COUNT(*) FROM course_trainees t JOIN unit_closure cl ON cl.descendant_id = t.unit_id WHERE cl.ancestor_id = r.id), \
         (SELECT COUNT(*) FROM course_trainees t JOIN unit_closure cl ON cl.descendant_id = t.unit_id \
           WHERE cl.ancestor_id = r.id AND t.completed_on IS NOT NULL) \
         FROM units r WHERE r.id IN ({list})"
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await
        .store()
}
