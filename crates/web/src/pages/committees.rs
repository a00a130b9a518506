//! Committees of the reader's subtree: the list, a committee with its roster and its
//! history, forming one, seating and unseating people.

use super::layout::{error_page, field, redirect_with_flash, select, PlainForm, Viewer};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use maud::{html, Markup};
use muster_app::committees::{CommitteeInput, CommitteeQuery, CommitteeView, SeatInput};
use muster_app::meetings::{MeetingQuery, MeetingView};
use muster_app::{App, AppError, Fields};
use muster_domain::governance::{Cadence, CommitteeKind, Position};

page_routes! {
    "/committees" => get(list),
    "/committees/new" => get(new_form).post(create),
    "/committees/{id}" => get(show),
    "/committees/{id}/edit" => get(edit_form).post(update),
    "/committees/{id}/seats" => post(add_seat),
    "/committees/{id}/seats/{seat}/end" => post(end_seat),
    "/governance" => get(governance),
}

fn options(v: &Viewer, prefix: &str, values: &[&'static str]) -> Vec<(String, String)> {
    values
        .iter()
        .map(|x| (x.to_string(), v.t(&format!("{prefix}-{x}"))))
        .collect()
}

fn kinds(v: &Viewer) -> Vec<(String, String)> {
    let all: Vec<&str> = CommitteeKind::ALL.iter().map(|k| k.as_str()).collect();
    options(v, "committee-kind", &all)
}

fn cadences(v: &Viewer) -> Vec<(String, String)> {
    let all: Vec<&str> = Cadence::ALL.iter().map(|k| k.as_str()).collect();
    options(v, "cadence", &all)
}

fn positions(v: &Viewer) -> Vec<(String, String)> {
    let all: Vec<&str> = Position::ALL.iter().map(|k| k.as_str()).collect();
    options(v, "position", &all)
}

async fn list(State(app): State<App>, v: Viewer, Query(q): Query<CommitteeQuery>) -> Response {
    let items = match app.list_committees(&v.actor, &q).await {
        Ok(items) => items,
        Err(e) => return error_page(&v, e),
    };
    let l = &v.lang;
    let body = html! {
        p.actions {
            @if v.governs() { a.button href="/committees/new" { (v.t("committee-new")) } }
            a href="/governance" { (v.t("governance-title")) }
        }
        @if items.is_empty() {
            p.empty { (v.t("committee-none")) }
        } @else {
            table #committees {
                thead { tr {
                    th { (v.t("member-unit")) } th { (v.t("committee-name")) } th { (v.t("committee-kind")) }
                    th { (v.t("committee-cadence")) } th.num { (v.t("committee-seated")) } th.num { (v.t("committee-quorum")) }
                } }
                tbody { @for c in &items { tr {
                    td data-label=(v.t("member-unit")) { bdi { (c.unit_code) } }
                    td data-label=(v.t("committee-name")) { a href=(format!("/committees/{}", c.id)) { bdi { (c.name) } } }
                    td data-label=(v.t("committee-kind")) { (v.t(&format!("committee-kind-{}", c.kind))) }
                    td data-label=(v.t("committee-cadence")) { (v.t(&format!("cadence-{}", c.cadence))) }
                    td.num data-label=(v.t("committee-seated")) { (l.number(c.seated)) }
                    td.num data-label=(v.t("committee-quorum")) { (l.number(c.quorum_needed)) }
                } } }
            }
        }
    };
    v.page(&v.t("nav-committees"), "nav-committees", body)
}

