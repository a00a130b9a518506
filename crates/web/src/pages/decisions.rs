//! Decisions and action items on the pages: recording a decision at a meeting with the
//! items it sends down, a decision's completion unit by unit, a unit's items and the
//! overdue ones, and an item's page where its holders record progress or split it.

use super::layout::{error_page, field, redirect_with_flash, select, PlainForm, Viewer};
use crate::api::extract::path_id;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use maud::{html, Markup};
use muster_app::decisions::{
    ActionInput, ActionQuery, ActionView, DecisionInput, DecisionView, ProgressInput, SplitInput,
};
use muster_app::meetings::MeetingView;
use muster_app::{App, AppError, Fields};
use muster_domain::governance::{ActionStatus, Outcome};

page_routes! {
    "/meetings/{id}/decisions" => post(record),
    "/decisions/{id}" => get(show),
    "/action-items" => get(list),
    "/action-items/overdue" => get(overdue),
    "/action-items/{id}" => get(item),
    "/action-items/{id}/progress" => post(progress),
    "/action-items/{id}/split" => post(split),
}

/// Rows of items a form offers at once.
const ROWS: usize = 3;

fn number(text: &str) -> Option<i64> {
    muster_domain::names::digits_to_ascii(text.trim())
        .parse()
        .ok()
}

/// Item rows typed in a form: `{prefix}unit{i}`, `{prefix}title{i}`, `{prefix}due{i}`;
/// empty rows are skipped.
fn action_rows(v: &Viewer, f: &PlainForm, prefix: &str) -> Vec<ActionInput> {
    (0..ROWS)
        .filter_map(|i| {
            let unit = f.opt(&format!("{prefix}unit{i}"));
            let due = f.opt(&format!("{prefix}due{i}"));
            (unit.is_some() || due.is_some()).then(|| ActionInput {
                title: f.opt(&format!("{prefix}title{i}")),
                unit_code: unit,
                person_id: None,
                due_on: due.map(|d| v.lang.iso_date(&d)),
            })
        })
        .collect()
}

fn action_fields(v: &Viewer, f: &PlainForm, errors: &Fields, prefix: &str, list: &str) -> Markup {
    let l = &v.lang;
    let hint = l.date_hint();
    html! {
        fieldset.rows {
            legend { (v.t("action-items")) }
            @for i in 0..ROWS {
                div.row {
                    (field(l, &format!("{prefix}unit{i}"), "action-unit", f.get(&format!("{prefix}unit{i}")), errors.get(&format!("{list}.{}.unit_code", i + 1)), "text", None))
                    (field(l, &format!("{prefix}title{i}"), "action-title", f.get(&format!("{prefix}title{i}")), errors.get(&format!("{list}.{}.title", i + 1)), "text", None))
                    (field(l, &format!("{prefix}due{i}"), "action-due", f.get(&format!("{prefix}due{i}")), errors.get(&format!("{list}.{}.due_on", i + 1)), "text", Some(&hint)))
                }
            }
        }
    }
}

/// The decision form of a meeting's page.
pub(super) fn decision_form(v: &Viewer, m: &MeetingView, f: &PlainForm, errors: &Fields) -> Markup {
    let l = &v.lang;
    let items: Vec<(String, String)> = m
        .agenda
        .iter()
        .map(|a| {
            (
                a.id.to_string(),
                format!("{}. {}", l.digits(&a.label), a.title),
            )
        })
        .collect();
    let outcomes: Vec<(String, String)> = Outcome::ALL
        .iter()
        .map(|o| {
            (
                o.as_str().to_string(),
                v.t(&format!("outcome-{}", o.as_str())),
            )
        })
        .collect();
    html! {
        form.card #decision-form method="post" action=(format!("/meetings/{}/decisions", m.id)) novalidate {
            (v.csrf_field())
            @if !errors.is_empty() { p.error role="alert" { (v.t("form-has-errors")) } }
            (select(l, "item_id", "decision-item", &items, f.get("item_id"), errors.get("item_id")))
            div.field.invalid[errors.contains_key("text")] {
                label for="decisiontext" { (v.t("decision-text")) }
                textarea #decisiontext name="text" rows="3" { (f.get("text")) }
                @if let Some(code) = errors.get("text") { p.error { (v.t(&format!("field-{code}"))) } }
            }
            (select(l, "outcome", "decision-outcome", &outcomes, if f.get("outcome").is_empty() { "adopted" } else { f.get("outcome") }, errors.get("outcome")))
            p.hint { (v.t("decision-votes-hint")) }
            div.row {
                (field(l, "votes_for", "decision-for", f.get("votes_for"), errors.get("votes_for"), "text", None))
                (field(l, "votes_against", "decision-against", f.get("votes_against"), errors.get("votes_against"), "text", None))
                (field(l, "votes_abstain", "decision-abstain", f.get("votes_abstain"), errors.get("votes_abstain"), "text", None))
            }
            @if !m.quorum.quorate {
                (field(l, "quorum_note", "decision-quorum-note", f.get("quorum_note"), errors.get("quorum_note"), "text", None))
            }
            (action_fields(v, f, errors, "a", "actions"))
            div.actions { button type="submit" { (v.t("decision-record")) } }
        }
    }
}

