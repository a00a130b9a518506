//! Registering a person and changing their record: edits, changes of status, transfers, archiving.

use super::*;

impl App {
    pub async fn create_member(
        &self,
        actor: &Actor,
        input: NewMember,
    ) -> Result<MemberDetail, AppError> {
        let permit = actor.permit(Permission::EditRegistry)?;
        let mut tx = self.write(permit).await?;
        let person_id = register(&mut tx, actor, &input).await?;
        let created = detail(&mut tx, actor, person_id).await?;
        tx.commit().await?;
        Ok(created)
    }

    pub async fn update_member(
        &self,
        actor: &Actor,
        id: i64,
        patch: MemberPatch,
    ) -> Result<MemberDetail, AppError> {
        let permit = actor.permit(Permission::EditRegistry)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let (person, membership) = find_member(&mut tx, actor, id).await?;
        let base = input_of(
            &person.fields,
            workplace_code(&mut tx, person.fields.workplace_id).await?,
        );
        let input = patch.person.over(base);
        let mut check = Check::default();
        let fields = person_fields(&mut tx, actor, person.tree_id, &input, &mut check).await?;
        let number = match &patch.member_number {
            None => membership.member_number.clone(),
            Some(n) => check
                .opt("member_number", n.as_deref(), MemberNumber::parse)
                .map(|n| n.as_str().to_string()),
        };
        check.finish()?;
        let now = tx.now().to_string();
        store::update_person(&mut tx, id, &fields, &now).await?;
        if number != membership.member_number {
            store::set_member_number(&mut tx, membership.id, number.as_deref(), &now)
                .await
                .map_err(on_conflict)?;
        }
        if Status::parse(&membership.status).is_ok_and(Status::is_active) {
            // The member moves between employment buckets this month.
            rebucket(
                &mut tx,
                &Bucket::of_person(&person.fields),
                &Bucket::of_person(&fields),
                membership.unit_id,
                Date::today(),
            )
            .await?;
        }
        refresh_keys(&mut tx, id).await?;
        let after = store::current_membership(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound("member"))?;
        tx.audit(
            "update",
            "person",
            id,
            Some(membership.unit_id),
            Some(snapshot(&person.fields, &membership)),
            Some(snapshot(&fields, &after)),
        )
        .await?;
        let updated = detail(&mut tx, actor, id).await?;
        tx.commit().await?;
        Ok(updated)
    }

    pub async fn change_status(
        &self,
        actor: &Actor,
        id: i64,
        change: StatusChange,
    ) -> Result<MemberDetail, AppError> {
        let permit = actor.permit(Permission::EditRegistry)?;
        let mut check = Check::default();
        let to = check.take("status", Status::parse(&change.status));
        let on = date_or_today(&mut check, "on", change.on.as_deref());
        check.finish()?;
        let Some(to) = to else {
            return Err(AppError::field("status", "invalid_status"));
        };
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let (person, m) = find_member(&mut tx, actor, id).await?;
        let from =
            Status::parse(&m.status).map_err(|_| AppError::Internal("stored status".into()))?;
        if !from.can_become(to) {
            return Err(AppError::field("status", "transition_not_allowed"));
        }
        if m.joined_on
            .as_deref()
            .is_some_and(|j| on.to_string().as_str() < j)
        {
            return Err(AppError::field("on", "before_joined"));
        }
        let now = tx.now().to_string();
        let joined = (from == Status::Applicant && to == Status::Active).then(|| on.to_string());
        let left = to.is_closed().then(|| on.to_string());
        store::set_status(
            &mut tx,
            m.id,
            to.as_str(),
            joined.as_deref(),
            left.as_deref(),
            &now,
        )
        .await?;
        counters::status_delta(&mut tx, m.unit_id, from.as_str(), -1).await?;
        counters::status_delta(&mut tx, m.unit_id, to.as_str(), 1).await?;
        let bucket = Bucket::of(
            person.fields.employment_type.as_deref(),
            person.fields.informal_category.as_deref(),
            person.fields.workplace_id,
        );
        if let Some(c) = status_change(&bucket, m.unit_id, on, Some(from), to) {
            counters::apply(&mut tx, &c).await?;
        }
        tx.audit(
            "status",
            "person",
            id,
            Some(m.unit_id),
            Some(serde_json::json!({ "status": from.as_str() })),
            Some(serde_json::json!({ "status": to.as_str(), "on": on.to_string() })),
        )
        .await?;
        let updated = detail(&mut tx, actor, id).await?;
        tx.commit().await?;
        Ok(updated)
    }

