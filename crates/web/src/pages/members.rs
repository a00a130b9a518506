//! Members: the searchable list, one member's page, and registering a member.

use super::layout::{error_page, field, redirect_with_flash, select, Viewer};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Form;
use maud::html;
use muster_app::dedupe::LikelyDuplicate;
use muster_app::members::{
    MemberDetail, MemberPatch, MemberQuery, NewMember, PatchFields, PersonInput, StatusChange,
    Transfer,
};
use muster_app::{App, AppError, Fields};
use muster_domain::member::{EmploymentType, Gender, InformalCategory, Status};
use serde::Deserialize;
use std::collections::HashMap;

page_routes! {
    "/members" => get(list),
    "/members/new" => get(new_form).post(create),
    "/members/{id}" => get(show),
    "/members/{id}/edit" => get(edit_form).post(update),
    "/members/{id}/status" => post(change_status),
    "/members/{id}/transfer" => post(transfer),
}

fn enc(s: &str) -> String {
    crate::api::enc(s)
}

async fn list(State(app): State<App>, v: Viewer, Query(q): Query<MemberQuery>) -> Response {
    let l = &v.lang;
    let page = app.list_members(&v.actor, &q).await;
    let filters = |extra: &str| {
        let mut s = String::new();
        for (k, val) in [
            ("q", &q.q),
            ("unit", &q.unit),
            ("status", &q.status),
            ("employment_type", &q.employment_type),
            ("sort", &q.sort),
        ] {
            if let Some(val) = val.as_deref().filter(|x| !x.is_empty()) {
                s.push_str(&format!("&{k}={}", enc(val)));
            }
        }
        format!("/members?{}{extra}", s.trim_start_matches('&'))
    };
    let mut status_options = vec![(String::new(), v.t("filter-all-statuses"))];
    status_options.extend(Status::ALL.iter().map(|s| {
        (
            s.as_str().to_string(),
            v.t(&format!("status-{}", s.as_str())),
        )
    }));
    let mut employment_options = vec![(String::new(), v.t("filter-all-employment"))];
    employment_options.extend(EmploymentType::ALL.iter().map(|e| {
        (
            e.as_str().to_string(),
            v.t(&format!("employment-{}", e.as_str())),
        )
    }));
    let errors: Fields = match &page {
        Err(AppError::Invalid(f)) => f.clone(),
        _ => Fields::new(),
    };
    let body = html! {
        form.filters method="get" action="/members" role="search" {
            (field(l, "q", "members-search", q.q.as_deref().unwrap_or(""), None, "search", Some(&v.t("members-search-hint"))))
            // A code, not a list: a federation has thousands of units.
            (field(l, "unit", "filter-unit-code", q.unit.as_deref().unwrap_or(""), errors.get("unit"), "text", Some(&v.t("filter-all-units"))))
            (select(l, "status", "member-status", &status_options, q.status.as_deref().unwrap_or(""), errors.get("status")))
            (select(l, "employment_type", "member-employment", &employment_options, q.employment_type.as_deref().unwrap_or(""), errors.get("employment_type")))
            (select(l, "sort", "members-sort", &[(String::new(), v.t("sort-registered")), ("name".to_string(), v.t("sort-name"))], q.sort.as_deref().unwrap_or(""), None))
            div.actions { button type="submit" { (v.t("members-search-submit")) } }
        }
        @if v.actor.role().edits_registry() {
            p.actions {
                a.button href="/members/new" { (v.t("members-new")) }
                " " a href="/members/import" #import-link { (v.t("members-import")) }
                " · " a href="/members/duplicates" { (v.t("members-duplicates")) }
            }
        }
        @let export_query = filters("").trim_start_matches("/members?").to_string();
        p.exports {
            (v.t("members-export")) " "
            a href={"/members/export.csv?" (export_query)} #export-csv { (v.t("members-export-csv")) } " · "
            a href={"/members/export.xlsx?" (export_query)} #export-xlsx { (v.t("members-export-xlsx")) } " · "
            a href={"/members/export.csv?dates=iso&" (export_query)} #export-iso { (v.t("members-export-iso")) }
        }
        @match &page {
            Ok(p) if p.items.is_empty() => { p.empty { (v.t("members-empty")) } },
            Ok(p) => {
                div.scroll {
                    table.members {
                        thead { tr {
                            th scope="col" { (v.t("member-name")) }
                            th scope="col" { (v.t("member-number")) }
                            th scope="col" { (v.t("member-unit")) }
                            th scope="col" { (v.t("member-status")) }
                            th scope="col" { (v.t("member-joined")) }
                        } }
                        tbody {
                            @for m in &p.items {
                                tr {
                                    td {
                                        a href=(format!("/members/{}", m.id)) { bdi { (m.full_name) } }
                                        @if let Some(latin) = &m.latin_name { br; small lang="en" dir="ltr" { (latin) } }
                                    }
                                    td { bdi dir="ltr" { (m.member_number.as_deref().unwrap_or("")) } }
                                    td { bdi dir="ltr" { (m.unit_code) } }
                                    td { (v.t(&format!("status-{}", m.status))) }
                                    td.date { (l.opt_date(m.joined_on.as_deref())) }
                                }
                            }
                        }
                    }
                }
                nav.pager aria-label=(v.t("pager-label")) {
                    @if q.cursor.as_deref().is_some_and(|c| !c.is_empty()) {
                        a href=(filters("")) { (v.t("pager-first")) }
                    }
                    @if let Some(next) = &p.next_cursor {
                        a rel="next" href=(filters(&format!("&cursor={}", enc(next)))) { (v.t("pager-next")) }
                    }
                }
            },
            Err(AppError::Invalid(_)) => { p.empty { (v.t("members-bad-filter")) } },
            Err(_) => { p.empty { (v.t("error-internal")) } },
        }
    };
    v.page(&v.t("nav-members"), "nav-members", body)
}

