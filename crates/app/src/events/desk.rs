//! Who comes to an event: registration with a waitlist, status changes that move the
//! first waitlisted people up, check-in per day (by ticket, member or participant, and
//! in bulk from a paper list) and walk-ins, matched against the registry with the
//! duplicate check and registered as members on the spot.

use super::{find_event, participant_view, ParticipantView};
use crate::error::Check;
use crate::members::{NewMember, PersonInput};
use crate::{Actor, App, AppError};
use muster_domain::events::{
    check_day, check_window, first_check_in_figures, on_register, outsider_may_come, parse_ticket,
    places_free, ticket_code, Audience, ParticipantStatus, Role,
};
use muster_domain::unit::optional_text;
use muster_domain::user::Permission;
use muster_domain::Date;
use muster_store::events::{self as store, EventRow, NewParticipant, ParticipantKey};
use muster_store::Conn;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A person to register: a registry member (by id or member number) or an outside
/// person by name.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ParticipantInput {
    pub person_id: Option<i64>,
    pub member_number: Option<String>,
    pub outside_name: Option<String>,
    pub outside_phone: Option<String>,
    /// `female`, `male`, `other`, for an outside person.
    pub gender: Option<String>,
    /// `participant` when not given.
    pub role: Option<String>,
}

/// A check-in: by the ticket's code (as scanned or typed), a participant, or a registry
/// member (registered on the spot when they were not). `day` is one of the event's days,
/// today when not given.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct CheckIn {
    pub ticket: Option<String>,
    pub participant_id: Option<i64>,
    pub person_id: Option<i64>,
    pub day: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct CheckInAnswer {
    pub participant: ParticipantView,
    pub day: String,
    /// Already checked in that day: shown, not counted twice.
    pub already: bool,
}

/// A paper list typed in afterwards: one ticket code, member number or phone per line.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct BulkCheckIn {
    pub day: Option<String>,
    pub lines: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct BulkLine {
    /// The line's number in the list, from 1.
    pub line: usize,
    pub text: String,
    /// `checked_in`, `already`, `not_found` or `ambiguous`.
    pub result: String,
    pub name: Option<String>,
}

/// Someone who came without registering. With `join`, they are registered as a member
/// of `unit_code` (the event's unit when not given) and count as recruited by the
/// event. Likely duplicates in the registry are answered instead (409) unless
/// `allow_duplicate`: the desk then checks the matching member in.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct WalkIn {
    pub full_name: Option<String>,
    pub phone: Option<String>,
    pub gender: Option<String>,
    #[serde(default)]
    pub join: bool,
    pub unit_code: Option<String>,
    #[serde(default)]
    pub allow_duplicate: bool,
    pub day: Option<String>,
}

pub(crate) fn new_ticket() -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut bytes = [0u8; 13];
    OsRng.fill_bytes(&mut bytes);
    ticket_code(&bytes)
}

/// The day a check-in is for: one of the event's days.
fn event_day(e: &EventRow, day: Option<&str>) -> Result<Date, AppError> {
    let day = match day.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => Date::parse_iso(d).map_err(|e| AppError::field("day", e.code))?,
        None => Date::today(),
    };
    let (starts, ends) = (
        Date::parse_iso(&e.starts_on).map_err(|e| AppError::Internal(e.code.into()))?,
        Date::parse_iso(&e.ends_on).map_err(|e| AppError::Internal(e.code.into()))?,
    );
    check_day(day, starts, ends).map_err(|e| AppError::field("day", e.code))
}

/// Moves the first waitlisted people up into the places free.
async fn promote(
    conn: &mut Conn,
    event_id: i64,
    capacity: Option<i64>,
    now: &str,
) -> Result<(), AppError> {
    let free = places_free(capacity, store::holding(conn, event_id).await?);
    if free > 0 {
        for id in store::waitlisted(conn, event_id, free.min(10_000)).await? {
            store::set_status(conn, id, ParticipantStatus::Registered.as_str(), now).await?;
        }
    }
    Ok(())
}

