//! Programs and events: the list of programs, declaring one, a program's dashboard with
//! its figures up the tree and its events, adding an event. An event's own page and its
//! check-in desk are in `desk`.

use super::layout::{
    csv_response, error_page, field, redirect_with_flash, select, PlainForm, Viewer,
};
use crate::xlsx::{self, Cell};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use maud::{html, Markup};
use muster_app::events::{
    DashboardQuery, EventInput, EventQuery, EventView, ProgramInput, ProgramView,
};
use muster_app::{App, AppError, Fields};
use muster_domain::events::{Audience, EventKind};
use std::collections::BTreeMap;

mod desk;
mod sessions;

pub(super) use desk::qr;

page_routes! {
    "/programs" => get(list),
    "/programs/new" => get(new_program).post(create_program),
    "/programs/{id}" => get(show),
    "/programs/{id}/export.csv" => get(export_csv),
    "/programs/{id}/export.xlsx" => get(export_xlsx),
    "/events/new" => get(new_event).post(create_event),
    "/events/{id}" => get(desk::show),
    "/events/{id}/participants" => post(desk::register),
    "/events/{id}/report" => post(desk::report),
    "/events/{id}/sessions" => post(sessions::set),
    "/events/{id}/desk" => get(desk::desk),
    "/events/{id}/desk/check-in" => post(desk::check_in),
    "/events/{id}/desk/walk-in" => post(desk::walk_in),
    "/events/{id}/desk/list" => post(desk::list),
    "/events/{id}/tickets" => get(desk::tickets),
}

/// A name in the reader's language when one was given, else as entered.
fn name_in<'a>(v: &Viewer, name: &'a str, names: &'a BTreeMap<String, String>) -> &'a str {
    names.get(v.lang.locale).map(String::as_str).unwrap_or(name)
}

pub(super) fn program_name<'a>(v: &Viewer, p: &'a ProgramView) -> &'a str {
    name_in(v, &p.name, &p.names)
}

pub(super) fn event_name<'a>(v: &Viewer, e: &'a EventView) -> &'a str {
    name_in(v, &e.name, &e.names)
}

fn kinds(v: &Viewer) -> Vec<(String, String)> {
    EventKind::ALL
        .iter()
        .map(|k| {
            (
                k.as_str().to_string(),
                v.t(&format!("event-kind-{}", k.as_str())),
            )
        })
        .collect()
}

async fn list(State(app): State<App>, v: Viewer) -> Response {
    let items = match app.list_programs(&v.actor, None).await {
        Ok(items) => items,
        Err(e) => return error_page(&v, e),
    };
    let l = &v.lang;
    let body = html! {
        p.actions {
            @if v.governs() { a.button href="/programs/new" { (v.t("program-new")) } a href="/events/new" { (v.t("event-new")) } }
            a href="/competitions" { (v.t("nav-competitions")) }
            a href="/honors" { (v.t("nav-honors")) }
        }
        @if items.is_empty() { p.empty { (v.t("program-none")) } } @else {
            table #programs {
                thead { tr { th { (v.t("member-unit")) } th { (v.t("program-name")) } th { (v.t("program-days")) } th.num { (v.t("program-events")) } } }
                tbody { @for p in &items { tr {
                    td data-label=(v.t("member-unit")) { bdi dir="ltr" { (p.unit_code) } }
                    td data-label=(v.t("program-name")) { a href=(format!("/programs/{}", p.id)) { bdi { (program_name(&v, p)) } } }
                    td data-label=(v.t("program-days")) { (l.date(&p.starts_on)) " – " (l.date(&p.ends_on)) }
                    td.num data-label=(v.t("program-events")) { (l.number(p.events)) }
                } } }
            }
        }
    };
    v.page(&v.t("nav-programs"), "nav-programs", body)
}

