//! Workplace mapping pages: union coverage, the priority list, organizing at one
//! workplace (workers, assessments, committee), its wall chart, and founding its union.

use super::layout::{csv_response, error_page, field, redirect_with_flash, PlainForm, Viewer};
use crate::api::enc;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use maud::{html, Markup};
use muster_app::mapping::{
    Assignment, CommitteeSeat, CoverageGroup, FoundUnion, NewAssessment, NewHeadcount, NewWorker,
    Organizing, PriorityQuery, Weights,
};
use muster_app::{App, AppError, Fields};
use muster_domain::workplace::{Ownership, SizeBand};
use muster_domain::Date;
use serde::Deserialize;

mod workplace;

use workplace::{found, found_form, organizing, organizing_action, wall};

page_routes! {
    "/workplaces/coverage" => get(coverage),
    "/workplaces/coverage.csv" => get(coverage_csv),
    "/workplaces/priority" => get(priority),
    "/workplaces/priority.csv" => get(priority_csv),
    "/workplaces/priority/weights" => post(save_weights),
    "/workplaces/{code}/organizing" => get(organizing).post(organizing_action),
    "/workplaces/{code}/wall" => get(wall),
    "/workplaces/{code}/found" => get(found_form).post(found),
}

fn band_label(v: &Viewer, key: &str) -> String {
    if key.is_empty() {
        v.t("coverage-size-unknown")
    } else {
        // Isolated so that a range reads left to right inside right-to-left text.
        let band = format!("\u{2066}{}\u{2069}", v.lang.digits.apply(key));
        v.lang.t_args("coverage-size", &[("band", band)])
    }
}

fn ownership_label(v: &Viewer, key: &str) -> String {
    if key.is_empty() {
        v.t("employment-unknown")
    } else {
        v.t(&format!("ownership-{key}"))
    }
}

#[derive(Deserialize, Default)]
struct UnitQuery {
    unit: Option<String>,
}

fn coverage_table(
    v: &Viewer,
    title_key: &str,
    groups: &[CoverageGroup],
    label: &dyn Fn(&str) -> String,
) -> Markup {
    let l = &v.lang;
    html! {
        h2 { (v.t(title_key)) }
        div.scroll { table {
            thead { tr {
                th scope="col" { (v.t(title_key)) }
                th.num scope="col" { (v.t("coverage-workplaces")) }
                th.num scope="col" { (v.t("coverage-with-union")) }
                th.num scope="col" { (v.t("coverage-without-union")) }
                th.num scope="col" { (v.t("workplace-headcount")) }
                th.num scope="col" { (v.t("coverage-covered-share")) }
                th.num scope="col" { (v.t("coverage-members")) }
                th.num scope="col" { (v.t("coverage-rate")) }
            } }
            tbody { @for g in groups {
                tr {
                    td { (label(&g.key)) }
                    td.num { (l.number(g.workplaces)) }
                    td.num { (l.number(g.covered)) }
                    td.num { (l.number(g.workplaces - g.covered)) }
                    td.num { (l.number(g.workers)) }
                    td.num { (l.percent(g.covered_share)) }
                    td.num { (l.number(g.members)) }
                    td.num { (l.percent(g.membership_rate)) }
                }
            } }
        } }
    }
}

