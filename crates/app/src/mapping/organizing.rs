//! Organizing at one workplace: the workers known there, their support assessments, the organizing committee.

use super::*;

impl App {
    /// Everything a committee needs at one workplace.
    pub async fn organizing(&self, actor: &Actor, code: &str) -> Result<Organizing, AppError> {
        let mut conn = self.db().read().await?;
        let w = find(&mut conn, actor, code).await?;
        let id = w.id;
        let members = w.members;
        let departments = store::departments(&mut conn, id)
            .await?
            .into_iter()
            .map(|(_, n)| n)
            .collect();
        let headcounts = store::headcounts(&mut conn, id)
            .await?
            .into_iter()
            .map(|(as_of, headcount)| Headcount { as_of, headcount })
            .collect();
        let workers: Vec<Worker> = store::workers(&mut conn, id)
            .await?
            .into_iter()
            .map(|r| Worker {
                id: r.person_id,
                full_name: r.full_name,
                department: r.department,
                status: r.status,
                unit_code: r.unit_code,
                level: r.level,
                assessed_on: r.assessed_on,
                committee_role: r.committee_role,
            })
            .collect();
        let mut levels = [0i64; 5];
        let mut not_assessed = 0;
        for wk in &workers {
            match wk.level {
                Some(l @ 1..=5) => levels[(l - 1) as usize] += 1,
                _ => not_assessed += 1,
            }
        }
        let supporters = levels[0] + levels[1];
        let pct = |a: i64, b: i64| (b > 0).then(|| (a as f64 * 1000.0 / b as f64).round() / 10.0);
        let headcount = w.fields.headcount;
        let base = headcount.filter(|h| *h > 0).unwrap_or(workers.len() as i64);
        Ok(Organizing {
            supporters_share: pct(supporters, workers.len() as i64),
            supporters_of_headcount: headcount.and_then(|h| pct(supporters, h)),
            majority: base > 0 && supporters * 2 > base,
            levels,
            not_assessed,
            members,
            departments,
            headcounts,
            workers,
            workplace: w.into(),
        })
    }

    /// Records a worker at a workplace: a registered person, or someone new who is not
    /// a member.
    pub async fn add_worker(
        &self,
        actor: &Actor,
        code: &str,
        input: NewWorker,
    ) -> Result<i64, AppError> {
        let permit = actor.permit(Permission::EditRegistry)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let w = find(&mut tx, actor, code).await?;
        let mut check = Check::default();
        let department = check
            .take("department", optional_text(input.department.as_deref(), 80))
            .flatten();
        let now = tx.now().to_string();
        let name = match input.person_id {
            Some(id) => {
                if !crate::members::person_in_scope(&mut tx, actor, id, w.tree_id).await? {
                    check.fail("person_id", "unknown_person");
                }
                None
            }
            None => check.take(
                "full_name",
                required_text(input.full_name.as_deref().unwrap_or(""), 200),
            ),
        };
        check.finish()?;
        let person_id = match (input.person_id, name) {
            (Some(id), _) => id,
            (None, name) => {
                crate::members::insert_worker(
                    &mut tx,
                    w.tree_id,
                    name.as_deref().unwrap_or(""),
                    &now,
                )
                .await?
            }
        };
        let department_id = match &department {
            Some(d) => Some(store::department(&mut tx, w.id, d).await?),
            None => None,
        };
        crate::members::set_workplace(&mut tx, person_id, Some(w.id), department_id).await?;
        tx.audit(
            "add_worker",
            "workplace",
            w.id,
            Some(w.fields.unit_id),
            None,
            Some(serde_json::json!({ "person_id": person_id, "department": department })),
        )
        .await?;
        tx.commit().await?;
        Ok(person_id)
    }

    /// Records an assessment of a worker's support.
    pub async fn assess(
        &self,
        actor: &Actor,
        code: &str,
        input: NewAssessment,
    ) -> Result<(), AppError> {
        let permit = actor.permit(Permission::EditRegistry)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let w = find(&mut tx, actor, code).await?;
        let mut check = Check::default();
        let level = check.take("level", Support::parse(&input.level));
        let note = check
            .take("note", optional_text(input.note.as_deref(), 1000))
            .flatten();
        let on = check
            .opt("assessed_on", input.assessed_on.as_deref(), Date::parse_iso)
            .unwrap_or_else(Date::today);
        if on > Date::today() {
            check.fail("assessed_on", "in_future");
        }
        if !works_at(&mut tx, actor, input.person_id, &w).await? {
            check.fail("person_id", "not_a_worker_here");
        }
        check.finish()?;
        let Some(level) = level else {
            return Err(AppError::field("level", "invalid_support"));
        };
        let now = tx.now().to_string();
        let row = AssessmentRow {
            id: 0,
            person_id: input.person_id,
            level: i64::from(level.level()),
            note,
            assessed_on: on.to_string(),
            assessor: actor.username.clone(),
        };
        let id = store::add_assessment(&mut tx, w.id, &row, actor.user_id, &now).await?;
        tx.audit(
            "assess",
            "person",
            input.person_id,
            Some(w.fields.unit_id),
            None,
            Some(serde_json::json!({ "assessment": id, "workplace": w.fields.code, "level": row.level }))
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A worker's assessments at a workplace, latest first.
    pub async fn assessments(
        &self,
        actor: &Actor,
        code: &str,
        person_id: i64,
    ) -> Result<Vec<Assessment>, AppError> {
        let mut conn = self.db().read().await?;
        let w = find(&mut conn, actor, code).await?;
        if !works_at(&mut conn, actor, person_id, &w).await? {
            return Err(AppError::NotFound("worker"));
        }
        Ok(store::assessments(&mut conn, w.id, person_id)
            .await?
            .into_iter()
            .map(|a| Assessment {
                level: a.level,
                note: a.note,
                assessed_on: a.assessed_on,
                assessor: a.assessor,
            })
            .collect())
    }

    /// Gives a worker a seat on the workplace's organizing committee, or takes it away.
    pub async fn set_committee_seat(
        &self,
        actor: &Actor,
        code: &str,
        seat: CommitteeSeat,
    ) -> Result<(), AppError> {
        let permit = actor.permit(Permission::EditRegistry)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let w = find(&mut tx, actor, code).await?;
        let mut check = Check::default();
        let role = check
            .take("role", optional_text(seat.role.as_deref(), 80))
            .flatten();
        let since = check
            .opt("since", seat.since.as_deref(), Date::parse_iso)
            .map(|d| d.to_string());
        if !works_at(&mut tx, actor, seat.person_id, &w).await? {
            check.fail("person_id", "not_a_worker_here");
        }
        check.finish()?;
        store::set_committee_member(
            &mut tx,
            w.id,
            seat.person_id,
            role.as_deref(),
            since.as_deref(),
        )
        .await?;
        tx.audit(
            "committee",
            "workplace",
            w.id,
            Some(w.fields.unit_id),
            None,
            Some(serde_json::json!({ "person_id": seat.person_id, "role": role })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Whether someone works at workplace `w` and is the actor's to act on: a member of
/// another subtree who works here is not (their record is that subtree's).
pub(super) async fn works_at(
    conn: &mut Conn,
    actor: &Actor,
    person_id: i64,
    w: &muster_store::workplaces::WorkplaceRow,
) -> Result<bool, AppError> {
    Ok(
        crate::members::workplace_of(conn, person_id).await? == Some(w.id)
            && crate::members::person_in_scope(conn, actor, person_id, w.tree_id).await?,
    )
}
