//! Benefit schemes: the tree's schemes, adding one and editing its rule (each refused
//! line named), a scheme's figures for the reader's subtree with its files, the
//! worklist of members eligible and not enrolled with a form on each line, and members'
//! milestones.

use super::layout::{
    csv_response, error_page, field, redirect_with_flash, select, PlainForm, Viewer,
};
use crate::xlsx::{self, Cell};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use maud::{html, Markup};
use muster_app::schemes::{
    EnrollmentInput, MilestoneInput, MilestoneQuery, SchemeInput, SchemeRollup, SchemeView,
    SubtreeQuery,
};
use muster_app::{App, AppError, Fields};
use muster_domain::schemes::{EnrollmentStatus, MilestoneKind};
use muster_domain::user::Permission;

page_routes! {
    "/schemes" => get(list),
    "/schemes/new" => get(new_scheme).post(create),
    "/schemes/{code}" => get(show).post(update),
    "/schemes/{code}/worklist" => get(worklist).post(enroll),
    "/schemes/{code}/export.csv" => get(export_csv),
    "/schemes/{code}/export.xlsx" => get(export_xlsx),
    "/milestones" => get(milestones).post(add_milestone),
}

fn name(v: &Viewer, s: &SchemeView) -> String {
    s.names
        .get(v.lang.locale)
        .cloned()
        .unwrap_or_else(|| s.name.clone())
}

async fn list(State(app): State<App>, v: Viewer) -> Response {
    let schemes = match app.schemes(&v.actor).await {
        Ok(s) => s,
        Err(e) => return error_page(&v, e),
    };
    let body = html! {
        p.actions {
            @if v.actor.role().may(Permission::ManageUnits) { a.button #new-scheme href="/schemes/new" { (v.t("scheme-new")) } }
            a href="/milestones" { (v.t("nav-milestones")) }
            a #courses-link href="/courses" { (v.t("nav-courses")) }
            a href="/courses/cadres" { (v.t("course-cadres")) }
        }
        @if schemes.is_empty() { p.empty { (v.t("scheme-none")) } } @else {
            table #schemes.results {
                thead { tr { th { (v.t("scheme-name")) } th { (v.t("scheme-runner")) } th { (v.t("scheme-code")) } } }
                tbody { @for s in &schemes { tr {
                    td data-label=(v.t("scheme-name")) { a href=(format!("/schemes/{}?unit={}", s.code, crate::api::enc(&s.tree_code))) { bdi { (name(&v, s)) } } }
                    td data-label=(v.t("scheme-runner")) { @if let Some(r) = &s.runner { bdi { (r) } } }
                    td data-label=(v.t("scheme-code")) { code dir="ltr" { (s.code) } }
                } } }
            }
        }
    };
    v.page(&v.t("nav-schemes"), "nav-schemes", body)
}

/// The rule's refused lines, each with its number and what is wrong.
fn rule_errors(v: &Viewer, errors: &Fields) -> Markup {
    html! {
        @let lines: Vec<(&String, &String)> = errors.iter().filter(|(k, _)| k.starts_with("rule")).collect();
        @if !lines.is_empty() {
            ul.errors #rule-errors { @for (k, code) in lines {
                li {
                    @if let Some(n) = k.strip_prefix("rule.") { (v.t("scheme-rule-line")) " " (v.lang.digits(n)) ": " }
                    (v.t(&format!("field-{code}")))
                }
            } }
        }
    }
}

fn scheme_form(v: &Viewer, code: Option<&str>, f: &PlainForm, errors: &Fields) -> Markup {
    let l = &v.lang;
    let text =
        |name: &str, key: &str| field(l, name, key, f.get(name), errors.get(name), "text", None);
    let action = code.map_or("/schemes/new".to_string(), |c| format!("/schemes/{c}"));
    html! {
        @if !errors.is_empty() { p.error role="alert" { (v.t("form-has-errors")) } }
        form.card #scheme-form method="post" action=(action) novalidate {
            (v.csrf_field())
            @if code.is_none() { (text("code", "scheme-code")) } @else { input type="hidden" name="tree_code" value=(f.get("tree_code")); }
            (text("name", "scheme-name"))
            @for loc in crate::i18n::LOCALES {
                (field(l, &format!("name_{loc}"), &format!("drive-name-{loc}"), f.get(&format!("name_{loc}")), errors.get(&format!("names.{loc}")), "text", None))
            }
            (text("runner", "scheme-runner"))
            div.field {
                label for="scheme-rule" { (v.t("scheme-rule")) }
                textarea #scheme-rule name="rule" rows="6" dir="ltr" aria-invalid=[errors.keys().any(|k| k.starts_with("rule")).then_some("true")] { (f.get("rule")) }
                p.hint { (v.t("scheme-rule-help")) }
                (rule_errors(v, errors))
            }
            div.field {
                label for="scheme-documents" { (v.t("scheme-documents")) }
                textarea #scheme-documents name="documents" rows="2" { (f.get("documents")) }
            }
            (text("link", "scheme-link"))
            div.actions { button type="submit" { (v.t("save")) } a href="/schemes" { (v.t("cancel")) } }
        }
    }
}

