//! Action items after their decision: read one or a unit's, split one for the units
//! below, record progress. Only the units holding an item act on it.

use super::{
    action_view, action_views, check_actions, ActionQuery, ActionView, NoteView, ProgressInput,
    SplitInput,
};
use crate::error::Check;
use crate::{page_size, Actor, App, AppError};
use muster_domain::governance::ActionStatus;
use muster_domain::unit::optional_text;
use muster_domain::user::Permission;
use muster_domain::Date;
use muster_store::decisions::{self as store, ActionRow, NewAction};
use muster_store::Conn;

impl App {
    /// One action item the actor may see (held in their subtree, or decided there),
    /// with its notes.
    pub async fn action_item(&self, actor: &Actor, id: i64) -> Result<ActionView, AppError> {
        let mut conn = self.db().read().await?;
        let a = store::action(&mut conn, actor.scope(), id)
            .await?
            .ok_or(AppError::NotFound("action item"))?;
        let today = Date::today().to_string();
        let parts = store::parts(&mut conn, a.id).await?;
        let mut v = action_view(&a, None, &today);
        v.parts = action_views(&mut conn, &parts, &today).await?;
        v.children = v.parts.len() as i64;
        let counted = v.parts.iter().filter(|p| p.status != "cancelled").count() as i64;
        let done = v.parts.iter().filter(|p| p.status == "done").count() as i64;
        v.children_done_share = muster_domain::governance::share_done(done, counted);
        v.notes = store::notes(&mut conn, id)
            .await?
            .into_iter()
            .map(|(at, by, status, note)| NoteView {
                at,
                by,
                status,
                note,
            })
            .collect();
        Ok(v)
    }

    /// Pending items held by the units of the actor's subtree (or of `unit`'s), by due
    /// date; with `overdue`, only those due before `as_of`.
    pub async fn list_action_items(
        &self,
        actor: &Actor,
        q: &ActionQuery,
        overdue: bool,
    ) -> Result<Vec<ActionView>, AppError> {
        let mut conn = self.db().read().await?;
        let unit = match q.unit.as_deref().filter(|u| !u.trim().is_empty()) {
            Some(code) => Some(
                crate::units::find_in_scope(&mut conn, actor.scope(), code)
                    .await?
                    .id,
            ),
            None => None,
        };
        let as_of = match q.as_of.as_deref().filter(|d| !d.trim().is_empty()) {
            Some(d) => Date::parse_iso(d).map_err(|e| AppError::field("as_of", e.code))?,
            None => Date::today(),
        };
        let as_of = as_of.to_string();
        let rows = store::actions_held(
            &mut conn,
            actor.scope(),
            unit,
            overdue.then_some(as_of.as_str()),
            page_size(q.limit),
        )
        .await?;
        action_views(&mut conn, &rows, &as_of).await
    }

    /// Splits an item held by a unit of the actor's subtree into items for units below
    /// it, due no later than it.
    pub async fn split_action(
        &self,
        actor: &Actor,
        id: i64,
        input: SplitInput,
    ) -> Result<ActionView, AppError> {
        let permit = actor.permit(Permission::Govern)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let a = held(&mut tx, actor, id).await?;
        if !ActionStatus::parse(&a.status).is_ok_and(ActionStatus::is_pending) {
            return Err(AppError::field("status", "action_closed"));
        }
        if input.items.is_empty() {
            return Err(AppError::field("items", "required"));
        }
        let mut check = Check::default();
        let meeting =
            muster_store::meetings::by_id(&mut tx, muster_store::Scope::All, a.meeting_id)
                .await?
                .ok_or(AppError::NotFound("meeting"))?;
        let day = Date::parse_iso(meeting.starts_at.get(..10).unwrap_or(""))
            .unwrap_or_else(|_| Date::today());
        let latest = Date::parse_iso(&a.due_on).ok();
        let parts = check_actions(
            &mut tx,
            actor,
            &mut check,
            "items",
            &input.items,
            a.unit_id,
            true,
            day,
            latest,
            &a.title,
        )
        .await?;
        check.finish()?;
        let now = tx.now().to_string();
        for (unit, person, title, due) in &parts {
            let child = NewAction {
                decision_id: a.decision_id,
                meeting_id: a.meeting_id,
                parent_id: Some(a.id),
                unit_id: *unit,
                person_id: *person,
                title: title.clone(),
                due_on: due.clone(),
            };
            store::insert_action(&mut tx, &child, &now).await?;
            tx.recount(*unit);
        }
        if a.status == "open" {
            tx.recount(a.unit_id);
            store::set_status(&mut tx, a.id, "in_progress", None, &now).await?;
            store::add_note(&mut tx, a.id, actor.username(), "in_progress", None, &now).await?;
        }
        tx.audit(
            "split",
            "action_item",
            a.id,
            Some(a.unit_id),
            None,
            Some(serde_json::json!({ "parts": parts.len() })),
        )
        .await?;
        tx.commit().await?;
        self.action_item(actor, id).await
    }

    /// Records progress on an item held by a unit of the actor's subtree: its status and
    /// a note.
    pub async fn record_progress(
        &self,
        actor: &Actor,
        id: i64,
        input: ProgressInput,
    ) -> Result<ActionView, AppError> {
        let permit = actor.permit(Permission::Govern)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let a = held(&mut tx, actor, id).await?;
        let status =
            ActionStatus::parse(&input.status).map_err(|e| AppError::field("status", e.code))?;
        let note = optional_text(input.note.as_deref(), 2000)
            .map_err(|e| AppError::field("note", e.code))?;
        let now = tx.now().to_string();
        let today = Date::today();
        let done_on = match input
            .done_on
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            Some(d) => {
                let d = Date::parse_iso(d).map_err(|e| AppError::field("done_on", e.code))?;
                if d > today {
                    return Err(AppError::field("done_on", "in_future"));
                }
                d
            }
            None => today,
        };
        let done_on = (status == ActionStatus::Done).then(|| done_on.to_string());
        store::set_status(&mut tx, a.id, status.as_str(), done_on.as_deref(), &now).await?;
        store::add_note(
            &mut tx,
            a.id,
            actor.username(),
            status.as_str(),
            note.as_deref(),
            &now,
        )
        .await?;
        tx.audit(
            "progress",
            "action_item",
            a.id,
            Some(a.unit_id),
            Some(serde_json::json!({ "status": a.status })),
            Some(serde_json::json!({ "status": status.as_str(), "note": note })),
        )
        .await?;
        tx.recount(a.unit_id);
        tx.commit().await?;
        self.action_item(actor, id).await
    }
}

/// An item held by a unit of the actor's subtree: only its holders (and those above
/// them) act on it; the committee that decided it only watches.
async fn held(conn: &mut Conn, actor: &Actor, id: i64) -> Result<ActionRow, AppError> {
    let a = store::action(conn, actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound("action item"))?;
    if muster_store::units::in_scope(conn, actor.scope(), a.unit_id).await? {
        Ok(a)
    } else {
        Err(AppError::Forbidden)
    }
}