/// A decision in a line: its number, text, outcome and votes.
pub(super) fn decision_line(v: &Viewer, d: &DecisionView) -> Markup {
    let l = &v.lang;
    html! {
        p.decision {
            a href=(format!("/decisions/{}", d.id)) { strong { (v.t("decision-no")) " " bdi dir="ltr" { (l.digits(&d.label)) } } }
            " · " bdi { (d.text) } " · " (v.t(&format!("outcome-{}", d.outcome)))
            " · "
            @if d.consensus { (v.t("decision-consensus")) } @else {
                (l.t_args("decision-votes", &[
                    ("for", l.number(d.votes_for.unwrap_or(0))),
                    ("against", l.number(d.votes_against.unwrap_or(0))),
                    ("abstain", l.number(d.votes_abstain.unwrap_or(0))),
                ]))
            }
            @if d.without_quorum { " " span.tag.warn { (v.t("decision-without-quorum")) } }
        }
    }
}

fn status_tag(v: &Viewer, a: &ActionView) -> Markup {
    html! {
        span class=(format!("report {}", match a.status.as_str() {
            "done" => "accepted",
            "cancelled" => "missing",
            _ if a.overdue => "returned",
            _ => "submitted",
        })) { (v.t(&format!("action-status-{}", a.status))) }
        @if a.overdue { " " span.tag.warn { (v.t("action-overdue")) } }
    }
}

/// Items as a table; with `tree`, each indented under the item it was split from.
pub(super) fn action_table(v: &Viewer, items: &[ActionView], tree: bool) -> Markup {
    let l = &v.lang;
    let depth = |a: &ActionView| -> usize {
        let mut d = 0;
        let mut parent = a.parent_id;
        while let Some(p) = parent {
            d += 1;
            parent = items.iter().find(|x| x.id == p).and_then(|x| x.parent_id);
            if d > 10 {
                break;
            }
        }
        d
    };
    html! {
        table.actions-table {
            thead { tr {
                th { (v.t("action-unit")) } th { (v.t("action-title")) } th { (v.t("action-due")) }
                th { (v.t("action-status")) } th.num { (v.t("action-children-done")) }
            } }
            tbody { @for a in items { tr {
                td data-label=(v.t("action-unit")) style=[tree.then(|| format!("padding-inline-start: {}px", 8 + 24 * depth(a)))] {
                    bdi dir="ltr" { (a.unit_code) }
                    @if let Some(p) = &a.person_name { " · " bdi { (p) } }
                }
                td data-label=(v.t("action-title")) { a href=(format!("/action-items/{}", a.id)) { bdi { (a.title) } } }
                td data-label=(v.t("action-due")) { (l.date(&a.due_on)) }
                td data-label=(v.t("action-status")) { (status_tag(v, a)) }
                td.num data-label=(v.t("action-children-done")) {
                    @if a.children > 0 { (l.percent(a.children_done_share)) }
                }
            } } }
        }
    }
}

async fn record(
    State(app): State<App>,
    v: Viewer,
    Path(m): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let meeting = match path_id(&m, "meeting") {
        Ok(m) => m,
        Err(e) => return error_page(&v, e),
    };
    let input = DecisionInput {
        meeting_id: Some(meeting),
        item_id: f.opt("item_id").and_then(|i| i.parse().ok()),
        text: Some(f.get("text").to_string()),
        outcome: f.opt("outcome"),
        votes_for: f.opt("votes_for").and_then(|n| number(&n)),
        votes_against: f.opt("votes_against").and_then(|n| number(&n)),
        votes_abstain: f.opt("votes_abstain").and_then(|n| number(&n)),
        quorum_note: f.opt("quorum_note"),
        actions: action_rows(&v, &f, "a"),
    };
    match app.record_decision(&v.actor, input).await {
        Ok(d) => redirect_with_flash(
            &format!("/meetings/{meeting}#decisions"),
            if d.without_quorum {
                "flash-decision-without-quorum"
            } else {
                "flash-decision-saved"
            },
        ),
        Err(AppError::Invalid(errors)) => match app.meeting(&v.actor, meeting).await {
            Ok(m) => super::meetings::page_with_decision_errors(&v, &m, &f, &errors),
            Err(e) => error_page(&v, e),
        },
        Err(e) => error_page(&v, e),
    }
}

