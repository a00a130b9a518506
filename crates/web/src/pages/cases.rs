//! Cases: my cases and a desk's queue by deadline, opening a case, a case's page with
//! what was done (notes only for those who may read them), recording an activity,
//! changing where it stands, referring it up; the roll-up; the list as a file without
//! any note.

use super::layout::{
    csv_response, error_page, field, redirect_with_flash, select, PlainForm, Viewer,
};
use crate::api::extract::path_id;
use crate::xlsx::Cell;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use maud::{html, Markup};
use muster_app::cases::{
    ActivityInput, CaseInput, CaseQuery, CaseTypeView, CaseView, ReferInput, RollupQuery,
    StatusInput,
};
use muster_app::{App, AppError, Fields};
use muster_domain::cases::{urgency, ActivityKind, CaseStatus, Urgency};
use muster_domain::Date;

page_routes! {
    "/cases" => get(list),
    "/cases/export.csv" => get(export_csv),
    "/cases/export.xlsx" => get(export_xlsx),
    "/cases/rollup" => get(rollup),
    "/cases/new" => get(new_case).post(open),
    "/cases/{id}" => get(show),
    "/cases/{id}/activities" => post(activity),
    "/cases/{id}/status" => post(status),
    "/cases/{id}/referral" => post(refer),
    "/cases/{id}/registration" => post(register),
    "/cases/{id}/documents" => post(upload),
    "/cases/{id}/documents/{document}" => get(download),
}

/// A document as a download: its type as read from its bytes, its name kept in UTF-8.
pub(crate) fn document_response(f: &muster_app::cases::DocumentFile) -> Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    let ascii: String = f
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, f.content_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
                    crate::api::enc(&f.name)
                ),
            ),
        ],
        f.bytes.clone(),
    )
        .into_response()
}

/// A case type's name in the reader's language: a shipped type's from the catalogs, a
/// tree's own as its officers named it.
fn type_name(v: &Viewer, types: &[CaseTypeView], code: &str) -> String {
    match types.iter().find(|t| t.code == code) {
        Some(t) if t.shipped => v.t(&format!("case-type-{code}")),
        Some(t) => t
            .names
            .get(v.lang.locale)
            .cloned()
            .unwrap_or_else(|| t.name.clone()),
        None => code.to_string(),
    }
}

fn step_name(v: &Viewer, code: &str) -> String {
    let key = format!("case-step-{code}");
    let t = v.t(&key);
    if t == key {
        code.to_string()
    } else {
        t
    }
}

fn due(v: &Viewer, c: &CaseView) -> Markup {
    html! {
        @if let Some(d) = &c.due_on {
            @let late = Date::parse_iso(d).map(|d| urgency(d, Date::today())).unwrap_or(Urgency::OnTime);
            span class=(match late { Urgency::Overdue => "due overdue", Urgency::DueSoon => "due soon", Urgency::OnTime => "due" }) {
                (v.lang.date(d))
                @if late == Urgency::Overdue { " · " (v.t("case-overdue")) }
            }
        }
    }
}

fn table(v: &Viewer, types: &[CaseTypeView], cases: &[CaseView]) -> Markup {
    let l = &v.lang;
    html! {
        table #cases.results {
            thead { tr {
                th { (v.t("case-due")) } th { (v.t("case-name")) } th { (v.t("case-type")) }
                th { (v.t("case-subject")) } th { (v.t("case-status")) } th { (v.t("member-unit")) }
            } }
            tbody { @for c in cases { tr {
                td data-label=(v.t("case-due")) { (due(v, c)) }
                td data-label=(v.t("case-name")) { a href=(format!("/cases/{}", c.id)) { bdi { (c.name) } } }
                td data-label=(v.t("case-type")) { (type_name(v, types, &c.case_type)) @if let Some(s) = &c.step { " · " (step_name(v, s)) } }
                td data-label=(v.t("case-subject")) { bdi { (c.subject) } }
                td data-label=(v.t("case-status")) { (v.t(&format!("cstatus-{}", c.status))) }
                td data-label=(v.t("member-unit")) { bdi dir="ltr" { (c.unit_code) } @if let Some(f) = &c.referred_from { " ← " bdi dir="ltr" { (f) } } " · " (l.date(&c.opened_on)) }
            } } }
        }
    }
}

#[derive(serde::Deserialize, Default)]
struct ListQuery {
    /// `mine`, `desk` or `all`.
    view: Option<String>,
    event: Option<i64>,
}