async fn show(State(app): State<App>, v: Viewer, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return error_page(&v, AppError::NotFound("member"));
    };
    let m = match app.get_member(&v.actor, id).await {
        Ok(m) => m,
        Err(e) => return error_page(&v, e),
    };
    let seats = match app.seats_of_member(&v.actor, id).await {
        Ok(s) => s,
        Err(e) => return error_page(&v, e),
    };
    let milestones_q = muster_app::schemes::MilestoneQuery {
        person_id: Some(id),
        unit: None,
        ..Default::default()
    };
    let (schemes, milestones) = match (
        app.enrollments_of(&v.actor, id).await,
        app.milestones(&v.actor, &milestones_q).await,
    ) {
        (Ok(s), Ok(ms)) => (s, ms),
        // An instance-wide reader has no unit to read milestones under.
        (Ok(s), Err(AppError::Invalid(_))) => (s, Vec::new()),
        (Err(e), _) | (_, Err(e)) => return error_page(&v, e),
    };
    let courses = match app.courses_of(&v.actor, id).await {
        Ok(c) => c,
        Err(e) => return error_page(&v, e),
    };
    let l = &v.lang;
    let row = |key: &str, value: String| {
        html! {
            @if !value.is_empty() { div { dt { (v.t(key)) } dd { bdi { (value) } } } }
        }
    };
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
    let body = html! {
        dl.details {
            (row("member-latin-name", opt(&m.person.latin_name)))
            (row("member-number", opt(&m.member_number)))
            (row("member-unit", m.unit_code.clone()))
            (row("member-status", v.t(&format!("status-{}", m.status))))
            (row("member-joined", l.opt_date(m.joined_on.as_deref())))
            (row("member-left", l.opt_date(m.left_on.as_deref())))
            (row("member-gender", m.person.gender.as_ref().map(|g| v.t(&format!("gender-{g}"))).unwrap_or_default()))
            (row("member-birth-date", l.opt_date(m.person.birth_date.as_deref())))
            (row("member-phone", opt(&m.person.phone)))
            (row("member-email", opt(&m.person.email)))
            (row("member-employment", m.person.employment_type.as_ref().map(|e| v.t(&format!("employment-{e}"))).unwrap_or_default()))
            (row("member-informal-category", m.person.informal_category.as_ref().map(|c| v.t(&format!("category-{c}"))).unwrap_or_default()))
            (row("member-workplace", opt(&m.person.workplace_code)))
        }
        @if v.actor.role().edits_registry() {
            (actions(&v, &m))
        }
        h2 { (v.t("member-history")) }
        div.scroll { table {
            thead { tr {
                th scope="col" { (v.t("member-unit")) } th scope="col" { (v.t("member-status")) }
                th scope="col" { (v.t("member-joined")) } th scope="col" { (v.t("member-left")) }
            } }
            tbody { @for h in &m.history { tr {
                td { bdi dir="ltr" { (h.unit_code) } } td { (v.t(&format!("status-{}", h.status))) }
                td.date { (l.opt_date(h.joined_on.as_deref())) } td.date { (l.opt_date(h.left_on.as_deref())) }
            } } }
        } }
        @if !seats.is_empty() {
            h2 { (v.t("member-committee-seats")) }
            div.scroll { table #committee-seats {
                thead { tr {
                    th scope="col" { (v.t("committee-name")) } th scope="col" { (v.t("seat-position")) }
                    th scope="col" { (v.t("seat-from")) } th scope="col" { (v.t("seat-until")) }
                } }
                tbody { @for s in &seats { tr.past[!s.current] {
                    td { a href=(format!("/committees/{}", s.committee_id)) { bdi { (s.committee_name) } } " · " bdi dir="ltr" { (s.unit_code) } }
                    td { (v.t(&format!("position-{}", s.position))) }
                    td.date { (l.date(&s.from_on)) } td.date { (l.opt_date(s.until_on.as_deref())) }
                } } }
            } }
        }
        @if !schemes.is_empty() {
            h2 { (v.t("nav-schemes")) }
            div.scroll { table #member-schemes {
                thead { tr {
                    th scope="col" { (v.t("scheme-code")) } th scope="col" { (v.t("case-status")) }
                    th scope="col" { (v.t("scheme-number")) } th scope="col" { (v.t("aid-day")) }
                } }
                tbody { @for e in &schemes { tr {
                    td { a href=(format!("/schemes/{}", e.scheme)) { code dir="ltr" { (e.scheme) } } }
                    td { (v.t(&format!("estatus-{}", e.status))) @if e.outside_rule { " · " (v.t("scheme-outside-rule")) } }
                    td { @if let Some(n) = &e.scheme_number { bdi dir="ltr" { (n) } } }
                    td.date { (l.date(&e.updated_on)) }
                } } }
            } }
        }
        @if !courses.is_empty() {
            h2 { (v.t("nav-courses")) }
            ul #member-courses { @for c in &courses {
                li { a href=(format!("/courses/{}", c.course_id)) { bdi { (c.course) } } " · " (v.t(&format!("coursekind-{}", c.kind)))
                    @if let Some(d) = &c.completed_on { " · " (v.t("course-completed-on")) " " (l.date(d)) } }
            } }
        }
        @if !milestones.is_empty() {
            h2 { (v.t("nav-milestones")) }
            ul #member-milestones { @for ms in &milestones {
                li { (l.date(&ms.on_day)) " · " (v.t(&format!("milestone-{}", ms.kind))) @if let Some(n) = &ms.note { " · " bdi { (n) } } }
            } }
        }
        h2 { (v.t("member-audit")) }
        ol.audit { @for a in &m.audit {
            li { span.date { (l.date(a.at.get(..10).unwrap_or(""))) " " (a.at.get(11..16).map(|t| l.digits.apply(t)).unwrap_or_default()) } " · " bdi { (a.actor) } " · " (v.t(&format!("audit-{}", a.action))) }
        } }
    };
    v.page(&m.person.full_name, "nav-members", body)
}