fn committee_form(v: &Viewer, f: &PlainForm, errors: &Fields, editing: Option<i64>) -> Response {
    let l = &v.lang;
    let hint = l.date_hint();
    let text = |name: &str, key: &str, h: Option<&str>| {
        field(l, name, key, f.get(name), errors.get(name), "text", h)
    };
    let action = editing.map_or("/committees/new".to_string(), |id| {
        format!("/committees/{id}/edit")
    });
    let quorum = if f.get("quorum_percent").is_empty() {
        "50"
    } else {
        f.get("quorum_percent")
    };
    let body = html! {
        @if !errors.is_empty() { p.error role="alert" { (v.t("form-has-errors")) } }
        form.card method="post" action=(action) novalidate {
            (v.csrf_field())
            @if editing.is_none() { (text("unit_code", "member-unit", None)) }
            (text("name", "committee-name", None))
            (select(l, "kind", "committee-kind", &kinds(v), f.get("kind"), errors.get("kind")))
            (select(l, "cadence", "committee-cadence", &cadences(v), f.get("cadence"), errors.get("cadence")))
            (field(l, "quorum_percent", "committee-quorum-percent", quorum, errors.get("quorum_percent"), "text", None))
            (text("term_start", "committee-term-start", Some(&hint)))
            (text("term_end", "committee-term-end", Some(&hint)))
            div.actions { button type="submit" { (v.t("save")) } a href="/committees" { (v.t("cancel")) } }
        }
    };
    let title = if editing.is_some() {
        v.t("committee-edit")
    } else {
        v.t("committee-new")
    };
    let mut r = v.page(&title, "nav-committees", body);
    if !errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

fn committee_input(v: &Viewer, f: &PlainForm) -> Result<CommitteeInput, Fields> {
    let quorum = match f.opt("quorum_percent") {
        None => None,
        Some(q) => match muster_domain::names::digits_to_ascii(&q).trim().parse() {
            Ok(n) => Some(n),
            Err(_) => {
                return Err(Fields::from([(
                    "quorum_percent".into(),
                    "out_of_range".into(),
                )]))
            }
        },
    };
    let date = |k: &str| Some(v.lang.iso_date(f.get(k)));
    Ok(CommitteeInput {
        unit_code: f.opt("unit_code"),
        name: Some(f.get("name").to_string()),
        kind: Some(f.get("kind").to_string()),
        cadence: Some(f.get("cadence").to_string()),
        quorum_percent: quorum,
        calendar: None,
        term_start: date("term_start"),
        term_end: date("term_end"),
    })
}

async fn new_form(v: Viewer) -> Response {
    if !v.governs() {
        return error_page(&v, AppError::Forbidden);
    }
    committee_form(&v, &PlainForm::default(), &Fields::new(), None)
}

async fn create(State(app): State<App>, v: Viewer, Form(f): Form<PlainForm>) -> Response {
    let input = match committee_input(&v, &f) {
        Ok(i) => i,
        Err(errors) => return committee_form(&v, &f, &errors, None),
    };
    match app.create_committee(&v.actor, input).await {
        Ok(c) => redirect_with_flash(&format!("/committees/{}", c.id), "flash-committee-saved"),
        Err(AppError::Invalid(errors)) => committee_form(&v, &f, &errors, None),
        Err(e) => error_page(&v, e),
    }
}

async fn load(app: &App, v: &Viewer, id: &str) -> Result<CommitteeView, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound("committee"))?;
    app.committee(&v.actor, id).await
}

async fn edit_form(State(app): State<App>, v: Viewer, Path(id): Path<String>) -> Response {
    let c = match load(&app, &v, &id).await {
        Ok(c) => c,
        Err(e) => return error_page(&v, e),
    };
    if !v.governs() {
        return error_page(&v, AppError::Forbidden);
    }
    let l = &v.lang;
    let mut f = PlainForm::default();
    for (k, val) in [
        ("name", c.name.clone()),
        ("kind", c.kind.clone()),
        ("cadence", c.cadence.clone()),
        ("quorum_percent", c.quorum_percent.to_string()),
        ("term_start", l.date(&c.term_start)),
        ("term_end", l.opt_date(c.term_end.as_deref())),
    ] {
        f.values.insert(k.into(), val);
    }
    committee_form(&v, &f, &Fields::new(), Some(c.id))
}