async fn list(State(app): State<App>, v: Viewer, Query(q): Query<ListQuery>) -> Response {
    let view = q.view.as_deref().unwrap_or("mine");
    let desk = match app.unit_code_of(&v.actor).await {
        Ok(code) => code,
        Err(e) => return error_page(&v, e),
    };
    let cq = CaseQuery {
        mine: view == "mine",
        desk: (view == "desk").then_some(desk).flatten(),
        all: view == "done",
        limit: Some(500),
    };
    let (cases, types) = match (
        app.list_cases(&v.actor, &cq).await,
        app.case_types(&v.actor).await,
    ) {
        (Ok(c), Ok(t)) => (c, t),
        (Err(e), _) | (_, Err(e)) => return error_page(&v, e),
    };
    let tab = |key: &str, name: &str| {
        html! { a href=(format!("/cases?view={name}")) aria-current=[(view == name).then_some("page")] { (v.t(key)) } }
    };
    let body = html! {
        p.actions {
            @if v.actor.role().may(muster_domain::user::Permission::Casework) { a.button #new-case href="/cases/new" { (v.t("case-new")) } }
            a href="/cases/rollup" { (v.t("case-rollup")) }
            a href="/cases/export.csv" { (v.t("drive-export-csv")) }
            a href="/cases/export.xlsx" { (v.t("drive-export-xlsx")) }
        }
        nav.tabs { (tab("case-mine", "mine")) (tab("case-desk", "desk")) (tab("case-open", "open")) (tab("case-all", "done")) }
        @if cases.is_empty() { p.empty { (v.t("case-none")) } } @else { (table(&v, &types, &cases)) }
    };
    let _ = q.event;
    v.page(&v.t("nav-cases"), "nav-cases", body)
}

/// The subtree's cases as rows of cells: what anyone of the units may read, no note and
/// no outcome.
async fn export_rows(app: &App, v: &Viewer) -> Result<Vec<Vec<Cell>>, AppError> {
    let cq = CaseQuery {
        all: true,
        limit: Some(500),
        ..CaseQuery::default()
    };
    let cases = app.list_cases(&v.actor, &cq).await?;
    let types = app.case_types(&v.actor).await?;
    let mut rows = vec![[
        "case-number",
        "member-unit",
        "case-type",
        "case-name",
        "case-subject",
        "case-status",
        "case-due",
        "case-opened",
        "case-resolved",
    ]
    .iter()
    .map(|k| Cell::Text(v.t(k)))
    .collect::<Vec<_>>()];
    let day = |d: Option<String>| d.map(Cell::Date).unwrap_or(Cell::Empty);
    for c in cases {
        rows.push(vec![
            Cell::Number(c.id as f64),
            Cell::Text(c.unit_code.clone()),
            Cell::Text(type_name(v, &types, &c.case_type)),
            Cell::Text(c.name),
            Cell::Text(c.subject),
            Cell::Text(v.t(&format!("cstatus-{}", c.status))),
            day(c.due_on),
            Cell::Date(c.opened_on),
            day(c.resolved_on),
        ]);
    }
    Ok(rows)
}

async fn export_csv(State(app): State<App>, v: Viewer) -> Response {
    match export_rows(&app, &v).await {
        Ok(rows) => {
            let rows = crate::xlsx::csv_rows(rows, &v.lang);
            csv_response("cases", rows, true)
        }
        Err(e) => error_page(&v, e),
    }
}

async fn export_xlsx(State(app): State<App>, v: Viewer) -> Response {
    match export_rows(&app, &v).await {
        Ok(rows) => crate::xlsx::response("cases", "cases", &rows, v.lang.dir() == "rtl"),
        Err(e) => error_page(&v, e),
    }
}

async fn rollup(State(app): State<App>, v: Viewer, Query(q): Query<RollupQuery>) -> Response {
    let (r, types) = match (
        app.case_rollup(&v.actor, &q).await,
        app.case_types(&v.actor).await,
    ) {
        (Ok(r), Ok(t)) => (r, t),
        (Err(e), _) | (_, Err(e)) => return error_page(&v, e),
    };
    let l = &v.lang;
    let body = html! {
        h2 { bdi dir="ltr" { (r.unit_code) } }
        table #case-rollup {
            thead { tr {
                th { (v.t("member-unit")) } th { (v.t("case-type")) } th.num { (v.t("case-opened-count")) }
                th.num { (v.t("case-resolved")) } th.num { (v.t("case-open-now")) } th.num { (v.t("case-average-days")) }
            } }
            tbody { @for row in &r.rows { @for (t, f) in &row.by_type { tr.total[row.row == "total"] {
                td data-label=(v.t("member-unit")) {
                    @if row.row == "child" { a href=(format!("/cases/rollup?unit={}", crate::api::enc(&row.unit_code))) { bdi dir="ltr" { (row.unit_code) } } }
                    @else { strong { bdi dir="ltr" { (row.unit_code) } } }
                }
                td data-label=(v.t("case-type")) { (type_name(&v, &types, t)) }
                td.num data-label=(v.t("case-opened-count")) { (l.number(f.opened)) }
                td.num data-label=(v.t("case-resolved")) { (l.number(f.resolved)) }
                td.num data-label=(v.t("case-open-now")) { (l.number(f.open)) }
                td.num data-label=(v.t("case-average-days")) { @if let Some(d) = f.average_days { (l.decimal(d)) } }
            } } } }
        }
        @if let Some(total) = r.rows.first() {
            h2 { (v.t("case-open-by-age")) }
            @let ages = total.by_age.unwrap_or_default();
            ul #case-ages {
                @for (i, key) in ["case-age-week", "case-age-month", "case-age-quarter", "case-age-older"].iter().enumerate() {
                    li { (v.t(key)) ": " (l.number(ages[i])) }
                }
            }
            @if !total.by_status.is_empty() {
                ul #case-statuses { @for (s, n) in &total.by_status { li { (v.t(&format!("cstatus-{s}"))) ": " (l.number(*n)) } } }
            }
        }
    };
    v.page(&v.t("case-rollup"), "nav-cases", body)
}