/// Registers a registry member or an outside person; answers the participant's id.
async fn add(
    conn: &mut Conn,
    actor: &Actor,
    e: &EventRow,
    input: &ParticipantInput,
    status: Option<ParticipantStatus>,
    walk_in: bool,
    now: &str,
) -> Result<i64, AppError> {
    let mut check = Check::default();
    let role = check
        .opt("role", input.role.as_deref(), Role::parse)
        .unwrap_or(Role::Participant);
    let person = match (
        input.person_id,
        input.member_number.as_deref().map(str::trim),
    ) {
        (Some(id), _) => match crate::members::find_member(conn, actor, id).await {
            Ok(_) => Some(id),
            Err(AppError::NotFound(_)) => {
                check.fail("person_id", "unknown_member");
                None
            }
            Err(err) => return Err(err),
        },
        (None, Some(n)) if !n.is_empty() => {
            match store::person_by_number(conn, e.tree_id, n).await? {
                Some(id) if crate::members::find_member(conn, actor, id).await.is_ok() => Some(id),
                _ => {
                    check.fail("member_number", "unknown_member");
                    None
                }
            }
        }
        _ => None,
    };
    let name = check
        .take(
            "outside_name",
            optional_text(input.outside_name.as_deref(), 200),
        )
        .flatten();
    if person.is_none() && name.is_none() && !check.has("person_id") && !check.has("member_number")
    {
        check.fail("outside_name", "required");
    }
    let audience = Audience::parse(&e.audience).unwrap_or(Audience::Members);
    if person.is_none() && name.is_some() && !outsider_may_come(audience, role) {
        check.fail("outside_name", "members_only");
    }
    let phone = check
        .take(
            "outside_phone",
            optional_text(input.outside_phone.as_deref(), 40),
        )
        .flatten();
    let gender = check
        .opt(
            "gender",
            input.gender.as_deref(),
            muster_domain::member::Gender::parse,
        )
        .map(|g| g.as_str().to_string());
    check.finish()?;
    if let Some(p) = person {
        if store::participant(conn, e.id, ParticipantKey::Person(p))
            .await?
            .is_some()
        {
            return Err(AppError::Conflict {
                field: "person_id".into(),
                code: "already_registered".into(),
            });
        }
    }
    let status = status.unwrap_or_else(|| on_register(role, e.capacity, e.holding));
    let n = NewParticipant {
        event_id: e.id,
        person_id: person,
        outside_name: if person.is_some() { None } else { name },
        outside_phone: if person.is_some() { None } else { phone },
        gender,
        role: role.as_str().into(),
        status: status.as_str().into(),
        ticket: new_ticket(),
        walk_in,
        recruited: false,
    };
    Ok(store::insert_participant(conn, &n, now).await?)
}

/// How many people the desk shows for a name.
const DESK_SHOWN: usize = 10;

impl App {
    /// The registry's people a desk shows for what the clerk typed (a name in any
    /// script, a member number, a phone): those whose whole name is what was typed
    /// first, then the others the search finds, ten at most. The search reads fifty: a
    /// word typed is also the start of longer words (`tran` of `trang`), and the
    /// person whose name it is should not fall behind ten who only begin with it.
    pub async fn desk_lookup(
        &self,
        actor: &Actor,
        q: &str,
    ) -> Result<Vec<crate::members::MemberItem>, AppError> {
        let query = crate::members::MemberQuery {
            q: Some(q.to_string()),
            limit: Some(50),
            ..crate::members::MemberQuery::default()
        };
        let mut items = self.list_members(actor, &query).await?.items;
        let typed = muster_domain::names::tokens(q);
        items.sort_by_key(|m| muster_domain::names::tokens(&m.full_name) != typed);
        items.truncate(DESK_SHOWN);
        Ok(items)
    }

    /// Registers someone for an event of the actor's subtree: a place while there is
    /// one, else the waitlist.
    pub async fn register_participant(
        &self,
        actor: &Actor,
        event_id: i64,
        input: ParticipantInput,
    ) -> Result<ParticipantView, AppError> {
        let permit = actor.permit(Permission::EditRegistry)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let e = find_event(&mut tx, actor, event_id).await?;
        // Ahead of the event, within its window; the desk takes whoever comes.
        let day = |d: &Option<String>| d.as_deref().and_then(|d| Date::parse_iso(d).ok());
        check_window(
            Date::today(),
            day(&e.registration_opens),
            day(&e.registration_closes),
        )
        .map_err(|err| AppError::field("registration", err.code))?;
        let now = tx.now().to_string();
        let id = add(&mut tx, actor, &e, &input, None, false, &now).await?;
        let p = store::participant(&mut tx, e.id, ParticipantKey::Id(id))
            .await?
            .ok_or(AppError::NotFound("participant"))?;
        tx.recount_on(e.unit_id, &e.starts_on);
        tx.audit(
            "register",
            "event",
            e.id,
            Some(e.unit_id),
            None,
            Some(serde_json::json!({ "participant": id, "status": p.status })),
        )
        .await?;
        tx.commit().await?;
        Ok(participant_view(p))
    }

