//! Meetings on the pages: calling one with its agenda, the meeting's page with the
//! quorum first, attendance, minutes per item, finalizing and corrections, and a print
//! layout of the agenda and minutes.

use super::layout::{error_page, field, redirect_with_flash, PlainForm, Viewer};
use crate::api::extract::path_id;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use maud::{html, Markup};
use muster_app::meetings::{AgendaInput, AttendanceInput, GuestInput, MeetingInput, MeetingView};
use muster_app::{App, AppError, Fields};
use muster_domain::governance::Presence;

page_routes! {
    "/committees/{id}/meetings/new" => get(new_form).post(create),
    "/meetings/{id}" => get(show),
    "/meetings/{id}/meeting.ics" => get(ics),
    "/meetings/{id}/attendance" => post(attendance),
    "/meetings/{id}/agenda/{item}/minutes" => post(minutes),
    "/meetings/{id}/finalize" => post(finalize),
    "/meetings/{id}/correct" => post(correct),
}

/// When a meeting starts, as the reader writes days and digits.
pub(super) fn when(v: &Viewer, starts_at: &str) -> String {
    let l = &v.lang;
    let day = l.date(starts_at.get(..10).unwrap_or(""));
    match starts_at.get(11..16) {
        Some(t) if t != "00:00" => format!("{day} {}", l.digits(t)),
        _ => day,
    }
}

/// An agenda typed one item a line: a line starting with `-` is a sub-item of the item
/// above; ` | presenter | minutes` may follow the title.
/// Guests as typed, one per line: name | organization | title.
fn parse_guests(text: &str) -> Vec<GuestInput> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let mut parts = line.split('|').map(str::trim);
            let mut next = || parts.next().filter(|p| !p.is_empty()).map(String::from);
            GuestInput {
                name: next(),
                organization: next(),
                title: next(),
            }
        })
        .collect()
}

fn parse_agenda(text: &str) -> Result<Vec<AgendaInput>, Fields> {
    let mut items: Vec<AgendaInput> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (sub, line) = match line.strip_prefix(['-', '–', '•']) {
            Some(rest) => (true, rest.trim()),
            None => (false, line),
        };
        let mut parts = line.split('|').map(str::trim);
        let title = parts.next().unwrap_or("").to_string();
        let presenter = parts.next().filter(|p| !p.is_empty()).map(String::from);
        let planned = match parts.next().filter(|p| !p.is_empty()) {
            None => None,
            Some(m) => match muster_domain::names::digits_to_ascii(m).parse() {
                Ok(m) => Some(m),
                Err(_) => {
                    return Err(Fields::from([("agenda".into(), "invalid_number".into())]));
                }
            },
        };
        let item = AgendaInput {
            title: Some(title),
            presenter,
            planned_minutes: planned,
            items: Vec::new(),
        };
        match (sub, items.last_mut()) {
            (true, Some(parent)) => parent.items.push(item),
            (true, None) => {
                let _ = n;
                return Err(Fields::from([("agenda".into(), "sub_item_first".into())]));
            }
            (false, _) => items.push(item),
        }
    }
    Ok(items)
}