async fn show(State(app): State<App>, v: Viewer, Path(d): Path<String>) -> Response {
    let d = match path_id(&d, "decision") {
        Ok(d) => d,
        Err(e) => return error_page(&v, e),
    };
    let d = match app.decision(&v.actor, d).await {
        Ok(d) => d,
        Err(e) => return error_page(&v, e),
    };
    let l = &v.lang;
    let body = html! {
        p {
            a href=(format!("/meetings/{}", d.meeting_id)) { bdi { (d.committee_name) } " · " (super::meetings::when(&v, &d.meeting_starts_at)) }
        }
        (decision_line(&v, &d))
        @if let Some(note) = &d.quorum_note { p.muted { (v.t("decision-quorum-note")) ": " bdi { (note) } } }
        @if !d.programs.is_empty() {
            h2 { (v.t("decision-programs")) }
            ul #decision-programs { @for p in &d.programs {
                li { a href=(format!("/programs/{}", p.id)) { bdi { (p.name) } } " · " bdi dir="ltr" { (p.unit_code) } }
            } }
        }
        @if v.governs() { p.actions { a #declare-program href=(format!("/programs/new?decision={}", d.id)) { (v.t("decision-declare-program")) } } }
        h2 { (v.t("decision-completion")) }
        @if d.actions.is_empty() { p.empty { (v.t("action-none")) } } @else {
            p #done-share { (l.t_args("decision-done-share", &[("share", l.percent(d.done_share))])) }
            (action_table(&v, &d.actions, true))
        }
    };
    v.page(
        &format!("{} {}", v.t("decision-no"), l.digits(&d.label)),
        "nav-committees",
        body,
    )
}

#[derive(serde::Deserialize, Default)]
struct ListQuery {
    unit: Option<String>,
    as_of: Option<String>,
}

async fn listing(app: &App, v: &Viewer, q: ListQuery, overdue: bool) -> Response {
    let query = ActionQuery {
        unit: q.unit.clone(),
        as_of: q.as_of.as_deref().map(|d| v.lang.iso_date(d)),
        limit: Some(200),
    };
    let items = match app.list_action_items(&v.actor, &query, overdue).await {
        Ok(items) => items,
        Err(e) => return error_page(v, e),
    };
    let body = html! {
        nav.tabs {
            a href="/action-items" aria-current=[(!overdue).then_some("page")] { (v.t("action-items")) }
            a href="/action-items/overdue" aria-current=[overdue.then_some("page")] { (v.t("action-overdue-list")) }
        }
        form.filters method="get" {
            (field(&v.lang, "unit", "member-unit", q.unit.as_deref().unwrap_or(""), None, "text", None))
            div.actions { button type="submit" { (v.t("members-search-submit")) } }
        }
        @if items.is_empty() { p.empty { (v.t(if overdue { "action-none-overdue" } else { "action-none" })) } }
        @else { (action_table(v, &items, false)) }
    };
    v.page(
        &v.t(if overdue {
            "action-overdue-list"
        } else {
            "action-items"
        }),
        "nav-action-items",
        body,
    )
}

async fn list(State(app): State<App>, v: Viewer, Query(q): Query<ListQuery>) -> Response {
    listing(&app, &v, q, false).await
}

async fn overdue(State(app): State<App>, v: Viewer, Query(q): Query<ListQuery>) -> Response {
    listing(&app, &v, q, true).await
}

