//! Courses and cadre camps: the list with the figures of the reader's subtree, a new
//! course, a course's page (sessions, trainees, attendance as one grid, assessment,
//! certificates), a printable certificate, and the cadre register.

use super::layout::{error_page, field, redirect_with_flash, select, PlainForm, Viewer};
use crate::api::extract::path_id;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use maud::html;
use muster_app::courses::{
    AssessmentInput, AttendanceInput, CourseInput, CourseQuery, CourseView, SessionInput,
    TraineeInput,
};
use muster_app::{App, AppError, Fields};
use muster_domain::courses::{Assessment, CourseKind};
use muster_domain::user::Permission;

page_routes! {
    "/courses" => get(list),
    "/courses/new" => get(new_course).post(create),
    "/courses/cadres" => get(cadres),
    "/courses/{id}" => get(show),
    "/courses/{id}/sessions" => post(add_session),
    "/courses/{id}/trainees" => post(add_trainee),
    "/courses/{id}/attendance" => post(attendance),
    "/courses/{id}/trainees/{trainee}/assessment" => post(assess),
    "/courses/{id}/trainees/{trainee}/certificate" => get(certificate).post(certify),
}

async fn list(State(app): State<App>, v: Viewer) -> Response {
    let q = CourseQuery {
        unit: None,
        limit: Some(200),
    };
    let (courses, figures) = match (
        app.courses(&v.actor, &q).await,
        app.course_figures(&v.actor, &q).await,
    ) {
        (Ok(c), Ok(f)) => (c, f),
        (Ok(c), Err(AppError::Invalid(_))) => (c, Vec::new()),
        (Err(e), _) | (_, Err(e)) => return error_page(&v, e),
    };
    let l = &v.lang;
    let body = html! {
        p.actions {
            @if v.actor.role().may(Permission::Govern) { a.button #new-course href="/courses/new" { (v.t("course-new")) } }
            a href="/courses/cadres" { (v.t("course-cadres")) }
        }
        @if courses.is_empty() { p.empty { (v.t("course-none")) } } @else {
            table #courses.results {
                thead { tr { th { (v.t("course-name")) } th { (v.t("course-kind")) } th { (v.t("course-held-by")) } th { (v.t("course-days")) } } }
                tbody { @for c in &courses { tr {
                    td data-label=(v.t("course-name")) { a href=(format!("/courses/{}", c.id)) { bdi { (c.name) } } }
                    td data-label=(v.t("course-kind")) { (v.t(&format!("coursekind-{}", c.kind))) }
                    td data-label=(v.t("course-held-by")) { bdi dir="ltr" { (c.unit_code) } }
                    td data-label=(v.t("course-days")) { (l.date(&c.starts_on)) @if c.ends_on != c.starts_on { " – " (l.date(&c.ends_on)) } }
                } } }
            }
        }
        @if !figures.is_empty() {
            h2 { (v.t("course-figures")) }
            table #course-figures.results {
                thead { tr { th { (v.t("member-unit")) } th.num { (v.t("course-held")) } th.num { (v.t("course-trained")) } th.num { (v.t("course-certified")) } } }
                tbody { @for f in &figures { tr.total[f.row == "total"] {
                    td data-label=(v.t("member-unit")) { bdi dir="ltr" { (f.unit_code) } }
                    td.num data-label=(v.t("course-held")) { (l.number(f.courses)) }
                    td.num data-label=(v.t("course-trained")) { (l.number(f.trained)) }
                    td.num data-label=(v.t("course-certified")) { (l.number(f.certified)) }
                } } }
            }
        }
    };
    v.page(&v.t("nav-courses"), "nav-schemes", body)
}

