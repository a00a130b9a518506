//! Requests for aid: made at a desk, decided by an officer within their level's limit
//! and their unit's budget (an override needs a reason and is audited), paid out in one
//! or more disbursements, each with a receipt.

use super::{currency_of, money};
use crate::error::Check;
use crate::{page_size, Actor, App, AppError};
use muster_domain::aid::{check_budget, check_limit, decides, limit_of, AidKind, AidStatus, Rung};
use muster_domain::cases::may_read_notes;
use muster_domain::money::parse_amount;
use muster_domain::unit::{optional_text, required_text};
use muster_domain::user::Permission;
use muster_domain::Date;
use muster_store::aid::{self as store, AidFilter, AidRow, Decision, NewAid};
use muster_store::Conn;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct AidView {
    pub id: i64,
    /// The desk it was asked at.
    pub unit_code: String,
    pub case_id: Option<i64>,
    pub person_id: Option<i64>,
    pub name: String,
    /// `cash` or `in_kind`.
    pub kind: String,
    pub currency: String,
    /// Asked for (an item in kind: its value, when known).
    pub amount: Option<String>,
    pub item: Option<String>,
    /// Why: for those who may read case notes only.
    pub purpose: Option<String>,
    /// `requested`, `approved`, `rejected`, `disbursed`, `cancelled`.
    pub status: String,
    /// The unit whose officers decide it.
    pub waits_on: String,
    pub requested_on: String,
    pub requested_by: String,
    pub approved_amount: Option<String>,
    /// The unit that approved it, whose budget pays it.
    pub approved_by_unit: Option<String>,
    pub decided_by: Option<String>,
    pub decided_on: Option<String>,
    /// Why it was turned down or withdrawn.
    pub decision_note: Option<String>,
    /// Why it was approved over its budget.
    pub override_reason: Option<String>,
    pub paid: String,
    /// What is approved and not yet paid.
    pub to_pay: Option<String>,
    /// Whether the caller may decide it now (within their limit).
    pub may_decide: bool,
    /// What was paid (on one request's answer).
    pub payments: Vec<super::PaymentView>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct AidInput {
    /// The desk's unit; the case's when a case is named.
    pub unit_code: Option<String>,
    pub case_id: Option<i64>,
    pub person_id: Option<i64>,
    pub member_number: Option<String>,
    pub outside_name: Option<String>,
    /// `cash` (the default) or `in_kind`.
    pub kind: Option<String>,
    /// An exact decimal in the tree's currency: required for cash.
    pub amount: Option<String>,
    /// What is given in kind: required for it.
    pub item: Option<String>,
    pub purpose: Option<String>,
    /// Today when not given.
    pub requested_on: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ApproveInput {
    /// What is approved: what was asked when not given; never more.
    pub amount: Option<String>,
    /// Needed when the approving unit's budget for the day is exceeded or missing.
    pub override_reason: Option<String>,
    /// Today when not given.
    pub on_day: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ReasonInput {
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AidQuery {
    /// Only those waiting on the caller's unit's decision.
    #[serde(default)]
    pub waiting: bool,
    /// Only those of this case.
    pub case_id: Option<i64>,
    /// Only those with this status.
    pub status: Option<String>,
    pub limit: Option<i64>,
}

/// The rungs from a unit up to its tree's top, with their levels' limits.
async fn rungs(
    conn: &mut Conn,
    unit_id: i64,
    tree_id: i64,
) -> Result<Vec<(Rung, String)>, AppError> {
    let limits = store::limits(conn, tree_id).await?;
    Ok(store::path_up(conn, unit_id)
        .await?
        .into_iter()
        .map(|(id, code, level)| {
            let limit = limits.iter().find(|(l, _)| *l == level).map(|(_, a)| *a);
            (Rung { unit_id: id, limit }, code)
        })
        .collect())
}

/// The unit an actor decides a request of `unit_id` as, and the most it approves:
/// the actor's own unit (an instance-wide actor decides as the unit it waits on, with
/// that unit's limit). `None` when the actor's unit is not on the request's path.
async fn approver(
    conn: &mut Conn,
    actor: &Actor,
    r: &AidRow,
) -> Result<Option<(i64, Option<i64>)>, AppError> {
    let path = rungs(conn, r.unit_id, r.tree_id).await?;
    let last = path.len().saturating_sub(1);
    let me = actor.unit_id().unwrap_or(r.waits_on);
    Ok(path
        .iter()
        .enumerate()
        .find(|(_, (rung, _))| rung.unit_id == me)
        .map(|(i, (rung, _))| (rung.unit_id, limit_of(rung.limit, i == last))))
}

async fn view(
    conn: &mut Conn,
    actor: &Actor,
    r: AidRow,
    currency: &str,
    full: bool,
) -> Result<AidView, AppError> {
    let readable = may_read_notes(actor.role(), false);
    let may_decide = full
        && r.status == AidStatus::Requested.as_str()
        && actor.role().may(Permission::ApproveAid)
        && approver(conn, actor, &r)
            .await?
            .is_some_and(|(_, limit)| check_limit(limit, r.amount.unwrap_or(0)).is_ok());
    let payments = if full {
        store::payments(conn, r.id)
            .await?
            .into_iter()
            .map(|p| super::payments::payment_view(p, currency))
            .collect()
    } else {
        Vec::new()
    };
    let to_pay = match (r.status.as_str(), r.approved_amount) {
        ("approved", Some(a)) => Some(money(a - r.paid, currency)),
        _ => None,
    };
    Ok(AidView {
        id: r.id,
        unit_code: r.unit_code,
        case_id: r.case_id,
        person_id: r.person_id,
        name: r.name,
        kind: r.kind,
        currency: currency.to_string(),
        amount: r.amount.map(|a| money(a, currency)),
        item: r.item,
        purpose: Some(r.purpose).filter(|_| readable),
        status: r.status,
        waits_on: r.waits_code,
        requested_on: r.requested_on,
        requested_by: r.requested_by,
        approved_amount: r.approved_amount.map(|a| money(a, currency)),
        approved_by_unit: r.approver_code,
        decided_by: r.decided_by,
        decided_on: r.decided_on,
        decision_note: r.decision_note.filter(|_| readable),
        override_reason: r.override_reason,
        paid: money(r.paid, currency),
        to_pay,
        may_decide,
        payments,
    })
}

pub(super) async fn find(conn: &mut Conn, actor: &Actor, id: i64) -> Result<AidRow, AppError> {
    store::by_id(conn, actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound("aid_request"))
}

pub(super) fn day_or_today(check: &mut Check, field: &str, value: Option<&str>) -> Option<Date> {
    match value.map(str::trim).filter(|s| !s.is_empty()) {
        None => Some(Date::today()),
        Some(s) => check.take(field, Date::parse_iso(s)),
    }
}

/// A request's answer after a change, read back inside the change.
pub(super) async fn answer(tx: &mut crate::write::Write<'_>, id: i64) -> Result<AidView, AppError> {
    let actor = tx.scoped();
    let r = find(tx, actor, id).await?;
    let currency = currency_of(tx, r.tree_id).await?;
    view(tx, actor, r, &currency, true).await
}

/// Ends a change that turned a request down or withdrew it (`done`: it still waited).
async fn closed(
    mut tx: crate::write::Write<'_>,
    r: &AidRow,
    done: bool,
    action: &str,
    reason: &str,
) -> Result<AidView, AppError> {
    if !done {
        return Err(AppError::Conflict {
            field: "status".into(),
            code: "not_waiting".into(),
        });
    }
    tx.recount_on(r.unit_id, &r.requested_on);
    tx.audit(
        action,
        "aid_request",
        r.id,
        Some(r.unit_id),
        None,
        Some(serde_json::json!({ "reason": reason })),
    )
    .await?;
    let v = answer(&mut tx, r.id).await?;
    tx.commit().await?;
    Ok(v)
}

impl App {
    /// Requests of the caller's subtree, latest first: those waiting on the caller's
    /// unit, those of a case, or all.
    pub async fn list_aid(&self, actor: &Actor, q: &AidQuery) -> Result<Vec<AidView>, AppError> {
        let mut conn = self.db().read().await?;
        let status = match q.status.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(s) => Some(
                AidStatus::parse(s)
                    .map_err(|e| AppError::field("status", e.code))?
                    .as_str()
                    .to_string(),
            ),
            None => None,
        };
        let filter = AidFilter {
            waiting_on: if q.waiting {
                Some(
                    actor
                        .unit_id()
                        .ok_or(AppError::field("waiting", "no_unit"))?,
                )
            } else {
                None
            },
            case_id: q.case_id,
            status,
        };
        let rows = store::list(&mut conn, actor.scope(), &filter, page_size(q.limit)).await?;
        let mut currencies = super::Currencies::default();
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let c = currencies.of(&mut conn, r.tree_id).await?;
            out.push(view(&mut conn, actor, r, &c, false).await?);
        }
        Ok(out)
    }

    /// One request with what was paid on it.
    pub async fn aid(&self, actor: &Actor, id: i64) -> Result<AidView, AppError> {
        let mut conn = self.db().read().await?;
        let r = find(&mut conn, actor, id).await?;
        let currency = currency_of(&mut conn, r.tree_id).await?;
        view(&mut conn, actor, r, &currency, true).await
    }

    /// Asks for aid at a desk, for a member, someone outside the registry or a case's
    /// person; it waits on the nearest unit whose limit covers it.
    pub async fn request_aid(&self, actor: &Actor, input: AidInput) -> Result<AidView, AppError> {
        let permit = actor.permit(Permission::Casework)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let scope = tx.scope();
        let mut check = Check::default();
        let case = match input.case_id {
            None => None,
            Some(id) => match muster_store::cases::by_id(&mut tx, scope, id).await? {
                Some(c) if muster_store::units::in_scope(&mut tx, scope, c.unit_id).await? => {
                    Some(c)
                }
                _ => {
                    check.fail("case_id", "unknown_case");
                    None
                }
            },
        };
        let unit_code = input
            .unit_code
            .clone()
            .filter(|c| !c.trim().is_empty())
            .or_else(|| case.as_ref().map(|c| c.unit_code.clone()));
        let unit = crate::events::unit_field(&mut tx, &mut check, unit_code.as_deref()).await?;
        let kind = match input
            .kind
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Some(AidKind::Cash),
            Some(k) => check.take("kind", AidKind::parse(k)),
        };
        let currency = match &unit {
            Some(u) => currency_of(&mut tx, u.tree_id).await?,
            None => super::NO_CURRENCY.to_string(),
        };
        let amount = match input
            .amount
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => {
                if kind == Some(AidKind::Cash) {
                    check.fail("amount", "required");
                }
                None
            }
            Some(a) => match check.take("amount", parse_amount(a, &currency)) {
                Some(0) if kind == Some(AidKind::Cash) => {
                    check.fail("amount", "invalid_amount");
                    None
                }
                other => other,
            },
        };
        let item = check
            .take("item", optional_text(input.item.as_deref(), 200))
            .flatten();
        if kind == Some(AidKind::InKind) && item.is_none() && !check.has("item") {
            check.fail("item", "required");
        }
        let person = match &case {
            Some(c) => c.person_id,
            None => {
                crate::members::member_field(
                    &mut tx,
                    actor,
                    &mut check,
                    unit.as_ref().map(|u| u.tree_id),
                    input.person_id,
                    input.member_number.as_deref(),
                    None,
                )
                .await?
            }
        };
        let outside = match &case {
            Some(c) if c.person_id.is_none() => Some(c.name.clone()),
            Some(_) => None,
            None => check
                .take(
                    "outside_name",
                    optional_text(input.outside_name.as_deref(), 200),
                )
                .flatten(),
        };
        if person.is_none()
            && outside.is_none()
            && !check.has("person_id")
            && !check.has("member_number")
        {
            check.fail("person_id", "required");
        }
        let purpose = check.take(
            "purpose",
            required_text(input.purpose.as_deref().unwrap_or(""), 1000),
        );
        let on = day_or_today(&mut check, "requested_on", input.requested_on.as_deref());
        check.finish()?;
        let (Some(unit), Some(kind), Some(purpose), Some(on)) = (unit, kind, purpose, on) else {
            return Err(AppError::Internal("checked aid request".into()));
        };
        let path: Vec<Rung> = rungs(&mut tx, unit.id, unit.tree_id)
            .await?
            .into_iter()
            .map(|(r, _)| r)
            .collect();
        let waits_on = decides(&path, amount).unwrap_or(unit.id);
        let n = NewAid {
            tree_id: unit.tree_id,
            unit_id: unit.id,
            case_id: case.as_ref().map(|c| c.id),
            person_id: person,
            outside_name: if person.is_some() { None } else { outside },
            kind: kind.as_str().into(),
            amount,
            item,
            purpose,
            waits_on,
            requested_on: on.to_string(),
            requested_by: actor.username().into(),
        };
        let now = tx.now().to_string();
        let id = store::insert(&mut tx, &n, &now).await?;
        tx.recount_on(unit.id, &n.requested_on);
        tx.audit(
            "request",
            "aid_request",
            id,
            Some(unit.id),
            None,
            Some(serde_json::json!({
                "kind": n.kind,
                "amount": amount.map(|a| money(a, &currency)),
                "case": n.case_id,
                "waits_on": waits_on,
            })),
        )
        .await?;
        let v = answer(&mut tx, id).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Approves a request: by an officer of a unit on its path whose limit covers the
    /// amount, drawing on that unit's budget for the day; over the budget (or with none)
    /// only with a reason, which is audited as an override.
    pub async fn approve_aid(
        &self,
        actor: &Actor,
        id: i64,
        input: ApproveInput,
    ) -> Result<AidView, AppError> {
        let permit = actor.permit(Permission::ApproveAid)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let r = find(&mut tx, actor, id).await?;
        if r.status != AidStatus::Requested.as_str() {
            return Err(AppError::Conflict {
                field: "status".into(),
                code: "not_waiting".into(),
            });
        }
        let currency = currency_of(&mut tx, r.tree_id).await?;
        let mut check = Check::default();
        let amount = match input
            .amount
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => r.amount,
            Some(a) => check.take("amount", parse_amount(a, &currency)),
        };
        if let (Some(a), Some(asked)) = (amount, r.amount) {
            if a > asked {
                check.fail("amount", "above_requested");
            }
        }
        if r.amount.is_some() && amount == Some(0) {
            check.fail("amount", "invalid_amount");
        }
        let on = day_or_today(&mut check, "on_day", input.on_day.as_deref());
        if on.is_some_and(|d| d.to_string() < r.requested_on) {
            check.fail("on_day", "before_request");
        }
        let reason = check
            .take(
                "override_reason",
                optional_text(input.override_reason.as_deref(), 500),
            )
            .flatten();
        check.finish()?;
        let Some(on) = on else {
            return Err(AppError::Internal("checked approval".into()));
        };
        let Some((unit, limit)) = approver(&mut tx, actor, &r).await? else {
            return Err(AppError::Forbidden);
        };
        if let Some(a) = amount {
            check_limit(limit, a).map_err(|e| AppError::field("amount", e.code))?;
        }
        let day = on.to_string();
        let budget = store::budget_on(&mut tx, unit, &day).await?;
        let over = match amount {
            None => None,
            Some(a) => check_budget(
                budget.as_ref().map(|b| b.amount),
                budget.as_ref().map_or(0, |b| b.committed),
                a,
            )
            .err(),
        };
        if let (Some(code), None) = (over, &reason) {
            return Err(AppError::field("override_reason", code));
        }
        let d = Decision {
            status: AidStatus::Approved.as_str().into(),
            approved_amount: amount,
            approver_unit_id: unit,
            decided_by: actor.username().into(),
            decided_on: day.clone(),
            note: None,
            budget_id: budget.as_ref().map(|b| b.id),
            override_reason: over.and(reason.clone()),
        };
        let now = tx.now().to_string();
        if !store::decide(&mut tx, r.id, &d, &now).await? {
            return Err(AppError::Conflict {
                field: "status".into(),
                code: "not_waiting".into(),
            });
        }
        tx.recount_on(unit, &day);
        let detail = serde_json::json!({
            "amount": amount.map(|a| money(a, &currency)),
            "unit": unit,
            "budget": budget.as_ref().map(|b| b.label.clone()),
        });
        tx.audit(
            "approve",
            "aid_request",
            r.id,
            Some(r.unit_id),
            None,
            Some(detail),
        )
        .await?;
        if let Some(code) = over {
            tx.audit(
                "override_budget",
                "aid_request",
                r.id,
                Some(unit),
                budget.as_ref().map(|b| {
                    serde_json::json!({ "budget": money(b.amount, &currency), "committed": money(b.committed, &currency) })
                }),
                Some(serde_json::json!({ "why": code, "reason": reason })),
            )
            .await?;
        }
        let v = answer(&mut tx, r.id).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Turns a request down, with a reason: by an officer who may decide it.
    pub async fn reject_aid(
        &self,
        actor: &Actor,
        id: i64,
        input: ReasonInput,
    ) -> Result<AidView, AppError> {
        let permit = actor.permit(Permission::ApproveAid)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let r = find(&mut tx, actor, id).await?;
        let reason = required_text(input.reason.as_deref().unwrap_or(""), 500)
            .map_err(|e| AppError::field("reason", e.code))?;
        // Turned down only by those who could approve it: a unit below the one it
        // waits on does not decide it either way.
        let Some((unit, limit)) = approver(&mut tx, actor, &r).await? else {
            return Err(AppError::Forbidden);
        };
        check_limit(limit, r.amount.unwrap_or(0)).map_err(|e| AppError::field("amount", e.code))?;
        let d = Decision {
            status: AidStatus::Rejected.as_str().into(),
            approved_amount: None,
            approver_unit_id: unit,
            decided_by: actor.username().into(),
            decided_on: Date::today().to_string(),
            note: Some(reason.clone()),
            budget_id: None,
            override_reason: None,
        };
        let now = tx.now().to_string();
        let done = store::decide(&mut tx, r.id, &d, &now).await?;
        closed(tx, &r, done, "reject", &reason).await
    }

    /// Withdraws a request still waiting, with a reason: by the desk that asked.
    pub async fn cancel_aid(
        &self,
        actor: &Actor,
        id: i64,
        input: ReasonInput,
    ) -> Result<AidView, AppError> {
        let permit = actor.permit(Permission::Casework)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let r = find(&mut tx, actor, id).await?;
        let reason = required_text(input.reason.as_deref().unwrap_or(""), 500)
            .map_err(|e| AppError::field("reason", e.code))?;
        let now = tx.now().to_string();
        let done = store::cancel(&mut tx, r.id, &reason, &now).await?;
        closed(tx, &r, done, "cancel", &reason).await
    }
}