    /// Closes the current membership and opens one in another unit of the same tree,
    /// with the same status; both units must lie in the actor's scope.
    pub async fn transfer_member(
        &self,
        actor: &Actor,
        id: i64,
        t: Transfer,
    ) -> Result<MemberDetail, AppError> {
        let permit = actor.permit(Permission::EditRegistry)?;
        let mut check = Check::default();
        let on = date_or_today(&mut check, "on", t.on.as_deref());
        let number = check.opt(
            "member_number",
            t.member_number.as_deref(),
            MemberNumber::parse,
        );
        let mut tx = self.write(permit).await?;
        let (person, m) = find_member(&mut tx, actor, id).await?;
        let to = match tx.unit(&t.to_unit_code).await {
            Ok(u) => Some(u),
            Err(AppError::NotFound(_)) => {
                check.fail("to_unit_code", "unknown_unit");
                None
            }
            Err(e) => return Err(e),
        };
        if let Some(u) = &to {
            if u.tree_id != m.tree_id {
                check.fail("to_unit_code", "other_tree");
            } else if u.id == m.unit_id {
                check.fail("to_unit_code", "same_unit");
            }
        }
        let status =
            Status::parse(&m.status).map_err(|_| AppError::Internal("stored status".into()))?;
        if status.is_closed() {
            check.fail("status", "membership_closed");
        }
        if m.joined_on
            .as_deref()
            .is_some_and(|j| on.to_string().as_str() < j)
        {
            check.fail("on", "before_joined");
        }
        check.finish()?;
        let Some(to) = to else {
            return Err(AppError::field("to_unit_code", "unknown_unit"));
        };
        let now = tx.now().to_string();
        let bucket = Bucket::of(
            person.fields.employment_type.as_deref(),
            person.fields.informal_category.as_deref(),
            person.fields.workplace_id,
        );
        let number = number
            .map(|n| n.as_str().to_string())
            .or(m.member_number.clone());
        move_membership(&mut tx, &bucket, &m, to.id, on, number, &now).await?;
        refresh_keys(&mut tx, id).await?;
        tx.audit(
            "transfer",
            "person",
            id,
            Some(to.id),
            Some(serde_json::json!({ "unit_code": m.unit_code })),
            Some(serde_json::json!({ "unit_code": to.code, "on": on.to_string() })),
        )
        .await?;
        let updated = detail(&mut tx, actor, id).await?;
        tx.commit().await?;
        Ok(updated)
    }

    /// Archives a person: they leave every list and count, and stay on record.
    pub async fn archive_member(&self, actor: &Actor, id: i64) -> Result<(), AppError> {
        let permit = actor.permit(Permission::EditRegistry)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let (person, m) = find_member(&mut tx, actor, id).await?;
        let now = tx.now().to_string();
        store::archive_person(&mut tx, id, &now).await?;
        counters::status_delta(&mut tx, m.unit_id, &m.status, -1).await?;
        if Status::parse(&m.status).is_ok_and(Status::is_active) {
            let bucket = Bucket::of(
                person.fields.employment_type.as_deref(),
                person.fields.informal_category.as_deref(),
                person.fields.workplace_id,
            );
            let mut c = bucket.change(m.unit_id, Date::today());
            c.active_delta = -1;
            counters::apply(&mut tx, &c).await?;
        }
        tx.audit(
            "archive",
            "person",
            id,
            Some(m.unit_id),
            Some(snapshot(&person.fields, &m)),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Registers a person as a member within a write that holds `EditRegistry`: checks the
/// input (and, unless allowed, likely duplicates), writes the person, their membership,
/// counters, search keys and the audit entry. Answers the person's id.
pub(crate) async fn register(
    tx: &mut crate::write::Write<'_>,
    actor: &Actor,
    input: &NewMember,
) -> Result<i64, AppError> {
    let mut check = Check::default();
    let unit = match tx.unit(&input.unit_code).await {
        Ok(u) => Some(u),
        Err(AppError::NotFound(_)) => {
            check.fail("unit_code", "unknown_unit");
            None
        }
        Err(e) => return Err(e),
    };
    let tree_id = unit.as_ref().map_or(0, |u| u.tree_id);
    let fields = person_fields(&mut *tx, actor, tree_id, &input.person, &mut check).await?;
    let joined_on = date_or_today(&mut check, "joined_on", input.joined_on.as_deref());
    let number = check.opt(
        "member_number",
        input.member_number.as_deref(),
        MemberNumber::parse,
    );
    let status = check
        .opt("status", input.status.as_deref(), Status::parse)
        .unwrap_or(Status::Active);
    if !matches!(status, Status::Active | Status::Applicant) {
        check.fail("status", "invalid_initial_status");
    }
    check.finish()?;
    let Some(unit) = unit else {
        return Err(AppError::field("unit_code", "unknown_unit"));
    };
    if !input.allow_duplicate {
        let found =
            crate::dedupe::likely_duplicates_of(&mut *tx, actor, unit.tree_id, &fields, None)
                .await?;
        if !found.is_empty() {
            return Err(AppError::LikelyDuplicate(found));
        }
    }
    let now = tx.now().to_string();
    let person_id = store::insert_person(&mut *tx, unit.tree_id, &fields, &now).await?;
    let membership = NewMembership {
        tree_id: unit.tree_id,
        person_id,
        unit_id: unit.id,
        status: status.as_str().into(),
        member_number: number.map(|n| n.as_str().into()),
        joined_on: Some(joined_on.to_string()),
        recruited_by: None,
        previous_id: None,
    };
    store::insert_membership(&mut *tx, &membership, &now)
        .await
        .map_err(on_conflict)?;
    let bucket = Bucket::of(
        fields.employment_type.as_deref(),
        fields.informal_category.as_deref(),
        fields.workplace_id,
    );
    if let Some(c) = status_change(&bucket, unit.id, joined_on, None, status) {
        counters::apply(&mut *tx, &c).await?;
    }
    counters::status_delta(&mut *tx, unit.id, status.as_str(), 1).await?;
    refresh_keys(&mut *tx, person_id).await?;
    let m = store::current_membership(&mut *tx, person_id)
        .await?
        .ok_or(AppError::NotFound("member"))?;
    tx.audit(
        "create",
        "person",
        person_id,
        Some(unit.id),
        None,
        Some(snapshot(&fields, &m)),
    )
    .await?;
    Ok(person_id)
}