fn input_of(f: &PlainForm, with_code: bool) -> SchemeInput {
    SchemeInput {
        tree_code: f.opt("tree_code"),
        code: with_code.then(|| f.get("code").to_string()),
        name: Some(f.get("name").to_string()),
        names: super::events::names_of(f),
        runner: f.opt("runner"),
        rule: Some(f.get("rule").to_string()),
        documents: f.opt("documents"),
        link: f.opt("link"),
    }
}

async fn new_scheme(v: Viewer) -> Response {
    if !v.actor.role().may(Permission::ManageUnits) {
        return error_page(&v, AppError::Forbidden);
    }
    v.page(
        &v.t("scheme-new"),
        "nav-schemes",
        scheme_form(&v, None, &PlainForm::default(), &Fields::new()),
    )
}

async fn create(State(app): State<App>, v: Viewer, Form(f): Form<PlainForm>) -> Response {
    match app.save_scheme(&v.actor, None, input_of(&f, true)).await {
        Ok(s) => redirect_with_flash(&format!("/schemes/{}", s.code), "flash-scheme-saved"),
        Err(e) => match super::layout::refusal(e) {
            Ok(errors) => {
                let mut r = v.page(
                    &v.t("scheme-new"),
                    "nav-schemes",
                    scheme_form(&v, None, &f, &errors),
                );
                *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
                r
            }
            Err(e) => error_page(&v, e),
        },
    }
}

fn rollup_table(v: &Viewer, code: &str, r: &SchemeRollup) -> Markup {
    let l = &v.lang;
    let shown = [
        EnrollmentStatus::Helped,
        EnrollmentStatus::Applied,
        EnrollmentStatus::Enrolled,
        EnrollmentStatus::Rejected,
    ];
    html! {
        table #scheme-rollup.results {
            thead { tr {
                th { (v.t("member-unit")) } th.num { (v.t("scheme-eligible")) }
                @for s in shown { th.num { (v.t(&format!("estatus-{}", s.as_str()))) } }
            } }
            tbody { @for row in &r.rows { tr.total[row.row == "total"] {
                td data-label=(v.t("member-unit")) {
                    @if row.row == "child" { a href=(format!("/schemes/{code}?unit={}", crate::api::enc(&row.unit_code))) { bdi dir="ltr" { (row.unit_code) } } }
                    @else { strong { bdi dir="ltr" { (row.unit_code) } } }
                }
                td.num data-label=(v.t("scheme-eligible")) { (l.number(row.eligible)) }
                @for s in shown {
                    td.num data-label=(v.t(&format!("estatus-{}", s.as_str()))) { (l.number(row.by_status.get(s.as_str()).copied().unwrap_or(0))) }
                }
            } } }
        }
    }
}

#[derive(serde::Deserialize, Default)]
struct UnitQuery {
    unit: Option<String>,
}

