//! Meetings of a committee: when and where, an ordered agenda with sub-items, who of the
//! roster came and whether that makes a quorum (worked out before anything is decided),
//! the minutes of each item, and finalizing: the minutes lock and are numbered, and a
//! correction is a new version with the old one kept.

use crate::error::Check;
use crate::{page_size, Actor, App, AppError};
use muster_domain::governance::{
    holds_on, meeting_start, quorate, quorum_needed, Presence, MAX_AGENDA_ITEMS, MAX_ITEM_MINUTES,
};
use muster_domain::unit::{optional_text, required_text};
use muster_domain::user::Permission;
use muster_domain::Date;
use muster_store::committees::{self as committee_store, SeatRow};
use muster_store::meetings::{self as store, ItemRow, MeetingRow};
use muster_store::Conn;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A meeting as the API and the pages show it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct MeetingView {
    pub id: i64,
    pub committee_id: i64,
    pub committee_name: String,
    pub unit_code: String,
    /// The local day and time it starts: `2022-04-11T10:00`.
    pub starts_at: String,
    pub place: Option<String>,
    /// `open` (minutes being written), `finalized`, or `correcting` (a finalized
    /// meeting's minutes opened for a new version).
    pub status: String,
    /// The version last finalized (0: none yet).
    pub version: i64,
    /// Its number among its committee's finalized meetings.
    pub number: Option<i64>,
    pub agenda: Vec<AgendaItemView>,
    /// Who sat on the committee on the meeting's day, and whether they came.
    pub roster: Vec<AttendanceView>,
    pub quorum: QuorumView,
    pub versions: Vec<VersionView>,
    /// Matters arising: the committee's action items from earlier meetings still
    /// pending, on this meeting's agenda by themselves.
    pub matters_arising: Vec<crate::decisions::ActionView>,
    /// Decisions taken at this meeting.
    pub decisions: Vec<crate::decisions::DecisionView>,
    /// People invited beyond the roster.
    pub guests: Vec<GuestView>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct AgendaItemView {
    pub id: i64,
    /// The item this is a sub-item of.
    pub parent_id: Option<i64>,
    /// `1`, `2`, `2.1`, ...
    pub label: String,
    pub title: String,
    pub presenter: Option<String>,
    pub planned_minutes: Option<i64>,
    pub minutes: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct AttendanceView {
    pub seat_id: i64,
    pub name: String,
    pub position: String,
    pub voting: bool,
    /// `present`, `represented`, `excused`, `absent`; absent until recorded.
    pub presence: Option<String>,
    pub represented_by: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct QuorumView {
    /// Members with a vote on the meeting's day.
    pub voting: i64,
    /// Of them, present or represented.
    pub present: i64,
    /// How many make a quorum.
    pub needed: i64,
    pub quorate: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct VersionView {
    pub version: i64,
    pub finalized_at: String,
    pub finalized_by: String,
}

/// An agenda item as typed, with its sub-items.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct AgendaInput {
    pub title: Option<String>,
    pub presenter: Option<String>,
    pub planned_minutes: Option<i64>,
    #[serde(default)]
    #[schema(no_recursion)]
    pub items: Vec<AgendaInput>,
}

/// A meeting as typed.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct MeetingInput {
    pub committee_id: Option<i64>,
    /// ISO date.
    pub day: Option<String>,
    /// `HH:MM`, 24 hours.
    pub time: Option<String>,
    pub place: Option<String>,
    #[serde(default)]
    pub agenda: Vec<AgendaInput>,
    /// People invited beyond the committee's roster.
    #[serde(default)]
    pub guests: Vec<GuestInput>,
}

/// Someone invited to one meeting beyond the roster.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema, PartialEq)]
pub struct GuestInput {
    pub name: Option<String>,
    pub organization: Option<String>,
    /// "deputy governor for political and security affairs".
    pub title: Option<String>,
}

/// Someone invited to a meeting beyond the roster.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct GuestView {
    pub name: String,
    pub organization: Option<String>,
    pub title: Option<String>,
}

/// Whether one seat's holder came.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct AttendanceInput {
    pub seat_id: i64,
    /// `present`, `represented`, `excused`, `absent`.
    pub presence: String,
    /// Who stood in, for `represented`.
    pub represented_by: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MeetingQuery {
    /// A committee's id: its meetings only.
    pub committee: Option<i64>,
    /// 1 to 500, 50 by default.
    pub limit: Option<i64>,
}

fn status(m: &MeetingRow) -> &'static str {
    match (m.version, m.correcting) {
        (0, _) => "open",
        (_, true) => "correcting",
        (_, false) => "finalized",
    }
}