#[derive(Deserialize, Default, Clone)]
struct MemberForm {
    #[serde(flatten)]
    values: HashMap<String, String>,
}

impl MemberForm {
    fn get(&self, k: &str) -> &str {
        self.values.get(k).map(String::as_str).unwrap_or("")
    }
    fn opt(&self, k: &str) -> Option<String> {
        Some(self.get(k).trim().to_string()).filter(|s| !s.is_empty())
    }
}

/// Above this many units, the unit of a new member is typed as a code.
const MAX_UNIT_CHOICES: usize = 300;

/// Where a member form posts and what it is called: registering or editing.
struct Target {
    action: String,
    title_key: &'static str,
    editing: bool,
}

fn new_target() -> Target {
    Target {
        action: "/members/new".into(),
        title_key: "members-new",
        editing: false,
    }
}

async fn form_page(
    app: &App,
    v: &Viewer,
    values: &MemberForm,
    errors: &Fields,
    target: &Target,
    duplicates: &[LikelyDuplicate],
) -> Response {
    let l = &v.lang;
    let units = app.list_units(&v.actor).await.unwrap_or_default();
    let mut unit_options = vec![(String::new(), v.t("choose"))];
    unit_options.extend(units.iter().map(|u| {
        (
            u.code.clone(),
            format!("{}{}", "· ".repeat(u.depth as usize), u.name_in(l.locale)),
        )
    }));
    let options = |prefix: &str, all: &[&str]| {
        let mut o = vec![(String::new(), v.t("choose"))];
        o.extend(
            all.iter()
                .map(|s| (s.to_string(), v.t(&format!("{prefix}-{s}")))),
        );
        o
    };
    let genders: Vec<&str> = Gender::ALL.iter().map(|g| g.as_str()).collect();
    let employment: Vec<&str> = EmploymentType::ALL.iter().map(|g| g.as_str()).collect();
    let categories: Vec<&str> = InformalCategory::ALL.iter().map(|g| g.as_str()).collect();
    let hint = l.date_hint();
    let text = |name: &str, key: &str, kind: &str, h: Option<&str>| {
        field(l, name, key, values.get(name), errors.get(name), kind, h)
    };
    let body = html! {
        @if !errors.is_empty() { p.error role="alert" { (v.t("form-has-errors")) } }
        @if !duplicates.is_empty() {
            div.card.warning role="alert" #likely-duplicates {
                p { strong { (v.t("dup-before-save")) } }
                ul {
                    @for d in duplicates {
                        li {
                            a href={"/members/" (d.id)} { bdi { (d.full_name) } }
                            " · " (d.unit_code)
                            @if let Some(b) = &d.birth_date { " · " (l.date(b)) }
                            @if let Some(n) = &d.member_number { " · " (n) }
                        }
                    }
                }
                p { (v.t("dup-before-save-hint")) }
            }
        }
        form.card method="post" action=(target.action) novalidate {
            (v.csrf_field())
            @if !duplicates.is_empty() { input type="hidden" name="allow_duplicate" value="1"; }
            @if !target.editing {
                // A list while it is short; past that, the code, as in the list filter.
                @if unit_options.len() <= MAX_UNIT_CHOICES {
                    (select(l, "unit_code", "member-unit", &unit_options, values.get("unit_code"), errors.get("unit_code")))
                } @else {
                    (field(l, "unit_code", "filter-unit-code", values.get("unit_code"), errors.get("unit_code"), "text", None))
                }
            }
            (text("full_name", "member-name", "text", None))
            (text("latin_name", "member-latin-name", "text", None))
            (select(l, "gender", "member-gender", &options("gender", &genders), values.get("gender"), errors.get("gender")))
            (text("birth_date", "member-birth-date", "text", Some(&hint)))
            (text("phone", "member-phone", "tel", None))
            (text("email", "member-email", "email", None))
            (select(l, "employment_type", "member-employment", &options("employment", &employment), values.get("employment_type"), errors.get("employment_type")))
            (select(l, "informal_category", "member-informal-category", &options("category", &categories), values.get("informal_category"), errors.get("informal_category")))
            @if !target.editing {
                (text("joined_on", "member-joined", "text", Some(&hint)))
            }
            (text("member_number", "member-number", "text", None))
            div.actions {
                button type="submit" {
                    @if duplicates.is_empty() { (v.t("save")) } @else { (v.t("dup-save-anyway")) }
                }
                a href="/members" { (v.t("cancel")) }
            }
        }
    };
    let mut r = v.page(&v.t(target.title_key), "nav-members", body);
    if !errors.is_empty() || !duplicates.is_empty() {
        *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

async fn new_form(State(app): State<App>, v: Viewer) -> Response {
    if !v.actor.role().edits_registry() {
        return error_page(&v, AppError::Forbidden);
    }
    form_page(
        &app,
        &v,
        &MemberForm::default(),
        &Fields::new(),
        &new_target(),
        &[],
    )
    .await
}

async fn create(State(app): State<App>, v: Viewer, Form(f): Form<MemberForm>) -> Response {
    let l = &v.lang;
    let input = NewMember {
        unit_code: f.get("unit_code").to_string(),
        person: PersonInput {
            full_name: f.opt("full_name"),
            latin_name: f.opt("latin_name"),
            gender: f.opt("gender"),
            birth_date: f.opt("birth_date").map(|d| l.iso_date(&d)),
            phone: f.opt("phone"),
            email: f.opt("email"),
            employment_type: f.opt("employment_type"),
            informal_category: f.opt("informal_category"),
            ..PersonInput::default()
        },
        joined_on: f.opt("joined_on").map(|d| l.iso_date(&d)),
        member_number: f.opt("member_number"),
        status: None,
        allow_duplicate: f.get("allow_duplicate") == "1",
    };
    match app.create_member(&v.actor, input).await {
        Ok(m) => redirect_with_flash(&format!("/members/{}", m.id), "flash-member-created"),
        Err(AppError::Invalid(errors)) => {
            form_page(&app, &v, &f, &errors, &new_target(), &[]).await
        }
        Err(AppError::LikelyDuplicate(found)) => {
            form_page(&app, &v, &f, &Fields::new(), &new_target(), &found).await
        }
        Err(AppError::Conflict { field, code }) => {
            let mut errors = Fields::new();
            errors.insert(field, code);
            form_page(&app, &v, &f, &errors, &new_target(), &[]).await
        }
        Err(e) => error_page(&v, e),
    }
}

/// The forms that change a member: edit link, status change, transfer.
fn actions(v: &Viewer, m: &MemberDetail) -> maud::Markup {
    let l = &v.lang;
    let current = Status::parse(&m.status).ok();
    let next: Vec<(String, String)> = Status::ALL
        .iter()
        .filter(|s| current.is_some_and(|c| c.can_become(**s)))
        .map(|s| {
            (
                s.as_str().to_string(),
                v.t(&format!("status-{}", s.as_str())),
            )
        })
        .collect();
    let hint = l.date_hint();
    html! {
        p { a.button href=(format!("/members/{}/edit", m.id)) { (v.t("member-edit")) } }
        div.columns {
            @if !next.is_empty() {
                form.card method="post" action=(format!("/members/{}/status", m.id)) {
                    h2 { (v.t("member-change-status")) }
                    (v.csrf_field())
                    (select(l, "status", "member-status", &next, "", None))
                    (field(l, "on", "member-change-on", "", None, "text", Some(&hint)))
                    div.actions { button type="submit" { (v.t("save")) } }
                }
            }
            @if current.is_some_and(|c| !c.is_closed()) {
                form.card method="post" action=(format!("/members/{}/transfer", m.id)) {
                    h2 { (v.t("member-transfer")) }
                    (v.csrf_field())
                    (field(l, "to_unit_code", "member-transfer-to", "", None, "text", None))
                    (field(l, "on", "member-change-on", "", None, "text", Some(&hint)))
                    div.actions { button type="submit" { (v.t("save")) } }
                }
            }
        }
    }
}

fn member_id(id: &str) -> Option<i64> {
    id.parse().ok()
}

/// After a change: back to the member's page with a message, or the page again with
/// the refusal shown.
fn after_change(
    v: &Viewer,
    id: i64,
    result: Result<MemberDetail, AppError>,
    flash: &str,
) -> Response {
    match result {
        Ok(_) => redirect_with_flash(&format!("/members/{id}"), flash),
        Err(AppError::Invalid(fields)) => {
            let detail = fields
                .iter()
                .map(|(f, c)| {
                    format!(
                        "{}: {}",
                        v.t(&format!("field-name-{}", f.replace('_', "-"))),
                        v.t(&format!("field-{c}"))
                    )
                })
                .collect::<Vec<_>>()
                .join(" ");
            let body = html! {
                p.error role="alert" { (detail) }
                p { a href=(format!("/members/{id}")) { (v.t("back")) } }
            };
            let mut r = v.page(&v.t("form-has-errors"), "nav-members", body);
            *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            r
        }
        Err(e) => error_page(v, e),
    }
}

#[derive(Deserialize)]
struct ChangeForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    to_unit_code: String,
    #[serde(default)]
    on: String,
}

