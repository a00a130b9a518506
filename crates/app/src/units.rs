//! Units: the organization tree.

use crate::error::{on_conflict, Check};
use crate::{Actor, App, AppError};
use muster_domain::unit::{level_fits, optional_text, parse_locale, required_text, UnitCode};
use muster_domain::user::Permission;
use muster_domain::Date;
use muster_store::units::{self as store, UnitFields, UnitRow};
use muster_store::{Conn, Scope};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// A unit as callers see it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct UnitView {
    pub code: String,
    pub parent_code: Option<String>,
    pub level: String,
    /// The name in the tree's own language.
    pub name: String,
    /// The name in other locales (`en`, `vi`, `fa`, `hi`).
    pub names: BTreeMap<String, String>,
    pub region: Option<String>,
    pub founded_on: Option<String>,
    pub dissolved_on: Option<String>,
    /// 0 for the top of a tree.
    pub depth: i64,
    #[serde(skip)]
    #[schema(ignore)]
    pub id: i64,
    #[serde(skip)]
    #[schema(ignore)]
    pub tree_id: i64,
}

impl UnitView {
    fn from_row(row: UnitRow, names: BTreeMap<String, String>) -> Self {
        Self {
            code: row.code,
            parent_code: row.parent_code,
            level: row.level,
            name: row.name,
            names,
            region: row.region,
            founded_on: row.founded_on,
            dissolved_on: row.dissolved_on,
            depth: row.depth,
            id: row.id,
            tree_id: row.tree_id,
        }
    }

    /// The name to show a reader of `locale`.
    pub fn name_in(&self, locale: &str) -> &str {
        self.names.get(locale).unwrap_or(&self.name)
    }
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct NewUnit {
    /// The parent's code; absent only for the top of a new tree (instance admins).
    pub parent_code: Option<String>,
    pub code: String,
    pub level: String,
    pub name: String,
    #[serde(default)]
    pub names: BTreeMap<String, String>,
    pub region: Option<String>,
    pub founded_on: Option<String>,
    pub dissolved_on: Option<String>,
    /// For the top of a new tree: the level names it allows, from the top down.
    #[serde(default)]
    pub levels: Vec<String>,
}

/// Changes to a unit; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct UnitPatch {
    pub level: Option<String>,
    pub name: Option<String>,
    pub names: Option<BTreeMap<String, String>>,
    pub region: Option<String>,
    pub founded_on: Option<String>,
    pub dissolved_on: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MoveUnit {
    pub parent_code: String,
}

/// Finds a unit by code inside the actor's scope; outside it, the unit does not exist.
pub(crate) async fn find_in_scope(
    conn: &mut Conn,
    scope: Scope,
    code: &str,
) -> Result<UnitRow, AppError> {
    let code = UnitCode::parse(code).map_err(|_| AppError::NotFound("unit"))?;
    match store::by_code(conn, code.as_str()).await? {
        Some(u) if store::in_scope(conn, scope, u.id).await? => Ok(u),
        _ => Err(AppError::NotFound("unit")),
    }
}

fn check_date(check: &mut Check, field: &str, input: Option<&str>) -> Option<String> {
    check
        .opt(field, input, Date::parse_iso)
        .map(|d| d.to_string())
}

fn check_names(check: &mut Check, names: &BTreeMap<String, String>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (locale, name) in names {
        let field = format!("names.{locale}");
        let locale = check.take(&field, parse_locale(locale));
        let name = check.take(&field, required_text(name, 200));
        if let (Some(l), Some(n)) = (locale, name) {
            out.push((l.to_string(), n));
        }
    }
    out
}

/// Checks that `level` is one of the tree's and fits between the unit's parent and its
/// children (`unit_id` when the unit exists already).
async fn check_level(
    conn: &mut Conn,
    check: &mut Check,
    tree_id: i64,
    level: &str,
    parent: Option<&str>,
    unit_id: Option<i64>,
) -> Result<(), AppError> {
    let levels = store::levels(conn, tree_id).await?;
    let children = match unit_id {
        Some(id) => store::child_levels(conn, id).await?,
        None => Vec::new(),
    };
    check.take("level", level_fits(&levels, level, parent, &children));
    Ok(())
}

/// A unit cannot be dissolved before it was founded.
fn check_span(check: &mut Check, founded_on: Option<&str>, dissolved_on: Option<&str>) {
    if let (Some(f), Some(d)) = (founded_on, dissolved_on) {
        if d < f {
            check.fail("dissolved_on", "before_founded");
        }
    }
}

async fn view(conn: &mut Conn, row: UnitRow) -> Result<UnitView, AppError> {
    let names = store::names_of(conn, row.id).await?.into_iter().collect();
    Ok(UnitView::from_row(row, names))
}

impl App {
    /// Every unit in the actor's subtree, parents before children.
    pub async fn list_units(&self, actor: &Actor) -> Result<Vec<UnitView>, AppError> {
        let mut conn = self.db().read().await?;
        let scope = actor.scope();
        let rows = store::list(&mut conn, scope).await?;
        let mut names: BTreeMap<i64, BTreeMap<String, String>> = BTreeMap::new();
        for (id, locale, name) in store::names_in(&mut conn, scope).await? {
            names.entry(id).or_default().insert(locale, name);
        }
        Ok(rows
            .into_iter()
            .map(|r| {
                let n = names.remove(&r.id).unwrap_or_default();
                UnitView::from_row(r, n)
            })
            .collect())
    }

