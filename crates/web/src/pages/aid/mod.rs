//! Aid: requests waiting on the reader's unit and all of the subtree's, asking for aid
//! at a desk (from a case or not), a request's page where an officer decides it and a
//! desk pays it out, and each payment's printable receipt. Budgets, the tree's limits,
//! the roll-up and the files are in `budgets`.

mod budgets;

use super::layout::{error_page, field, redirect_with_flash, select, PlainForm, Viewer};
use crate::api::extract::path_id;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use maud::{html, Markup};
use muster_app::aid::{AidInput, AidQuery, AidView, ApproveInput, PayInput, ReasonInput};
use muster_app::{App, AppError, Fields};
use muster_domain::aid::{AidKind, AidStatus, PayMethod};
use muster_domain::user::Permission;

page_routes! {
    "/aid" => get(list),
    "/aid/new" => get(new_request).post(create),
    "/aid/budgets" => get(budgets::budgets).post(budgets::set_budget),
    "/aid/settings" => get(budgets::settings).post(budgets::save_settings),
    "/aid/rollup" => get(budgets::rollup),
    "/aid/export.csv" => get(budgets::export_csv),
    "/aid/export.xlsx" => get(budgets::export_xlsx),
    "/aid/{id}" => get(show),
    "/aid/{id}/approval" => post(approve),
    "/aid/{id}/rejection" => post(reject),
    "/aid/{id}/cancellation" => post(cancel),
    "/aid/{id}/disbursements" => post(pay),
    "/aid/{id}/receipts/{receipt}" => get(receipt),
}

/// What a request asks, as the reader writes it.
fn asked(v: &Viewer, a: &AidView) -> String {
    match (&a.amount, &a.item) {
        (Some(m), Some(i)) => format!("{i} ({})", v.lang.money(m, &a.currency)),
        (Some(m), None) => v.lang.money(m, &a.currency),
        (None, Some(i)) => i.clone(),
        (None, None) => String::new(),
    }
}

fn table(v: &Viewer, items: &[AidView]) -> Markup {
    let l = &v.lang;
    html! {
        table #aid.results {
            thead { tr {
                th { (v.t("aid-requested-on")) } th { (v.t("case-name")) } th { (v.t("aid-asked")) }
                th { (v.t("case-status")) } th { (v.t("aid-waits-on")) } th { (v.t("member-unit")) }
            } }
            tbody { @for a in items { tr {
                td data-label=(v.t("aid-requested-on")) { (l.date(&a.requested_on)) }
                td data-label=(v.t("case-name")) { a href=(format!("/aid/{}", a.id)) { bdi { (a.name) } } }
                td.num data-label=(v.t("aid-asked")) { bdi { (asked(v, a)) } }
                td data-label=(v.t("case-status")) { (v.t(&format!("aidstatus-{}", a.status))) }
                td data-label=(v.t("aid-waits-on")) { @if a.status == "requested" { bdi dir="ltr" { (a.waits_on) } } }
                td data-label=(v.t("member-unit")) { bdi dir="ltr" { (a.unit_code) } }
            } } }
        }
    }
}

#[derive(serde::Deserialize, Default)]
struct ListQuery {
    /// `waiting`, `topay` or `all`.
    view: Option<String>,
    case: Option<i64>,
}