/// Items with their labels: `1`, `2`, `2.1`.
fn agenda_view(items: Vec<ItemRow>) -> Vec<AgendaItemView> {
    let mut out: Vec<AgendaItemView> = Vec::with_capacity(items.len());
    let tops: Vec<&ItemRow> = items.iter().filter(|i| i.parent_id.is_none()).collect();
    for (n, top) in tops.iter().enumerate() {
        let label = (n + 1).to_string();
        out.push(item_view(top, label.clone()));
        let subs = items.iter().filter(|i| i.parent_id == Some(top.id));
        for (k, sub) in subs.enumerate() {
            out.push(item_view(sub, format!("{label}.{}", k + 1)));
        }
    }
    out
}

fn item_view(i: &ItemRow, label: String) -> AgendaItemView {
    AgendaItemView {
        id: i.id,
        parent_id: i.parent_id,
        label,
        title: i.title.clone(),
        presenter: i.presenter.clone(),
        planned_minutes: i.planned_minutes,
        minutes: i.minutes.clone(),
    }
}

/// The seats held on the meeting's day.
fn roster_on(seats: Vec<SeatRow>, day: Date) -> Vec<SeatRow> {
    seats
        .into_iter()
        .filter(|s| match Date::parse_iso(&s.from_on) {
            Ok(from) => holds_on(
                from,
                s.until_on.as_deref().and_then(|u| Date::parse_iso(u).ok()),
                day,
            ),
            Err(_) => false,
        })
        .collect()
}

fn meeting_day(m: &MeetingRow) -> Date {
    Date::parse_iso(m.starts_at.get(..10).unwrap_or("")).unwrap_or_else(|_| Date::today())
}

async fn find(conn: &mut Conn, actor: &Actor, id: i64) -> Result<MeetingRow, AppError> {
    store::by_id(conn, actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound("meeting"))
}

