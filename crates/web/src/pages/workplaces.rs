//! Workplaces in the reader's subtree: list, page, create, edit.

use super::layout::{error_page, field, redirect_with_flash, select, Viewer};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Form;
use maud::html;
use muster_app::workplaces::{WorkplaceInput, WorkplaceQuery, WorkplaceView};
use muster_app::{App, AppError, Fields};
use muster_domain::workplace::Ownership;
use serde::Deserialize;
use std::collections::HashMap;

page_routes! {
    "/workplaces" => get(list),
    "/workplaces/new" => get(new_form).post(create),
    "/workplaces/{code}" => get(show),
    "/workplaces/{code}/edit" => get(edit_form).post(update),
    "/workplaces/{code}/archive" => post(archive),
}

async fn list(State(app): State<App>, v: Viewer, Query(q): Query<WorkplaceQuery>) -> Response {
    let page = match app.list_workplaces(&v.actor, &q).await {
        Ok(p) => p,
        Err(e) => return error_page(&v, e),
    };
    let l = &v.lang;
    let body = html! {
        p.actions {
            @if v.actor.role().edits_registry() { a.button href="/workplaces/new" { (v.t("workplace-new")) } }
            a href="/workplaces/coverage" { (v.t("coverage-title")) }
            a href="/workplaces/priority" { (v.t("priority-title")) }
        }
        form.filters method="get" action="/workplaces" {
            (field(l, "q", "workplace-search", q.q.as_deref().unwrap_or(""), None, "search", None))
            div.actions { button type="submit" { (v.t("priority-filter")) } }
        }
        @if page.items.is_empty() { p.empty { (v.t("workplaces-empty")) } } @else {
            div.scroll { table {
                thead { tr {
                    th scope="col" { (v.t("workplace-name")) } th scope="col" { (v.t("member-unit")) }
                    th scope="col" { (v.t("workplace-sector")) } th.num scope="col" { (v.t("workplace-headcount")) }
                    th scope="col" { (v.t("workplace-union")) } th scope="col" { (v.t("workplace-since")) }
                } }
                tbody { @for w in &page.items { tr {
                    td { a href=(format!("/workplaces/{}", w.code)) { bdi { (w.name) } } br; small { bdi dir="ltr" { (w.code) } } }
                    td { bdi dir="ltr" { (w.unit_code) } }
                    td { (w.sector_code.as_deref().unwrap_or("")) }
                    td.num { (w.headcount.map(|h| l.number(h)).unwrap_or_default()) }
                    td { @match &w.covering_unit_code {
                        Some(c) => a href=(format!("/units/{c}")) { bdi dir="ltr" { (c) } },
                        None => span.none { (v.t("workplace-no-union")) },
                    } }
                    td.date { (l.opt_date(w.operating_since.as_deref())) }
                } } }
            } }
            @if let Some(next) = &page.next_cursor {
                nav.pager { a rel="next" href=(format!("/workplaces?cursor={next}")) { (v.t("pager-next")) } }
            }
        }
    };
    v.page(&v.t("nav-workplaces"), "nav-workplaces", body)
}