    /// Changes where a participant stands; a place freed goes to the first waitlisted.
    pub async fn set_participant_status(
        &self,
        actor: &Actor,
        event_id: i64,
        participant_id: i64,
        status: &str,
    ) -> Result<ParticipantView, AppError> {
        let permit = actor.permit(Permission::EditRegistry)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let e = find_event(&mut tx, actor, event_id).await?;
        let status =
            ParticipantStatus::parse(status).map_err(|e| AppError::field("status", e.code))?;
        let p = store::participant(&mut tx, e.id, ParticipantKey::Id(participant_id))
            .await?
            .ok_or(AppError::NotFound("participant"))?;
        let was = ParticipantStatus::parse(&p.status).unwrap_or(ParticipantStatus::Registered);
        if status.holds_place() && !was.holds_place() && places_free(e.capacity, e.holding) == 0 {
            return Err(AppError::Conflict {
                field: "status".into(),
                code: "event_full".into(),
            });
        }
        let now = tx.now().to_string();
        store::set_status(&mut tx, p.id, status.as_str(), &now).await?;
        promote(&mut tx, e.id, e.capacity, &now).await?;
        tx.recount_on(e.unit_id, &e.starts_on);
        tx.audit(
            "participant_status",
            "event",
            e.id,
            Some(e.unit_id),
            Some(serde_json::json!({ "participant": p.id, "status": p.status })),
            Some(serde_json::json!({ "participant": p.id, "status": status.as_str() })),
        )
        .await?;
        let p = store::participant(&mut tx, e.id, ParticipantKey::Id(p.id))
            .await?
            .ok_or(AppError::NotFound("participant"))?;
        tx.commit().await?;
        Ok(participant_view(p))
    }

    /// Changes an event's capacity: never below the people holding places; places it
    /// adds go to the first waitlisted.
    pub async fn set_capacity(
        &self,
        actor: &Actor,
        event_id: i64,
        capacity: Option<i64>,
    ) -> Result<super::EventView, AppError> {
        let permit = actor.permit(Permission::Govern)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let e = find_event(&mut tx, actor, event_id).await?;
        let capacity = match capacity {
            Some(c) => Some(
                muster_domain::events::check_capacity(c, e.holding)
                    .map_err(|err| AppError::field("capacity", err.code))?,
            ),
            None => None,
        };
        let now = tx.now().to_string();
        store::set_capacity(&mut tx, e.id, capacity, &now).await?;
        promote(&mut tx, e.id, capacity, &now).await?;
        tx.audit(
            "capacity",
            "event",
            e.id,
            Some(e.unit_id),
            Some(serde_json::json!({ "capacity": e.capacity })),
            Some(serde_json::json!({ "capacity": capacity })),
        )
        .await?;
        tx.commit().await?;
        self.event(actor, event_id).await
    }