fn item_page(
    v: &Viewer,
    a: &ActionView,
    f: &PlainForm,
    errors: &Fields,
    status: StatusCode,
) -> Response {
    let l = &v.lang;
    let statuses: Vec<(String, String)> = ActionStatus::ALL
        .iter()
        .map(|s| {
            (
                s.as_str().to_string(),
                v.t(&format!("action-status-{}", s.as_str())),
            )
        })
        .collect();
    let open = ActionStatus::parse(&a.status).is_ok_and(ActionStatus::is_pending);
    let body = html! {
        dl.details {
            div { dt { (v.t("action-unit")) } dd { bdi dir="ltr" { (a.unit_code) } @if let Some(p) = &a.person_name { " · " bdi { (p) } } } }
            div { dt { (v.t("action-due")) } dd { (l.date(&a.due_on)) } }
            div { dt { (v.t("action-status")) } dd { (status_tag(v, a)) } }
            @if let Some(d) = &a.done_on { div { dt { (v.t("action-done-on")) } dd { (l.date(d)) } } }
            @if a.children > 0 { div { dt { (v.t("action-children-done")) } dd { (l.percent(a.children_done_share)) } } }
        }
        p {
            @if let Some(d) = a.decision_id { a href=(format!("/decisions/{d}")) { (v.t("action-decision")) } " · " }
            a href=(format!("/meetings/{}", a.meeting_id)) { (v.t("action-meeting")) }
        }
        @if !a.parts.is_empty() {
            h2 { (v.t("action-parts")) }
            (action_table(v, &a.parts, false))
        }
        @if !a.notes.is_empty() {
            h2 { (v.t("action-notes")) }
            ol.audit { @for n in &a.notes {
                li { (l.datetime(&n.at)) " · " bdi { (n.by) } " · " (v.t(&format!("action-status-{}", n.status)))
                    @if let Some(t) = &n.note { " · " bdi { (t) } } }
            } }
        }
        @if v.governs() {
            @if !errors.is_empty() { p.error role="alert" { (v.t("form-has-errors")) } }
            h2 { (v.t("action-progress")) }
            form.card #progress-form method="post" action=(format!("/action-items/{}/progress", a.id)) {
                (v.csrf_field())
                (select(l, "status", "action-status", &statuses, if f.get("status").is_empty() { a.status.as_str() } else { f.get("status") }, errors.get("status")))
                (field(l, "note", "action-note", f.get("note"), errors.get("note"), "text", None))
                (field(l, "done_on", "action-done-on", f.get("done_on"), errors.get("done_on"), "text", Some(&l.date_hint())))
                div.actions { button type="submit" { (v.t("save")) } }
            }
            @if open {
                h2 { (v.t("action-split")) }
                p.hint { (v.t("action-split-hint")) }
                form.card #split-form method="post" action=(format!("/action-items/{}/split", a.id)) novalidate {
                    (v.csrf_field())
                    (action_fields(v, f, errors, "s", "items"))
                    div.actions { button type="submit" { (v.t("action-split")) } }
                }
            }
        }
    };
    let mut r = v.page(&a.title, "nav-action-items", body);
    *r.status_mut() = status;
    r
}

async fn item(State(app): State<App>, v: Viewer, Path(a): Path<String>) -> Response {
    let a = match path_id(&a, "action item") {
        Ok(a) => a,
        Err(e) => return error_page(&v, e),
    };
    match app.action_item(&v.actor, a).await {
        Ok(a) => item_page(
            &v,
            &a,
            &PlainForm::default(),
            &Fields::new(),
            StatusCode::OK,
        ),
        Err(e) => error_page(&v, e),
    }
}

async fn progress(
    State(app): State<App>,
    v: Viewer,
    Path(a): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let a = match path_id(&a, "action item") {
        Ok(a) => a,
        Err(e) => return error_page(&v, e),
    };
    let input = ProgressInput {
        status: f.get("status").to_string(),
        note: f.opt("note"),
        done_on: f.opt("done_on").map(|d| v.lang.iso_date(&d)),
    };
    match app.record_progress(&v.actor, a, input).await {
        Ok(_) => redirect_with_flash(&format!("/action-items/{a}"), "flash-progress-saved"),
        Err(AppError::Invalid(errors)) => match app.action_item(&v.actor, a).await {
            Ok(item) => item_page(&v, &item, &f, &errors, StatusCode::UNPROCESSABLE_ENTITY),
            Err(e) => error_page(&v, e),
        },
        Err(e) => error_page(&v, e),
    }
}

async fn split(
    State(app): State<App>,
    v: Viewer,
    Path(a): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let a = match path_id(&a, "action item") {
        Ok(a) => a,
        Err(e) => return error_page(&v, e),
    };
    let input = SplitInput {
        items: action_rows(&v, &f, "s"),
    };
    match app.split_action(&v.actor, a, input).await {
        Ok(_) => redirect_with_flash(&format!("/action-items/{a}"), "flash-split-saved"),
        Err(AppError::Invalid(errors)) => match app.action_item(&v.actor, a).await {
            Ok(item) => item_page(&v, &item, &f, &errors, StatusCode::UNPROCESSABLE_ENTITY),
            Err(e) => error_page(&v, e),
        },
        Err(e) => error_page(&v, e),
    }
}
