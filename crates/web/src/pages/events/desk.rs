//! An event's page (who registered or came, registering someone, the closing report)
//! and its check-in desk, laid out for a phone: a search box that takes a ticket code
//! from a scanner, a member number, a phone or a name in any script; a walk-in form;
//! a paper list typed in afterwards.

use super::super::layout::{error_page, field, redirect_with_flash, select, PlainForm, Viewer};
use super::event_name;
use crate::api::extract::path_id;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use maud::{html, Markup};
use muster_app::events::{
    BulkCheckIn, BulkLine, CheckIn, EventView, ParticipantInput, ReportInput, WalkIn,
};
use muster_app::{App, AppError, Fields};
use muster_domain::events::Role;

fn event_id(id: &str) -> Result<i64, AppError> {
    path_id(id, "event")
}

/// The event of a path, if the reader may see it.
async fn event_of(app: &App, v: &Viewer, id: &str) -> Result<EventView, AppError> {
    app.event(&v.actor, event_id(id)?).await
}

fn report_view(v: &Viewer, e: &EventView) -> Markup {
    let l = &v.lang;
    html! {
        @if let Some(r) = &e.report {
            section.card #report {
                h2 { (v.t("event-report")) }
                dl.details {
                    div { dt { (v.t("event-came")) } dd { (l.number(r.came)) } }
                    div { dt { (v.t("event-members")) } dd { (l.number(r.members)) } }
                    div { dt { (v.t("event-non-members")) } dd { (l.number(r.non_members)) } }
                    div { dt { (v.t("event-women")) } dd { (l.number(r.women)) } }
                    div { dt { (v.t("event-recruited")) } dd { (l.number(r.recruited)) } }
                }
                @if !r.by_day.is_empty() {
                    ul { @for d in &r.by_day { li { (l.date(&d.day)) ": " (l.number(d.people)) } } }
                }
                @if let Some(n) = &r.notes { p { bdi { (n) } } }
                @for m in &r.media { p { a href=(m) rel="noopener" { bdi dir="ltr" { (m) } } } }
            }
        }
    }
}

