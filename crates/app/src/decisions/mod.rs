//! Decisions of a meeting and the action items they send down the tree: assigned to a
//! person or a unit below, split by that unit's officers into items for their own units,
//! each level showing the share its children have done, and the overdue ones listed for
//! the officers above, oldest first.

use crate::error::Check;
use crate::{page_size, Actor, App, AppError};
use muster_domain::calendar::Calendar;
use muster_domain::governance::{check_votes, share_done, ActionStatus, Outcome};
use muster_domain::unit::{optional_text, required_text};
use muster_domain::user::Permission;
use muster_domain::Date;
use muster_store::decisions::{
    self as store, ActionRow, DecisionRow, NewAction, NewDecision, PartCounts,
};
use muster_store::Conn;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A program a decision approved.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ProgramLink {
    pub id: i64,
    pub name: String,
    pub unit_code: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct DecisionView {
    pub id: i64,
    pub meeting_id: i64,
    /// The agenda item it was taken under.
    pub item_id: i64,
    pub committee_id: i64,
    pub committee_name: String,
    pub unit_code: String,
    /// The meeting's local start, `2022-04-11T10:00`.
    pub meeting_starts_at: String,
    /// Its number in its committee and year, in the committee's calendar: `1401/7`.
    pub label: String,
    pub text: String,
    /// `adopted`, `rejected`, `deferred`.
    pub outcome: String,
    pub votes_for: Option<i64>,
    pub votes_against: Option<i64>,
    pub votes_abstain: Option<i64>,
    /// Taken by consensus (no votes counted).
    pub consensus: bool,
    /// Taken in a meeting without a quorum, with the note that says why.
    pub without_quorum: bool,
    pub quorum_note: Option<String>,
    /// What it caused: its own action items (the parts they were split into are on each
    /// item's answer), and the programs it approved.
    pub actions: Vec<ActionView>,
    /// The share of its first-level items done (per cent; absent with none).
    pub done_share: Option<f64>,
    /// The programs it approved.
    pub programs: Vec<ProgramLink>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ActionView {
    pub id: i64,
    pub decision_id: Option<i64>,
    pub meeting_id: i64,
    /// The item it was split from.
    pub parent_id: Option<i64>,
    /// The unit holding it.
    pub unit_code: String,
    pub person_id: Option<i64>,
    pub person_name: Option<String>,
    pub title: String,
    pub due_on: String,
    /// `open`, `in_progress`, `done`, `cancelled`.
    pub status: String,
    pub done_on: Option<String>,
    /// Pending past its due date.
    pub overdue: bool,
    /// Items split from it, and the share of them done (cancelled ones left out).
    pub children: i64,
    pub children_done_share: Option<f64>,
    /// Its progress notes (on one item's answer).
    pub notes: Vec<NoteView>,
    /// The items it was split into (on one item's answer).
    #[schema(no_recursion)]
    pub parts: Vec<ActionView>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct NoteView {
    pub at: String,
    pub by: String,
    pub status: String,
    pub note: Option<String>,
}

/// An action item as typed: a unit (by code) or a person, and a due date (ISO).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ActionInput {
    /// What is to be done; the decision's text when not given.
    pub title: Option<String>,
    pub unit_code: Option<String>,
    pub person_id: Option<i64>,
    pub due_on: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct DecisionInput {
    pub meeting_id: Option<i64>,
    pub item_id: Option<i64>,
    pub text: Option<String>,
    pub outcome: Option<String>,
    /// Leave the three out for a decision by consensus.
    pub votes_for: Option<i64>,
    pub votes_against: Option<i64>,
    pub votes_abstain: Option<i64>,
    /// Needed when the meeting has no quorum: why the decision stands.
    pub quorum_note: Option<String>,
    #[serde(default)]
    pub actions: Vec<ActionInput>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct SplitInput {
    pub items: Vec<ActionInput>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ProgressInput {
    /// `open`, `in_progress`, `done`, `cancelled`.
    pub status: String,
    pub note: Option<String>,
    /// For `done`: the day it was done (ISO), when recorded later; today when not given.
    pub done_on: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DecisionQuery {
    pub meeting: Option<i64>,
    /// Words of the decision's text.
    pub q: Option<String>,
    pub limit: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActionQuery {
    /// A unit code: the items held in its subtree.
    pub unit: Option<String>,
    /// The day that decides what is overdue (ISO); today when not given.
    pub as_of: Option<String>,
    pub limit: Option<i64>,
}

fn label(d: &DecisionRow) -> String {
    format!("{}/{}", d.year, d.number)
}

fn action_view(a: &ActionRow, parts: Option<&PartCounts>, today: &str) -> ActionView {
    let parts = parts.copied().unwrap_or_default();
    let pending = ActionStatus::parse(&a.status).is_ok_and(ActionStatus::is_pending);
    ActionView {
        id: a.id,
        decision_id: a.decision_id,
        meeting_id: a.meeting_id,
        parent_id: a.parent_id,
        unit_code: a.unit_code.clone(),
        person_id: a.person_id,
        person_name: a.person_name.clone(),
        title: a.title.clone(),
        due_on: a.due_on.clone(),
        status: a.status.clone(),
        done_on: a.done_on.clone(),
        overdue: pending && a.due_on.as_str() < today,
        children: parts.parts,
        children_done_share: share_done(parts.done, parts.counted),
        notes: Vec::new(),
        parts: Vec::new(),
    }
}

/// Views of items, their parts counted in one query.
async fn action_views(
    conn: &mut Conn,
    rows: &[ActionRow],
    today: &str,
) -> Result<Vec<ActionView>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|a| a.id).collect();
    let counts = store::part_counts(conn, &ids).await?;
    Ok(rows
        .iter()
        .map(|a| action_view(a, counts.get(&a.id), today))
        .collect())
}

async fn decision_view(conn: &mut Conn, d: DecisionRow) -> Result<DecisionView, AppError> {
    let today = Date::today().to_string();
    let own = store::actions_of_decision(conn, d.id).await?;
    let actions = action_views(conn, &own, &today).await?;
    let counted = actions.iter().filter(|a| a.status != "cancelled").count() as i64;
    let done = actions.iter().filter(|a| a.status == "done").count() as i64;
    Ok(DecisionView {
        label: label(&d),
        id: d.id,
        meeting_id: d.meeting_id,
        item_id: d.item_id,
        committee_id: d.committee_id,
        committee_name: d.committee_name,
        unit_code: d.unit_code,
        meeting_starts_at: d.starts_at,
        text: d.text,
        outcome: d.outcome,
        consensus: d.votes_for.is_none() && d.votes_against.is_none() && d.votes_abstain.is_none(),
        votes_for: d.votes_for,
        votes_against: d.votes_against,
        votes_abstain: d.votes_abstain,
        without_quorum: d.quorum_note.is_some(),
        quorum_note: d.quorum_note,
        actions,
        done_share: share_done(done, counted),
        programs: muster_store::events::programs_of_decision(conn, d.id)
            .await?
            .into_iter()
            .map(|(id, name, unit_code)| ProgramLink {
                id,
                name,
                unit_code,
            })
            .collect(),
    })
}

/// Checks action items to be written: a unit in `within`'s subtree (strictly below
/// when `strictly`) and the actor's, or a member of the actor's subtree; due no earlier
/// than `earliest` and, for a split, no later than `latest`. Answers them with their
/// holding units.
#[allow(clippy::too_many_arguments)]
async fn check_actions(
    conn: &mut Conn,
    actor: &Actor,
    check: &mut Check,
    prefix: &str,
    inputs: &[ActionInput],
    within: i64,
    strictly: bool,
    earliest: Date,
    latest: Option<Date>,
    default_title: &str,
) -> Result<Vec<(i64, Option<i64>, String, String)>, AppError> {
    let mut out = Vec::new();
    for (i, a) in inputs.iter().enumerate() {
        let field = |f: &str| format!("{prefix}.{}.{f}", i + 1);
        let title = match a.title.as_deref().filter(|t| !t.trim().is_empty()) {
            Some(t) => check.take(&field("title"), required_text(t, 500)),
            None => Some(default_title.chars().take(500).collect()),
        };
        let due = match a.due_on.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            Some(d) => check.take(&field("due_on"), Date::parse_iso(d)),
            None => {
                check.fail(&field("due_on"), "required");
                None
            }
        };
        if let Some(due) = due {
            if due < earliest {
                check.fail(&field("due_on"), "due_before_meeting");
            } else if latest.is_some_and(|l| due > l) {
                check.fail(&field("due_on"), "due_after_parent");
            }
        }
        let holder = match (
            a.unit_code.as_deref().filter(|c| !c.trim().is_empty()),
            a.person_id,
        ) {
            (Some(_), Some(_)) => {
                check.fail(&field("unit_code"), "unit_or_person");
                None
            }
            (None, None) => {
                check.fail(&field("unit_code"), "required");
                None
            }
            (Some(code), None) => {
                match crate::units::find_in_scope(conn, actor.scope(), code).await {
                    Ok(u) => {
                        let depth: Option<i64> =
                            muster_store::units::depth_below(conn, within, u.id).await?;
                        match depth {
                            Some(d) if d > 0 || !strictly => Some((u.id, None)),
                            _ => {
                                check.fail(&field("unit_code"), "not_below");
                                None
                            }
                        }
                    }
                    Err(AppError::NotFound(_)) => {
                        check.fail(&field("unit_code"), "unknown_unit");
                        None
                    }
                    Err(e) => return Err(e),
                }
            }
            (None, Some(p)) => match crate::members::find_member(conn, actor, p).await {
                Ok((_, m)) => Some((m.unit_id, Some(p))),
                Err(_) => {
                    check.fail(&field("person_id"), "unknown_member");
                    None
                }
            },
        };
        if let (Some(t), Some(d), Some((unit, person))) = (title, due, holder) {
            out.push((unit, person, t, d.to_string()));
        }
    }
    Ok(out)
}

/// The committee's pending first-level items from its meetings before `before`.
pub(crate) async fn matters_arising(
    conn: &mut Conn,
    committee_id: i64,
    before: &str,
) -> Result<Vec<ActionView>, AppError> {
    let today = Date::today().to_string();
    let rows = store::pending_of_committee(conn, committee_id, before).await?;
    action_views(conn, &rows, &today).await
}

/// The decisions taken at a meeting, in the order taken.
pub(crate) async fn of_meeting(
    conn: &mut Conn,
    meeting_id: i64,
) -> Result<Vec<DecisionView>, AppError> {
    let mut rows = store::list(conn, muster_store::Scope::All, Some(meeting_id), None, 500).await?;
    rows.reverse();
    let mut out = Vec::with_capacity(rows.len());
    for d in rows {
        out.push(decision_view(conn, d).await?);
    }
    Ok(out)
}

impl App {
    /// Records a decision under an agenda item of a meeting of the actor's subtree, with
    /// the action items it sends down.
    pub async fn record_decision(
        &self,
        actor: &Actor,
        input: DecisionInput,
    ) -> Result<DecisionView, AppError> {
        let permit = actor.permit(Permission::Govern)?;
        let meeting_id = input
            .meeting_id
            .ok_or_else(|| AppError::field("meeting_id", "required"))?;
        let meeting = self.meeting(actor, meeting_id).await.map_err(|e| match e {
            AppError::NotFound(_) => AppError::field("meeting_id", "unknown_meeting"),
            e => e,
        })?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        if meeting.status == "finalized" {
            return Err(AppError::Conflict {
                field: "minutes".into(),
                code: "minutes_finalized".into(),
            });
        }
        let committee = muster_store::committees::by_id(
            &mut tx,
            actor.scope(),
            meeting.committee_id,
            &Date::today().to_string(),
        )
        .await?
        .ok_or(AppError::NotFound("committee"))?;
        let mut check = Check::default();
        if !input
            .item_id
            .is_some_and(|i| meeting.agenda.iter().any(|a| a.id == i))
        {
            check.fail(
                "item_id",
                if input.item_id.is_some() {
                    "unknown_item"
                } else {
                    "required"
                },
            );
        }
        let text = check.take(
            "text",
            required_text(input.text.as_deref().unwrap_or(""), 5000),
        );
        let outcome = check.take(
            "outcome",
            Outcome::parse(input.outcome.as_deref().unwrap_or("adopted")),
        );
        if let Err((field, e)) = check_votes(
            input.votes_for,
            input.votes_against,
            input.votes_abstain,
            meeting.quorum.voting,
        ) {
            check.fail(field, e.code);
        }
        let note = check
            .take(
                "quorum_note",
                optional_text(input.quorum_note.as_deref(), 1000),
            )
            .flatten();
        if !meeting.quorum.quorate && note.is_none() {
            check.fail("quorum_note", "no_quorum");
        }
        let day = Date::parse_iso(meeting.starts_at.get(..10).unwrap_or(""))
            .unwrap_or_else(|_| Date::today());
        let actions = check_actions(
            &mut tx,
            actor,
            &mut check,
            "actions",
            &input.actions,
            committee.unit_id,
            false,
            day,
            None,
            text.as_deref().unwrap_or(""),
        )
        .await?;
        check.finish()?;
        let calendar = Calendar::parse(&committee.calendar).unwrap_or(Calendar::Gregorian);
        let year = calendar
            .from_iso(day)
            .map(|d| i64::from(d.year))
            .unwrap_or(i64::from(day.year()));
        let now = tx.now().to_string();
        let new = NewDecision {
            meeting_id: meeting.id,
            item_id: input.item_id.unwrap_or(0),
            committee_id: committee.id,
            unit_id: committee.unit_id,
            year,
            text: text.unwrap_or_default(),
            outcome: outcome.map(|o| o.as_str()).unwrap_or("adopted").into(),
            votes_for: input.votes_for,
            votes_against: input.votes_against,
            votes_abstain: input.votes_abstain,
            // Only a meeting without a quorum keeps the note: it is what marks it.
            quorum_note: note.filter(|_| !meeting.quorum.quorate),
        };
        let (id, number) = store::insert(&mut tx, &new, &now).await?;
        for (unit, person, title, due) in &actions {
            let a = NewAction {
                decision_id: Some(id),
                meeting_id: meeting.id,
                parent_id: None,
                unit_id: *unit,
                person_id: *person,
                title: title.clone(),
                due_on: due.clone(),
            };
            store::insert_action(&mut tx, &a, &now).await?;
            tx.recount(*unit);
        }
        let after = serde_json::json!({ "number": format!("{year}/{number}"), "outcome": new.outcome, "actions": actions.len() });
        tx.audit(
            "decide",
            "decision",
            id,
            Some(committee.unit_id),
            None,
            Some(after),
        )
        .await?;
        let row = store::by_id(&mut tx, actor.scope(), id)
            .await?
            .ok_or(AppError::NotFound("decision"))?;
        let view = decision_view(&mut tx, row).await?;
        tx.recount(committee.unit_id);
        tx.commit().await?;
        Ok(view)
    }

    /// One decision of the actor's subtree, with what it caused.
    pub async fn decision(&self, actor: &Actor, id: i64) -> Result<DecisionView, AppError> {
        let mut conn = self.db().read().await?;
        let d = store::by_id(&mut conn, actor.scope(), id)
            .await?
            .ok_or(AppError::NotFound("decision"))?;
        decision_view(&mut conn, d).await
    }

    /// Decisions of the actor's subtree, newest first (of one meeting, or holding words).
    pub async fn list_decisions(
        &self,
        actor: &Actor,
        q: &DecisionQuery,
    ) -> Result<Vec<DecisionView>, AppError> {
        let mut conn = self.db().read().await?;
        let words = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let rows = store::list(
            &mut conn,
            actor.scope(),
            q.meeting,
            words,
            page_size(q.limit),
        )
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for d in rows {
            out.push(decision_view(&mut conn, d).await?);
        }
        Ok(out)
    }
}

mod actions;
