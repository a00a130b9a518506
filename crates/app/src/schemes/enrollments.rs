//! Where a member stands with a scheme (an enrollment the rule does not admit needs a
//! reason and is marked), and the dated milestones of a member's life in the union.

use super::{find, rule_of, tree_of};
use crate::error::Check;
use crate::{page_size, Actor, App, AppError};
use muster_domain::schemes::{EnrollmentStatus, MilestoneKind};
use muster_domain::unit::optional_text;
use muster_domain::user::Permission;
use muster_domain::Date;
use muster_store::schemes::{self as store, EnrollmentRow};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct EnrollmentView {
    pub scheme: String,
    pub person_id: i64,
    /// `eligible`, `helped`, `applied`, `enrolled`, `rejected`, `lapsed`.
    pub status: String,
    /// The scheme's own number for the person (a UAN, a card number).
    pub scheme_number: Option<String>,
    pub helped_by: Option<String>,
    pub helped_on: Option<String>,
    pub applied_on: Option<String>,
    pub enrolled_on: Option<String>,
    /// Recorded though the rule did not admit them, for `reason`.
    pub outside_rule: bool,
    pub reason: Option<String>,
    pub updated_on: String,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct EnrollmentInput {
    pub scheme: Option<String>,
    pub person_id: Option<i64>,
    pub member_number: Option<String>,
    pub status: Option<String>,
    pub scheme_number: Option<String>,
    /// The day of the change: today when not given.
    pub on_day: Option<String>,
    /// Why someone the rule does not admit is recorded anyway.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct MilestoneView {
    pub id: i64,
    pub person_id: i64,
    pub name: String,
    pub unit_code: String,
    /// `referred_to_party`, `elected_to_committee`, `completed_cadre_training`,
    /// `recognized`, `other`.
    pub kind: String,
    pub on_day: String,
    pub note: Option<String>,
    pub by: String,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct MilestoneInput {
    pub person_id: Option<i64>,
    pub member_number: Option<String>,
    pub kind: Option<String>,
    /// Today when not given.
    pub on_day: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MilestoneQuery {
    /// A unit code; the caller's own unit when not given.
    pub unit: Option<String>,
    pub person_id: Option<i64>,
    pub kind: Option<String>,
    pub limit: Option<i64>,
}

/// The member a form names, by id (out of sight: not found, like one in a path) or by
/// member number (out of sight: the field's error), with the tree it is read in.
async fn form_member(
    tx: &mut crate::write::Write<'_>,
    actor: &Actor,
    check: &mut Check,
    person_id: Option<i64>,
    member_number: Option<&str>,
) -> Result<(muster_store::units::UnitRow, Option<i64>), AppError> {
    let named = match person_id {
        Some(p) => Some(crate::members::find_member(tx, actor, p).await?.1),
        None => None,
    };
    let tree = person_tree(tx, actor, named.as_ref()).await?;
    let person = crate::members::member_field(
        tx,
        actor,
        check,
        Some(tree.tree_id),
        person_id,
        member_number,
        None,
    )
    .await?;
    if person.is_none() && !check.has("person_id") && !check.has("member_number") {
        check.fail("person_id", "required");
    }
    Ok((tree, person))
}

/// The tree a form's member belongs to: the caller's, or for an instance-wide caller the
/// tree of the member named by id.
async fn person_tree(
    conn: &mut muster_store::Conn,
    actor: &Actor,
    named: Option<&muster_store::members::MembershipRow>,
) -> Result<muster_store::units::UnitRow, AppError> {
    match (actor.unit_id(), named) {
        (None, Some(m)) => muster_store::units::by_id(conn, m.unit_id)
            .await?
            .ok_or(AppError::NotFound("unit")),
        _ => tree_of(conn, actor, None)
            .await
            .map_err(|_| AppError::field("person_id", "required")),
    }
}

fn enrollment_view(e: EnrollmentRow) -> EnrollmentView {
    EnrollmentView {
        scheme: e.scheme_code,
        person_id: e.person_id,
        status: e.status,
        scheme_number: e.scheme_number,
        helped_by: e.helped_by,
        helped_on: e.helped_on,
        applied_on: e.applied_on,
        enrolled_on: e.enrolled_on,
        outside_rule: e.outside_rule != 0,
        reason: e.reason,
        updated_on: e.updated_on,
    }
}

/// A change of where a member stands with a scheme, checked.
pub(super) struct Change {
    pub status: EnrollmentStatus,
    pub number: Option<String>,
    pub day: Date,
    /// Whether the rule admitted them on `day`.
    pub admitted: bool,
    /// Why someone the rule does not admit is recorded anyway.
    pub reason: Option<String>,
}

/// Writes a change of where a member (`membership`) stands with a scheme, `before` it
/// as read: who helped and when are kept, the days of the steps reached are set, and
/// the unit's tallies and the audit log follow.
pub(super) async fn save(
    tx: &mut crate::write::Write<'_>,
    scheme: &store::SchemeRow,
    membership: &muster_store::members::MembershipRow,
    before: Option<EnrollmentRow>,
    change: Change,
) -> Result<(), AppError> {
    let Change {
        status,
        number,
        day,
        admitted,
        reason,
    } = change;
    let actor = tx.scoped();
    let person = membership.person_id;
    let day = day.to_string();
    let keep =
        |f: fn(&EnrollmentRow) -> &Option<String>| before.as_ref().and_then(|b| f(b).clone());
    let helps = matches!(
        status,
        EnrollmentStatus::Helped | EnrollmentStatus::Applied | EnrollmentStatus::Enrolled
    );
    let row = EnrollmentRow {
        id: 0,
        scheme_id: scheme.id,
        scheme_code: scheme.code.clone(),
        person_id: person,
        unit_id: membership.unit_id,
        status: status.as_str().into(),
        scheme_number: number.or_else(|| keep(|b| &b.scheme_number)),
        helped_by: keep(|b| &b.helped_by).or_else(|| helps.then(|| actor.username().to_string())),
        helped_on: keep(|b| &b.helped_on).or_else(|| helps.then(|| day.clone())),
        applied_on: keep(|b| &b.applied_on).or_else(|| {
            matches!(
                status,
                EnrollmentStatus::Applied | EnrollmentStatus::Enrolled
            )
            .then(|| day.clone())
        }),
        enrolled_on: match status {
            EnrollmentStatus::Enrolled => keep(|b| &b.enrolled_on).or_else(|| Some(day.clone())),
            _ => keep(|b| &b.enrolled_on),
        },
        outside_rule: i64::from(!admitted),
        reason: if admitted { None } else { reason },
        updated_on: day.clone(),
    };
    let now = tx.now().to_string();
    store::save_enrollment(tx, &row, &now).await?;
    tx.recount_on(membership.unit_id, &day);
    tx.recount_on(membership.unit_id, muster_store::cases::STATE_DAY);
    if let Some(b) = &before {
        if b.unit_id != membership.unit_id {
            tx.recount(b.unit_id);
        }
    }
    tx.audit(
        "enroll",
        "person",
        person,
        Some(membership.unit_id),
        before
            .as_ref()
            .map(|b| serde_json::json!({ "scheme": b.scheme_code, "status": b.status })),
        Some(serde_json::json!({
            "scheme": scheme.code,
            "status": row.status,
            "outside_rule": !admitted,
            "reason": row.reason,
        })),
    )
    .await?;
    Ok(())
}

impl App {
    /// Where a member of the caller's subtree stands with each scheme.
    pub async fn enrollments_of(
        &self,
        actor: &Actor,
        person: i64,
    ) -> Result<Vec<EnrollmentView>, AppError> {
        let mut conn = self.db().read().await?;
        crate::members::find_member(&mut conn, actor, person).await?;
        Ok(store::enrollments_of(&mut conn, person)
            .await?
            .into_iter()
            .map(enrollment_view)
            .collect())
    }

    /// Records where a member stands with a scheme: helped (by the caller), applied,
    /// enrolled with the scheme's number, rejected, lapsed. Someone the rule does not
    /// admit is recorded only with a reason, and marked.
    pub async fn enroll(
        &self,
        actor: &Actor,
        input: EnrollmentInput,
    ) -> Result<EnrollmentView, AppError> {
        let permit = actor.permit(Permission::EditRegistry)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        // A person named by id out of sight is not found, like one in a path.
        let mut check = Check::default();
        let (tree, person) = form_member(
            &mut tx,
            actor,
            &mut check,
            input.person_id,
            input.member_number.as_deref(),
        )
        .await?;
        let scheme = match input
            .scheme
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => {
                check.fail("scheme", "required");
                None
            }
            Some(code) => match find(&mut tx, tree.tree_id, code).await {
                Ok(s) => Some(s),
                Err(AppError::NotFound(_)) => {
                    check.fail("scheme", "unknown_scheme");
                    None
                }
                Err(e) => return Err(e),
            },
        };
        let status = match input
            .status
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => {
                check.fail("status", "required");
                None
            }
            Some(s) => check.take("status", EnrollmentStatus::parse(s)),
        };
        let number = check
            .take(
                "scheme_number",
                optional_text(input.scheme_number.as_deref(), 60),
            )
            .flatten();
        let day = match input
            .on_day
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Some(Date::today()),
            Some(d) => check.take("on_day", Date::parse_iso(d)),
        };
        let reason = check
            .take("reason", optional_text(input.reason.as_deref(), 500))
            .flatten();
        check.finish()?;
        let (Some(scheme), Some(person), Some(status), Some(day)) = (scheme, person, status, day)
        else {
            return Err(AppError::Internal("checked enrollment".into()));
        };
        let admitted =
            store::admits(&mut tx, person, tree.tree_id, (&rule_of(&scheme), day)).await?;
        if !admitted && reason.is_none() {
            return Err(AppError::field("reason", "not_eligible"));
        }
        let (_, membership) = crate::members::find_member(&mut tx, actor, person).await?;
        let before = store::enrollment(&mut tx, person, scheme.id).await?;
        let change = Change {
            status,
            number,
            day,
            admitted,
            reason,
        };
        save(&mut tx, &scheme, &membership, before, change).await?;
        let saved = store::enrollment(&mut tx, person, scheme.id)
            .await?
            .ok_or(AppError::NotFound("enrollment"))?;
        tx.commit().await?;
        Ok(enrollment_view(saved))
    }

    /// Records a milestone of a member of the caller's subtree, at their unit.
    pub async fn add_milestone(
        &self,
        actor: &Actor,
        input: MilestoneInput,
    ) -> Result<MilestoneView, AppError> {
        let permit = actor.permit(Permission::EditRegistry)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let mut check = Check::default();
        let (tree, person) = form_member(
            &mut tx,
            actor,
            &mut check,
            input.person_id,
            input.member_number.as_deref(),
        )
        .await?;
        let kind = match input
            .kind
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => {
                check.fail("kind", "required");
                None
            }
            Some(k) => check.take("kind", MilestoneKind::parse(k)),
        };
        let day = match input
            .on_day
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Some(Date::today()),
            Some(d) => check.take("on_day", Date::parse_iso(d)),
        };
        let note = check
            .take("note", optional_text(input.note.as_deref(), 500))
            .flatten();
        check.finish()?;
        let (Some(person), Some(kind), Some(day)) = (person, kind, day) else {
            return Err(AppError::Internal("checked milestone".into()));
        };
        let (_, membership) = crate::members::find_member(&mut tx, actor, person).await?;
        let now = tx.now().to_string();
        let day = day.to_string();
        let id = store::add_milestone(
            &mut tx,
            person,
            membership.unit_id,
            kind.as_str(),
            &day,
            note.as_deref(),
            actor.username(),
            &now,
        )
        .await?;
        tx.recount_on(membership.unit_id, &day);
        tx.audit(
            "milestone",
            "person",
            person,
            Some(membership.unit_id),
            None,
            Some(serde_json::json!({ "kind": kind.as_str(), "on_day": day, "id": id })),
        )
        .await?;
        let row = store::milestones(&mut tx, Some(person), tree.tree_id, None, 500)
            .await?
            .into_iter()
            .find(|m| m.id == id)
            .ok_or(AppError::NotFound("milestone"))?;
        tx.commit().await?;
        Ok(milestone_view(row))
    }

    /// Milestones of a subtree (of one member, of one kind), latest first.
    pub async fn milestones(
        &self,
        actor: &Actor,
        q: &MilestoneQuery,
    ) -> Result<Vec<MilestoneView>, AppError> {
        let mut conn = self.db().read().await?;
        let unit = tree_of(&mut conn, actor, q.unit.as_deref()).await?;
        let kind = match q.kind.as_deref().filter(|k| !k.trim().is_empty()) {
            Some(k) => Some(
                MilestoneKind::parse(k)
                    .map_err(|e| AppError::field("kind", e.code))?
                    .as_str(),
            ),
            None => None,
        };
        Ok(
            store::milestones(&mut conn, q.person_id, unit.id, kind, page_size(q.limit))
                .await?
                .into_iter()
                .map(milestone_view)
                .collect(),
        )
    }
}

fn milestone_view(m: store::MilestoneRow) -> MilestoneView {
    MilestoneView {
        id: m.id,
        person_id: m.person_id,
        name: m.full_name,
        unit_code: m.unit_code,
        kind: m.kind,
        on_day: m.on_day,
        note: m.note,
        by: m.by_name,
    }
}
