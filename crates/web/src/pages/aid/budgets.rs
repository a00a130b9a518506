//! Aid's money across the tree: units' budgets and what was committed and paid of
//! them, the tree's currency and its levels' limits, the roll-up over a period, and the
//! requests as CSV or XLSX without their purposes.

use super::super::layout::{
    csv_response, error_page, field, redirect_with_flash, PlainForm, Viewer,
};
use crate::xlsx::{self, Cell};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use maud::html;
use muster_app::aid::{AidQuery, AidRollupQuery, AidSettingsInput, BudgetInput, BudgetQuery};
use muster_app::{App, AppError, Fields};
use muster_domain::user::Permission;
use std::collections::BTreeMap;

fn budgets_page(
    v: &Viewer,
    list: &[muster_app::aid::BudgetView],
    f: &PlainForm,
    errors: &Fields,
) -> Response {
    let l = &v.lang;
    let hint = l.date_hint();
    let text = |name: &str, key: &str, h: Option<&str>| {
        field(l, name, key, f.get(name), errors.get(name), "text", h)
    };
    let body = html! {
        p.actions { a href="/aid" { (v.t("nav-aid")) } a href="/aid/rollup" { (v.t("aid-rollup")) } }
        @if list.is_empty() { p.empty { (v.t("aid-no-budget")) } } @else {
            table #budgets.results {
                thead { tr {
                    th { (v.t("member-unit")) } th { (v.t("aid-year")) } th { (v.t("aid-period")) }
                    th.num { (v.t("aid-budget")) } th.num { (v.t("aid-committed")) } th.num { (v.t("aid-paid")) } th.num { (v.t("aid-left")) }
                } }
                tbody { @for b in list { tr.over[b.over] {
                    td data-label=(v.t("member-unit")) { bdi dir="ltr" { (b.unit_code) } }
                    td data-label=(v.t("aid-year")) { bdi { (l.digits(&b.label)) } }
                    td data-label=(v.t("aid-period")) { (l.date(&b.starts_on)) " – " (l.date(&b.ends_on)) }
                    td.num data-label=(v.t("aid-budget")) { (l.money(&b.amount, &b.currency)) }
                    td.num data-label=(v.t("aid-committed")) { (l.money(&b.committed, &b.currency)) }
                    td.num data-label=(v.t("aid-paid")) { (l.money(&b.paid, &b.currency)) }
                    td.num data-label=(v.t("aid-left")) { (l.money(&b.left, &b.currency)) }
                } } }
            }
        }
        @if v.actor.role().may(Permission::ApproveAid) {
            @if !errors.is_empty() { p.error role="alert" { (v.t("form-has-errors")) } }
            form.card #budget-form method="post" action="/aid/budgets" novalidate {
                (v.csrf_field())
                h3 { (v.t("aid-set-budget")) }
                (text("unit_code", "member-unit", None))
                (text("label", "aid-year", None))
                (text("starts_on", "aid-starts", Some(&hint)))
                (text("ends_on", "aid-ends", Some(&hint)))
                (text("amount", "aid-budget", None))
                div.actions { button type="submit" { (v.t("save")) } }
            }
        }
    };
    let mut r = v.page(&v.t("aid-budgets"), "nav-aid", body);
    if !errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

pub(super) async fn budgets(State(app): State<App>, v: Viewer) -> Response {
    let q = BudgetQuery {
        unit: None,
        limit: Some(500),
    };
    match app.budgets(&v.actor, &q).await {
        Ok(list) => {
            let mut f = PlainForm::default();
            if let Ok(Some(code)) = app.unit_code_of(&v.actor).await {
                f.values.insert("unit_code".into(), code);
            }
            budgets_page(&v, &list, &f, &Fields::new())
        }
        Err(e) => error_page(&v, e),
    }
}

pub(super) async fn set_budget(
    State(app): State<App>,
    v: Viewer,
    Form(f): Form<PlainForm>,
) -> Response {
    let input = BudgetInput {
        unit_code: f.opt("unit_code"),
        label: f
            .opt("label")
            .map(|s| muster_domain::names::digits_to_ascii(&s)),
        starts_on: f.opt("starts_on").map(|d| v.lang.iso_date(&d)),
        ends_on: f.opt("ends_on").map(|d| v.lang.iso_date(&d)),
        amount: f.opt("amount"),
    };
    let q = BudgetQuery {
        unit: None,
        limit: Some(500),
    };
    match app.set_budget(&v.actor, input).await {
        Ok(_) => redirect_with_flash("/aid/budgets", "flash-budget-saved"),
        Err(e) => match (
            super::super::layout::refusal(e),
            app.budgets(&v.actor, &q).await,
        ) {
            (Ok(errors), Ok(list)) => budgets_page(&v, &list, &f, &errors),
            (Err(e), _) | (_, Err(e)) => error_page(&v, e),
        },
    }
}