fn meeting_form(v: &Viewer, committee: i64, f: &PlainForm, errors: &Fields) -> Response {
    let l = &v.lang;
    let hint = l.date_hint();
    // Errors of one agenda item (`agenda.2.title`) are shown on the agenda.
    let guest_error = errors
        .iter()
        .find(|(k, _)| k.starts_with("guests"))
        .map(|(_, code)| code.clone());
    let agenda_error = errors.get("agenda").cloned().or_else(|| {
        errors
            .iter()
            .find(|(k, _)| k.starts_with("agenda."))
            .map(|(_, code)| code.clone())
    });
    let body = html! {
        @if !errors.is_empty() { p.error role="alert" { (v.t("form-has-errors")) } }
        form.card method="post" action=(format!("/committees/{committee}/meetings/new")) novalidate {
            (v.csrf_field())
            (field(l, "day", "meeting-day", f.get("day"), errors.get("day"), "text", Some(&hint)))
            (field(l, "time", "meeting-time", f.get("time"), errors.get("time"), "text", Some("10:00")))
            (field(l, "place", "meeting-place", f.get("place"), errors.get("place"), "text", None))
            div.field.invalid[agenda_error.is_some()] {
                label for="agendatext" { (v.t("meeting-agenda")) }
                textarea #agendatext name="agenda" rows="8" aria-describedby="agenda-hint" { (f.get("agenda")) }
                p.hint #agenda-hint { (v.t("meeting-agenda-hint")) }
                @if let Some(code) = &agenda_error { p.error { (v.t(&format!("field-{code}"))) } }
            }
            div.field.invalid[guest_error.is_some()] {
                label for="gueststext" { (v.t("meeting-guests")) }
                textarea #gueststext name="guests" rows="3" aria-describedby="guests-hint" { (f.get("guests")) }
                p.hint #guests-hint { (v.t("meeting-guests-hint")) }
                @if let Some(code) = &guest_error { p.error { (v.t(&format!("field-{code}"))) } }
            }
            div.actions { button type="submit" { (v.t("meeting-new")) } a href=(format!("/committees/{committee}")) { (v.t("cancel")) } }
        }
    };
    let mut r = v.page(&v.t("meeting-new"), "nav-committees", body);
    if !errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

async fn new_form(State(app): State<App>, v: Viewer, Path(c): Path<String>) -> Response {
    let c = match path_id(&c, "committee") {
        Ok(c) => c,
        Err(e) => return error_page(&v, e),
    };
    if let Err(e) = app.committee(&v.actor, c).await {
        return error_page(&v, e);
    }
    if !v.governs() {
        return error_page(&v, AppError::Forbidden);
    }
    meeting_form(&v, c, &PlainForm::default(), &Fields::new())
}

async fn create(
    State(app): State<App>,
    v: Viewer,
    Path(c): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let c = match path_id(&c, "committee") {
        Ok(c) => c,
        Err(e) => return error_page(&v, e),
    };
    let agenda = match parse_agenda(f.get("agenda")) {
        Ok(a) => a,
        Err(errors) => return meeting_form(&v, c, &f, &errors),
    };
    let input = MeetingInput {
        committee_id: Some(c),
        day: Some(v.lang.iso_date(f.get("day"))),
        time: f.opt("time"),
        place: f.opt("place"),
        agenda,
        guests: parse_guests(f.get("guests")),
    };
    match app.create_meeting(&v.actor, input).await {
        Ok(m) => redirect_with_flash(&format!("/meetings/{}", m.id), "flash-meeting-saved"),
        Err(AppError::Invalid(errors)) if errors.contains_key("committee_id") => {
            error_page(&v, AppError::NotFound("committee"))
        }
        Err(AppError::Invalid(errors)) => meeting_form(&v, c, &f, &errors),
        Err(e) => error_page(&v, e),
    }
}

async fn load(app: &App, v: &Viewer, m: &str) -> Result<MeetingView, AppError> {
    app.meeting(&v.actor, path_id(m, "meeting")?).await
}

async fn show(State(app): State<App>, v: Viewer, Path(m): Path<String>) -> Response {
    match load(&app, &v, &m).await {
        Ok(m) => meeting_page(
            &v,
            &m,
            &Fields::new(),
            &PlainForm::default(),
            &Fields::new(),
        ),
        Err(e) => error_page(&v, e),
    }
}

/// The meeting's page again with the decision form's errors.
pub(super) fn page_with_decision_errors(
    v: &Viewer,
    m: &MeetingView,
    f: &PlainForm,
    errors: &Fields,
) -> Response {
    meeting_page(v, m, &Fields::new(), f, errors)
}

fn quorum_banner(v: &Viewer, m: &MeetingView) -> Markup {
    let l = &v.lang;
    let q = &m.quorum;
    html! {
        p #quorum class=(if q.quorate { "quorum quorate" } else { "quorum short" }) role="status" {
            strong { (v.t(if q.quorate { "meeting-quorate" } else { "meeting-not-quorate" })) }
            " · "
            (l.t_args("meeting-quorum-count", &[
                ("present", l.number(q.present)), ("voting", l.number(q.voting)), ("needed", l.number(q.needed)),
            ]))
        }
    }
}