fn event_page(
    v: &Viewer,
    e: &EventView,
    f: &PlainForm,
    errors: &Fields,
    status: StatusCode,
) -> Response {
    let l = &v.lang;
    let roles: Vec<(String, String)> = Role::ALL
        .iter()
        .map(|r| (r.as_str().to_string(), v.t(&format!("role-{}", r.as_str()))))
        .collect();
    // The report as filed, to be corrected, unless the form comes back refused.
    let filed = match (&e.report, f.values.is_empty()) {
        (Some(r), true) => (r.notes.clone().unwrap_or_default(), r.media.join("\n")),
        _ => (f.get("notes").to_string(), f.get("media").to_string()),
    };
    let session_errors: Fields = errors
        .iter()
        .filter(|(k, _)| k.starts_with("sessions"))
        .map(|(k, c)| (k.clone(), c.clone()))
        .collect();
    let body = html! {
        p.muted {
            bdi dir="ltr" { (e.unit_code) } " · " (v.t(&format!("event-kind-{}", e.kind))) " · "
            (l.date(&e.starts_on)) @if e.ends_on != e.starts_on { " – " (l.date(&e.ends_on)) }
            @if let Some(p) = &e.place { " · " bdi { (p) } }
            @if let Some(p) = e.program_id { " · " a href=(format!("/programs/{p}")) { (v.t("event-program")) } }
        }
        p { (v.t("event-holding")) ": " (l.number(e.holding)) @if let Some(c) = e.capacity { " / " (l.number(c)) }
            @if e.waitlisted > 0 { " · " (v.t("pstatus-waitlisted")) ": " (l.number(e.waitlisted)) } }
        p.actions {
            a.button #open-desk href=(format!("/events/{}/desk", e.id)) { (v.t("event-desk")) }
            a href=(format!("/events/{}/tickets", e.id)) { (v.t("event-tickets")) }
        }
        (report_view(v, e))
        (super::sessions::agenda(v, e))
        @if v.governs() { (super::sessions::form(v, e, f, &session_errors)) }
        h2 { (v.t("event-participants")) }
        @if e.participants.is_empty() { p.empty { (v.t("event-no-participants")) } } @else {
            table #participants {
                thead { tr { th { (v.t("member-name")) } th { (v.t("participant-role")) } th { (v.t("participant-status")) } th.num { (v.t("participant-days")) } th { (v.t("event-ticket")) } } }
                tbody { @for p in &e.participants { tr {
                    td data-label=(v.t("member-name")) {
                        @if let Some(id) = p.person_id { a href=(format!("/members/{id}")) { bdi { (p.name) } } } @else { bdi { (p.name) } }
                        @if p.recruited { " " span.tag.ok { (v.t("event-recruited-tag")) } }
                    }
                    td data-label=(v.t("participant-role")) { (v.t(&format!("role-{}", p.role))) }
                    td data-label=(v.t("participant-status")) { (v.t(&format!("pstatus-{}", p.status))) }
                    td.num data-label=(v.t("participant-days")) { (l.number(p.days)) }
                    td data-label=(v.t("event-ticket")) { code dir="ltr" { (p.ticket) } }
                } } }
            }
        }
        @if v.actor.role().edits_registry() {
            @if !errors.is_empty() { p.error role="alert" { (v.t("form-has-errors")) } }
            h2 { (v.t("event-register")) }
            form.card #register-form method="post" action=(format!("/events/{}/participants", e.id)) novalidate {
                (v.csrf_field())
                (field(l, "member_number", "event-member-number", f.get("member_number"), errors.get("member_number").or(errors.get("person_id")), "text", None))
                (field(l, "outside_name", "event-outside-name", f.get("outside_name"), errors.get("outside_name"), "text", None))
                (select(l, "role", "participant-role", &roles, f.get("role"), errors.get("role")))
                div.actions { button type="submit" { (v.t("event-register")) } }
            }
        }
        @if v.governs() {
            h2 { (v.t("event-report-file")) }
            form.card #report-form method="post" action=(format!("/events/{}/report", e.id)) novalidate {
                (v.csrf_field())
                div.field.invalid[errors.contains_key("notes")] {
                    label for="reportnotes" { (v.t("event-report-notes")) }
                    textarea #reportnotes name="notes" rows="4" { (filed.0) }
                }
                div.field.invalid[errors.contains_key("media")] {
                    label for="reportmedia" { (v.t("event-report-media")) }
                    textarea #reportmedia name="media" rows="3" dir="ltr" { (filed.1) }
                    @if let Some(code) = errors.get("media") { p.error { (v.t(&format!("field-{code}"))) } }
                }
                div.actions { button type="submit" { (v.t("event-report-file")) } }
            }
        }
    };
    let mut r = v.page(event_name(v, e), "nav-programs", body);
    *r.status_mut() = status;
    r
}

/// The event's page with the sessions' form refused.
pub(super) fn page_with_sessions(
    v: &Viewer,
    e: &EventView,
    f: &PlainForm,
    errors: &Fields,
) -> Response {
    event_page(v, e, f, errors, StatusCode::UNPROCESSABLE_ENTITY)
}

pub(super) async fn show(State(app): State<App>, v: Viewer, Path(id): Path<String>) -> Response {
    let id = match event_id(&id) {
        Ok(id) => id,
        Err(e) => return error_page(&v, e),
    };
    match app.event(&v.actor, id).await {
        Ok(e) => event_page(
            &v,
            &e,
            &PlainForm::default(),
            &Fields::new(),
            StatusCode::OK,
        ),
        Err(e) => error_page(&v, e),
    }
}

/// Answers a form's refusal with the event's page again, its fields marked.
async fn again(app: &App, v: &Viewer, id: i64, f: &PlainForm, err: AppError) -> Response {
    let errors = match super::super::layout::refusal(err) {
        Ok(errors) => errors,
        Err(e) => return error_page(v, e),
    };
    match app.event(&v.actor, id).await {
        Ok(e) => event_page(v, &e, f, &errors, StatusCode::UNPROCESSABLE_ENTITY),
        Err(e) => error_page(v, e),
    }
}

pub(super) async fn register(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let id = match event_id(&id) {
        Ok(id) => id,
        Err(e) => return error_page(&v, e),
    };
    let input = ParticipantInput {
        member_number: f
            .opt("member_number")
            .map(|n| muster_domain::names::digits_to_ascii(&n)),
        outside_name: f.opt("outside_name"),
        role: f.opt("role"),
        ..ParticipantInput::default()
    };
    match app.register_participant(&v.actor, id, input).await {
        Ok(_) => redirect_with_flash(&format!("/events/{id}"), "flash-participant-registered"),
        Err(e) => again(&app, &v, id, &f, e).await,
    }
}

