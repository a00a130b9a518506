//! Aid: a tree's currency and the limits its levels approve up to, units' budgets per
//! year, requests made at a desk (often on a case), decided by the nearest unit whose
//! limit covers them, paid out never above what was approved, and rolled up the tree.
//! The purpose of a request is read only by those who may read case notes.

mod payments;
mod requests;
mod rollup;

pub use payments::{PayInput, PaymentView, ReceiptView};
pub use requests::{AidInput, AidQuery, AidView, ApproveInput, ReasonInput};
pub use rollup::{AidFigures, AidRollup, AidRollupQuery};

use crate::error::Check;
use crate::{page_size, Actor, App, AppError};
use muster_domain::money::{format_amount, parse_amount};
use muster_domain::unit::required_text;
use muster_domain::user::Permission;
use muster_domain::Date;
use muster_store::aid as store;
use muster_store::Conn;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// The currency a tree without one set counts in: ISO 4217's "no currency".
pub const NO_CURRENCY: &str = "XXX";

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct AidSettingsView {
    pub tree_code: String,
    pub currency: String,
    /// Each level of the tree, top first, with the most its officers approve on one
    /// request (none: the top approves any amount, another level nothing).
    pub limits: Vec<LimitView>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct LimitView {
    pub level: String,
    pub amount: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct AidSettingsInput {
    /// The tree's root; the caller's tree when not given.
    pub tree_code: Option<String>,
    /// ISO 4217 code: `VND`, `IRR`, `INR`.
    pub currency: Option<String>,
    /// Level → the most it approves (an exact decimal); a level left out or empty has
    /// no limit of its own.
    #[serde(default)]
    pub limits: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct BudgetView {
    pub id: i64,
    pub unit_code: String,
    /// The year as the unit names it: `1405`, `2026`.
    pub label: String,
    pub starts_on: String,
    pub ends_on: String,
    pub currency: String,
    pub amount: String,
    /// What approvals drawing on it committed, what of it was paid, and what is left.
    pub committed: String,
    pub paid: String,
    pub left: String,
    /// Over the budget (by an override).
    pub over: bool,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct BudgetInput {
    pub unit_code: Option<String>,
    /// A budget of the unit by this label is changed; else a new one is made.
    pub label: Option<String>,
    pub starts_on: Option<String>,
    /// The last day, included.
    pub ends_on: Option<String>,
    pub amount: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BudgetQuery {
    /// Only this unit's.
    pub unit: Option<String>,
    pub limit: Option<i64>,
}

/// The currency of a tree (`NO_CURRENCY` until one is set).
pub(crate) async fn currency_of(conn: &mut Conn, tree_id: i64) -> Result<String, AppError> {
    Ok(store::currency(conn, tree_id)
        .await?
        .unwrap_or_else(|| NO_CURRENCY.to_string()))
}

/// Trees' currencies, each read once for a list.
#[derive(Default)]
pub(crate) struct Currencies(BTreeMap<i64, String>);

impl Currencies {
    pub(crate) async fn of(&mut self, conn: &mut Conn, tree_id: i64) -> Result<String, AppError> {
        if let Some(c) = self.0.get(&tree_id) {
            return Ok(c.clone());
        }
        let c = currency_of(conn, tree_id).await?;
        self.0.insert(tree_id, c.clone());
        Ok(c)
    }
}

/// An amount for the answer: an exact decimal in the currency.
pub(crate) fn money(minor: i64, currency: &str) -> String {
    format_amount(minor, currency)
}

fn budget_view(b: store::BudgetRow, currency: &str) -> BudgetView {
    BudgetView {
        id: b.id,
        unit_code: b.unit_code,
        label: b.label,
        starts_on: b.starts_on,
        ends_on: b.ends_on,
        currency: currency.to_string(),
        amount: money(b.amount, currency),
        committed: money(b.committed, currency),
        paid: money(b.paid, currency),
        left: money(b.amount - b.committed, currency),
        over: b.committed > b.amount,
    }
}

/// A valid ISO 4217 code as typed (`vnd` is `VND`).
fn currency_code(text: &str) -> Result<String, muster_domain::FieldError> {
    let c = text.trim().to_ascii_uppercase();
    if c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(c)
    } else {
        Err(muster_domain::FieldError::new("invalid_currency"))
    }
}

impl App {
    /// The aid settings of the caller's tree (or of `tree_code`).
    pub async fn aid_settings(
        &self,
        actor: &Actor,
        tree_code: Option<&str>,
    ) -> Result<AidSettingsView, AppError> {
        let mut conn = self.db().read().await?;
        let root = match tree_code.filter(|c| !c.trim().is_empty()) {
            Some(code) => crate::units::find_in_scope(&mut conn, actor.scope(), code).await?,
            None => {
                let own = actor
                    .unit_id()
                    .ok_or(AppError::field("tree_code", "required"))?;
                muster_store::units::by_id(&mut conn, own)
                    .await?
                    .ok_or(AppError::NotFound("unit"))?
            }
        };
        let root = muster_store::units::by_id(&mut conn, root.tree_id)
            .await?
            .ok_or(AppError::NotFound("unit"))?;
        settings_view(&mut conn, &root).await
    }

    /// Sets a tree's currency and its levels' limits: by the tree's top officer. A
    /// currency cannot change once money was counted in it.
    pub async fn set_aid_settings(
        &self,
        actor: &Actor,
        input: AidSettingsInput,
    ) -> Result<AidSettingsView, AppError> {
        let permit = actor.permit(Permission::ManageUnits)?;
        let mut tx = self.write(permit).await?;
        let root = tx.tree_root(input.tree_code.as_deref()).await?;
        let mut check = Check::default();
        let currency = check.take(
            "currency",
            currency_code(input.currency.as_deref().unwrap_or("")),
        );
        let levels = muster_store::units::levels(&mut tx, root.tree_id).await?;
        let mut limits = Vec::new();
        for (level, text) in &input.limits {
            let field = format!("limits.{level}");
            if !levels.iter().any(|l| l == level) {
                check.fail(&field, "unknown_level");
                continue;
            }
            if text.trim().is_empty() {
                continue;
            }
            if let Some(c) = &currency {
                if let Some(a) = check.take(&field, parse_amount(text, c)) {
                    limits.push((level.clone(), a));
                }
            }
        }
        check.finish()?;
        let Some(currency) = currency else {
            return Err(AppError::Internal("checked settings".into()));
        };
        let before = store::currency(&mut tx, root.tree_id).await?;
        if before.as_deref().is_some_and(|b| b != currency) && counted_any(&mut tx, &root).await? {
            return Err(AppError::Conflict {
                field: "currency".into(),
                code: "currency_in_use".into(),
            });
        }
        let now = tx.now().to_string();
        store::set_settings(&mut tx, root.tree_id, &currency, &limits, &now).await?;
        tx.audit(
            "set_aid_settings",
            "unit",
            root.id,
            Some(root.id),
            None,
            Some(serde_json::json!({
                "currency": currency,
                "limits": limits.iter().map(|(l, a)| (l.clone(), format_amount(*a, &currency))).collect::<BTreeMap<_, _>>(),
            })),
        )
        .await?;
        let view = settings_view(&mut tx, &root).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// Budgets of the caller's subtree, latest first.
    pub async fn budgets(
        &self,
        actor: &Actor,
        q: &BudgetQuery,
    ) -> Result<Vec<BudgetView>, AppError> {
        let mut conn = self.db().read().await?;
        let unit = match q.unit.as_deref().filter(|u| !u.trim().is_empty()) {
            Some(code) => Some(
                crate::units::find_in_scope(&mut conn, actor.scope(), code)
                    .await?
                    .id,
            ),
            None => None,
        };
        let rows = store::budgets(&mut conn, actor.scope(), unit, page_size(q.limit)).await?;
        let mut currencies = Currencies::default();
        let mut out = Vec::with_capacity(rows.len());
        for b in rows {
            let c = currencies.of(&mut conn, b.tree_id).await?;
            out.push(budget_view(b, &c));
        }
        Ok(out)
    }

    /// Sets a unit's budget for a year: a new one, or a new amount or days for the one
    /// of that label. Its periods may not overlap another of the unit's, and it may not
    /// be cut below what approvals already committed. Audited with the amount before.
    pub async fn set_budget(
        &self,
        actor: &Actor,
        input: BudgetInput,
    ) -> Result<BudgetView, AppError> {
        let permit = actor.permit(Permission::ApproveAid)?;
        let mut tx = self.write(permit).await?;
        let mut check = Check::default();
        let unit =
            crate::events::unit_field(&mut tx, &mut check, input.unit_code.as_deref()).await?;
        let label = check.take(
            "label",
            required_text(input.label.as_deref().unwrap_or(""), 40),
        );
        let day = |check: &mut Check, field: &str, v: Option<&str>| match v
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => {
                check.fail(field, "required");
                None
            }
            Some(s) => check.take(field, Date::parse_iso(s)),
        };
        let starts = day(&mut check, "starts_on", input.starts_on.as_deref());
        let ends = day(&mut check, "ends_on", input.ends_on.as_deref());
        if let (Some(s), Some(e)) = (starts, ends) {
            if e < s || e > s.add_days(400) {
                check.fail("ends_on", "invalid_period");
            }
        }
        let currency = match &unit {
            Some(u) => currency_of(&mut tx, u.tree_id).await?,
            None => NO_CURRENCY.to_string(),
        };
        let amount = check.take(
            "amount",
            parse_amount(input.amount.as_deref().unwrap_or(""), &currency),
        );
        check.finish()?;
        let (Some(unit), Some(label), Some(starts), Some(ends), Some(amount)) =
            (unit, label, starts, ends, amount)
        else {
            return Err(AppError::Internal("checked budget".into()));
        };
        let before = store::budget_by_label(&mut tx, unit.id, &label).await?;
        let (s, e) = (starts.to_string(), ends.to_string());
        let except = before.as_ref().map_or(0, |b| b.id);
        if store::overlapping(&mut tx, unit.id, &s, &e, except)
            .await?
            .is_some()
        {
            return Err(AppError::field("starts_on", "overlapping_budget"));
        }
        if let Some(b) = &before {
            if amount < b.committed {
                return Err(AppError::field("amount", "below_committed"));
            }
            let committed_outside: i64 = b.committed;
            if committed_outside > 0 && (s > b.starts_on || e < b.ends_on) {
                // Approvals already drew on its days: the period only grows.
                return Err(AppError::field("starts_on", "period_in_use"));
            }
            tx.recount_on(unit.id, &b.starts_on);
        }
        let now = tx.now().to_string();
        let fields = store::BudgetFields {
            unit_id: unit.id,
            label: label.clone(),
            starts_on: s.clone(),
            ends_on: e.clone(),
            amount,
        };
        let id = store::save_budget(&mut tx, before.as_ref().map(|b| b.id), &fields, &now).await?;
        tx.recount_on(unit.id, &s);
        tx.audit(
            if before.is_some() { "change_budget" } else { "set_budget" },
            "aid_budget",
            id,
            Some(unit.id),
            before.as_ref().map(|b| {
                serde_json::json!({ "amount": money(b.amount, &currency), "starts_on": b.starts_on, "ends_on": b.ends_on })
            }),
            Some(serde_json::json!({ "label": label, "amount": money(amount, &currency), "starts_on": s, "ends_on": e })),
        )
        .await?;
        let row = store::budget_by_label(&mut tx, unit.id, &label)
            .await?
            .ok_or(AppError::NotFound("budget"))?;
        tx.commit().await?;
        Ok(budget_view(row, &currency))
    }
}

/// Whether any amount was counted in a tree's currency: a budget or a request.
async fn counted_any(
    conn: &mut Conn,
    root: &muster_store::units::UnitRow,
) -> Result<bool, AppError> {
    let budgets = store::budgets(conn, muster_store::Scope::Subtree(root.id), None, 1).await?;
    let requests = store::list(
        conn,
        muster_store::Scope::Subtree(root.id),
        &store::AidFilter::default(),
        1,
    )
    .await?;
    Ok(!budgets.is_empty() || !requests.is_empty())
}

async fn settings_view(
    conn: &mut Conn,
    root: &muster_store::units::UnitRow,
) -> Result<AidSettingsView, AppError> {
    let currency = currency_of(conn, root.tree_id).await?;
    let limits = store::limits(conn, root.tree_id).await?;
    let levels = muster_store::units::levels(conn, root.tree_id).await?;
    Ok(AidSettingsView {
        tree_code: root.code.clone(),
        limits: levels
            .into_iter()
            .map(|level| LimitView {
                amount: limits
                    .iter()
                    .find(|(l, _)| *l == level)
                    .map(|(_, a)| money(*a, &currency)),
                level,
            })
            .collect(),
        currency,
    })
}
