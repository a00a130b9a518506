//! Honors: a tree's categories, a unit's call for nominations with a quota for each
//! unit that nominates, approval up the tree level by level to the calling unit, the
//! award at an event, and a certificate whose code a public page confirms.

use crate::error::Check;
use crate::{page_size, Actor, App, AppError};
use muster_domain::honors::{
    check_quota, check_quota_value, check_step, next_approver, NominationStatus,
};
use muster_domain::unit::{optional_text, required_text};
use muster_domain::user::Permission;
use muster_domain::Date;
use muster_store::events::Named;
use muster_store::honors::{self as store, CallFields, CallRow, NewNomination, NominationRow};
use muster_store::Conn;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct CategoryView {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// The name in other locales.
    pub names: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct CategoryInput {
    /// The tree's root; the caller's tree when not given.
    pub tree_code: Option<String>,
    /// Short and stable: `exemplary_worker`.
    pub code: Option<String>,
    pub name: Option<String>,
    #[serde(default)]
    pub names: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct CallView {
    pub id: i64,
    pub unit_code: String,
    pub category: CategoryView,
    pub program_id: Option<i64>,
    /// The event the honors are awarded at.
    pub event_id: Option<i64>,
    pub name: String,
    /// Nominations each unit may make, unless `quotas` says otherwise.
    pub quota: i64,
    pub quotas: Vec<QuotaView>,
    pub closes_on: Option<String>,
    pub nomination_count: i64,
    pub awarded: i64,
    /// The nominations of the caller's subtree (on one call's answer).
    pub nominations: Vec<NominationView>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct QuotaView {
    pub unit_code: String,
    pub quota: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct NominationView {
    pub id: i64,
    pub call_id: i64,
    /// The unit that nominated.
    pub unit_code: String,
    pub person_id: Option<i64>,
    pub name: String,
    pub organization: Option<String>,
    pub citation: Option<String>,
    /// `pending`, `approved`, `rejected`, `awarded`, `withdrawn`.
    pub status: String,
    /// The unit whose approval it waits on.
    pub awaiting: Option<String>,
    /// The certificate's verification code, once awarded.
    pub certificate: Option<String>,
    pub awarded_on: Option<String>,
    pub steps: Vec<StepView>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct StepView {
    pub unit_code: String,
    /// `approve`, `reject`, `withdraw`, `award`.
    pub act: String,
    pub note: Option<String>,
    pub by: String,
    pub at: String,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct CallInput {
    pub unit_code: Option<String>,
    pub category_id: Option<i64>,
    pub program_id: Option<i64>,
    pub event_id: Option<i64>,
    pub name: Option<String>,
    /// Nominations each unit may make.
    pub quota: Option<i64>,
    /// Quotas of some units, by unit code.
    #[serde(default)]
    pub quotas: BTreeMap<String, i64>,
    /// The last day nominations are taken.
    pub closes_on: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct QuotaInput {
    pub unit_code: Option<String>,
    pub quota: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct NominationInput {
    /// The unit nominating; the call's own when not given.
    pub unit_code: Option<String>,
    pub person_id: Option<i64>,
    pub member_number: Option<String>,
    /// Someone outside the registry (an employer).
    pub outside_name: Option<String>,
    pub organization: Option<String>,
    pub citation: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct StepInput {
    /// `approve`, `reject` or `withdraw`.
    pub act: String,
    /// Why: required to reject.
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct AwardInput {
    /// The day awarded: the event's first day, else today, when not given.
    pub day: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallQuery {
    pub program: Option<i64>,
    pub limit: Option<i64>,
}

/// What a certificate's public page confirms: who, what, by whom, when.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Certificate {
    pub name: String,
    pub organization: Option<String>,
    pub category: String,
    pub category_names: BTreeMap<String, String>,
    pub call: String,
    pub awarded_by: String,
    pub awarded_on: String,
}

fn names_of(rows: &[(i64, String, String)], id: i64) -> BTreeMap<String, String> {
    rows.iter()
        .filter(|(i, _, _)| *i == id)
        .map(|(_, l, n)| (l.clone(), n.clone()))
        .collect()
}

fn nomination_view(n: NominationRow, steps: &[muster_store::honors::StepRow]) -> NominationView {
    NominationView {
        id: n.id,
        call_id: n.call_id,
        unit_code: n.unit_code,
        person_id: n.person_id,
        name: n.name,
        organization: n.organization,
        citation: n.citation,
        status: n.status,
        awaiting: n.awaiting_code,
        certificate: n.certificate,
        awarded_on: n.awarded_on,
        steps: steps
            .iter()
            .filter(|s| s.nomination_id == n.id)
            .map(|s| StepView {
                unit_code: s.unit_code.clone(),
                act: s.act.clone(),
                note: s.note.clone(),
                by: s.by_name.clone(),
                at: s.at.clone(),
            })
            .collect(),
    }
}

async fn call_view(
    conn: &mut Conn,
    actor: &Actor,
    h: CallRow,
    full: bool,
) -> Result<CallView, AppError> {
    let names = muster_store::events::names(conn, Named::HonorCategory, &[h.category_id]).await?;
    let (quotas, nominations) = if full {
        let quotas = store::quotas(conn, h.id)
            .await?
            .into_iter()
            .map(|(_, unit_code, quota)| QuotaView { unit_code, quota })
            .collect();
        let rows = store::nominations(conn, actor.scope(), h.id).await?;
        let ids: Vec<i64> = rows.iter().map(|n| n.id).collect();
        let steps = store::steps(conn, &ids).await?;
        let noms = rows
            .into_iter()
            .map(|n| nomination_view(n, &steps))
            .collect();
        (quotas, noms)
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(CallView {
        id: h.id,
        unit_code: h.unit_code,
        category: CategoryView {
            id: h.category_id,
            code: h.category_code,
            name: h.category_name,
            names: names_of(&names, h.category_id),
        },
        program_id: h.program_id,
        event_id: h.event_id,
        name: h.name,
        quota: h.quota,
        quotas,
        closes_on: h.closes_on,
        nomination_count: h.nominations,
        awarded: h.awarded,
        nominations,
    })
}

async fn find_call(conn: &mut Conn, actor: &Actor, id: i64) -> Result<CallRow, AppError> {
    store::call(conn, actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound("honor_call"))
}

async fn find_nomination(
    conn: &mut Conn,
    actor: &Actor,
    id: i64,
) -> Result<NominationRow, AppError> {
    store::nomination(conn, actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound("nomination"))
}

/// The quota of `unit_id` in a call: its own, else the call's.
async fn quota_of(conn: &mut Conn, h: &CallRow, unit_id: i64) -> Result<i64, AppError> {
    Ok(store::quotas(conn, h.id)
        .await?
        .into_iter()
        .find(|(u, _, _)| *u == unit_id)
        .map_or(h.quota, |(_, _, q)| q))
}

pub(crate) fn code_of(s: &str) -> Result<String, muster_domain::FieldError> {
    let s = s.trim().to_ascii_lowercase();
    let ok = (1..=40).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if ok {
        Ok(s)
    } else {
        Err(muster_domain::FieldError::new("invalid_code"))
    }
}

impl App {
    /// The honor categories of the caller's tree (of every tree, instance-wide).
    pub async fn honor_categories(&self, actor: &Actor) -> Result<Vec<CategoryView>, AppError> {
        let mut conn = self.db().read().await?;
        let tree = match actor.unit_id() {
            Some(u) => Some(
                muster_store::units::by_id(&mut conn, u)
                    .await?
                    .ok_or(AppError::NotFound("unit"))?
                    .tree_id,
            ),
            None => None,
        };
        let rows = store::categories(&mut conn, tree).await?;
        let ids: Vec<i64> = rows.iter().map(|c| c.id).collect();
        let names = muster_store::events::names(&mut conn, Named::HonorCategory, &ids).await?;
        Ok(rows
            .into_iter()
            .map(|c| CategoryView {
                names: names_of(&names, c.id),
                id: c.id,
                code: c.code,
                name: c.name,
            })
            .collect())
    }

    /// Adds an honor category to a tree: by someone whose scope is the whole tree.
    pub async fn create_honor_category(
        &self,
        actor: &Actor,
        input: CategoryInput,
    ) -> Result<CategoryView, AppError> {
        let permit = actor.permit(Permission::ManageUnits)?;
        let mut tx = self.write(permit).await?;
        let root = tx.tree_root(input.tree_code.as_deref()).await?;
        let mut check = Check::default();
        let code = check.take("code", code_of(input.code.as_deref().unwrap_or("")));
        let name = check.take(
            "name",
            required_text(input.name.as_deref().unwrap_or(""), 200),
        );
        let names = crate::events::check_names(&mut check, &input.names);
        check.finish()?;
        let (Some(code), Some(name)) = (code, name) else {
            return Err(AppError::Internal("checked category".into()));
        };
        let now = tx.now().to_string();
        let id = store::insert_category(&mut tx, root.tree_id, &code, &name, &now)
            .await
            .map_err(|e| match e {
                muster_store::StoreError::Conflict(_) => AppError::Conflict {
                    field: "code".into(),
                    code: "taken".into(),
                },
                other => other.into(),
            })?;
        for (l, n) in &names {
            muster_store::events::set_name(&mut tx, Named::HonorCategory, id, l, n).await?;
        }
        tx.audit(
            "create",
            "honor_category",
            id,
            Some(root.id),
            None,
            Some(serde_json::json!({ "code": code, "name": name })),
        )
        .await?;
        tx.commit().await?;
        Ok(CategoryView {
            id,
            code,
            name,
            names: names.into_iter().collect(),
        })
    }

    pub async fn list_honor_calls(
        &self,
        actor: &Actor,
        q: &CallQuery,
    ) -> Result<Vec<CallView>, AppError> {
        let mut conn = self.db().read().await?;
        let rows = store::calls(&mut conn, actor.scope(), q.program, page_size(q.limit)).await?;
        let mut out = Vec::with_capacity(rows.len());
        for h in rows {
            out.push(call_view(&mut conn, actor, h, false).await?);
        }
        Ok(out)
    }

    /// One call with the nominations of the caller's subtree and each level's word.
    pub async fn honor_call(&self, actor: &Actor, id: i64) -> Result<CallView, AppError> {
        let mut conn = self.db().read().await?;
        let h = find_call(&mut conn, actor, id).await?;
        call_view(&mut conn, actor, h, true).await
    }

    /// One nomination of the caller's subtree.
    pub async fn nomination(&self, actor: &Actor, id: i64) -> Result<NominationView, AppError> {
        let mut conn = self.db().read().await?;
        let n = find_nomination(&mut conn, actor, id).await?;
        let steps = store::steps(&mut conn, &[n.id]).await?;
        Ok(nomination_view(n, &steps))
    }

    /// Calls for nominations of a category by a unit of the actor's subtree.
    pub async fn create_honor_call(
        &self,
        actor: &Actor,
        input: CallInput,
    ) -> Result<CallView, AppError> {
        let permit = actor.permit(Permission::Govern)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let scope = tx.scope();
        let mut check = Check::default();
        let unit =
            crate::events::unit_field(&mut tx, &mut check, input.unit_code.as_deref()).await?;
        let name = check.take(
            "name",
            required_text(input.name.as_deref().unwrap_or(""), 200),
        );
        let quota = match input.quota {
            None => {
                check.fail("quota", "required");
                None
            }
            Some(q) => check.take("quota", check_quota_value(q)),
        };
        let closes = check.opt("closes_on", input.closes_on.as_deref(), Date::parse_iso);
        let category = match (input.category_id, &unit) {
            (None, _) => {
                check.fail("category_id", "required");
                None
            }
            (Some(id), Some(u)) => {
                let found = store::categories(&mut tx, Some(u.tree_id))
                    .await?
                    .into_iter()
                    .find(|c| c.id == id);
                if found.is_none() {
                    check.fail("category_id", "unknown_category");
                }
                found
            }
            (Some(_), None) => None,
        };
        let program = match input.program_id {
            None => None,
            Some(p) => muster_store::events::program(&mut tx, scope, p)
                .await?
                .or_else(|| {
                    check.fail("program_id", "unknown_program");
                    None
                }),
        };
        let event = match input.event_id {
            None => None,
            Some(e) => muster_store::events::event(&mut tx, scope, e)
                .await?
                .or_else(|| {
                    check.fail("event_id", "unknown_event");
                    None
                }),
        };
        let program_id = program
            .as_ref()
            .map(|p| p.id)
            .or(event.as_ref().and_then(|e| e.program_id));
        let mut quotas = Vec::new();
        for (code, q) in &input.quotas {
            let field = format!("quotas.{code}");
            let q = check.take(&field, check_quota_value(*q));
            match (muster_store::units::by_code(&mut tx, code).await?, &unit) {
                (Some(u), Some(top))
                    if muster_store::units::depth_below(&mut tx, top.id, u.id)
                        .await?
                        .is_some() =>
                {
                    if let Some(q) = q {
                        quotas.push((u.id, q));
                    }
                }
                (_, Some(_)) => check.fail(&field, "not_under_call"),
                _ => {}
            }
        }
        check.finish()?;
        let (Some(unit), Some(name), Some(quota), Some(category)) = (unit, name, quota, category)
        else {
            return Err(AppError::Internal("checked call".into()));
        };
        let f = CallFields {
            tree_id: unit.tree_id,
            unit_id: unit.id,
            category_id: category.id,
            program_id,
            event_id: event.as_ref().map(|e| e.id),
            name,
            quota,
            closes_on: closes.map(|d| d.to_string()),
        };
        let now = tx.now().to_string();
        let id = store::insert_call(&mut tx, &f, &now).await?;
        for (u, q) in &quotas {
            store::set_quota(&mut tx, id, *u, *q).await?;
        }
        tx.audit(
            "create",
            "honor_call",
            id,
            Some(unit.id),
            None,
            Some(serde_json::json!({ "name": f.name, "category": category.code, "quota": quota })),
        )
        .await?;
        let h = find_call(&mut tx, actor, id).await?;
        let v = call_view(&mut tx, actor, h, true).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Sets one unit's quota in a call of the actor's subtree.
    pub async fn set_honor_quota(
        &self,
        actor: &Actor,
        call_id: i64,
        input: QuotaInput,
    ) -> Result<CallView, AppError> {
        let permit = actor.permit(Permission::Govern)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let h = find_call(&mut tx, actor, call_id).await?;
        if !muster_store::units::in_scope(&mut tx, actor.scope(), h.unit_id).await? {
            return Err(AppError::Forbidden);
        }
        let mut check = Check::default();
        let unit =
            crate::events::unit_field(&mut tx, &mut check, input.unit_code.as_deref()).await?;
        let quota = match input.quota {
            None => {
                check.fail("quota", "required");
                None
            }
            Some(q) => check.take("quota", check_quota_value(q)),
        };
        if let Some(u) = &unit {
            if muster_store::units::depth_below(&mut tx, h.unit_id, u.id)
                .await?
                .is_none()
            {
                check.fail("unit_code", "not_under_call");
            }
        }
        check.finish()?;
        let (Some(unit), Some(quota)) = (unit, quota) else {
            return Err(AppError::Internal("checked quota".into()));
        };
        store::set_quota(&mut tx, h.id, unit.id, quota).await?;
        tx.audit(
            "set_quota",
            "honor_call",
            h.id,
            Some(unit.id),
            None,
            Some(serde_json::json!({ "unit": unit.code, "quota": quota })),
        )
        .await?;
        let h = find_call(&mut tx, actor, call_id).await?;
        let v = call_view(&mut tx, actor, h, true).await?;
        tx.commit().await?;
        Ok(v)
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
