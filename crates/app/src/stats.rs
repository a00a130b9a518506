//! Membership figures of a subtree, read from the monthly counters.

use crate::units::find_in_scope;
use crate::{Actor, App, AppError};
use muster_store::counters;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
pub struct MonthFigures {
    /// `YYYY-MM`
    pub month: String,
    pub joins: i64,
    pub leaves: i64,
    pub transfers_in: i64,
    pub transfers_out: i64,
    /// Active members at the end of the month.
    pub active_end: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
pub struct UnitStats {
    pub unit_code: String,
    /// Active members now, the unit and everything below it.
    pub active: i64,
    /// Active members now by employment type (`formal`, `informal`, `` unknown).
    pub active_by_employment: BTreeMap<String, i64>,
    pub months: Vec<MonthFigures>,
}

impl App {
    pub async fn unit_stats(&self, actor: &Actor, code: &str) -> Result<UnitStats, AppError> {
        let mut conn = self.db().read().await?;
        let unit = find_in_scope(&mut conn, actor.scope(), code).await?;
        let rows = counters::rollup(&mut conn, actor.scope(), Some(unit.id)).await?;
        let mut by_month: BTreeMap<String, MonthFigures> = BTreeMap::new();
        let mut by_employment: BTreeMap<String, i64> = BTreeMap::new();
        for r in rows {
            let m = by_month
                .entry(r.month.clone())
                .or_insert_with(|| MonthFigures {
                    month: r.month.clone(),
                    ..MonthFigures::default()
                });
            m.joins += r.joins;
            m.leaves += r.leaves;
            m.transfers_in += r.transfers_in;
            m.transfers_out += r.transfers_out;
            m.active_end += r.active_delta;
            *by_employment.entry(r.employment_type).or_default() += r.active_delta;
        }
        let mut running = 0;
        let months: Vec<MonthFigures> = by_month
            .into_values()
            .map(|mut m| {
                running += m.active_end;
                m.active_end = running;
                m
            })
            .collect();
        Ok(UnitStats {
            unit_code: unit.code,
            active: running,
            active_by_employment: by_employment,
            months,
        })
    }
}