/// A meeting as shown; a list's line (`full` false) leaves out its matters arising and
/// decisions, which only its own page shows.
async fn view(conn: &mut Conn, m: MeetingRow, full: bool) -> Result<MeetingView, AppError> {
    let items = store::items(conn, m.id).await?;
    let seats = roster_on(
        committee_store::seats(conn, m.committee_id).await?,
        meeting_day(&m),
    );
    let recorded = store::attendance(conn, m.id).await?;
    let committee = committee_store::by_id(
        conn,
        muster_store::Scope::All,
        m.committee_id,
        &Date::today().to_string(),
    )
    .await?
    .ok_or(AppError::NotFound("committee"))?;
    let roster: Vec<AttendanceView> = seats
        .into_iter()
        .map(|s| {
            let r = recorded.iter().find(|(seat, _, _)| *seat == s.id);
            AttendanceView {
                seat_id: s.id,
                name: s.name,
                position: s.position,
                voting: s.voting,
                presence: r.map(|r| r.1.clone()),
                represented_by: r.and_then(|r| r.2.clone()),
            }
        })
        .collect();
    let voting = roster.iter().filter(|a| a.voting).count() as i64;
    let present = roster
        .iter()
        .filter(|a| {
            a.voting
                && a.presence
                    .as_deref()
                    .and_then(|p| Presence::parse(p).ok())
                    .is_some_and(Presence::counts)
        })
        .count() as i64;
    let versions = store::versions(conn, m.id)
        .await?
        .into_iter()
        .map(|v| VersionView {
            version: v.version,
            finalized_at: v.finalized_at,
            finalized_by: v.finalized_by,
        })
        .collect();
    let guests = store::guests(conn, m.id)
        .await?
        .into_iter()
        .map(|(name, organization, title)| GuestView {
            name,
            organization,
            title,
        })
        .collect();
    let (matters_arising, decisions) = if full {
        (
            crate::decisions::matters_arising(conn, m.committee_id, &m.starts_at).await?,
            crate::decisions::of_meeting(conn, m.id).await?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(MeetingView {
        id: m.id,
        status: status(&m).into(),
        committee_id: m.committee_id,
        committee_name: m.committee_name,
        unit_code: m.unit_code,
        starts_at: m.starts_at,
        place: m.place,
        version: m.version,
        number: m.number,
        agenda: agenda_view(items),
        roster,
        guests,
        quorum: QuorumView {
            voting,
            present,
            needed: quorum_needed(voting, committee.quorum_percent),
            quorate: quorate(present, voting, committee.quorum_percent),
        },
        versions,
        matters_arising,
        decisions,
    })
}

/// Checks an agenda: every item titled, planned minutes in range, not too many items.
fn check_agenda(check: &mut Check, agenda: &[AgendaInput]) {
    let count: usize = agenda.iter().map(|a| 1 + a.items.len()).sum();
    if count > MAX_AGENDA_ITEMS {
        check.fail("agenda", "too_many");
    }
    let one = |check: &mut Check, field: String, a: &AgendaInput| {
        check.take(
            &format!("{field}.title"),
            required_text(a.title.as_deref().unwrap_or(""), 300),
        );
        check.take(
            &format!("{field}.presenter"),
            optional_text(a.presenter.as_deref(), 200),
        );
        if a.planned_minutes
            .is_some_and(|m| !(1..=MAX_ITEM_MINUTES).contains(&m))
        {
            check.fail(&format!("{field}.planned_minutes"), "out_of_range");
        }
    };
    for (i, a) in agenda.iter().enumerate() {
        one(check, format!("agenda.{}", i + 1), a);
        for (k, sub) in a.items.iter().enumerate() {
            if !sub.items.is_empty() {
                check.fail(&format!("agenda.{}.{}", i + 1, k + 1), "too_deep");
            }
            one(check, format!("agenda.{}.{}", i + 1, k + 1), sub);
        }
    }
}

impl App {
    /// Meetings of the actor's subtree (of one committee when asked), latest first.
    pub async fn list_meetings(
        &self,
        actor: &Actor,
        q: &MeetingQuery,
    ) -> Result<Vec<MeetingView>, AppError> {
        let mut conn = self.db().read().await?;
        let rows = store::list(&mut conn, actor.scope(), q.committee, page_size(q.limit)).await?;
        let mut out = Vec::with_capacity(rows.len());
        for m in rows {
            let mut v = view(&mut conn, m, false).await?;
            v.agenda.clear();
            v.roster.clear();
            out.push(v);
        }
        Ok(out)
    }

    pub async fn meeting(&self, actor: &Actor, id: i64) -> Result<MeetingView, AppError> {
        let mut conn = self.db().read().await?;
        let m = find(&mut conn, actor, id).await?;
        view(&mut conn, m, true).await
    }

    /// Calls a meeting of a committee of the actor's subtree, with its agenda.
    pub async fn create_meeting(
        &self,
        actor: &Actor,
        input: MeetingInput,
    ) -> Result<MeetingView, AppError> {
        let permit = actor.permit(Permission::Govern)?;
        let mut tx = self.write(permit).await?;
        let scope = tx.scope();
        let mut check = Check::default();
        let committee = match input.committee_id {
            Some(id) => {
                committee_store::by_id(&mut tx, scope, id, &Date::today().to_string()).await?
            }
            None => None,
        };
        if committee.is_none() {
            check.fail(
                "committee_id",
                if input.committee_id.is_some() {
                    "unknown_committee"
                } else {
                    "required"
                },
            );
        }
        let day = match input
            .day
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            Some(d) => check.take("day", Date::parse_iso(d)),
            None => {
                check.fail("day", "required");
                None
            }
        };
        let starts = day.and_then(|d| check.take("time", meeting_start(d, input.time.as_deref())));
        let place = check.take("place", optional_text(input.place.as_deref(), 300));
        check_agenda(&mut check, &input.agenda);
        let mut guests = Vec::new();
        for (i, g) in input.guests.iter().enumerate() {
            let field = |f: &str| format!("guests.{}.{f}", i + 1);
            let name = check.take(
                &field("name"),
                required_text(g.name.as_deref().unwrap_or(""), 200),
            );
            let organization = check
                .take(
                    &field("organization"),
                    optional_text(g.organization.as_deref(), 200),
                )
                .flatten();
            let title = check
                .take(&field("title"), optional_text(g.title.as_deref(), 200))
                .flatten();
            if let Some(name) = name {
                guests.push((name, organization, title));
            }
        }
        if input.guests.len() > 200 {
            check.fail("guests", "too_many");
        }
        check.finish()?;
        let (Some(c), Some(starts)) = (committee, starts) else {
            return Err(AppError::field("committee_id", "required"));
        };
        let now = tx.now().to_string();
        let id = store::insert(
            &mut tx,
            c.id,
            c.unit_id,
            &starts,
            place.flatten().as_deref(),
            &now,
        )
        .await?;
        for (name, organization, title) in &guests {
            store::add_guest(&mut tx, id, name, organization.as_deref(), title.as_deref()).await?;
        }
        let mut position = 0;
        for a in &input.agenda {
            position += 1;
            let parent = store::add_item(
                &mut tx,
                id,
                None,
                position,
                a.title.as_deref().unwrap_or("").trim(),
                a.presenter
                    .as_deref()
                    .map(str::trim)
                    .filter(|p| !p.is_empty()),
                a.planned_minutes,
            )
            .await?;
            for sub in &a.items {
                position += 1;
                store::add_item(
                    &mut tx,
                    id,
                    Some(parent),
                    position,
                    sub.title.as_deref().unwrap_or("").trim(),
                    sub.presenter
                        .as_deref()
                        .map(str::trim)
                        .filter(|p| !p.is_empty()),
                    sub.planned_minutes,
                )
                .await?;
            }
        }
        let m = find(&mut tx, actor, id).await?;
        let v = view(&mut tx, m, true).await?;
        let after = serde_json::json!({ "committee": c.id, "starts_at": v.starts_at, "place": v.place, "agenda": v.agenda.len() });
        tx.recount(c.unit_id);
        tx.audit("create", "meeting", id, Some(c.unit_id), None, Some(after))
            .await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Records who of the roster came. Only seats held on the meeting's day; a
    /// representation names who stood in.
    pub async fn record_attendance(
        &self,
        actor: &Actor,
        id: i64,
        items: Vec<AttendanceInput>,
    ) -> Result<MeetingView, AppError> {
        let permit = actor.permit(Permission::Govern)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let m = find(&mut tx, actor, id).await?;
        if status(&m) == "finalized" {
            return Err(AppError::Conflict {
                field: "minutes".into(),
                code: "minutes_finalized".into(),
            });
        }
        let roster = roster_on(
            committee_store::seats(&mut tx, m.committee_id).await?,
            meeting_day(&m),
        );
        let mut check = Check::default();
        let mut rows = Vec::new();
        for (i, a) in items.iter().enumerate() {
            let field = |f: &str| format!("attendance.{}.{f}", i + 1);
            if !roster.iter().any(|s| s.id == a.seat_id) {
                check.fail(&field("seat_id"), "unknown_seat");
                continue;
            }
            let Some(presence) = check.take(&field("presence"), Presence::parse(&a.presence))
            else {
                continue;
            };
            let by = check
                .take(
                    &field("represented_by"),
                    optional_text(a.represented_by.as_deref(), 200),
                )
                .flatten();
            if presence == Presence::Represented && by.is_none() {
                check.fail(&field("represented_by"), "required");
            }
            let by = by.filter(|_| presence == Presence::Represented);
            rows.push((a.seat_id, presence, by));
        }
        check.finish()?;
        for (seat, presence, by) in &rows {
            store::set_attendance(&mut tx, m.id, *seat, presence.as_str(), by.as_deref()).await?;
        }
        let now = tx.now().to_string();
        store::touch(&mut tx, m.id, &now).await?;
        let v = view(&mut tx, m.clone(), true).await?;
        let after = serde_json::to_value(&v.quorum).ok();
        tx.recount(m.unit_id);
        tx.audit("attendance", "meeting", m.id, Some(m.unit_id), None, after)
            .await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Writes the minutes of one agenda item; finalized minutes change only by a
    /// correction.
    pub async fn write_minutes(
        &self,
        actor: &Actor,
        id: i64,
        item_id: i64,
        text: &str,
    ) -> Result<MeetingView, AppError> {
        let permit = actor.permit(Permission::Govern)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let m = find(&mut tx, actor, id).await?;
        if status(&m) == "finalized" {
            return Err(AppError::Conflict {
                field: "minutes".into(),
                code: "minutes_finalized".into(),
            });
        }
        let text =
            optional_text(Some(text), 20_000).map_err(|e| AppError::field("minutes", e.code))?;
        let before = store::items(&mut tx, m.id)
            .await?
            .into_iter()
            .find(|i| i.id == item_id);
        let Some(before) = before else {
            return Err(AppError::NotFound("agenda item"));
        };
        store::set_minutes(&mut tx, m.id, item_id, text.as_deref()).await?;
        let now = tx.now().to_string();
        store::touch(&mut tx, m.id, &now).await?;
        tx.audit(
            "minutes",
            "meeting",
            m.id,
            Some(m.unit_id),
            Some(serde_json::json!({ "item": item_id, "minutes": before.minutes })),
            Some(serde_json::json!({ "item": item_id, "minutes": text })),
        )
        .await?;
        let v = view(&mut tx, m, true).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Locks the minutes as a new version, numbered among the committee's meetings; the
    /// version is kept as it was.
    pub async fn finalize_meeting(&self, actor: &Actor, id: i64) -> Result<MeetingView, AppError> {
        let permit = actor.permit(Permission::Govern)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let m = find(&mut tx, actor, id).await?;
        if status(&m) == "finalized" {
            return Err(AppError::Conflict {
                field: "minutes".into(),
                code: "minutes_finalized".into(),
            });
        }
        let number = match m.number {
            Some(n) => n,
            None => store::next_number(&mut tx, m.committee_id).await?,
        };
        let mut content = view(&mut tx, m.clone(), true).await?;
        content.version = m.version + 1;
        content.number = Some(number);
        content.status = "finalized".into();
        content.versions.clear();
        let snapshot =
            serde_json::to_string(&content).map_err(|e| AppError::Internal(e.to_string()))?;
        let now = tx.now().to_string();
        store::finalize(
            &mut tx,
            m.id,
            m.version + 1,
            number,
            &snapshot,
            actor.username(),
            &now,
        )
        .await?;
        tx.audit(
            "finalize",
            "meeting",
            m.id,
            Some(m.unit_id),
            None,
            Some(serde_json::json!({ "version": m.version + 1, "number": number })),
        )
        .await?;
        tx.recount(m.unit_id);
        let m = find(&mut tx, actor, id).await?;
        let v = view(&mut tx, m, true).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Opens finalized minutes for a correction: they are edited and finalized again as
    /// a new version, the old one kept.
    pub async fn correct_meeting(&self, actor: &Actor, id: i64) -> Result<MeetingView, AppError> {
        let permit = actor.permit(Permission::Govern)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let m = find(&mut tx, actor, id).await?;
        if status(&m) != "finalized" {
            return Err(AppError::Conflict {
                field: "minutes".into(),
                code: "minutes_not_finalized".into(),
            });
        }
        let now = tx.now().to_string();
        store::open_correction(&mut tx, m.id, &now).await?;
        tx.audit(
            "correct",
            "meeting",
            m.id,
            Some(m.unit_id),
            None,
            Some(serde_json::json!({ "from_version": m.version })),
        )
        .await?;
        let m = find(&mut tx, actor, id).await?;
        let v = view(&mut tx, m, true).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// A finalized version of a meeting's minutes, as it was finalized.
    pub async fn meeting_version(
        &self,
        actor: &Actor,
        id: i64,
        version: i64,
    ) -> Result<MeetingView, AppError> {
        let mut conn = self.db().read().await?;
        let m = find(&mut conn, actor, id).await?;
        let v = store::versions(&mut conn, m.id)
            .await?
            .into_iter()
            .find(|v| v.version == version)
            .ok_or(AppError::NotFound("version"))?;
        serde_json::from_str(&v.content)
            .map_err(|e| AppError::Internal(format!("minutes version: {e}")))
    }
}