fn case_form(v: &Viewer, types: &[CaseTypeView], f: &PlainForm, errors: &Fields) -> Response {
    let l = &v.lang;
    let hint = l.date_hint();
    let text = |name: &str, key: &str, h: Option<&str>| {
        field(l, name, key, f.get(name), errors.get(name), "text", h)
    };
    let options: Vec<(String, String)> = types
        .iter()
        .map(|t| (t.code.clone(), type_name(v, types, &t.code)))
        .collect();
    let body = html! {
        @if !errors.is_empty() { p.error role="alert" { (v.t("form-has-errors")) } }
        form.card method="post" action="/cases/new" novalidate {
            (v.csrf_field())
            input type="hidden" name="event_id" value=(f.get("event_id"));
            (text("unit_code", "member-unit", None))
            (select(l, "case_type", "case-type", &options, f.get("case_type"), errors.get("case_type")))
            (field(l, "member_number", "member-number", f.get("member_number"), errors.get("member_number").or(errors.get("person_id")), "text", None))
            (text("outside_name", "event-outside-name", None))
            (text("outside_phone", "member-phone", None))
            (text("subject", "case-subject", None))
            (text("opened_on", "case-opened", Some(&hint)))
            (text("assignee", "case-assignee", None))
            (text("workplace_code", "case-workplace", None))
            div.actions { button type="submit" { (v.t("case-new")) } a href="/cases" { (v.t("cancel")) } }
        }
    };
    let mut r = v.page(&v.t("case-new"), "nav-cases", body);
    if !errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

async fn new_case(State(app): State<App>, v: Viewer, Query(q): Query<ListQuery>) -> Response {
    if !v
        .actor
        .role()
        .may(muster_domain::user::Permission::Casework)
    {
        return error_page(&v, AppError::Forbidden);
    }
    let types = match app.case_types(&v.actor).await {
        Ok(t) => t,
        Err(e) => return error_page(&v, e),
    };
    let mut f = PlainForm::default();
    if let Some(e) = q.event {
        f.values.insert("event_id".into(), e.to_string());
    }
    if let Ok(Some(code)) = app.unit_code_of(&v.actor).await {
        f.values.insert("unit_code".into(), code);
    }
    case_form(&v, &types, &f, &Fields::new())
}

async fn open(State(app): State<App>, v: Viewer, Form(f): Form<PlainForm>) -> Response {
    let input = CaseInput {
        unit_code: f.opt("unit_code"),
        case_type: f.opt("case_type"),
        person_id: None,
        member_number: f.opt("member_number"),
        outside_name: f.opt("outside_name"),
        outside_phone: f.opt("outside_phone"),
        event_id: f.opt("event_id").and_then(|e| e.parse().ok()),
        workplace_code: f.opt("workplace_code"),
        assignee: f.opt("assignee"),
        subject: f.opt("subject"),
        opened_on: f.opt("opened_on").map(|d| v.lang.iso_date(&d)),
    };
    match app.open_case(&v.actor, input).await {
        Ok(c) => redirect_with_flash(&format!("/cases/{}", c.id), "flash-case-opened"),
        Err(AppError::Invalid(errors)) => match app.case_types(&v.actor).await {
            Ok(types) => case_form(&v, &types, &f, &errors),
            Err(e) => error_page(&v, e),
        },
        Err(e) => error_page(&v, e),
    }
}

/// What a case's page shows beside the case: its aid requests, and the members like
/// its person found when registering them.
#[derive(Default)]
struct Beside {
    aid: Vec<muster_app::aid::AidView>,
    likely: Vec<muster_app::dedupe::LikelyDuplicate>,
}

fn case_page(
    v: &Viewer,
    types: &[CaseTypeView],
    c: &CaseView,
    beside: &Beside,
    f: &PlainForm,
    errors: &Fields,
) -> Response {
    let l = &v.lang;
    let hint = l.date_hint();
    let works = v
        .actor
        .role()
        .may(muster_domain::user::Permission::Casework);
    let kinds: Vec<(String, String)> = ActivityKind::ALL
        .iter()
        .map(|k| (k.as_str().into(), v.t(&format!("activity-{}", k.as_str()))))
        .collect();
    let statuses: Vec<(String, String)> = CaseStatus::ALL
        .iter()
        .filter(|s| **s != CaseStatus::Referred)
        .map(|s| (s.as_str().into(), v.t(&format!("cstatus-{}", s.as_str()))))
        .collect();
    let done = CaseStatus::parse(&c.status).is_ok_and(CaseStatus::is_done) || !c.kept_here;
    let body = html! {
        p.muted {
            (type_name(v, types, &c.case_type)) " · " bdi dir="ltr" { (c.unit_code) }
            @if let Some(f) = &c.referred_from { " ← " bdi dir="ltr" { (f) } }
            " · " (l.date(&c.opened_on))
            @if let Some(w) = &c.workplace_code { " · " bdi dir="ltr" { (w) } }
            @if let Some(e) = c.event_id { " · " a href=(format!("/events/{e}")) { (v.t("case-desk-event")) } }
        }
        p #case-subject { bdi { (c.subject) } }
        dl.details {
            div { dt { (v.t("case-status")) } dd #case-status { (v.t(&format!("cstatus-{}", c.status))) } }
            @if let Some(s) = &c.step { div { dt { (v.t("case-step")) } dd { (step_name(v, s)) } } }
            @if c.due_on.is_some() { div { dt { (v.t("case-due")) } dd { (due(v, c)) } } }
            @if let Some(a) = &c.assignee { div { dt { (v.t("case-assignee")) } dd { bdi dir="ltr" { (a) } } } }
            @if let Some(o) = &c.outcome { div { dt { (v.t("case-outcome")) } dd { bdi { (o) } } } }
        }
        @if !errors.is_empty() {
            div.error role="alert" { p { (v.t("form-has-errors")) }
                ul { @for (k, code) in errors { li { code { (k) } " " (v.t(&format!("field-{code}"))) } } } }
        }
        h2 { (v.t("case-timeline")) }
        @if c.activities.is_empty() { p.empty { (v.t("case-no-activity")) } }
        ol #timeline { @for a in &c.activities { li {
            strong { (v.t(&format!("activity-{}", a.kind))) } " · " (l.date(&a.on_day)) " · " bdi dir="ltr" { (a.by) }
            @match (&a.text, c.notes_readable) {
                (Some(t), true) => { p.minutes { bdi { (t) } } },
                (_, false) => { p.muted { (v.t("case-note-private")) } },
                _ => {},
            }
        } } }
        @if c.notes_readable && !c.documents.is_empty() {
            h2 { (v.t("case-documents")) }
            ul #documents { @for d in &c.documents {
                li { a href=(format!("/cases/{}/documents/{}", c.id, d.id)) { bdi { (d.name) } } " · " (l.number(d.size / 1024 + 1)) " KB · " bdi dir="ltr" { (d.by) } }
            } }
        }
        @if !beside.aid.is_empty() {
            h2 { (v.t("case-aid")) }
            ul #case-aid { @for a in &beside.aid {
                li { a href=(format!("/aid/{}", a.id)) { (v.t(&format!("aidkind-{}", a.kind))) }
                    @if let Some(m) = &a.amount { " · " (l.money(m, &a.currency)) }
                    " · " (v.t(&format!("aidstatus-{}", a.status))) }
            } }
        }
        @if works && !done {
            p.actions { a.button #request-aid href=(format!("/aid/new?case={}", c.id)) { (v.t("case-request-aid")) } }
        }
        @if c.person_id.is_none() && !done && v.actor.role().may(muster_domain::user::Permission::EditRegistry) {
            form.card #register-form method="post" action=(format!("/cases/{}/registration", c.id)) novalidate {
                (v.csrf_field())
                h3 { (v.t("case-register")) }
                p.muted { (v.t("case-register-help")) }
                @if !beside.likely.is_empty() {
                    p.error role="alert" { (v.t("case-register-likely")) }
                    ul #likely { @for d in &beside.likely {
                        li { a href=(format!("/members/{}", d.id)) { bdi { (d.full_name) } } " · " bdi dir="ltr" { (d.unit_code) }
                            @if let Some(b) = &d.birth_date { " · " (l.date(b)) } }
                    } }
                    div.field { label { input type="checkbox" name="allow_duplicate" value="on"; " " (v.t("case-register-anyway")) } }
                }
                (field(l, "unit_code", "member-unit", f.opt("unit_code").as_deref().unwrap_or(&c.unit_code), errors.get("unit_code"), "text", None))
                div.actions { button type="submit" { (v.t("case-register")) } }
            }
        }
        @if works && !done {
            form.card #upload method="post" action={ "/cases/" (c.id) "/documents?csrf=" (v.csrf) } enctype="multipart/form-data" {
                h3 { (v.t("case-attach")) }
                div.field { label for="docfile" { (v.t("case-attach-file")) } input #docfile type="file" name="file"; }
                div.actions { button type="submit" { (v.t("case-attach")) } }
            }
            form.card #activity method="post" action=(format!("/cases/{}/activities", c.id)) novalidate {
                (v.csrf_field())
                h3 { (v.t("case-record")) }
                (select(l, "kind", "case-activity-kind", &kinds, f.get("kind"), errors.get("kind")))
                (field(l, "on_day", "case-activity-day", f.get("on_day"), errors.get("on_day"), "text", Some(&hint)))
                div.field { label for="activitytext" { (v.t("case-note")) } textarea #activitytext name="text" rows="4" { (f.get("text")) } }
                div.actions { button type="submit" { (v.t("save")) } }
            }
            form.card #case-status-form method="post" action=(format!("/cases/{}/status", c.id)) novalidate {
                (v.csrf_field())
                h3 { (v.t("case-change-status")) }
                (select(l, "status", "case-status", &statuses, f.opt("status").as_deref().unwrap_or(&c.status), errors.get("status")))
                div.field { label for="case-outcome" { (v.t("case-outcome")) } textarea #case-outcome name="outcome" rows="2" { (f.get("outcome")) } }
                (field(l, "on_day", "case-status-day", f.get("on_day"), errors.get("on_day"), "text", Some(&hint)))
                div.actions { button type="submit" { (v.t("save")) } }
            }
            form.card #referral method="post" action=(format!("/cases/{}/referral", c.id)) novalidate {
                (v.csrf_field())
                h3 { (v.t("case-refer")) }
                (field(l, "refer_unit", "case-refer-unit", f.get("refer_unit"), errors.get("unit_code"), "text", None))
                div.field { label for="refer-note" { (v.t("case-note")) } textarea #refer-note name="note" rows="2" { (f.get("note")) } }
                div.actions { button type="submit" { (v.t("case-refer")) } }
            }
        }
    };
    let mut r = v.page(&c.name, "nav-cases", body);
    if !errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