fn course_form(v: &Viewer, f: &PlainForm, errors: &Fields) -> Response {
    let l = &v.lang;
    let hint = l.date_hint();
    let text = |name: &str, key: &str, h: Option<&str>| {
        field(l, name, key, f.get(name), errors.get(name), "text", h)
    };
    let kinds: Vec<(String, String)> = CourseKind::ALL
        .iter()
        .map(|k| {
            (
                k.as_str().into(),
                v.t(&format!("coursekind-{}", k.as_str())),
            )
        })
        .collect();
    let body = html! {
        @if !errors.is_empty() { p.error role="alert" { (v.t("form-has-errors")) } }
        form.card #course-form method="post" action="/courses/new" novalidate {
            (v.csrf_field())
            (text("unit_code", "course-held-by", None))
            (select(l, "kind", "course-kind", &kinds, f.get("kind"), errors.get("kind")))
            (text("name", "course-name", None))
            (text("place", "course-place", None))
            (text("trainer", "course-trainer", None))
            (text("starts_on", "program-starts", Some(&hint)))
            (text("ends_on", "program-ends", Some(&hint)))
            (text("min_attendance", "course-min-attendance", Some("80")))
            div.field { label { input type="checkbox" name="assessed" value="on" checked[f.on("assessed")]; " " (v.t("course-assessed")) } }
            div.actions { button type="submit" { (v.t("save")) } a href="/courses" { (v.t("cancel")) } }
        }
    };
    let mut r = v.page(&v.t("course-new"), "nav-schemes", body);
    if !errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

async fn new_course(State(app): State<App>, v: Viewer) -> Response {
    if !v.actor.role().may(Permission::Govern) {
        return error_page(&v, AppError::Forbidden);
    }
    let mut f = PlainForm::default();
    if let Ok(Some(code)) = app.unit_code_of(&v.actor).await {
        f.values.insert("unit_code".into(), code);
    }
    course_form(&v, &f, &Fields::new())
}

async fn create(State(app): State<App>, v: Viewer, Form(f): Form<PlainForm>) -> Response {
    let min = match f
        .opt("min_attendance")
        .map(|m| muster_domain::names::digits_to_ascii(&m).parse::<i64>())
    {
        None => None,
        Some(Ok(n)) => Some(n),
        Some(Err(_)) => Some(0),
    };
    let input = CourseInput {
        unit_code: f.opt("unit_code"),
        kind: f.opt("kind"),
        name: f.opt("name"),
        place: f.opt("place"),
        trainer: f.opt("trainer"),
        starts_on: f.opt("starts_on").map(|d| v.lang.iso_date(&d)),
        ends_on: f.opt("ends_on").map(|d| v.lang.iso_date(&d)),
        min_attendance: min,
        assessed: f.on("assessed"),
    };
    match app.create_course(&v.actor, input).await {
        Ok(c) => redirect_with_flash(&format!("/courses/{}", c.id), "flash-course-saved"),
        Err(e) => match super::layout::refusal(e) {
            Ok(errors) => course_form(&v, &f, &errors),
            Err(e) => error_page(&v, e),
        },
    }
}

