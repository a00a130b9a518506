//! Taking a course: a unit's members enrolled in a course held by it or above it,
//! attendance per session, the assessment, and a certificate (with a code anyone can
//! check) only for those who completed it.

use super::{find, full, held, trained_view, CourseView, TrainedView};
use crate::error::Check;
use crate::{Actor, App, AppError};
use muster_domain::courses::{completed, Assessment};
use muster_domain::user::Permission;
use muster_domain::Date;
use muster_store::courses as store;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct TraineeInput {
    pub person_id: Option<i64>,
    pub member_number: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct AttendanceInput {
    /// The trainees (ids) who came; the caller's other trainees did not.
    #[serde(default)]
    pub present: Vec<i64>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct AssessmentInput {
    /// `passed`, `failed`, or empty to clear it.
    pub assessment: Option<String>,
}

/// What a course certificate's code confirms.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct CourseCertificate {
    pub code: String,
    pub name: String,
    pub course: String,
    pub kind: String,
    pub held_by: String,
    pub starts_on: String,
    pub ends_on: String,
    pub completed_on: String,
}

impl App {
    /// Enrolls a member of the caller's subtree in a course held by their unit or one
    /// above it.
    pub async fn add_trainee(
        &self,
        actor: &Actor,
        course: i64,
        input: TraineeInput,
    ) -> Result<CourseView, AppError> {
        let permit = actor.permit(Permission::EditRegistry)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let c = find(&mut tx, actor, course).await?;
        if let Some(p) = input.person_id {
            crate::members::find_member(&mut tx, actor, p).await?;
        }
        let mut check = Check::default();
        let person = crate::members::member_field(
            &mut tx,
            actor,
            &mut check,
            Some(c.tree_id),
            input.person_id,
            input.member_number.as_deref(),
            None,
        )
        .await?;
        if person.is_none() && !check.has("member_number") {
            check.fail("person_id", "required");
        }
        check.finish()?;
        let Some(person) = person else {
            return Err(AppError::Internal("checked trainee".into()));
        };
        let (_, m) = crate::members::find_member(&mut tx, actor, person).await?;
        let now = tx.now().to_string();
        let Some(id) = store::add_trainee(&mut tx, c.id, person, m.unit_id, &now).await? else {
            return Err(AppError::Conflict {
                field: "person_id".into(),
                code: "already_enrolled".into(),
            });
        };
        tx.audit(
            "add_trainee",
            "course",
            c.id,
            Some(m.unit_id),
            None,
            Some(serde_json::json!({ "trainee": id, "person": person })),
        )
        .await?;
        let v = full(&mut tx, actor, c).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Records who came to a session, among the caller's trainees of the course.
    pub async fn record_course_attendance(
        &self,
        actor: &Actor,
        course: i64,
        session: i64,
        input: AttendanceInput,
    ) -> Result<CourseView, AppError> {
        let permit = actor.permit(Permission::EditRegistry)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let c = find(&mut tx, actor, course).await?;
        if !store::sessions(&mut tx, c.id)
            .await?
            .iter()
            .any(|s| s.id == session)
        {
            return Err(AppError::NotFound("session"));
        }
        let mine: Vec<i64> = store::trainees(&mut tx, actor.scope(), c.id)
            .await?
            .into_iter()
            .map(|t| t.id)
            .collect();
        if input.present.iter().any(|p| !mine.contains(p)) {
            return Err(AppError::field("present", "unknown_trainee"));
        }
        store::set_attendance(&mut tx, session, &mine, &input.present).await?;
        tx.audit(
            "attendance",
            "course",
            c.id,
            Some(c.unit_id),
            None,
            Some(serde_json::json!({ "session": session, "present": input.present })),
        )
        .await?;
        let v = full(&mut tx, actor, c).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Records a trainee's assessment: by the subtree of the unit holding the course.
    pub async fn assess_trainee(
        &self,
        actor: &Actor,
        course: i64,
        trainee: i64,
        input: AssessmentInput,
    ) -> Result<CourseView, AppError> {
        let permit = actor.permit(Permission::EditRegistry)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let c = held(&mut tx, actor, course).await?;
        let t = store::trainee(&mut tx, trainee)
            .await?
            .filter(|t| t.course_id == c.id)
            .ok_or(AppError::NotFound("trainee"))?;
        let assessment = match input
            .assessment
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(a) => {
                Some(Assessment::parse(a).map_err(|e| AppError::field("assessment", e.code))?)
            }
        };
        if t.certificate.is_some() {
            return Err(AppError::Conflict {
                field: "assessment".into(),
                code: "certified".into(),
            });
        }
        store::set_assessment(&mut tx, t.id, assessment.map(|a| a.as_str())).await?;
        tx.audit(
            "assess",
            "course",
            c.id,
            Some(t.unit_id),
            None,
            Some(serde_json::json!({ "trainee": t.id, "assessment": assessment.map(|a| a.as_str()) })),
        )
        .await?;
        let v = full(&mut tx, actor, c).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Gives a trainee who completed the course a certificate with a code anyone can
    /// check; refused for one who did not complete it.
    pub async fn certify_trainee(
        &self,
        actor: &Actor,
        course: i64,
        trainee: i64,
    ) -> Result<CourseView, AppError> {
        let permit = actor.permit(Permission::Govern)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let c = held(&mut tx, actor, course).await?;
        let t = store::trainee(&mut tx, trainee)
            .await?
            .filter(|t| t.course_id == c.id)
            .ok_or(AppError::NotFound("trainee"))?;
        if t.certificate.is_some() {
            return Err(AppError::Conflict {
                field: "trainee".into(),
                code: "certified".into(),
            });
        }
        let sessions = store::sessions(&mut tx, c.id).await?.len() as i64;
        let assessment = t
            .assessment
            .as_deref()
            .and_then(|a| Assessment::parse(a).ok());
        if !completed(
            sessions,
            t.attended,
            c.min_attendance,
            c.assessed != 0,
            assessment,
        ) {
            return Err(AppError::field("trainee", "not_completed"));
        }
        let code = crate::events::desk::new_ticket();
        let today = Date::today();
        let ends = Date::parse_iso(&c.ends_on).unwrap_or(today);
        let on = if ends < today { ends } else { today }.to_string();
        store::certify(&mut tx, t.id, &on, &code).await?;
        tx.audit(
            "certify",
            "course",
            c.id,
            Some(t.unit_id),
            None,
            Some(
                serde_json::json!({ "trainee": t.id, "person": t.person_id, "certificate": code }),
            ),
        )
        .await?;
        let v = full(&mut tx, actor, c).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// What a course certificate's code confirms, for anyone who holds the code.
    pub async fn verify_course_certificate(
        &self,
        code: &str,
    ) -> Result<CourseCertificate, AppError> {
        let code =
            muster_domain::events::parse_ticket(code).ok_or(AppError::NotFound("certificate"))?;
        let mut conn = self.db().read().await?;
        let c = store::certificate(&mut conn, &code)
            .await?
            .ok_or(AppError::NotFound("certificate"))?;
        Ok(CourseCertificate {
            code,
            name: c.full_name,
            course: c.course,
            kind: c.kind,
            held_by: c.unit_name,
            starts_on: c.starts_on,
            ends_on: c.ends_on,
            completed_on: c.completed_on,
        })
    }

    /// The courses a member of the caller's subtree took.
    pub async fn courses_of(
        &self,
        actor: &Actor,
        person: i64,
    ) -> Result<Vec<TrainedView>, AppError> {
        let mut conn = self.db().read().await?;
        crate::members::find_member(&mut conn, actor, person).await?;
        Ok(store::courses_of(&mut conn, person)
            .await?
            .into_iter()
            .map(trained_view)
            .collect())
    }
}
