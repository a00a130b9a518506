//! Aid rolled up the tree over a period: for a unit's subtree and each unit right
//! below it, the requests made and the amounts asked, approved and paid against the
//! budgets of the period, read from the tallies.

use super::{currency_of, money};
use crate::{Actor, App, AppError};
use muster_domain::Date;
use muster_store::tallies::Range;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct AidRollup {
    pub unit_code: String,
    pub currency: String,
    /// The period, both days included.
    pub from: String,
    pub to: String,
    pub rows: Vec<AidFigures>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct AidFigures {
    pub unit_code: String,
    /// `total` for the unit's whole subtree, `child` for each unit right below it.
    pub row: String,
    /// Requests made at its desks, and what they asked.
    pub requests: i64,
    pub requested: String,
    /// Approved and paid from its budgets, and those budgets.
    pub approved: String,
    pub paid: String,
    pub budget: String,
    /// Budget not committed by approvals (below zero when overridden).
    pub left: String,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AidRollupQuery {
    /// A unit code; the caller's own unit when not given.
    pub unit: Option<String>,
    /// The first day (ISO); by default that of the unit's budget for today, else the
    /// first of January.
    pub from: Option<String>,
    /// The last day, included; by default that budget's last, else the end of the year.
    pub to: Option<String>,
}

const FIGURES: [&str; 5] = [
    "aid_requests",
    "aid_requested",
    "aid_approved",
    "aid_paid",
    "aid_budget",
];

impl App {
    /// Aid of a unit's subtree and of each unit right below it over a period.
    pub async fn aid_rollup(
        &self,
        actor: &Actor,
        q: &AidRollupQuery,
    ) -> Result<AidRollup, AppError> {
        let mut conn = self.db().read().await?;
        let unit = match q.unit.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(code) => crate::units::find_in_scope(&mut conn, actor.scope(), code).await?,
            None => {
                let own = actor.unit_id().ok_or(AppError::field("unit", "required"))?;
                muster_store::units::by_id(&mut conn, own)
                    .await?
                    .ok_or(AppError::NotFound("unit"))?
            }
        };
        let day = |field: &str, v: Option<&str>| -> Result<Option<Date>, AppError> {
            match v.map(str::trim).filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(s) => Date::parse_iso(s)
                    .map(Some)
                    .map_err(|e| AppError::field(field, e.code)),
            }
        };
        let (from, to) = (day("from", q.from.as_deref())?, day("to", q.to.as_deref())?);
        let today = Date::today();
        let budget = muster_store::aid::budget_on(&mut conn, unit.id, &today.to_string()).await?;
        let (default_from, default_to) = match &budget {
            Some(b) => (
                Date::parse_iso(&b.starts_on).ok(),
                Date::parse_iso(&b.ends_on).ok(),
            ),
            None => (None, None),
        };
        let year = today.to_string()[..4].to_string();
        let from = from
            .or(default_from)
            .or_else(|| Date::parse_iso(&format!("{year}-01-01")).ok())
            .unwrap_or(today);
        let to = to
            .or(default_to)
            .or_else(|| Date::parse_iso(&format!("{year}-12-31")).ok())
            .unwrap_or(today);
        if to < from {
            return Err(AppError::field("to", "invalid_period"));
        }
        let currency = currency_of(&mut conn, unit.tree_id).await?;
        let children = muster_store::governance::children(&mut conn, unit.id).await?;
        let mut roots = vec![(unit.id, unit.code.clone(), "total")];
        roots.extend(children.into_iter().map(|(id, code)| (id, code, "child")));
        let ids: Vec<i64> = roots.iter().map(|(id, _, _)| *id).collect();
        let read = muster_store::tallies::read(
            &mut conn,
            &ids,
            &[Range {
                figures: FIGURES.iter().map(|f| f.to_string()).collect(),
                from: Some(from.to_string()),
                to: to.add_days(1).to_string(),
            }],
        )
        .await?;
        let rows = roots
            .into_iter()
            .map(|(id, code, row)| {
                let get = |f: &str| read.get(&(id, f.to_string())).copied().unwrap_or(0);
                AidFigures {
                    unit_code: code,
                    row: row.into(),
                    requests: get("aid_requests"),
                    requested: money(get("aid_requested"), &currency),
                    approved: money(get("aid_approved"), &currency),
                    paid: money(get("aid_paid"), &currency),
                    budget: money(get("aid_budget"), &currency),
                    left: money(get("aid_budget") - get("aid_approved"), &currency),
                }
            })
            .collect();
        Ok(AidRollup {
            unit_code: unit.code,
            currency,
            from: from.to_string(),
            to: to.to_string(),
            rows,
        })
    }
}