async fn load(
    app: &App,
    v: &Viewer,
    id: &str,
) -> Result<(CaseView, Vec<CaseTypeView>, Beside), AppError> {
    let c = app.case(&v.actor, path_id(id, "case")?).await?;
    let aid = app
        .list_aid(
            &v.actor,
            &muster_app::aid::AidQuery {
                case_id: Some(c.id),
                ..Default::default()
            },
        )
        .await?;
    let beside = Beside {
        aid,
        likely: Vec::new(),
    };
    Ok((c, app.case_types(&v.actor).await?, beside))
}

async fn show(State(app): State<App>, v: Viewer, Path(id): Path<String>) -> Response {
    match load(&app, &v, &id).await {
        Ok((c, t, b)) => case_page(&v, &t, &c, &b, &PlainForm::default(), &Fields::new()),
        Err(e) => error_page(&v, e),
    }
}

async fn again(app: &App, v: &Viewer, id: &str, f: &PlainForm, e: AppError) -> Response {
    let (errors, likely) = match e {
        AppError::LikelyDuplicate(found) => (Fields::new(), found),
        e => match super::layout::refusal(e) {
            Ok(errors) => (errors, Vec::new()),
            Err(e) => return error_page(v, e),
        },
    };
    match load(app, v, id).await {
        Ok((c, t, mut b)) => {
            let conflict = !likely.is_empty();
            b.likely = likely;
            let mut r = case_page(v, &t, &c, &b, f, &errors);
            if conflict {
                *r.status_mut() = StatusCode::CONFLICT;
            }
            r
        }
        Err(e) => error_page(v, e),
    }
}

