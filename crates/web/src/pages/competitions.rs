//! Competitions: result tables by discipline and level, declaring a competition,
//! entering people or teams, recording results and finishing, which sends the winners
//! on to the competition above.

use super::layout::{error_page, field, redirect_with_flash, select, PlainForm, Viewer};
use crate::api::extract::path_id;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use maud::{html, Markup};
use muster_app::competitions::{
    CompetitionInput, CompetitionQuery, CompetitionView, EntryInput, ResultLine, ResultsInput,
};
use muster_app::{App, AppError, Fields};
use muster_domain::competitions::{Category, EntryKind, Medal};

page_routes! {
    "/competitions" => get(list),
    "/competitions/new" => get(new_competition).post(create),
    "/competitions/{id}" => get(show),
    "/competitions/{id}/entries" => post(enter),
    "/competitions/{id}/results" => post(results),
    "/competitions/{id}/finish" => post(finish),
}

#[derive(serde::Deserialize, Default)]
struct ListQuery {
    program: Option<i64>,
    event: Option<i64>,
}

fn medal(v: &Viewer, m: Option<&str>) -> Markup {
    html! { @if let Some(m) = m { span class=(format!("medal medal-{m}")) { (v.t(&format!("medal-{m}"))) } } }
}

fn entries_table(v: &Viewer, c: &CompetitionView) -> Markup {
    let l = &v.lang;
    html! {
        table.results {
            thead { tr {
                th.num { (v.t("competition-rank")) } th { (v.t("competition-entry")) } th { (v.t("member-unit")) }
                th.num { (v.t("competition-score")) } th { (v.t("competition-medal")) }
            } }
            tbody { @for x in &c.entries { tr {
                td.num data-label=(v.t("competition-rank")) { @if let Some(r) = x.rank { (l.number(r)) } @else { "—" } }
                td data-label=(v.t("competition-entry")) {
                    @match &x.name { Some(n) => { bdi { (n) } }, None => { span.muted { (v.t("competition-entry-hidden")) } } }
                    @if x.advanced_from.is_some() { " " span.badge { (v.t("competition-advanced")) } }
                }
                td data-label=(v.t("member-unit")) { bdi dir="ltr" { (x.unit_code) } }
                td.num data-label=(v.t("competition-score")) { @if let Some(s) = &x.score { bdi dir="ltr" { (l.digits(s)) } } }
                td data-label=(v.t("competition-medal")) { (medal(v, x.medal.as_deref())) }
            } } }
        }
    }
}

