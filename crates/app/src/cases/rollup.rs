//! Cases rolled up the tree: for a unit's subtree and each unit right below it, the
//! cases opened, resolved and still open by type, the average days to resolve, the open
//! ones by status and by age; read from the tallies the write path keeps.

use crate::{Actor, App, AppError};
use muster_domain::cases::CaseStatus;
use muster_domain::Date;
use muster_store::tallies::Range;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct CaseRollup {
    pub unit_code: String,
    pub rows: Vec<CaseFigures>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct CaseFigures {
    pub unit_code: String,
    /// `total` for the unit's whole subtree, `child` for each unit right below it.
    pub row: String,
    pub by_type: BTreeMap<String, TypeFigures>,
    /// Cases not done, by status.
    pub by_status: BTreeMap<String, i64>,
    /// Cases not done, by days since opened: up to 7, 8 to 30, 31 to 90, more (on the
    /// whole subtree's row only).
    pub by_age: Option<[i64; 4]>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct TypeFigures {
    pub opened: i64,
    pub resolved: i64,
    pub open: i64,
    /// Days from opening to resolution, on average; none before one is resolved.
    pub average_days: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RollupQuery {
    /// A unit code; the caller's own unit when not given.
    pub unit: Option<String>,
}

impl App {
    /// Cases of a unit's subtree and of each unit right below it.
    pub async fn case_rollup(
        &self,
        actor: &Actor,
        q: &RollupQuery,
    ) -> Result<CaseRollup, AppError> {
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
        let types: Vec<String> = muster_store::cases::types(&mut conn, Some(unit.tree_id))
            .await?
            .into_iter()
            .map(|t| t.code)
            .collect();
        let children = muster_store::governance::children(&mut conn, unit.id).await?;
        let mut roots = vec![(unit.id, unit.code.clone(), "total")];
        roots.extend(children.into_iter().map(|(id, code)| (id, code, "child")));
        let ids: Vec<i64> = roots.iter().map(|(id, _, _)| *id).collect();
        let today = Date::today();
        let tomorrow = today.add_days(1).to_string();
        let of = |prefix: &str| -> Vec<String> {
            types.iter().map(|t| format!("{prefix}:{t}")).collect()
        };
        // All-time totals and the present state: one row per unit and figure.
        let mut figures = of("case_total_opened");
        figures.extend(of("case_total_resolved"));
        figures.extend(of("case_total_days"));
        figures.extend(
            CaseStatus::ALL
                .iter()
                .filter(|s| !s.is_done())
                .map(|s| format!("case_status:{}", s.as_str())),
        );
        let totals = muster_store::tallies::read(
            &mut conn,
            &ids,
            &[Range {
                figures,
                from: Some(muster_store::cases::STATE_DAY.into()),
                to: "0000-01-02".into(),
            }],
        )
        .await?;
        // Open cases of the whole subtree by the day they were opened, in four bands.
        let edges = [
            Some(today.add_days(-7).to_string()),
            Some(today.add_days(-30).to_string()),
            Some(today.add_days(-90).to_string()),
            Some("0001-01-01".to_string()),
        ];
        let mut by_age = [0; 4];
        let mut to = tomorrow.clone();
        for (i, from) in edges.into_iter().enumerate() {
            let read = muster_store::tallies::read(
                &mut conn,
                &[unit.id],
                &[Range {
                    figures: of("case_open"),
                    from: from.clone(),
                    to: to.clone(),
                }],
            )
            .await?;
            by_age[i] = read.values().sum();
            if let Some(f) = from {
                to = f;
            }
        }
        let rows = roots
            .into_iter()
            .map(|(uid, code, row)| {
                let get = |f: String| totals.get(&(uid, f)).copied().unwrap_or(0);
                let by_type = types
                    .iter()
                    .map(|t| {
                        let opened = get(format!("case_total_opened:{t}"));
                        let resolved = get(format!("case_total_resolved:{t}"));
                        let days = get(format!("case_total_days:{t}"));
                        let f = TypeFigures {
                            opened,
                            resolved,
                            open: opened - resolved,
                            average_days: (resolved > 0).then(|| days as f64 / resolved as f64),
                        };
                        (t.clone(), f)
                    })
                    .filter(|(_, f)| f.opened > 0)
                    .collect();
                let by_status = CaseStatus::ALL
                    .iter()
                    .filter(|s| !s.is_done())
                    .map(|s| {
                        (
                            s.as_str().to_string(),
                            get(format!("case_status:{}", s.as_str())),
                        )
                    })
                    .filter(|(_, n)| *n > 0)
                    .collect();
                CaseFigures {
                    by_age: (row == "total").then_some(by_age),
                    unit_code: code,
                    row: row.into(),
                    by_type,
                    by_status,
                }
            })
            .collect();
        Ok(CaseRollup {
            unit_code: unit.code,
            rows,
        })
    }
}