async fn update(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return error_page(&v, AppError::NotFound("committee"));
    };
    let input = match committee_input(&v, &f) {
        Ok(i) => i,
        Err(errors) => return committee_form(&v, &f, &errors, Some(id)),
    };
    match app.update_committee(&v.actor, id, input).await {
        Ok(c) => redirect_with_flash(&format!("/committees/{}", c.id), "flash-committee-saved"),
        Err(AppError::Invalid(errors)) => committee_form(&v, &f, &errors, Some(id)),
        Err(e) => error_page(&v, e),
    }
}

async fn show(State(app): State<App>, v: Viewer, Path(id): Path<String>) -> Response {
    let c = match load(&app, &v, &id).await {
        Ok(c) => c,
        Err(e) => return error_page(&v, e),
    };
    let q = MeetingQuery {
        committee: Some(c.id),
        limit: Some(100),
    };
    match app.list_meetings(&v.actor, &q).await {
        Ok(meetings) => committee_page(&v, &c, &meetings, &PlainForm::default(), &Fields::new()),
        Err(e) => error_page(&v, e),
    }
}

fn meeting_rows(v: &Viewer, c: &CommitteeView, meetings: &[MeetingView]) -> Markup {
    let l = &v.lang;
    html! {
        @if v.governs() {
            p.actions { a.button #new-meeting href=(format!("/committees/{}/meetings/new", c.id)) { (v.t("meeting-new")) } }
        }
        @if meetings.is_empty() {
            p.empty { (v.t("meeting-none")) }
        } @else {
            table #meetings {
                thead { tr { th { (v.t("meeting-day")) } th { (v.t("meeting-place")) } th { (v.t("meeting-status")) } th.num { (v.t("committee-quorum")) } } }
                tbody { @for m in meetings { tr {
                    td data-label=(v.t("meeting-day")) { a href=(format!("/meetings/{}", m.id)) { (super::meetings::when(v, &m.starts_at)) } }
                    td data-label=(v.t("meeting-place")) { bdi { (m.place.clone().unwrap_or_default()) } }
                    td data-label=(v.t("meeting-status")) {
                        (v.t(&format!("meeting-status-{}", m.status)))
                        @if let Some(n) = m.number { " · " (l.t_args("meeting-number", &[("number", l.number(n))])) }
                    }
                    td.num data-label=(v.t("committee-quorum")) {
                        (v.t(if m.quorum.quorate { "meeting-quorate" } else { "meeting-not-quorate" }))
                    }
                } } }
            }
        }
    }
}

fn seat_rows(v: &Viewer, c: &CommitteeView, current: bool) -> Markup {
    let l = &v.lang;
    let seats: Vec<_> = c.seats.iter().filter(|s| s.current == current).collect();
    html! {
        @if seats.is_empty() {
            p.empty { (v.t(if current { "committee-no-seats" } else { "committee-no-history" })) }
        } @else {
            table.seats id=(if current { "seats" } else { "past-seats" }) {
                thead { tr {
                    th { (v.t("seat-position")) } th { (v.t("seat-name")) } th { (v.t("seat-vote")) }
                    th { (v.t("seat-from")) } th { (v.t("seat-until")) }
                    @if current && v.governs() { th { span.visually-hidden { (v.t("seat-end")) } } }
                } }
                tbody { @for s in seats { tr {
                    td data-label=(v.t("seat-position")) { (v.t(&format!("position-{}", s.position))) }
                    td data-label=(v.t("seat-name")) {
                        @if let Some(p) = s.person_id {
                            a href=(format!("/members/{p}")) { bdi { (s.name) } }
                            @if let Some(n) = &s.member_number { " · " bdi dir="ltr" { (n) } }
                        } @else {
                            bdi { (s.name) }
                            @if let Some(t) = &s.title { br; small { bdi { (t) } } }
                            @if let Some(o) = &s.organization { br; small { bdi { (o) } } }
                            " " span.tag { (v.t("seat-outside")) }
                        }
                    }
                    td data-label=(v.t("seat-vote")) { (v.t(if s.voting { "yes" } else { "no" })) }
                    td data-label=(v.t("seat-from")) { (l.date(&s.from_on)) }
                    td data-label=(v.t("seat-until")) { (l.opt_date(s.until_on.as_deref())) }
                    @if current && v.governs() { td {
                        form.inline method="post" action=(format!("/committees/{}/seats/{}/end", c.id, s.id)) {
                            (v.csrf_field())
                            button.secondary type="submit" { (v.t("seat-end")) }
                        }
                    } }
                } } }
            }
        }
    }
}