async fn scheme_page(
    app: &App,
    v: &Viewer,
    code: &str,
    unit: Option<String>,
    f: Option<&PlainForm>,
    errors: &Fields,
) -> Response {
    let q = SubtreeQuery { unit, limit: None };
    let (s, r) = match (
        app.scheme(&v.actor, code, q.unit.as_deref()).await,
        app.scheme_rollup(&v.actor, code, &q).await,
    ) {
        (Ok(s), Ok(r)) => (s, r),
        (Err(e), _) | (_, Err(e)) => return error_page(v, e),
    };
    let mut filled = PlainForm::default();
    let form = match f {
        Some(f) => f,
        None => {
            filled
                .values
                .insert("tree_code".into(), s.tree_code.clone());
            for (k, val) in [
                ("name", Some(s.name.clone())),
                ("runner", s.runner.clone()),
                ("rule", Some(s.rule.clone())),
                ("documents", s.documents.clone()),
                ("link", s.link.clone()),
            ] {
                if let Some(val) = val {
                    filled.values.insert(k.into(), val);
                }
            }
            for (loc, n) in &s.names {
                filled.values.insert(format!("name_{loc}"), n.clone());
            }
            &filled
        }
    };
    let unit_q = format!("?unit={}", crate::api::enc(&r.unit_code));
    let body = html! {
        p.muted { code dir="ltr" { (s.code) } @if let Some(run) = &s.runner { " · " bdi { (run) } } @if let Some(link) = &s.link { " · " a href=(link) rel="noopener" { (v.t("scheme-link")) } } }
        @if let Some(d) = &s.documents { p { strong { (v.t("scheme-documents")) } ": " bdi { (d) } } }
        h2 { (v.t("scheme-rule")) }
        pre #rule dir="ltr" { (s.rule) }
        p.actions {
            a.button #open-worklist href=(format!("/schemes/{}/worklist{unit_q}", s.code)) { (v.t("scheme-worklist")) }
            a href=(format!("/schemes/{}/export.csv{unit_q}", s.code)) { (v.t("drive-export-csv")) }
            a href=(format!("/schemes/{}/export.xlsx{unit_q}", s.code)) { (v.t("drive-export-xlsx")) }
            @if v.actor.role().may(Permission::EditRegistry) {
                a #import-enrollments href=(format!("/schemes/{}/import{unit_q}", s.code)) { (v.t("enroll-import-title")) }
            }
        }
        h2 { bdi dir="ltr" { (r.unit_code) } }
        p.muted #counted {
            @if let Some(d) = &r.counted_on { (v.t("scheme-counted-on")) " " (v.lang.date(d)) }
            @else { (v.t("scheme-counted-now")) }
            @if let Some((done, total)) = r.counting { " · " (v.t("scheme-counting")) " " (v.lang.number(done)) "/" (v.lang.number(total)) }
        }
        (rollup_table(v, &s.code, &r))
        @if v.actor.role().may(Permission::ManageUnits) {
            h2 { (v.t("scheme-edit")) }
            (scheme_form(v, Some(&s.code), form, errors))
        }
    };
    let mut page = v.page(&name(v, &s), "nav-schemes", body);
    if !errors.is_empty() {
        *page.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    page
}

async fn show(
    State(app): State<App>,
    v: Viewer,
    Path(code): Path<String>,
    Query(q): Query<UnitQuery>,
) -> Response {
    scheme_page(&app, &v, &code, q.unit, None, &Fields::new()).await
}

async fn update(
    State(app): State<App>,
    v: Viewer,
    Path(code): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    match app
        .save_scheme(&v.actor, Some(&code), input_of(&f, false))
        .await
    {
        Ok(s) => redirect_with_flash(
            &format!("/schemes/{}?unit={}", s.code, crate::api::enc(&s.tree_code)),
            "flash-scheme-saved",
        ),
        Err(e) => match super::layout::refusal(e) {
            Ok(errors) => scheme_page(&app, &v, &code, f.opt("tree_code"), Some(&f), &errors).await,
            Err(e) => error_page(&v, e),
        },
    }
}

fn statuses(v: &Viewer) -> Vec<(String, String)> {
    EnrollmentStatus::ALL
        .iter()
        .map(|s| (s.as_str().into(), v.t(&format!("estatus-{}", s.as_str()))))
        .collect()
}

