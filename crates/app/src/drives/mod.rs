//! Organizing drives: create a drive with its metrics, set and split targets down the
//! tree, file and review monthly reports, and read progress for any unit in scope.

mod declare;
mod progress;
mod reports;
mod targets;

pub use progress::standing_rank;

use crate::error::{on_conflict, Check};
use crate::{Actor, App, AppError};
use muster_domain::calendar::Calendar;
use muster_domain::drive::{
    allocate, check_target, MetricKind, Period, Progress, ReportStatus, Standing,
};
use muster_domain::member::InformalCategory;
use muster_domain::unit::{optional_text, parse_locale, required_text, UnitCode};
use muster_domain::user::Permission;
use muster_domain::Date;
use muster_store::drives::{
    self as store, DriveFields, DriveRow, MetricFields, MetricRow, NamedUnit, Weight,
};
use muster_store::units as unit_store;
use muster_store::{Conn, Scope};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use utoipa::ToSchema;

/// A metric of a drive.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct MetricView {
    pub id: i64,
    /// `new_members`, `new_informal`, `net_change`, `new_units`, `custom`, or one counted
    /// from governance: `meetings_held` (minutes finalized), `committees_met` (each
    /// committee once, in the month of its first finalized meeting), `decisions_adopted`,
    /// `action_items_done`.
    pub kind: String,
    pub informal_category: Option<String>,
    /// For `new_units`: only units founded in workplaces of at least this many workers.
    pub min_workers: Option<i64>,
    pub unit_of_measure: Option<String>,
    /// A custom metric's name; built-in metrics are named by the reader's language.
    pub name: Option<String>,
    pub names: BTreeMap<String, String>,
    /// For `scheme_enrolled`: the code of the scheme it counts.
    pub scheme: Option<String>,
}

impl MetricView {
    pub fn is_custom(&self) -> bool {
        self.kind == MetricKind::Custom.as_str()
    }

    /// A custom metric's name for a reader of `locale`.
    pub fn name_in(&self, locale: &str) -> Option<&str> {
        self.names
            .get(locale)
            .or(self.name.as_ref())
            .map(String::as_str)
    }
}

/// A drive as callers see it.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct DriveView {
    pub code: String,
    pub name: String,
    pub names: BTreeMap<String, String>,
    pub scope_unit_code: String,
    /// `gregorian` or `persian`: the calendar whose months the drive counts.
    pub calendar: String,
    /// First and last month, `YYYY-MM` in the drive's calendar.
    pub start_month: String,
    pub end_month: String,
    pub months: i64,
    /// The first day of the period and the day after it, ISO.
    pub starts_on: String,
    pub ends_on: String,
    pub report_due_days: i64,
    pub metrics: Vec<MetricView>,
    #[serde(skip)]
    #[schema(ignore)]
    pub id: i64,
    #[serde(skip)]
    #[schema(ignore)]
    pub scope_unit_id: i64,
    #[serde(skip)]
    #[schema(ignore)]
    pub period: Option<Period>,
}

impl DriveView {
    pub fn name_in(&self, locale: &str) -> &str {
        self.names.get(locale).unwrap_or(&self.name)
    }

    pub fn period(&self) -> Period {
        self.period.unwrap_or(Period {
            calendar: Calendar::Gregorian,
            start_year: 1970,
            start_month: 1,
            months: 1,
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct NewMetric {
    pub kind: String,
    pub informal_category: Option<String>,
    pub min_workers: Option<i64>,
    pub unit_of_measure: Option<String>,
    pub name: Option<String>,
    #[serde(default)]
    pub names: BTreeMap<String, String>,
    /// For `scheme_enrolled`: a scheme of the drive's tree, by code.
    pub scheme: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct NewDrive {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub names: BTreeMap<String, String>,
    pub scope_unit_code: String,
    /// `gregorian` (default) or `persian`.
    pub calendar: Option<String>,
    /// `YYYY-MM` in the drive's calendar, native digits accepted.
    pub start_month: String,
    pub end_month: String,
    /// Days after a month's end by which its report is due; 5 when absent.
    pub report_due_days: Option<i64>,
    pub metrics: Vec<NewMetric>,
}

/// Changes to a drive; absent fields stay. The period and metrics stay as created:
/// changing them would change what every report counted.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct DrivePatch {
    pub name: Option<String>,
    pub names: Option<BTreeMap<String, String>>,
    pub report_due_days: Option<i64>,
}

/// Sets one unit's target for one metric; `null` clears it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct TargetInput {
    pub metric_id: i64,
    pub target: Option<i64>,
}

/// Splits a unit's target among its children: `members` or `workforce` in proportion,
/// or `manual` with a target per child code.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SplitInput {
    pub metric_id: i64,
    pub method: String,
    #[serde(default)]
    pub targets: BTreeMap<String, Option<i64>>,
}

/// One row of a progress table: a child unit's subtree, the unit's own figures, or the
/// whole unit.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct ProgressRow {
    /// `total`, `own` or `child`.
    pub row: String,
    pub unit_code: String,
    pub unit_name: String,
    /// Figures per month of the period (0 for months not yet begun).
    pub monthly: Vec<i64>,
    pub cumulative: Vec<i64>,
    pub actual: i64,
    pub target: Option<i64>,
    /// The share of the target due by the end of each month.
    pub target_by_month: Vec<i64>,
    pub percent: Option<f64>,
    pub pace_needed: Option<i64>,
    pub projection: i64,
    /// `achieved`, `on_track`, `behind`, `at_risk` or `no_target`.
    pub standing: String,
}

impl ProgressRow {
    fn new(row: &str, unit: &NamedUnit, p: Progress) -> Self {
        Self {
            row: row.into(),
            unit_code: unit.code.clone(),
            unit_name: unit.name.clone(),
            monthly: p.monthly,
            cumulative: p.cumulative,
            actual: p.actual,
            target: p.target,
            target_by_month: p.target_by_month,
            percent: p.percent,
            pace_needed: p.pace_needed,
            projection: p.projection,
            standing: p.standing.as_str().into(),
        }
    }
}

/// One metric's progress at one unit: the unit, its own figures, and each child.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct MetricProgress {
    pub metric: MetricView,
    pub total: ProgressRow,
    /// Figures of the unit itself, outside any child (members registered directly in it).
    pub own: ProgressRow,
    pub children: Vec<ProgressRow>,
    /// The sum of the children's targets, when any child has one.
    pub children_target_sum: Option<i64>,
    /// The children's targets do not add up to the unit's.
    pub targets_mismatch: bool,
}