async fn show(State(app): State<App>, v: Viewer, Path(code): Path<String>) -> Response {
    let w = match app.get_workplace(&v.actor, &code).await {
        Ok(w) => w,
        Err(e) => return error_page(&v, e),
    };
    let l = &v.lang;
    let row = |key: &str, value: String| html! { @if !value.is_empty() { div { dt { (v.t(key)) } dd { bdi { (value) } } } } };
    let body = html! {
        dl.details {
            (row("unit-code", w.code.clone()))
            (row("member-unit", w.unit_code.clone()))
            (row("workplace-registration", w.registration_id.clone().unwrap_or_default()))
            (row("workplace-sector", w.sector_code.clone().unwrap_or_default()))
            (row("workplace-ownership", w.ownership.as_ref().map(|o| v.t(&format!("ownership-{o}"))).unwrap_or_default()))
            (row("workplace-headcount", w.headcount.map(|h| l.number(h)).unwrap_or_default()))
            (row("workplace-since", l.opt_date(w.operating_since.as_deref())))
            (row("unit-region", w.region.clone().unwrap_or_default()))
            (row("workplace-union", w.covering_unit_code.clone().unwrap_or_else(|| v.t("workplace-no-union"))))
        }
        p.actions {
            @if v.actor.role().edits_registry() { a.button href=(format!("/workplaces/{}/edit", w.code)) { (v.t("workplace-edit")) } }
            a href=(format!("/workplaces/{}/organizing", w.code)) { (v.t("wall-organizing")) }
            a href=(format!("/workplaces/{}/wall", w.code)) { (v.t("wall-title")) }
            @if w.covering_unit_code.is_none() && v.actor.role().manages_units() {
                a href=(format!("/workplaces/{}/found", w.code)) { (v.t("found-title")) }
            }
        }
        @if v.actor.role().edits_registry() {
            form.inline method="post" action=(format!("/workplaces/{}/archive", w.code)) {
                (v.csrf_field())
                button.secondary type="submit" { (v.t("workplace-archive")) }
            }
        }
    };
    v.page(w.name_in(l.locale), "nav-workplaces", body)
}

#[derive(Deserialize, Default)]
struct WorkplaceForm {
    #[serde(flatten)]
    values: HashMap<String, String>,
}

impl WorkplaceForm {
    fn get(&self, k: &str) -> &str {
        self.values.get(k).map(String::as_str).unwrap_or("")
    }
    fn opt(&self, k: &str) -> Option<String> {
        Some(self.get(k).trim().to_string()).filter(|s| !s.is_empty())
    }
    fn input(&self, v: &Viewer) -> Result<WorkplaceInput, Fields> {
        let headcount = match self.opt("headcount") {
            None => None,
            Some(h) => match muster_domain::names::digits_to_ascii(&h)
                .replace([',', '.', '٬'], "")
                .parse()
            {
                Ok(n) => Some(n),
                Err(_) => {
                    return Err(Fields::from([(
                        "headcount".to_string(),
                        "out_of_range".to_string(),
                    )]))
                }
            },
        };
        Ok(WorkplaceInput {
            code: self.opt("code"),
            name: self.opt("name"),
            unit_code: self.opt("unit_code"),
            registration_id: Some(self.get("registration_id").trim().to_string()),
            sector_code: self.opt("sector_code"),
            ownership: self.opt("ownership"),
            headcount,
            operating_since: self.opt("operating_since").map(|d| v.lang.iso_date(&d)),
            region: Some(self.get("region").trim().to_string()),
            covering_unit_code: self.opt("covering_unit_code"),
            names: Some(
                crate::i18n::LOCALES
                    .iter()
                    .filter_map(|l| self.opt(&format!("name_{l}")).map(|n| (l.to_string(), n)))
                    .collect(),
            ),
        })
    }
}

