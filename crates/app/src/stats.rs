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
        let rows = counters::rollup(&mut conn, Some(unit.id)).await?;
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

/// What the dashboard shows of the actor's subtree.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
pub struct Dashboard {
    pub by_status: BTreeMap<String, i64>,
    pub active: i64,
    pub new_this_month: i64,
    pub new_this_year: i64,
    pub active_by_employment: BTreeMap<String, i64>,
    /// The last twelve months, oldest first, with zeros where nothing happened.
    pub months: Vec<MonthFigures>,
}

impl App {
    pub async fn dashboard(
        &self,
        actor: &Actor,
        today: muster_domain::Date,
    ) -> Result<Dashboard, AppError> {
        let mut conn = self.db().read().await?;
        let by_status = counters::by_status(&mut conn, actor.unit_id)
            .await?
            .into_iter()
            .collect();
        let rows = counters::rollup(&mut conn, actor.unit_id).await?;
        let this_month = today.month_key();
        let this_year = format!("{:04}", today.year());
        let mut d = Dashboard {
            by_status,
            ..Dashboard::default()
        };
        let mut months: BTreeMap<String, MonthFigures> = BTreeMap::new();
        let mut first = today;
        for _ in 0..11 {
            first = muster_domain::Date::new(first.year(), first.month(), 1)
                .map(|f| f.add_days(-1))
                .unwrap_or(first);
        }
        let first_month = first.month_key();
        let mut month = first_month.clone();
        while month <= this_month {
            months.insert(
                month.clone(),
                MonthFigures {
                    month: month.clone(),
                    ..MonthFigures::default()
                },
            );
            let (y, m) = (
                month[..4].parse::<i32>().unwrap_or(0),
                month[5..].parse::<u8>().unwrap_or(1),
            );
            month = if m == 12 {
                format!("{:04}-01", y + 1)
            } else {
                format!("{y:04}-{:02}", m + 1)
            };
        }
        let mut running = 0;
        for r in rows {
            d.active += r.active_delta;
            *d.active_by_employment
                .entry(r.employment_type.clone())
                .or_default() += r.active_delta;
            if r.month == this_month {
                d.new_this_month += r.joins;
            }
            if r.month.starts_with(&this_year) && r.month <= this_month {
                d.new_this_year += r.joins;
            }
            if r.month < first_month {
                running += r.active_delta;
            }
            if let Some(m) = months.get_mut(&r.month) {
                m.joins += r.joins;
                m.leaves += r.leaves;
                m.transfers_in += r.transfers_in;
                m.transfers_out += r.transfers_out;
                m.active_end += r.active_delta;
            }
        }
        d.months = months
            .into_values()
            .map(|mut m| {
                running += m.active_end;
                m.active_end = running;
                m
            })
            .collect();
        Ok(d)
    }
}
