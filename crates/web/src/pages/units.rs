//! The unit tree and each unit's page with its figures.

use super::layout::{error_page, field, redirect_with_flash, Viewer};
use axum::extract::Query;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Form;
use maud::html;
use muster_app::units::{MoveUnit, NewUnit, UnitPatch};
use muster_app::App;
use muster_app::{AppError, Fields};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

page_routes! {
    "/units" => get(tree),
    "/units/new" => get(new_form).post(create),
    "/units/{code}" => get(show),
    "/units/{code}/edit" => get(edit_form).post(update),
    "/units/{code}/move" => post(move_unit),
}

async fn tree(State(app): State<App>, v: Viewer) -> Response {
    let units = match app.list_units(&v.actor).await {
        Ok(u) => u,
        Err(e) => return error_page(&v, e),
    };
    let l = &v.lang;
    let body = html! {
        @if v.actor.role().manages_units() {
            p { a.button href="/units/new" { (v.t("unit-new")) } }
        }
        @if units.is_empty() {
            p.empty { (v.t("units-empty")) }
        } @else {
            ul.tree {
                @for u in &units {
                    li style=(format!("--depth: {}", u.depth)) {
                        a href=(format!("/units/{}", u.code)) { bdi { (u.name_in(l.locale)) } }
                        " " small { bdi dir="ltr" { (u.code) } " · " (u.level) }
                    }
                }
            }
        }
    };
    v.page(&v.t("nav-units"), "nav-units", body)
}

async fn show(State(app): State<App>, v: Viewer, Path(code): Path<String>) -> Response {
    let unit = match app.get_unit(&v.actor, &code).await {
        Ok(u) => u,
        Err(e) => return error_page(&v, e),
    };
    let stats = match app.unit_stats(&v.actor, &code).await {
        Ok(s) => s,
        Err(e) => return error_page(&v, e),
    };
    let children: Vec<_> = app
        .list_units(&v.actor)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|u| u.parent_code.as_deref() == Some(unit.code.as_str()))
        .collect();
    let l = &v.lang;
    let recent: Vec<_> = stats.months.iter().rev().take(12).collect();
    let body = html! {
        dl.details {
            div { dt { (v.t("unit-code")) } dd { bdi dir="ltr" { (unit.code) } } }
            div { dt { (v.t("unit-level")) } dd { (unit.level) } }
            @if let Some(p) = &unit.parent_code { div { dt { (v.t("unit-parent")) } dd { a href=(format!("/units/{p}")) { bdi dir="ltr" { (p) } } } } }
            @for (locale, name) in &unit.names { div { dt { (v.t("unit-name-in")) " " (locale) } dd lang=(locale) { (name) } } }
        }
        section.figures {
            div.figure { span.value { (l.number(stats.active)) } span.label { (v.t("dash-active")) } }
        }
        p { a href=(format!("/members?unit={}", unit.code)) { (v.t("unit-members")) } }
        @if v.actor.role().manages_units() {
            p.actions {
                a.button href=(format!("/units/{}/edit", unit.code)) { (v.t("unit-edit")) }
                a href=(format!("/units/new?parent={}", unit.code)) { (v.t("unit-new-below")) }
            }
            @if v.actor.unit_id() != Some(unit.id) && unit.parent_code.is_some() {
                form.card method="post" action=(format!("/units/{}/move", unit.code)) {
                    h2 { (v.t("unit-move")) }
                    (v.csrf_field())
                    (field(l, "parent_code", "unit-move-to", "", None, "text", None))
                    div.actions { button type="submit" { (v.t("save")) } }
                }
            }
        }
        @if !children.is_empty() {
            h2 { (v.t("unit-children")) }
            ul { @for c in &children { li { a href=(format!("/units/{}", c.code)) { bdi { (c.name_in(l.locale)) } } } } }
        }
        h2 { (v.t("unit-months")) }
        @if recent.is_empty() { p.empty { (v.t("unit-no-activity")) } } @else {
            div.scroll { table {
                thead { tr {
                    th scope="col" { (v.t("month")) } th.num scope="col" { (v.t("dash-joins")) }
                    th.num scope="col" { (v.t("dash-leaves")) } th.num scope="col" { (v.t("dash-transfers-in")) }
                    th.num scope="col" { (v.t("dash-transfers-out")) } th.num scope="col" { (v.t("dash-active-end")) }
                } }
                tbody { @for m in recent { tr {
                    td { (l.month(&m.month)) } td.num { (l.number(m.joins)) } td.num { (l.number(m.leaves)) }
                    td.num { (l.number(m.transfers_in)) } td.num { (l.number(m.transfers_out)) } td.num { (l.number(m.active_end)) }
                } } }
            } }
        }
    };
    v.page(unit.name_in(l.locale), "nav-units", body)
}

#[derive(Deserialize, Default)]
struct UnitForm {
    #[serde(flatten)]
    values: HashMap<String, String>,
}

impl UnitForm {
    fn get(&self, k: &str) -> &str {
        self.values.get(k).map(String::as_str).unwrap_or("")
    }
    fn opt(&self, k: &str) -> Option<String> {
        Some(self.get(k).trim().to_string()).filter(|s| !s.is_empty())
    }
    /// The names typed per locale, `name_en`, `name_vi`, ...
    fn names(&self) -> BTreeMap<String, String> {
        crate::i18n::LOCALES
            .iter()
            .filter_map(|l| self.opt(&format!("name_{l}")).map(|n| (l.to_string(), n)))
            .collect()
    }
}

