//! Memberships and workplaces as other use cases change them: the shared steps of joining, moving and founding.

use super::*;

/// Registers someone known at a workplace who is not a member: a person with no
/// membership, found by the workplace's pages only.
pub(crate) async fn insert_worker(
    conn: &mut Conn,
    tree_id: i64,
    full_name: &str,
    now: &str,
) -> Result<i64, AppError> {
    let fields = PersonFields {
        full_name: full_name.to_string(),
        ..PersonFields::default()
    };
    Ok(store::insert_person(conn, tree_id, &fields, now).await?)
}

/// The workplace a person works at.
pub(crate) async fn workplace_of(conn: &mut Conn, person_id: i64) -> Result<Option<i64>, AppError> {
    Ok(store::person(conn, person_id)
        .await?
        .filter(|p| !p.archived)
        .and_then(|p| p.fields.workplace_id))
}

/// Whether a person of `tree_id` lies in the actor's scope: by their current
/// membership's unit, or for someone who is not a member, by their workplace's unit.
pub(crate) async fn person_in_scope(
    conn: &mut Conn,
    actor: &Actor,
    person_id: i64,
    tree_id: i64,
) -> Result<bool, AppError> {
    let Some(p) = store::person(conn, person_id)
        .await?
        .filter(|p| !p.archived && p.tree_id == tree_id)
    else {
        return Ok(false);
    };
    let unit = match store::current_membership(conn, person_id).await? {
        Some(m) => Some(m.unit_id),
        None => match p.fields.workplace_id {
            Some(w) => workplaces::by_id(conn, w).await?.map(|w| w.fields.unit_id),
            None => None,
        },
    };
    Ok(match unit {
        Some(u) => units::in_scope(conn, actor.scope(), u).await?,
        None => false,
    })
}

/// Places a person at a workplace (and department); an active member's count moves
/// with them.
pub(crate) async fn set_workplace(
    conn: &mut Conn,
    person_id: i64,
    workplace_id: Option<i64>,
    department_id: Option<i64>,
) -> Result<(), AppError> {
    let Some(p) = store::person(conn, person_id).await? else {
        return Err(AppError::NotFound("person"));
    };
    let active = store::current_membership(conn, person_id)
        .await?
        .and_then(|m| Status::parse(&m.status).ok())
        .is_some_and(Status::is_active);
    if active && p.fields.workplace_id != workplace_id {
        if let Some(old) = p.fields.workplace_id {
            muster_store::mapping::count_member(conn, old, -1).await?;
            crate::mapping::rescore(conn, muster_store::mapping::Rescore::One(old)).await?;
        }
        if let Some(new) = workplace_id {
            muster_store::mapping::count_member(conn, new, 1).await?;
            crate::mapping::rescore(conn, muster_store::mapping::Rescore::One(new)).await?;
        }
    }
    muster_store::mapping::place_worker(conn, person_id, workplace_id, department_id).await?;
    Ok(())
}

/// Makes a worker a member of `unit` from `on`: a member elsewhere in the tree is
/// transferred (keeping their number), anyone else joins as an active member.
pub(crate) async fn join_or_move(
    conn: &mut Conn,
    person_id: i64,
    unit: &muster_store::units::UnitRow,
    on: Date,
    now: &str,
) -> Result<(), AppError> {
    let Some(person) = store::person(conn, person_id).await? else {
        return Err(AppError::NotFound("person"));
    };
    let bucket = Bucket::of(
        person.fields.employment_type.as_deref(),
        person.fields.informal_category.as_deref(),
        person.fields.workplace_id,
    );
    let current = store::current_membership(conn, person_id).await?;
    match current {
        Some(m) if m.unit_id == unit.id => {}
        Some(m) if !Status::parse(&m.status).is_ok_and(Status::is_closed) => {
            let on = on.max(
                m.joined_on
                    .as_deref()
                    .and_then(|j| Date::parse_iso(j).ok())
                    .unwrap_or(on),
            );
            move_membership(conn, &bucket, &m, unit.id, on, m.member_number.clone(), now).await?;
        }
        _ => {
            let membership = NewMembership {
                tree_id: unit.tree_id,
                person_id,
                unit_id: unit.id,
                status: Status::Active.as_str().into(),
                member_number: None,
                joined_on: Some(on.to_string()),
                recruited_by: None,
                previous_id: None,
            };
            store::insert_membership(conn, &membership, now)
                .await
                .map_err(on_conflict)?;
            if let Some(c) = status_change(&bucket, unit.id, on, None, Status::Active) {
                counters::apply(conn, &c).await?;
            }
            counters::status_delta(conn, unit.id, Status::Active.as_str(), 1).await?;
        }
    }
    refresh_keys(conn, person_id).await
}

/// Closes membership `m` as transferred on `on` and opens the next one in unit `to`
/// with the same status, moving the status and flow counters with it.
pub(crate) async fn move_membership(
    conn: &mut Conn,
    bucket: &Bucket,
    m: &MembershipRow,
    to: i64,
    on: Date,
    member_number: Option<String>,
    now: &str,
) -> Result<(), AppError> {
    let status =
        Status::parse(&m.status).map_err(|_| AppError::Internal("stored status".into()))?;
    store::close_for_transfer(conn, m.id, &on.to_string(), now).await?;
    let next = NewMembership {
        tree_id: m.tree_id,
        person_id: m.person_id,
        unit_id: to,
        status: m.status.clone(),
        member_number,
        joined_on: Some(on.to_string()),
        recruited_by: m.recruited_by,
        previous_id: Some(m.id),
    };
    store::insert_membership(conn, &next, now)
        .await
        .map_err(on_conflict)?;
    counters::status_delta(conn, m.unit_id, status.as_str(), -1).await?;
    counters::status_delta(conn, to, status.as_str(), 1).await?;
    if status.is_active() {
        let mut out = bucket.change(m.unit_id, on);
        out.transfers_out = 1;
        out.active_delta = -1;
        let mut into = bucket.change(to, on);
        into.transfers_in = 1;
        into.active_delta = 1;
        counters::apply(conn, &out).await?;
        counters::apply(conn, &into).await?;
    }
    Ok(())
}

/// The store's filter of a members query, its unit checked to lie in scope (the
/// caller has validated the query through `list_members`).
pub(crate) async fn filter_of(
    app: &App,
    actor: &Actor,
    query: &MemberQuery,
) -> Result<MemberFilter, AppError> {
    let mut conn = app.db().read().await?;
    let mut filter = MemberFilter::default();
    if let Some(code) = query.unit.as_deref().filter(|s| !s.trim().is_empty()) {
        filter.unit_id = Some(find_in_scope(&mut conn, actor.scope(), code).await?.id);
    }
    filter.status = query
        .status
        .as_deref()
        .and_then(|s| Status::parse(s).ok())
        .map(|s| s.as_str().into());
    filter.employment_type = query
        .employment_type
        .as_deref()
        .and_then(|s| EmploymentType::parse(s).ok())
        .map(|s| s.as_str().into());
    Ok(filter)
}