fn program_form(v: &Viewer, f: &PlainForm, errors: &Fields) -> Response {
    let l = &v.lang;
    let hint = l.date_hint();
    let text = |name: &str, key: &str, h: Option<&str>| {
        field(l, name, key, f.get(name), errors.get(name), "text", h)
    };
    let body = html! {
        @if !errors.is_empty() { p.error role="alert" { (v.t("form-has-errors")) } }
        form.card method="post" action="/programs/new" novalidate {
            (v.csrf_field())
            (text("unit_code", "member-unit", None))
            (text("name", "program-name", None))
            @for loc in crate::i18n::LOCALES {
                (field(l, &format!("name_{loc}"), &format!("drive-name-{loc}"), f.get(&format!("name_{loc}")), errors.get(&format!("names.{loc}")), "text", None))
            }
            (text("starts_on", "program-starts", Some(&hint)))
            (text("ends_on", "program-ends", Some(&hint)))
            (text("decision_id", "program-decision-number", None))
            div.actions { button type="submit" { (v.t("save")) } a href="/programs" { (v.t("cancel")) } }
        }
    };
    let mut r = v.page(&v.t("program-new"), "nav-programs", body);
    if !errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

#[derive(serde::Deserialize, Default)]
struct NewProgramQuery {
    decision: Option<i64>,
}

async fn new_program(v: Viewer, Query(q): Query<NewProgramQuery>) -> Response {
    if !v.governs() {
        return error_page(&v, AppError::Forbidden);
    }
    let mut f = PlainForm::default();
    if let Some(d) = q.decision {
        f.values.insert("decision_id".into(), d.to_string());
    }
    program_form(&v, &f, &Fields::new())
}

pub(crate) fn names_of(f: &PlainForm) -> BTreeMap<String, String> {
    crate::i18n::LOCALES
        .iter()
        .filter_map(|loc| f.opt(&format!("name_{loc}")).map(|n| (loc.to_string(), n)))
        .collect()
}

async fn create_program(State(app): State<App>, v: Viewer, Form(f): Form<PlainForm>) -> Response {
    let input = ProgramInput {
        unit_code: f.opt("unit_code"),
        name: Some(f.get("name").to_string()),
        names: names_of(&f),
        starts_on: Some(v.lang.iso_date(f.get("starts_on"))),
        ends_on: Some(v.lang.iso_date(f.get("ends_on"))),
        decision_id: match f.opt("decision_id") {
            None => None,
            Some(d) => match muster_domain::names::digits_to_ascii(&d)
                .trim()
                .parse::<i64>()
            {
                Ok(n) => Some(n),
                Err(_) => {
                    return program_form(
                        &v,
                        &f,
                        &Fields::from([("decision_id".into(), "not_a_number".into())]),
                    )
                }
            },
        },
    };
    match app.create_program(&v.actor, input).await {
        Ok(p) => redirect_with_flash(&format!("/programs/{}", p.id), "flash-program-saved"),
        Err(AppError::Invalid(errors)) => program_form(&v, &f, &errors),
        Err(e) => error_page(&v, e),
    }
}

pub(super) fn events_table(v: &Viewer, events: &[EventView]) -> Markup {
    let l = &v.lang;
    html! {
        table.events-table {
            thead { tr {
                th { (v.t("event-starts")) } th { (v.t("member-unit")) } th { (v.t("event-name")) }
                th { (v.t("event-kind")) } th.num { (v.t("event-holding")) }
            } }
            tbody { @for e in events { tr {
                td data-label=(v.t("event-starts")) { (l.date(&e.starts_on)) @if e.ends_on != e.starts_on { " – " (l.date(&e.ends_on)) } }
                td data-label=(v.t("member-unit")) { bdi dir="ltr" { (e.unit_code) } }
                td data-label=(v.t("event-name")) { a href=(format!("/events/{}", e.id)) { bdi { (event_name(v, e)) } } }
                td data-label=(v.t("event-kind")) { (v.t(&format!("event-kind-{}", e.kind))) }
                td.num data-label=(v.t("event-holding")) { (l.number(e.holding)) @if let Some(c) = e.capacity { " / " (l.number(c)) } }
            } } }
        }
    }
}

async fn show(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<String>,
    Query(q): Query<DashboardQuery>,
) -> Response {
    let id = match crate::api::extract::path_id(&id, "program") {
        Ok(id) => id,
        Err(e) => return error_page(&v, e),
    };
    let d = match app.program_dashboard(&v.actor, id, &q).await {
        Ok(d) => d,
        Err(e) => return error_page(&v, e),
    };
    let events = match app
        .list_events(
            &v.actor,
            &EventQuery {
                program: Some(id),
                unit: Some(d.unit_code.clone()),
                limit: Some(500),
            },
        )
        .await
    {
        Ok(e) => e,
        Err(e) => return error_page(&v, e),
    };
    let l = &v.lang;
    let p = &d.program;
    let body = html! {
        p.muted {
            bdi dir="ltr" { (p.unit_code) } " · " (l.date(&p.starts_on)) " – " (l.date(&p.ends_on))
            @if let Some(d) = p.decision_id { " · " a href=(format!("/decisions/{d}")) { (v.t("program-decision")) } }
        }
        p.actions {
            @if v.governs() { a.button #new-event href=(format!("/events/new?program={}", p.id)) { (v.t("event-new")) } }
            a #program-competitions href=(format!("/competitions?program={}", p.id)) { (v.t("nav-competitions")) }
            a #program-honors href=(format!("/honors?program={}", p.id)) { (v.t("nav-honors")) }
        }
        h2 { (v.t("program-dashboard")) " · " bdi dir="ltr" { (d.unit_code) } }
        p.actions.no-print {
            a href=(format!("/programs/{}/export.csv?unit={}", p.id, crate::api::enc(&d.unit_code))) { (v.t("drive-export-csv")) }
            a href=(format!("/programs/{}/export.xlsx?unit={}", p.id, crate::api::enc(&d.unit_code))) { (v.t("drive-export-xlsx")) }
        }
        table #program-dashboard {
            thead { tr {
                th { (v.t("member-unit")) } th.num { (v.t("program-events")) } th.num { (v.t("event-held")) }
                th.num { (v.t("event-came")) } th.num { (v.t("event-members")) } th.num { (v.t("event-women")) } th.num { (v.t("event-recruited")) }
                th.num { (v.t("honor-awarded")) } th.num { (v.t("competition-finished-count")) }
            } }
            tbody { @for r in &d.rows { tr.total[r.row == "total"] {
                td data-label=(v.t("member-unit")) {
                    @if r.row == "child" { a href=(format!("/programs/{}?unit={}", p.id, crate::api::enc(&r.unit_code))) { bdi dir="ltr" { (r.unit_code) } } }
                    @else { strong { bdi dir="ltr" { (r.unit_code) } } }
                }
                td.num data-label=(v.t("program-events")) { (l.number(r.events.values().sum())) }
                td.num data-label=(v.t("event-held")) { (l.number(r.held)) }
                td.num data-label=(v.t("event-came")) { (l.number(r.came)) }
                td.num data-label=(v.t("event-members")) { (l.number(r.members)) }
                td.num data-label=(v.t("event-women")) { (l.number(r.women)) }
                td.num data-label=(v.t("event-recruited")) { (l.number(r.recruited)) }
                td.num data-label=(v.t("honor-awarded")) { (l.number(r.honors)) }
                td.num data-label=(v.t("competition-finished-count")) { (l.number(r.competitions)) }
            } } }
        }
        @if let Some(total) = d.rows.first().filter(|r| !r.events.is_empty()) {
            h2 { (v.t("program-by-kind")) }
            table #program-by-kind {
                thead { tr { th { (v.t("event-kind")) } th.num { (v.t("program-events")) } } }
                tbody { @for (kind, n) in &total.events { tr {
                    td data-label=(v.t("event-kind")) { (v.t(&format!("event-kind-{kind}"))) }
                    td.num data-label=(v.t("program-events")) { (l.number(*n)) }
                } } }
            }
        }
        h2 { (v.t("program-events")) }
        @if events.is_empty() { p.empty { (v.t("event-none")) } } @else { (events_table(&v, &events)) }
    };
    v.page(program_name(&v, p), "nav-programs", body)
}

