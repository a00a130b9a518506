//! The unit tree and each unit's page with its figures.

use super::layout::{error_page, Viewer};
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use maud::html;
use muster_app::App;

pub fn router() -> Router<App> {
    Router::new()
        .route("/units", get(tree))
        .route("/units/{code}", get(show))
}

async fn tree(State(app): State<App>, v: Viewer) -> Response {
    let units = match app.list_units(&v.actor).await {
        Ok(u) => u,
        Err(e) => return error_page(&v, e),
    };
    let l = &v.lang;
    let body = html! {
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