/// A drive's progress at one unit of its subtree.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct ProgressView {
    pub drive: DriveView,
    /// From the highest unit the caller may open down to this one.
    pub path: Vec<UnitRef>,
    /// `YYYY-MM` of each month of the period, in the drive's calendar.
    pub months: Vec<String>,
    /// The first day of each month, ISO.
    pub month_starts: Vec<String>,
    pub months_begun: i64,
    pub as_of: String,
    pub metrics: Vec<MetricProgress>,
}

#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct UnitRef {
    pub code: String,
    pub name: String,
}

/// A unit's monthly report.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct ReportView {
    pub unit_code: String,
    pub unit_name: String,
    /// `YYYY-MM` in the drive's calendar.
    pub month: String,
    pub period: i64,
    /// `submitted`, `accepted` or `returned`.
    pub status: String,
    pub narrative: String,
    pub review_comment: Option<String>,
    pub filed_by: Option<String>,
    pub filed_at: String,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<String>,
    /// Figures by custom metric id (JSON keys are strings: `"14"`).
    #[schema(value_type = BTreeMap<String, i64>)]
    pub figures: BTreeMap<i64, i64>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct FileReport {
    pub narrative: Option<String>,
    /// A figure for each custom metric, by metric id (JSON keys are strings: `"14"`).
    #[serde(default)]
    #[schema(value_type = BTreeMap<String, String>)]
    pub figures: BTreeMap<i64, String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ReviewReport {
    /// `accepted` or `returned`.
    pub status: String,
    pub comment: Option<String>,
}

/// A month whose report has not been filed (or was returned) after it fell due.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct OverdueReport {
    pub unit_code: String,
    pub unit_name: String,
    pub month: String,
    pub period: i64,
    pub due_on: String,
    /// `missing` or `returned`.
    pub state: String,
}

async fn view(conn: &mut Conn, row: &DriveRow) -> Result<DriveView, AppError> {
    let names = store::names(conn, &[row.id])
        .await?
        .into_iter()
        .map(|(_, l, n)| (l, n))
        .collect();
    let mut metric_names: HashMap<i64, BTreeMap<String, String>> = HashMap::new();
    for (id, locale, name) in store::metric_names(conn, row.id).await? {
        metric_names.entry(id).or_default().insert(locale, name);
    }
    let metrics = store::metrics(conn, row.id)
        .await?
        .into_iter()
        .map(|m: MetricRow| MetricView {
            names: metric_names.remove(&m.id).unwrap_or_default(),
            id: m.id,
            kind: m.kind,
            informal_category: m.informal_category,
            min_workers: m.min_workers,
            unit_of_measure: m.unit_of_measure,
            name: m.name,
            scheme: m.scheme_code,
        })
        .collect();
    let scope = unit_store::by_id(conn, row.scope_unit_id)
        .await?
        .ok_or(AppError::NotFound("unit"))?;
    let period = row.period();
    Ok(DriveView {
        code: row.code.clone(),
        name: row.name.clone(),
        names,
        scope_unit_code: scope.code,
        calendar: row.calendar.clone(),
        start_month: period.month_key(0),
        end_month: period.month_key(period.months - 1),
        months: row.months,
        starts_on: row.starts_on.clone(),
        ends_on: row.ends_on.clone(),
        report_due_days: row.report_due_days,
        metrics,
        id: row.id,
        scope_unit_id: row.scope_unit_id,
        period: Some(period),
    })
}