    /// Checks someone in for a day of the event. A member who had not registered is
    /// registered as they arrive; a second check-in the same day is answered, not
    /// counted.
    pub async fn check_in(
        &self,
        actor: &Actor,
        event_id: i64,
        input: CheckIn,
    ) -> Result<CheckInAnswer, AppError> {
        let permit = actor.permit(Permission::EditRegistry)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let e = find_event(&mut tx, actor, event_id).await?;
        let day = event_day(&e, input.day.as_deref())?;
        let now = tx.now().to_string();
        let (p, method) = match (
            input.ticket.as_deref(),
            input.participant_id,
            input.person_id,
        ) {
            (Some(t), _, _) => {
                // A code that is not one, or not of this event, is refused alike.
                let code =
                    parse_ticket(t).ok_or_else(|| AppError::field("ticket", "unknown_ticket"))?;
                let p = store::participant(&mut tx, e.id, ParticipantKey::Ticket(&code))
                    .await?
                    .ok_or_else(|| AppError::field("ticket", "unknown_ticket"))?;
                (p, "ticket")
            }
            (None, Some(id), _) => (
                store::participant(&mut tx, e.id, ParticipantKey::Id(id))
                    .await?
                    .ok_or_else(|| AppError::field("participant_id", "unknown_participant"))?,
                "desk",
            ),
            (None, None, Some(person)) => {
                let p = match store::participant(&mut tx, e.id, ParticipantKey::Person(person))
                    .await?
                {
                    Some(p) => p,
                    None => {
                        let input = ParticipantInput {
                            person_id: Some(person),
                            ..ParticipantInput::default()
                        };
                        let id = add(
                            &mut tx,
                            actor,
                            &e,
                            &input,
                            Some(ParticipantStatus::Attended),
                            true,
                            &now,
                        )
                        .await?;
                        store::participant(&mut tx, e.id, ParticipantKey::Id(id))
                            .await?
                            .ok_or(AppError::NotFound("participant"))?
                    }
                };
                (p, "search")
            }
            (None, None, None) => return Err(AppError::field("ticket", "required")),
        };
        // Whoever stands at the desk is checked in, a cancelled registration too: they
        // came after all.
        let counted = store::check_in(
            &mut tx,
            p.id,
            &day.to_string(),
            actor.username(),
            method,
            &now,
        )
        .await?;
        if p.status != ParticipantStatus::Attended.as_str() {
            store::set_status(&mut tx, p.id, ParticipantStatus::Attended.as_str(), &now).await?;
        }
        // A first check-in moves the program's figures by one each, known without
        // counting the event again; nothing else a check-in touches is tallied.
        if let (true, 0, Some(program)) = (counted, p.days, e.program_id) {
            let woman = p.gender.as_deref() == Some("female");
            for f in first_check_in_figures(p.person_id.is_some(), p.recruited, woman) {
                tx.add_tally(e.unit_id, format!("p:{program}:{f}"), &e.starts_on, 1);
            }
        }
        tx.audit(
            "check_in",
            "event",
            e.id,
            Some(e.unit_id),
            None,
            Some(serde_json::json!({ "participant": p.id, "day": day.to_string(), "method": method, "counted": counted })),
        )
        .await?;
        let p = store::participant(&mut tx, e.id, ParticipantKey::Id(p.id))
            .await?
            .ok_or(AppError::NotFound("participant"))?;
        tx.commit().await?;
        Ok(CheckInAnswer {
            participant: participant_view(p),
            day: day.to_string(),
            already: !counted,
        })
    }