async fn worklist_page(
    app: &App,
    v: &Viewer,
    code: &str,
    unit: Option<String>,
    f: &PlainForm,
    errors: &Fields,
) -> Response {
    let unit_code = unit.clone().unwrap_or_default();
    let q = SubtreeQuery {
        unit,
        limit: Some(500),
    };
    let (s, items) = match (
        app.scheme(&v.actor, code, q.unit.as_deref()).await,
        app.scheme_worklist(&v.actor, code, &q).await,
    ) {
        (Ok(s), Ok(i)) => (s, i),
        (Err(e), _) | (_, Err(e)) => return error_page(v, e),
    };
    let edits = v.actor.role().may(Permission::EditRegistry);
    let options = statuses(v);
    let body = html! {
        p.actions { a href=(format!("/schemes/{}", s.code)) { bdi { (name(v, &s)) } } }
        @if !errors.is_empty() {
            div.error role="alert" { p { (v.t("form-has-errors")) }
                ul { @for (k, c) in errors { li { code { (k) } " " (v.t(&format!("field-{c}"))) } } } }
        }
        @if items.is_empty() { p.empty #worklist-empty { (v.t("scheme-worklist-empty")) } } @else {
            table #worklist.results {
                thead { tr {
                    th { (v.t("member-unit")) } th { (v.t("case-workplace")) } th { (v.t("case-name")) }
                    th { (v.t("member-phone")) } th { (v.t("case-status")) } @if edits { th { (v.t("scheme-record")) } }
                } }
                tbody { @for i in &items { tr {
                    td data-label=(v.t("member-unit")) { bdi dir="ltr" { (i.unit_code) } }
                    td data-label=(v.t("case-workplace")) { @if let Some(w) = &i.workplace_code { bdi dir="ltr" { (w) } } @else if let Some(r) = &i.region { bdi { (r) } } }
                    td data-label=(v.t("case-name")) { a href=(format!("/members/{}", i.person_id)) { bdi { (i.name) } } }
                    td data-label=(v.t("member-phone")) { @if let Some(p) = &i.phone { bdi dir="ltr" { (v.lang.digits(p)) } } }
                    td data-label=(v.t("case-status")) { @if let Some(st) = &i.status { (v.t(&format!("estatus-{st}"))) } }
                    @if edits { td data-label=(v.t("scheme-record")) {
                        form.inline method="post" action=(format!("/schemes/{}/worklist", s.code)) {
                            (v.csrf_field())
                            input type="hidden" name="person_id" value=(i.person_id);
                            input type="hidden" name="unit" value=(unit_code);
                            select name="status" aria-label=(v.t("case-status")) {
                                @for (value, label) in &options { option value=(value) selected[value == "enrolled"] { (label) } }
                            }
                            input type="text" name="scheme_number" aria-label=(v.t("scheme-number")) placeholder=(v.t("scheme-number"));
                            button type="submit" { (v.t("save")) }
                        }
                    } }
                } } }
            }
        }
        @if f.opt("person_id").is_some() && errors.contains_key("reason") {
            form.card #outside-rule method="post" action=(format!("/schemes/{}/worklist", s.code)) {
                (v.csrf_field())
                input type="hidden" name="person_id" value=(f.get("person_id"));
                input type="hidden" name="unit" value=(unit_code);
                input type="hidden" name="status" value=(f.get("status"));
                input type="hidden" name="scheme_number" value=(f.get("scheme_number"));
                (field(&v.lang, "reason", "scheme-reason", f.get("reason"), errors.get("reason"), "text", None))
                div.actions { button type="submit" { (v.t("save")) } }
            }
        }
    };
    let mut r = v.page(
        &format!("{} · {}", name(v, &s), v.t("scheme-worklist")),
        "nav-schemes",
        body,
    );
    if !errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

async fn worklist(
    State(app): State<App>,
    v: Viewer,
    Path(code): Path<String>,
    Query(q): Query<UnitQuery>,
) -> Response {
    worklist_page(
        &app,
        &v,
        &code,
        q.unit,
        &PlainForm::default(),
        &Fields::new(),
    )
    .await
}

async fn enroll(
    State(app): State<App>,
    v: Viewer,
    Path(code): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let input = EnrollmentInput {
        scheme: Some(code.clone()),
        person_id: f.opt("person_id").and_then(|p| p.parse().ok()),
        member_number: None,
        status: f.opt("status"),
        scheme_number: f.opt("scheme_number"),
        on_day: None,
        reason: f.opt("reason"),
    };
    match app.enroll(&v.actor, input).await {
        Ok(_) => redirect_with_flash(
            &format!(
                "/schemes/{code}/worklist?unit={}",
                crate::api::enc(f.get("unit"))
            ),
            "flash-enrollment-saved",
        ),
        Err(e) => match super::layout::refusal(e) {
            Ok(errors) => worklist_page(&app, &v, &code, f.opt("unit"), &f, &errors).await,
            Err(e) => error_page(&v, e),
        },
    }
}

/// The scheme's figures for the subtree as rows of cells.
async fn export_rows(
    app: &App,
    v: &Viewer,
    code: &str,
    unit: Option<String>,
) -> Result<(String, Vec<Vec<Cell>>), AppError> {
    let r = app
        .scheme_rollup(&v.actor, code, &SubtreeQuery { unit, limit: None })
        .await?;
    let mut header = vec![
        Cell::Text(v.t("member-unit")),
        Cell::Text(v.t("scheme-eligible")),
    ];
    header.extend(
        EnrollmentStatus::ALL
            .iter()
            .map(|s| Cell::Text(v.t(&format!("estatus-{}", s.as_str())))),
    );
    let mut rows = vec![header];
    for row in &r.rows {
        let mut cells = vec![
            Cell::Text(row.unit_code.clone()),
            Cell::Number(row.eligible as f64),
        ];
        cells.extend(
            EnrollmentStatus::ALL
                .iter()
                .map(|s| Cell::Number(row.by_status.get(s.as_str()).copied().unwrap_or(0) as f64)),
        );
        rows.push(cells);
    }
    Ok((format!("{}-{}", r.scheme, r.unit_code), rows))
}

