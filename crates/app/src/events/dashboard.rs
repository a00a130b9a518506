//! A program's dashboard: for a unit's subtree and each unit right below it, the
//! program's events by kind, those held, the people who came, members among them,
//! women and members recruited, read from the tallies the write path keeps.

use super::ProgramView;
use crate::{Actor, App, AppError};
use muster_domain::events::EventKind;
use muster_store::tallies::Range;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// A program's figures for a subtree and each unit right below it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ProgramDashboard {
    pub program: ProgramView,
    pub unit_code: String,
    pub rows: Vec<ProgramFigures>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ProgramFigures {
    pub unit_code: String,
    /// `total` for the unit's whole subtree, `child` for each unit right below it.
    pub row: String,
    /// Events by kind.
    pub events: BTreeMap<String, i64>,
    /// Events whose closing report is filed.
    pub held: i64,
    pub came: i64,
    pub members: i64,
    pub women: i64,
    pub recruited: i64,
    /// Honors awarded to people the units nominated.
    pub honors: i64,
    /// Competitions finished.
    pub competitions: i64,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DashboardQuery {
    /// A unit code; the caller's own unit (or the program's) when not given.
    pub unit: Option<String>,
}

impl App {
    /// A program's figures for a unit's subtree and each unit right below it: events by
    /// kind, held, people who came, members among them, women, members recruited.
    pub async fn program_dashboard(
        &self,
        actor: &Actor,
        id: i64,
        q: &DashboardQuery,
    ) -> Result<ProgramDashboard, AppError> {
        let program = self.program(actor, id).await?;
        let mut conn = self.db().read().await?;
        let unit = match q.unit.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(code) => crate::units::find_in_scope(&mut conn, actor.scope(), code).await?,
            // The program's unit when the caller may see it, else the caller's own.
            None => {
                match crate::units::find_in_scope(&mut conn, actor.scope(), &program.unit_code)
                    .await
                {
                    Ok(u) => u,
                    Err(AppError::NotFound(_)) => {
                        let own = actor.unit_id().ok_or(AppError::NotFound("unit"))?;
                        muster_store::units::by_id(&mut conn, own)
                            .await?
                            .ok_or(AppError::NotFound("unit"))?
                    }
                    Err(e) => return Err(e),
                }
            }
        };
        let children = muster_store::governance::children(&mut conn, unit.id).await?;
        let mut roots = vec![(unit.id, unit.code.clone(), "total")];
        roots.extend(children.into_iter().map(|(id, code)| (id, code, "child")));
        let ids: Vec<i64> = roots.iter().map(|(id, _, _)| *id).collect();
        let prefix = format!("p:{id}:");
        let mut figures: Vec<String> = EventKind::ALL
            .iter()
            .map(|k| format!("{prefix}events:{}", k.as_str()))
            .collect();
        for f in [
            "held",
            "came",
            "members",
            "women",
            "recruited",
            "honors",
            "competitions",
        ] {
            figures.push(format!("{prefix}{f}"));
        }
        let tallies = muster_store::tallies::read(
            &mut conn,
            &ids,
            &[Range {
                figures,
                from: None,
                to: "9999-12-31".into(),
            }],
        )
        .await?;
        let rows = roots
            .into_iter()
            .map(|(uid, code, row)| {
                let get = |f: &str| {
                    tallies
                        .get(&(uid, format!("{prefix}{f}")))
                        .copied()
                        .unwrap_or(0)
                };
                ProgramFigures {
                    unit_code: code,
                    row: row.into(),
                    events: EventKind::ALL
                        .iter()
                        .map(|k| {
                            (
                                k.as_str().to_string(),
                                get(&format!("events:{}", k.as_str())),
                            )
                        })
                        .filter(|(_, n)| *n != 0)
                        .collect(),
                    held: get("held"),
                    came: get("came"),
                    members: get("members"),
                    women: get("women"),
                    recruited: get("recruited"),
                    honors: get("honors"),
                    competitions: get("competitions"),
                }
            })
            .collect();
        Ok(ProgramDashboard {
            program,
            unit_code: unit.code,
            rows,
        })
    }
}