#[derive(serde::Deserialize, Default)]
struct NewEventQuery {
    program: Option<i64>,
}

fn event_form(v: &Viewer, f: &PlainForm, errors: &Fields) -> Response {
    let l = &v.lang;
    let hint = l.date_hint();
    let text = |name: &str, key: &str, h: Option<&str>| {
        field(l, name, key, f.get(name), errors.get(name), "text", h)
    };
    let audiences: Vec<(String, String)> = Audience::ALL
        .iter()
        .map(|a| {
            (
                a.as_str().to_string(),
                v.t(&format!("audience-{}", a.as_str())),
            )
        })
        .collect();
    let body = html! {
        @if !errors.is_empty() { p.error role="alert" { (v.t("form-has-errors")) } }
        @if let Some(code) = errors.get("program_id") { p.error { (v.t(&format!("field-{code}"))) } }
        form.card method="post" action="/events/new" novalidate {
            (v.csrf_field())
            input type="hidden" name="program_id" value=(f.get("program_id"));
            (text("unit_code", "member-unit", None))
            (select(l, "kind", "event-kind", &kinds(v), f.get("kind"), errors.get("kind")))
            (text("name", "event-name", None))
            @for loc in crate::i18n::LOCALES {
                (field(l, &format!("name_{loc}"), &format!("drive-name-{loc}"), f.get(&format!("name_{loc}")), errors.get(&format!("names.{loc}")), "text", None))
            }
            (text("starts_on", "event-starts", Some(&hint)))
            (text("ends_on", "event-ends", Some(&hint)))
            (text("place", "event-place", None))
            (text("capacity", "event-capacity", None))
            (select(l, "audience", "event-audience", &audiences, f.get("audience"), errors.get("audience")))
            (sessions::errors(v, errors))
            div.field {
                label for="sessions" { (v.t("event-sessions-hint")) }
                textarea #sessions name="sessions" rows="4" dir="auto" { (f.get("sessions")) }
            }
            div.actions { button type="submit" { (v.t("save")) } a href="/programs" { (v.t("cancel")) } }
        }
    };
    let mut r = v.page(&v.t("event-new"), "nav-programs", body);
    if !errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

async fn new_event(v: Viewer, Query(q): Query<NewEventQuery>) -> Response {
    if !v.governs() {
        return error_page(&v, AppError::Forbidden);
    }
    let mut f = PlainForm::default();
    if let Some(p) = q.program {
        f.values.insert("program_id".into(), p.to_string());
    }
    event_form(&v, &f, &Fields::new())
}

async fn create_event(State(app): State<App>, v: Viewer, Form(f): Form<PlainForm>) -> Response {
    let capacity = match f.opt("capacity") {
        None => None,
        Some(c) => match muster_domain::names::digits_to_ascii(&c)
            .trim()
            .parse::<i64>()
        {
            Ok(n) => Some(n),
            Err(_) => {
                return event_form(
                    &v,
                    &f,
                    &Fields::from([("capacity".into(), "out_of_range".into())]),
                )
            }
        },
    };
    let input = EventInput {
        program_id: f.opt("program_id").and_then(|p| p.parse().ok()),
        unit_code: f.opt("unit_code"),
        kind: Some(f.get("kind").to_string()),
        name: Some(f.get("name").to_string()),
        names: names_of(&f),
        starts_on: Some(v.lang.iso_date(f.get("starts_on"))),
        ends_on: f.opt("ends_on").map(|d| v.lang.iso_date(&d)),
        place: f.opt("place"),
        capacity,
        audience: f.opt("audience"),
        registration_opens: None,
        registration_closes: None,
        sessions: sessions::parse(&v.lang, f.get("sessions")),
    };
    match app.create_event(&v.actor, input).await {
        Ok(e) => redirect_with_flash(&format!("/events/{}", e.id), "flash-event-saved"),
        Err(AppError::Invalid(errors)) => event_form(&v, &f, &errors),
        Err(e) => error_page(&v, e),
    }
}

/// The dashboard's rows for a file: a unit's subtree and each unit below it, events by
/// kind in the reader's language, then the counts; the program's days in the reader's
/// calendar as dates.
fn export_rows(v: &Viewer, d: &muster_app::events::ProgramDashboard) -> Vec<Vec<Cell>> {
    let mut header: Vec<Cell> = [
        "program-name",
        "program-starts",
        "program-ends",
        "member-unit",
    ]
    .iter()
    .map(|k| Cell::Text(v.t(k)))
    .collect();
    header.extend(
        EventKind::ALL
            .iter()
            .map(|k| Cell::Text(v.t(&format!("event-kind-{}", k.as_str())))),
    );
    header.extend(
        [
            "program-events",
            "event-held",
            "event-came",
            "event-members",
            "event-women",
            "event-recruited",
            "honor-awarded",
            "competition-finished-count",
        ]
        .iter()
        .map(|k| Cell::Text(v.t(k))),
    );
    let mut rows = vec![header];
    for r in &d.rows {
        let mut row = vec![
            Cell::Text(program_name(v, &d.program).to_string()),
            Cell::Date(d.program.starts_on.clone()),
            Cell::Date(d.program.ends_on.clone()),
            Cell::Text(r.unit_code.clone()),
        ];
        row.extend(
            EventKind::ALL
                .iter()
                .map(|k| Cell::Number(r.events.get(k.as_str()).copied().unwrap_or(0) as f64)),
        );
        for n in [
            r.events.values().sum::<i64>(),
            r.held,
            r.came,
            r.members,
            r.women,
            r.recruited,
            r.honors,
            r.competitions,
        ] {
            row.push(Cell::Number(n as f64));
        }
        rows.push(row);
    }
    rows
}

async fn dashboard_for_file(
    app: &App,
    v: &Viewer,
    id: &str,
    q: &DashboardQuery,
) -> Result<muster_app::events::ProgramDashboard, AppError> {
    let id = crate::api::extract::path_id(id, "program")?;
    app.program_dashboard(&v.actor, id, q).await
}

async fn export_csv(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<String>,
    Query(q): Query<DashboardQuery>,
) -> Response {
    let d = match dashboard_for_file(&app, &v, &id, &q).await {
        Ok(d) => d,
        Err(e) => return error_page(&v, e),
    };
    let rows = crate::xlsx::csv_rows(export_rows(&v, &d), &v.lang);
    csv_response(
        &format!("program-{}-{}", d.program.id, d.unit_code),
        rows,
        false,
    )
}

async fn export_xlsx(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<String>,
    Query(q): Query<DashboardQuery>,
) -> Response {
    let d = match dashboard_for_file(&app, &v, &id, &q).await {
        Ok(d) => d,
        Err(e) => return error_page(&v, e),
    };
    xlsx::response(
        &format!("program-{}-{}", d.program.id, d.unit_code),
        &d.unit_code,
        &export_rows(&v, &d),
        v.lang.dir() == "rtl",
    )
}
