//! Honors: a tree's categories, a unit's call for nominations with a quota for each
//! unit that nominates, approval up the tree level by level to the calling unit, the
//! award at an event, and a certificate whose code a public page confirms.

mod nominations;

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
}
