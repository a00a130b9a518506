//! Courses: skills courses for workers and training camps for cadres, held by a unit
//! with sessions within their days; the cadre register of who completed leadership
//! training; the figures per subtree. Trainees, attendance, assessment, certificates
//! and their public check are in `training`.

mod training;

pub use training::{AssessmentInput, AttendanceInput, CourseCertificate, TraineeInput};

use crate::error::Check;
use crate::{page_size, Actor, App, AppError};
use muster_domain::courses::{
    check_min_attendance, check_session_day, completed, Assessment, CourseKind,
};
use muster_domain::unit::{optional_text, required_text};
use muster_domain::user::Permission;
use muster_domain::Date;
use muster_store::courses::{self as store, CourseFields, CourseRow};
use muster_store::Conn;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct CourseView {
    pub id: i64,
    /// The unit that holds it.
    pub unit_code: String,
    /// `skills` or `cadre`.
    pub kind: String,
    pub name: String,
    pub place: Option<String>,
    pub trainer: Option<String>,
    pub starts_on: String,
    pub ends_on: String,
    /// The share of sessions, in percent, completing asks to have attended.
    pub min_attendance: i64,
    /// Whether completing also asks a passed assessment.
    pub assessed: bool,
    /// Its sessions and its trainees of the reader's subtree (on one course's answer).
    pub sessions: Vec<SessionView>,
    pub trainees: Vec<TraineeView>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct SessionView {
    pub id: i64,
    pub day: String,
    pub title: String,
    pub place: Option<String>,
    pub trainer: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct TraineeView {
    pub id: i64,
    pub person_id: i64,
    pub name: String,
    pub unit_code: String,
    /// The sessions they attended.
    pub attended: Vec<i64>,
    /// `passed` or `failed`.
    pub assessment: Option<String>,
    /// Whether they meet what completing asks.
    pub completes: bool,
    pub completed_on: Option<String>,
    /// The certificate's code, once given.
    pub certificate: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct CourseInput {
    /// The unit that holds it.
    pub unit_code: Option<String>,
    /// `skills` (the default) or `cadre`.
    pub kind: Option<String>,
    pub name: Option<String>,
    pub place: Option<String>,
    pub trainer: Option<String>,
    pub starts_on: Option<String>,
    /// The last day; the first when not given.
    pub ends_on: Option<String>,
    /// 1 to 100; 80 when not given.
    pub min_attendance: Option<i64>,
    #[serde(default)]
    pub assessed: bool,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct SessionInput {
    pub day: Option<String>,
    pub title: Option<String>,
    pub place: Option<String>,
    pub trainer: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CourseQuery {
    /// A unit code; the caller's own unit when not given (for the figures).
    pub unit: Option<String>,
    pub limit: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct TrainedView {
    pub course_id: i64,
    pub course: String,
    pub kind: String,
    pub person_id: i64,
    pub name: String,
    pub unit_code: String,
    pub starts_on: String,
    pub completed_on: Option<String>,
    pub certificate: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct CourseFigures {
    pub unit_code: String,
    /// `total` for the unit's whole subtree, `child` for each unit right below it.
    pub row: String,
    /// Courses held by its units.
    pub courses: i64,
    /// People of its units who took a course, and who completed one with a certificate.
    pub trained: i64,
    pub certified: i64,
}

pub(crate) fn trained_view(r: store::TrainedRow) -> TrainedView {
    TrainedView {
        course_id: r.course_id,
        course: r.course,
        kind: r.kind,
        person_id: r.person_id,
        name: r.full_name,
        unit_code: r.unit_code,
        starts_on: r.starts_on,
        completed_on: r.completed_on,
        certificate: r.certificate,
    }
}

/// A course the actor may open.
pub(crate) async fn find(conn: &mut Conn, actor: &Actor, id: i64) -> Result<CourseRow, AppError> {
    store::by_id(conn, actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound("course"))
}

fn brief(c: CourseRow) -> CourseView {
    CourseView {
        id: c.id,
        unit_code: c.unit_code,
        kind: c.kind,
        name: c.name,
        place: c.place,
        trainer: c.trainer,
        starts_on: c.starts_on,
        ends_on: c.ends_on,
        min_attendance: c.min_attendance,
        assessed: c.assessed != 0,
        sessions: Vec::new(),
        trainees: Vec::new(),
    }
}

/// A course with its sessions and its trainees of the actor's subtree.
pub(crate) async fn full(
    conn: &mut Conn,
    actor: &Actor,
    c: CourseRow,
) -> Result<CourseView, AppError> {
    let sessions = store::sessions(conn, c.id).await?;
    let attendance = store::attendance(conn, c.id).await?;
    let trainees = store::trainees(conn, actor.scope(), c.id).await?;
    let n = sessions.len() as i64;
    let (min, assessed) = (c.min_attendance, c.assessed != 0);
    let mut v = brief(c);
    v.trainees = trainees
        .into_iter()
        .map(|t| {
            let assessment = t
                .assessment
                .as_deref()
                .and_then(|a| Assessment::parse(a).ok());
            TraineeView {
                attended: attendance
                    .iter()
                    .filter(|(tr, _)| *tr == t.id)
                    .map(|(_, s)| *s)
                    .collect(),
                completes: completed(n, t.attended, min, assessed, assessment),
                id: t.id,
                person_id: t.person_id,
                name: t.full_name,
                unit_code: t.unit_code,
                assessment: t.assessment,
                completed_on: t.completed_on,
                certificate: t.certificate,
            }
        })
        .collect();
    v.sessions = sessions
        .into_iter()
        .map(|s| SessionView {
            id: s.id,
            day: s.day,
            title: s.title,
            place: s.place,
            trainer: s.trainer,
        })
        .collect();
    Ok(v)
}

impl App {
    /// Courses held in the caller's subtree or above it, latest first.
    pub async fn courses(
        &self,
        actor: &Actor,
        q: &CourseQuery,
    ) -> Result<Vec<CourseView>, AppError> {
        let mut conn = self.db().read().await?;
        Ok(store::list(&mut conn, actor.scope(), page_size(q.limit))
            .await?
            .into_iter()
            .map(brief)
            .collect())
    }

    /// One course with its sessions and trainees.
    pub async fn course(&self, actor: &Actor, id: i64) -> Result<CourseView, AppError> {
        let mut conn = self.db().read().await?;
        let c = find(&mut conn, actor, id).await?;
        full(&mut conn, actor, c).await
    }

    /// Declares a course held by a unit of the caller's subtree.
    pub async fn create_course(
        &self,
        actor: &Actor,
        input: CourseInput,
    ) -> Result<CourseView, AppError> {
        let permit = actor.permit(Permission::Govern)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let mut check = Check::default();
        let unit =
            crate::events::unit_field(&mut tx, &mut check, input.unit_code.as_deref()).await?;
        let kind = match input
            .kind
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty())
        {
            None => Some(CourseKind::Skills),
            Some(k) => check.take("kind", CourseKind::parse(k)),
        };
        let name = check.take(
            "name",
            required_text(input.name.as_deref().unwrap_or(""), 200),
        );
        let place = check
            .take("place", optional_text(input.place.as_deref(), 200))
            .flatten();
        let trainer = check
            .take("trainer", optional_text(input.trainer.as_deref(), 200))
            .flatten();
        let starts = match input
            .starts_on
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => {
                check.fail("starts_on", "required");
                None
            }
            Some(s) => check.take("starts_on", Date::parse_iso(s)),
        };
        let ends = match input
            .ends_on
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => starts,
            Some(s) => check.take("ends_on", Date::parse_iso(s)),
        };
        if let (Some(s), Some(e)) = (starts, ends) {
            if e < s || e > s.add_days(366) {
                check.fail("ends_on", "invalid_period");
            }
        }
        let min = check.take(
            "min_attendance",
            check_min_attendance(input.min_attendance.unwrap_or(80)),
        );
        check.finish()?;
        let (Some(unit), Some(kind), Some(name), Some(starts), Some(ends), Some(min)) =
            (unit, kind, name, starts, ends, min)
        else {
            return Err(AppError::Internal("checked course".into()));
        };
        let f = CourseFields {
            tree_id: unit.tree_id,
            unit_id: unit.id,
            kind: kind.as_str().into(),
            name,
            place,
            trainer,
            starts_on: starts.to_string(),
            ends_on: ends.to_string(),
            min_attendance: min,
            assessed: input.assessed,
        };
        let now = tx.now().to_string();
        let id = store::insert(&mut tx, &f, &now).await?;
        tx.audit(
            "create",
            "course",
            id,
            Some(unit.id),
            None,
            Some(serde_json::json!({ "kind": f.kind, "name": f.name, "starts_on": f.starts_on, "ends_on": f.ends_on })),
        )
        .await?;
        let c = find(&mut tx, actor, id).await?;
        let v = full(&mut tx, actor, c).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Adds a session on one of the course's days: by the holding unit's subtree.
    pub async fn add_course_session(
        &self,
        actor: &Actor,
        course: i64,
        input: SessionInput,
    ) -> Result<CourseView, AppError> {
        let permit = actor.permit(Permission::Govern)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let c = held(&mut tx, actor, course).await?;
        let mut check = Check::default();
        let day = match input
            .day
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => {
                check.fail("day", "required");
                None
            }
            Some(s) => check.take("day", Date::parse_iso(s)),
        };
        if let (Some(d), Ok(s), Ok(e)) = (
            day,
            Date::parse_iso(&c.starts_on),
            Date::parse_iso(&c.ends_on),
        ) {
            check.take("day", check_session_day(d, s, e));
        }
        let title = check.take(
            "title",
            required_text(input.title.as_deref().unwrap_or(""), 200),
        );
        let place = check
            .take("place", optional_text(input.place.as_deref(), 200))
            .flatten();
        let trainer = check
            .take("trainer", optional_text(input.trainer.as_deref(), 200))
            .flatten();
        check.finish()?;
        let (Some(day), Some(title)) = (day, title) else {
            return Err(AppError::Internal("checked session".into()));
        };
        let id = store::add_session(
            &mut tx,
            c.id,
            &day.to_string(),
            &title,
            place.as_deref(),
            trainer.as_deref(),
        )
        .await?;
        tx.audit(
            "add_session",
            "course",
            c.id,
            Some(c.unit_id),
            None,
            Some(serde_json::json!({ "session": id, "day": day.to_string(), "title": title })),
        )
        .await?;
        let c = find(&mut tx, actor, c.id).await?;
        let v = full(&mut tx, actor, c).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Who completed a cadre course, in the caller's subtree.
    pub async fn cadre_register(
        &self,
        actor: &Actor,
        q: &CourseQuery,
    ) -> Result<Vec<TrainedView>, AppError> {
        let mut conn = self.db().read().await?;
        let scope = match q.unit.as_deref().filter(|u| !u.trim().is_empty()) {
            Some(code) => muster_store::Scope::Subtree(
                crate::units::find_in_scope(&mut conn, actor.scope(), code)
                    .await?
                    .id,
            ),
            None => actor.scope(),
        };
        Ok(store::cadre_register(&mut conn, scope, page_size(q.limit))
            .await?
            .into_iter()
            .map(trained_view)
            .collect())
    }

    /// Courses held, people trained and certified, for a subtree and each unit right
    /// below it.
    pub async fn course_figures(
        &self,
        actor: &Actor,
        q: &CourseQuery,
    ) -> Result<Vec<CourseFigures>, AppError> {
        let mut conn = self.db().read().await?;
        let unit = crate::schemes::tree_of(&mut conn, actor, q.unit.as_deref()).await?;
        let children = muster_store::governance::children(&mut conn, unit.id).await?;
        let mut roots = vec![(unit.id, unit.code.clone(), "total")];
        roots.extend(children.into_iter().map(|(id, code)| (id, code, "child")));
        let ids: Vec<i64> = roots.iter().map(|(id, _, _)| *id).collect();
        let figures = store::figures(&mut conn, &ids).await?;
        Ok(roots
            .into_iter()
            .map(|(id, code, row)| {
                let (_, courses, trained, certified) = figures
                    .iter()
                    .find(|f| f.0 == id)
                    .copied()
                    .unwrap_or((id, 0, 0, 0));
                CourseFigures {
                    unit_code: code,
                    row: row.into(),
                    courses,
                    trained,
                    certified,
                }
            })
            .collect())
    }
}

/// A course held by a unit of the actor's subtree (one held above is only taken).
pub(crate) async fn held(conn: &mut Conn, actor: &Actor, id: i64) -> Result<CourseRow, AppError> {
    let c = find(conn, actor, id).await?;
    if !muster_store::units::in_scope(conn, actor.scope(), c.unit_id).await? {
        return Err(AppError::Forbidden);
    }
    Ok(c)
}
