//! Workplace mapping: union coverage of a subtree, the priority list of workplaces to
//! organize, and organizing at one workplace (known workers, support assessments, the
//! organizing committee, the wall chart) up to founding its union.

mod founding;
mod organizing;

use crate::error::{on_conflict, Check};
use crate::units::find_in_scope;
use crate::workplaces::find;
use crate::{Actor, App, AppError};
use muster_domain::unit::{optional_text, required_text, UnitCode};
use muster_domain::user::Permission;
use muster_domain::workplace::{Ownership, PriorityWeights, SizeBand, Support};
use muster_domain::Date;
use muster_store::mapping::{self as store, AssessmentRow, PriorityFilter};
use muster_store::units as unit_store;
use muster_store::Conn;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// Workplaces, workers and members of one group of a coverage table.
#[derive(Debug, Clone, Default, Serialize, ToSchema, PartialEq)]
pub struct CoverageGroup {
    /// A size band (`1-24`, `25-99`, `100-499`, `500+`, or empty when the headcount is
    /// not known), an ownership, or `all`.
    pub key: String,
    pub workplaces: i64,
    /// Of which a union covers.
    pub covered: i64,
    pub workers: i64,
    /// Workers of the covered workplaces.
    pub workers_covered: i64,
    pub members: i64,
    /// Members over workers, per cent, one decimal.
    pub membership_rate: Option<f64>,
    /// Workers in covered workplaces over all workers, per cent, one decimal.
    pub covered_share: Option<f64>,
}

impl CoverageGroup {
    fn add(&mut self, r: &store::CoverageRow) {
        self.workplaces += r.workplaces;
        self.workers += r.workers;
        self.members += r.members;
        if r.covered {
            self.covered += r.workplaces;
            self.workers_covered += r.workers;
        }
    }

    fn finish(mut self) -> Self {
        let pct = |a: i64, b: i64| (b > 0).then(|| (a as f64 * 1000.0 / b as f64).round() / 10.0);
        self.membership_rate = pct(self.members, self.workers);
        self.covered_share = pct(self.workers_covered, self.workers);
        self
    }
}

/// Union coverage of a subtree: in all, by size band and by ownership.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct Coverage {
    pub unit_code: Option<String>,
    pub all: CoverageGroup,
    pub by_size: Vec<CoverageGroup>,
    pub by_ownership: Vec<CoverageGroup>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PriorityQuery {
    /// A unit code: workplaces in its subtree.
    pub unit: Option<String>,
    /// `1-24`, `25-99`, `100-499` or `500+`.
    pub size: Option<String>,
    /// An ISIC Rev.4 section letter or code prefix (`C`, `C14`).
    pub sector: Option<String>,
    pub ownership: Option<String>,
    /// `true`: only workplaces the caller follows.
    pub mine: Option<bool>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// A workplace to organize.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct PriorityItem {
    pub rank: i64,
    pub code: String,
    pub name: String,
    pub unit_code: String,
    pub sector_code: Option<String>,
    pub ownership: Option<String>,
    pub headcount: Option<i64>,
    pub operating_since: Option<String>,
    /// Calendar years operating.
    pub years: Option<i64>,
    pub members: i64,
    /// Members over headcount, per cent.
    pub membership_rate: Option<f64>,
    pub covering_unit_code: Option<String>,
    pub organizer: Option<String>,
    pub follow_up_on: Option<String>,
    /// 0 to 100; see `PriorityWeights::score`.
    pub score: f64,
}

#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct PriorityPage {
    pub items: Vec<PriorityItem>,
    /// All workplaces on the list under these filters.
    pub total: i64,
    pub weights: Weights,
}

/// A tree's weights for the priority list.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
pub struct Weights {
    pub headcount: i64,
    pub years: i64,
    pub rate: i64,
    /// Per cent: a workplace with a union stays on the list while its membership rate
    /// is under this.
    pub rate_threshold: i64,
}

impl From<PriorityWeights> for Weights {
    fn from(w: PriorityWeights) -> Self {
        Self {
            headcount: w.headcount,
            years: w.years,
            rate: w.rate,
            rate_threshold: w.rate_threshold,
        }
    }
}

/// Who follows a workplace, and when next.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct Assignment {
    /// A username in the caller's subtree; absent or empty clears it.
    pub organizer: Option<String>,
    pub follow_up_on: Option<String>,
}

