//! Workplaces: enterprises and worksites in a unit's area.

use crate::error::{on_conflict, Check};
use crate::units::find_in_scope;
use crate::{page_size, Actor, App, AppError};
use muster_domain::member::parse_code;
use muster_domain::unit::{optional_text, required_text, UnitCode};
use muster_domain::user::Permission;
use muster_domain::workplace::Ownership;
use muster_domain::Date;
use muster_store::workplaces::{self as store, WorkplaceFields, WorkplaceFilter, WorkplaceRow};
use muster_store::{units, Conn};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct WorkplaceView {
    pub code: String,
    pub name: String,
    /// The unit whose area the workplace lies in.
    pub unit_code: String,
    pub registration_id: Option<String>,
    /// ISIC Rev.4 code.
    pub sector_code: Option<String>,
    pub ownership: Option<String>,
    pub headcount: Option<i64>,
    pub operating_since: Option<String>,
    pub region: Option<String>,
    /// The grassroots unit that covers it; absent when it has no union.
    pub covering_unit_code: Option<String>,
    /// Active members who work there.
    pub members: i64,
    /// The name in other languages, by locale.
    pub names: std::collections::BTreeMap<String, String>,
}

impl WorkplaceView {
    /// The name for a reader of `locale`.
    pub fn name_in(&self, locale: &str) -> &str {
        self.names.get(locale).unwrap_or(&self.name)
    }
}

