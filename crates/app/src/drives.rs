//! Organizing drives: create a drive with its metrics, set and split targets down the
//! tree, file and review monthly reports, and read progress for any unit in scope.

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
    /// `new_members`, `new_informal`, `net_change`, `new_units` or `custom`.
    pub kind: String,
    pub informal_category: Option<String>,
    /// For `new_units`: only units founded in workplaces of at least this many workers.
    pub min_workers: Option<i64>,
    pub unit_of_measure: Option<String>,
    /// A custom metric's name; built-in metrics are named by the reader's language.
    pub name: Option<String>,
    pub names: BTreeMap<String, String>,
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
    /// Figures by custom metric id.
    pub figures: BTreeMap<i64, i64>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct FileReport {
    pub narrative: Option<String>,
    /// A figure for each custom metric, by metric id.
    #[serde(default)]
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

    /// Creates a drive and counts what already happened in its period.
    pub async fn create_drive(
        &self,
        actor: &Actor,
        input: NewDrive,
    ) -> Result<DriveView, AppError> {
        let permit = actor.permit(Permission::ManageUnits)?;
        let mut check = Check::default();
        let code = check.take("code", UnitCode::parse(&input.code));
        let name = check.take("name", required_text(&input.name, 200));
        let mut names = Vec::new();
        for (locale, n) in &input.names {
            let field = format!("names.{locale}");
            let l = check.take(&field, parse_locale(locale));
            let n = check.take(&field, optional_text(Some(n), 200)).flatten();
            if let (Some(l), Some(n)) = (l, n) {
                names.push((l.to_string(), n));
            }
        }
        let calendar = match input
            .calendar
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Some(Calendar::Gregorian),
            Some(c) => match Calendar::parse(c) {
                Ok(Calendar::Indian) | Err(_) => {
                    check.fail("calendar", "invalid_calendar");
                    None
                }
                Ok(c) => Some(c),
            },
        };
        let period =
            calendar.and_then(
                |c| match Period::parse(c, &input.start_month, &input.end_month) {
                    Ok(p) => Some(p),
                    Err((field, e)) => {
                        check.fail(field, e.code);
                        None
                    }
                },
            );
        let due = input.report_due_days.unwrap_or(5);
        if !(0..=60).contains(&due) {
            check.fail("report_due_days", "out_of_range");
        }
        if input.metrics.is_empty() {
            check.fail("metrics", "required");
        }
        if input.metrics.len() > muster_domain::drive::MAX_METRICS {
            // Refused before reading them: 20,000 metrics would each be checked.
            return Err(AppError::field("metrics", "too_many"));
        }
        let mut metrics = Vec::new();
        for (i, m) in input.metrics.iter().enumerate() {
            let field = |f: &str| format!("metrics.{i}.{f}");
            let Some(kind) = check.take(&field("kind"), MetricKind::parse(&m.kind)) else {
                continue;
            };
            let informal_category = match kind {
                MetricKind::NewInformal => check
                    .opt(
                        &field("informal_category"),
                        m.informal_category.as_deref(),
                        InformalCategory::parse,
                    )
                    .map(|c| c.as_str().to_string()),
                _ => None,
            };
            let min_workers = match (kind, m.min_workers) {
                (MetricKind::NewUnits, Some(n)) if !(1..=1_000_000).contains(&n) => {
                    check.fail(&field("min_workers"), "out_of_range");
                    None
                }
                (MetricKind::NewUnits, n) => n,
                _ => None,
            };
            let (name, unit_of_measure) = if kind == MetricKind::Custom {
                (
                    check.take(
                        &field("name"),
                        required_text(m.name.as_deref().unwrap_or(""), 200),
                    ),
                    check
                        .take(
                            &field("unit_of_measure"),
                            optional_text(m.unit_of_measure.as_deref(), 40),
                        )
                        .flatten(),
                )
            } else {
                (None, None)
            };
            let mut metric_names = Vec::new();
            for (locale, n) in &m.names {
                let l = check.take(&field("names"), parse_locale(locale));
                let n = check
                    .take(&field("names"), optional_text(Some(n), 200))
                    .flatten();
                if let (Some(l), Some(n)) = (l, n) {
                    metric_names.push((l.to_string(), n));
                }
            }
            metrics.push((
                MetricFields {
                    kind,
                    informal_category,
                    min_workers,
                    unit_of_measure,
                    name,
                },
                metric_names,
            ));
        }
        let mut tx = self.write(permit).await?;
        let scope_unit = match tx.unit(&input.scope_unit_code).await {
            Ok(u) => Some(u),
            Err(AppError::NotFound(_)) => {
                check.fail("scope_unit_code", "unknown_unit");
                None
            }
            Err(e) => return Err(e),
        };
        check.finish()?;
        let (Some(code), Some(name), Some(period), Some(scope_unit)) =
            (code, name, period, scope_unit)
        else {
            return Err(AppError::Internal("checked fields missing".into()));
        };
        let now = tx.now().to_string();
        let fields = DriveFields {
            scope_unit_id: scope_unit.id,
            code: code.as_str().into(),
            name,
            period,
            report_due_days: due,
        };
        let id = store::insert(&mut tx, scope_unit.tree_id, &fields, &now)
            .await
            .map_err(on_conflict)?;
        store::set_names(&mut tx, id, &names).await?;
        for (position, (m, metric_names)) in metrics.iter().enumerate() {
            let metric_id = store::insert_metric(&mut tx, id, position as i64, m).await?;
            store::set_metric_names(&mut tx, metric_id, metric_names).await?;
        }
        let row = store::by_code(&mut tx, code.as_str())
            .await?
            .ok_or(AppError::NotFound("drive"))?;
        store::rebuild(&mut tx, &row, false).await?;
        let created = view(&mut tx, &row).await?;
        tx.audit(
            "create",
            "drive",
            id,
            Some(scope_unit.id),
            None,
            serde_json::to_value(&created).ok(),
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Renames a drive or changes when its reports fall due: by someone whose subtree
    /// holds the drive's unit.
    pub async fn update_drive(
        &self,
        actor: &Actor,
        code: &str,
        patch: DrivePatch,
    ) -> Result<DriveView, AppError> {
        let permit = actor.permit(Permission::ManageUnits)?;
        let mut tx = self.write(permit).await?;
        let scope = tx.scope();
        let row = find(&mut tx, actor, code).await?;
        if !unit_store::in_scope(&mut tx, scope, row.scope_unit_id).await? {
            return Err(AppError::Forbidden);
        }
        let before = view(&mut tx, &row).await?;
        let mut check = Check::default();
        let name = match &patch.name {
            Some(n) => check.take("name", required_text(n, 200)),
            None => Some(row.name.clone()),
        };
        let due = patch.report_due_days.unwrap_or(row.report_due_days);
        if !(0..=60).contains(&due) {
            check.fail("report_due_days", "out_of_range");
        }
        let mut names = Vec::new();
        for (locale, n) in patch.names.iter().flatten() {
            let field = format!("names.{locale}");
            let l = check.take(&field, parse_locale(locale));
            let n = check.take(&field, optional_text(Some(n), 200)).flatten();
            if let (Some(l), Some(n)) = (l, n) {
                names.push((l.to_string(), n));
            }
        }
        check.finish()?;
        let now = tx.now().to_string();
        store::update(
            &mut tx,
            row.id,
            name.as_deref().unwrap_or(&row.name),
            due,
            &now,
        )
        .await?;
        if patch.names.is_some() {
            store::set_names(&mut tx, row.id, &names).await?;
        }
        let row = store::by_code(&mut tx, &row.code)
            .await?
            .ok_or(AppError::NotFound("drive"))?;
        let after = view(&mut tx, &row).await?;
        tx.audit(
            "update",
            "drive",
            row.id,
            Some(row.scope_unit_id),
            serde_json::to_value(&before).ok(),
            serde_json::to_value(&after).ok(),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Sets a unit's own target for one metric. The drive's top unit takes its target
    /// from whoever may open it; any other unit from someone above it.
    pub async fn set_target(
        &self,
        actor: &Actor,
        drive_code: &str,
        unit_code: &str,
        input: TargetInput,
    ) -> Result<(), AppError> {
        let permit = actor.permit(Permission::ManageUnits)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let drive = find(&mut tx, actor, drive_code).await?;
        let (_, unit) = unit_for(&mut tx, actor, &drive, Some(unit_code)).await?;
        if unit != drive.scope_unit_id && actor.unit_id == Some(unit) {
            return Err(AppError::Forbidden);
        }
        if !store::metrics(&mut tx, drive.id)
            .await?
            .iter()
            .any(|m| m.id == input.metric_id)
        {
            return Err(AppError::field("metric_id", "unknown_metric"));
        }
        if let Some(Err(e)) = input.target.map(check_target) {
            return Err(AppError::field("target", e.code));
        }
        store::set_target(&mut tx, input.metric_id, unit, input.target).await?;
        tx.audit(
            "set_target",
            "drive",
            drive.id,
            Some(unit),
            None,
            Some(serde_json::json!({ "metric_id": input.metric_id, "unit": unit_code, "target": input.target }))
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Splits a unit's target for one metric among its children: in proportion to
    /// members or workforce (exactly, by largest remainder), or by hand.
    pub async fn split_target(
        &self,
        actor: &Actor,
        drive_code: &str,
        unit_code: &str,
        input: SplitInput,
    ) -> Result<Vec<(String, Option<i64>)>, AppError> {
        let permit = actor.permit(Permission::ManageUnits)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let drive = find(&mut tx, actor, drive_code).await?;
        let (_, unit) = unit_for(&mut tx, actor, &drive, Some(unit_code)).await?;
        if !store::metrics(&mut tx, drive.id)
            .await?
            .iter()
            .any(|m| m.id == input.metric_id)
        {
            return Err(AppError::field("metric_id", "unknown_metric"));
        }
        let children = store::children(&mut tx, unit, "en").await?;
        if children.is_empty() {
            return Err(AppError::field("method", "no_children"));
        }
        let parts: Vec<Option<i64>> = match input.method.as_str() {
            "members" | "workforce" => {
                let weight = if input.method == "members" {
                    Weight::Members
                } else {
                    Weight::Workforce
                };
                let target = store::targets(&mut tx, drive.id, unit)
                    .await?
                    .into_iter()
                    .find(|(m, u, _)| *m == input.metric_id && *u == unit)
                    .map(|(_, _, t)| t)
                    .ok_or_else(|| AppError::field("target", "no_target"))?;
                let weights = store::split_weights(&mut tx, unit, weight).await?;
                let w: Vec<i64> = children
                    .iter()
                    .map(|c| weights.get(&c.id).copied().unwrap_or(0))
                    .collect();
                allocate(target, &w).into_iter().map(Some).collect()
            }
            "manual" => {
                let mut check = Check::default();
                let parts = children
                    .iter()
                    .map(|c| match input.targets.get(&c.code).copied().flatten() {
                        Some(t) => check.take(&format!("targets.{}", c.code), check_target(t)),
                        None => None,
                    })
                    .collect();
                for code in input.targets.keys() {
                    if !children.iter().any(|c| &c.code == code) {
                        check.fail(&format!("targets.{code}"), "unknown_unit");
                    }
                }
                check.finish()?;
                parts
            }
            _ => return Err(AppError::field("method", "invalid_method")),
        };
        for (child, part) in children.iter().zip(&parts) {
            store::set_target(&mut tx, input.metric_id, child.id, *part).await?;
        }
        let result: Vec<(String, Option<i64>)> =
            children.iter().map(|c| c.code.clone()).zip(parts).collect();
        tx.audit(
            "split_target",
            "drive",
            drive.id,
            Some(unit),
            None,
            Some(serde_json::json!({ "metric_id": input.metric_id, "unit": unit_code, "method": input.method, "targets": result }))
        )
        .await?;
        tx.commit().await?;
        Ok(result)
    }

    /// Progress of every metric at one unit (`None`: the highest the actor may open), as
    /// of `today`, with names in `locale`.
    pub async fn drive_progress(
        &self,
        actor: &Actor,
        drive_code: &str,
        unit_code: Option<&str>,
        today: Date,
    ) -> Result<ProgressView, AppError> {
        let mut conn = self.db().read().await?;
        let drive = find(&mut conn, actor, drive_code).await?;
        let (top, unit) = unit_for(&mut conn, actor, &drive, unit_code).await?;
        let locale = actor.locale.as_str();
        let path = store::path(&mut conn, top, unit, locale).await?;
        let this = path.last().cloned().ok_or(AppError::NotFound("unit"))?;
        let children = store::children(&mut conn, unit, locale).await?;
        let values = store::values(&mut conn, drive.id, unit).await?;
        let targets = store::targets(&mut conn, drive.id, unit).await?;
        let dv = view(&mut conn, &drive).await?;
        let period = drive.period();
        let n = period.months as usize;
        let mut total: HashMap<(i64, i64), Vec<i64>> = HashMap::new();
        let mut own: HashMap<i64, Vec<i64>> = HashMap::new();
        for v in &values {
            let Ok(i) = usize::try_from(v.period) else {
                continue;
            };
            if i >= n {
                continue;
            }
            total
                .entry((v.metric_id, v.unit_id))
                .or_insert_with(|| vec![0; n])[i] += v.total;
            if v.unit_id == unit {
                own.entry(v.metric_id).or_insert_with(|| vec![0; n])[i] += v.own;
            }
        }
        let target_of: HashMap<(i64, i64), i64> =
            targets.iter().map(|(m, u, t)| ((*m, *u), *t)).collect();
        let zero = vec![0; n];
        let mut metrics = Vec::new();
        for m in &dv.metrics {
            let progress = |figures: &[i64], target: Option<i64>| {
                Progress::compute(&period, figures, target, today)
            };
            let unit_target = target_of.get(&(m.id, unit)).copied();
            let total_row = ProgressRow::new(
                "total",
                &this,
                progress(total.get(&(m.id, unit)).unwrap_or(&zero), unit_target),
            );
            let own_row = ProgressRow::new(
                "own",
                &this,
                progress(own.get(&m.id).unwrap_or(&zero), None),
            );
            let child_rows: Vec<ProgressRow> = children
                .iter()
                .map(|c| {
                    ProgressRow::new(
                        "child",
                        c,
                        progress(
                            total.get(&(m.id, c.id)).unwrap_or(&zero),
                            target_of.get(&(m.id, c.id)).copied(),
                        ),
                    )
                })
                .collect();
            let child_targets: Vec<i64> = child_rows.iter().filter_map(|r| r.target).collect();
            let children_target_sum =
                (!child_targets.is_empty()).then(|| child_targets.iter().sum());
            let targets_mismatch = match (unit_target, children_target_sum) {
                (Some(t), Some(s)) => t != s || child_targets.len() != child_rows.len(),
                _ => false,
            };
            metrics.push(MetricProgress {
                metric: m.clone(),
                total: total_row,
                own: own_row,
                children: child_rows,
                children_target_sum,
                targets_mismatch,
            });
        }
        Ok(ProgressView {
            months: (0..period.months).map(|i| period.month_key(i)).collect(),
            month_starts: (0..period.months)
                .map(|i| {
                    period
                        .month_start(i)
                        .map(|d| d.to_string())
                        .unwrap_or_default()
                })
                .collect(),
            months_begun: i64::from(period.months_begun(today)),
            as_of: today.to_string(),
            path: path
                .into_iter()
                .map(|u| UnitRef {
                    code: u.code,
                    name: u.name,
                })
                .collect(),
            drive: dv,
            metrics,
        })
    }

    /// The reports of a drive filed by units in the actor's subtree.
    pub async fn drive_reports(
        &self,
        actor: &Actor,
        drive_code: &str,
    ) -> Result<Vec<ReportView>, AppError> {
        let mut conn = self.db().read().await?;
        let drive = find(&mut conn, actor, drive_code).await?;
        let rows = store::reports(&mut conn, drive.id, actor.scope(), &actor.locale).await?;
        let mut figures = store::drive_report_values(&mut conn, drive.id).await?;
        let period = drive.period();
        Ok(rows
            .into_iter()
            .map(|r| {
                let f = figures.remove(&r.id).unwrap_or_default();
                report_view(&period, r, f)
            })
            .collect())
    }

    pub async fn get_report(
        &self,
        actor: &Actor,
        drive_code: &str,
        unit_code: &str,
        month: &str,
    ) -> Result<Option<ReportView>, AppError> {
        let mut conn = self.db().read().await?;
        let drive = find(&mut conn, actor, drive_code).await?;
        let (_, unit) = unit_for(&mut conn, actor, &drive, Some(unit_code)).await?;
        let period = drive.period();
        let index = month_index(&period, month)?;
        match store::report(&mut conn, drive.id, unit, index, &actor.locale).await? {
            Some(r) => Ok(Some(with_figures(&mut conn, &period, r).await?)),
            None => Ok(None),
        }
    }

    /// Files a unit's report for a month that has begun; filing again replaces it and
    /// sends it back for review.
    pub async fn file_report(
        &self,
        actor: &Actor,
        drive_code: &str,
        unit_code: &str,
        month: &str,
        input: FileReport,
        today: Date,
    ) -> Result<ReportView, AppError> {
        let permit = actor.permit(Permission::EditRegistry)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let drive = find(&mut tx, actor, drive_code).await?;
        let (_, unit) = unit_for(&mut tx, actor, &drive, Some(unit_code)).await?;
        if unit == drive.scope_unit_id {
            // The drive's own unit reviews the reports below it; it files none itself.
            return Err(AppError::field("unit", "drive_unit_files_none"));
        }
        let period = drive.period();
        let index = month_index(&period, month)?;
        if index >= i64::from(period.months_begun(today)) {
            return Err(AppError::field("month", "not_begun"));
        }
        if let Some(old) = store::report(&mut tx, drive.id, unit, index, &actor.locale).await? {
            if old.status == ReportStatus::Accepted.as_str() {
                return Err(AppError::field("status", "already_accepted"));
            }
        }
        let mut check = Check::default();
        let narrative = check
            .take("narrative", optional_text(input.narrative.as_deref(), 5000))
            .flatten()
            .unwrap_or_default();
        let mut figures = Vec::new();
        let metrics = store::metrics(&mut tx, drive.id).await?;
        for id in input.figures.keys() {
            if !metrics
                .iter()
                .any(|m| m.id == *id && m.kind == MetricKind::Custom.as_str())
            {
                check.fail(&format!("figures.{id}"), "unknown_metric");
            }
        }
        for m in metrics {
            if m.kind != MetricKind::Custom.as_str() {
                continue;
            }
            let field = format!("figures.{}", m.id);
            match input
                .figures
                .get(&m.id)
                .map(|s| muster_domain::names::digits_to_ascii(s.trim()))
            {
                None => check.fail(&field, "required"),
                Some(s) if s.is_empty() => check.fail(&field, "required"),
                Some(s) => match s.parse::<i64>() {
                    Ok(v) if (0..=1_000_000_000).contains(&v) => figures.push((m.id, v)),
                    _ => check.fail(&field, "invalid_number"),
                },
            }
        }
        check.finish()?;
        let now = tx.now().to_string();
        let filing = store::Filing {
            unit_id: unit,
            period: index,
            narrative: &narrative,
            figures: &figures,
            user_id: actor.user_id,
        };
        let id = store::file_report(&mut tx, &drive, &filing, &now).await?;
        tx.audit(
            "file_report",
            "drive_report",
            id,
            Some(unit),
            None,
            Some(serde_json::json!({ "drive": drive.code, "unit": unit_code, "month": month, "figures": figures, "narrative": narrative }))
        )
        .await?;
        let row = store::report(&mut tx, drive.id, unit, index, &actor.locale)
            .await?
            .ok_or(AppError::NotFound("report"))?;
        let out = with_figures(&mut tx, &period, row).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Accepts a filed report or returns it with a comment. Only someone above the
    /// reporting unit may review it.
    pub async fn review_report(
        &self,
        actor: &Actor,
        drive_code: &str,
        unit_code: &str,
        month: &str,
        input: ReviewReport,
    ) -> Result<ReportView, AppError> {
        let permit = actor.permit(Permission::ManageUnits)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let drive = find(&mut tx, actor, drive_code).await?;
        let (_, unit) = unit_for(&mut tx, actor, &drive, Some(unit_code)).await?;
        if actor.unit_id == Some(unit) {
            return Err(AppError::Forbidden);
        }
        let period = drive.period();
        let index = month_index(&period, month)?;
        let report = store::report(&mut tx, drive.id, unit, index, &actor.locale)
            .await?
            .ok_or(AppError::NotFound("report"))?;
        let to = match ReportStatus::parse(&input.status) {
            Ok(s @ (ReportStatus::Accepted | ReportStatus::Returned)) => s,
            _ => return Err(AppError::field("status", "invalid_report_status")),
        };
        if report.status != ReportStatus::Submitted.as_str() {
            return Err(AppError::field("status", "not_submitted"));
        }
        let comment = optional_text(input.comment.as_deref(), 2000)
            .map_err(|e| AppError::field("comment", e.code))?;
        if to == ReportStatus::Returned && comment.is_none() {
            return Err(AppError::field("comment", "required"));
        }
        let now = tx.now().to_string();
        store::review_report(
            &mut tx,
            &drive,
            &report,
            to,
            comment.as_deref(),
            actor.user_id,
            &now,
        )
        .await?;
        tx.audit(
            "review_report",
            "drive_report",
            report.id,
            Some(unit),
            Some(serde_json::json!({ "status": report.status })),
            Some(serde_json::json!({ "status": to.as_str(), "comment": comment })),
        )
        .await?;
        let row = store::report(&mut tx, drive.id, unit, index, &actor.locale)
            .await?
            .ok_or(AppError::NotFound("report"))?;
        let out = with_figures(&mut tx, &period, row).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Reports past their due date and not filed (or returned), for units in the actor's
    /// subtree below the drive's top unit, by unit code then month.
    pub async fn overdue_reports(
        &self,
        actor: &Actor,
        drive_code: &str,
        today: Date,
    ) -> Result<Vec<OverdueReport>, AppError> {
        let mut conn = self.db().read().await?;
        let drive = find(&mut conn, actor, drive_code).await?;
        let period = drive.period();
        let units = store::reporting_units(&mut conn, &drive, actor.scope(), &actor.locale).await?;
        let filed: HashMap<(i64, i64), String> =
            store::reports(&mut conn, drive.id, actor.scope(), &actor.locale)
                .await?
                .into_iter()
                .map(|r| ((r.unit_id, r.period), r.status))
                .collect();
        let mut due = Vec::new();
        for i in 0..period.months {
            let Ok(next) = period.month_start(i + 1) else {
                continue;
            };
            let due_on = next.add_days(drive.report_due_days - 1);
            if due_on < today {
                due.push((i64::from(i), next, due_on));
            }
        }
        let mut out = Vec::new();
        for u in &units {
            for (i, next, due_on) in &due {
                // A unit founded after the month ended owes nothing for it.
                if u.founded_on
                    .as_deref()
                    .is_some_and(|f| f >= next.to_string().as_str())
                {
                    continue;
                }
                let state = match filed.get(&(u.id, *i)).map(String::as_str) {
                    None => "missing",
                    Some("returned") => "returned",
                    Some(_) => continue,
                };
                out.push(OverdueReport {
                    unit_code: u.code.clone(),
                    unit_name: u.name.clone(),
                    month: period.month_key(*i as u32),
                    period: *i,
                    due_on: due_on.to_string(),
                    state: state.into(),
                });
            }
        }
        Ok(out)
    }
}

/// A report with its figures read from the store.
async fn with_figures(
    conn: &mut Conn,
    period: &Period,
    r: store::ReportRow,
) -> Result<ReportView, AppError> {
    let figures = store::report_values(conn, r.id)
        .await?
        .into_iter()
        .collect();
    Ok(report_view(period, r, figures))
}

fn report_view(period: &Period, r: store::ReportRow, figures: BTreeMap<i64, i64>) -> ReportView {
    ReportView {
        month: period.month_key(r.period as u32),
        unit_code: r.unit_code,
        unit_name: r.unit_name,
        period: r.period,
        status: r.status,
        narrative: r.narrative,
        review_comment: r.review_comment,
        filed_by: r.filed_by,
        filed_at: r.filed_at,
        reviewed_by: r.reviewed_by,
        reviewed_at: r.reviewed_at,
        figures,
    }
}

/// Standings in the order a reader scans for trouble.
pub fn standing_rank(s: &str) -> u8 {
    match Standing::parse(s) {
        Ok(Standing::AtRisk) => 0,
        Ok(Standing::Behind) => 1,
        Ok(Standing::OnTrack) => 2,
        Ok(Standing::Achieved) => 3,
        _ => 4,
    }
}
