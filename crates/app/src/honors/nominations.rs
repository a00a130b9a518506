//! Nominations: a unit nominates within its quota, each level up the tree gives its
//! word, the calling unit awards, and anyone holding a certificate's code can check it.

use super::*;

impl App {
    /// One nomination of the caller's subtree.
    pub async fn nomination(&self, actor: &Actor, id: i64) -> Result<NominationView, AppError> {
        let mut conn = self.db().read().await?;
        let n = find_nomination(&mut conn, actor, id).await?;
        let steps = store::steps(&mut conn, &[n.id]).await?;
        Ok(nomination_view(n, &steps))
    }

    /// Nominates a member of a unit's subtree, or someone outside the registry, within
    /// the unit's quota; the nomination then waits on the unit above.
    pub async fn nominate(
        &self,
        actor: &Actor,
        call_id: i64,
        input: NominationInput,
    ) -> Result<NominationView, AppError> {
        let permit = actor.permit(Permission::EditRegistry)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let h = find_call(&mut tx, actor, call_id).await?;
        if h.closes_on
            .as_deref()
            .is_some_and(|c| Date::today().to_string().as_str() > c)
        {
            return Err(AppError::field("closes_on", "nominations_closed"));
        }
        let mut check = Check::default();
        let code = input
            .unit_code
            .clone()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| h.unit_code.clone());
        let unit = crate::events::unit_field(&mut tx, &mut check, Some(&code)).await?;
        if let Some(u) = &unit {
            if muster_store::units::depth_below(&mut tx, h.unit_id, u.id)
                .await?
                .is_none()
            {
                check.fail("unit_code", "not_under_call");
            } else {
                let quota = quota_of(&mut tx, &h, u.id).await?;
                let taken = store::taken(&mut tx, h.id, u.id).await?;
                if let Err(e) = check_quota(quota, taken) {
                    check.fail("unit_code", e.code);
                }
            }
        }
        let field = if input.person_id.is_some() {
            "person_id"
        } else {
            "member_number"
        };
        let person = crate::members::member_field(
            &mut tx,
            actor,
            &mut check,
            Some(h.tree_id),
            input.person_id,
            input.member_number.as_deref(),
            unit.as_ref().map(|u| u.id),
        )
        .await?;
        let outside = check
            .take(
                "outside_name",
                optional_text(input.outside_name.as_deref(), 200),
            )
            .flatten();
        if person.is_none() && outside.is_none() && !check.has(field) {
            check.fail("person_id", "required");
        }
        let organization = check
            .take(
                "organization",
                optional_text(input.organization.as_deref(), 200),
            )
            .flatten();
        let citation = check
            .take("citation", optional_text(input.citation.as_deref(), 5000))
            .flatten();
        check.finish()?;
        let Some(unit) = unit else {
            return Err(AppError::Internal("checked nomination".into()));
        };
        let chain = store::chain(&mut tx, unit.id, h.unit_id).await?;
        let awaiting = next_approver(&chain, h.unit_id, 0).unwrap_or(h.unit_id);
        let n = NewNomination {
            call_id: h.id,
            unit_id: unit.id,
            person_id: person,
            outside_name: if person.is_some() { None } else { outside },
            organization,
            citation,
            awaiting_unit_id: awaiting,
        };
        let now = tx.now().to_string();
        let id = store::insert_nomination(&mut tx, &n, &now)
            .await
            .map_err(|e| match e {
                muster_store::StoreError::Conflict(_) => AppError::Conflict {
                    field: "person_id".into(),
                    code: "already_nominated".into(),
                },
                other => other.into(),
            })?;
        tx.audit(
            "nominate",
            "honor_call",
            h.id,
            Some(unit.id),
            None,
            Some(serde_json::json!({ "nomination": id, "person_id": person, "outside_name": n.outside_name })),
        )
        .await?;
        let row = find_nomination(&mut tx, actor, id).await?;
        tx.commit().await?;
        Ok(nomination_view(row, &[]))
    }

    /// A level's word on a nomination: approve (it climbs to the next unit up, or is
    /// approved once the calling unit approves), reject with a reason, or withdraw.
    pub async fn decide_nomination(
        &self,
        actor: &Actor,
        id: i64,
        input: StepInput,
    ) -> Result<NominationView, AppError> {
        let permit = actor.permit(Permission::Govern)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let n = find_nomination(&mut tx, actor, id).await?;
        let status =
            NominationStatus::parse(&n.status).map_err(|e| AppError::Internal(e.code.into()))?;
        let act = input.act.trim();
        check_step(status, act).map_err(|e| AppError::Conflict {
            field: "act".into(),
            code: if ["approve", "reject", "withdraw"].contains(&act) {
                e.code.into()
            } else {
                "invalid_act".into()
            },
        })?;
        let note = optional_text(input.note.as_deref(), 2000)
            .map_err(|e| AppError::field("note", e.code))?;
        let h = store::call(&mut tx, muster_store::Scope::All, n.call_id)
            .await?
            .ok_or(AppError::NotFound("honor_call"))?;
        let now = tx.now().to_string();
        // Approving and rejecting are the word of the unit awaited, or of one above it.
        let (step_unit, status, awaiting, approvals) = match act {
            "approve" | "reject" => {
                let awaited = n.awaiting_unit_id.unwrap_or(h.unit_id);
                if !muster_store::units::in_scope(&mut tx, actor.scope(), awaited).await? {
                    return Err(AppError::Forbidden);
                }
                if act == "reject" {
                    if note.is_none() {
                        return Err(AppError::field("note", "required"));
                    }
                    (awaited, NominationStatus::Rejected, None, n.approvals)
                } else {
                    let chain = store::chain(&mut tx, n.unit_id, h.unit_id).await?;
                    let approvals = n.approvals + 1;
                    match next_approver(&chain, h.unit_id, approvals as usize) {
                        Some(next) => (awaited, NominationStatus::Pending, Some(next), approvals),
                        None => (awaited, NominationStatus::Approved, None, approvals),
                    }
                }
            }
            _ => (n.unit_id, NominationStatus::Withdrawn, None, n.approvals),
        };
        store::set_state(&mut tx, n.id, status.as_str(), awaiting, approvals, &now).await?;
        store::add_step(
            &mut tx,
            n.id,
            step_unit,
            act,
            note.as_deref(),
            actor.username(),
            &now,
        )
        .await?;
        tx.audit(
            act,
            "nomination",
            n.id,
            Some(n.unit_id),
            Some(serde_json::json!({ "status": n.status })),
            Some(serde_json::json!({ "status": status.as_str(), "note": note })),
        )
        .await?;
        let row = find_nomination(&mut tx, actor, id).await?;
        let steps = store::steps(&mut tx, &[n.id]).await?;
        tx.commit().await?;
        Ok(nomination_view(row, &steps))
    }

    /// Awards an approved nomination: on a day of the call's event, with a certificate
    /// code that the public page confirms.
    pub async fn award_honor(
        &self,
        actor: &Actor,
        id: i64,
        input: AwardInput,
    ) -> Result<NominationView, AppError> {
        let permit = actor.permit(Permission::Govern)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let n = find_nomination(&mut tx, actor, id).await?;
        let h = store::call(&mut tx, muster_store::Scope::All, n.call_id)
            .await?
            .ok_or(AppError::NotFound("honor_call"))?;
        if !muster_store::units::in_scope(&mut tx, actor.scope(), h.unit_id).await? {
            return Err(AppError::Forbidden);
        }
        let status =
            NominationStatus::parse(&n.status).map_err(|e| AppError::Internal(e.code.into()))?;
        check_step(status, "award").map_err(|e| AppError::Conflict {
            field: "status".into(),
            code: e.code.into(),
        })?;
        let event = match h.event_id {
            Some(e) => muster_store::events::event(&mut tx, muster_store::Scope::All, e).await?,
            None => None,
        };
        let day = match input
            .day
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            Some(d) => Date::parse_iso(d).map_err(|e| AppError::field("day", e.code))?,
            None => match &event {
                Some(e) => {
                    Date::parse_iso(&e.starts_on).map_err(|e| AppError::Internal(e.code.into()))?
                }
                None => Date::today(),
            },
        };
        if let Some(e) = &event {
            let inside = day.to_string() >= e.starts_on && day.to_string() <= e.ends_on;
            if !inside {
                return Err(AppError::field("day", "outside_event"));
            }
        }
        let now = tx.now().to_string();
        let code = crate::events::new_ticket();
        store::set_awarded(&mut tx, n.id, &day.to_string(), &code, &now).await?;
        store::add_step(
            &mut tx,
            n.id,
            h.unit_id,
            "award",
            None,
            actor.username(),
            &now,
        )
        .await?;
        tx.recount_on(n.unit_id, &day.to_string());
        tx.audit(
            "award",
            "nomination",
            n.id,
            Some(n.unit_id),
            None,
            Some(serde_json::json!({ "day": day.to_string() })),
        )
        .await?;
        let row = find_nomination(&mut tx, actor, id).await?;
        let steps = store::steps(&mut tx, &[n.id]).await?;
        tx.commit().await?;
        Ok(nomination_view(row, &steps))
    }

    /// What a certificate's code confirms, for anyone who holds the code.
    pub async fn verify_certificate(&self, code: &str) -> Result<Certificate, AppError> {
        let code =
            muster_domain::events::parse_ticket(code).ok_or(AppError::NotFound("certificate"))?;
        let mut conn = self.db().read().await?;
        let c = store::certificate(&mut conn, &code)
            .await?
            .filter(|c| c.status == "awarded")
            .ok_or(AppError::NotFound("certificate"))?;
        let names =
            muster_store::events::names(&mut conn, Named::HonorCategory, &[c.category_id]).await?;
        Ok(Certificate {
            name: c.name,
            organization: c.organization,
            category: c.category_name,
            category_names: names_of(&names, c.category_id),
            call: c.call_name,
            awarded_by: c.unit_name,
            awarded_on: c.awarded_on,
        })
    }
}