fn settings_page(
    v: &Viewer,
    s: &muster_app::aid::AidSettingsView,
    f: &PlainForm,
    errors: &Fields,
) -> Response {
    let l = &v.lang;
    let edits = v.actor.role().may(Permission::ManageUnits);
    let body = html! {
        p.actions { a href="/aid" { (v.t("nav-aid")) } }
        p.muted { (v.t("aid-limits-help")) }
        @if !errors.is_empty() {
            div.error role="alert" { p { (v.t("form-has-errors")) }
                ul { @for (k, code) in errors { li { code { (k) } " " (v.t(&format!("field-{code}"))) } } } }
        }
        form.card #aid-settings method="post" action="/aid/settings" novalidate {
            (v.csrf_field())
            input type="hidden" name="tree_code" value=(s.tree_code);
            (field(l, "currency", "aid-currency", f.opt("currency").as_deref().unwrap_or(&s.currency), errors.get("currency"), "text", None))
            @for (i, lim) in s.limits.iter().enumerate() {
                @let name = format!("limit_{i}");
                @let shown = lim.amount.as_deref().map(|a| l.digits(a)).unwrap_or_default();
                div.field {
                    label for=(name) { (v.t("aid-limit-of")) " " bdi { (lim.level) } }
                    input id=(name) name=(name) type="text" value=(f.opt(&name).unwrap_or(shown)) readonly[!edits];
                    @if let Some(e) = errors.get(&format!("limits.{}", lim.level)) { p.error { (v.t(&format!("field-{e}"))) } }
                }
            }
            @if edits { div.actions { button type="submit" { (v.t("save")) } } }
        }
    };
    let mut r = v.page(&v.t("aid-settings"), "nav-aid", body);
    if !errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

pub(super) async fn settings(State(app): State<App>, v: Viewer) -> Response {
    match app.aid_settings(&v.actor, None).await {
        Ok(s) => settings_page(&v, &s, &PlainForm::default(), &Fields::new()),
        Err(e) => error_page(&v, e),
    }
}

pub(super) async fn save_settings(
    State(app): State<App>,
    v: Viewer,
    Form(f): Form<PlainForm>,
) -> Response {
    let tree = f.opt("tree_code");
    let current = match app.aid_settings(&v.actor, tree.as_deref()).await {
        Ok(s) => s,
        Err(e) => return error_page(&v, e),
    };
    let limits: BTreeMap<String, String> = current
        .limits
        .iter()
        .enumerate()
        .map(|(i, lim)| (lim.level.clone(), f.get(&format!("limit_{i}")).to_string()))
        .collect();
    let input = AidSettingsInput {
        tree_code: tree,
        currency: f.opt("currency"),
        limits,
    };
    match app.set_aid_settings(&v.actor, input).await {
        Ok(_) => redirect_with_flash("/aid/settings", "flash-aid-settings-saved"),
        Err(e) => match super::super::layout::refusal(e) {
            Ok(errors) => settings_page(&v, &current, &f, &errors),
            Err(e) => error_page(&v, e),
        },
    }
}