    /// Checks in a paper list, line by line: a ticket code, a member number or a phone
    /// of a registered participant. Each line answered; lines not found change nothing.
    pub async fn bulk_check_in(
        &self,
        actor: &Actor,
        event_id: i64,
        input: BulkCheckIn,
    ) -> Result<Vec<BulkLine>, AppError> {
        let permit = actor.permit(Permission::EditRegistry)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let e = find_event(&mut tx, actor, event_id).await?;
        let day = event_day(&e, input.day.as_deref())?;
        let lines: Vec<&str> = input.lines.lines().collect();
        if lines.len() > 5000 {
            return Err(AppError::field("lines", "too_many"));
        }
        let now = tx.now().to_string();
        let everyone = store::participants(&mut tx, e.id).await?;
        let mut out = Vec::new();
        let mut counted = 0;
        for (i, line) in lines.iter().enumerate() {
            let text = line.trim();
            if text.is_empty() {
                continue;
            }
            let digits = muster_domain::names::digits_to_ascii(text);
            let matches: Vec<_> = everyone
                .iter()
                .filter(|p| {
                    parse_ticket(text).is_some_and(|t| t == p.ticket)
                        || p.member_number.as_deref() == Some(digits.as_str())
                        || p.member_number.as_deref() == Some(text)
                        || p.phone
                            .as_deref()
                            .is_some_and(|ph| muster_domain::names::digits_to_ascii(ph) == digits)
                })
                .collect();
            let (result, name) = match matches.as_slice() {
                [] => ("not_found", None),
                [p] => {
                    let done = store::check_in(
                        &mut tx,
                        p.id,
                        &day.to_string(),
                        actor.username(),
                        "list",
                        &now,
                    )
                    .await?;
                    store::set_status(&mut tx, p.id, ParticipantStatus::Attended.as_str(), &now)
                        .await?;
                    counted += i64::from(done);
                    (
                        if done { "checked_in" } else { "already" },
                        Some(p.name.clone()),
                    )
                }
                _ => ("ambiguous", None),
            };
            out.push(BulkLine {
                line: i + 1,
                text: text.to_string(),
                result: result.into(),
                name,
            });
        }
        tx.recount_on(e.unit_id, &e.starts_on);
        tx.audit(
            "check_in_list",
            "event",
            e.id,
            Some(e.unit_id),
            None,
            Some(serde_json::json!({ "day": day.to_string(), "lines": out.len(), "counted": counted })),
        )
        .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Someone who came without registering: matched against the registry, registered
    /// as a member on the spot when they join, and checked in.
    pub async fn walk_in(
        &self,
        actor: &Actor,
        event_id: i64,
        input: WalkIn,
    ) -> Result<CheckInAnswer, AppError> {
        let permit = actor.permit(Permission::EditRegistry)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let e = find_event(&mut tx, actor, event_id).await?;
        let day = event_day(&e, input.day.as_deref())?;
        let now = tx.now().to_string();
        let id = if input.join {
            let member = NewMember {
                unit_code: input
                    .unit_code
                    .clone()
                    .unwrap_or_else(|| e.unit_code.clone()),
                person: PersonInput {
                    full_name: input.full_name.clone(),
                    phone: input.phone.clone(),
                    gender: input.gender.clone(),
                    ..PersonInput::default()
                },
                allow_duplicate: input.allow_duplicate,
                ..NewMember::default()
            };
            let person = crate::members::register(&mut tx, actor, &member).await?;
            let n = NewParticipant {
                event_id: e.id,
                person_id: Some(person),
                outside_name: None,
                outside_phone: None,
                gender: None,
                role: Role::Participant.as_str().into(),
                status: ParticipantStatus::Attended.as_str().into(),
                ticket: new_ticket(),
                walk_in: true,
                recruited: true,
            };
            store::insert_participant(&mut tx, &n, &now).await?
        } else {
            if !input.allow_duplicate {
                let fields = PersonInput {
                    full_name: input.full_name.clone(),
                    phone: input.phone.clone(),
                    gender: input.gender.clone(),
                    ..PersonInput::default()
                };
                let mut check = Check::default();
                let checked = crate::members::validate_person(&fields, &mut check);
                check.finish()?;
                let found =
                    crate::dedupe::likely_duplicates_of(&mut tx, actor, e.tree_id, &checked, None)
                        .await?;
                if !found.is_empty() {
                    return Err(AppError::LikelyDuplicate(found));
                }
            }
            // At an event for members, someone who does not join comes as a guest.
            let guest = Audience::parse(&e.audience) == Ok(Audience::Members);
            let input = ParticipantInput {
                outside_name: input.full_name.clone(),
                outside_phone: input.phone.clone(),
                gender: input.gender.clone(),
                role: guest.then(|| Role::Guest.as_str().to_string()),
                ..ParticipantInput::default()
            };
            add(
                &mut tx,
                actor,
                &e,
                &input,
                Some(ParticipantStatus::Attended),
                true,
                &now,
            )
            .await?
        };
        store::check_in(
            &mut tx,
            id,
            &day.to_string(),
            actor.username(),
            "walk_in",
            &now,
        )
        .await?;
        tx.recount_on(e.unit_id, &e.starts_on);
        tx.audit(
            "walk_in",
            "event",
            e.id,
            Some(e.unit_id),
            None,
            Some(serde_json::json!({ "participant": id, "joined": input.join, "day": day.to_string() })),
        )
        .await?;
        let p = store::participant(&mut tx, e.id, ParticipantKey::Id(id))
            .await?
            .ok_or(AppError::NotFound("participant"))?;
        tx.commit().await?;
        Ok(CheckInAnswer {
            participant: participant_view(p),
            day: day.to_string(),
            already: false,
        })
    }
}