/// A drive the actor may open: its scope lies in the actor's subtree or above it.
async fn find(conn: &mut Conn, actor: &Actor, code: &str) -> Result<DriveRow, AppError> {
    let row = store::by_code(conn, code.trim())
        .await?
        .ok_or(AppError::NotFound("drive"))?;
    let visible = match actor.unit_id {
        None => true,
        Some(unit) => {
            unit_store::in_scope(conn, Scope::Subtree(unit), row.scope_unit_id).await?
                || unit_store::in_scope(conn, Scope::Subtree(row.scope_unit_id), unit).await?
        }
    };
    if visible {
        Ok(row)
    } else {
        Err(AppError::NotFound("drive"))
    }
}

/// The highest unit of the drive the actor may open: the drive's scope unit, or the
/// actor's own unit when it lies below it.
fn top_for(actor: &Actor, drive: &DriveRow, actor_below: bool) -> i64 {
    match actor.unit_id {
        Some(u) if actor_below => u,
        _ => drive.scope_unit_id,
    }
}

/// A unit of the drive's subtree that the actor may open, by code (`None`: the top).
async fn unit_for(
    conn: &mut Conn,
    actor: &Actor,
    drive: &DriveRow,
    code: Option<&str>,
) -> Result<(i64, i64), AppError> {
    let actor_below = match actor.unit_id {
        Some(u) => {
            u != drive.scope_unit_id
                && unit_store::in_scope(conn, Scope::Subtree(drive.scope_unit_id), u).await?
        }
        None => false,
    };
    let top = top_for(actor, drive, actor_below);
    let unit = match code.map(str::trim).filter(|c| !c.is_empty()) {
        None => top,
        Some(code) => {
            let code = UnitCode::parse(code).map_err(|_| AppError::NotFound("unit"))?;
            match unit_store::by_code(conn, code.as_str()).await? {
                Some(u)
                    if unit_store::in_scope(conn, Scope::Subtree(top), u.id).await?
                        && unit_store::in_scope(conn, actor.scope(), u.id).await? =>
                {
                    u.id
                }
                _ => return Err(AppError::NotFound("unit")),
            }
        }
    };
    Ok((top, unit))
}

/// Rebuilds the figures of a tree's drives after its units change: only the new-unit
/// metrics after a unit is created or edited, everything after a move.
pub(crate) async fn refresh_tree(
    conn: &mut Conn,
    tree_id: i64,
    only_units: bool,
) -> Result<(), AppError> {
    for drive in store::of_tree(conn, tree_id).await? {
        store::rebuild(conn, &drive, only_units).await?;
    }
    Ok(())
}

/// How a unit's move touches a drive.
pub(crate) enum MoveEffect {
    /// The drive's whole scope moves with the unit: nothing changes.
    None,
    /// The unit stays inside the scope: its totals move between ancestors.
    Shift(DriveRow),
    /// The unit enters or leaves the scope: the drive is counted again.
    Recount(DriveRow),
}

/// What moving `unit_id` under `new_parent` does to each drive of its tree; asked
/// before the move.
pub(crate) async fn move_effects(
    conn: &mut Conn,
    tree_id: i64,
    unit_id: i64,
    new_parent: i64,
) -> Result<Vec<MoveEffect>, AppError> {
    let mut out = Vec::new();
    for drive in store::of_tree(conn, tree_id).await? {
        let scope = Scope::Subtree(drive.scope_unit_id);
        let effect =
            if unit_store::in_scope(conn, Scope::Subtree(unit_id), drive.scope_unit_id).await? {
                MoveEffect::None
            } else if unit_store::in_scope(conn, scope, unit_id).await?
                && unit_store::in_scope(conn, scope, new_parent).await?
            {
                MoveEffect::Shift(drive)
            } else {
                MoveEffect::Recount(drive)
            };
        out.push(effect);
    }
    Ok(out)
}

fn month_index(period: &Period, month: &str) -> Result<i64, AppError> {
    let p = Period::parse(period.calendar, month, month)
        .map_err(|(_, e)| AppError::field("month", e.code))?;
    let n = (p.start_year - period.start_year) * 12 + i32::from(p.start_month)
        - i32::from(period.start_month);
    if (0..period.months as i32).contains(&n) {
        Ok(i64::from(n))
    } else {
        Err(AppError::field("month", "outside_period"))
    }
}

impl App {
    /// The drives the actor may open, newest first.
    pub async fn list_drives(&self, actor: &Actor) -> Result<Vec<DriveView>, AppError> {
        let mut conn = self.db().read().await?;
        let rows = store::list(&mut conn, actor.scope()).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            out.push(view(&mut conn, row).await?);
        }
        Ok(out)
    }

    pub async fn get_drive(&self, actor: &Actor, code: &str) -> Result<DriveView, AppError> {
        let mut conn = self.db().read().await?;
        let row = find(&mut conn, actor, code).await?;
        view(&mut conn, &row).await
    }
}