/// What both change forms start with: the member id, the date typed in the reader's
/// calendar (none: today).
fn change_of(v: &Viewer, id: &str, f: &ChangeForm) -> Result<(i64, Option<String>), Box<Response>> {
    let Some(id) = member_id(id) else {
        return Err(Box::new(error_page(v, AppError::NotFound("member"))));
    };
    Ok((id, Some(v.lang.iso_date(&f.on)).filter(|d| !d.is_empty())))
}

async fn change_status(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<ChangeForm>,
) -> Response {
    let (id, on) = match change_of(&v, &id, &f) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let result = app
        .change_status(
            &v.actor,
            id,
            StatusChange {
                status: f.status,
                on,
            },
        )
        .await;
    after_change(&v, id, result, "flash-member-changed")
}

async fn transfer(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<ChangeForm>,
) -> Response {
    let (id, on) = match change_of(&v, &id, &f) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let transfer = Transfer {
        to_unit_code: f.to_unit_code,
        on,
        member_number: None,
    };
    let result = app.transfer_member(&v.actor, id, transfer).await;
    after_change(&v, id, result, "flash-member-changed")
}

fn edit_target(id: i64) -> Target {
    Target {
        action: format!("/members/{id}/edit"),
        title_key: "member-edit",
        editing: true,
    }
}