async fn coverage(State(app): State<App>, v: Viewer, Query(q): Query<UnitQuery>) -> Response {
    let c = match app.coverage(&v.actor, q.unit.as_deref()).await {
        Ok(c) => c,
        Err(e) => return error_page(&v, e),
    };
    let l = &v.lang;
    let unit_q = q
        .unit
        .as_deref()
        .map(|u| format!("?unit={}", enc(u)))
        .unwrap_or_default();
    let body = html! {
        p.actions {
            a href="/workplaces" { (v.t("nav-workplaces")) }
            a href=(format!("/workplaces/priority{unit_q}")) { (v.t("priority-title")) }
            a href=(format!("/workplaces/coverage.csv{unit_q}")) download { (v.t("drive-export-csv")) }
        }
        form.filters method="get" action="/workplaces/coverage" {
            (field(l, "unit", "member-unit", q.unit.as_deref().unwrap_or(""), None, "text", None))
            div.actions { button type="submit" { (v.t("priority-filter")) } }
        }
        section.figures {
            div.figure { span.value { (l.number(c.all.workplaces)) } span.label { (v.t("coverage-workplaces")) } }
            div.figure { span.value { (l.percent(c.all.covered_share)) } span.label { (v.t("coverage-covered-share")) } }
            div.figure { span.value { (l.percent(c.all.membership_rate)) } span.label { (v.t("coverage-rate")) } }
            div.figure { span.value { (l.number(c.all.workplaces - c.all.covered)) } span.label { (v.t("coverage-without-union")) } }
        }
        (coverage_table(&v, "coverage-by-size", &c.by_size, &|k| band_label(&v, k)))
        (coverage_table(&v, "coverage-by-ownership", &c.by_ownership, &|k| ownership_label(&v, k)))
    };
    v.page(&v.t("coverage-title"), "nav-workplaces", body)
}

fn plain_pct(p: Option<f64>) -> String {
    p.map(|p| p.to_string()).unwrap_or_default()
}

async fn coverage_csv(State(app): State<App>, v: Viewer, Query(q): Query<UnitQuery>) -> Response {
    let c = match app.coverage(&v.actor, q.unit.as_deref()).await {
        Ok(c) => c,
        Err(e) => return error_page(&v, e),
    };
    let mut rows = vec![[
        "coverage-group",
        "coverage-workplaces",
        "coverage-with-union",
        "workplace-headcount",
        "coverage-workers-covered",
        "coverage-covered-share",
        "coverage-members",
        "coverage-rate",
    ]
    .iter()
    .map(|k| v.t(k))
    .collect::<Vec<_>>()];
    let line = |label: String, g: &CoverageGroup| {
        vec![
            label,
            g.workplaces.to_string(),
            g.covered.to_string(),
            g.workers.to_string(),
            g.workers_covered.to_string(),
            plain_pct(g.covered_share),
            g.members.to_string(),
            plain_pct(g.membership_rate),
        ]
    };
    rows.push(line(v.t("coverage-all"), &c.all));
    for g in &c.by_size {
        rows.push(line(band_label(&v, &g.key), g));
    }
    for g in &c.by_ownership {
        rows.push(line(ownership_label(&v, &g.key), g));
    }
    csv_response("coverage", rows, true)
}

#[derive(Deserialize, Default)]
struct PriorityForm {
    unit: Option<String>,
    size: Option<String>,
    sector: Option<String>,
    ownership: Option<String>,
    mine: Option<String>,
    offset: Option<i64>,
}

impl PriorityForm {
    fn query(&self, limit: i64) -> PriorityQuery {
        let some = |s: &Option<String>| s.clone().filter(|s| !s.trim().is_empty());
        PriorityQuery {
            unit: some(&self.unit),
            size: some(&self.size),
            sector: some(&self.sector),
            ownership: some(&self.ownership),
            mine: Some(self.mine.as_deref() == Some("on")),
            limit: Some(limit),
            offset: self.offset,
        }
    }

    fn params(&self) -> String {
        [
            ("unit", &self.unit),
            ("size", &self.size),
            ("sector", &self.sector),
            ("ownership", &self.ownership),
            ("mine", &self.mine),
        ]
        .iter()
        .filter_map(|(k, v)| {
            v.as_deref()
                .filter(|s| !s.is_empty())
                .map(|s| format!("{k}={}", enc(s)))
        })
        .collect::<Vec<_>>()
        .join("&")
    }
}

const PAGE: i64 = 50;

