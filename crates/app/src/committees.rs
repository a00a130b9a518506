//! Committees of a unit and their rosters: who sits on them, in which position, from
//! when until when (ended seats stay, as the roster's history), and what makes a quorum.

use crate::error::Check;
use crate::{page_size, Actor, App, AppError};
use muster_domain::governance::{
    check_quorum, check_span, holds_on, quorum_needed, Cadence, CommitteeKind, Position,
    DEFAULT_QUORUM_PERCENT,
};
use muster_domain::unit::{optional_text, required_text};
use muster_domain::user::Permission;
use muster_domain::Date;
use muster_store::committees::{
    self as store, CommitteeFields, CommitteeRow, PersonSeatRow, SeatFields, SeatRow,
};
use muster_store::Conn;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A committee as the API and the pages show it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct CommitteeView {
    pub id: i64,
    /// The unit whose committee it is.
    pub unit_code: String,
    pub name: String,
    /// `executive`, `steering`, `support_team`, `working_group`, `joint_working_group`.
    pub kind: String,
    /// `monthly`, `quarterly`, `as_needed`.
    pub cadence: String,
    /// A meeting is quorate when more than this share (per cent) of the members with a
    /// vote is present.
    pub quorum_percent: i64,
    /// The calendar its decisions are numbered in by year: `gregorian`, `persian`,
    /// `indian`.
    pub calendar: String,
    pub term_start: String,
    pub term_end: Option<String>,
    /// Seats held today.
    pub seated: i64,
    /// Of them, with a vote.
    pub voting: i64,
    /// Members with a vote who must be present for a quorum today.
    pub quorum_needed: i64,
    /// The roster, current seats and past ones (only on one committee's answer).
    pub seats: Vec<SeatView>,
}

/// A seat on a committee.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct SeatView {
    pub id: i64,
    /// The registry member holding it; absent for an outside participant.
    pub person_id: Option<i64>,
    pub name: String,
    pub member_number: Option<String>,
    /// An outside participant's organization and title.
    pub organization: Option<String>,
    pub title: Option<String>,
    /// `chair`, `vice_chair`, `secretary`, `standing_member`, `member`.
    pub position: String,
    pub voting: bool,
    pub from_on: String,
    pub until_on: Option<String>,
    /// Held today.
    pub current: bool,
}

/// A seat of one person, for their page.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct PersonSeatView {
    pub committee_id: i64,
    pub committee_name: String,
    pub unit_code: String,
    pub position: String,
    pub from_on: String,
    pub until_on: Option<String>,
    pub current: bool,
}

/// A committee as typed: the unit and the start of its term are needed on creation.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct CommitteeInput {
    pub unit_code: Option<String>,
    pub name: Option<String>,
    pub kind: Option<String>,
    pub cadence: Option<String>,
    /// 1 to 99; 50 ("more than half") when not given.
    pub quorum_percent: Option<i64>,
    /// The calendar its decisions are numbered in; the caller's when not given.
    pub calendar: Option<String>,
    /// ISO dates.
    pub term_start: Option<String>,
    pub term_end: Option<String>,
}

/// A seat as typed: a registry member (`person_id`) or an outside participant
/// (`outside_name`, with their organization and title).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct SeatInput {
    pub person_id: Option<i64>,
    /// The member by their member number, in place of `person_id`.
    pub member_number: Option<String>,
    pub outside_name: Option<String>,
    pub outside_organization: Option<String>,
    pub outside_title: Option<String>,
    pub position: Option<String>,
    /// Whether the seat has a vote (counts toward the quorum); yes when not given.
    pub voting: Option<bool>,
    /// ISO dates; `from_on` is the committee's term start when not given.
    pub from_on: Option<String>,
    pub until_on: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CommitteeQuery {
    /// A unit code: the committees of its whole subtree.
    pub unit: Option<String>,
    pub kind: Option<String>,
    /// 1 to 500, 50 by default.
    pub limit: Option<i64>,
}

fn seat_view(s: SeatRow, today: Date) -> SeatView {
    let current = seat_current(&s.from_on, s.until_on.as_deref(), today);
    SeatView {
        id: s.id,
        person_id: s.person_id,
        name: s.name,
        member_number: s.member_number,
        organization: s.outside_organization,
        title: s.outside_title,
        position: s.position,
        voting: s.voting,
        from_on: s.from_on,
        until_on: s.until_on,
        current,
    }
}

fn seat_current(from: &str, until: Option<&str>, today: Date) -> bool {
    match Date::parse_iso(from) {
        Ok(from) => holds_on(from, until.and_then(|u| Date::parse_iso(u).ok()), today),
        Err(_) => false,
    }
}

