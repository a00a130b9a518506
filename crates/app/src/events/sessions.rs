//! The sessions of an event's days: each on one of its days, from a time to a later
//! one, with a title and a place; given with the event or replaced later.

use super::find_event;
use crate::error::Check;
use crate::{Actor, App, AppError};
use muster_domain::events::{check_session, MAX_SESSIONS};
use muster_domain::unit::{optional_text, required_text};
use muster_domain::user::Permission;
use muster_domain::Date;
use muster_store::events::{self as store, SessionRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct SessionInput {
    /// One of the event's days, ISO.
    pub day: Option<String>,
    /// `HH:MM`, 24 hours.
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub title: Option<String>,
    pub place: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct SessionView {
    pub day: String,
    pub starts_at: String,
    pub ends_at: Option<String>,
    pub title: String,
    pub place: Option<String>,
}

impl From<SessionRow> for SessionView {
    fn from(s: SessionRow) -> Self {
        Self {
            day: s.day,
            starts_at: s.starts_at,
            ends_at: s.ends_at,
            title: s.title,
            place: s.place,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct SessionsInput {
    pub sessions: Vec<SessionInput>,
}

/// Checks sessions against the event's days; each refusal names `sessions.{i}.field`.
pub(crate) fn check_sessions(
    check: &mut Check,
    input: &[SessionInput],
    days: Option<(Date, Date)>,
) -> Vec<SessionRow> {
    if input.len() > MAX_SESSIONS {
        check.fail("sessions", "too_many");
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, s) in input.iter().enumerate() {
        let field = |f: &str| format!("sessions.{i}.{f}");
        let day = match s.day.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            None => {
                check.fail(&field("day"), "required");
                None
            }
            Some(d) => check.take(&field("day"), Date::parse_iso(d)),
        };
        let title = check.take(
            &field("title"),
            required_text(s.title.as_deref().unwrap_or(""), 200),
        );
        let place = check
            .take(&field("place"), optional_text(s.place.as_deref(), 200))
            .flatten();
        let (Some(day), Some((from, to))) = (day, days) else {
            continue;
        };
        match check_session(
            day,
            s.starts_at.as_deref().unwrap_or(""),
            s.ends_at.as_deref(),
            from,
            to,
        ) {
            Err((f, e)) => check.fail(&field(f), e.code),
            Ok((starts_at, ends_at)) => {
                if let Some(title) = title {
                    out.push(SessionRow {
                        day: day.to_string(),
                        starts_at,
                        ends_at,
                        title,
                        place,
                    });
                }
            }
        }
    }
    out
}

impl App {
    /// Replaces the sessions of an event of the actor's subtree.
    pub async fn set_event_sessions(
        &self,
        actor: &Actor,
        event_id: i64,
        input: SessionsInput,
    ) -> Result<Vec<SessionView>, AppError> {
        let permit = actor.permit(Permission::Govern)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let e = find_event(&mut tx, actor, event_id).await?;
        let days = (
            Date::parse_iso(&e.starts_on).map_err(|e| AppError::Internal(e.code.into()))?,
            Date::parse_iso(&e.ends_on).map_err(|e| AppError::Internal(e.code.into()))?,
        );
        let mut check = Check::default();
        let rows = check_sessions(&mut check, &input.sessions, Some(days));
        check.finish()?;
        store::set_sessions(&mut tx, e.id, &rows).await?;
        tx.audit(
            "sessions",
            "event",
            e.id,
            Some(e.unit_id),
            None,
            Some(serde_json::json!({ "sessions": rows.len() })),
        )
        .await?;
        let out = store::sessions(&mut tx, e.id).await?;
        tx.commit().await?;
        Ok(out.into_iter().map(SessionView::from).collect())
    }
}
