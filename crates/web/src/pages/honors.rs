//! Honors: the tree's categories, calls for nominations with their quotas, nominating,
//! each level's approval, the award, a printable certificate, and the public page that
//! confirms a certificate's code.

use super::layout::{
    error_page, field, frame, redirect_with_flash, select, visitor_lang, PlainForm, Viewer,
};
use crate::api::extract::path_id;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use maud::html;
use muster_app::honors::{
    AwardInput, CallInput, CallQuery, CallView, CategoryInput, NominationInput, NominationView,
    QuotaInput, StepInput,
};
use muster_app::{App, AppError, Fields};
use std::collections::BTreeMap;

page_routes! {
    "/honors" => get(list),
    "/honors/categories" => post(create_category),
    "/honors/new" => get(new_call).post(create_call),
    "/honors/{id}" => get(show),
    "/honors/{id}/quotas" => post(set_quota),
    "/honors/{id}/nominations" => post(nominate),
    "/nominations/{id}/step" => post(step),
    "/nominations/{id}/award" => post(award),
    "/nominations/{id}/certificate" => get(certificate),
    "/verify/{code}" => get(verify),
}

fn name_in<'a>(locale: &str, name: &'a str, names: &'a BTreeMap<String, String>) -> &'a str {
    names.get(locale).map(String::as_str).unwrap_or(name)
}

#[derive(serde::Deserialize, Default)]
struct ProgramQuery {
    program: Option<i64>,
    event: Option<i64>,
}

async fn list(State(app): State<App>, v: Viewer, Query(q): Query<ProgramQuery>) -> Response {
    list_page(&app, &v, q.program, &PlainForm::default(), &Fields::new()).await
}