fn committee_view(c: CommitteeRow, seats: Vec<SeatView>) -> CommitteeView {
    let voting = seats.iter().filter(|s| s.current && s.voting).count() as i64;
    CommitteeView {
        id: c.id,
        unit_code: c.unit_code,
        name: c.name,
        kind: c.kind,
        cadence: c.cadence,
        quorum_percent: c.quorum_percent,
        calendar: c.calendar,
        term_start: c.term_start,
        term_end: c.term_end,
        seated: c.seated,
        voting,
        quorum_needed: quorum_needed(voting, c.quorum_percent),
        seats,
    }
}

/// A committee of the actor's subtree, or `NotFound`.
async fn find(conn: &mut Conn, actor: &Actor, id: i64) -> Result<CommitteeRow, AppError> {
    let today = Date::today().to_string();
    store::by_id(conn, actor.scope(), id, &today)
        .await?
        .ok_or(AppError::NotFound("committee"))
}

/// Checks a committee's fields; `current` is the committee being changed.
fn committee_fields(
    input: &CommitteeInput,
    unit_id: i64,
    current: Option<&CommitteeRow>,
    actor: &Actor,
) -> Result<CommitteeFields, AppError> {
    let mut check = Check::default();
    let calendar = match (&input.calendar, current) {
        (None, Some(c)) => Some(c.calendar.clone()),
        (None, None) => Some(actor.calendar().to_string()),
        (Some(c), _) => check
            .take("calendar", muster_domain::calendar::Calendar::parse(c))
            .map(|c| c.as_str().to_string()),
    };
    let name = match (&input.name, current) {
        (None, Some(c)) => Some(c.name.clone()),
        (name, _) => check.take("name", required_text(name.as_deref().unwrap_or(""), 200)),
    };
    let kind = match (&input.kind, current) {
        (None, Some(c)) => Some(c.kind.clone()),
        (kind, _) => check
            .take("kind", CommitteeKind::parse(kind.as_deref().unwrap_or("")))
            .map(|k| k.as_str().to_string()),
    };
    let cadence = match (&input.cadence, current) {
        (None, Some(c)) => Some(c.cadence.clone()),
        (None, None) => Some(Cadence::AsNeeded.as_str().to_string()),
        (Some(c), _) => check
            .take("cadence", Cadence::parse(c))
            .map(|c| c.as_str().to_string()),
    };
    let quorum = match (input.quorum_percent, current) {
        (None, Some(c)) => Some(c.quorum_percent),
        (None, None) => Some(DEFAULT_QUORUM_PERCENT),
        (Some(q), _) => check.take("quorum_percent", check_quorum(q)),
    };
    let start = match (&input.term_start, current) {
        (None, Some(c)) => Date::parse_iso(&c.term_start).ok(),
        (start, _) => check.take(
            "term_start",
            Date::parse_iso(start.as_deref().unwrap_or("")).map_err(|e| {
                if start.as_deref().is_none_or(|s| s.trim().is_empty()) {
                    muster_domain::FieldError::new("required")
                } else {
                    e
                }
            }),
        ),
    };
    let end = match (&input.term_end, current) {
        (None, Some(c)) => c.term_end.as_deref().and_then(|e| Date::parse_iso(e).ok()),
        (end, _) => check.opt("term_end", end.as_deref(), Date::parse_iso),
    };
    if let Some(start) = start {
        if let Err(e) = check_span(start, end) {
            check.fail("term_end", e.code);
        }
    }
    check.finish()?;
    Ok(CommitteeFields {
        unit_id,
        name: name.unwrap_or_default(),
        kind: kind.unwrap_or_default(),
        cadence: cadence.unwrap_or_default(),
        quorum_percent: quorum.unwrap_or(DEFAULT_QUORUM_PERCENT),
        calendar: calendar.unwrap_or_else(|| "gregorian".into()),
        term_start: start.map(|d| d.to_string()).unwrap_or_default(),
        term_end: end.map(|d| d.to_string()),
    })
}

