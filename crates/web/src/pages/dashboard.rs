//! The dashboard of the reader's subtree.

use super::layout::{error_page, Viewer};
use crate::i18n::Lang;
use axum::extract::State;
use axum::response::Response;
use maud::{html, Markup};
use muster_app::stats::MonthFigures;
use muster_app::App;
use muster_domain::member::{EmploymentType, Status};
use muster_domain::Date;

page_routes! {
    "/" => get(dashboard),
}

async fn dashboard(State(app): State<App>, v: Viewer) -> Response {
    let d = match app.dashboard(&v.actor, Date::today()).await {
        Ok(d) => d,
        Err(e) => return error_page(&v, e),
    };
    // The items the subtree holds and has still to do, soonest due first.
    let items = match app
        .list_action_items(
            &v.actor,
            &muster_app::decisions::ActionQuery::default(),
            false,
        )
        .await
    {
        Ok(items) => items
            .into_iter()
            .filter(|a| a.status == "open" || a.status == "in_progress")
            .take(10)
            .collect::<Vec<_>>(),
        Err(e) => return error_page(&v, e),
    };
    let l = &v.lang;
    let body = html! {
        section.figures aria-label=(v.t("dash-figures")) {
            div.figure { span.value { (l.number(d.active)) } span.label { (v.t("dash-active")) } }
            div.figure { span.value { (l.number(d.new_this_month)) } span.label { (v.t("dash-new-month")) } }
            div.figure { span.value { (l.number(d.new_this_year)) } span.label { (v.t("dash-new-year")) } }
        }
        div.columns {
            section {
                h2 { (v.t("dash-by-status")) }
                @if d.by_status.is_empty() {
                    p.empty { (v.t("members-empty")) }
                } @else {
                    table {
                        thead { tr { th scope="col" { (v.t("member-status")) } th.num scope="col" { (v.t("dash-count")) } } }
                        tbody {
                            @for s in Status::ALL {
                                @if let Some(n) = d.by_status.get(s.as_str()) {
                                    tr {
                                        td { a href=(format!("/members?status={}", s.as_str())) { (v.t(&format!("status-{}", s.as_str()))) } }
                                        td.num { (l.number(*n)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            section {
                h2 { (v.t("dash-by-employment")) }
                table {
                    thead { tr { th scope="col" { (v.t("member-employment")) } th.num scope="col" { (v.t("dash-active")) } } }
                    tbody {
                        @for e in EmploymentType::ALL {
                            tr {
                                td { (v.t(&format!("employment-{}", e.as_str()))) }
                                td.num { (l.number(d.active_by_employment.get(e.as_str()).copied().unwrap_or(0))) }
                            }
                        }
                        @if let Some(n) = d.active_by_employment.get("").filter(|n| **n != 0) {
                            tr { td { (v.t("employment-unknown")) } td.num { (l.number(*n)) } }
                        }
                    }
                }
            }
        }
        section {
            h2 id="chart-title" { (v.t("dash-chart")) }
            (chart(l, &d.months, &v.t("dash-joins"), &v.t("dash-leaves")))
        }
        @if !items.is_empty() {
            section #dash-actions {
                h2 { (v.t("dash-action-items")) }
                (super::decisions::action_table(&v, &items, false))
                p { a href="/action-items" { (v.t("action-items")) } " · " a href="/action-items/overdue" { (v.t("action-overdue-list")) } }
            }
        }
    };
    v.page(&v.t("nav-dashboard"), "nav-dashboard", body)
}

/// Joins and leaves per month as paired bars, drawn on the server. Right to left for
/// readers of right-to-left scripts, like the rest of their page.
fn chart(l: &Lang, months: &[MonthFigures], joins_label: &str, leaves_label: &str) -> Markup {
    let (w, h, left, bottom, top) = (720.0, 260.0, 48.0, 40.0, 16.0);
    let max = months
        .iter()
        .map(|m| m.joins.max(m.leaves))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let slot = (w - left - 8.0) / months.len().max(1) as f64;
    let bar = (slot / 3.0).max(2.0);
    let y = |n: i64| top + (h - top - bottom) * (1.0 - n as f64 / max);
    let rtl = l.dir() == "rtl";
    let x = |i: usize| {
        let i = if rtl { months.len() - 1 - i } else { i };
        left + slot * i as f64 + slot / 6.0
    };
    let ticks = [0.0, 0.5, 1.0].map(|f| (max * f).round() as i64);
    html! {
        figure.chart {
            svg viewBox=(format!("0 0 {w} {h}")) direction="ltr" role="img" aria-labelledby="chart-title" preserveAspectRatio="xMidYMid meet" {
                @for t in ticks {
                    line x1=(left) x2=(w - 4.0) y1=(y(t)) y2=(y(t)) class="grid" {}
                    text x=(left - 6.0) y=(y(t) + 4.0) text-anchor="end" class="tick" { (l.number(t)) }
                }
                @for (i, m) in months.iter().enumerate() {
                    rect class="joins" x=(x(i)) y=(y(m.joins)) width=(bar) height=(h - bottom - y(m.joins)) {
                        title { (l.month(&m.month)) " · " (joins_label) ": " (l.number(m.joins)) }
                    }
                    rect class="leaves" x=(x(i) + bar) y=(y(m.leaves)) width=(bar) height=(h - bottom - y(m.leaves)) {
                        title { (l.month(&m.month)) " · " (leaves_label) ": " (l.number(m.leaves)) }
                    }
                    text x=(x(i) + bar) y=(h - bottom + 16.0) text-anchor="middle" class="tick" { (l.month(&m.month)) }
                }
            }
            figcaption {
                span.key.joins { (joins_label) }
                span.key.leaves { (leaves_label) }
            }
        }
    }
}