fn meeting_page(
    v: &Viewer,
    m: &MeetingView,
    errors: &Fields,
    decision: &PlainForm,
    decision_errors: &Fields,
) -> Response {
    let l = &v.lang;
    let open = m.status != "finalized";
    let edit = open && v.governs();
    let presences: Vec<&str> = Presence::ALL.iter().map(|p| p.as_str()).collect();
    let body = html! {
        p.meeting-head {
            a href=(format!("/committees/{}", m.committee_id)) { bdi { (m.committee_name) } }
            " · " (when(v, &m.starts_at))
            @if let Some(p) = &m.place { " · " bdi { (p) } }
            @if let Some(n) = m.number { " · " (l.t_args("meeting-number", &[("number", l.number(n))])) }
            " · " span.tag #meeting-status { (v.t(&format!("meeting-status-{}", m.status))) }
        }
        (quorum_banner(v, m))
        p.actions.no-print {
            a href=(format!("/meetings/{}/meeting.ics", m.id)) { (v.t("meeting-ics")) }
            span.muted { (v.t("meeting-print")) }
        }
        @if !errors.is_empty() { p.error role="alert" { (v.t("form-has-errors")) } }
        @if !m.guests.is_empty() {
            h2 { (v.t("meeting-guests")) }
            ul #guests { @for g in &m.guests {
                li { bdi { (g.name) } @if let Some(t) = &g.title { " · " bdi { (t) } } @if let Some(o) = &g.organization { " · " bdi { (o) } } }
            } }
        }
        h2 { (v.t("meeting-attendance")) }
        form method="post" action=(format!("/meetings/{}/attendance", m.id)) {
            (v.csrf_field())
            table #attendance {
                thead { tr { th { (v.t("seat-name")) } th { (v.t("seat-position")) } th { (v.t("seat-vote")) } th { (v.t("meeting-presence")) } } }
                tbody { @for (i, a) in m.roster.iter().enumerate() { tr {
                    td data-label=(v.t("seat-name")) { bdi { (a.name) } }
                    td data-label=(v.t("seat-position")) { (v.t(&format!("position-{}", a.position))) }
                    td data-label=(v.t("seat-vote")) { (v.t(if a.voting { "yes" } else { "no" })) }
                    td data-label=(v.t("meeting-presence")) {
                        input type="hidden" name=(format!("seat{i}")) value=(a.seat_id);
                        @if edit {
                            select name=(format!("presence{i}")) aria-label=(format!("{} · {}", v.t("meeting-presence"), a.name)) {
                                option value="" { (v.t("choose")) }
                                @for p in &presences {
                                    option value=(p) selected[a.presence.as_deref() == Some(*p)] { (v.t(&format!("presence-{p}"))) }
                                }
                            }
                            input type="text" name=(format!("by{i}")) value=(a.represented_by.clone().unwrap_or_default())
                                placeholder=(v.t("meeting-represented-by")) aria-label=(v.t("meeting-represented-by"));
                            span.print-only {
                                (a.presence.as_ref().map(|p| v.t(&format!("presence-{p}"))).unwrap_or_default())
                                @if let Some(by) = &a.represented_by { " · " bdi { (by) } }
                            }
                            @if let Some(code) = errors.get(&format!("attendance.{}.represented_by", i + 1)) {
                                p.error { (v.t(&format!("field-{code}"))) }
                            }
                        } @else {
                            (a.presence.as_ref().map(|p| v.t(&format!("presence-{p}"))).unwrap_or_default())
                            @if let Some(by) = &a.represented_by { " · " bdi { (by) } }
                        }
                    }
                } } }
            }
            @if edit { div.actions.no-print { button type="submit" { (v.t("meeting-save-attendance")) } } }
        }
        @if !m.matters_arising.is_empty() {
            h2 #matters-arising { (v.t("meeting-matters-arising")) }
            (super::decisions::action_table(v, &m.matters_arising, false))
        }
        h2 { (v.t("meeting-agenda")) }
        ol.agenda {
            @for a in &m.agenda {
                li.agenda-item.sub[a.parent_id.is_some()] id=(format!("item-{}", a.id)) {
                    h3 { span.label { (l.digits(&a.label)) ". " } bdi { (a.title) } }
                    p.muted {
                        @if let Some(p) = &a.presenter { bdi { (p) } }
                        @if let Some(min) = a.planned_minutes { " · " (l.t_args("meeting-planned", &[("minutes", l.number(min))])) }
                    }
                    @for d in m.decisions.iter().filter(|d| d.item_id == a.id) {
                        (super::decisions::decision_line(v, d))
                    }
                    @if edit {
                        form.no-print method="post" action=(format!("/meetings/{}/agenda/{}/minutes", m.id, a.id)) {
                            (v.csrf_field())
                            label.visually-hidden for=(format!("minutes-{}", a.id)) { (v.t("meeting-minutes")) }
                            textarea id=(format!("minutes-{}", a.id)) name="minutes" rows="3" { (a.minutes.clone().unwrap_or_default()) }
                            button.secondary type="submit" { (v.t("meeting-save-minutes")) }
                        }
                        @if let Some(text) = &a.minutes { div.minutes.print-only { (text) } }
                    } @else if let Some(text) = &a.minutes {
                        div.minutes { (text) }
                    }
                }
            }
        }
        @if edit {
            h2 #decisions.no-print { (v.t("decision-record")) }
            div.no-print { (super::decisions::decision_form(v, m, decision, decision_errors)) }
        }
        @if v.governs() {
            div.actions.no-print {
                @if open {
                    form method="post" action=(format!("/meetings/{}/finalize", m.id)) {
                        (v.csrf_field())
                        button type="submit" #finalize { (v.t("meeting-finalize")) }
                    }
                } @else {
                    form method="post" action=(format!("/meetings/{}/correct", m.id)) {
                        (v.csrf_field())
                        button.secondary type="submit" #correct { (v.t("meeting-correct")) }
                    }
                }
            }
        }
        @if !m.versions.is_empty() {
            h2 { (v.t("meeting-versions")) }
            ul #versions { @for ver in &m.versions {
                li { (l.t_args("meeting-version", &[("version", l.number(ver.version))])) " · " (l.datetime(&ver.finalized_at)) " · " bdi { (ver.finalized_by) } }
            } }
        }
    };
    let title = format!("{} · {}", m.committee_name, when(v, &m.starts_at));
    let mut r = v.page(&title, "nav-committees", body);
    if !errors.is_empty() || !decision_errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

