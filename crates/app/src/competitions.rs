//! Competitions: a unit holds one discipline and category at its level, units below
//! enter people or teams, results are recorded, and finishing sends the winners on to
//! the competition of the unit above.

use crate::error::Check;
use crate::{page_size, Actor, App, AppError};
use muster_domain::competitions::{
    advancing, check_advance, check_rank, parse_score, Category, EntryKind, Medal, MAX_ADVANCING,
};
use muster_domain::unit::{optional_text, required_text};
use muster_domain::user::Permission;
use muster_domain::Date;
use muster_store::competitions::{self as store, CompetitionFields, CompetitionRow, NewEntry};
use muster_store::Conn;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct CompetitionView {
    pub id: i64,
    pub unit_code: String,
    /// The level of the unit that holds it (`County`, `Province`).
    pub level: String,
    pub program_id: Option<i64>,
    pub event_id: Option<i64>,
    pub discipline: String,
    /// `open`, `men`, `women`, `youth`, `children`.
    pub category: String,
    /// `person` or `team`.
    pub entry_kind: String,
    pub held_on: String,
    /// The competition above that its winners go on to, and how many places go.
    pub advances_to: Option<i64>,
    pub advance_count: i64,
    pub finished: bool,
    pub entry_count: i64,
    /// The entries, ranked first (on one competition's answer).
    pub entries: Vec<EntryView>,
    /// The competitions below that send their winners here.
    pub feeders: Vec<Feeder>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct EntryView {
    pub id: i64,
    /// The unit the entry stands for.
    pub unit_code: String,
    /// The person entered, for readers of that person's subtree.
    pub person_id: Option<i64>,
    /// The person's name (for readers of their subtree) or the team's; none otherwise.
    pub name: Option<String>,
    pub team_members: Option<String>,
    /// The entry of the competition below that this one advanced from.
    pub advanced_from: Option<i64>,
    pub rank: Option<i64>,
    pub score: Option<String>,
    /// `gold`, `silver`, `bronze`.
    pub medal: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Feeder {
    pub id: i64,
    pub unit_code: String,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct CompetitionInput {
    pub unit_code: Option<String>,
    pub program_id: Option<i64>,
    /// The event it is held at; its program when no program is named.
    pub event_id: Option<i64>,
    /// As the organizers name it: `Bóng đá`, `فوتبال`, `Poetry`.
    pub discipline: Option<String>,
    /// `open` when not given.
    pub category: Option<String>,
    /// `person` when not given.
    pub entry_kind: Option<String>,
    pub held_on: Option<String>,
    pub advances_to: Option<i64>,
    /// Places that go on to `advances_to`.
    pub advance_count: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct EntryInput {
    /// The unit entering; the competition's own when not given.
    pub unit_code: Option<String>,
    pub person_id: Option<i64>,
    pub member_number: Option<String>,
    pub team_name: Option<String>,
    /// The team's people, one per line.
    pub team_members: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ResultsInput {
    pub results: Vec<ResultLine>,
}

/// One result: of an entry, or of a person entered.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ResultLine {
    pub entry_id: Option<i64>,
    pub person_id: Option<i64>,
    /// None clears the result.
    pub rank: Option<i64>,
    pub score: Option<String>,
    /// The first three ranks win gold, silver and bronze when no medal is named; `none`
    /// for no medal.
    pub medal: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompetitionQuery {
    pub program: Option<i64>,
    pub limit: Option<i64>,
}

async fn view(
    conn: &mut Conn,
    actor: &Actor,
    c: CompetitionRow,
    full: bool,
) -> Result<CompetitionView, AppError> {
    let (entries, feeders) = if full {
        let entries = store::entries(conn, actor.scope(), c.id)
            .await?
            .into_iter()
            .map(|x| {
                let ours = x.ours == 1 || x.person_id.is_none();
                EntryView {
                    id: x.id,
                    unit_code: x.unit_code,
                    person_id: x.person_id.filter(|_| ours),
                    name: ours.then_some(x.name),
                    team_members: x.team_members.filter(|_| ours),
                    advanced_from: x.from_entry_id,
                    rank: x.rank,
                    score: x.score,
                    medal: x.medal,
                }
            })
            .collect();
        let feeders = store::feeders(conn, c.id)
            .await?
            .into_iter()
            .map(|(id, unit_code)| Feeder { id, unit_code })
            .collect();
        (entries, feeders)
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(CompetitionView {
        id: c.id,
        unit_code: c.unit_code,
        level: c.unit_level,
        program_id: c.program_id,
        event_id: c.event_id,
        discipline: c.discipline,
        category: c.category,
        entry_kind: c.entry_kind,
        held_on: c.held_on,
        advances_to: c.advances_to,
        advance_count: c.advance_count,
        finished: c.finished_at.is_some(),
        entry_count: c.entries,
        entries,
        feeders,
    })
}

/// A competition the actor may open.
async fn find(conn: &mut Conn, actor: &Actor, id: i64) -> Result<CompetitionRow, AppError> {
    store::by_id(conn, actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound("competition"))
}

/// A competition the actor may change: one of a unit of their subtree, not finished.
async fn find_open(conn: &mut Conn, actor: &Actor, id: i64) -> Result<CompetitionRow, AppError> {
    let c = find(conn, actor, id).await?;
    if !muster_store::units::in_scope(conn, actor.scope(), c.unit_id).await? {
        return Err(AppError::Forbidden);
    }
    if c.finished_at.is_some() {
        return Err(AppError::Conflict {
            field: "competition".into(),
            code: "competition_finished".into(),
        });
    }
    Ok(c)
}

impl App {
    pub async fn list_competitions(
        &self,
        actor: &Actor,
        q: &CompetitionQuery,
    ) -> Result<Vec<CompetitionView>, AppError> {
        let mut conn = self.db().read().await?;
        let rows = store::list(&mut conn, actor.scope(), q.program, page_size(q.limit)).await?;
        let mut out = Vec::with_capacity(rows.len());
        for c in rows {
            out.push(view(&mut conn, actor, c, false).await?);
        }
        Ok(out)
    }

    /// One competition with its entries ranked, as the actor may see them.
    pub async fn competition(&self, actor: &Actor, id: i64) -> Result<CompetitionView, AppError> {
        let mut conn = self.db().read().await?;
        let c = find(&mut conn, actor, id).await?;
        view(&mut conn, actor, c, true).await
    }

    /// Declares a competition of a unit of the actor's subtree, in a program or at an
    /// event of that unit or one above it, and the one above its winners go on to.
    pub async fn create_competition(
        &self,
        actor: &Actor,
        input: CompetitionInput,
    ) -> Result<CompetitionView, AppError> {
        let permit = actor.permit(Permission::Govern)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let scope = tx.scope();
        let mut check = Check::default();
        let unit =
            crate::events::unit_field(&mut tx, &mut check, input.unit_code.as_deref()).await?;
        let discipline = check.take(
            "discipline",
            required_text(input.discipline.as_deref().unwrap_or(""), 100),
        );
        let category = check
            .opt("category", input.category.as_deref(), Category::parse)
            .unwrap_or(Category::Open);
        let entry_kind = check
            .opt("entry_kind", input.entry_kind.as_deref(), EntryKind::parse)
            .unwrap_or(EntryKind::Person);
        let held = crate::events::date_field(&mut check, "held_on", input.held_on.as_deref());
        // The event it is held at, of the unit or one above, on one of its days.
        let event = match input.event_id {
            None => None,
            Some(id) => match muster_store::events::event(&mut tx, scope, id).await? {
                None => {
                    check.fail("event_id", "unknown_event");
                    None
                }
                Some(e) => Some(e),
            },
        };
        let program_id = input
            .program_id
            .or(event.as_ref().and_then(|e| e.program_id));
        let program = match program_id {
            None => None,
            Some(p) => match muster_store::events::program(&mut tx, scope, p).await? {
                None => {
                    check.fail("program_id", "unknown_program");
                    None
                }
                Some(p) => Some(p),
            },
        };
        if let Some(u) = &unit {
            for (field, above) in [
                ("program_id", program.as_ref().map(|p| p.unit_id)),
                ("event_id", event.as_ref().map(|e| e.unit_id)),
            ] {
                if let Some(a) = above {
                    if muster_store::units::depth_below(&mut tx, a, u.id)
                        .await?
                        .is_none()
                    {
                        check.fail(field, "program_not_above");
                    }
                }
            }
        }
        if let Some(h) = held {
            let within = |from: &str, to: &str| {
                let from = Date::parse_iso(from).ok();
                let to = Date::parse_iso(to).ok();
                from.is_some_and(|f| h >= f) && to.is_some_and(|t| h <= t)
            };
            if event
                .as_ref()
                .is_some_and(|e| !within(&e.starts_on, &e.ends_on))
            {
                check.fail("held_on", "outside_event");
            } else if program
                .as_ref()
                .is_some_and(|p| !within(&p.starts_on, &p.ends_on))
            {
                check.fail("held_on", "outside_program");
            }
        }
        let advance_count = match (input.advances_to, input.advance_count) {
            (None, _) => 0,
            (Some(_), None) => 1,
            (Some(_), Some(n)) if (1..=MAX_ADVANCING).contains(&n) => n,
            (Some(_), Some(_)) => {
                check.fail("advance_count", "out_of_range");
                0
            }
        };
        if let (Some(target), Some(u), Some(d), Some(h)) =
            (input.advances_to, &unit, &discipline, held)
        {
            match store::by_id(&mut tx, scope, target).await? {
                None => check.fail("advances_to", "unknown_competition"),
                Some(t) => {
                    let above = t.unit_id != u.id
                        && muster_store::units::depth_below(&mut tx, t.unit_id, u.id)
                            .await?
                            .is_some();
                    let h = h.to_string();
                    let theirs = (
                        t.discipline.as_str(),
                        Category::parse(&t.category).unwrap_or(Category::Open),
                        EntryKind::parse(&t.entry_kind).unwrap_or(EntryKind::Person),
                        t.held_on.as_str(),
                    );
                    if let Err(e) = check_advance(
                        (d, category, entry_kind, &h),
                        theirs,
                        above,
                        t.finished_at.is_some(),
                    ) {
                        check.fail("advances_to", e.code);
                    }
                }
            }
        }
        check.finish()?;
        let (Some(unit), Some(discipline), Some(held)) = (unit, discipline, held) else {
            return Err(AppError::Internal("checked competition".into()));
        };
        let f = CompetitionFields {
            tree_id: unit.tree_id,
            unit_id: unit.id,
            program_id: program.as_ref().map(|p| p.id),
            event_id: event.as_ref().map(|e| e.id),
            discipline,
            category: category.as_str().into(),
            entry_kind: entry_kind.as_str().into(),
            held_on: held.to_string(),
            advances_to: input.advances_to,
            advance_count,
        };
        let now = tx.now().to_string();
        let id = store::insert(&mut tx, &f, &now).await?;
        tx.audit(
            "create",
            "competition",
            id,
            Some(unit.id),
            None,
            Some(serde_json::json!({ "discipline": f.discipline, "category": f.category, "held_on": f.held_on })),
        )
        .await?;
        let c = find(&mut tx, actor, id).await?;
        let v = view(&mut tx, actor, c, true).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Enters a person or a team for a unit of the actor's subtree that lies under the
    /// competition's unit.
    pub async fn enter_competition(
        &self,
        actor: &Actor,
        id: i64,
        input: EntryInput,
    ) -> Result<EntryView, AppError> {
        let permit = actor.permit(Permission::EditRegistry)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let scope = tx.scope();
        let c = find(&mut tx, actor, id).await?;
        if c.finished_at.is_some() {
            return Err(AppError::Conflict {
                field: "competition".into(),
                code: "competition_finished".into(),
            });
        }
        let mut check = Check::default();
        let code = input
            .unit_code
            .clone()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| c.unit_code.clone());
        let unit = crate::events::unit_field(&mut tx, &mut check, Some(&code)).await?;
        if let Some(u) = &unit {
            if muster_store::units::depth_below(&mut tx, c.unit_id, u.id)
                .await?
                .is_none()
            {
                check.fail("unit_code", "not_under_competition");
            }
        }
        let kind = EntryKind::parse(&c.entry_kind).unwrap_or(EntryKind::Person);
        let mut person = None;
        let mut team = None;
        let mut members = None;
        match kind {
            EntryKind::Person => {
                person = crate::members::member_field(
                    &mut tx,
                    actor,
                    &mut check,
                    Some(c.tree_id),
                    input.person_id,
                    input.member_number.as_deref(),
                    unit.as_ref().map(|u| u.id),
                )
                .await?;
                let named = input.person_id.is_some()
                    || input
                        .member_number
                        .as_deref()
                        .is_some_and(|n| !n.trim().is_empty());
                if !named {
                    check.fail("person_id", "required");
                }
            }
            EntryKind::Team => {
                team = check.take(
                    "team_name",
                    required_text(input.team_name.as_deref().unwrap_or(""), 200),
                );
                members = check
                    .take(
                        "team_members",
                        optional_text(input.team_members.as_deref(), 2000),
                    )
                    .flatten();
            }
        }
        check.finish()?;
        let Some(unit) = unit else {
            return Err(AppError::Internal("checked entry".into()));
        };
        let n = NewEntry {
            competition_id: c.id,
            unit_id: unit.id,
            person_id: person,
            team_name: team,
            team_members: members,
            from_entry_id: None,
        };
        let now = tx.now().to_string();
        let entry = store::insert_entry(&mut tx, &n, &now)
            .await
            .map_err(|e| match e {
                muster_store::StoreError::Conflict(_) => AppError::Conflict {
                    field: if person.is_some() {
                        "person_id"
                    } else {
                        "team_name"
                    }
                    .into(),
                    code: "already_entered".into(),
                },
                other => other.into(),
            })?;
        tx.audit(
            "enter",
            "competition",
            c.id,
            Some(unit.id),
            None,
            Some(serde_json::json!({ "entry": entry, "person_id": person, "team_name": n.team_name })),
        )
        .await?;
        let row = store::entries(&mut tx, scope, c.id)
            .await?
            .into_iter()
            .find(|x| x.id == entry)
            .ok_or(AppError::NotFound("entry"))?;
        tx.commit().await?;
        Ok(EntryView {
            id: row.id,
            unit_code: row.unit_code,
            person_id: row.person_id,
            name: Some(row.name),
            team_members: row.team_members,
            advanced_from: None,
            rank: None,
            score: None,
            medal: None,
        })
    }

    /// Records results: each line names an entry (or a person entered) with a rank,
    /// a score and a medal. All lines are checked before any is written.
    pub async fn record_results(
        &self,
        actor: &Actor,
        id: i64,
        input: ResultsInput,
    ) -> Result<CompetitionView, AppError> {
        let permit = actor.permit(Permission::Govern)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let scope = tx.scope();
        let c = find_open(&mut tx, actor, id).await?;
        let entries = store::entries(&mut tx, scope, c.id).await?;
        let mut check = Check::default();
        let mut writes = Vec::new();
        if input.results.is_empty() {
            check.fail("results", "required");
        }
        for (i, line) in input.results.iter().enumerate() {
            let field = |f: &str| format!("results.{i}.{f}");
            let entry = entries.iter().find(|x| {
                line.entry_id.is_some_and(|id| id == x.id)
                    || (line.entry_id.is_none()
                        && line.person_id.is_some()
                        && x.person_id == line.person_id)
            });
            let Some(entry) = entry else {
                let f = if line.entry_id.is_some() {
                    "entry_id"
                } else {
                    "person_id"
                };
                check.fail(&field(f), "not_entered");
                continue;
            };
            let rank = match line.rank {
                Some(r) => check.take(&field("rank"), check_rank(r)),
                None => None,
            };
            let score = check.opt(&field("score"), line.score.as_deref(), parse_score);
            let medal = match line.medal.as_deref().map(str::trim) {
                Some("none") => None,
                Some(m) if !m.is_empty() => check
                    .take(&field("medal"), Medal::parse(m))
                    .map(|m| m.as_str().to_string()),
                _ => rank
                    .and_then(Medal::of_rank)
                    .map(|m| m.as_str().to_string()),
            };
            writes.push((entry.id, rank, score, medal));
        }
        check.finish()?;
        let now = tx.now().to_string();
        for (entry, rank, score, medal) in &writes {
            store::set_result(
                &mut tx,
                *entry,
                *rank,
                score.as_deref(),
                medal.as_deref(),
                &now,
            )
            .await?;
        }
        tx.audit(
            "results",
            "competition",
            c.id,
            Some(c.unit_id),
            None,
            Some(serde_json::json!(writes
                .iter()
                .map(|(e, r, s, m)| serde_json::json!({ "entry": e, "rank": r, "score": s, "medal": m }))
                .collect::<Vec<_>>())),
        )
        .await?;
        let c = find(&mut tx, actor, id).await?;
        let v = view(&mut tx, actor, c, true).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Finishes a competition: its results stand, and its winners are entered in the
    /// competition above for the unit that held this one.
    pub async fn finish_competition(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<CompetitionView, AppError> {
        let permit = actor.permit(Permission::Govern)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let c = find_open(&mut tx, actor, id).await?;
        let all = muster_store::Scope::All;
        let entries = store::entries(&mut tx, all, c.id).await?;
        if !entries.iter().any(|x| x.rank.is_some()) {
            return Err(AppError::field("results", "no_results"));
        }
        let now = tx.now().to_string();
        let mut advanced = Vec::new();
        if let Some(target) = c.advances_to {
            let target = store::by_id(&mut tx, all, target)
                .await?
                .ok_or(AppError::NotFound("competition"))?;
            if target.finished_at.is_some() {
                return Err(AppError::Conflict {
                    field: "advances_to".into(),
                    code: "competition_finished".into(),
                });
            }
            let there = store::entries(&mut tx, all, target.id).await?;
            let ranked: Vec<(i64, Option<i64>)> = entries.iter().map(|x| (x.id, x.rank)).collect();
            for id in advancing(&ranked, c.advance_count) {
                let Some(x) = entries.iter().find(|x| x.id == id) else {
                    continue;
                };
                let already = there.iter().any(|t| {
                    t.from_entry_id == Some(x.id)
                        || (x.person_id.is_some() && t.person_id == x.person_id)
                });
                if already {
                    continue;
                }
                let n = NewEntry {
                    competition_id: target.id,
                    unit_id: c.unit_id,
                    person_id: x.person_id,
                    team_name: x.person_id.is_none().then(|| x.name.clone()),
                    team_members: x.team_members.clone(),
                    from_entry_id: Some(x.id),
                };
                advanced.push(store::insert_entry(&mut tx, &n, &now).await?);
            }
        }
        store::set_finished(&mut tx, c.id, &now).await?;
        tx.recount_on(c.unit_id, &c.held_on);
        tx.audit(
            "finish",
            "competition",
            c.id,
            Some(c.unit_id),
            None,
            Some(serde_json::json!({ "advanced": advanced, "to": c.advances_to })),
        )
        .await?;
        let c = find(&mut tx, actor, id).await?;
        let v = view(&mut tx, actor, c, true).await?;
        tx.commit().await?;
        Ok(v)
    }
}
