//! Work on a kept case: what was done, where it stands, its documents, and its referral
//! to the desk of a unit above.

use super::*;

impl App {
    /// Records what was done on a case; a reply ends its step, and the next step's
    /// deadline counts from the reply's day.
    pub async fn record_case_activity(
        &self,
        actor: &Actor,
        id: i64,
        input: ActivityInput,
    ) -> Result<CaseView, AppError> {
        let permit = actor.permit(Permission::Casework)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let c = find_kept(&mut tx, actor, id).await?;
        let mut check = Check::default();
        let kind = check.take(
            "kind",
            ActivityKind::parse(input.kind.as_deref().unwrap_or("")),
        );
        let day = day_or_today(&mut check, "on_day", input.on_day.as_deref());
        let text = check
            .take("text", optional_text(input.text.as_deref(), 10_000))
            .flatten();
        if let Some(d) = day {
            if d.to_string() < c.opened_on {
                check.fail("on_day", "before_opened");
            }
        }
        check.finish()?;
        let (Some(kind), Some(day)) = (kind, day) else {
            return Err(AppError::Internal("checked activity".into()));
        };
        let status = CaseStatus::parse(&c.status).map_err(|e| AppError::Internal(e.code.into()))?;
        if status.is_done() {
            return Err(AppError::Conflict {
                field: "status".into(),
                code: "case_done".into(),
            });
        }
        let now = tx.now().to_string();
        store::add_activity(
            &mut tx,
            c.id,
            kind.as_str(),
            &day.to_string(),
            text.as_deref(),
            actor.username(),
            &now,
        )
        .await?;
        let steps = parse_steps(&c.steps).unwrap_or_default();
        let (step, step_from, due) = if kind == ActivityKind::Reply {
            let next = c.step + 1;
            (
                next,
                day.to_string(),
                due_on(&steps, next as usize, day).map(|d| d.to_string()),
            )
        } else {
            (c.step, c.step_from.clone(), c.due_on.clone())
        };
        let state = CaseState {
            status: if status == CaseStatus::Open {
                CaseStatus::InProgress.as_str().into()
            } else {
                c.status.clone()
            },
            step,
            step_from,
            due_on: due,
            resolved_on: None,
            resolve_days: None,
            outcome: c.outcome.clone(),
            assignee: c.assignee.clone(),
        };
        store::set_state(&mut tx, c.id, &state, &now).await?;
        touched_days(&mut tx, c.unit_id, &c, None);
        tx.audit(
            "activity",
            "case",
            c.id,
            Some(c.unit_id),
            None,
            Some(serde_json::json!({ "kind": kind.as_str(), "on_day": day.to_string() })),
        )
        .await?;
        let row = find(&mut tx, actor, id).await?;
        let v = view(&mut tx, actor, row, true).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Changes where a case stands; resolving or closing it needs an outcome.
    pub async fn set_case_status(
        &self,
        actor: &Actor,
        id: i64,
        input: StatusInput,
    ) -> Result<CaseView, AppError> {
        let permit = actor.permit(Permission::Casework)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let c = find_kept(&mut tx, actor, id).await?;
        let mut check = Check::default();
        let status = check.take(
            "status",
            CaseStatus::parse(input.status.as_deref().unwrap_or("")),
        );
        let outcome = check
            .take("outcome", optional_text(input.outcome.as_deref(), 5000))
            .flatten();
        if status.is_some_and(CaseStatus::is_done) && outcome.is_none() {
            check.fail("outcome", "required");
        }
        if status == Some(CaseStatus::Referred) {
            check.fail("status", "refer_to_a_unit");
        }
        let day = day_or_today(&mut check, "on_day", input.on_day.as_deref());
        if let Some(d) = day {
            if d.to_string() < c.opened_on {
                check.fail("on_day", "before_opened");
            } else if d > Date::today() {
                check.fail("on_day", "in_future");
            }
        }
        check.finish()?;
        let Some(status) = status else {
            return Err(AppError::Internal("checked status".into()));
        };
        let today = day.unwrap_or_else(Date::today);
        let (resolved_on, days) = if status.is_done() {
            let opened =
                Date::parse_iso(&c.opened_on).map_err(|e| AppError::Internal(e.code.into()))?;
            let on = c.resolved_on.clone().unwrap_or_else(|| today.to_string());
            let d = Date::parse_iso(&on).map_err(|e| AppError::Internal(e.code.into()))?;
            (Some(on), Some((d.to_days() - opened.to_days()).max(0)))
        } else {
            (None, None)
        };
        let state = CaseState {
            status: status.as_str().into(),
            step: c.step,
            step_from: c.step_from.clone(),
            due_on: c.due_on.clone(),
            resolved_on: resolved_on.clone(),
            resolve_days: days,
            outcome: outcome.or(c.outcome.clone()),
            assignee: c.assignee.clone(),
        };
        let now = tx.now().to_string();
        store::set_state(&mut tx, c.id, &state, &now).await?;
        touched_days(&mut tx, c.unit_id, &c, resolved_on.as_deref());
        tx.audit(
            "status",
            "case",
            c.id,
            Some(c.unit_id),
            Some(serde_json::json!({ "status": c.status })),
            Some(serde_json::json!({ "status": status.as_str() })),
        )
        .await?;
        let row = find(&mut tx, actor, id).await?;
        let v = view(&mut tx, actor, row, true).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Attaches a document to a case the actor's desk keeps: its type read from its
    /// bytes, at most `MAX_DOCUMENT_BYTES`.
    pub async fn attach_case_document(
        &self,
        actor: &Actor,
        id: i64,
        name: &str,
        bytes: &[u8],
    ) -> Result<DocumentView, AppError> {
        let permit = actor.permit(Permission::Casework)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let c = find_kept(&mut tx, actor, id).await?;
        let mut check = Check::default();
        let name = check.take("name", required_text(name, 200));
        let kind = check.take("file", muster_domain::cases::document_type(bytes));
        check.finish()?;
        let (Some(name), Some(kind)) = (name, kind) else {
            return Err(AppError::Internal("checked document".into()));
        };
        let now = tx.now().to_string();
        let doc =
            store::add_document(&mut tx, c.id, &name, kind, bytes, actor.username(), &now).await?;
        tx.audit(
            "document",
            "case",
            c.id,
            Some(c.unit_id),
            None,
            Some(serde_json::json!({ "document": doc, "name": name, "size": bytes.len() })),
        )
        .await?;
        tx.commit().await?;
        Ok(DocumentView {
            id: doc,
            name,
            content_type: kind.into(),
            size: bytes.len() as i64,
            by: actor.username().into(),
            at: now,
        })
    }

    /// A document of a case, for those who may read the case's notes only.
    pub async fn case_document(
        &self,
        actor: &Actor,
        id: i64,
        document: i64,
    ) -> Result<DocumentFile, AppError> {
        let mut conn = self.db().read().await?;
        let c = find(&mut conn, actor, id).await?;
        if !may_read_notes(
            actor.role(),
            c.assignee.as_deref() == Some(actor.username()),
        ) {
            return Err(AppError::Forbidden);
        }
        let d = store::document(&mut conn, c.id, document)
            .await?
            .ok_or(AppError::NotFound("document"))?;
        Ok(DocumentFile {
            name: d.name,
            content_type: d.content_type,
            bytes: d.bytes,
        })
    }

    /// Refers a case to the desk of a unit above: it acts on it from now, and the desk
    /// below keeps sight of it.
    pub async fn refer_case(
        &self,
        actor: &Actor,
        id: i64,
        input: ReferInput,
    ) -> Result<CaseView, AppError> {
        let permit = actor.permit(Permission::Casework)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let c = find_kept(&mut tx, actor, id).await?;
        let code = input
            .unit_code
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| AppError::field("unit_code", "required"))?;
        // The unit above need not be in the caller's subtree: a district refers up.
        let to = muster_store::units::by_code(&mut tx, code)
            .await?
            .ok_or_else(|| AppError::field("unit_code", "unknown_unit"))?;
        let above = to.id != c.unit_id
            && muster_store::units::depth_below(&mut tx, to.id, c.unit_id)
                .await?
                .is_some();
        if !above {
            return Err(AppError::field("unit_code", "not_a_unit_above"));
        }
        let note = optional_text(input.note.as_deref(), 5000)
            .map_err(|e| AppError::field("note", e.code))?;
        let now = tx.now().to_string();
        store::refer(&mut tx, c.id, to.id, c.unit_id, &now).await?;
        let state = CaseState {
            status: CaseStatus::Referred.as_str().into(),
            step: c.step,
            step_from: c.step_from.clone(),
            due_on: c.due_on.clone(),
            resolved_on: None,
            resolve_days: None,
            outcome: c.outcome.clone(),
            assignee: None,
        };
        store::set_state(&mut tx, c.id, &state, &now).await?;
        store::add_activity(
            &mut tx,
            c.id,
            ActivityKind::Note.as_str(),
            &Date::today().to_string(),
            note.as_deref(),
            actor.username(),
            &now,
        )
        .await?;
        touched_days(&mut tx, c.unit_id, &c, None);
        touched_days(&mut tx, to.id, &c, None);
        tx.audit(
            "refer",
            "case",
            c.id,
            Some(c.unit_id),
            Some(serde_json::json!({ "unit": c.unit_code })),
            Some(serde_json::json!({ "unit": to.code })),
        )
        .await?;
        let row = find(&mut tx, actor, id).await?;
        let v = view(&mut tx, actor, row, true).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Registers the person of a case opened for someone outside the registry as a
    /// member (of the case's unit unless another is named), with the registry's
    /// duplicate check, and makes the case theirs.
    pub async fn register_case_person(
        &self,
        actor: &Actor,
        id: i64,
        input: RegisterInput,
    ) -> Result<CaseView, AppError> {
        let permit = actor.permit(Permission::EditRegistry)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let c = find_kept(&mut tx, actor, id).await?;
        let Some((name, phone)) = store::outside_person(&mut tx, c.id).await? else {
            return Err(AppError::Conflict {
                field: "case".into(),
                code: "not_outside".into(),
            });
        };
        let member = crate::members::NewMember {
            unit_code: input
                .unit_code
                .clone()
                .filter(|u| !u.trim().is_empty())
                .unwrap_or_else(|| c.unit_code.clone()),
            person: crate::members::PersonInput {
                full_name: name,
                phone,
                gender: input.gender.clone(),
                ..crate::members::PersonInput::default()
            },
            allow_duplicate: input.allow_duplicate,
            ..crate::members::NewMember::default()
        };
        let person = crate::members::register(&mut tx, actor, &member).await?;
        let now = tx.now().to_string();
        store::set_person(&mut tx, c.id, person, &now).await?;
        tx.audit(
            "register_person",
            "case",
            c.id,
            Some(c.unit_id),
            None,
            Some(serde_json::json!({ "person": person, "allow_duplicate": input.allow_duplicate })),
        )
        .await?;
        let row = find(&mut tx, actor, c.id).await?;
        let v = view(&mut tx, actor, row, true).await?;
        tx.commit().await?;
        Ok(v)
    }
}