async fn register(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let cid = match path_id(&id, "case") {
        Ok(i) => i,
        Err(e) => return error_page(&v, e),
    };
    let input = muster_app::cases::RegisterInput {
        unit_code: f.opt("unit_code"),
        gender: None,
        allow_duplicate: f.on("allow_duplicate"),
    };
    match app.register_case_person(&v.actor, cid, input).await {
        Ok(_) => redirect_with_flash(&format!("/cases/{cid}"), "flash-case-registered"),
        Err(e) => again(&app, &v, &id, &f, e).await,
    }
}

async fn activity(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let cid = match path_id(&id, "case") {
        Ok(i) => i,
        Err(e) => return error_page(&v, e),
    };
    let input = ActivityInput {
        kind: f.opt("kind"),
        on_day: f.opt("on_day").map(|d| v.lang.iso_date(&d)),
        text: f.opt("text"),
    };
    match app.record_case_activity(&v.actor, cid, input).await {
        Ok(_) => redirect_with_flash(&format!("/cases/{cid}#timeline"), "flash-activity-saved"),
        Err(e) => again(&app, &v, &id, &f, e).await,
    }
}

async fn status(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let cid = match path_id(&id, "case") {
        Ok(i) => i,
        Err(e) => return error_page(&v, e),
    };
    let input = StatusInput {
        status: f.opt("status"),
        outcome: f.opt("outcome"),
        on_day: f.opt("on_day").map(|d| v.lang.iso_date(&d)),
    };
    match app.set_case_status(&v.actor, cid, input).await {
        Ok(_) => redirect_with_flash(&format!("/cases/{cid}"), "flash-case-status"),
        Err(e) => again(&app, &v, &id, &f, e).await,
    }
}