async fn export_csv(
    State(app): State<App>,
    v: Viewer,
    Path(code): Path<String>,
    Query(q): Query<UnitQuery>,
) -> Response {
    match export_rows(&app, &v, &code, q.unit).await {
        Ok((file, rows)) => csv_response(&file, crate::xlsx::csv_rows(rows, &v.lang), false),
        Err(e) => error_page(&v, e),
    }
}

async fn export_xlsx(
    State(app): State<App>,
    v: Viewer,
    Path(code): Path<String>,
    Query(q): Query<UnitQuery>,
) -> Response {
    match export_rows(&app, &v, &code, q.unit).await {
        Ok((file, rows)) => xlsx::response(&file, &code, &rows, v.lang.dir() == "rtl"),
        Err(e) => error_page(&v, e),
    }
}

async fn milestones_page(app: &App, v: &Viewer, f: &PlainForm, errors: &Fields) -> Response {
    let list = match app
        .milestones(
            &v.actor,
            &MilestoneQuery {
                limit: Some(500),
                ..MilestoneQuery::default()
            },
        )
        .await
    {
        Ok(l) => l,
        Err(e) => return error_page(v, e),
    };
    let l = &v.lang;
    let kinds: Vec<(String, String)> = MilestoneKind::ALL
        .iter()
        .map(|k| (k.as_str().into(), v.t(&format!("milestone-{}", k.as_str()))))
        .collect();
    let body = html! {
        @if v.actor.role().may(Permission::EditRegistry) {
            @if !errors.is_empty() { p.error role="alert" { (v.t("form-has-errors")) } }
            form.card #milestone-form method="post" action="/milestones" novalidate {
                (v.csrf_field())
                (field(l, "member_number", "member-number", f.get("member_number"), errors.get("member_number").or(errors.get("person_id")), "text", None))
                (select(l, "kind", "milestone-kind", &kinds, f.get("kind"), errors.get("kind")))
                (field(l, "on_day", "aid-day", f.get("on_day"), errors.get("on_day"), "text", Some(&l.date_hint())))
                (field(l, "note", "case-note", f.get("note"), errors.get("note"), "text", None))
                div.actions { button type="submit" { (v.t("save")) } }
            }
        }
        @if list.is_empty() { p.empty { (v.t("milestone-none")) } } @else {
            table #milestones.results {
                thead { tr { th { (v.t("aid-day")) } th { (v.t("case-name")) } th { (v.t("milestone-kind")) } th { (v.t("member-unit")) } th { (v.t("case-note")) } } }
                tbody { @for m in &list { tr {
                    td data-label=(v.t("aid-day")) { (l.date(&m.on_day)) }
                    td data-label=(v.t("case-name")) { a href=(format!("/members/{}", m.person_id)) { bdi { (m.name) } } }
                    td data-label=(v.t("milestone-kind")) { (v.t(&format!("milestone-{}", m.kind))) }
                    td data-label=(v.t("member-unit")) { bdi dir="ltr" { (m.unit_code) } }
                    td data-label=(v.t("case-note")) { @if let Some(n) = &m.note { bdi { (n) } } }
                } } }
            }
        }
    };
    let mut r = v.page(&v.t("nav-milestones"), "nav-schemes", body);
    if !errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

async fn milestones(State(app): State<App>, v: Viewer) -> Response {
    milestones_page(&app, &v, &PlainForm::default(), &Fields::new()).await
}

async fn add_milestone(State(app): State<App>, v: Viewer, Form(f): Form<PlainForm>) -> Response {
    let input = MilestoneInput {
        person_id: None,
        member_number: f.opt("member_number"),
        kind: f.opt("kind"),
        on_day: f.opt("on_day").map(|d| v.lang.iso_date(&d)),
        note: f.opt("note"),
    };
    match app.add_milestone(&v.actor, input).await {
        Ok(_) => redirect_with_flash("/milestones", "flash-milestone-saved"),
        Err(e) => match super::layout::refusal(e) {
            Ok(errors) => milestones_page(&app, &v, &f, &errors).await,
            Err(e) => error_page(&v, e),
        },
    }
}