pub(super) async fn report(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let id = match event_id(&id) {
        Ok(id) => id,
        Err(e) => return error_page(&v, e),
    };
    let input = ReportInput {
        notes: f.opt("notes"),
        media: f.opt("media"),
    };
    match app.close_event(&v.actor, id, input).await {
        Ok(_) => redirect_with_flash(&format!("/events/{id}#report"), "flash-event-report-filed"),
        Err(e) => again(&app, &v, id, &f, e).await,
    }
}

#[derive(serde::Deserialize, Default)]
pub(super) struct DeskQuery {
    q: Option<String>,
    day: Option<String>,
}

/// The desk: what was typed or scanned, looked for among the participants (ticket,
/// member number, phone, name) and in the registry (any script), each with a button.
#[allow(clippy::too_many_arguments)]
fn desk_page(
    v: &Viewer,
    e: &EventView,
    q: &str,
    day: &str,
    found: &[(Option<i64>, Option<i64>, String, String)],
    message: Option<Markup>,
    lines: &[BulkLine],
    errors: &Fields,
) -> Response {
    let l = &v.lang;
    // The day as the reader writes it, read back by `desk_day`.
    let shown_day = l.date(day);
    let day_field = |_: &str| html! { input type="hidden" name="day" value=(shown_day); };
    let body = html! {
        p.muted { a href=(format!("/events/{}", e.id)) { bdi { (event_name(v, e)) } } " · " (l.date(&e.starts_on)) @if e.ends_on != e.starts_on { " – " (l.date(&e.ends_on)) } }
        @if let Some(m) = message { (m) }
        @if let Some(code) = errors.values().next() { p.error role="alert" { (v.t(&format!("field-{code}"))) } }
        form.card.desk #desk-search method="get" action=(format!("/events/{}/desk", e.id)) {
            div.field {
                label for="deskq" { (v.t("desk-search")) }
                input #deskq name="q" type="search" value=(q) autofocus autocomplete="off" inputmode="search" placeholder=(v.t("desk-search-hint"));
            }
            (field(l, "day", "desk-day", &shown_day, None, "text", Some(&l.date_hint())))
            div.actions { button type="submit" { (v.t("members-search-submit")) } }
        }
        @if !q.is_empty() || !found.is_empty() {
            @if found.is_empty() { p.empty #desk-none { (v.t("desk-nobody")) } }
            ul.desk-results { @for (participant, person, name, detail) in found {
                li { form method="post" action=(format!("/events/{}/desk/check-in", e.id)) {
                    (v.csrf_field())
                    (day_field(day))
                    @if let Some(p) = participant { input type="hidden" name="participant_id" value=(p); }
                    @if let Some(p) = person { input type="hidden" name="person_id" value=(p); }
                    span { bdi { (name) } " " span.muted { bdi dir="ltr" { (detail) } } }
                    button type="submit" { (v.t("desk-check-in")) }
                } }
            } }
        }
        details #walk-in {
            summary { (v.t("desk-walk-in")) }
            form.card method="post" action=(format!("/events/{}/desk/walk-in", e.id)) novalidate {
                (v.csrf_field())
                (day_field(day))
                (field(l, "full_name", "member-name", "", errors.get("full_name"), "text", None))
                (field(l, "phone", "member-phone", "", errors.get("phone"), "tel", None))
                label.check { input type="checkbox" name="join" value="on"; " " (v.t("desk-join")) }
                div.actions { button type="submit" { (v.t("desk-walk-in")) } }
            }
        }
        details #paper-list open[!lines.is_empty()] {
            summary { (v.t("desk-list")) }
            form.card method="post" action=(format!("/events/{}/desk/list", e.id)) {
                (v.csrf_field())
                (day_field(day))
                p.hint { (v.t("desk-list-hint")) }
                textarea #desklines name="lines" rows="6" dir="ltr" {}
                div.actions { button type="submit" { (v.t("desk-check-in")) } }
            }
            @if !lines.is_empty() {
                table #list-results { tbody { @for r in lines { tr {
                    td.num { (l.number(r.line as i64)) } td { bdi dir="ltr" { (r.text) } }
                    td { (v.t(&format!("desk-result-{}", r.result))) @if let Some(n) = &r.name { " · " bdi { (n) } } }
                } } } }
            }
        }
    };
    let mut r = v.page(&v.t("event-desk"), "nav-programs", body);
    if !errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