fn form_page(v: &Viewer, f: &WorkplaceForm, errors: &Fields, editing: Option<&str>) -> Response {
    let l = &v.lang;
    let hint = l.date_hint();
    let text = |name: &str, key: &str, h: Option<&str>| {
        field(l, name, key, f.get(name), errors.get(name), "text", h)
    };
    let mut ownership = vec![(String::new(), v.t("choose"))];
    ownership.extend(Ownership::ALL.iter().map(|o| {
        (
            o.as_str().to_string(),
            v.t(&format!("ownership-{}", o.as_str())),
        )
    }));
    let action = editing.map_or("/workplaces/new".to_string(), |c| {
        format!("/workplaces/{c}/edit")
    });
    let body = html! {
        @if !errors.is_empty() { p.error role="alert" { (v.t("form-has-errors")) } }
        form.card method="post" action=(action) novalidate {
            (v.csrf_field())
            @if editing.is_none() { (text("code", "unit-code", None)) }
            (text("name", "workplace-name", None))
            @for loc in crate::i18n::LOCALES {
                (field(l, &format!("name_{loc}"), &format!("unit-name-{loc}"), f.get(&format!("name_{loc}")), errors.get(&format!("names.{loc}")), "text", None))
            }
            (text("unit_code", "member-unit", None))
            (text("registration_id", "workplace-registration", None))
            (text("sector_code", "workplace-sector", Some("C14")))
            (select(l, "ownership", "workplace-ownership", &ownership, f.get("ownership"), errors.get("ownership")))
            (text("headcount", "workplace-headcount", None))
            (text("operating_since", "workplace-since", Some(&hint)))
            (text("region", "unit-region", None))
            (text("covering_unit_code", "workplace-union", None))
            div.actions { button type="submit" { (v.t("save")) } a href="/workplaces" { (v.t("cancel")) } }
        }
    };
    let title = if editing.is_some() {
        v.t("workplace-edit")
    } else {
        v.t("workplace-new")
    };
    let mut r = v.page(&title, "nav-workplaces", body);
    if !errors.is_empty() {
        *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

fn saved(w: &WorkplaceView) -> Response {
    redirect_with_flash(&format!("/workplaces/{}", w.code), "flash-workplace-saved")
}

async fn new_form(v: Viewer) -> Response {
    if !v.actor.role().edits_registry() {
        return error_page(&v, AppError::Forbidden);
    }
    form_page(&v, &WorkplaceForm::default(), &Fields::new(), None)
}

async fn create(State(app): State<App>, v: Viewer, Form(f): Form<WorkplaceForm>) -> Response {
    let input = match f.input(&v) {
        Ok(i) => i,
        Err(errors) => return form_page(&v, &f, &errors, None),
    };
    match app.create_workplace(&v.actor, input).await {
        Ok(w) => saved(&w),
        Err(AppError::Invalid(errors)) => form_page(&v, &f, &errors, None),
        Err(AppError::Conflict { field, code }) => {
            form_page(&v, &f, &Fields::from([(field, code)]), None)
        }
        Err(e) => error_page(&v, e),
    }
}

async fn edit_form(State(app): State<App>, v: Viewer, Path(code): Path<String>) -> Response {
    let w = match app.get_workplace(&v.actor, &code).await {
        Ok(w) => w,
        Err(e) => return error_page(&v, e),
    };
    if !v.actor.role().edits_registry() {
        return error_page(&v, AppError::Forbidden);
    }
    let l = &v.lang;
    let mut f = WorkplaceForm::default();
    for (k, val) in [
        ("name", Some(w.name.clone())),
        ("unit_code", Some(w.unit_code.clone())),
        ("registration_id", w.registration_id.clone()),
        ("sector_code", w.sector_code.clone()),
        ("ownership", w.ownership.clone()),
        ("headcount", w.headcount.map(|h| h.to_string())),
        (
            "operating_since",
            w.operating_since.as_deref().map(|d| l.date(d)),
        ),
        ("region", w.region.clone()),
        ("covering_unit_code", w.covering_unit_code.clone()),
    ] {
        f.values.insert(k.into(), val.unwrap_or_default());
    }
    for (locale, name) in &w.names {
        f.values.insert(format!("name_{locale}"), name.clone());
    }
    form_page(&v, &f, &Fields::new(), Some(&w.code))
}

async fn update(
    State(app): State<App>,
    v: Viewer,
    Path(code): Path<String>,
    Form(f): Form<WorkplaceForm>,
) -> Response {
    let input = match f.input(&v) {
        Ok(i) => i,
        Err(errors) => return form_page(&v, &f, &errors, Some(&code)),
    };
    match app.update_workplace(&v.actor, &code, input).await {
        Ok(w) => saved(&w),
        Err(AppError::Invalid(errors)) => form_page(&v, &f, &errors, Some(&code)),
        Err(e) => error_page(&v, e),
    }
}

async fn archive(State(app): State<App>, v: Viewer, Path(code): Path<String>) -> Response {
    match app.archive_workplace(&v.actor, &code).await {
        Ok(()) => redirect_with_flash("/workplaces", "flash-workplace-archived"),
        Err(e) => error_page(&v, e),
    }
}