impl App {
    /// The committees of the actor's subtree (or of the subtree of `unit`).
    pub async fn list_committees(
        &self,
        actor: &Actor,
        q: &CommitteeQuery,
    ) -> Result<Vec<CommitteeView>, AppError> {
        let mut conn = self.db().read().await?;
        let mut check = Check::default();
        let kind = check.opt("kind", q.kind.as_deref(), CommitteeKind::parse);
        check.finish()?;
        let unit = match q.unit.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(code) => Some(
                crate::units::find_in_scope(&mut conn, actor.scope(), code)
                    .await?
                    .id,
            ),
            None => None,
        };
        let today = Date::today();
        let rows = store::list(
            &mut conn,
            actor.scope(),
            unit,
            kind.map(|k| k.as_str()),
            &today.to_string(),
            page_size(q.limit),
        )
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for c in rows {
            let seats = store::seats(&mut conn, c.id).await?;
            let seats: Vec<SeatView> = seats.into_iter().map(|s| seat_view(s, today)).collect();
            let mut view = committee_view(c, seats);
            view.seats.clear();
            out.push(view);
        }
        Ok(out)
    }

    /// One committee of the actor's subtree, with its roster.
    pub async fn committee(&self, actor: &Actor, id: i64) -> Result<CommitteeView, AppError> {
        let mut conn = self.db().read().await?;
        let c = find(&mut conn, actor, id).await?;
        let today = Date::today();
        let seats = store::seats(&mut conn, c.id).await?;
        Ok(committee_view(
            c,
            seats.into_iter().map(|s| seat_view(s, today)).collect(),
        ))
    }

    pub async fn create_committee(
        &self,
        actor: &Actor,
        input: CommitteeInput,
    ) -> Result<CommitteeView, AppError> {
        let permit = actor.permit(Permission::Govern)?;
        let mut tx = self.write(permit).await?;
        let Some(code) = input.unit_code.as_deref().filter(|c| !c.trim().is_empty()) else {
            return Err(AppError::field("unit_code", "required"));
        };
        let unit = tx
            .unit(code)
            .await
            .map_err(|_| AppError::field("unit_code", "unknown_unit"))?;
        let f = committee_fields(&input, unit.id, None, actor)?;
        let now = tx.now().to_string();
        let id = store::insert(&mut tx, unit.tree_id, &f, &now).await?;
        let scope = tx.scope();
        let row = store::by_id(&mut tx, scope, id, &Date::today().to_string())
            .await?
            .ok_or(AppError::NotFound("committee"))?;
        let view = committee_view(row, Vec::new());
        let after = serde_json::to_value(&view).ok();
        tx.recount(unit.id);
        tx.audit("create", "committee", id, Some(unit.id), None, after)
            .await?;
        tx.commit().await?;
        Ok(view)
    }

    pub async fn update_committee(
        &self,
        actor: &Actor,
        id: i64,
        input: CommitteeInput,
    ) -> Result<CommitteeView, AppError> {
        let permit = actor.permit(Permission::Govern)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let before = find(&mut tx, actor, id).await?;
        if input
            .unit_code
            .as_deref()
            .is_some_and(|c| !c.trim().eq_ignore_ascii_case(&before.unit_code))
        {
            return Err(AppError::field("unit_code", "cannot_change"));
        }
        let f = committee_fields(&input, before.unit_id, Some(&before), actor)?;
        let now = tx.now().to_string();
        store::update(&mut tx, id, &f, &now).await?;
        let after = find(&mut tx, actor, id).await?;
        let (b, a) = (
            serde_json::to_value(committee_view(before.clone(), Vec::new())).ok(),
            serde_json::to_value(committee_view(after.clone(), Vec::new())).ok(),
        );
        tx.recount(before.unit_id);
        tx.audit("update", "committee", id, Some(before.unit_id), b, a)
            .await?;
        tx.commit().await?;
        self.committee(actor, id).await
    }

    /// Seats a registry member of the actor's subtree, or an outside participant.
    pub async fn add_seat(
        &self,
        actor: &Actor,
        committee_id: i64,
        input: SeatInput,
    ) -> Result<SeatView, AppError> {
        let permit = actor.permit(Permission::Govern)?;
        let mut input = input;
        if let (None, Some(number)) = (
            input.person_id,
            input
                .member_number
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty()),
        ) {
            input.person_id = Some(self.member_by_number(actor, number).await?);
        }
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let c = find(&mut tx, actor, committee_id).await?;
        let mut check = Check::default();
        let outside = check.take(
            "outside_name",
            optional_text(input.outside_name.as_deref(), 200),
        );
        let organization = check.take(
            "outside_organization",
            optional_text(input.outside_organization.as_deref(), 200),
        );
        let title = check.take(
            "outside_title",
            optional_text(input.outside_title.as_deref(), 200),
        );
        let position = check.take(
            "position",
            Position::parse(input.position.as_deref().unwrap_or("member")),
        );
        let from = match input.from_on.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(s) => check.take("from_on", Date::parse_iso(s)),
            None => Date::parse_iso(&c.term_start).ok(),
        };
        let until = check.opt("until_on", input.until_on.as_deref(), Date::parse_iso);
        if let Some(from) = from {
            if let Err(e) = check_span(from, until) {
                check.fail("until_on", e.code);
            }
        }
        match (input.person_id, outside.as_ref().and_then(|o| o.clone())) {
            (Some(_), Some(_)) => check.fail("outside_name", "member_or_outside"),
            (None, None) => check.fail("person_id", "required"),
            (Some(person), None) => {
                // A member of the actor's subtree; anyone else is unknown here.
                if crate::members::find_member(&mut tx, actor, person)
                    .await
                    .is_err()
                {
                    check.fail("person_id", "unknown_member");
                }
            }
            (None, Some(_)) => {}
        }
        check.finish()?;
        let f = SeatFields {
            person_id: input.person_id,
            outside_name: outside.flatten(),
            outside_organization: organization.flatten(),
            outside_title: title.flatten(),
            position: position.map(|p| p.as_str()).unwrap_or("member").to_string(),
            voting: input.voting.unwrap_or(true),
            from_on: from.map(|d| d.to_string()).unwrap_or_default(),
            until_on: until.map(|d| d.to_string()),
        };
        let now = tx.now().to_string();
        let seat = store::add_seat(&mut tx, c.id, &f, &now).await?;
        let row = store::seats(&mut tx, c.id)
            .await?
            .into_iter()
            .find(|s| s.id == seat)
            .ok_or(AppError::NotFound("seat"))?;
        let view = seat_view(row, Date::today());
        let after = serde_json::to_value(&view).ok();
        tx.recount(c.unit_id);
        tx.audit("seat", "committee", c.id, Some(c.unit_id), None, after)
            .await?;
        tx.commit().await?;
        Ok(view)
    }

    /// The member of the actor's subtree holding `number`; a field error otherwise.
    async fn member_by_number(&self, actor: &Actor, number: &str) -> Result<i64, AppError> {
        let q = crate::members::MemberQuery {
            q: Some(number.to_string()),
            limit: Some(20),
            ..Default::default()
        };
        let page = self.list_members(actor, &q).await?;
        page.items
            .iter()
            .find(|m| {
                m.member_number
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(number))
            })
            .map(|m| m.id)
            .ok_or_else(|| AppError::field("member_number", "unknown_member"))
    }

    /// Ends a seat on `until_on` (its last day; today when not given). The seat stays in
    /// the roster's history.
    pub async fn end_seat(
        &self,
        actor: &Actor,
        committee_id: i64,
        seat_id: i64,
        until_on: Option<&str>,
    ) -> Result<SeatView, AppError> {
        let permit = actor.permit(Permission::Govern)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let c = find(&mut tx, actor, committee_id).await?;
        let seat = store::seats(&mut tx, c.id)
            .await?
            .into_iter()
            .find(|s| s.id == seat_id)
            .ok_or(AppError::NotFound("seat"))?;
        let until = match until_on.filter(|s| !s.trim().is_empty()) {
            Some(s) => Date::parse_iso(s).map_err(|e| AppError::field("until_on", e.code))?,
            None => Date::today(),
        };
        let from = Date::parse_iso(&seat.from_on).unwrap_or(until);
        check_span(from, Some(until)).map_err(|e| AppError::field("until_on", e.code))?;
        if seat
            .until_on
            .as_deref()
            .is_some_and(|u| u < until.to_string().as_str())
        {
            return Err(AppError::field("until_on", "seat_ended"));
        }
        store::end_seat(&mut tx, seat.id, &until.to_string()).await?;
        let before = serde_json::to_value(seat_view(seat.clone(), Date::today())).ok();
        let mut ended = seat;
        ended.until_on = Some(until.to_string());
        let view = seat_view(ended, Date::today());
        let after = serde_json::to_value(&view).ok();
        tx.recount(c.unit_id);
        tx.audit("unseat", "committee", c.id, Some(c.unit_id), before, after)
            .await?;
        tx.commit().await?;
        Ok(view)
    }

    /// A member's seats on committees the actor may see, current and past.
    pub async fn seats_of_member(
        &self,
        actor: &Actor,
        person_id: i64,
    ) -> Result<Vec<PersonSeatView>, AppError> {
        let mut conn = self.db().read().await?;
        crate::members::find_member(&mut conn, actor, person_id).await?;
        let today = Date::today();
        let rows = store::seats_of_person(&mut conn, actor.scope(), person_id).await?;
        Ok(rows
            .into_iter()
            .map(|r: PersonSeatRow| PersonSeatView {
                current: seat_current(&r.from_on, r.until_on.as_deref(), today),
                committee_id: r.committee_id,
                committee_name: r.committee_name,
                unit_code: r.unit_code,
                position: r.position,
                from_on: r.from_on,
                until_on: r.until_on,
            })
            .collect())
    }
}