fn course_page(v: &Viewer, c: &CourseView, f: &PlainForm, errors: &Fields) -> Response {
    let l = &v.lang;
    let hint = l.date_hint();
    let governs = v.actor.role().may(Permission::Govern);
    let edits = v.actor.role().may(Permission::EditRegistry);
    let results: Vec<(String, String)> = std::iter::once((String::new(), "—".to_string()))
        .chain(Assessment::ALL.iter().map(|a| {
            (
                a.as_str().into(),
                v.t(&format!("assessment-{}", a.as_str())),
            )
        }))
        .collect();
    let body = html! {
        p.muted {
            (v.t(&format!("coursekind-{}", c.kind))) " · " bdi dir="ltr" { (c.unit_code) } " · "
            (l.date(&c.starts_on)) @if c.ends_on != c.starts_on { " – " (l.date(&c.ends_on)) }
            @if let Some(p) = &c.place { " · " bdi { (p) } }
            @if let Some(t) = &c.trainer { " · " bdi { (t) } }
        }
        p #course-rule { (v.lang.t_args("course-rule", &[("percent", l.number(c.min_attendance))])) @if c.assessed { " " (v.t("course-rule-assessed")) } }
        @if !errors.is_empty() {
            div.error role="alert" { p { (v.t("form-has-errors")) }
                ul { @for (k, code) in errors { li { code { (k) } " " (v.t(&format!("field-{code}"))) } } } }
        }
        h2 { (v.t("course-sessions")) }
        @if c.sessions.is_empty() { p.empty { (v.t("course-no-sessions")) } }
        ol #course-sessions { @for s in &c.sessions {
            li { (l.date(&s.day)) " · " bdi { (s.title) } @if let Some(p) = &s.place { " · " bdi { (p) } } @if let Some(t) = &s.trainer { " · " bdi { (t) } } }
        } }
        @if governs {
            form.card #session-form method="post" action=(format!("/courses/{}/sessions", c.id)) novalidate {
                (v.csrf_field())
                h3 { (v.t("course-add-session")) }
                (field(l, "day", "aid-day", f.get("day"), errors.get("day"), "text", Some(&hint)))
                (field(l, "title", "course-session-title", f.get("title"), errors.get("title"), "text", None))
                (field(l, "trainer", "course-trainer", f.get("trainer"), errors.get("trainer"), "text", None))
                div.actions { button type="submit" { (v.t("save")) } }
            }
        }
        h2 { (v.t("course-trainees")) }
        @if c.trainees.is_empty() { p.empty { (v.t("course-no-trainees")) } } @else {
            form #attendance-form method="post" action=(format!("/courses/{}/attendance", c.id)) {
                (v.csrf_field())
                div.scroll { table #trainees.results {
                    thead { tr {
                        th { (v.t("case-name")) } th { (v.t("member-unit")) }
                        @for (i, s) in c.sessions.iter().enumerate() { th.num title=(format!("{} · {}", l.date(&s.day), s.title)) { (l.number(i as i64 + 1)) } }
                        th { (v.t("course-assessment")) } th { (v.t("course-certificate")) }
                    } }
                    tbody { @for t in &c.trainees { tr {
                        td data-label=(v.t("case-name")) { a href=(format!("/members/{}", t.person_id)) { bdi { (t.name) } } }
                        td data-label=(v.t("member-unit")) { bdi dir="ltr" { (t.unit_code) } }
                        @for s in &c.sessions {
                            td data-label=(s.title) { input type="checkbox" name=(format!("a_{}_{}", s.id, t.id)) value="on" aria-label=(format!("{} · {}", t.name, s.title)) checked[t.attended.contains(&s.id)] disabled[!edits]; }
                        }
                        td data-label=(v.t("course-assessment")) { @if let Some(a) = &t.assessment { (v.t(&format!("assessment-{a}"))) } }
                        td data-label=(v.t("course-certificate")) {
                            @if t.certificate.is_some() { a.cert href=(format!("/courses/{}/trainees/{}/certificate", c.id, t.id)) { (v.t("course-certificate")) } }
                            @else if t.completes { (v.t("course-completes")) }
                        }
                    } } }
                } }
                @if edits && !c.sessions.is_empty() { div.actions { button type="submit" #save-attendance { (v.t("course-save-attendance")) } } }
            }
            @if governs { @for t in c.trainees.iter().filter(|t| t.certificate.is_none() && (c.assessed || t.completes)) {
                div.card.trainee-acts {
                    strong { bdi { (t.name) } }
                    @if c.assessed {
                        form.inline method="post" action=(format!("/courses/{}/trainees/{}/assessment", c.id, t.id)) {
                            (v.csrf_field())
                            (select(l, "assessment", "course-assessment", &results, t.assessment.as_deref().unwrap_or(""), None))
                            button type="submit" { (v.t("save")) }
                        }
                    }
                    @if t.completes {
                        form.inline method="post" action=(format!("/courses/{}/trainees/{}/certificate", c.id, t.id)) {
                            (v.csrf_field())
                            button.certify type="submit" { (v.t("course-certify")) }
                        }
                    }
                }
            } }
        }
        @if edits {
            form.card #trainee-form method="post" action=(format!("/courses/{}/trainees", c.id)) novalidate {
                (v.csrf_field())
                h3 { (v.t("course-add-trainee")) }
                (field(l, "member_number", "member-number", f.get("member_number"), errors.get("member_number").or(errors.get("person_id")), "text", None))
                div.actions { button type="submit" { (v.t("save")) } }
            }
        }
    };
    let mut r = v.page(&c.name, "nav-schemes", body);
    if !errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

