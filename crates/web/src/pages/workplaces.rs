//! Workplaces in the reader's subtree.

use super::layout::{error_page, Viewer};
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use maud::html;
use muster_app::workplaces::WorkplaceQuery;
use muster_app::App;

pub fn router() -> Router<App> {
    Router::new().route("/workplaces", get(list))
}

async fn list(State(app): State<App>, v: Viewer, Query(q): Query<WorkplaceQuery>) -> Response {
    let page = match app.list_workplaces(&v.actor, &q).await {
        Ok(p) => p,
        Err(e) => return error_page(&v, e),
    };
    let l = &v.lang;
    let body = html! {
        @if page.items.is_empty() { p.empty { (v.t("workplaces-empty")) } } @else {
            div.scroll { table {
                thead { tr {
                    th scope="col" { (v.t("workplace-name")) } th scope="col" { (v.t("member-unit")) }
                    th scope="col" { (v.t("workplace-sector")) } th.num scope="col" { (v.t("workplace-headcount")) }
                    th scope="col" { (v.t("workplace-union")) } th scope="col" { (v.t("workplace-since")) }
                } }
                tbody { @for w in &page.items { tr {
                    td { bdi { (w.name) } br; small { bdi dir="ltr" { (w.code) } } }
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