    /// The system acting within one unit's subtree (for the command line).
    pub(crate) async fn system_in(&self, code: &str) -> Result<Actor, AppError> {
        let mut conn = self.db().read().await?;
        let unit = find_in_scope(&mut conn, Actor::system().scope(), code).await?;
        Ok(Actor {
            unit_id: Some(unit.id),
            ..Actor::system()
        })
    }

    pub async fn get_unit(&self, actor: &Actor, code: &str) -> Result<UnitView, AppError> {
        let mut conn = self.db().read().await?;
        let row = find_in_scope(&mut conn, actor.scope(), code).await?;
        view(&mut conn, row).await
    }

    pub async fn create_unit(&self, actor: &Actor, input: NewUnit) -> Result<UnitView, AppError> {
        let permit = actor.permit(Permission::ManageUnits)?;
        let mut check = Check::default();
        let code = check.take("code", UnitCode::parse(&input.code));
        let level = check.take("level", required_text(&input.level, 80));
        let name = check.take("name", required_text(&input.name, 200));
        let region = check
            .take("region", optional_text(input.region.as_deref(), 200))
            .flatten();
        let founded_on = check_date(&mut check, "founded_on", input.founded_on.as_deref());
        let dissolved_on = check_date(&mut check, "dissolved_on", input.dissolved_on.as_deref());
        let names = check_names(&mut check, &input.names);
        let mut levels = Vec::new();
        for l in &input.levels {
            levels.extend(check.take("levels", required_text(l, 80)));
        }

        let mut tx = self.write(permit).await?;
        let parent = match input
            .parent_code
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(p) => match tx.unit(p).await {
                Ok(u) => Some(u),
                Err(AppError::NotFound(_)) => {
                    check.fail("parent_code", "unknown_unit");
                    None
                }
                Err(e) => return Err(e),
            },
            None if actor.unit_id.is_some() => {
                check.fail("parent_code", "required");
                None
            }
            None => None,
        };
        if let (Some(p), Some(level)) = (&parent, &level) {
            check_level(&mut tx, &mut check, p.tree_id, level, Some(&p.level), None).await?;
        }
        check_span(&mut check, founded_on.as_deref(), dissolved_on.as_deref());
        check.finish()?;
        let (Some(code), Some(level), Some(name)) = (code, level, name) else {
            return Err(AppError::Internal("checked fields missing".into()));
        };
        let fields = UnitFields {
            code: code.as_str().into(),
            level,
            name,
            region,
            founded_on,
            dissolved_on,
        };
        let now = tx.now().to_string();
        let id = store::insert(&mut tx, parent.as_ref(), &fields, &now)
            .await
            .map_err(on_conflict)?;
        store::set_names(&mut tx, id, &names).await?;
        if parent.is_none() && !levels.is_empty() {
            store::set_levels(&mut tx, id, &levels).await?;
        }
        let row = store::by_id(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound("unit"))?;
        crate::drives::refresh_tree(&mut tx, row.tree_id, true).await?;
        let created = view(&mut tx, row).await?;
        let after = serde_json::to_value(&created).ok();
        tx.audit("create", "unit", id, Some(id), None, after)
            .await?;
        tx.commit().await?;
        Ok(created)
    }