async fn list_page(
    app: &App,
    v: &Viewer,
    program: Option<i64>,
    f: &PlainForm,
    errors: &Fields,
) -> Response {
    let calls = match app
        .list_honor_calls(
            &v.actor,
            &CallQuery {
                program,
                limit: Some(500),
            },
        )
        .await
    {
        Ok(c) => c,
        Err(e) => return error_page(v, e),
    };
    let categories = match app.honor_categories(&v.actor).await {
        Ok(c) => c,
        Err(e) => return error_page(v, e),
    };
    let l = &v.lang;
    let locale = l.locale;
    let new_href = match program {
        Some(p) => format!("/honors/new?program={p}"),
        None => "/honors/new".into(),
    };
    let body = html! {
        @if let Some(p) = program { p.muted { a href=(format!("/programs/{p}")) { (v.t("event-program")) } } }
        @if v.governs() && !categories.is_empty() { p.actions { a.button #new-call href=(new_href) { (v.t("honor-call-new")) } } }
        @if calls.is_empty() { p.empty { (v.t("honor-call-none")) } } @else {
            table #honor-calls {
                thead { tr { th { (v.t("member-unit")) } th { (v.t("honor-call")) } th { (v.t("honor-category")) } th.num { (v.t("honor-quota")) } th.num { (v.t("honor-nominations")) } th.num { (v.t("honor-awarded")) } } }
                tbody { @for c in &calls { tr {
                    td data-label=(v.t("member-unit")) { bdi dir="ltr" { (c.unit_code) } }
                    td data-label=(v.t("honor-call")) { a href=(format!("/honors/{}", c.id)) { bdi { (c.name) } } }
                    td data-label=(v.t("honor-category")) { bdi { (name_in(locale, &c.category.name, &c.category.names)) } }
                    td.num data-label=(v.t("honor-quota")) { (l.number(c.quota)) }
                    td.num data-label=(v.t("honor-nominations")) { (l.number(c.nomination_count)) }
                    td.num data-label=(v.t("honor-awarded")) { (l.number(c.awarded)) }
                } } }
            }
        }
        h2 { (v.t("honor-categories")) }
        @if categories.is_empty() { p.empty { (v.t("honor-category-none")) } } @else {
            ul #honor-categories { @for c in &categories { li { bdi { (name_in(locale, &c.name, &c.names)) } " " code dir="ltr" { (c.code) } } } }
        }
        @if v.actor.role().may(muster_domain::user::Permission::ManageUnits) {
            form.card #new-category method="post" action="/honors/categories" novalidate {
                (v.csrf_field())
                h3 { (v.t("honor-category-new")) }
                @if let Some(code) = errors.get("tree_code") { p.error { (v.t(&format!("field-{code}"))) } }
                (field(l, "code", "honor-category-code", f.get("code"), errors.get("code"), "text", None))
                (field(l, "name", "honor-category-name", f.get("name"), errors.get("name"), "text", None))
                @for loc in crate::i18n::LOCALES {
                    (field(l, &format!("name_{loc}"), &format!("drive-name-{loc}"), f.get(&format!("name_{loc}")), errors.get(&format!("names.{loc}")), "text", None))
                }
                div.actions { button type="submit" { (v.t("save")) } }
            }
        }
    };
    let mut r = v.page(&v.t("nav-honors"), "nav-programs", body);
    if !errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

fn names_of(f: &PlainForm) -> BTreeMap<String, String> {
    crate::i18n::LOCALES
        .iter()
        .filter_map(|loc| f.opt(&format!("name_{loc}")).map(|n| (loc.to_string(), n)))
        .collect()
}

async fn create_category(State(app): State<App>, v: Viewer, Form(f): Form<PlainForm>) -> Response {
    let input = CategoryInput {
        tree_code: f.opt("tree_code"),
        code: f.opt("code"),
        name: f.opt("name"),
        names: names_of(&f),
    };
    match app.create_honor_category(&v.actor, input).await {
        Ok(_) => redirect_with_flash("/honors", "flash-honor-category-saved"),
        Err(AppError::Invalid(errors)) => list_page(&app, &v, None, &f, &errors).await,
        Err(AppError::Conflict { field, code }) => {
            let errors = Fields::from([(field, code)]);
            list_page(&app, &v, None, &f, &errors).await
        }
        Err(e) => error_page(&v, e),
    }
}

async fn call_form(app: &App, v: &Viewer, f: &PlainForm, errors: &Fields) -> Response {
    let categories = match app.honor_categories(&v.actor).await {
        Ok(c) => c,
        Err(e) => return error_page(v, e),
    };
    let l = &v.lang;
    let options: Vec<(String, String)> = categories
        .iter()
        .map(|c| {
            (
                c.id.to_string(),
                name_in(l.locale, &c.name, &c.names).to_string(),
            )
        })
        .collect();
    let hint = l.date_hint();
    let text = |name: &str, key: &str, h: Option<&str>| {
        field(l, name, key, f.get(name), errors.get(name), "text", h)
    };
    let body = html! {
        @if !errors.is_empty() { p.error role="alert" { (v.t("form-has-errors")) } }
        @for key in ["program_id", "event_id"] {
            @if let Some(code) = errors.get(key) { p.error { (v.t(&format!("field-{code}"))) } }
        }
        form.card method="post" action="/honors/new" novalidate {
            (v.csrf_field())
            input type="hidden" name="program_id" value=(f.get("program_id"));
            (text("unit_code", "member-unit", None))
            (select(l, "category_id", "honor-category", &options, f.get("category_id"), errors.get("category_id")))
            (text("name", "honor-call", None))
            (text("quota", "honor-quota", None))
            (text("closes_on", "honor-closes-on", Some(&hint)))
            (text("event_id", "honor-event", None))
            div.actions { button type="submit" { (v.t("save")) } a href="/honors" { (v.t("cancel")) } }
        }
    };
    let mut r = v.page(&v.t("honor-call-new"), "nav-programs", body);
    if !errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

async fn new_call(State(app): State<App>, v: Viewer, Query(q): Query<ProgramQuery>) -> Response {
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
    call_form(&app, &v, &f, &Fields::new()).await
}

fn number(f: &PlainForm, name: &str, errors: &mut Fields) -> Option<i64> {
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

async fn create_call(State(app): State<App>, v: Viewer, Form(f): Form<PlainForm>) -> Response {
    let mut errors = Fields::new();
    let program_id = number(&f, "program_id", &mut errors);
    let event_id = number(&f, "event_id", &mut errors);
    let category_id = number(&f, "category_id", &mut errors);
    let quota = number(&f, "quota", &mut errors);
    if !errors.is_empty() {
        return call_form(&app, &v, &f, &errors).await;
    }
    let input = CallInput {
        unit_code: f.opt("unit_code"),
        category_id,
        program_id,
        event_id,
        name: f.opt("name"),
        quota,
        quotas: BTreeMap::new(),
        closes_on: f.opt("closes_on").map(|d| v.lang.iso_date(&d)),
    };
    match app.create_honor_call(&v.actor, input).await {
        Ok(c) => redirect_with_flash(&format!("/honors/{}", c.id), "flash-honor-call-saved"),
        Err(AppError::Invalid(errors)) => call_form(&app, &v, &f, &errors).await,
        Err(e) => error_page(&v, e),
    }
}

fn nomination_row(v: &Viewer, n: &NominationView) -> maud::Markup {
    let l = &v.lang;
    html! {
        tr id=(format!("nomination-{}", n.id)) {
            td data-label=(v.t("member-unit")) { bdi dir="ltr" { (n.unit_code) } }
            td data-label=(v.t("honor-nominee")) {
                bdi { (n.name) } @if let Some(o) = &n.organization { br; span.muted { bdi { (o) } } }
                @if let Some(c) = &n.citation { br; small { bdi { (c) } } }
            }
            td data-label=(v.t("honor-status")) {
                (v.t(&format!("nstatus-{}", n.status)))
                @if let Some(w) = &n.awaiting { " · " bdi dir="ltr" { (w) } }
                @if let Some(d) = &n.awarded_on { " · " (l.date(d)) }
                @for s in &n.steps { br; small.muted { bdi dir="ltr" { (s.unit_code) } " " (v.t(&format!("nact-{}", s.act))) @if let Some(note) = &s.note { ": " bdi { (note) } } } }
            }
            td data-label=(v.t("honor-actions")) {
                @if v.governs() {
                    @if n.status == "pending" {
                        form.inline method="post" action=(format!("/nominations/{}/step", n.id)) {
                            (v.csrf_field()) input type="hidden" name="act" value="approve";
                            button.approve type="submit" { (v.t("honor-approve")) }
                        }
                        form.inline method="post" action=(format!("/nominations/{}/step", n.id)) {
                            (v.csrf_field()) input type="hidden" name="act" value="reject";
                            input name="note" aria-label=(v.t("honor-reason")) placeholder=(v.t("honor-reason"));
                            button type="submit" { (v.t("honor-reject")) }
                        }
                    }
                    @if n.status == "approved" {
                        form.inline method="post" action=(format!("/nominations/{}/award", n.id)) {
                            (v.csrf_field())
                            button.award type="submit" { (v.t("honor-award")) }
                        }
                    }
                }
                @if n.certificate.is_some() {
                    a.certificate href=(format!("/nominations/{}/certificate", n.id)) { (v.t("honor-certificate")) }
                }
            }
        }
    }
}

fn call_page(v: &Viewer, c: &CallView, f: &PlainForm, errors: &Fields) -> Response {
    let l = &v.lang;
    let body = html! {
        p.muted {
            bdi dir="ltr" { (c.unit_code) } " · " bdi { (name_in(l.locale, &c.category.name, &c.category.names)) }
            @if let Some(d) = &c.closes_on { " · " (v.t("honor-closes-on")) " " (l.date(d)) }
            @if let Some(p) = c.program_id { " · " a href=(format!("/programs/{p}")) { (v.t("event-program")) } }
            @if let Some(e) = c.event_id { " · " a href=(format!("/events/{e}")) { (v.t("honor-at-event")) } }
        }
        p { (v.t("honor-quota")) ": " (l.number(c.quota))
            @for q in &c.quotas { " · " bdi dir="ltr" { (q.unit_code) } " " (l.number(q.quota)) } }
        @if !errors.is_empty() {
            div.error role="alert" { p { (v.t("form-has-errors")) }
                ul { @for (k, code) in errors { li { code { (k) } " " (v.t(&format!("field-{code}"))) } } } }
        }
        @if c.nominations.is_empty() { p.empty { (v.t("honor-nomination-none")) } } @else {
            table #nominations {
                thead { tr { th { (v.t("member-unit")) } th { (v.t("honor-nominee")) } th { (v.t("honor-status")) } th { (v.t("honor-actions")) } } }
                tbody { @for n in &c.nominations { (nomination_row(v, n)) } }
            }
        }
        form.card #nominate method="post" action=(format!("/honors/{}/nominations", c.id)) novalidate {
            (v.csrf_field())
            h2 { (v.t("honor-nominate")) }
            (field(l, "unit_code", "member-unit", f.get("unit_code"), errors.get("unit_code"), "text", None))
            (field(l, "member_number", "member-number", f.get("member_number"), errors.get("member_number").or(errors.get("person_id")), "text", None))
            (field(l, "outside_name", "honor-outside-name", f.get("outside_name"), errors.get("outside_name"), "text", None))
            (field(l, "organization", "honor-organization", f.get("organization"), errors.get("organization"), "text", None))
            div.field { label for="citation" { (v.t("honor-citation")) } textarea #citation name="citation" rows="3" { (f.get("citation")) } }
            div.actions { button type="submit" { (v.t("honor-nominate")) } }
        }
        @if v.governs() {
            form.card #quota method="post" action=(format!("/honors/{}/quotas", c.id)) novalidate {
                (v.csrf_field())
                h2 { (v.t("honor-unit-quota")) }
                (field(l, "quota_unit", "member-unit", f.get("quota_unit"), errors.get("quota_unit"), "text", None))
                (field(l, "quota", "honor-quota", f.get("quota"), errors.get("quota"), "text", None))
                div.actions { button type="submit" { (v.t("save")) } }
            }
        }
    };
    let mut r = v.page(&c.name, "nav-programs", body);
    if !errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

async fn load(app: &App, v: &Viewer, id: &str) -> Result<CallView, AppError> {
    app.honor_call(&v.actor, path_id(id, "honor_call")?).await
}

async fn show(State(app): State<App>, v: Viewer, Path(id): Path<String>) -> Response {
    match load(&app, &v, &id).await {
        Ok(c) => call_page(&v, &c, &PlainForm::default(), &Fields::new()),
        Err(e) => error_page(&v, e),
    }
}

async fn again(app: &App, v: &Viewer, id: &str, f: &PlainForm, e: AppError) -> Response {
    let errors = match super::layout::refusal(e) {
        Ok(errors) => errors,
        Err(e) => return error_page(v, e),
    };
    match load(app, v, id).await {
        Ok(c) => call_page(v, &c, f, &errors),
        Err(e) => error_page(v, e),
    }
}

async fn set_quota(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let cid = match path_id(&id, "honor_call") {
        Ok(i) => i,
        Err(e) => return error_page(&v, e),
    };
    let mut errors = Fields::new();
    let quota = number(&f, "quota", &mut errors);
    if !errors.is_empty() {
        return again(&app, &v, &id, &f, AppError::Invalid(errors)).await;
    }
    let input = QuotaInput {
        unit_code: f.opt("quota_unit"),
        quota,
    };
    match app.set_honor_quota(&v.actor, cid, input).await {
        Ok(_) => redirect_with_flash(&format!("/honors/{cid}"), "flash-quota-saved"),
        Err(AppError::Invalid(mut errors)) => {
            if let Some(code) = errors.remove("unit_code") {
                errors.insert("quota_unit".into(), code);
            }
            again(&app, &v, &id, &f, AppError::Invalid(errors)).await
        }
        Err(e) => again(&app, &v, &id, &f, e).await,
    }
}

async fn nominate(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let cid = match path_id(&id, "honor_call") {
        Ok(i) => i,
        Err(e) => return error_page(&v, e),
    };
    let input = NominationInput {
        unit_code: f.opt("unit_code"),
        person_id: None,
        member_number: f.opt("member_number"),
        outside_name: f.opt("outside_name"),
        organization: f.opt("organization"),
        citation: f.opt("citation"),
    };
    match app.nominate(&v.actor, cid, input).await {
        Ok(_) => redirect_with_flash(&format!("/honors/{cid}"), "flash-nominated"),
        Err(e) => again(&app, &v, &id, &f, e).await,
    }
}

async fn step(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let nid = match path_id(&id, "nomination") {
        Ok(i) => i,
        Err(e) => return error_page(&v, e),
    };
    let input = StepInput {
        act: f.get("act").to_string(),
        note: f.opt("note"),
    };
    match app.decide_nomination(&v.actor, nid, input).await {
        Ok(n) => redirect_with_flash(
            &format!("/honors/{}#nomination-{}", n.call_id, n.id),
            "flash-nomination-moved",
        ),
        Err(e) => error_page(&v, e),
    }
}

async fn award(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let nid = match path_id(&id, "nomination") {
        Ok(i) => i,
        Err(e) => return error_page(&v, e),
    };
    let input = AwardInput {
        day: f.opt("day").map(|d| v.lang.iso_date(&d)),
    };
    match app.award_honor(&v.actor, nid, input).await {
        Ok(n) => redirect_with_flash(
            &format!("/honors/{}#nomination-{}", n.call_id, n.id),
            "flash-honor-awarded",
        ),
        Err(e) => error_page(&v, e),
    }
}

/// The address of the public page that confirms a certificate, as the reader reached
/// this server.
pub(crate) fn verify_url(headers: &HeaderMap, code: &str) -> String {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let scheme = if super::layout::is_https(headers) {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}/verify/{code}")
}

/// A printable certificate: who, for what, by which unit and when, with the QR of the
/// public page that confirms it.
async fn certificate(
    State(app): State<App>,
    v: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let n = match path_id(&id, "nomination") {
        Ok(nid) => match app.nomination(&v.actor, nid).await {
            Ok(n) => n,
            Err(e) => return error_page(&v, e),
        },
        Err(e) => return error_page(&v, e),
    };
    let Some(code) = n.certificate.clone() else {
        return error_page(&v, AppError::NotFound("certificate"));
    };
    let c = match app.verify_certificate(&code).await {
        Ok(c) => c,
        Err(e) => return error_page(&v, e),
    };
    let l = &v.lang;
    let url = verify_url(&headers, &code);
    let body = html! {
        p.actions.no-print { a href=(format!("/honors/{}", n.call_id)) { bdi { (c.call) } } }
        article.certificate #certificate {
            p.certificate-by { bdi { (c.awarded_by) } }
            h2 { bdi { (name_in(l.locale, &c.category, &c.category_names)) } }
            p.certificate-name { bdi { (c.name) } }
            @if let Some(o) = &c.organization { p { bdi { (o) } } }
            p { bdi { (c.call) } " · " (l.date(&c.awarded_on)) }
            div.certificate-qr { (super::events::qr(&url)) }
            p.muted { (v.t("honor-verify-at")) " " code dir="ltr" { (url) } }
        }
    };
    v.page(&v.t("honor-certificate"), "nav-programs", body)
}

/// The public page that confirms a certificate's code: for anyone, signed in or not.
async fn verify(headers: HeaderMap, State(app): State<App>, Path(code): Path<String>) -> Response {
    let lang = visitor_lang(&headers);
    let found = if code.len() > 64 {
        Err(AppError::NotFound("certificate"))
    } else {
        app.verify_certificate(&code).await
    };
    let (status, body) = match found {
        Ok(c) => (
            StatusCode::OK,
            html! {
                section.card #verified {
                    p.success { (lang.t("honor-verified")) }
                    dl.details {
                        div { dt { (lang.t("honor-nominee")) } dd { bdi { (c.name) } } }
                        @if let Some(o) = &c.organization { div { dt { (lang.t("honor-organization")) } dd { bdi { (o) } } } }
                        div { dt { (lang.t("honor-category")) } dd { bdi { (name_in(lang.locale, &c.category, &c.category_names)) } } }
                        div { dt { (lang.t("honor-call")) } dd { bdi { (c.call) } } }
                        div { dt { (lang.t("honor-awarded-by")) } dd { bdi { (c.awarded_by) } } }
                        div { dt { (lang.t("honor-awarded-on")) } dd { (lang.date(&c.awarded_on)) } }
                    }
                }
            },
        ),
        // Not an honor's: perhaps a course's certificate.
        Err(_) => match app.verify_course_certificate(&code).await {
            Ok(c) if code.len() <= 64 => (
                StatusCode::OK,
                html! {
                    section.card #verified {
                        p.success { (lang.t("course-verified")) }
                        dl.details {
                            div { dt { (lang.t("case-name")) } dd { bdi { (c.name) } } }
                            div { dt { (lang.t("course-name")) } dd { bdi { (c.course) } } }
                            div { dt { (lang.t("course-kind")) } dd { (lang.t(&format!("coursekind-{}", c.kind))) } }
                            div { dt { (lang.t("course-held-by")) } dd { bdi { (c.held_by) } } }
                            div { dt { (lang.t("course-completed-on")) } dd { (lang.date(&c.completed_on)) } }
                        }
                    }
                },
            ),
            _ => (
                StatusCode::NOT_FOUND,
                html! { section.card #not-verified { p.error role="alert" { (lang.t("honor-not-verified")) } } },
            ),
        },
    };
    let page = frame(&lang, &lang.t("honor-verify-title"), None, "", body);
    (status, Html(page.into_string())).into_response()
}