async fn ics(State(app): State<App>, v: Viewer, Path(m): Path<String>) -> Response {
    match load(&app, &v, &m).await {
        Ok(m) => crate::api::meetings::ics_response(&m),
        Err(e) => error_page(&v, e),
    }
}

async fn attendance(
    State(app): State<App>,
    v: Viewer,
    Path(m): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let meeting = match load(&app, &v, &m).await {
        Ok(m) => m,
        Err(e) => return error_page(&v, e),
    };
    let mut items = Vec::new();
    let mut i = 0;
    while let Some(seat) = f.values.get(&format!("seat{i}")) {
        let presence = f.get(&format!("presence{i}"));
        if let (Ok(seat_id), false) = (seat.parse(), presence.is_empty()) {
            items.push(AttendanceInput {
                seat_id,
                presence: presence.to_string(),
                represented_by: f.opt(&format!("by{i}")),
            });
        }
        i += 1;
    }
    match app.record_attendance(&v.actor, meeting.id, items).await {
        Ok(_) => redirect_with_flash(
            &format!("/meetings/{}", meeting.id),
            "flash-attendance-saved",
        ),
        Err(AppError::Invalid(errors)) => {
            meeting_page(&v, &meeting, &errors, &PlainForm::default(), &Fields::new())
        }
        Err(e) => error_page(&v, e),
    }
}

async fn minutes(
    State(app): State<App>,
    v: Viewer,
    Path((m, item)): Path<(String, String)>,
    Form(f): Form<PlainForm>,
) -> Response {
    let (m, item) = match (path_id(&m, "meeting"), path_id(&item, "agenda item")) {
        (Ok(m), Ok(item)) => (m, item),
        (Err(e), _) | (_, Err(e)) => return error_page(&v, e),
    };
    match app.write_minutes(&v.actor, m, item, f.get("minutes")).await {
        Ok(_) => redirect_with_flash(&format!("/meetings/{m}#item-{item}"), "flash-minutes-saved"),
        Err(e) => error_page(&v, e),
    }
}

async fn finalize(State(app): State<App>, v: Viewer, Path(m): Path<String>) -> Response {
    let m = match path_id(&m, "meeting") {
        Ok(m) => m,
        Err(e) => return error_page(&v, e),
    };
    match app.finalize_meeting(&v.actor, m).await {
        Ok(_) => redirect_with_flash(&format!("/meetings/{m}"), "flash-meeting-finalized"),
        Err(e) => error_page(&v, e),
    }
}

async fn correct(State(app): State<App>, v: Viewer, Path(m): Path<String>) -> Response {
    let m = match path_id(&m, "meeting") {
        Ok(m) => m,
        Err(e) => return error_page(&v, e),
    };
    match app.correct_meeting(&v.actor, m).await {
        Ok(_) => redirect_with_flash(&format!("/meetings/{m}"), "flash-meeting-correcting"),
        Err(e) => error_page(&v, e),
    }
}