impl From<WorkplaceRow> for WorkplaceView {
    fn from(r: WorkplaceRow) -> Self {
        Self {
            code: r.fields.code,
            name: r.fields.name,
            unit_code: r.unit_code,
            registration_id: r.fields.registration_id,
            sector_code: r.fields.sector_code,
            ownership: r.fields.ownership,
            headcount: r.fields.headcount,
            operating_since: r.fields.operating_since,
            region: r.fields.region,
            covering_unit_code: r.covering_unit_code,
            members: r.members,
            names: std::collections::BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct WorkplaceInput {
    pub code: Option<String>,
    pub name: Option<String>,
    pub unit_code: Option<String>,
    pub registration_id: Option<String>,
    pub sector_code: Option<String>,
    pub ownership: Option<String>,
    pub headcount: Option<i64>,
    pub operating_since: Option<String>,
    pub region: Option<String>,
    pub covering_unit_code: Option<String>,
    /// Names in other languages by locale; absent leaves them as they are.
    pub names: Option<std::collections::BTreeMap<String, String>>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WorkplaceQuery {
    /// Part of the name (in any of its languages), the code or the registration number.
    pub q: Option<String>,
    /// A unit code: workplaces in that unit's whole subtree.
    pub unit: Option<String>,
    /// `true`: only workplaces with a union; `false`: only those without.
    pub covered: Option<bool>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WorkplacePage {
    pub items: Vec<WorkplaceView>,
    pub next_cursor: Option<String>,
}

pub(crate) async fn find(
    conn: &mut Conn,
    actor: &Actor,
    code: &str,
) -> Result<WorkplaceRow, AppError> {
    match store::by_code(conn, &code.trim().to_ascii_uppercase()).await? {
        Some(w) if units::in_scope(conn, actor.scope(), w.fields.unit_id).await? => Ok(w),
        _ => Err(AppError::NotFound("workplace")),
    }
}

/// Checks a whole input (`base` supplies what a patch leaves out). Returns the fields
/// and the tree they belong to.
async fn fields(
    conn: &mut Conn,
    actor: &Actor,
    input: &WorkplaceInput,
    base: Option<&WorkplaceRow>,
) -> Result<(WorkplaceFields, i64), AppError> {
    let mut check = Check::default();
    let code = match (base, input.code.as_deref()) {
        (Some(b), _) => Some(b.fields.code.clone()),
        (None, Some(c)) => check
            .take("code", UnitCode::parse(c))
            .map(|c| c.as_str().to_string()),
        (None, None) => {
            check.fail("code", "required");
            None
        }
    };
    let name = match (input.name.as_deref(), base) {
        (Some(n), _) => check.take("name", required_text(n, 200)),
        (None, Some(b)) => Some(b.fields.name.clone()),
        (None, None) => {
            check.fail("name", "required");
            None
        }
    };
    let unit_code = input
        .unit_code
        .clone()
        .or(base.map(|b| b.unit_code.clone()));
    let unit = match unit_code {
        None => {
            check.fail("unit_code", "required");
            None
        }
        Some(c) => match find_in_scope(conn, actor.scope(), &c).await {
            Ok(u) => Some(u),
            Err(AppError::NotFound(_)) => {
                check.fail("unit_code", "unknown_unit");
                None
            }
            Err(e) => return Err(e),
        },
    };
    let pick =
        |new: &Option<String>, old: Option<&Option<String>>| new.clone().or(old.cloned().flatten());
    let b = base.map(|b| &b.fields);
    let covering = match pick(
        &input.covering_unit_code,
        base.map(|b| &b.covering_unit_code),
    ) {
        Some(c) if !c.trim().is_empty() => match find_in_scope(conn, actor.scope(), &c).await {
            Ok(u) => Some(u),
            Err(AppError::NotFound(_)) => {
                check.fail("covering_unit_code", "unknown_unit");
                None
            }
            Err(e) => return Err(e),
        },
        _ => None,
    };
    if let (Some(u), Some(c)) = (&unit, &covering) {
        if u.tree_id != c.tree_id {
            check.fail("covering_unit_code", "other_tree");
        }
    }
    let headcount = input.headcount.or(b.and_then(|b| b.headcount));
    if headcount.is_some_and(|h| !(0..=10_000_000).contains(&h)) {
        check.fail("headcount", "out_of_range");
    }
    let since = pick(&input.operating_since, b.map(|b| &b.operating_since));
    let operating_since = check.opt("operating_since", since.as_deref(), Date::parse_iso);
    let ownership = pick(&input.ownership, b.map(|b| &b.ownership));
    let sector = pick(&input.sector_code, b.map(|b| &b.sector_code));
    let registration = pick(&input.registration_id, b.map(|b| &b.registration_id));
    let region = pick(&input.region, b.map(|b| &b.region));
    let out = WorkplaceFields {
        code: code.unwrap_or_default(),
        name: name.unwrap_or_default(),
        unit_id: unit.as_ref().map_or(0, |u| u.id),
        registration_id: check
            .take(
                "registration_id",
                optional_text(registration.as_deref(), 60),
            )
            .flatten(),
        sector_code: check.opt("sector_code", sector.as_deref(), parse_code),
        ownership: check
            .opt("ownership", ownership.as_deref(), Ownership::parse)
            .map(|o| o.as_str().into()),
        headcount,
        operating_since: operating_since.map(|d| d.to_string()),
        region: check
            .take("region", optional_text(region.as_deref(), 200))
            .flatten(),
        covering_unit_id: covering.map(|c| c.id),
    };
    check.finish()?;
    Ok((out, unit.map_or(0, |u| u.tree_id)))
}

impl App {
    pub async fn list_workplaces(
        &self,
        actor: &Actor,
        q: &WorkplaceQuery,
    ) -> Result<WorkplacePage, AppError> {
        let mut conn = self.db().read().await?;
        let mut filter = WorkplaceFilter {
            covered: q.covered,
            q: q.q
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
            ..WorkplaceFilter::default()
        };
        if let Some(code) = q.unit.as_deref().filter(|s| !s.trim().is_empty()) {
            match find_in_scope(&mut conn, actor.scope(), code).await {
                Ok(u) => filter.unit_id = Some(u.id),
                Err(AppError::NotFound(_)) => return Err(AppError::field("unit", "unknown_unit")),
                Err(e) => return Err(e),
            }
        }
        let after = match q.cursor.as_deref().filter(|c| !c.is_empty()) {
            None => 0,
            Some(c) => c
                .parse()
                .map_err(|_| AppError::field("cursor", "invalid_cursor"))?,
        };
        let limit = page_size(q.limit);
        let mut rows = store::list(&mut conn, actor.scope(), &filter, after, limit + 1).await?;
        let next = (rows.len() as i64 > limit).then(|| {
            rows.truncate(limit as usize);
            rows.last().map_or(0, |r| r.id).to_string()
        });
        Ok(WorkplacePage {
            items: rows.into_iter().map(WorkplaceView::from).collect(),
            next_cursor: next,
        })
    }

    pub async fn get_workplace(
        &self,
        actor: &Actor,
        code: &str,
    ) -> Result<WorkplaceView, AppError> {
        let mut conn = self.db().read().await?;
        let row = find(&mut conn, actor, code).await?;
        let names = store::names_of(&mut conn, row.id)
            .await?
            .into_iter()
            .collect();
        Ok(WorkplaceView {
            names,
            ..row.into()
        })
    }

    pub async fn create_workplace(
        &self,
        actor: &Actor,
        input: WorkplaceInput,
    ) -> Result<WorkplaceView, AppError> {
        let permit = actor.permit(Permission::EditRegistry)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let (f, tree_id) = fields(&mut tx, actor, &input, None).await?;
        let now = tx.now().to_string();
        let id = store::insert(&mut tx, tree_id, &f, &now)
            .await
            .map_err(on_conflict)?;
        crate::mapping::rescore(&mut tx, muster_store::mapping::Rescore::One(id)).await?;
        if let Some(names) = &input.names {
            store::set_names(&mut tx, id, &check_names(names)?).await?;
        }
        crate::drives::refresh_tree(&mut tx, tree_id, true).await?;
        let row = store::by_id(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound("workplace"))?;
        let view = WorkplaceView::from(row);
        let after = serde_json::to_value(&view).ok();
        tx.audit("create", "workplace", id, Some(f.unit_id), None, after)
            .await?;
        tx.commit().await?;
        Ok(view)
    }

    pub async fn update_workplace(
        &self,
        actor: &Actor,
        code: &str,
        input: WorkplaceInput,
    ) -> Result<WorkplaceView, AppError> {
        let permit = actor.permit(Permission::EditRegistry)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let row = find(&mut tx, actor, code).await?;
        let (f, tree_id) = fields(&mut tx, actor, &input, Some(&row)).await?;
        if tree_id != row.tree_id {
            return Err(AppError::field("unit_code", "other_tree"));
        }
        let now = tx.now().to_string();
        store::update(&mut tx, row.id, &f, &now).await?;
        crate::mapping::rescore(&mut tx, muster_store::mapping::Rescore::One(row.id)).await?;
        if let Some(names) = &input.names {
            store::set_names(&mut tx, row.id, &check_names(names)?).await?;
        }
        // A headcount decides whether a new union there counts as "at least N workers".
        crate::drives::refresh_tree(&mut tx, tree_id, true).await?;
        let id = row.id;
        let before = serde_json::to_value(WorkplaceView::from(row)).ok();
        let updated = WorkplaceView::from(
            store::by_id(&mut tx, id)
                .await?
                .ok_or(AppError::NotFound("workplace"))?,
        );
        let after = serde_json::to_value(&updated).ok();
        tx.audit("update", "workplace", id, Some(f.unit_id), before, after)
            .await?;
        tx.commit().await?;
        Ok(updated)
    }
}

/// Checks names by locale.
fn check_names(
    names: &std::collections::BTreeMap<String, String>,
) -> Result<Vec<(String, String)>, AppError> {
    let mut check = Check::default();
    let mut out = Vec::new();
    for (locale, name) in names {
        let field = format!("names.{locale}");
        let l = check.take(&field, muster_domain::unit::parse_locale(locale));
        let n = check.take(&field, optional_text(Some(name), 200)).flatten();
        if let (Some(l), Some(n)) = (l, n) {
            out.push((l.to_string(), n));
        }
    }
    check.finish()?;
    Ok(out)
}

impl App {
    /// Archives a workplace: off every list, kept on record.
    pub async fn archive_workplace(&self, actor: &Actor, code: &str) -> Result<(), AppError> {
        let permit = actor.permit(Permission::EditRegistry)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let row = find(&mut tx, actor, code).await?;
        let now = tx.now().to_string();
        store::archive(&mut tx, row.id, &now).await?;
        tx.audit(
            "archive",
            "workplace",
            row.id,
            Some(row.fields.unit_id),
            None,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