async fn priority(State(app): State<App>, v: Viewer, Query(f): Query<PriorityForm>) -> Response {
    let (page, errors) = match app
        .priority_list(&v.actor, &f.query(PAGE), Date::today())
        .await
    {
        Ok(p) => (Some(p), Fields::new()),
        Err(AppError::Invalid(errors)) => (None, errors),
        Err(e) => return error_page(&v, e),
    };
    let l = &v.lang;
    let sel = |name: &str, options: Vec<(String, String)>, current: &Option<String>| {
        html! {
            div.field {
                label for=(format!("f-{name}")) { (v.t(&format!("priority-{name}"))) }
                select id=(format!("f-{name}")) name=(name) {
                    option value="" { (v.t("priority-any")) }
                    @for (value, label) in &options {
                        option value=(value) selected[current.as_deref() == Some(value.as_str())] { (label) }
                    }
                }
            }
        }
    };
    let sizes = SizeBand::ALL
        .iter()
        .map(|b| (b.as_str().to_string(), band_label(&v, b.as_str())))
        .collect();
    let owners = Ownership::ALL
        .iter()
        .map(|o| {
            (
                o.as_str().to_string(),
                v.t(&format!("ownership-{}", o.as_str())),
            )
        })
        .collect();
    let params = f.params();
    let body = html! {
        p.actions {
            a href="/workplaces" { (v.t("nav-workplaces")) }
            a href=(format!("/workplaces/coverage{}", f.unit.as_deref().filter(|u| !u.is_empty()).map(|u| format!("?unit={}", enc(u))).unwrap_or_default())) { (v.t("coverage-title")) }
            a href=(format!("/workplaces/priority.csv?{params}")) download { (v.t("drive-export-csv")) }
        }
        @if !errors.is_empty() { p.error role="alert" { @for c in errors.values() { (v.t(&format!("field-{c}"))) " " } } }
        form.filters method="get" action="/workplaces/priority" {
            (field(l, "unit", "member-unit", f.unit.as_deref().unwrap_or(""), errors.get("unit"), "text", None))
            (sel("size", sizes, &f.size))
            (field(l, "sector", "priority-sector", f.sector.as_deref().unwrap_or(""), errors.get("sector"), "text", Some("C")))
            (sel("ownership", owners, &f.ownership))
            label.check { input type="checkbox" name="mine" value="on" checked[f.mine.as_deref() == Some("on")]; " " (v.t("priority-mine")) }
            div.actions { button type="submit" { (v.t("priority-filter")) } }
        }
        @if let Some(p) = &page {
            p.period {
                (v.lang.t_args("priority-weights", &[
                    ("headcount", l.number(p.weights.headcount)), ("years", l.number(p.weights.years)),
                    ("rate", l.number(p.weights.rate)), ("threshold", l.number(p.weights.rate_threshold)),
                ]))
                " · " (v.lang.t_args("priority-total", &[("count", l.number(p.total))]))
            }
            @if p.items.is_empty() { p.empty { (v.t("priority-empty")) } } @else {
                div.scroll { table.priority {
                    thead { tr {
                        th.num scope="col" { "#" }
                        th scope="col" { (v.t("workplace-name")) }
                        th.num scope="col" { (v.t("workplace-headcount")) }
                        th.num scope="col" { (v.t("priority-years")) }
                        th.num scope="col" { (v.t("coverage-members")) }
                        th.num scope="col" { (v.t("coverage-rate")) }
                        th scope="col" { (v.t("workplace-union")) }
                        th scope="col" { (v.t("priority-organizer")) }
                        th.num scope="col" { (v.t("priority-score")) }
                    } }
                    tbody { @for w in &p.items {
                        tr {
                            td.num { (l.number(w.rank)) }
                            td {
                                a href=(format!("/workplaces/{}/organizing", w.code)) { bdi { (w.name) } }
                                br; small { bdi dir="ltr" { (w.code) } " · " (w.sector_code.as_deref().unwrap_or("")) " · "
                                    (w.ownership.as_deref().map(|o| v.t(&format!("ownership-{o}"))).unwrap_or_default()) }
                            }
                            td.num { (w.headcount.map(|h| l.number(h)).unwrap_or_default()) }
                            td.num { (w.years.map(|y| l.number(y)).unwrap_or_default()) }
                            td.num { (l.number(w.members)) }
                            td.num { (l.percent(w.membership_rate)) }
                            td { @match &w.covering_unit_code {
                                Some(c) => bdi dir="ltr" { (c) },
                                None => span.none { (v.t("workplace-no-union")) },
                            } }
                            td { (w.organizer.as_deref().unwrap_or("")) @if let Some(d) = &w.follow_up_on { br; small { (l.date(d)) } } }
                            td.num { strong { (l.decimal(w.score)) } }
                        }
                    } }
                } }
                nav.pager {
                    @if f.offset.unwrap_or(0) > 0 {
                        a rel="prev" href=(format!("/workplaces/priority?{params}&offset={}", (f.offset.unwrap_or(0) - PAGE).max(0))) { (v.t("pager-prev")) }
                    }
                    @if f.offset.unwrap_or(0) + PAGE < p.total {
                        a rel="next" href=(format!("/workplaces/priority?{params}&offset={}", f.offset.unwrap_or(0) + PAGE)) { (v.t("pager-next")) }
                    }
                }
            }
            @if v.actor.role().manages_units() {
                details {
                    summary { (v.t("priority-change-weights")) }
                    form.card method="post" action="/workplaces/priority/weights" {
                        (v.csrf_field())
                        (field(l, "tree", "priority-tree", "", None, "text", None))
                        @for (name, value) in [("headcount", p.weights.headcount), ("years", p.weights.years), ("rate", p.weights.rate), ("rate_threshold", p.weights.rate_threshold)] {
                            (field(l, name, &format!("priority-weight-{name}"), &value.to_string(), None, "text", None))
                        }
                        div.actions { button type="submit" { (v.t("save")) } }
                    }
                }
            }
        }
    };
    v.page(&v.t("priority-title"), "nav-workplaces", body)
}