fn committee_page(
    v: &Viewer,
    c: &CommitteeView,
    meetings: &[MeetingView],
    f: &PlainForm,
    errors: &Fields,
) -> Response {
    let l = &v.lang;
    let hint = l.date_hint();
    let row = |key: &str, value: String| html! { @if !value.is_empty() { div { dt { (v.t(key)) } dd { bdi { (value) } } } } };
    let body = html! {
        dl.details {
            (row("member-unit", c.unit_code.clone()))
            (row("committee-kind", v.t(&format!("committee-kind-{}", c.kind))))
            (row("committee-cadence", v.t(&format!("cadence-{}", c.cadence))))
            (row("committee-term-start", l.date(&c.term_start)))
            (row("committee-term-end", l.opt_date(c.term_end.as_deref())))
            (row("committee-seated", l.number(c.seated)))
        }
        p #quorum { (l.t_args("committee-quorum-rule", &[
            ("percent", l.number(c.quorum_percent)),
            ("needed", l.number(c.quorum_needed)),
            ("voting", l.number(c.voting)),
        ])) }
        @if v.governs() {
            p.actions { a.button href=(format!("/committees/{}/edit", c.id)) { (v.t("committee-edit")) } }
        }
        h2 { (v.t("meeting-list")) }
        (meeting_rows(v, c, meetings))
        h2 { (v.t("committee-roster")) }
        (seat_rows(v, c, true))
        @if v.governs() {
            h2 { (v.t("seat-add")) }
            @if !errors.is_empty() { p.error role="alert" { (v.t("form-has-errors")) } }
            form.card #seat-form method="post" action=(format!("/committees/{}/seats", c.id)) novalidate {
                (v.csrf_field())
                p.hint { (v.t("seat-who")) }
                (field(l, "member_number", "seat-member-number", f.get("member_number"), errors.get("member_number").or(errors.get("person_id")), "text", None))
                (field(l, "outside_name", "seat-outside-name", f.get("outside_name"), errors.get("outside_name"), "text", None))
                (field(l, "outside_title", "seat-outside-title", f.get("outside_title"), errors.get("outside_title"), "text", None))
                (field(l, "outside_organization", "seat-outside-organization", f.get("outside_organization"), errors.get("outside_organization"), "text", None))
                (select(l, "position", "seat-position", &positions(v), if f.get("position").is_empty() { "member" } else { f.get("position") }, errors.get("position")))
                (select(l, "voting", "seat-vote", &[("yes".into(), v.t("yes")), ("no".into(), v.t("no"))], if f.get("voting") == "no" { "no" } else { "yes" }, None))
                (field(l, "from_on", "seat-from", f.get("from_on"), errors.get("from_on"), "text", Some(&hint)))
                div.actions { button type="submit" { (v.t("seat-add")) } }
            }
        }
        h2 { (v.t("committee-history")) }
        (seat_rows(v, c, false))
    };
    let mut r = v.page(&c.name, "nav-committees", body);
    if !errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

async fn add_seat(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let c = match load(&app, &v, &id).await {
        Ok(c) => c,
        Err(e) => return error_page(&v, e),
    };
    let input = SeatInput {
        person_id: None,
        member_number: f.opt("member_number"),
        outside_name: f.opt("outside_name"),
        outside_organization: f.opt("outside_organization"),
        outside_title: f.opt("outside_title"),
        position: f.opt("position"),
        voting: Some(f.get("voting") != "no"),
        from_on: f.opt("from_on").map(|d| v.lang.iso_date(&d)),
        until_on: None,
    };
    match app.add_seat(&v.actor, c.id, input).await {
        Ok(_) => redirect_with_flash(&format!("/committees/{}", c.id), "flash-seat-added"),
        Err(AppError::Invalid(errors)) => {
            let q = MeetingQuery {
                committee: Some(c.id),
                limit: Some(100),
            };
            let meetings = app.list_meetings(&v.actor, &q).await.unwrap_or_default();
            committee_page(&v, &c, &meetings, &f, &errors)
        }
        Err(e) => error_page(&v, e),
    }
}