async fn show(State(app): State<App>, v: Viewer, Path(id): Path<String>) -> Response {
    let found = match path_id(&id, "course") {
        Ok(i) => app.course(&v.actor, i).await,
        Err(e) => Err(e),
    };
    match found {
        Ok(c) => course_page(&v, &c, &PlainForm::default(), &Fields::new()),
        Err(e) => error_page(&v, e),
    }
}

/// After an act on a course: its page, or the page again with what was refused.
async fn after(
    app: &App,
    v: &Viewer,
    id: i64,
    f: &PlainForm,
    done: Result<CourseView, AppError>,
    flash: &str,
) -> Response {
    match done {
        Ok(_) => redirect_with_flash(&format!("/courses/{id}"), flash),
        Err(e) => match super::layout::refusal(e) {
            Ok(errors) => match app.course(&v.actor, id).await {
                Ok(c) => course_page(v, &c, f, &errors),
                Err(e) => error_page(v, e),
            },
            Err(e) => error_page(v, e),
        },
    }
}

fn ids(id: &str, trainee: Option<&str>) -> Result<(i64, i64), AppError> {
    Ok((
        path_id(id, "course")?,
        match trainee {
            Some(t) => path_id(t, "trainee")?,
            None => 0,
        },
    ))
}

async fn add_session(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let Ok((id, _)) = ids(&id, None) else {
        return error_page(&v, AppError::NotFound("course"));
    };
    let input = SessionInput {
        day: f.opt("day").map(|d| v.lang.iso_date(&d)),
        title: f.opt("title"),
        place: f.opt("place"),
        trainer: f.opt("trainer"),
    };
    let done = app.add_course_session(&v.actor, id, input).await;
    after(&app, &v, id, &f, done, "flash-session-added").await
}

async fn add_trainee(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let Ok((id, _)) = ids(&id, None) else {
        return error_page(&v, AppError::NotFound("course"));
    };
    let input = TraineeInput {
        person_id: None,
        member_number: f.opt("member_number"),
    };
    let done = app.add_trainee(&v.actor, id, input).await;
    after(&app, &v, id, &f, done, "flash-trainee-added").await
}

/// The attendance grid: each session's ticked trainees.
async fn attendance(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let Ok((id, _)) = ids(&id, None) else {
        return error_page(&v, AppError::NotFound("course"));
    };
    let c = match app.course(&v.actor, id).await {
        Ok(c) => c,
        Err(e) => return error_page(&v, e),
    };
    let mut last = Ok(c.clone());
    for s in &c.sessions {
        let present = c
            .trainees
            .iter()
            .filter(|t| f.on(&format!("a_{}_{}", s.id, t.id)))
            .map(|t| t.id)
            .collect();
        last = app
            .record_course_attendance(&v.actor, id, s.id, AttendanceInput { present })
            .await;
        if last.is_err() {
            break;
        }
    }
    after(&app, &v, id, &f, last, "flash-attendance-saved").await
}

