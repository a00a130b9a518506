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

// --- One workplace ---------------------------------------------------------------------

fn level_class(level: Option<i64>) -> String {
    match level {
        Some(l @ 1..=5) => format!("level level-{l}"),
        _ => "level level-none".into(),
    }
}

fn level_counts(v: &Viewer, o: &Organizing) -> Markup {
    let l = &v.lang;
    html! {
        div.levels {
            @for (i, n) in o.levels.iter().enumerate() {
                span class=(level_class(Some(i as i64 + 1))) { (v.t(&format!("support-{}", i + 1))) ": " strong { (l.number(*n)) } }
            }
            span class=(level_class(None)) { (v.t("support-none")) ": " strong { (l.number(o.not_assessed)) } }
        }
        p.majority.yes[o.majority] {
            (v.lang.t_args("wall-supporters", &[
                ("share", l.percent(o.supporters_share)),
                ("of_headcount", l.percent(o.supporters_of_headcount)),
            ]))
            " "
            strong { (if o.majority { v.t("wall-majority") } else { v.t("wall-no-majority") }) }
        }
    }
}

async fn organizing(State(app): State<App>, v: Viewer, Path(code): Path<String>) -> Response {
    organizing_page(&app, &v, &code, &Fields::new()).await
}

async fn organizing_page(app: &App, v: &Viewer, code: &str, errors: &Fields) -> Response {
    let o = match app.organizing(&v.actor, code).await {
        Ok(o) => o,
        Err(e) => return error_page(v, e),
    };
    let l = &v.lang;
    let w = &o.workplace;
    let can = v.actor.role().edits_registry();
    let action = format!("/workplaces/{code}/organizing");
    let rate = w
        .headcount
        .filter(|h| *h > 0)
        .map(|h| (o.members as f64 * 1000.0 / h as f64).round() / 10.0);
    let options: Vec<(String, String)> = o
        .workers
        .iter()
        .map(|wk| (wk.id.to_string(), wk.full_name.clone()))
        .collect();
    let worker_select = |name: &str| {
        html! {
            div.field {
                label for=(format!("f-{name}")) { (v.t("wall-worker")) }
                select id=(format!("f-{name}")) name=(name) {
                    @for (id, n) in &options { option value=(id) { (n) } }
                }
            }
        }
    };
    let body = html! {
        p.actions {
            a href=(format!("/workplaces/{code}")) { (v.t("workplace-details")) }
            a href=(format!("/workplaces/{code}/wall")) { (v.t("wall-title")) }
            @if w.covering_unit_code.is_none() && v.actor.role().manages_units() {
                a href=(format!("/workplaces/{code}/found")) { (v.t("found-title")) }
            }
        }
        @if !errors.is_empty() { p.error role="alert" { @for (k, c) in errors { (v.t(&format!("field-{c}"))) " (" (k) ") " } } }
        section.figures {
            div.figure { span.value { (w.headcount.map(|h| l.number(h)).unwrap_or_else(|| "—".into())) } span.label { (v.t("workplace-headcount")) } }
            div.figure { span.value { (l.number(o.members)) } span.label { (v.t("coverage-members")) } }
            div.figure { span.value { (l.percent(rate)) } span.label { (v.t("coverage-rate")) } }
            div.figure { span.value { (l.number(o.workers.len() as i64)) } span.label { (v.t("wall-known")) } }
        }
        (level_counts(v, &o))
        h2 { (v.t("wall-workers")) }
        @if o.workers.is_empty() { p.empty { (v.t("wall-no-workers")) } } @else {
            div.scroll { table {
                thead { tr {
                    th scope="col" { (v.t("wall-worker")) } th scope="col" { (v.t("wall-department")) }
                    th scope="col" { (v.t("member-status")) } th scope="col" { (v.t("wall-support")) }
                    th scope="col" { (v.t("wall-committee")) }
                } }
                tbody { @for wk in &o.workers {
                    tr {
                        td { @if wk.status.is_some() { a href=(format!("/members/{}", wk.id)) { bdi { (wk.full_name) } } } @else { bdi { (wk.full_name) } } }
                        td { (wk.department.as_deref().unwrap_or("")) }
                        td { (wk.status.as_deref().map(|s| v.t(&format!("status-{s}"))).unwrap_or_else(|| v.t("wall-not-member"))) }
                        td { span class=(level_class(wk.level)) { (wk.level.map(|n| v.t(&format!("support-{n}"))).unwrap_or_else(|| v.t("support-none"))) }
                            @if let Some(d) = &wk.assessed_on { " " small { (l.date(d)) } } }
                        td { (wk.committee_role.as_deref().unwrap_or("")) }
                    }
                } }
            } }
        }
        @if can {
            div.columns {
                form.card method="post" action=(action) {
                    (v.csrf_field())
                    input type="hidden" name="action" value="assess";
                    h3 { (v.t("wall-assess")) }
                    (worker_select("person_id"))
                    div.field {
                        label for="input-level" { (v.t("wall-support")) }
                        select id="input-level" name="level" {
                            @for n in 1..=5 { option value=(n) { (v.t(&format!("support-{n}"))) } }
                        }
                    }
                    (field(l, "note", "wall-note", "", errors.get("note"), "text", None))
                    div.actions { button type="submit" { (v.t("save")) } }
                }
                form.card method="post" action=(action) {
                    (v.csrf_field())
                    input type="hidden" name="action" value="worker";
                    h3 { (v.t("wall-add-worker")) }
                    (field(l, "full_name", "member-name", "", errors.get("full_name"), "text", None))
                    (field(l, "department", "wall-department", "", errors.get("department"), "text", None))
                    div.actions { button type="submit" { (v.t("save")) } }
                }
                form.card method="post" action=(action) {
                    (v.csrf_field())
                    input type="hidden" name="action" value="committee";
                    h3 { (v.t("wall-committee")) }
                    (worker_select("committee_person_id"))
                    (field(l, "role", "wall-role", "", errors.get("role"), "text", None))
                    div.actions { button type="submit" { (v.t("save")) } }
                }
                form.card method="post" action=(action) {
                    (v.csrf_field())
                    input type="hidden" name="action" value="assign";
                    h3 { (v.t("priority-organizer")) }
                    (field(l, "organizer", "priority-organizer", "", errors.get("organizer"), "text", Some(v.actor.username())))
                    (field(l, "follow_up_on", "priority-follow-up", "", errors.get("follow_up_on"), "text", Some(&l.date_hint())))
                    div.actions { button type="submit" { (v.t("save")) } }
                }
                form.card method="post" action=(action) {
                    (v.csrf_field())
                    input type="hidden" name="action" value="headcount";
                    h3 { (v.t("workplace-headcount")) }
                    (field(l, "as_of", "wall-as-of", "", errors.get("as_of"), "text", Some(&l.date_hint())))
                    (field(l, "headcount", "workplace-headcount", "", errors.get("headcount"), "text", None))
                    div.actions { button type="submit" { (v.t("save")) } }
                }
            }
        }
        @if !o.headcounts.is_empty() {
            h2 { (v.t("wall-headcounts")) }
            ul { @for h in &o.headcounts { li { (l.date(&h.as_of)) ": " (l.number(h.headcount)) } } }
        }
    };
    let mut r = v.page(
        &format!("{} · {}", v.t("wall-organizing"), w.name),
        "nav-workplaces",
        body,
    );
    if !errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

async fn organizing_action(
    State(app): State<App>,
    v: Viewer,
    Path(code): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let id = |k: &str| f.get(k).parse::<i64>().unwrap_or(0);
    let result = match f.get("action") {
        "assess" => {
            let input = NewAssessment {
                person_id: id("person_id"),
                level: f.get("level").into(),
                note: f.opt("note"),
                assessed_on: None,
            };
            app.assess(&v.actor, &code, input).await
        }
        "worker" => {
            let input = NewWorker {
                person_id: None,
                full_name: f.opt("full_name"),
                department: f.opt("department"),
            };
            app.add_worker(&v.actor, &code, input).await.map(|_| ())
        }
        "committee" => {
            let seat = CommitteeSeat {
                person_id: id("committee_person_id"),
                role: f.opt("role"),
                since: None,
            };
            app.set_committee_seat(&v.actor, &code, seat).await
        }
        "assign" => {
            let a = Assignment {
                organizer: f.opt("organizer"),
                follow_up_on: f.opt("follow_up_on").map(|d| v.lang.iso_date(&d)),
            };
            app.assign_workplace(&v.actor, &code, a).await
        }
        "headcount" => match f.int("headcount") {
            Ok(headcount) => {
                let h = NewHeadcount {
                    as_of: v.lang.iso_date(f.get("as_of")),
                    headcount,
                };
                app.add_headcount(&v.actor, &code, h).await
            }
            Err(e) => Err(e),
        },
        _ => Err(AppError::field("action", "invalid")),
    };
    match result {
        Ok(()) => redirect_with_flash(
            &format!("/workplaces/{code}/organizing"),
            "flash-workplace-saved",
        ),
        Err(AppError::Invalid(errors)) => organizing_page(&app, &v, &code, &errors).await,
        Err(e) => error_page(&v, e),
    }
}

async fn wall(State(app): State<App>, v: Viewer, Path(code): Path<String>) -> Response {
    let o = match app.organizing(&v.actor, &code).await {
        Ok(o) => o,
        Err(e) => return error_page(&v, e),
    };
    let no_department = v.t("wall-no-department");
    let mut columns: Vec<(String, Vec<&muster_app::mapping::Worker>)> = o
        .departments
        .iter()
        .map(|d| (d.clone(), Vec::new()))
        .collect();
    for wk in &o.workers {
        let name = wk
            .department
            .clone()
            .unwrap_or_else(|| no_department.clone());
        match columns.iter_mut().find(|(d, _)| *d == name) {
            Some((_, list)) => list.push(wk),
            None => columns.push((name, vec![wk])),
        }
    }
    let l = &v.lang;
    let body = html! {
        p.actions {
            a href=(format!("/workplaces/{code}/organizing")) { (v.t("wall-organizing")) }
        }
        (level_counts(&v, &o))
        div.wall {
            @for (department, workers) in &columns {
                @let supporters = workers.iter().filter(|w| w.level.is_some_and(|n| n <= 2)).count() as i64;
                section.column {
                    h2 { (department) " " small { (l.number(supporters)) "/" (l.number(workers.len() as i64)) } }
                    ul {
                        @for wk in workers {
                            li class=(level_class(wk.level)) title=(wk.level.map(|n| v.t(&format!("support-{n}"))).unwrap_or_else(|| v.t("support-none"))) {
                                span.badge { (wk.level.map(|n| l.number(n)).unwrap_or_else(|| "?".into())) }
                                " " bdi { (wk.full_name) }
                                @if wk.status.is_some() { " " span.member-mark title=(v.t("coverage-members")) { "●" } }
                                @if let Some(r) = &wk.committee_role { br; small { (r) } }
                            }
                        }
                    }
                }
            }
        }
    };
    v.page(
        &format!("{} · {}", v.t("wall-title"), o.workplace.name),
        "nav-workplaces",
        body,
    )
}

async fn found_form(State(app): State<App>, v: Viewer, Path(code): Path<String>) -> Response {
    found_page(&app, &v, &code, &PlainForm::default(), &Fields::new()).await
}

async fn found_page(app: &App, v: &Viewer, code: &str, f: &PlainForm, errors: &Fields) -> Response {
    if !v.actor.role().manages_units() {
        return error_page(v, AppError::Forbidden);
    }
    let o = match app.organizing(&v.actor, code).await {
        Ok(o) => o,
        Err(e) => return error_page(v, e),
    };
    let l = &v.lang;
    let body = html! {
        @if !errors.is_empty() { p.error role="alert" { (v.t("form-has-errors")) } }
        p { (v.t("found-explain")) }
        form.card method="post" action=(format!("/workplaces/{code}/found")) novalidate {
            (v.csrf_field())
            (field(l, "code", "unit-code", f.get("code"), errors.get("code"), "text", Some(&format!("{code}-U"))))
            (field(l, "name", "unit-name", f.get("name"), errors.get("name"), "text", None))
            (field(l, "founded_on", "unit-founded", f.get("founded_on"), errors.get("founded_on"), "text", Some(&l.date_hint())))
            fieldset {
                legend { (v.t("found-members")) }
                @if let Some(c) = errors.get("person_ids") { p.error { (v.t(&format!("field-{c}"))) } }
                @for wk in &o.workers {
                    label.check {
                        input type="checkbox" name=(format!("p_{}", wk.id)) value="on" checked[f.values.contains_key(&format!("p_{}", wk.id)) || wk.level.is_some_and(|n| n <= 2)];
                        " " bdi { (wk.full_name) } " "
                        span class=(level_class(wk.level)) { (wk.level.map(|n| v.t(&format!("support-{n}"))).unwrap_or_else(|| v.t("support-none"))) }
                        @if let Some(u) = &wk.unit_code { " · " bdi dir="ltr" { (u) } }
                    }
                }
            }
            div.actions { button type="submit" { (v.t("found-submit")) } a href=(format!("/workplaces/{code}/organizing")) { (v.t("cancel")) } }
        }
    };
    let mut r = v.page(
        &format!("{} · {}", v.t("found-title"), o.workplace.name),
        "nav-workplaces",
        body,
    );
    if !errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

async fn found(
    State(app): State<App>,
    v: Viewer,
    Path(code): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let input = FoundUnion {
        code: f.get("code").into(),
        name: f.get("name").into(),
        founded_on: f.opt("founded_on").map(|d| v.lang.iso_date(&d)),
        person_ids: f
            .values
            .keys()
            .filter_map(|k| k.strip_prefix("p_")?.parse().ok())
            .collect(),
    };
    match app.found_union(&v.actor, &code, input).await {
        Ok(unit) => redirect_with_flash(&format!("/units/{unit}"), "flash-union-founded"),
        Err(AppError::Invalid(errors)) => found_page(&app, &v, &code, &f, &errors).await,
        Err(AppError::Conflict { field, code: c }) => {
            found_page(&app, &v, &code, &f, &Fields::from([(field, c)])).await
        }
        Err(e) => error_page(&v, e),
    }
}