async fn end_seat(
    State(app): State<App>,
    v: Viewer,
    Path((id, seat)): Path<(String, String)>,
) -> Response {
    let (Ok(id), Ok(seat)) = (id.parse::<i64>(), seat.parse::<i64>()) else {
        return error_page(&v, AppError::NotFound("seat"));
    };
    match app.end_seat(&v.actor, id, seat, None).await {
        Ok(_) => redirect_with_flash(&format!("/committees/{id}"), "flash-seat-ended"),
        Err(e) => error_page(&v, e),
    }
}

/// Governance figures of a unit's subtree and of each unit right below it, by quarter.
async fn governance(
    State(app): State<App>,
    v: Viewer,
    Query(q): Query<muster_app::governance::GovernanceQuery>,
) -> Response {
    let r = match app.governance_rollup(&v.actor, &q).await {
        Ok(r) => r,
        Err(e) => return error_page(&v, e),
    };
    let l = &v.lang;
    let link = |unit: &str, quarter: &str| {
        format!(
            "/governance?unit={unit}&quarter={quarter}&calendar={}",
            r.calendar
        )
    };
    let (year, n) = r.quarter.split_once("-Q").unwrap_or(("", "1"));
    let (year, n): (i32, i32) = (year.parse().unwrap_or(2024), n.parse().unwrap_or(1));
    let prev = if n == 1 {
        format!("{}-Q4", year - 1)
    } else {
        format!("{year}-Q{}", n - 1)
    };
    let next = if n == 4 {
        format!("{}-Q1", year + 1)
    } else {
        format!("{year}-Q{}", n + 1)
    };
    let last_day = muster_domain::Date::parse_iso(&r.to)
        .map(|d| d.add_days(-1).to_string())
        .unwrap_or_default();
    let body = html! {
        p.actions {
            a href=(link(&r.unit_code, &prev)) { "‹ " (v.t("governance-previous")) }
            strong { (l.date(&r.from)) " – " (l.date(&last_day)) }
            a href=(link(&r.unit_code, &next)) { (v.t("governance-next")) " ›" }
        }
        table #governance {
            thead { tr {
                th { (v.t("member-unit")) } th.num { (v.t("nav-committees")) }
                th.num { (v.t("governance-meetings")) } th.num { (v.t("governance-attendance")) }
                th.num { (v.t("governance-decisions")) } th.num { (v.t("governance-on-time")) }
                th.num { (v.t("action-overdue-list")) }
            } }
            tbody { @for row in &r.rows { tr class=(row.row) {
                td data-label=(v.t("member-unit")) {
                    @if row.row == "child" { a href=(link(&row.unit_code, &r.quarter)) { bdi dir="ltr" { (row.unit_code) } } }
                    @else { strong { bdi dir="ltr" { (row.unit_code) } } }
                }
                td.num data-label=(v.t("nav-committees")) { (l.number(row.committees)) }
                td.num data-label=(v.t("governance-meetings")) {
                    (l.t_args("governance-held-of", &[("held", l.number(row.meetings_held)), ("expected", l.number(row.meetings_expected))]))
                }
                td.num data-label=(v.t("governance-attendance")) { (l.percent(row.attendance_rate)) }
                td.num data-label=(v.t("governance-decisions")) { (l.number(row.decisions_adopted)) }
                td.num data-label=(v.t("governance-on-time")) {
                    (l.t_args("governance-held-of", &[("held", l.number(row.items_done_on_time)), ("expected", l.number(row.items_due))]))
                }
                td.num data-label=(v.t("action-overdue-list")) { (l.number(row.items_overdue)) }
            } } }
        }
    };
    v.page(
        &format!("{} · {}", v.t("governance-title"), r.unit_code),
        "nav-committees",
        body,
    )
}