/// The day a desk works on: the one asked for, today when it is one of the event's
/// days, else the event's first.
fn desk_day(v: &Viewer, e: &EventView, asked: Option<&str>) -> String {
    if let Some(d) = asked.map(str::trim).filter(|d| !d.is_empty()) {
        return v.lang.iso_date(d);
    }
    let today = muster_domain::Date::today().to_string();
    if e.starts_on <= today && today <= e.ends_on {
        today
    } else {
        e.starts_on.clone()
    }
}

pub(super) async fn desk(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<String>,
    Query(dq): Query<DeskQuery>,
) -> Response {
    let e = match event_of(&app, &v, &id).await {
        Ok(e) => e,
        Err(err) => return error_page(&v, err),
    };
    let q = dq.q.unwrap_or_default().trim().to_string();
    let day = desk_day(&v, &e, dq.day.as_deref());
    let mut found = Vec::new();
    if !q.is_empty() {
        // A scanned ticket checks in at once.
        if let Some(code) = muster_domain::events::parse_ticket(&q) {
            if e.participants.iter().any(|p| p.ticket == code) {
                let input = CheckIn {
                    ticket: Some(code),
                    day: Some(day.clone()),
                    ..CheckIn::default()
                };
                return checked_in(&app, &v, &e, input, &day).await;
            }
        }
        let digits = muster_domain::names::digits_to_ascii(&q);
        let folded = muster_domain::names::fold(&q);
        for p in &e.participants {
            if p.member_number.as_deref() == Some(digits.as_str())
                || muster_domain::names::fold(&p.name).contains(&folded)
            {
                let detail = format!(
                    "{} {}",
                    p.member_number.clone().unwrap_or_default(),
                    v.t(&format!("pstatus-{}", p.status))
                );
                found.push((Some(p.id), None, p.name.clone(), detail));
            }
        }
        if let Ok(items) = app.desk_lookup(&v.actor, &q).await {
            for m in items {
                if !e.participants.iter().any(|p| p.person_id == Some(m.id)) {
                    let detail = format!(
                        "{} {}",
                        m.member_number.clone().unwrap_or_default(),
                        m.unit_code
                    );
                    found.push((None, Some(m.id), m.full_name.clone(), detail));
                }
            }
        }
    }
    desk_page(&v, &e, &q, &day, &found, None, &[], &Fields::new())
}