/// A worker known at a workplace.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct Worker {
    /// The person's id (the member id for members).
    pub id: i64,
    pub full_name: String,
    pub department: Option<String>,
    /// The current membership's status, absent for someone not (yet) a member.
    pub status: Option<String>,
    pub unit_code: Option<String>,
    /// Latest support assessment, 1 (leader) to 5 (opposed).
    pub level: Option<i64>,
    pub assessed_on: Option<String>,
    pub committee_role: Option<String>,
}

/// Organizing at one workplace: its workers, the committee, and the wall chart figures.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct Organizing {
    pub workplace: crate::workplaces::WorkplaceView,
    pub members: i64,
    pub departments: Vec<String>,
    pub headcounts: Vec<Headcount>,
    pub workers: Vec<Worker>,
    /// Workers at each level 1 to 5 (index 0 is level 1), by their latest assessment.
    pub levels: [i64; 5],
    pub not_assessed: i64,
    /// Workers at levels 1 and 2 over the known workers, per cent.
    pub supporters_share: Option<f64>,
    /// Workers at levels 1 and 2 over the headcount, per cent.
    pub supporters_of_headcount: Option<f64>,
    /// More than half the headcount (or, unknown, of the known workers) at levels 1-2.
    pub majority: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct Headcount {
    pub as_of: String,
    pub headcount: i64,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct NewWorker {
    /// A person already registered (a member); or give a name for someone who is not.
    pub person_id: Option<i64>,
    pub full_name: Option<String>,
    /// A department or shift; created when new.
    pub department: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct NewAssessment {
    pub person_id: i64,
    /// 1 (leads others) to 5 (opposed).
    pub level: String,
    pub note: Option<String>,
    /// ISO date; today when absent.
    pub assessed_on: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct Assessment {
    pub level: i64,
    pub note: Option<String>,
    pub assessed_on: String,
    pub assessor: String,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct CommitteeSeat {
    pub person_id: i64,
    /// Chair, secretary, member…; absent or empty takes the seat away.
    pub role: Option<String>,
    pub since: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct NewHeadcount {
    pub as_of: String,
    pub headcount: i64,
}

/// Founding a workplace's union: a grassroots unit under the unit whose area the
/// workplace lies in, covering it, with the chosen workers as its members.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct FoundUnion {
    pub code: String,
    pub name: String,
    /// ISO date; today when absent.
    pub founded_on: Option<String>,
    /// Workers of the workplace who become members of the new unit: members elsewhere
    /// in the tree are transferred, the others join.
    #[serde(default)]
    pub person_ids: Vec<i64>,
}

/// A subtree of more units than this reads the priority list in score order.
const WIDE_UNITS: i64 = 2000;

fn years_since(since: Option<&str>, year: i32) -> Option<i64> {
    since
        .and_then(|s| s.get(..4))
        .and_then(|y| y.parse::<i64>().ok())
        .map(|y| (i64::from(year) - y).max(0))
}

async fn tree_weights(
    conn: &mut Conn,
    actor: &Actor,
    unit: Option<i64>,
) -> Result<PriorityWeights, AppError> {
    let tree = match unit.or(actor.unit_id) {
        Some(u) => unit_store::by_id(conn, u).await?.map(|u| u.tree_id),
        None => None,
    };
    match tree {
        Some(t) => Ok(store::weights(conn, t).await?),
        None => Ok(PriorityWeights::default()),
    }
}

impl App {
    /// Union coverage of the caller's subtree, or of one unit's in it.
    pub async fn coverage(&self, actor: &Actor, unit: Option<&str>) -> Result<Coverage, AppError> {
        let mut conn = self.db().read().await?;
        let scope = match unit.map(str::trim).filter(|u| !u.is_empty()) {
            Some(code) => muster_store::Scope::Subtree(
                find_in_scope(&mut conn, actor.scope(), code).await?.id,
            ),
            None => actor.scope(),
        };
        let rows = store::coverage(&mut conn, scope).await?;
        let mut all = CoverageGroup {
            key: "all".into(),
            ..CoverageGroup::default()
        };
        let mut by_size: BTreeMap<String, CoverageGroup> = BTreeMap::new();
        let mut by_owner: BTreeMap<String, CoverageGroup> = BTreeMap::new();
        for r in &rows {
            all.add(r);
            by_size.entry(r.band.clone()).or_default().add(r);
            by_owner.entry(r.ownership.clone()).or_default().add(r);
        }
        let order = |k: &str| {
            SizeBand::ALL
                .iter()
                .position(|b| b.as_str() == k)
                .unwrap_or(99)
        };
        let mut by_size: Vec<CoverageGroup> = by_size
            .into_iter()
            .map(|(k, g)| CoverageGroup { key: k, ..g }.finish())
            .collect();
        by_size.sort_by_key(|g| order(&g.key));
        let owner_order = |k: &str| {
            Ownership::ALL
                .iter()
                .position(|o| o.as_str() == k)
                .unwrap_or(99)
        };
        let mut by_ownership: Vec<CoverageGroup> = by_owner
            .into_iter()
            .map(|(k, g)| CoverageGroup { key: k, ..g }.finish())
            .collect();
        by_ownership.sort_by_key(|g| owner_order(&g.key));
        Ok(Coverage {
            unit_code: unit.map(str::to_string),
            all: all.finish(),
            by_size,
            by_ownership,
        })
    }

    /// Workplaces to organize in the caller's subtree, best score first.
    pub async fn priority_list(
        &self,
        actor: &Actor,
        q: &PriorityQuery,
        today: Date,
    ) -> Result<PriorityPage, AppError> {
        let mut conn = self.db().read().await?;
        let mut check = Check::default();
        let unit = match q.unit.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            Some(code) => match find_in_scope(&mut conn, actor.scope(), code).await {
                Ok(u) => Some(u),
                Err(AppError::NotFound(_)) => {
                    check.fail("unit", "unknown_unit");
                    None
                }
                Err(e) => return Err(e),
            },
            None => None,
        };
        let size = check.opt("size", q.size.as_deref(), SizeBand::parse);
        let ownership = check.opt("ownership", q.ownership.as_deref(), Ownership::parse);
        let sector = q
            .sector
            .as_deref()
            .map(|s| s.trim().to_ascii_uppercase())
            .filter(|s| !s.is_empty());
        if sector
            .as_ref()
            .is_some_and(|s| s.len() > 5 || !s.bytes().all(|b| b.is_ascii_alphanumeric()))
        {
            check.fail("sector", "invalid_code");
        }
        check.finish()?;
        let scope = match &unit {
            Some(u) => muster_store::Scope::Subtree(u.id),
            None => actor.scope(),
        };
        let weights = tree_weights(&mut conn, actor, unit.as_ref().map(|u| u.id)).await?;
        let filter = PriorityFilter {
            headcount: size.map(SizeBand::range),
            sector,
            ownership: ownership.map(|o| o.as_str().to_string()),
            organizer_id: if q.mine == Some(true) {
                Some(actor.user_id.unwrap_or(-1))
            } else {
                None
            },
        };
        let limit = crate::page_size(q.limit);
        let offset = q.offset.unwrap_or(0).max(0);
        if store::any_stale(&mut conn, today.year()).await? {
            // Scores count years operating to the year they were counted in: a new
            // year counts them all again, once.
            drop(conn);
            let mut tx = self.db().begin().await?;
            store::rescore(&mut tx, store::Rescore::Stale, today.year()).await?;
            tx.commit().await.map_err(muster_store::StoreError::from)?;
            conn = self.db().read().await?;
        }
        let wide = match scope {
            muster_store::Scope::All => true,
            muster_store::Scope::Subtree(id) => {
                unit_store::subtree_size(&mut conn, id).await? > WIDE_UNITS
            }
        };
        let (rows, total) =
            store::priority_list(&mut conn, scope, wide, &filter, limit, offset).await?;
        let mut tree_weights_of = std::collections::HashMap::new();
        for r in &rows {
            if let std::collections::hash_map::Entry::Vacant(e) = tree_weights_of.entry(r.tree_id) {
                e.insert(store::weights(&mut conn, r.tree_id).await?);
            }
        }
        let items = rows
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                let years = years_since(r.operating_since.as_deref(), today.year());
                PriorityItem {
                    rank: offset + i as i64 + 1,
                    membership_rate: r
                        .headcount
                        .filter(|h| *h > 0)
                        .map(|h| (r.members as f64 * 1000.0 / h as f64).round() / 10.0),
                    score: (tree_weights_of
                        .get(&r.tree_id)
                        .copied()
                        .unwrap_or_default()
                        .score(r.headcount, years, r.members)
                        * 10.0)
                        .round()
                        / 10.0,
                    code: r.code,
                    name: r.name,
                    unit_code: r.unit_code,
                    sector_code: r.sector_code,
                    ownership: r.ownership,
                    headcount: r.headcount,
                    operating_since: r.operating_since,
                    years,
                    members: r.members,
                    covering_unit_code: r.covering_unit_code,
                    organizer: r.organizer,
                    follow_up_on: r.follow_up_on,
                }
            })
            .collect();
        Ok(PriorityPage {
            items,
            total,
            weights: weights.into(),
        })
    }

    /// The priority weights of the caller's tree (or of the tree of `unit`).
    pub async fn priority_weights(&self, actor: &Actor) -> Result<Weights, AppError> {
        let mut conn = self.db().read().await?;
        Ok(tree_weights(&mut conn, actor, None).await?.into())
    }

    /// Sets the weights of a tree: by someone whose scope is the whole tree.
    pub async fn set_priority_weights(
        &self,
        actor: &Actor,
        tree_code: &str,
        w: Weights,
    ) -> Result<Weights, AppError> {
        let permit = actor.permit(Permission::ManageUnits)?;
        let weights = PriorityWeights {
            headcount: w.headcount,
            years: w.years,
            rate: w.rate,
            rate_threshold: w.rate_threshold,
        };
        weights
            .check()
            .map_err(|(f, e)| AppError::field(f, e.code))?;
        let mut tx = self.write(permit).await?;
        let unit = tx.unit(tree_code).await?;
        if unit.id != unit.tree_id || actor.unit_id.is_some_and(|u| u != unit.id) {
            return Err(AppError::Forbidden);
        }
        store::set_weights(&mut tx, unit.tree_id, &weights).await?;
        rescore(&mut tx, store::Rescore::Tree(unit.tree_id)).await?;
        tx.audit(
            "set_weights",
            "tree",
            unit.id,
            Some(unit.id),
            None,
            serde_json::to_value(w).ok(),
        )
        .await?;
        tx.commit().await?;
        Ok(w)
    }

    /// Assigns the organizer who follows a workplace and the next follow-up date.
    pub async fn assign_workplace(
        &self,
        actor: &Actor,
        code: &str,
        a: Assignment,
    ) -> Result<(), AppError> {
        let permit = actor.permit(Permission::EditRegistry)?;
        let mut tx = self.write(permit).await?;
        let scope = tx.scope();
        let w = find(&mut tx, actor, code).await?;
        let mut check = Check::default();
        let follow_up = check.opt("follow_up_on", a.follow_up_on.as_deref(), Date::parse_iso);
        let organizer = match a
            .organizer
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(name) => match muster_store::users::by_username(&mut tx, name).await? {
                // An organizer of the caller's subtree; instance-wide logins only for
                // instance-wide callers.
                Some(u)
                    if match u.unit_id {
                        Some(unit) => unit_store::in_scope(&mut tx, scope, unit).await?,
                        None => actor.unit_id.is_none(),
                    } =>
                {
                    Some(u.id)
                }
                _ => {
                    check.fail("organizer", "unknown_user");
                    None
                }
            },
        };
        check.finish()?;
        let follow_up = follow_up.map(|d| d.to_string());
        store::assign(&mut tx, w.id, organizer, follow_up.as_deref()).await?;
        tx.audit(
            "assign",
            "workplace",
            w.id,
            Some(w.fields.unit_id),
            None,
            Some(serde_json::json!({ "organizer": a.organizer, "follow_up_on": follow_up })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a workplace's headcount on a date; the latest becomes its headcount.
    pub async fn add_headcount(
        &self,
        actor: &Actor,
        code: &str,
        h: NewHeadcount,
    ) -> Result<(), AppError> {
        let permit = actor.permit(Permission::EditRegistry)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let w = find(&mut tx, actor, code).await?;
        let mut check = Check::default();
        let on = check.take("as_of", Date::parse_iso(&h.as_of));
        if !(0..=10_000_000).contains(&h.headcount) {
            check.fail("headcount", "out_of_range");
        }
        check.finish()?;
        let on = on.map(|d| d.to_string()).unwrap_or_default();
        store::add_headcount(&mut tx, w.id, &on, h.headcount).await?;
        rescore(&mut tx, store::Rescore::One(w.id)).await?;
        crate::drives::refresh_tree(&mut tx, w.tree_id, true).await?;
        tx.audit(
            "headcount",
            "workplace",
            w.id,
            Some(w.fields.unit_id),
            None,
            Some(serde_json::json!({ "as_of": on, "headcount": h.headcount })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Scores a workplace (or a tree's) for organizing again, on this year's figures: after
/// anything its score reads changed (its headcount, members, founding year, the weights).
pub(crate) async fn rescore(
    conn: &mut muster_store::Conn,
    which: store::Rescore,
) -> Result<(), AppError> {
    store::rescore(conn, which, muster_domain::Date::today().year()).await?;
    Ok(())
}