#[derive(serde::Deserialize, Default)]
pub(super) struct RollupForm {
    unit: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

pub(super) async fn rollup(
    State(app): State<App>,
    v: Viewer,
    Query(q): Query<RollupForm>,
) -> Response {
    let l = &v.lang;
    let aq = AidRollupQuery {
        unit: q.unit.clone(),
        from: q.from.as_deref().map(|d| l.iso_date(d)),
        to: q.to.as_deref().map(|d| l.iso_date(d)),
    };
    let r = match app.aid_rollup(&v.actor, &aq).await {
        Ok(r) => r,
        Err(e) => return error_page(&v, e),
    };
    let link = |code: &str| {
        format!(
            "/aid/rollup?unit={}&from={}&to={}",
            crate::api::enc(code),
            crate::api::enc(&l.date(&r.from)),
            crate::api::enc(&l.date(&r.to))
        )
    };
    let m = |a: &str| l.money(a, &r.currency);
    let body = html! {
        form.filters method="get" action="/aid/rollup" {
            input type="hidden" name="unit" value=(r.unit_code);
            label { (v.t("aid-starts")) " " input type="text" name="from" value=(l.date(&r.from)); }
            label { (v.t("aid-ends")) " " input type="text" name="to" value=(l.date(&r.to)); }
            button type="submit" { (v.t("priority-filter")) }
        }
        h2 { bdi dir="ltr" { (r.unit_code) } " · " (l.date(&r.from)) " – " (l.date(&r.to)) }
        table #aid-rollup.results {
            thead { tr {
                th { (v.t("member-unit")) } th.num { (v.t("aid-requests")) } th.num { (v.t("aid-asked")) }
                th.num { (v.t("aid-approved")) } th.num { (v.t("aid-paid")) } th.num { (v.t("aid-budget")) } th.num { (v.t("aid-left")) }
            } }
            tbody { @for row in &r.rows { tr.total[row.row == "total"] {
                td data-label=(v.t("member-unit")) {
                    @if row.row == "child" { a href=(link(&row.unit_code)) { bdi dir="ltr" { (row.unit_code) } } }
                    @else { strong { bdi dir="ltr" { (row.unit_code) } } }
                }
                td.num data-label=(v.t("aid-requests")) { (l.number(row.requests)) }
                td.num data-label=(v.t("aid-asked")) { (m(&row.requested)) }
                td.num data-label=(v.t("aid-approved")) { (m(&row.approved)) }
                td.num data-label=(v.t("aid-paid")) { (m(&row.paid)) }
                td.num data-label=(v.t("aid-budget")) { (m(&row.budget)) }
                td.num data-label=(v.t("aid-left")) { (m(&row.left)) }
            } } }
        }
    };
    v.page(&v.t("aid-rollup"), "nav-aid", body)
}

/// The subtree's requests as rows of cells: no purpose, no reason (only what anyone of
/// the units may read).
async fn export_rows(app: &App, v: &Viewer) -> Result<Vec<Vec<Cell>>, AppError> {
    let q = AidQuery {
        limit: Some(500),
        ..AidQuery::default()
    };
    let items = app.list_aid(&v.actor, &q).await?;
    let mut rows = vec![[
        "case-number",
        "member-unit",
        "case-name",
        "aid-kind",
        "aid-item",
        "aid-currency",
        "aid-amount",
        "case-status",
        "aid-requested-on",
        "aid-approved",
        "aid-paid-from",
        "aid-decided",
        "aid-paid",
    ]
    .iter()
    .map(|k| Cell::Text(v.t(k)))
    .collect::<Vec<_>>()];
    let number = |a: &str| a.parse::<f64>().map(Cell::Number).unwrap_or(Cell::Empty);
    for a in items {
        rows.push(vec![
            Cell::Number(a.id as f64),
            Cell::Text(a.unit_code),
            Cell::Text(a.name),
            Cell::Text(v.t(&format!("aidkind-{}", a.kind))),
            a.item.map(Cell::Text).unwrap_or(Cell::Empty),
            Cell::Text(a.currency),
            a.amount.as_deref().map(number).unwrap_or(Cell::Empty),
            Cell::Text(v.t(&format!("aidstatus-{}", a.status))),
            Cell::Date(a.requested_on),
            a.approved_amount
                .as_deref()
                .map(number)
                .unwrap_or(Cell::Empty),
            a.approved_by_unit.map(Cell::Text).unwrap_or(Cell::Empty),
            a.decided_on.map(Cell::Date).unwrap_or(Cell::Empty),
            number(&a.paid),
        ]);
    }
    Ok(rows)
}

pub(super) async fn export_csv(State(app): State<App>, v: Viewer) -> Response {
    match export_rows(&app, &v).await {
        Ok(rows) => {
            let rows = crate::xlsx::csv_rows(rows, &v.lang);
            csv_response("aid", rows, true)
        }
        Err(e) => error_page(&v, e),
    }
}

pub(super) async fn export_xlsx(State(app): State<App>, v: Viewer) -> Response {
    match export_rows(&app, &v).await {
        Ok(rows) => xlsx::response("aid", "aid", &rows, v.lang.dir() == "rtl"),
        Err(e) => error_page(&v, e),
    }
}