async fn checked_in(app: &App, v: &Viewer, e: &EventView, input: CheckIn, day: &str) -> Response {
    match app.check_in(&v.actor, e.id, input).await {
        Ok(a) => {
            let key = if a.already {
                "desk-already"
            } else {
                "desk-checked-in"
            };
            let message = html! { p.flash #desk-done role="status" { (v.lang.t_args(key, &[("name", a.participant.name.clone())])) } };
            match app.event(&v.actor, e.id).await {
                Ok(e) => desk_page(v, &e, "", day, &[], Some(message), &[], &Fields::new()),
                Err(err) => error_page(v, err),
            }
        }
        Err(AppError::Invalid(errors)) => desk_page(v, e, "", day, &[], None, &[], &errors),
        Err(AppError::Conflict { field, code }) => desk_page(
            v,
            e,
            "",
            day,
            &[],
            None,
            &[],
            &Fields::from([(field, code)]),
        ),
        Err(err) => error_page(v, err),
    }
}

pub(super) async fn check_in(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let e = match event_of(&app, &v, &id).await {
        Ok(e) => e,
        Err(err) => return error_page(&v, err),
    };
    let day = desk_day(&v, &e, f.opt("day").as_deref());
    let input = CheckIn {
        participant_id: f.opt("participant_id").and_then(|p| p.parse().ok()),
        person_id: f.opt("person_id").and_then(|p| p.parse().ok()),
        ticket: f.opt("ticket"),
        day: Some(day.clone()),
    };
    checked_in(&app, &v, &e, input, &day).await
}

pub(super) async fn walk_in(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let e = match event_of(&app, &v, &id).await {
        Ok(e) => e,
        Err(err) => return error_page(&v, err),
    };
    let id = e.id;
    let day = desk_day(&v, &e, f.opt("day").as_deref());
    let input = WalkIn {
        full_name: f.opt("full_name"),
        phone: f.opt("phone"),
        join: f.on("join"),
        day: Some(day.clone()),
        ..WalkIn::default()
    };
    match app.walk_in(&v.actor, id, input).await {
        Ok(a) => {
            let message = html! { p.flash #desk-done role="status" { (v.lang.t_args("desk-checked-in", &[("name", a.participant.name.clone())])) } };
            match app.event(&v.actor, id).await {
                Ok(e) => desk_page(&v, &e, "", &day, &[], Some(message), &[], &Fields::new()),
                Err(err) => error_page(&v, err),
            }
        }
        // Likely already registered: offered to be checked in as the member they are.
        Err(AppError::LikelyDuplicate(found)) => {
            let found: Vec<_> = found
                .into_iter()
                .map(|d| (None, Some(d.id), d.full_name.clone(), d.unit_code.clone()))
                .collect();
            let message =
                html! { p.warning #desk-duplicate role="alert" { (v.t("desk-looks-like")) } };
            desk_page(&v, &e, "", &day, &found, Some(message), &[], &Fields::new())
        }
        Err(AppError::Invalid(errors)) => desk_page(&v, &e, "", &day, &[], None, &[], &errors),
        Err(err) => error_page(&v, err),
    }
}

pub(super) async fn list(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let e = match event_of(&app, &v, &id).await {
        Ok(e) => e,
        Err(err) => return error_page(&v, err),
    };
    let id = e.id;
    let day = desk_day(&v, &e, f.opt("day").as_deref());
    let input = BulkCheckIn {
        day: Some(day.clone()),
        lines: f.get("lines").to_string(),
    };
    match app.bulk_check_in(&v.actor, id, input).await {
        Ok(lines) => match app.event(&v.actor, id).await {
            Ok(e) => desk_page(&v, &e, "", &day, &[], None, &lines, &Fields::new()),
            Err(err) => error_page(&v, err),
        },
        Err(AppError::Invalid(errors)) => desk_page(&v, &e, "", &day, &[], None, &[], &errors),
        Err(err) => error_page(&v, err),
    }
}

#[derive(serde::Deserialize, Default)]
pub(super) struct TicketQuery {
    participant: Option<i64>,
}

/// A QR code of a ticket's code as inline SVG: the code alone, which names no one.
pub(crate) fn qr(code: &str) -> maud::PreEscaped<String> {
    use qrcode::render::svg;
    let svg = qrcode::QrCode::with_error_correction_level(code.as_bytes(), qrcode::EcLevel::M)
        .map(|q| {
            q.render::<svg::Color>()
                .min_dimensions(160, 160)
                .quiet_zone(true)
                .build()
        })
        .unwrap_or_default();
    // The renderer's XML declaration has no place inside HTML.
    let svg = match svg.find("<svg") {
        Some(i) => svg[i..].to_string(),
        None => svg,
    };
    maud::PreEscaped(svg)
}

/// Printable tickets or badges: each with the event, the person, their role and the
/// QR of their ticket's code, which a scanner types into the desk's search field.
pub(super) async fn tickets(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<String>,
    Query(q): Query<TicketQuery>,
) -> Response {
    let e = match event_of(&app, &v, &id).await {
        Ok(e) => e,
        Err(err) => return error_page(&v, err),
    };
    let l = &v.lang;
    let people: Vec<_> = e
        .participants
        .iter()
        .filter(|p| p.status != "cancelled" && q.participant.is_none_or(|only| only == p.id))
        .collect();
    let body = html! {
        p.actions.no-print { a href=(format!("/events/{}", e.id)) { bdi { (event_name(&v, &e)) } } }
        div.tickets { @for p in &people {
            article.ticket {
                div.ticket-qr { (qr(&p.ticket)) }
                div.ticket-text {
                    p.ticket-event { bdi { (event_name(&v, &e)) } }
                    p.muted { (l.date(&e.starts_on)) @if e.ends_on != e.starts_on { " – " (l.date(&e.ends_on)) } @if let Some(pl) = &e.place { " · " bdi { (pl) } } }
                    p.ticket-name { bdi { (p.name) } }
                    p { (v.t(&format!("role-{}", p.role))) @if let Some(n) = &p.member_number { " · " bdi dir="ltr" { (n) } } }
                    p { code dir="ltr" { (p.ticket) } }
                }
            }
        } }
    };
    v.page(&v.t("event-tickets"), "nav-programs", body)
}
