//! Programs and events: a unit declares a program over a period (a labor week), units
//! below add their own events to it, and its dashboard rolls their figures up the tree.
//! Who comes, check-in and walk-ins are in `desk`.

mod dashboard;
pub(crate) mod desk;
mod sessions;

pub use dashboard::{DashboardQuery, ProgramDashboard, ProgramFigures};
pub(crate) use desk::new_ticket;
pub use desk::{BulkCheckIn, BulkLine, CheckIn, CheckInAnswer, ParticipantInput, WalkIn};
pub use sessions::{SessionInput, SessionView, SessionsInput};

use crate::error::Check;
use crate::{page_size, Actor, App, AppError};
use muster_domain::events::{check_capacity, check_days, Audience, EventKind};
use muster_domain::unit::{optional_text, parse_locale, required_text};
use muster_domain::user::Permission;
use muster_domain::Date;
use muster_store::events::{
    self as store, EventFields, EventRow, Named, ParticipantRow, ProgramRow,
};
use muster_store::Conn;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ProgramView {
    pub id: i64,
    pub unit_code: String,
    pub name: String,
    /// The name in other locales.
    pub names: BTreeMap<String, String>,
    pub starts_on: String,
    pub ends_on: String,
    /// The decision that approved it.
    pub decision_id: Option<i64>,
    pub events: i64,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ProgramInput {
    pub unit_code: Option<String>,
    pub name: Option<String>,
    #[serde(default)]
    pub names: BTreeMap<String, String>,
    /// ISO dates, both days included.
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub decision_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct EventView {
    pub id: i64,
    pub program_id: Option<i64>,
    pub unit_code: String,
    /// `conference`, `ceremony`, `memorial`, `visit`, `competition`, `service_desk`,
    /// `training_camp`, `march`, `sports`, `cultural`, `awareness`, `other`.
    pub kind: String,
    pub name: String,
    pub names: BTreeMap<String, String>,
    pub starts_on: String,
    pub ends_on: String,
    pub place: Option<String>,
    pub capacity: Option<i64>,
    /// `members`, `invited`, `open`.
    pub audience: String,
    pub registration_opens: Option<String>,
    pub registration_closes: Option<String>,
    /// People holding a place, and waiting for one.
    pub holding: i64,
    pub waitlisted: i64,
    /// The closing report, once filed.
    pub report: Option<EventReport>,
    /// Who registered or came (on one event's answer).
    pub participants: Vec<ParticipantView>,
    /// The sessions of its days (on one event's answer).
    pub sessions: Vec<SessionView>,
}

/// What an event's closing report says and what the records show.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct EventReport {
    pub notes: Option<String>,
    /// Links to photos or media, one per line.
    pub media: Vec<String>,
    pub filed_at: String,
    /// People checked in at least once: registry members (before the event), others,
    /// women among them; members recruited at it.
    pub came: i64,
    pub members: i64,
    pub non_members: i64,
    pub women: i64,
    pub recruited: i64,
    /// People checked in on each day (on one event's answer).
    pub by_day: Vec<DayCount>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct DayCount {
    pub day: String,
    pub people: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ParticipantView {
    pub id: i64,
    pub person_id: Option<i64>,
    pub name: String,
    pub member_number: Option<String>,
    /// `participant`, `speaker`, `honoree`, `volunteer`, `guest`.
    pub role: String,
    /// `registered`, `waitlisted`, `confirmed`, `attended`, `no_show`, `cancelled`.
    pub status: String,
    /// The code of the ticket's QR: a random code that names no one.
    pub ticket: String,
    pub walk_in: bool,
    /// Registered as a member at the event.
    pub recruited: bool,
    /// Days checked in.
    pub days: i64,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct EventInput {
    pub program_id: Option<i64>,
    pub unit_code: Option<String>,
    pub kind: Option<String>,
    pub name: Option<String>,
    #[serde(default)]
    pub names: BTreeMap<String, String>,
    pub starts_on: Option<String>,
    /// The last day; the first when not given.
    pub ends_on: Option<String>,
    pub place: Option<String>,
    pub capacity: Option<i64>,
    /// `members` when not given.
    pub audience: Option<String>,
    pub registration_opens: Option<String>,
    pub registration_closes: Option<String>,
    /// The sessions of its days.
    #[serde(default)]
    pub sessions: Vec<SessionInput>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ReportInput {
    pub notes: Option<String>,
    /// Links to photos or media, one per line.
    pub media: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    pub program: Option<i64>,
    /// A unit code: the events of its subtree.
    pub unit: Option<String>,
    pub limit: Option<i64>,
}

fn names_of(rows: &[(i64, String, String)], id: i64) -> BTreeMap<String, String> {
    rows.iter()
        .filter(|(i, _, _)| *i == id)
        .map(|(_, l, n)| (l.clone(), n.clone()))
        .collect()
}

fn program_view(p: ProgramRow, names: BTreeMap<String, String>) -> ProgramView {
    ProgramView {
        id: p.id,
        unit_code: p.unit_code,
        name: p.name,
        names,
        starts_on: p.starts_on,
        ends_on: p.ends_on,
        decision_id: p.decision_id,
        events: p.events,
    }
}

pub(crate) fn participant_view(p: ParticipantRow) -> ParticipantView {
    ParticipantView {
        id: p.id,
        person_id: p.person_id,
        name: p.name,
        member_number: p.member_number,
        role: p.role,
        status: p.status,
        ticket: p.ticket,
        walk_in: p.walk_in,
        recruited: p.recruited,
        days: p.days,
    }
}

/// One event as shown, with who registered or came.
async fn one_event_view(conn: &mut Conn, e: EventRow) -> Result<EventView, AppError> {
    let names = store::names(conn, Named::Event, &[e.id]).await?;
    let counts = if e.closed_at.is_some() {
        store::report_counts(conn, &[e.id]).await?
    } else {
        Vec::new()
    };
    event_view(conn, e, true, &names, &counts).await
}

/// An event as shown; `names` holds its names in other locales and `counts` its
/// report's figures (those of a whole list, read at once). Its participants, sessions
/// and check-ins by day only on one event's answer.
async fn event_view(
    conn: &mut Conn,
    e: EventRow,
    with_participants: bool,
    names: &[(i64, String, String)],
    counts: &[(i64, i64, i64, i64, i64)],
) -> Result<EventView, AppError> {
    let report = match &e.closed_at {
        Some(filed) => {
            let (came, members, women, recruited) = counts
                .iter()
                .find(|c| c.0 == e.id)
                .map_or((0, 0, 0, 0), |c| (c.1, c.2, c.3, c.4));
            let by_day = if with_participants {
                store::checkins_by_day(conn, e.id)
                    .await?
                    .into_iter()
                    .map(|(day, people)| DayCount { day, people })
                    .collect()
            } else {
                Vec::new()
            };
            Some(EventReport {
                notes: e.report_notes.clone(),
                media: e
                    .report_media
                    .as_deref()
                    .unwrap_or("")
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(String::from)
                    .collect(),
                filed_at: filed.clone(),
                came,
                members,
                non_members: came - members,
                women,
                recruited,
                by_day,
            })
        }
        None => None,
    };
    let participants = if with_participants {
        store::participants(conn, e.id)
            .await?
            .into_iter()
            .map(participant_view)
            .collect()
    } else {
        Vec::new()
    };
    let sessions = if with_participants {
        store::sessions(conn, e.id)
            .await?
            .into_iter()
            .map(SessionView::from)
            .collect()
    } else {
        Vec::new()
    };
    Ok(EventView {
        id: e.id,
        program_id: e.program_id,
        unit_code: e.unit_code,
        kind: e.kind,
        name: e.name,
        names: names_of(names, e.id),
        starts_on: e.starts_on,
        ends_on: e.ends_on,
        place: e.place,
        capacity: e.capacity,
        audience: e.audience,
        registration_opens: e.registration_opens,
        registration_closes: e.registration_closes,
        holding: e.holding,
        waitlisted: e.waitlisted,
        report,
        participants,
        sessions,
    })
}

/// Other-locale names as typed: each locale known, each name at most 200 characters.
pub(crate) fn check_names(
    check: &mut Check,
    names: &BTreeMap<String, String>,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (locale, n) in names {
        let l = check.take(&format!("names.{locale}"), parse_locale(locale));
        let n = check
            .take(&format!("names.{locale}"), optional_text(Some(n), 200))
            .flatten();
        if let (Some(l), Some(n)) = (l, n) {
            out.push((l.to_string(), n));
        }
    }
    out
}

pub(crate) fn date_field(check: &mut Check, field: &str, value: Option<&str>) -> Option<Date> {
    match value.map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            check.fail(field, "required");
            None
        }
        Some(s) => check.take(field, Date::parse_iso(s)),
    }
}

/// The unit a form names, in the actor's subtree: required, and refused on its field
/// when unknown.
pub(crate) async fn unit_field(
    tx: &mut crate::write::Write<'_>,
    check: &mut Check,
    code: Option<&str>,
) -> Result<Option<muster_store::units::UnitRow>, AppError> {
    match code.filter(|c| !c.trim().is_empty()) {
        None => {
            check.fail("unit_code", "required");
            Ok(None)
        }
        Some(code) => match tx.unit(code).await {
            Ok(u) => Ok(Some(u)),
            Err(AppError::NotFound(_)) => {
                check.fail("unit_code", "unknown_unit");
                Ok(None)
            }
            Err(e) => Err(e),
        },
    }
}

/// An event of the actor's subtree.
pub(crate) async fn find_event(
    conn: &mut Conn,
    actor: &Actor,
    id: i64,
) -> Result<EventRow, AppError> {
    store::event(conn, actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound("event"))
}

impl App {
    pub async fn list_programs(
        &self,
        actor: &Actor,
        limit: Option<i64>,
    ) -> Result<Vec<ProgramView>, AppError> {
        let mut conn = self.db().read().await?;
        let rows = store::programs(&mut conn, actor.scope(), page_size(limit)).await?;
        let ids: Vec<i64> = rows.iter().map(|p| p.id).collect();
        let names = store::names(&mut conn, Named::Program, &ids).await?;
        Ok(rows
            .into_iter()
            .map(|p| {
                let n = names_of(&names, p.id);
                program_view(p, n)
            })
            .collect())
    }

    pub async fn program(&self, actor: &Actor, id: i64) -> Result<ProgramView, AppError> {
        let mut conn = self.db().read().await?;
        let p = store::program(&mut conn, actor.scope(), id)
            .await?
            .ok_or(AppError::NotFound("program"))?;
        let names = store::names(&mut conn, Named::Program, &[p.id]).await?;
        let n = names_of(&names, p.id);
        Ok(program_view(p, n))
    }

    /// Declares a program of a unit of the actor's subtree.
    pub async fn create_program(
        &self,
        actor: &Actor,
        input: ProgramInput,
    ) -> Result<ProgramView, AppError> {
        let permit = actor.permit(Permission::Govern)?;
        let mut tx = self.write(permit).await?;
        let mut check = Check::default();
        let unit = unit_field(&mut tx, &mut check, input.unit_code.as_deref()).await?;
        let name = check.take(
            "name",
            required_text(input.name.as_deref().unwrap_or(""), 200),
        );
        let names = check_names(&mut check, &input.names);
        let starts = date_field(&mut check, "starts_on", input.starts_on.as_deref());
        let ends = date_field(&mut check, "ends_on", input.ends_on.as_deref());
        if let (Some(s), Some(e)) = (starts, ends) {
            if let Err((field, err)) = check_days(s, e, None) {
                check.fail(field, err.code);
            }
        }
        if let Some(d) = input.decision_id {
            let scope = tx.scope();
            if muster_store::decisions::by_id(&mut tx, scope, d)
                .await?
                .is_none()
            {
                check.fail("decision_id", "unknown_decision");
            }
        }
        check.finish()?;
        let (Some(unit), Some(name), Some(starts), Some(ends)) = (unit, name, starts, ends) else {
            return Err(AppError::Internal("checked program".into()));
        };
        let now = tx.now().to_string();
        let id = store::insert_program(
            &mut tx,
            unit.tree_id,
            unit.id,
            &name,
            &starts.to_string(),
            &ends.to_string(),
            input.decision_id,
            &now,
        )
        .await?;
        for (l, n) in &names {
            store::set_name(&mut tx, Named::Program, id, l, n).await?;
        }
        tx.audit(
            "create",
            "program",
            id,
            Some(unit.id),
            None,
            Some(serde_json::json!({ "name": name, "starts_on": starts.to_string(), "ends_on": ends.to_string() })),
        )
        .await?;
        tx.commit().await?;
        self.program(actor, id).await
    }

    pub async fn list_events(
        &self,
        actor: &Actor,
        q: &EventQuery,
    ) -> Result<Vec<EventView>, AppError> {
        let mut conn = self.db().read().await?;
        let unit = match q.unit.as_deref().filter(|u| !u.trim().is_empty()) {
            Some(code) => Some(
                crate::units::find_in_scope(&mut conn, actor.scope(), code)
                    .await?
                    .id,
            ),
            None => None,
        };
        let rows = store::events(
            &mut conn,
            actor.scope(),
            q.program,
            unit,
            page_size(q.limit),
        )
        .await?;
        let ids: Vec<i64> = rows.iter().map(|e| e.id).collect();
        let names = store::names(&mut conn, Named::Event, &ids).await?;
        let closed: Vec<i64> = rows
            .iter()
            .filter(|e| e.closed_at.is_some())
            .map(|e| e.id)
            .collect();
        let counts = store::report_counts(&mut conn, &closed).await?;
        let mut out = Vec::with_capacity(rows.len());
        for e in rows {
            out.push(event_view(&mut conn, e, false, &names, &counts).await?);
        }
        Ok(out)
    }

    /// One event of the actor's subtree, with who registered or came.
    pub async fn event(&self, actor: &Actor, id: i64) -> Result<EventView, AppError> {
        let mut conn = self.db().read().await?;
        let e = find_event(&mut conn, actor, id).await?;
        one_event_view(&mut conn, e).await
    }

    /// Adds an event of a unit of the actor's subtree, on its own or to a program of
    /// that unit or one above it, within the program's days.
    pub async fn create_event(
        &self,
        actor: &Actor,
        input: EventInput,
    ) -> Result<EventView, AppError> {
        let permit = actor.permit(Permission::Govern)?;
        let mut tx = self.write(permit).await?;
        let mut check = Check::default();
        let unit = unit_field(&mut tx, &mut check, input.unit_code.as_deref()).await?;
        let program = match input.program_id {
            None => None,
            Some(p) => {
                let scope = tx.scope();
                let row = store::program(&mut tx, scope, p).await?;
                match (row, &unit) {
                    (None, _) => {
                        check.fail("program_id", "unknown_program");
                        None
                    }
                    // The program's unit must be the event's or one above it.
                    (Some(row), Some(u)) => {
                        if muster_store::units::depth_below(&mut tx, row.unit_id, u.id)
                            .await?
                            .is_none()
                        {
                            check.fail("program_id", "program_not_above");
                        }
                        Some(row)
                    }
                    (Some(row), None) => Some(row),
                }
            }
        };
        let kind = check.take(
            "kind",
            EventKind::parse(input.kind.as_deref().unwrap_or("")),
        );
        let name = check.take(
            "name",
            required_text(input.name.as_deref().unwrap_or(""), 200),
        );
        let names = check_names(&mut check, &input.names);
        let starts = date_field(&mut check, "starts_on", input.starts_on.as_deref());
        let ends = match input.ends_on.as_deref().filter(|s| !s.trim().is_empty()) {
            None => starts,
            Some(s) => check.take("ends_on", Date::parse_iso(s.trim())),
        };
        if let (Some(s), Some(e)) = (starts, ends) {
            let span = program.as_ref().and_then(|p| {
                Some((
                    Date::parse_iso(&p.starts_on).ok()?,
                    Date::parse_iso(&p.ends_on).ok()?,
                ))
            });
            if let Err((field, err)) = check_days(s, e, span) {
                check.fail(field, err.code);
            }
        }
        let place = check
            .take("place", optional_text(input.place.as_deref(), 200))
            .flatten();
        let span = match (starts, ends) {
            (Some(s), Some(e)) if s <= e => Some((s, e)),
            _ => None,
        };
        let sessions = sessions::check_sessions(&mut check, &input.sessions, span);
        let capacity = match input.capacity {
            Some(c) => check.take("capacity", check_capacity(c, 0)),
            None => None,
        };
        let audience = check
            .opt("audience", input.audience.as_deref(), Audience::parse)
            .unwrap_or(Audience::Members);
        let opens = check.opt(
            "registration_opens",
            input.registration_opens.as_deref(),
            Date::parse_iso,
        );
        let closes = check.opt(
            "registration_closes",
            input.registration_closes.as_deref(),
            Date::parse_iso,
        );
        if let (Some(o), Some(c)) = (opens, closes) {
            if c < o {
                check.fail("registration_closes", "end_before_start");
            }
        }
        if let (Some(c), Some(e)) = (closes, ends) {
            if c > e {
                check.fail("registration_closes", "after_event");
            }
        }
        check.finish()?;
        let (Some(unit), Some(kind), Some(name), Some(starts), Some(ends)) =
            (unit, kind, name, starts, ends)
        else {
            return Err(AppError::Internal("checked event".into()));
        };
        let f = EventFields {
            program_id: program.as_ref().map(|p| p.id),
            unit_id: unit.id,
            kind: kind.as_str().into(),
            name,
            starts_on: starts.to_string(),
            ends_on: ends.to_string(),
            place,
            capacity,
            audience: audience.as_str().into(),
            registration_opens: opens.map(|d| d.to_string()),
            registration_closes: closes.map(|d| d.to_string()),
        };
        let now = tx.now().to_string();
        let id = store::insert_event(&mut tx, &f, &now).await?;
        for (l, n) in &names {
            store::set_name(&mut tx, Named::Event, id, l, n).await?;
        }
        store::set_sessions(&mut tx, id, &sessions).await?;
        tx.recount_on(unit.id, &f.starts_on);
        tx.audit(
            "create",
            "event",
            id,
            Some(unit.id),
            None,
            Some(serde_json::json!({ "name": f.name, "kind": f.kind, "starts_on": f.starts_on, "ends_on": f.ends_on })),
        )
        .await?;
        let scope = tx.scope();
        let row = store::event(&mut tx, scope, id)
            .await?
            .ok_or(AppError::NotFound("event"))?;
        let view = one_event_view(&mut tx, row).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// Files an event's closing report: notes and links; the figures come from the
    /// records. Filing again replaces the notes.
    pub async fn close_event(
        &self,
        actor: &Actor,
        id: i64,
        input: ReportInput,
    ) -> Result<EventView, AppError> {
        let permit = actor.permit(Permission::Govern)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let e = find_event(&mut tx, actor, id).await?;
        let mut check = Check::default();
        let notes = check
            .take("notes", optional_text(input.notes.as_deref(), 5000))
            .flatten();
        let media = check
            .take("media", optional_text(input.media.as_deref(), 5000))
            .flatten();
        if let Some(m) = &media {
            for (i, line) in m
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .enumerate()
            {
                if !(line.starts_with("https://") || line.starts_with("http://")) {
                    check.fail("media", "not_a_link");
                    let _ = i;
                    break;
                }
            }
        }
        check.finish()?;
        let now = tx.now().to_string();
        store::set_report(&mut tx, e.id, notes.as_deref(), media.as_deref(), &now).await?;
        tx.recount_on(e.unit_id, &e.starts_on);
        tx.audit(
            "report",
            "event",
            e.id,
            Some(e.unit_id),
            None,
            Some(serde_json::json!({ "notes": notes, "media": media })),
        )
        .await?;
        let e = find_event(&mut tx, actor, id).await?;
        let view = one_event_view(&mut tx, e).await?;
        tx.commit().await?;
        Ok(view)
    }
}
