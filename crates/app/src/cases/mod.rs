//! Cases: a desk opens a case for a member or someone outside the registry, records
//! what was done (a reply moves a grievance to its next step, whose deadline counts
//! from it), refers it to the desk above (the desk below keeps sight of it), and
//! resolves it. Notes are read only by case workers, officers and the assignee: the
//! rule is kept here, so pages, the API and exports alike get nothing else.

mod rollup;
mod work;

pub use muster_domain::cases::MAX_DOCUMENT_BYTES;
pub use rollup::{CaseFigures, CaseRollup, RollupQuery, TypeFigures};

use crate::error::Check;
use crate::{page_size, Actor, App, AppError};
use muster_domain::cases::{
    due_on, may_read_notes, parse_steps, steps_text, ActivityKind, CaseStatus,
};
use muster_domain::unit::{optional_text, required_text};
use muster_domain::user::Permission;
use muster_domain::Date;
use muster_store::cases::{self as store, CaseFilter, CaseRow, CaseState, NewCase};
use muster_store::events::Named;
use muster_store::Conn;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct CaseTypeView {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub names: BTreeMap<String, String>,
    pub steps: Vec<StepView>,
    /// One every tree has.
    pub shipped: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct StepView {
    pub code: String,
    pub days: i64,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct CaseTypeInput {
    /// The tree's root; the caller's tree when not given.
    pub tree_code: Option<String>,
    pub code: Option<String>,
    pub name: Option<String>,
    #[serde(default)]
    pub names: BTreeMap<String, String>,
    /// `code:days` separated by commas: `step1:7,step2:10`.
    pub steps: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct CaseView {
    pub id: i64,
    /// The desk that keeps it, and the one that referred it.
    pub unit_code: String,
    pub referred_from: Option<String>,
    pub case_type: String,
    pub person_id: Option<i64>,
    pub name: String,
    pub event_id: Option<i64>,
    pub workplace_code: Option<String>,
    pub assignee: Option<String>,
    /// What anyone of the units may read of it.
    pub subject: String,
    /// `open`, `in_progress`, `waiting`, `resolved`, `closed`, `referred`.
    pub status: String,
    /// The step it is at (its code) and when that step is due.
    pub step: Option<String>,
    pub due_on: Option<String>,
    pub opened_on: String,
    pub resolved_on: Option<String>,
    /// Whether the reader may read its notes; when not, `outcome` and the activities'
    /// texts are left out.
    pub notes_readable: bool,
    pub outcome: Option<String>,
    /// What was done on it (on one case's answer).
    pub activities: Vec<ActivityView>,
    /// Its documents (on one case's answer, for those who may read its notes).
    pub documents: Vec<DocumentView>,
    /// Whether the reader's desk keeps it and so acts on it (on one case's answer): not
    /// once it was referred above the reader.
    pub kept_here: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct DocumentView {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub by: String,
    pub at: String,
}

/// A document's bytes as served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentFile {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ActivityView {
    /// `note`, `call`, `visit`, `hearing`, `document`, `reply`.
    pub kind: String,
    pub on_day: String,
    /// The note: for those who may read notes only.
    pub text: Option<String>,
    pub by: String,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct CaseInput {
    /// The desk's unit.
    pub unit_code: Option<String>,
    /// A case type's code.
    pub case_type: Option<String>,
    pub person_id: Option<i64>,
    pub member_number: Option<String>,
    pub outside_name: Option<String>,
    pub outside_phone: Option<String>,
    /// The service desk event it was opened at.
    pub event_id: Option<i64>,
    pub workplace_code: Option<String>,
    /// A login of the desk's subtree who takes it.
    pub assignee: Option<String>,
    pub subject: Option<String>,
    /// Today when not given.
    pub opened_on: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ActivityInput {
    pub kind: Option<String>,
    /// Today when not given.
    pub on_day: Option<String>,
    pub text: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct StatusInput {
    pub status: Option<String>,
    /// Required to resolve or close.
    pub outcome: Option<String>,
    /// The day it was resolved or closed: today when not given.
    pub on_day: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ReferInput {
    /// A unit above the desk that keeps it.
    pub unit_code: Option<String>,
    pub note: Option<String>,
}

/// Registering the person of a case opened for someone outside the registry.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct RegisterInput {
    /// The unit they join; the case's desk when not given.
    pub unit_code: Option<String>,
    pub gender: Option<String>,
    /// Register even when someone like them is registered already.
    #[serde(default)]
    pub allow_duplicate: bool,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseQuery {
    /// Only the caller's own.
    #[serde(default)]
    pub mine: bool,
    /// Only those kept by this unit's desk.
    pub desk: Option<String>,
    /// Resolved and closed ones too.
    #[serde(default)]
    pub all: bool,
    pub limit: Option<i64>,
}

fn type_view(t: muster_store::cases::CaseTypeRow, names: &[(i64, String, String)]) -> CaseTypeView {
    CaseTypeView {
        steps: parse_steps(&t.steps)
            .unwrap_or_default()
            .into_iter()
            .map(|s| StepView {
                code: s.code,
                days: s.days,
            })
            .collect(),
        names: names
            .iter()
            .filter(|(i, _, _)| *i == t.id)
            .map(|(_, l, n)| (l.clone(), n.clone()))
            .collect(),
        shipped: t.tree_id.is_none(),
        id: t.id,
        code: t.code,
        name: t.name,
    }
}

async fn view(
    conn: &mut Conn,
    actor: &Actor,
    c: CaseRow,
    full: bool,
) -> Result<CaseView, AppError> {
    let readable = may_read_notes(
        actor.role(),
        c.assignee.as_deref() == Some(actor.username()),
    );
    let steps = parse_steps(&c.steps).unwrap_or_default();
    let activities = if full {
        store::activities(conn, c.id)
            .await?
            .into_iter()
            .map(|a| ActivityView {
                kind: a.kind,
                on_day: a.on_day,
                text: a.text.filter(|_| readable),
                by: a.by_name,
            })
            .collect()
    } else {
        Vec::new()
    };
    let documents = if full && readable {
        store::documents(conn, c.id)
            .await?
            .into_iter()
            .map(|d| DocumentView {
                id: d.id,
                name: d.name,
                content_type: d.content_type,
                size: d.size,
                by: d.by_name,
                at: d.at,
            })
            .collect()
    } else {
        Vec::new()
    };
    let done = CaseStatus::parse(&c.status).is_ok_and(CaseStatus::is_done);
    let kept_here = full && muster_store::units::in_scope(conn, actor.scope(), c.unit_id).await?;
    Ok(CaseView {
        kept_here,
        documents,
        id: c.id,
        unit_code: c.unit_code,
        referred_from: c.from_code,
        case_type: c.type_code,
        person_id: c.person_id,
        name: c.name,
        event_id: c.event_id,
        workplace_code: c.workplace_code,
        assignee: c.assignee,
        subject: c.subject,
        step: (!done)
            .then(|| steps.get(c.step as usize).map(|s| s.code.clone()))
            .flatten(),
        due_on: c.due_on.filter(|_| !done),
        status: c.status,
        opened_on: c.opened_on,
        resolved_on: c.resolved_on,
        notes_readable: readable,
        outcome: c.outcome.filter(|_| readable),
        activities,
    })
}

/// A case the actor may see.
async fn find(conn: &mut Conn, actor: &Actor, id: i64) -> Result<CaseRow, AppError> {
    store::by_id(conn, actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound("case"))
}

/// A case the actor's desk keeps (not one it referred up: that desk acts on it now).
async fn find_kept(conn: &mut Conn, actor: &Actor, id: i64) -> Result<CaseRow, AppError> {
    let c = find(conn, actor, id).await?;
    if !muster_store::units::in_scope(conn, actor.scope(), c.unit_id).await? {
        return Err(AppError::Conflict {
            field: "case".into(),
            code: "referred_up".into(),
        });
    }
    Ok(c)
}

fn day_or_today(check: &mut Check, field: &str, value: Option<&str>) -> Option<Date> {
    match value.map(str::trim).filter(|s| !s.is_empty()) {
        None => Some(Date::today()),
        Some(s) => check.take(field, Date::parse_iso(s)),
    }
}

/// The days a change to a case moves its tallies on.
fn touched_days(tx: &mut crate::write::Write<'_>, unit: i64, c: &CaseRow, resolved: Option<&str>) {
    tx.recount_on(unit, &c.opened_on);
    tx.recount_on(unit, store::STATE_DAY);
    for d in [c.resolved_on.as_deref(), resolved].into_iter().flatten() {
        tx.recount_on(unit, d);
    }
}

impl App {
    /// The code of the actor's own unit; none for an instance-wide actor.
    pub async fn unit_code_of(&self, actor: &Actor) -> Result<Option<String>, AppError> {
        let Some(u) = actor.unit_id() else {
            return Ok(None);
        };
        let mut conn = self.db().read().await?;
        Ok(muster_store::units::by_id(&mut conn, u)
            .await?
            .map(|u| u.code))
    }

    /// The case types of the caller's tree: those every tree has, then its own.
    pub async fn case_types(&self, actor: &Actor) -> Result<Vec<CaseTypeView>, AppError> {
        let mut conn = self.db().read().await?;
        let tree = match actor.unit_id() {
            Some(u) => muster_store::units::by_id(&mut conn, u)
                .await?
                .map(|u| u.tree_id),
            None => None,
        };
        let rows = store::types(&mut conn, tree).await?;
        let ids: Vec<i64> = rows.iter().map(|t| t.id).collect();
        let names = muster_store::events::names(&mut conn, Named::CaseType, &ids).await?;
        Ok(rows.into_iter().map(|t| type_view(t, &names)).collect())
    }

    /// Adds a case type to a tree: by someone whose scope is the whole tree.
    pub async fn create_case_type(
        &self,
        actor: &Actor,
        input: CaseTypeInput,
    ) -> Result<CaseTypeView, AppError> {
        let permit = actor.permit(Permission::ManageUnits)?;
        let mut tx = self.write(permit).await?;
        let root = tx.tree_root(input.tree_code.as_deref()).await?;
        let mut check = Check::default();
        let code = check.take(
            "code",
            crate::honors::code_of(input.code.as_deref().unwrap_or("")),
        );
        let name = check.take(
            "name",
            required_text(input.name.as_deref().unwrap_or(""), 200),
        );
        let names = crate::events::check_names(&mut check, &input.names);
        let steps = check.take("steps", parse_steps(input.steps.as_deref().unwrap_or("")));
        check.finish()?;
        let (Some(code), Some(name), Some(steps)) = (code, name, steps) else {
            return Err(AppError::Internal("checked case type".into()));
        };
        if store::types(&mut tx, Some(root.tree_id))
            .await?
            .iter()
            .any(|t| t.code == code)
        {
            return Err(AppError::Conflict {
                field: "code".into(),
                code: "taken".into(),
            });
        }
        let now = tx.now().to_string();
        let id = store::insert_type(
            &mut tx,
            root.tree_id,
            &code,
            &name,
            &steps_text(&steps),
            &now,
        )
        .await?;
        for (l, n) in &names {
            muster_store::events::set_name(&mut tx, Named::CaseType, id, l, n).await?;
        }
        tx.audit(
            "create",
            "case_type",
            id,
            Some(root.id),
            None,
            Some(serde_json::json!({ "code": code, "steps": steps_text(&steps) })),
        )
        .await?;
        let rows = store::types(&mut tx, Some(root.tree_id)).await?;
        let names = muster_store::events::names(&mut tx, Named::CaseType, &[id]).await?;
        let view = rows
            .into_iter()
            .find(|t| t.id == id)
            .map(|t| type_view(t, &names))
            .ok_or(AppError::NotFound("case_type"))?;
        tx.commit().await?;
        Ok(view)
    }

    /// Cases of the caller's subtree (kept there or referred up from it), nearest
    /// deadline first: the caller's own, a desk's queue, or all.
    pub async fn list_cases(
        &self,
        actor: &Actor,
        q: &CaseQuery,
    ) -> Result<Vec<CaseView>, AppError> {
        let mut conn = self.db().read().await?;
        let desk = match q.desk.as_deref().filter(|d| !d.trim().is_empty()) {
            Some(code) => Some(
                crate::units::find_in_scope(&mut conn, actor.scope(), code)
                    .await?
                    .id,
            ),
            None => None,
        };
        let filter = CaseFilter {
            assignee: q.mine.then(|| actor.username().to_string()),
            desk,
            open_only: !q.all,
        };
        let rows = store::list(&mut conn, actor.scope(), &filter, page_size(q.limit)).await?;
        let mut out = Vec::with_capacity(rows.len());
        for c in rows {
            out.push(view(&mut conn, actor, c, false).await?);
        }
        Ok(out)
    }

    /// One case with what was done on it; its notes only for those who may read them.
    pub async fn case(&self, actor: &Actor, id: i64) -> Result<CaseView, AppError> {
        let mut conn = self.db().read().await?;
        let c = find(&mut conn, actor, id).await?;
        view(&mut conn, actor, c, true).await
    }

    /// Opens a case at a unit's desk for a member of its subtree or someone outside the
    /// registry; its first step's deadline counts from the day it was opened.
    pub async fn open_case(&self, actor: &Actor, input: CaseInput) -> Result<CaseView, AppError> {
        let permit = actor.permit(Permission::Casework)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let scope = tx.scope();
        let mut check = Check::default();
        let unit =
            crate::events::unit_field(&mut tx, &mut check, input.unit_code.as_deref()).await?;
        let kind = match (
            input
                .case_type
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty()),
            &unit,
        ) {
            (None, _) => {
                check.fail("case_type", "required");
                None
            }
            (Some(code), Some(u)) => {
                let found = store::types(&mut tx, Some(u.tree_id))
                    .await?
                    .into_iter()
                    .filter(|t| t.code == code)
                    .max_by_key(|t| t.tree_id.is_some());
                if found.is_none() {
                    check.fail("case_type", "unknown_case_type");
                }
                found
            }
            (Some(_), None) => None,
        };
        let field = if input.person_id.is_some() {
            "person_id"
        } else {
            "member_number"
        };
        let person = crate::members::member_field(
            &mut tx,
            actor,
            &mut check,
            unit.as_ref().map(|u| u.tree_id),
            input.person_id,
            input.member_number.as_deref(),
            None,
        )
        .await?;
        let outside = check
            .take(
                "outside_name",
                optional_text(input.outside_name.as_deref(), 200),
            )
            .flatten();
        if person.is_none() && outside.is_none() && !check.has(field) {
            check.fail("person_id", "required");
        }
        let phone = check
            .take(
                "outside_phone",
                optional_text(input.outside_phone.as_deref(), 40),
            )
            .flatten();
        let subject = check.take(
            "subject",
            required_text(input.subject.as_deref().unwrap_or(""), 300),
        );
        let opened = day_or_today(&mut check, "opened_on", input.opened_on.as_deref());
        let event = match input.event_id {
            None => None,
            Some(e) => match muster_store::events::event(&mut tx, scope, e).await? {
                None => {
                    check.fail("event_id", "unknown_event");
                    None
                }
                Some(e) => Some(e.id),
            },
        };
        let workplace = match input
            .workplace_code
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(code) => match crate::workplaces::find(&mut tx, actor, code).await {
                Ok(w) => Some(w.id),
                Err(AppError::NotFound(_)) => {
                    check.fail("workplace_code", "unknown_workplace");
                    None
                }
                Err(e) => return Err(e),
            },
        };
        let assignee = match input
            .assignee
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            // A login of the caller's subtree (an instance-wide one only for an
            // instance-wide caller).
            Some(name) => match muster_store::users::by_username(&mut tx, name).await? {
                Some(u)
                    if match u.unit_id {
                        Some(unit) => muster_store::units::in_scope(&mut tx, scope, unit).await?,
                        None => actor.is_instance_wide(),
                    } =>
                {
                    Some(u.username)
                }
                _ => {
                    check.fail("assignee", "unknown_user");
                    None
                }
            },
        };
        check.finish()?;
        let (Some(unit), Some(kind), Some(subject), Some(opened)) = (unit, kind, subject, opened)
        else {
            return Err(AppError::Internal("checked case".into()));
        };
        let steps = parse_steps(&kind.steps).unwrap_or_default();
        let n = NewCase {
            tree_id: unit.tree_id,
            unit_id: unit.id,
            case_type_id: kind.id,
            person_id: person,
            outside_name: if person.is_some() { None } else { outside },
            outside_phone: if person.is_some() { None } else { phone },
            event_id: event,
            workplace_id: workplace,
            assignee,
            subject,
            opened_on: opened.to_string(),
            due_on: due_on(&steps, 0, opened).map(|d| d.to_string()),
        };
        let now = tx.now().to_string();
        let id = store::insert(&mut tx, &n, &now).await?;
        let row = find(&mut tx, actor, id).await?;
        touched_days(&mut tx, unit.id, &row, None);
        tx.audit(
            "open",
            "case",
            id,
            Some(unit.id),
            None,
            Some(serde_json::json!({ "type": kind.code, "subject": n.subject })),
        )
        .await?;
        let v = view(&mut tx, actor, row, true).await?;
        tx.commit().await?;
        Ok(v)
    }
}