async fn assess(
    State(app): State<App>,
    v: Viewer,
    Path((id, t)): Path<(String, String)>,
    Form(f): Form<PlainForm>,
) -> Response {
    let Ok((id, t)) = ids(&id, Some(&t)) else {
        return error_page(&v, AppError::NotFound("trainee"));
    };
    let done = app
        .assess_trainee(
            &v.actor,
            id,
            t,
            AssessmentInput {
                assessment: f.opt("assessment"),
            },
        )
        .await;
    after(&app, &v, id, &f, done, "flash-assessment-saved").await
}

async fn certify(
    State(app): State<App>,
    v: Viewer,
    Path((id, t)): Path<(String, String)>,
    Form(f): Form<PlainForm>,
) -> Response {
    let Ok((id, t)) = ids(&id, Some(&t)) else {
        return error_page(&v, AppError::NotFound("trainee"));
    };
    match app.certify_trainee(&v.actor, id, t).await {
        Ok(_) => redirect_with_flash(
            &format!("/courses/{id}/trainees/{t}/certificate"),
            "flash-certified",
        ),
        Err(e) => after(&app, &v, id, &f, Err(e), "").await,
    }
}

/// A printable certificate with the QR code of the public page that confirms it.
async fn certificate(
    State(app): State<App>,
    v: Viewer,
    headers: HeaderMap,
    Path((id, t)): Path<(String, String)>,
) -> Response {
    let Ok((id, t)) = ids(&id, Some(&t)) else {
        return error_page(&v, AppError::NotFound("trainee"));
    };
    let c = match app.course(&v.actor, id).await {
        Ok(c) => c,
        Err(e) => return error_page(&v, e),
    };
    let Some(code) = c
        .trainees
        .iter()
        .find(|x| x.id == t)
        .and_then(|x| x.certificate.clone())
    else {
        return error_page(&v, AppError::NotFound("certificate"));
    };
    let cert = match app.verify_course_certificate(&code).await {
        Ok(x) => x,
        Err(e) => return error_page(&v, e),
    };
    let l = &v.lang;
    let url = super::honors::verify_url(&headers, &code);
    let body = html! {
        p.actions.no-print { a href=(format!("/courses/{id}")) { bdi { (c.name) } } }
        article.certificate #certificate {
            p.certificate-by { bdi { (cert.held_by) } }
            h2 { (v.t(&format!("coursekind-{}", cert.kind))) }
            p.certificate-name { bdi { (cert.name) } }
            p { bdi { (cert.course) } }
            p { (l.date(&cert.starts_on)) @if cert.ends_on != cert.starts_on { " – " (l.date(&cert.ends_on)) } }
            div.certificate-qr { (super::events::qr(&url)) }
            p.muted { (v.t("honor-verify-at")) " " code dir="ltr" { (url) } }
        }
    };
    v.page(&v.t("course-certificate"), "nav-schemes", body)
}

async fn cadres(State(app): State<App>, v: Viewer) -> Response {
    let q = CourseQuery {
        unit: None,
        limit: Some(500),
    };
    let list = match app.cadre_register(&v.actor, &q).await {
        Ok(l) => l,
        Err(e) => return error_page(&v, e),
    };
    let l = &v.lang;
    let body = html! {
        @if list.is_empty() { p.empty { (v.t("course-no-cadres")) } } @else {
            table #cadres.results {
                thead { tr { th { (v.t("case-name")) } th { (v.t("member-unit")) } th { (v.t("course-name")) } th { (v.t("course-completed-on")) } } }
                tbody { @for r in &list { tr {
                    td data-label=(v.t("case-name")) { a href=(format!("/members/{}", r.person_id)) { bdi { (r.name) } } }
                    td data-label=(v.t("member-unit")) { bdi dir="ltr" { (r.unit_code) } }
                    td data-label=(v.t("course-name")) { a href=(format!("/courses/{}", r.course_id)) { bdi { (r.course) } } }
                    td data-label=(v.t("course-completed-on")) { (l.opt_date(r.completed_on.as_deref())) }
                } } }
            }
        }
    };
    v.page(&v.t("course-cadres"), "nav-schemes", body)
}
