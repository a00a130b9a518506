//! Governance roll-ups: for a unit's subtree and each unit right below it over a quarter
//! of any calendar, committees and the meetings their cadence asks for, meetings held,
//! attendance, decisions adopted, action items done on time and overdue.

use crate::{Actor, App, AppError};
use muster_domain::calendar::{Calendar, CalendarDate};
use muster_domain::governance::Cadence;
use muster_domain::Date;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Governance figures of one subtree over a quarter.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct GovernanceFigures {
    pub unit_code: String,
    /// `total` for the unit's whole subtree, `child` for each unit right below it.
    pub row: String,
    /// Committees serving in the quarter.
    pub committees: i64,
    /// Meetings their cadence asks for in a quarter (monthly three, quarterly one).
    pub meetings_expected: i64,
    pub meetings_held: i64,
    /// Share of the recorded roster present or represented (per cent).
    pub attendance_rate: Option<f64>,
    pub decisions_adopted: i64,
    /// Action items due in the quarter, those done by their date, and those still
    /// pending past it.
    pub items_due: i64,
    pub items_done_on_time: i64,
    pub items_overdue: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct GovernanceReport {
    pub unit_code: String,
    /// `2024-Q1`, in `calendar`.
    pub quarter: String,
    pub calendar: String,
    pub from: String,
    /// The day after the quarter.
    pub to: String,
    pub rows: Vec<GovernanceFigures>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GovernanceQuery {
    /// A unit code; the caller's own unit (or the first top unit) when not given.
    pub unit: Option<String>,
    /// `2024-Q1`, a quarter of `calendar`; the current quarter when not given.
    pub quarter: Option<String>,
    /// `gregorian`, `persian` or `indian`; the caller's calendar when not given.
    pub calendar: Option<String>,
}

/// A quarter `2024-Q1` of `calendar` (`1401-Q1` in the Solar Hijri one: Farvardin to
/// Khordad) as its first day and the day after its last.
fn quarter_bounds(q: &str, calendar: Calendar) -> Option<(Date, Date)> {
    let (y, n) = q.trim().split_once("-Q")?;
    let y: i32 = y.parse().ok()?;
    let n: u8 = n.parse().ok()?;
    if !(1..=4).contains(&n) {
        return None;
    }
    let first = |year: i32, month: u8| {
        calendar
            .to_iso(CalendarDate {
                year,
                month,
                day: 1,
            })
            .ok()
    };
    let from = first(y, 3 * (n - 1) + 1)?;
    let to = if n == 4 {
        first(y + 1, 1)?
    } else {
        first(y, 3 * n + 1)?
    };
    Some((from, to))
}

impl App {
    /// Governance figures of a unit's subtree and of each unit right below it over a
    /// quarter: committees, meetings held against their cadence, attendance, decisions
    /// adopted, action items done on time and overdue.
    pub async fn governance_rollup(
        &self,
        actor: &Actor,
        q: &GovernanceQuery,
    ) -> Result<GovernanceReport, AppError> {
        let mut conn = self.db().read().await?;
        let today = Date::today();
        let calendar = match q.calendar.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(c) => Calendar::parse(c).map_err(|e| AppError::field("calendar", e.code))?,
            None => Calendar::parse(actor.calendar()).unwrap_or(Calendar::Gregorian),
        };
        let quarter = match q.quarter.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(s) => s.trim().to_string(),
            None => {
                let t = calendar
                    .from_iso(today)
                    .ok_or(AppError::Internal("today".into()))?;
                format!("{}-Q{}", t.year, (t.month - 1) / 3 + 1)
            }
        };
        let (from, to) = quarter_bounds(&quarter, calendar)
            .ok_or_else(|| AppError::field("quarter", "invalid_quarter"))?;
        let unit = match q.unit.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(code) => crate::units::find_in_scope(&mut conn, actor.scope(), code).await?,
            // The caller's own unit, or for the whole instance the first top unit.
            None => match actor.unit_id() {
                Some(own) => muster_store::units::by_id(&mut conn, own)
                    .await?
                    .ok_or(AppError::NotFound("unit"))?,
                None => muster_store::units::list(&mut conn, actor.scope())
                    .await?
                    .into_iter()
                    .find(|u| u.parent_id.is_none())
                    .ok_or(AppError::NotFound("unit"))?,
            },
        };
        let children = muster_store::governance::children(&mut conn, unit.id).await?;
        let mut roots = vec![unit.id];
        roots.extend(children.iter().map(|(id, _)| *id));
        let figures = muster_store::governance::rollup(
            &mut conn,
            &roots,
            &from.to_string(),
            &to.to_string(),
            &today.to_string(),
        )
        .await?;
        let row = |id: i64, code: &str, kind: &str| {
            let f = figures.get(&id).cloned().unwrap_or_default();
            let committees = f.committees_by_cadence.values().sum();
            let expected = f
                .committees_by_cadence
                .iter()
                .map(|(c, n)| Cadence::parse(c).map(Cadence::per_quarter).unwrap_or(0) * n)
                .sum();
            GovernanceFigures {
                unit_code: code.to_string(),
                row: kind.to_string(),
                committees,
                meetings_expected: expected,
                meetings_held: f.meetings_held,
                attendance_rate: muster_domain::governance::share_done(f.attended, f.recorded),
                decisions_adopted: f.decisions_adopted,
                items_due: f.items_due,
                items_done_on_time: f.items_done_on_time,
                items_overdue: f.items_overdue,
            }
        };
        let mut rows = vec![row(unit.id, &unit.code, "total")];
        rows.extend(children.iter().map(|(id, code)| row(*id, code, "child")));
        Ok(GovernanceReport {
            unit_code: unit.code,
            quarter,
            calendar: calendar.as_str().to_string(),
            from: from.to_string(),
            to: to.to_string(),
            rows,
        })
    }
}