async fn refer(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let cid = match path_id(&id, "case") {
        Ok(i) => i,
        Err(e) => return error_page(&v, e),
    };
    let input = ReferInput {
        unit_code: f.opt("refer_unit"),
        note: f.opt("note"),
    };
    match app.refer_case(&v.actor, cid, input).await {
        Ok(_) => redirect_with_flash(&format!("/cases/{cid}"), "flash-case-referred"),
        Err(e) => again(&app, &v, &id, &f, e).await,
    }
}

async fn upload(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<String>,
    mut form: axum::extract::Multipart,
) -> Response {
    let cid = match path_id(&id, "case") {
        Ok(i) => i,
        Err(e) => return error_page(&v, e),
    };
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("document").to_string();
            match field.bytes().await {
                Ok(b) => file = Some((name, b.to_vec())),
                Err(_) => {
                    return again(
                        &app,
                        &v,
                        &id,
                        &PlainForm::default(),
                        AppError::field("file", "file_too_large"),
                    )
                    .await
                }
            }
        }
    }
    let (name, bytes) = file.unwrap_or_else(|| ("document".into(), Vec::new()));
    match app.attach_case_document(&v.actor, cid, &name, &bytes).await {
        Ok(_) => redirect_with_flash(
            &format!("/cases/{cid}#documents"),
            "flash-document-attached",
        ),
        Err(e) => again(&app, &v, &id, &PlainForm::default(), e).await,
    }
}

async fn download(
    State(app): State<App>,
    v: Viewer,
    Path((id, doc)): Path<(String, String)>,
) -> Response {
    let (cid, did) = match (path_id(&id, "case"), path_id(&doc, "document")) {
        (Ok(c), Ok(d)) => (c, d),
        (Err(e), _) | (_, Err(e)) => return error_page(&v, e),
    };
    match app.case_document(&v.actor, cid, did).await {
        Ok(f) => document_response(&f),
        Err(e) => error_page(&v, e),
    }
}