    pub async fn update_unit(
        &self,
        actor: &Actor,
        code: &str,
        patch: UnitPatch,
    ) -> Result<UnitView, AppError> {
        let permit = actor.permit(Permission::ManageUnits)?;
        let mut tx = self.write(permit).await?;
        let row = tx.unit(code).await?;
        let before = view(&mut tx, row.clone()).await?;
        let mut check = Check::default();
        let mut fields = UnitFields {
            code: row.code.clone(),
            level: row.level.clone(),
            name: row.name.clone(),
            region: row.region.clone(),
            founded_on: row.founded_on.clone(),
            dissolved_on: row.dissolved_on.clone(),
        };
        if let Some(level) = &patch.level {
            if let Some(level) = check.take("level", required_text(level, 80)) {
                let parent = match row.parent_id {
                    Some(id) => store::by_id(&mut tx, id).await?.map(|p| p.level),
                    None => None,
                };
                let (tree, unit) = (row.tree_id, Some(row.id));
                check_level(&mut tx, &mut check, tree, &level, parent.as_deref(), unit).await?;
                fields.level = level;
            }
        }
        if let Some(name) = &patch.name {
            fields.name = check
                .take("name", required_text(name, 200))
                .unwrap_or_default();
        }
        if let Some(region) = &patch.region {
            fields.region = check
                .take("region", optional_text(Some(region), 200))
                .flatten();
        }
        if patch.founded_on.is_some() {
            fields.founded_on = check_date(&mut check, "founded_on", patch.founded_on.as_deref());
        }
        if patch.dissolved_on.is_some() {
            fields.dissolved_on =
                check_date(&mut check, "dissolved_on", patch.dissolved_on.as_deref());
        }
        let names = patch.names.as_ref().map(|n| check_names(&mut check, n));
        check_span(
            &mut check,
            fields.founded_on.as_deref(),
            fields.dissolved_on.as_deref(),
        );
        check.finish()?;
        let now = tx.now().to_string();
        store::update(&mut tx, row.id, &fields, &now).await?;
        if let Some(names) = names {
            store::set_names(&mut tx, row.id, &names).await?;
        }
        let row = store::by_id(&mut tx, row.id)
            .await?
            .ok_or(AppError::NotFound("unit"))?;
        crate::drives::refresh_tree(&mut tx, row.tree_id, true).await?;
        let after = view(&mut tx, row).await?;
        tx.audit(
            "update",
            "unit",
            after.id,
            Some(after.id),
            serde_json::to_value(&before).ok(),
            serde_json::to_value(&after).ok(),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Moves a unit and its whole subtree under another unit of the same tree.
    pub async fn move_unit(
        &self,
        actor: &Actor,
        code: &str,
        to: MoveUnit,
    ) -> Result<UnitView, AppError> {
        let permit = actor.permit(Permission::ManageUnits)?;
        let mut tx = self.write(permit).await?;
        let row = tx.unit(code).await?;
        let parent = match tx.unit(&to.parent_code).await {
            Ok(p) => p,
            Err(AppError::NotFound(_)) => {
                return Err(AppError::field("parent_code", "unknown_unit"))
            }
            Err(e) => return Err(e),
        };
        if actor.unit_id == Some(row.id) {
            return Err(AppError::Forbidden);
        }
        if parent.tree_id != row.tree_id {
            return Err(AppError::field("parent_code", "other_tree"));
        }
        if store::in_scope(&mut tx, Scope::Subtree(row.id), parent.id).await? {
            return Err(AppError::field("parent_code", "inside_own_subtree"));
        }
        let levels = store::levels(&mut tx, row.tree_id).await?;
        if let Err(e) = level_fits(&levels, &row.level, Some(&parent.level), &[]) {
            return Err(AppError::field("parent_code", e.code));
        }
        let now = tx.now().to_string();
        let drives = crate::drives::move_effects(&mut tx, row.tree_id, row.id, parent.id).await?;
        muster_store::counters::shift_subtree(&mut tx, row.id, -1).await?;
        muster_store::tallies::shift_subtree(&mut tx, row.id, -1).await?;
        for d in &drives {
            if let crate::drives::MoveEffect::Shift(drive) = d {
                muster_store::drives::shift_subtree(&mut tx, drive, row.id, -1).await?;
            }
        }
        store::move_subtree(&mut tx, row.id, parent.id, &now).await?;
        muster_store::counters::shift_subtree(&mut tx, row.id, 1).await?;
        muster_store::tallies::shift_subtree(&mut tx, row.id, 1).await?;
        for d in &drives {
            match d {
                crate::drives::MoveEffect::Shift(drive) => {
                    muster_store::drives::shift_subtree(&mut tx, drive, row.id, 1).await?;
                    // A new unit counts for its parent: recount where new units stand.
                    muster_store::drives::rebuild(&mut tx, drive, true).await?;
                }
                crate::drives::MoveEffect::Recount(drive) => {
                    muster_store::drives::rebuild(&mut tx, drive, false).await?;
                }
                crate::drives::MoveEffect::None => {}
            }
        }
        muster_store::search::refile_subtree(&mut tx, row.id).await?;
        let moved = store::by_id(&mut tx, row.id)
            .await?
            .ok_or(AppError::NotFound("unit"))?;
        let after = view(&mut tx, moved).await?;
        tx.audit(
            "move",
            "unit",
            row.id,
            Some(row.id),
            Some(serde_json::json!({ "parent_code": row.parent_code })),
            Some(serde_json::json!({ "parent_code": parent.code })),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}