async fn priority_csv(
    State(app): State<App>,
    v: Viewer,
    Query(f): Query<PriorityForm>,
) -> Response {
    let p = match app
        .priority_list(&v.actor, &f.query(500), Date::today())
        .await
    {
        Ok(p) => p,
        Err(e) => return error_page(&v, e),
    };
    let mut rows = vec![[
        "priority-rank",
        "unit-code",
        "workplace-name",
        "member-unit",
        "workplace-sector",
        "workplace-ownership",
        "workplace-headcount",
        "workplace-since",
        "priority-years",
        "coverage-members",
        "coverage-rate",
        "workplace-union",
        "priority-organizer",
        "priority-follow-up",
        "priority-score",
    ]
    .iter()
    .map(|k| v.t(k))
    .collect::<Vec<_>>()];
    for w in p.items {
        rows.push(vec![
            w.rank.to_string(),
            w.code,
            w.name,
            w.unit_code,
            w.sector_code.unwrap_or_default(),
            w.ownership
                .map(|o| v.t(&format!("ownership-{o}")))
                .unwrap_or_default(),
            w.headcount.map(|h| h.to_string()).unwrap_or_default(),
            w.operating_since
                .as_deref()
                .map(|d| v.lang.date(d))
                .unwrap_or_default(),
            w.years.map(|y| y.to_string()).unwrap_or_default(),
            w.members.to_string(),
            plain_pct(w.membership_rate),
            w.covering_unit_code.unwrap_or_default(),
            w.organizer.unwrap_or_default(),
            w.follow_up_on
                .as_deref()
                .map(|d| v.lang.date(d))
                .unwrap_or_default(),
            w.score.to_string(),
        ]);
    }
    csv_response("priority", rows, true)
}

async fn save_weights(State(app): State<App>, v: Viewer, Form(f): Form<PlainForm>) -> Response {
    let weights = (|| {
        Ok::<_, AppError>(Weights {
            headcount: f.int("headcount")?,
            years: f.int("years")?,
            rate: f.int("rate")?,
            rate_threshold: f.int("rate_threshold")?,
        })
    })();
    let result = match weights {
        Ok(w) => app
            .set_priority_weights(&v.actor, f.get("tree"), w)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => redirect_with_flash("/workplaces/priority", "flash-weights-saved"),
        Err(AppError::Invalid(errors)) => {
            let mut r = v.page(
                &v.t("priority-title"),
                "nav-workplaces",
                html! { p.error role="alert" { @for c in errors.values() { (v.t(&format!("field-{c}"))) " " } } p { a href="/workplaces/priority" { (v.t("priority-title")) } } },
            );
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            r
        }
        Err(e) => error_page(&v, e),
    }
}