async fn edit_form(State(app): State<App>, v: Viewer, Path(id): Path<String>) -> Response {
    let Some(id) = member_id(&id) else {
        return error_page(&v, AppError::NotFound("member"));
    };
    let m = match app.get_member(&v.actor, id).await {
        Ok(m) => m,
        Err(e) => return error_page(&v, e),
    };
    if !v.actor.role().edits_registry() {
        return error_page(&v, AppError::Forbidden);
    }
    let l = &v.lang;
    let mut values = HashMap::new();
    let mut put = |k: &str, val: Option<String>| {
        values.insert(k.to_string(), val.unwrap_or_default());
    };
    put("full_name", Some(m.person.full_name.clone()));
    put("latin_name", m.person.latin_name.clone());
    put("gender", m.person.gender.clone());
    put(
        "birth_date",
        m.person.birth_date.as_deref().map(|d| l.date(d)),
    );
    put("phone", m.person.phone.clone());
    put("email", m.person.email.clone());
    put("employment_type", m.person.employment_type.clone());
    put("informal_category", m.person.informal_category.clone());
    put("member_number", m.member_number.clone());
    let form = MemberForm { values };
    form_page(&app, &v, &form, &Fields::new(), &edit_target(id), &[]).await
}

async fn update(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<MemberForm>,
) -> Response {
    let Some(id) = member_id(&id) else {
        return error_page(&v, AppError::NotFound("member"));
    };
    let l = &v.lang;
    let set = |k: &str| Some(f.opt(k));
    let patch = MemberPatch {
        person: PatchFields {
            full_name: set("full_name"),
            latin_name: set("latin_name"),
            gender: set("gender"),
            birth_date: Some(f.opt("birth_date").map(|d| l.iso_date(&d))),
            phone: set("phone"),
            email: set("email"),
            employment_type: set("employment_type"),
            informal_category: set("informal_category"),
            ..PatchFields::default()
        },
        member_number: set("member_number"),
    };
    match app.update_member(&v.actor, id, patch).await {
        Ok(_) => redirect_with_flash(&format!("/members/{id}"), "flash-member-changed"),
        Err(AppError::Invalid(errors)) => {
            form_page(&app, &v, &f, &errors, &edit_target(id), &[]).await
        }
        Err(AppError::Conflict { field, code }) => {
            let mut errors = Fields::new();
            errors.insert(field, code);
            form_page(&app, &v, &f, &errors, &edit_target(id), &[]).await
        }
        Err(e) => error_page(&v, e),
    }
}