async fn list(State(app): State<App>, v: Viewer, Query(q): Query<ListQuery>) -> Response {
    let cq = CompetitionQuery {
        program: q.program,
        limit: Some(500),
    };
    let items = match app.list_competitions(&v.actor, &cq).await {
        Ok(items) => items,
        Err(e) => return error_page(&v, e),
    };
    // Each competition with its table, grouped by discipline and category, top level first.
    let mut full = Vec::with_capacity(items.len());
    for c in &items {
        match app.competition(&v.actor, c.id).await {
            Ok(c) => full.push(c),
            Err(e) => return error_page(&v, e),
        }
    }
    let l = &v.lang;
    let new_href = match q.program {
        Some(p) => format!("/competitions/new?program={p}"),
        None => "/competitions/new".into(),
    };
    // A heading where a new discipline and category begins.
    let heads: Vec<bool> = full
        .iter()
        .enumerate()
        .map(|(i, c)| {
            i == 0 || {
                let p = &full[i - 1];
                p.discipline.trim().to_lowercase() != c.discipline.trim().to_lowercase()
                    || p.category != c.category
            }
        })
        .collect();
    let body = html! {
        @if let Some(p) = q.program { p.muted { a href=(format!("/programs/{p}")) { (v.t("event-program")) } } }
        @if v.governs() { p.actions { a.button #new-competition href=(new_href) { (v.t("competition-new")) } } }
        @if full.is_empty() { p.empty { (v.t("competition-none")) } }
        @for (c, head) in full.iter().zip(&heads) {
            @if *head {
                h2 { bdi { (c.discipline) } " · " (v.t(&format!("category-{}", c.category))) }
            }
            section.card.competition {
                h3 {
                    a href=(format!("/competitions/{}", c.id)) { bdi { (c.level) } " · " bdi dir="ltr" { (c.unit_code) } }
                    " · " (l.date(&c.held_on))
                    " · " @if c.finished { (v.t("competition-finished")) } @else { (v.t("competition-open")) }
                }
                @if c.entries.is_empty() { p.empty { (v.t("competition-no-entries")) } } @else { (entries_table(&v, c)) }
            }
        }
    };
    v.page(&v.t("nav-competitions"), "nav-programs", body)
}

fn competition_form(v: &Viewer, f: &PlainForm, errors: &Fields) -> Response {
    let l = &v.lang;
    let hint = l.date_hint();
    let text = |name: &str, key: &str, h: Option<&str>| {
        field(l, name, key, f.get(name), errors.get(name), "text", h)
    };
    let categories: Vec<(String, String)> = Category::ALL
        .iter()
        .map(|c| (c.as_str().into(), v.t(&format!("category-{}", c.as_str()))))
        .collect();
    let kinds: Vec<(String, String)> = EntryKind::ALL
        .iter()
        .map(|c| {
            (
                c.as_str().into(),
                v.t(&format!("entry-kind-{}", c.as_str())),
            )
        })
        .collect();
    let body = html! {
        @if !errors.is_empty() { p.error role="alert" { (v.t("form-has-errors")) } }
        @for key in ["program_id", "event_id"] {
            @if let Some(code) = errors.get(key) { p.error { (v.t(&format!("field-{code}"))) } }
        }
        form.card method="post" action="/competitions/new" novalidate {
            (v.csrf_field())
            input type="hidden" name="program_id" value=(f.get("program_id"));
            input type="hidden" name="event_id" value=(f.get("event_id"));
            (text("unit_code", "member-unit", None))
            (text("discipline", "competition-discipline", None))
            (select(l, "category", "competition-category", &categories, f.get("category"), errors.get("category")))
            (select(l, "entry_kind", "competition-entry-kind", &kinds, f.get("entry_kind"), errors.get("entry_kind")))
            (text("held_on", "competition-held-on", Some(&hint)))
            (text("advances_to", "competition-advances-to", None))
            (text("advance_count", "competition-advance-count", None))
            div.actions { button type="submit" { (v.t("save")) } a href="/competitions" { (v.t("cancel")) } }
        }
    };
    let mut r = v.page(&v.t("competition-new"), "nav-programs", body);
    if !errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

async fn new_competition(v: Viewer, Query(q): Query<ListQuery>) -> Response {
    if !v.governs() {
        return error_page(&v, AppError::Forbidden);
    }
    let mut f = PlainForm::default();
    if let Some(p) = q.program {
        f.values.insert("program_id".into(), p.to_string());
    }
    if let Some(e) = q.event {
        f.values.insert("event_id".into(), e.to_string());
    }
    competition_form(&v, &f, &Fields::new())
}

/// A whole number typed in any digits; the field's error when it is not one.
fn number_field(f: &PlainForm, name: &str, errors: &mut Fields) -> Option<i64> {
    let typed = f.opt(name)?;
    match muster_domain::names::digits_to_ascii(&typed)
        .trim()
        .parse::<i64>()
    {
        Ok(n) => Some(n),
        Err(_) => {
            errors.insert(name.to_string(), "not_a_number".to_string());
            None
        }
    }
}

async fn create(State(app): State<App>, v: Viewer, Form(f): Form<PlainForm>) -> Response {
    let mut errors = Fields::new();
    let program_id = number_field(&f, "program_id", &mut errors);
    let event_id = number_field(&f, "event_id", &mut errors);
    let advances_to = number_field(&f, "advances_to", &mut errors);
    let advance_count = number_field(&f, "advance_count", &mut errors);
    if !errors.is_empty() {
        return competition_form(&v, &f, &errors);
    }
    let input = CompetitionInput {
        unit_code: f.opt("unit_code"),
        program_id,
        event_id,
        discipline: Some(f.get("discipline").to_string()),
        category: f.opt("category"),
        entry_kind: f.opt("entry_kind"),
        held_on: Some(v.lang.iso_date(f.get("held_on"))),
        advances_to,
        advance_count,
    };
    match app.create_competition(&v.actor, input).await {
        Ok(c) => redirect_with_flash(
            &format!("/competitions/{}", c.id),
            "flash-competition-saved",
        ),
        Err(AppError::Invalid(errors)) => competition_form(&v, &f, &errors),
        Err(e) => error_page(&v, e),
    }
}

fn page(v: &Viewer, c: &CompetitionView, f: &PlainForm, errors: &Fields) -> Response {
    let l = &v.lang;
    let medals: Vec<(String, String)> = std::iter::once(("".to_string(), "—".to_string()))
        .chain(
            Medal::ALL
                .iter()
                .map(|m| (m.as_str().into(), v.t(&format!("medal-{}", m.as_str())))),
        )
        .chain(std::iter::once(("none".to_string(), v.t("medal-none"))))
        .collect();
    let body = html! {
        p.muted {
            bdi { (c.level) } " · " (l.date(&c.held_on)) " · " (v.t(&format!("entry-kind-{}", c.entry_kind)))
            @if let Some(p) = c.program_id { " · " a href=(format!("/competitions?program={p}")) { (v.t("competition-tables")) } }
            @if let Some(e) = c.event_id { " · " a href=(format!("/events/{e}")) { (v.t("competition-event")) } }
        }
        p {
            @if c.finished { strong { (v.t("competition-finished")) } } @else { (v.t("competition-open")) }
            @if let Some(t) = c.advances_to {
                " · " a #advances-to href=(format!("/competitions/{t}")) { (v.t("competition-advances-to")) }
                " (" (l.number(c.advance_count)) ")"
            }
        }
        @if !c.feeders.is_empty() {
            p { (v.t("competition-feeders")) ": "
                @for (i, fd) in c.feeders.iter().enumerate() { @if i > 0 { ", " } a href=(format!("/competitions/{}", fd.id)) { bdi dir="ltr" { (fd.unit_code) } } } }
        }
        @if !errors.is_empty() {
            div.error role="alert" { p { (v.t("form-has-errors")) }
                ul { @for (k, code) in errors { li { code { (k) } " " (v.t(&format!("field-{code}"))) } } } }
        }
        @if c.entries.is_empty() { p.empty { (v.t("competition-no-entries")) } }
        @else if c.finished || !v.governs() { (entries_table(v, c)) }
        @else {
            form #results method="post" action=(format!("/competitions/{}/results", c.id)) novalidate {
                (v.csrf_field())
                table.results {
                    thead { tr { th { (v.t("competition-entry")) } th { (v.t("member-unit")) } th { (v.t("competition-rank")) } th { (v.t("competition-score")) } th { (v.t("competition-medal")) } } }
                    tbody { @for x in &c.entries {
                        @let rank = f.values.get(&format!("rank_{}", x.id)).cloned().unwrap_or_else(|| x.rank.map(|r| r.to_string()).unwrap_or_default());
                        @let score = f.values.get(&format!("score_{}", x.id)).cloned().unwrap_or_else(|| x.score.clone().unwrap_or_default());
                        @let chosen = f.values.get(&format!("medal_{}", x.id)).cloned().unwrap_or_else(|| x.medal.clone().unwrap_or_default());
                        tr {
                            td data-label=(v.t("competition-entry")) { @match &x.name { Some(n) => { bdi { (n) } }, None => { span.muted { (v.t("competition-entry-hidden")) } } } }
                            td data-label=(v.t("member-unit")) { bdi dir="ltr" { (x.unit_code) } }
                            td data-label=(v.t("competition-rank")) { input.narrow name=(format!("rank_{}", x.id)) value=(rank) inputmode="numeric" aria-label=(v.t("competition-rank")); }
                            td data-label=(v.t("competition-score")) { input.narrow name=(format!("score_{}", x.id)) value=(score) inputmode="decimal" aria-label=(v.t("competition-score")); }
                            td data-label=(v.t("competition-medal")) {
                                select name=(format!("medal_{}", x.id)) aria-label=(v.t("competition-medal")) {
                                    @for (value, label) in &medals { option value=(value) selected[*value == chosen] { (label) } }
                                }
                            }
                        }
                    } }
                }
                div.actions { button type="submit" { (v.t("competition-save-results")) } }
            }
            form method="post" action=(format!("/competitions/{}/finish", c.id)) {
                (v.csrf_field())
                button #finish type="submit" { (v.t("competition-finish")) }
            }
        }
        @if !c.finished {
            form.card #enter method="post" action=(format!("/competitions/{}/entries", c.id)) novalidate {
                (v.csrf_field())
                h2 { (v.t("competition-enter")) }
                (field(l, "unit_code", "member-unit", f.get("unit_code"), errors.get("unit_code"), "text", None))
                @if c.entry_kind == "team" {
                    (field(l, "team_name", "competition-team", f.get("team_name"), errors.get("team_name"), "text", None))
                    div.field { label for="team_members" { (v.t("competition-team-members")) }
                        textarea #team_members name="team_members" rows="3" { (f.get("team_members")) } }
                } @else {
                    (field(l, "member_number", "member-number", f.get("member_number"), errors.get("member_number").or(errors.get("person_id")), "text", None))
                }
                div.actions { button type="submit" { (v.t("competition-enter")) } }
            }
        }
    };
    let title = format!(
        "{} · {} · {}",
        c.discipline,
        v.t(&format!("category-{}", c.category)),
        c.unit_code
    );
    let mut r = v.page(&title, "nav-programs", body);
    if !errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

async fn load(app: &App, v: &Viewer, id: &str) -> Result<CompetitionView, AppError> {
    app.competition(&v.actor, path_id(id, "competition")?).await
}

async fn show(State(app): State<App>, v: Viewer, Path(id): Path<String>) -> Response {
    match load(&app, &v, &id).await {
        Ok(c) => page(&v, &c, &PlainForm::default(), &Fields::new()),
        Err(e) => error_page(&v, e),
    }
}

/// Shows the page again with the form's errors, or the error page.
async fn again(app: &App, v: &Viewer, id: &str, f: &PlainForm, e: AppError) -> Response {
    match (e, load(app, v, id).await) {
        (AppError::Invalid(errors), Ok(c)) => page(v, &c, f, &errors),
        (AppError::Conflict { field, code }, Ok(c)) => {
            let mut errors = Fields::new();
            errors.insert(field, code);
            let mut r = page(v, &c, f, &errors);
            *r.status_mut() = StatusCode::CONFLICT;
            r
        }
        (e, _) => error_page(v, e),
    }
}

async fn enter(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let cid = match path_id(&id, "competition") {
        Ok(i) => i,
        Err(e) => return error_page(&v, e),
    };
    let input = EntryInput {
        unit_code: f.opt("unit_code"),
        person_id: None,
        member_number: f.opt("member_number"),
        team_name: f.opt("team_name"),
        team_members: f.opt("team_members"),
    };
    match app.enter_competition(&v.actor, cid, input).await {
        Ok(_) => redirect_with_flash(&format!("/competitions/{cid}"), "flash-entry-saved"),
        Err(e) => again(&app, &v, &id, &f, e).await,
    }
}

async fn results(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let c = match load(&app, &v, &id).await {
        Ok(c) => c,
        Err(e) => return error_page(&v, e),
    };
    let mut errors = Fields::new();
    let mut lines = Vec::new();
    for (i, x) in c.entries.iter().enumerate() {
        let rank = number_field(&f, &format!("rank_{}", x.id), &mut errors);
        if let Some(code) = errors.remove(&format!("rank_{}", x.id)) {
            errors.insert(format!("results.{i}.rank"), code);
        }
        lines.push(ResultLine {
            entry_id: Some(x.id),
            person_id: None,
            rank,
            score: f.opt(&format!("score_{}", x.id)),
            medal: f.opt(&format!("medal_{}", x.id)),
        });
    }
    if !errors.is_empty() {
        return page(&v, &c, &f, &errors);
    }
    match app
        .record_results(&v.actor, c.id, ResultsInput { results: lines })
        .await
    {
        Ok(_) => redirect_with_flash(&format!("/competitions/{}", c.id), "flash-results-saved"),
        Err(e) => again(&app, &v, &id, &f, e).await,
    }
}

async fn finish(State(app): State<App>, v: Viewer, Path(id): Path<String>) -> Response {
    let cid = match path_id(&id, "competition") {
        Ok(i) => i,
        Err(e) => return error_page(&v, e),
    };
    match app.finish_competition(&v.actor, cid).await {
        Ok(_) => redirect_with_flash(
            &format!("/competitions/{cid}"),
            "flash-competition-finished",
        ),
        Err(e) => again(&app, &v, &id, &PlainForm::default(), e).await,
    }
}