async fn list(State(app): State<App>, v: Viewer, Query(q): Query<ListQuery>) -> Response {
    let decides = v.actor.role().may(Permission::ApproveAid) && v.actor.unit_id().is_some();
    let default = if decides { "waiting" } else { "all" };
    let view = q.view.as_deref().unwrap_or(default);
    let aq = AidQuery {
        waiting: view == "waiting" && v.actor.unit_id().is_some(),
        status: (view == "topay").then(|| "approved".to_string()),
        case_id: q.case,
        limit: Some(500),
    };
    let items = match app.list_aid(&v.actor, &aq).await {
        Ok(i) => i,
        Err(e) => return error_page(&v, e),
    };
    let tab = |key: &str, name: &str| {
        html! { a href=(format!("/aid?view={name}")) aria-current=[(view == name).then_some("page")] { (v.t(key)) } }
    };
    let body = html! {
        p.actions {
            @if v.actor.role().may(Permission::Casework) { a.button #new-aid href="/aid/new" { (v.t("aid-new")) } }
            a href="/aid/rollup" { (v.t("aid-rollup")) }
            a href="/aid/budgets" { (v.t("aid-budgets")) }
            a href="/aid/settings" { (v.t("aid-settings")) }
            a href="/aid/export.csv" { (v.t("drive-export-csv")) }
            a href="/aid/export.xlsx" { (v.t("drive-export-xlsx")) }
        }
        nav.tabs {
            @if v.actor.unit_id().is_some() { (tab("aid-waiting", "waiting")) }
            (tab("aid-to-pay", "topay")) (tab("aid-all", "all"))
        }
        @if items.is_empty() { p.empty { (v.t("aid-none")) } } @else { (table(&v, &items)) }
    };
    v.page(&v.t("nav-aid"), "nav-aid", body)
}

fn kinds(v: &Viewer) -> Vec<(String, String)> {
    AidKind::ALL
        .iter()
        .map(|k| (k.as_str().into(), v.t(&format!("aidkind-{}", k.as_str()))))
        .collect()
}

fn request_form(v: &Viewer, f: &PlainForm, errors: &Fields) -> Response {
    let l = &v.lang;
    let hint = l.date_hint();
    let text = |name: &str, key: &str, h: Option<&str>| {
        field(l, name, key, f.get(name), errors.get(name), "text", h)
    };
    let on_case = !f.get("case_id").is_empty();
    let body = html! {
        @if !errors.is_empty() { p.error role="alert" { (v.t("form-has-errors")) } }
        form.card method="post" action="/aid/new" novalidate {
            (v.csrf_field())
            input type="hidden" name="case_id" value=(f.get("case_id"));
            @if on_case {
                p { a href=(format!("/cases/{}", f.get("case_id"))) { (v.t("aid-for-case")) " " (l.digits(f.get("case_id"))) } }
                @if let Some(e) = errors.get("case_id") { p.error { (v.t(&format!("field-{e}"))) } }
            } @else {
                (text("unit_code", "member-unit", None))
                (field(l, "member_number", "member-number", f.get("member_number"), errors.get("member_number").or(errors.get("person_id")), "text", None))
                (text("outside_name", "event-outside-name", None))
            }
            (select(l, "kind", "aid-kind", &kinds(v), f.get("kind"), errors.get("kind")))
            (text("amount", "aid-amount", None))
            (text("item", "aid-item", None))
            div.field {
                label for="aid-purpose" { (v.t("aid-purpose")) }
                textarea #aid-purpose name="purpose" rows="3" aria-invalid=[errors.get("purpose").map(|_| "true")] { (f.get("purpose")) }
                @if let Some(e) = errors.get("purpose") { p.error { (v.t(&format!("field-{e}"))) } }
            }
            (text("requested_on", "aid-requested-on", Some(&hint)))
            div.actions { button type="submit" { (v.t("aid-new")) } a href="/aid" { (v.t("cancel")) } }
        }
    };
    let mut r = v.page(&v.t("aid-new"), "nav-aid", body);
    if !errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

async fn new_request(State(app): State<App>, v: Viewer, Query(q): Query<ListQuery>) -> Response {
    if !v.actor.role().may(Permission::Casework) {
        return error_page(&v, AppError::Forbidden);
    }
    let mut f = PlainForm::default();
    match q.case {
        Some(c) => {
            f.values.insert("case_id".into(), c.to_string());
        }
        None => {
            if let Ok(Some(code)) = app.unit_code_of(&v.actor).await {
                f.values.insert("unit_code".into(), code);
            }
        }
    }
    request_form(&v, &f, &Fields::new())
}

async fn create(State(app): State<App>, v: Viewer, Form(f): Form<PlainForm>) -> Response {
    let input = AidInput {
        unit_code: f.opt("unit_code"),
        case_id: f.opt("case_id").and_then(|c| c.parse().ok()),
        person_id: None,
        member_number: f.opt("member_number"),
        outside_name: f.opt("outside_name"),
        kind: f.opt("kind"),
        amount: f.opt("amount"),
        item: f.opt("item"),
        purpose: f.opt("purpose"),
        requested_on: f.opt("requested_on").map(|d| v.lang.iso_date(&d)),
    };
    match app.request_aid(&v.actor, input).await {
        Ok(a) => redirect_with_flash(&format!("/aid/{}", a.id), "flash-aid-requested"),
        Err(e) => match super::layout::refusal(e) {
            Ok(errors) => request_form(&v, &f, &errors),
            Err(e) => error_page(&v, e),
        },
    }
}

fn aid_page(v: &Viewer, a: &AidView, f: &PlainForm, errors: &Fields) -> Response {
    let l = &v.lang;
    let hint = l.date_hint();
    let status = AidStatus::parse(&a.status).unwrap_or(AidStatus::Requested);
    let pays = v.actor.role().may(Permission::Casework) && status == AidStatus::Approved;
    let asks = v.actor.role().may(Permission::Casework) && status == AidStatus::Requested;
    let methods: Vec<(String, String)> = PayMethod::ALL
        .iter()
        .map(|m| (m.as_str().into(), v.t(&format!("paymethod-{}", m.as_str()))))
        .collect();
    let money = |m: &str| l.money(m, &a.currency);
    let over = errors
        .get("override_reason")
        .is_some_and(|c| c == "over_budget" || c == "no_budget");
    let body = html! {
        p.muted {
            (v.t(&format!("aidkind-{}", a.kind))) " · " bdi dir="ltr" { (a.unit_code) } " · " (l.date(&a.requested_on))
            " · " bdi dir="ltr" { (a.requested_by) }
            @if let Some(c) = a.case_id { " · " a href=(format!("/cases/{c}")) { (v.t("aid-for-case")) " " (l.digits(&c.to_string())) } }
        }
        dl.details {
            div { dt { (v.t("case-status")) } dd #aid-status { (v.t(&format!("aidstatus-{}", a.status))) } }
            div { dt { (v.t("aid-asked")) } dd #aid-asked { bdi { (asked(v, a)) } } }
            @if status == AidStatus::Requested { div { dt { (v.t("aid-waits-on")) } dd #aid-waits { bdi dir="ltr" { (a.waits_on) } } } }
            @if let Some(p) = &a.purpose { div { dt { (v.t("aid-purpose")) } dd { bdi { (p) } } } }
            @if let Some(m) = &a.approved_amount { div { dt { (v.t("aid-approved")) } dd #aid-approved { (money(m)) } } }
            @if let Some(u) = &a.approved_by_unit { div { dt { (v.t("aid-paid-from")) } dd { bdi dir="ltr" { (u) } } } }
            @if let (Some(d), Some(by)) = (&a.decided_on, &a.decided_by) { div { dt { (v.t("aid-decided")) } dd { (l.date(d)) " · " bdi dir="ltr" { (by) } } } }
            @if let Some(n) = &a.decision_note { div { dt { (v.t("aid-reason")) } dd { bdi { (n) } } } }
            @if let Some(o) = &a.override_reason { div { dt { (v.t("aid-override")) } dd #aid-override { bdi { (o) } } } }
            @if a.approved_amount.is_some() { div { dt { (v.t("aid-paid")) } dd #aid-paid { (money(&a.paid)) } } }
            @if let Some(t) = &a.to_pay { div { dt { (v.t("aid-to-pay")) } dd { (money(t)) } } }
        }
        @if !errors.is_empty() {
            div.error role="alert" { p { (v.t("form-has-errors")) }
                ul { @for (k, code) in errors { li { code { (k) } " " (v.t(&format!("field-{code}"))) } } } }
        }
        @if !a.payments.is_empty() {
            h2 { (v.t("aid-payments")) }
            table #payments.results {
                thead { tr { th { (v.t("aid-date")) } th { (v.t("aid-method")) } th.num { (v.t("aid-amount")) } th { (v.t("aid-receipt")) } } }
                tbody { @for p in &a.payments { tr {
                    td data-label=(v.t("aid-date")) { (l.date(&p.on_day)) }
                    td data-label=(v.t("aid-method")) { (v.t(&format!("paymethod-{}", p.method))) @if let Some(r) = &p.reference { " · " bdi dir="ltr" { (r) } } }
                    td.num data-label=(v.t("aid-amount")) { (money(&p.amount)) }
                    td data-label=(v.t("aid-receipt")) { a href=(format!("/aid/{}/receipts/{}", a.id, p.receipt)) { code dir="ltr" { (p.receipt) } } }
                } } }
            }
        }
        @if a.may_decide {
            form.card #approve-form method="post" action=(format!("/aid/{}/approval", a.id)) novalidate {
                (v.csrf_field())
                h3 { (v.t("aid-approve")) }
                (field(l, "amount", "aid-amount", &f.opt("amount").unwrap_or_else(|| l.digits(a.amount.as_deref().unwrap_or(""))), errors.get("amount"), "text", None))
                (field(l, "on_day", "aid-day", f.get("on_day"), errors.get("on_day"), "text", Some(&hint)))
                div.field {
                    label for="override" { (v.t("aid-override-reason")) }
                    textarea #override name="override_reason" rows="2" aria-invalid=[over.then_some("true")] { (f.get("override_reason")) }
                    @if let Some(e) = errors.get("override_reason") { p.error { (v.t(&format!("field-{e}"))) } }
                }
                div.actions { button type="submit" { (v.t("aid-approve")) } }
            }
            form.card #reject-form method="post" action=(format!("/aid/{}/rejection", a.id)) novalidate {
                (v.csrf_field())
                h3 { (v.t("aid-reject")) }
                (field(l, "reason", "aid-reason", f.get("reason"), errors.get("reason"), "text", None))
                div.actions { button type="submit" { (v.t("aid-reject")) } }
            }
        } @else if status == AidStatus::Requested {
            p.muted #aid-not-yours { (v.t("aid-decided-above")) " " bdi dir="ltr" { (a.waits_on) } }
        }
        @if pays {
            form.card #pay-form method="post" action=(format!("/aid/{}/disbursements", a.id)) novalidate {
                (v.csrf_field())
                h3 { (v.t("aid-pay")) }
                (select(l, "method", "aid-method", &methods, f.get("method"), errors.get("method")))
                (field(l, "amount", "aid-amount", &f.opt("amount").unwrap_or_else(|| l.digits(a.to_pay.as_deref().unwrap_or(""))), errors.get("amount"), "text", None))
                (field(l, "on_day", "aid-day", f.get("on_day"), errors.get("on_day"), "text", Some(&hint)))
                (field(l, "reference", "aid-reference", f.get("reference"), errors.get("reference"), "text", None))
                div.actions { button type="submit" { (v.t("aid-pay")) } }
            }
        }
        @if asks {
            form.card #cancel-form method="post" action=(format!("/aid/{}/cancellation", a.id)) novalidate {
                (v.csrf_field())
                h3 { (v.t("aid-cancel")) }
                (field(l, "cancel_reason", "aid-reason", f.get("cancel_reason"), errors.get("reason").filter(|_| f.opt("cancel_reason").is_some()), "text", None))
                div.actions { button type="submit" { (v.t("aid-cancel")) } }
            }
        }
    };
    let mut r = v.page(&a.name, "nav-aid", body);
    if !errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

async fn show(State(app): State<App>, v: Viewer, Path(id): Path<String>) -> Response {
    let found = match path_id(&id, "aid_request") {
        Ok(i) => app.aid(&v.actor, i).await,
        Err(e) => Err(e),
    };
    match found {
        Ok(a) => aid_page(&v, &a, &PlainForm::default(), &Fields::new()),
        Err(e) => error_page(&v, e),
    }
}

/// After an act on a request: its page, or the page again with what was refused.
async fn after(
    app: &App,
    v: &Viewer,
    id: i64,
    f: &PlainForm,
    done: Result<AidView, AppError>,
    flash: &str,
) -> Response {
    match done {
        Ok(_) => redirect_with_flash(&format!("/aid/{id}"), flash),
        Err(e) => {
            let errors = match super::layout::refusal(e) {
                Ok(errors) => errors,
                Err(e) => return error_page(v, e),
            };
            match app.aid(&v.actor, id).await {
                Ok(a) => aid_page(v, &a, f, &errors),
                Err(e) => error_page(v, e),
            }
        }
    }
}

async fn approve(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let id = match path_id(&id, "aid_request") {
        Ok(i) => i,
        Err(e) => return error_page(&v, e),
    };
    let input = ApproveInput {
        amount: f.opt("amount"),
        override_reason: f.opt("override_reason"),
        on_day: f.opt("on_day").map(|d| v.lang.iso_date(&d)),
    };
    let done = app.approve_aid(&v.actor, id, input).await;
    after(&app, &v, id, &f, done, "flash-aid-approved").await
}

async fn reject(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let id = match path_id(&id, "aid_request") {
        Ok(i) => i,
        Err(e) => return error_page(&v, e),
    };
    let input = ReasonInput {
        reason: f.opt("reason"),
    };
    let done = app.reject_aid(&v.actor, id, input).await;
    after(&app, &v, id, &f, done, "flash-aid-rejected").await
}

async fn cancel(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let id = match path_id(&id, "aid_request") {
        Ok(i) => i,
        Err(e) => return error_page(&v, e),
    };
    let input = ReasonInput {
        reason: f.opt("cancel_reason"),
    };
    let done = app.cancel_aid(&v.actor, id, input).await;
    after(&app, &v, id, &f, done, "flash-aid-cancelled").await
}

async fn pay(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let id = match path_id(&id, "aid_request") {
        Ok(i) => i,
        Err(e) => return error_page(&v, e),
    };
    let input = PayInput {
        method: f.opt("method"),
        amount: f.opt("amount"),
        on_day: f.opt("on_day").map(|d| v.lang.iso_date(&d)),
        reference: f.opt("reference"),
    };
    let done = app.pay_aid(&v.actor, id, input).await;
    after(&app, &v, id, &f, done, "flash-aid-paid").await
}

/// A payment's receipt, framed for print with lines to sign.
async fn receipt(
    State(app): State<App>,
    v: Viewer,
    Path((id, code)): Path<(String, String)>,
) -> Response {
    let r = match path_id(&id, "aid_request") {
        Ok(i) => app.aid_receipt(&v.actor, i, &code).await,
        Err(e) => Err(e),
    };
    let r = match r {
        Ok(r) => r,
        Err(e) => return error_page(&v, e),
    };
    let l = &v.lang;
    let body = html! {
        p.actions.no-print { a href=(format!("/aid/{}", r.request_id)) { (v.t("aid-back")) } }
        article.certificate.receipt #receipt {
            p.certificate-by { bdi dir="ltr" { (r.paid_by_unit) } }
            h2 { (v.t("aid-receipt")) " " code dir="ltr" { (r.receipt) } }
            p.certificate-name { bdi { (r.name) } }
            p #receipt-amount { strong { (l.money(&r.amount, &r.currency)) } " · " (v.t(&format!("paymethod-{}", r.method))) }
            @if let Some(i) = &r.item { p { bdi { (i) } } }
            p { (l.date(&r.on_day)) @if let Some(x) = &r.reference { " · " bdi dir="ltr" { (x) } } }
            p.muted { (v.t("aid-for-request")) " " (l.digits(&r.request_id.to_string())) }
            div.signatures {
                p { (v.t("aid-sign-received")) }
                p { (v.t("aid-sign-paid")) " " bdi dir="ltr" { (r.by) } }
            }
        }
    };
    v.page(&v.t("aid-receipt"), "nav-aid", body)
}