/// The unit form: creating (with parent and code) or editing (`code` given).
fn unit_form(v: &Viewer, f: &UnitForm, errors: &Fields, editing: Option<&str>) -> Response {
    let l = &v.lang;
    let hint = l.date_hint();
    let text = |name: &str, key: &str, h: Option<&str>| {
        field(l, name, key, f.get(name), errors.get(name), "text", h)
    };
    let action = match editing {
        Some(code) => format!("/units/{code}/edit"),
        None => "/units/new".into(),
    };
    let body = html! {
        @if !errors.is_empty() { p.error role="alert" { (v.t("form-has-errors")) } }
        form.card method="post" action=(action) novalidate {
            (v.csrf_field())
            @if editing.is_none() {
                (text("parent_code", "unit-parent", None))
                (text("code", "unit-code", None))
            }
            (text("level", "unit-level", None))
            (text("name", "unit-name", None))
            @for locale in crate::i18n::LOCALES {
                (field(l, &format!("name_{locale}"), &format!("unit-name-{locale}"), f.get(&format!("name_{locale}")), errors.get(&format!("names.{locale}")), "text", None))
            }
            (text("region", "unit-region", None))
            (text("founded_on", "unit-founded", Some(&hint)))
            @if editing.is_some() {
                (text("dissolved_on", "unit-dissolved", Some(&hint)))
            }
            div.actions { button type="submit" { (v.t("save")) } a href="/units" { (v.t("cancel")) } }
        }
    };
    let title = if editing.is_some() {
        v.t("unit-edit")
    } else {
        v.t("unit-new")
    };
    let mut r = v.page(&title, "nav-units", body);
    if !errors.is_empty() {
        *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

fn saved(path: String, flash: &str) -> Response {
    redirect_with_flash(&path, flash)
}

#[derive(Deserialize, Default)]
struct NewQuery {
    parent: Option<String>,
}

async fn new_form(v: Viewer, Query(q): Query<NewQuery>) -> Response {
    if !v.actor.role().manages_units() {
        return error_page(&v, AppError::Forbidden);
    }
    let mut f = UnitForm::default();
    if let Some(p) = q.parent {
        f.values.insert("parent_code".into(), p);
    }
    unit_form(&v, &f, &Fields::new(), None)
}

async fn create(State(app): State<App>, v: Viewer, Form(f): Form<UnitForm>) -> Response {
    let input = NewUnit {
        parent_code: f.opt("parent_code"),
        code: f.get("code").into(),
        level: f.get("level").into(),
        name: f.get("name").into(),
        names: f.names(),
        region: f.opt("region"),
        founded_on: f.opt("founded_on").map(|d| v.lang.iso_date(&d)),
        dissolved_on: None,
        levels: Vec::new(),
    };
    match app.create_unit(&v.actor, input).await {
        Ok(u) => saved(format!("/units/{}", u.code), "flash-unit-saved"),
        Err(AppError::Invalid(errors)) => unit_form(&v, &f, &errors, None),
        Err(AppError::Conflict { field, code }) => {
            unit_form(&v, &f, &Fields::from([(field, code)]), None)
        }
        Err(e) => error_page(&v, e),
    }
}

async fn edit_form(State(app): State<App>, v: Viewer, Path(code): Path<String>) -> Response {
    if !v.actor.role().manages_units() {
        return error_page(&v, AppError::Forbidden);
    }
    let u = match app.get_unit(&v.actor, &code).await {
        Ok(u) => u,
        Err(e) => return error_page(&v, e),
    };
    let mut f = UnitForm::default();
    let l = &v.lang;
    for (k, val) in [
        ("level", Some(u.level.clone())),
        ("name", Some(u.name.clone())),
        ("region", u.region.clone()),
        ("founded_on", u.founded_on.as_deref().map(|d| l.date(d))),
        ("dissolved_on", u.dissolved_on.as_deref().map(|d| l.date(d))),
    ] {
        f.values.insert(k.into(), val.unwrap_or_default());
    }
    for (locale, name) in &u.names {
        f.values.insert(format!("name_{locale}"), name.clone());
    }
    unit_form(&v, &f, &Fields::new(), Some(&u.code))
}

async fn update(
    State(app): State<App>,
    v: Viewer,
    Path(code): Path<String>,
    Form(f): Form<UnitForm>,
) -> Response {
    let l = &v.lang;
    let patch = UnitPatch {
        level: Some(f.get("level").into()),
        name: Some(f.get("name").into()),
        names: Some(f.names()),
        region: Some(f.get("region").into()),
        founded_on: Some(
            f.opt("founded_on")
                .map(|d| l.iso_date(&d))
                .unwrap_or_default(),
        ),
        dissolved_on: Some(
            f.opt("dissolved_on")
                .map(|d| l.iso_date(&d))
                .unwrap_or_default(),
        ),
    };
    match app.update_unit(&v.actor, &code, patch).await {
        Ok(u) => saved(format!("/units/{}", u.code), "flash-unit-saved"),
        Err(AppError::Invalid(errors)) => unit_form(&v, &f, &errors, Some(&code)),
        Err(e) => error_page(&v, e),
    }
}

async fn move_unit(
    State(app): State<App>,
    v: Viewer,
    Path(code): Path<String>,
    Form(f): Form<UnitForm>,
) -> Response {
    match app
        .move_unit(
            &v.actor,
            &code,
            MoveUnit {
                parent_code: f.get("parent_code").into(),
            },
        )
        .await
    {
        Ok(u) => saved(format!("/units/{}", u.code), "flash-unit-moved"),
        Err(AppError::Invalid(errors)) => {
            let detail: Vec<String> = errors
                .values()
                .map(|c| v.t(&format!("field-{c}")))
                .collect();
            let body = html! {
                p.error role="alert" { (detail.join(" ")) }
                p { a href=(format!("/units/{code}")) { (v.t("back")) } }
            };
            let mut r = v.page(&v.t("unit-move"), "nav-units", body);
            *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            r
        }
        Err(e) => error_page(&v, e),
    }
}
