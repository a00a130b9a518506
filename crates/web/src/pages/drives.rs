//! Organizing drives: the list, a new drive, the progress dashboard with its charts and
//! exports, targets and their split down the tree, and monthly reports.

use super::layout::{
    attachment, csv_response, error_page, field, redirect_with_flash, select, PlainForm, Viewer,
};
use crate::api::enc;
use crate::i18n::Lang;
use crate::xlsx::{self, Cell};
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use maud::{html, Markup, PreEscaped};
use muster_app::drives::{
    standing_rank, DrivePatch, FileReport, MetricProgress, MetricView, NewDrive, NewMetric,
    ProgressRow, ProgressView, ReportView, ReviewReport, SplitInput, TargetInput,
};
use muster_app::{App, AppError, Fields};
use muster_domain::calendar::Calendar;
use muster_domain::member::InformalCategory;
use muster_domain::Date;
use serde::Deserialize;
use std::collections::BTreeMap;

page_routes! {
    "/drives" => get(list),
    "/drives/new" => get(new_form).post(create),
    "/drives/{code}" => get(dashboard),
    "/drives/{code}/edit" => get(edit_form).post(edit),
    "/drives/{code}/export.csv" => get(export_csv),
    "/drives/{code}/export.xlsx" => get(export_xlsx),
    "/drives/{code}/targets" => get(targets).post(save_targets),
    "/drives/{code}/reports" => get(reports),
    "/drives/{code}/reports/{unit}/{month}" => get(report).post(file_report),
    "/drives/{code}/reports/{unit}/{month}/review" => post(review_report),
}

/// What a metric is called for this reader.
fn metric_label(v: &Viewer, m: &MetricView) -> String {
    match m.kind.as_str() {
        "custom" => m.name_in(v.lang.locale).unwrap_or("?").to_string(),
        "new_informal" => match &m.informal_category {
            Some(c) => v.lang.t_args(
                "metric-new_informal-of",
                &[("category", v.t(&format!("category-{c}")))],
            ),
            None => v.t("metric-new_informal"),
        },
        "new_units" => match m.min_workers {
            Some(n) => v
                .lang
                .t_args("metric-new_units-min", &[("workers", v.lang.number(n))]),
            None => v.t("metric-new_units"),
        },
        "net_change" => v.t("metric-net_change"),
        _ => v.t("metric-new_members"),
    }
}

/// A drive's month as this reader names it: in the drive's calendar when it is the
/// reader's too, otherwise by its first day in the reader's calendar.
fn month_label(l: &Lang, drive_calendar: &str, key: &str, start: &str) -> String {
    if drive_calendar == l.calendar.as_str() {
        let (y, m) = key.split_once('-').unwrap_or((key, ""));
        let text = if l.calendar == Calendar::Persian {
            format!("{y}/{m}")
        } else {
            format!("{m}/{y}")
        };
        l.digits.apply(&text)
    } else {
        l.date(start)
    }
}

fn opt_number(l: &Lang, n: Option<i64>) -> String {
    n.map(|n| l.number(n)).unwrap_or_else(|| "—".into())
}

fn standing(v: &Viewer, s: &str) -> Markup {
    html! { span class=(format!("standing {s}")) { (v.t(&format!("standing-{s}"))) } }
}

/// A bar as wide as the share of the target reached (full at 100%).
fn bar(row: &ProgressRow) -> Markup {
    let width = row.percent.unwrap_or(0.0).clamp(0.0, 100.0);
    html! {
        @if row.target.is_some() {
            span.bar { span class=(format!("fill {}", row.standing)) style=(format!("inline-size: {width:.1}%")) {} }
        }
    }
}

async fn list(State(app): State<App>, v: Viewer) -> Response {
    let drives = match app.list_drives(&v.actor).await {
        Ok(d) => d,
        Err(e) => return error_page(&v, e),
    };
    let l = &v.lang;
    let body = html! {
        @if v.actor.role().manages_units() {
            p { a.button href="/drives/new" { (v.t("drive-new")) } }
        }
        @if drives.is_empty() { p.empty { (v.t("drives-empty")) } } @else {
            div.scroll { table {
                thead { tr {
                    th scope="col" { (v.t("drive-name")) } th scope="col" { (v.t("drive-scope")) }
                    th scope="col" { (v.t("drive-period")) } th scope="col" { (v.t("drive-metrics")) }
                } }
                tbody { @for d in &drives {
                    @let p = d.period();
                    tr {
                        td { a href=(format!("/drives/{}", d.code)) { bdi { (d.name_in(l.locale)) } } br; small { bdi dir="ltr" { (d.code) } } }
                        td { bdi dir="ltr" { (d.scope_unit_code) } }
                        td.date {
                            (month_label(l, &d.calendar, &d.start_month, &d.starts_on)) " – "
                            (month_label(l, &d.calendar, &d.end_month, &p.month_start(p.months - 1).map(|x| x.to_string()).unwrap_or_default()))
                        }
                        td { (d.metrics.iter().map(|m| metric_label(&v, m)).collect::<Vec<_>>().join(" · ")) }
                    }
                } }
            } }
        }
    };
    v.page(&v.t("nav-drives"), "nav-drives", body)
}

#[derive(Deserialize, Default)]
struct DashboardQuery {
    unit: Option<String>,
    metric: Option<i64>,
    /// `standing`: units most in trouble first.
    sort: Option<String>,
}

async fn load(
    app: &App,
    v: &Viewer,
    code: &str,
    unit: Option<&str>,
) -> Result<ProgressView, AppError> {
    app.drive_progress(&v.actor, code, unit, Date::today())
        .await
}

fn breadcrumb(v: &Viewer, code: &str, p: &ProgressView, metric: Option<i64>) -> Markup {
    let m = metric.map(|m| format!("&metric={m}")).unwrap_or_default();
    html! {
        nav.crumbs aria-label=(v.t("drive-path")) {
            @for (i, u) in p.path.iter().enumerate() {
                @if i + 1 == p.path.len() {
                    span aria-current="page" { bdi { (u.name) } }
                } @else {
                    a href=(format!("/drives/{code}?unit={}{m}", enc(&u.code))) { bdi { (u.name) } }
                    " › "
                }
            }
        }
    }
}

async fn dashboard(
    State(app): State<App>,
    v: Viewer,
    Path(code): Path<String>,
    Query(q): Query<DashboardQuery>,
) -> Response {
    let p = match load(&app, &v, &code, q.unit.as_deref()).await {
        Ok(p) => p,
        Err(e) => return error_page(&v, e),
    };
    let l = &v.lang;
    let d = &p.drive;
    let Some(selected) = q
        .metric
        .and_then(|id| p.metrics.iter().find(|m| m.metric.id == id))
        .or(p.metrics.first())
    else {
        return error_page(&v, AppError::NotFound("metric"));
    };
    let here = p.path.last().map(|u| u.code.clone()).unwrap_or_default();
    let unit_q = format!("unit={}", enc(&here));
    let last_start = p.month_starts.last().cloned().unwrap_or_default();
    let label = |i: usize| month_label(l, &d.calendar, &p.months[i], &p.month_starts[i]);
    let body = html! {
        (breadcrumb(&v, &code, &p, Some(selected.metric.id)))
        p.period {
            (v.t("drive-period")) ": " (month_label(l, &d.calendar, &d.start_month, &d.starts_on)) " – "
            (month_label(l, &d.calendar, &d.end_month, &last_start)) " · "
            (v.lang.t_args("drive-as-of", &[("date", l.date(&p.as_of)), ("begun", l.number(p.months_begun)), ("months", l.number(d.months))]))
        }
        p.actions {
            a href=(format!("/drives/{code}/targets?{unit_q}")) { (v.t("drive-targets")) }
            @if v.actor.role().manages_units() { a href=(format!("/drives/{code}/edit")) { (v.t("drive-edit")) } }
            a href=(format!("/drives/{code}/reports?{unit_q}")) { (v.t("drive-reports")) }
            a href=(format!("/drives/{code}/export.csv?{unit_q}")) download { (v.t("drive-export-csv")) }
            a href=(format!("/drives/{code}/export.xlsx?{unit_q}")) download { (v.t("drive-export-xlsx")) }
        }
        section {
            h2 { (v.t("drive-summary")) }
            div.scroll { table.progress {
                thead { tr {
                    th scope="col" { (v.t("drive-metric")) } th.num scope="col" { (v.t("drive-actual")) }
                    th.num scope="col" { (v.t("drive-target")) } th scope="col" { (v.t("drive-percent")) }
                    th.num scope="col" { (v.t("drive-projection")) } th.num scope="col" { (v.t("drive-pace")) }
                    th scope="col" { (v.t("drive-standing")) }
                } }
                tbody { @for m in &p.metrics {
                    tr aria-current=[(m.metric.id == selected.metric.id).then_some("true")] {
                        td { a href=(format!("/drives/{code}?{unit_q}&metric={}", m.metric.id)) { (metric_label(&v, &m.metric)) } }
                        (figures(&v, &m.total, true))
                    }
                } }
            } }
        }
        section {
            h2 id="chart-metric" { (metric_label(&v, &selected.metric)) }
            @if selected.targets_mismatch {
                p.warning role="status" {
                    (v.lang.t_args("drive-targets-mismatch", &[
                        ("sum", opt_number(l, selected.children_target_sum)),
                        ("target", opt_number(l, selected.total.target)),
                    ]))
                }
            }
            (cumulative_chart(&v, &selected.total, p.months_begun, &label))
            @if !selected.children.is_empty() {
                (standing_counts(&v, selected, &code, &unit_q, q.sort.as_deref() == Some("standing")))
            }
            (children_table(&v, &code, selected, &p, q.sort.as_deref() == Some("standing")))
            @if !selected.children.is_empty() {
                h3 id="bars-title" { (v.t("drive-by-unit")) }
                (unit_bars(&v, selected))
            }
        }
    };
    v.page(d.name_in(l.locale), "nav-drives", body)
}

/// How many units below stand where, with the choice of order.
fn standing_counts(
    v: &Viewer,
    m: &MetricProgress,
    code: &str,
    unit_q: &str,
    by_standing: bool,
) -> Markup {
    let l = &v.lang;
    let count = |s: &str| m.children.iter().filter(|c| c.standing == s).count() as i64;
    let base = format!("/drives/{code}?{unit_q}&metric={}", m.metric.id);
    html! {
        p.standings {
            @for s in ["at_risk", "behind", "on_track", "achieved"] {
                @let n = count(s);
                @if n > 0 { (standing(v, s)) " " (l.number(n)) "  " }
            }
            " · "
            @if by_standing {
                a href=(base) { (v.t("drive-sort-unit")) }
            } @else {
                a href=(format!("{base}&sort=standing")) { (v.t("drive-sort-standing")) }
            }
        }
    }
}

/// The cells of one progress row after its name. Each carries its column's name, which
/// a phone shows above the figure when the table is laid out as stacked cards.
fn figures(v: &Viewer, r: &ProgressRow, with_standing: bool) -> Markup {
    let l = &v.lang;
    html! {
        td.num data-label=(v.t("drive-actual")) { (l.number(r.actual)) }
        td.num data-label=(v.t("drive-target")) { (opt_number(l, r.target)) }
        td.pct data-label=(v.t("drive-percent")) { (bar(r)) " " (l.percent(r.percent)) }
        td.num data-label=(v.t("drive-projection")) { (l.number(r.projection)) }
        td.num data-label=(v.t("drive-pace")) { (opt_number(l, r.pace_needed)) }
        td data-label=(v.t("drive-standing")) { @if with_standing { (standing(v, &r.standing)) } }
    }
}

fn children_table(
    v: &Viewer,
    code: &str,
    m: &MetricProgress,
    p: &ProgressView,
    by_standing: bool,
) -> Markup {
    let mut children: Vec<&ProgressRow> = m.children.iter().collect();
    if by_standing {
        children.sort_by(|a, b| {
            standing_rank(&a.standing)
                .cmp(&standing_rank(&b.standing))
                .then(
                    a.percent
                        .unwrap_or(f64::MAX)
                        .total_cmp(&b.percent.unwrap_or(f64::MAX)),
                )
        });
    }
    let row = |r: &ProgressRow, link: bool| figures(v, r, link || r.target.is_some());
    html! {
        div.scroll { table.progress {
            thead { tr {
                th scope="col" { (v.t("member-unit")) } th.num scope="col" { (v.t("drive-actual")) }
                th.num scope="col" { (v.t("drive-target")) } th scope="col" { (v.t("drive-percent")) }
                th.num scope="col" { (v.t("drive-projection")) } th.num scope="col" { (v.t("drive-pace")) }
                th scope="col" { (v.t("drive-standing")) }
            } }
            tbody {
                @for c in &children {
                    tr {
                        td { a href=(format!("/drives/{code}?unit={}&metric={}", enc(&c.unit_code), m.metric.id)) { bdi { (c.unit_name) } } }
                        (row(c, true))
                    }
                }
                @if m.own.actual != 0 || m.children.is_empty() {
                    tr.own {
                        td { (v.lang.t_args("drive-own", &[("unit", m.own.unit_name.clone())])) }
                        (row(&m.own, false))
                    }
                }
            }
            tfoot { tr {
                th scope="row" { bdi { (p.path.last().map(|u| u.name.as_str()).unwrap_or("")) } }
                (row(&m.total, true))
            } }
        } }
    }
}

/// Cumulative actual against the target's even pace, month by month; mirrored for
/// right-to-left readers.
fn cumulative_chart(
    v: &Viewer,
    r: &ProgressRow,
    begun: i64,
    label: &dyn Fn(usize) -> String,
) -> Markup {
    let l = &v.lang;
    let n = r.cumulative.len().max(1);
    let (w, h, left, bottom, top) = (720.0, 260.0, 56.0, 40.0, 16.0);
    let max = r
        .cumulative
        .iter()
        .chain(r.target_by_month.iter())
        .copied()
        .chain([r.projection.min(r.target.unwrap_or(0) * 2), 1])
        .max()
        .unwrap_or(1) as f64;
    let min = r.cumulative.iter().copied().min().unwrap_or(0).min(0) as f64;
    let slot = (w - left - 8.0) / n as f64;
    let rtl = l.dir() == "rtl";
    let x = |i: usize| {
        let i = if rtl { n - 1 - i } else { i };
        left + slot * i as f64 + slot / 2.0
    };
    let y = |v: f64| top + (h - top - bottom) * (1.0 - (v - min) / (max - min).max(1.0));
    let months_done = (begun.max(0) as usize).min(n);
    let actual: Vec<String> = r
        .cumulative
        .iter()
        .enumerate()
        .take(months_done)
        .map(|(i, c)| format!("{:.1},{:.1}", x(i), y(*c as f64)))
        .collect();
    let target: Vec<String> = r
        .target_by_month
        .iter()
        .enumerate()
        .map(|(i, t)| format!("{:.1},{:.1}", x(i), y(*t as f64)))
        .collect();
    let ticks = [min, (min + max) / 2.0, max].map(|f| f.round() as i64);
    let every = n.div_ceil(12);
    html! {
        figure.chart {
            svg viewBox=(format!("0 0 {w} {h}")) direction="ltr" role="img" aria-labelledby="chart-metric" preserveAspectRatio="xMidYMid meet" {
                @for t in ticks {
                    line x1=(left) x2=(w - 4.0) y1=(y(t as f64)) y2=(y(t as f64)) class="grid" {}
                    text x=(left - 6.0) y=(y(t as f64) + 4.0) text-anchor="end" class="tick" { (l.number(t)) }
                }
                @if !target.is_empty() {
                    polyline class="target-line" points=(target.join(" ")) {}
                }
                polyline class="actual-line" points=(actual.join(" ")) {}
                @for (i, c) in r.cumulative.iter().enumerate().take(months_done) {
                    circle class="actual-dot" cx=(x(i)) cy=(y(*c as f64)) r="3" {
                        title { (label(i)) ": " (l.number(*c)) }
                    }
                }
                @for i in (0..n).step_by(every) {
                    text x=(x(i)) y=(h - bottom + 16.0) text-anchor="middle" class="tick" { (label(i)) }
                }
            }
            figcaption {
                span.key.actual { (v.t("drive-cumulative")) }
                @if r.target.is_some() { span.key.target { (v.t("drive-target-pace")) } }
            }
        }
    }
}

/// Each child's actual as a bar, its target as a tick, coloured by standing.
fn unit_bars(v: &Viewer, m: &MetricProgress) -> Markup {
    let l = &v.lang;
    let rows = &m.children;
    let (w, row_h, label_w) = (720.0, 26.0, 220.0);
    let h = row_h * rows.len() as f64 + 8.0;
    let max = rows
        .iter()
        .flat_map(|r| [r.actual, r.target.unwrap_or(0)])
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let rtl = l.dir() == "rtl";
    let span = w - label_w - 60.0;
    // Bars grow from the label side: from the left, or from the right when mirrored.
    let bx = |from: f64, len: f64| {
        if rtl {
            w - label_w - from - len
        } else {
            label_w + from
        }
    };
    html! {
        figure.chart {
            svg viewBox=(format!("0 0 {w} {h}")) direction="ltr" role="img" aria-labelledby="bars-title" preserveAspectRatio="xMidYMid meet" {
                @for (i, r) in rows.iter().enumerate() {
                    @let y = 4.0 + row_h * i as f64;
                    @let len = span * r.actual.max(0) as f64 / max;
                    text x=(if rtl { w - 8.0 } else { label_w - 8.0 }) y=(y + 16.0)
                        text-anchor="end" class="tick" { (r.unit_name) }
                    rect class=(format!("fill {}", r.standing)) x=(bx(0.0, len)) y=(y + 4.0) width=(len) height=(row_h - 10.0) {
                        title { (r.unit_name) ": " (l.number(r.actual)) " / " (opt_number(l, r.target)) }
                    }
                    @if let Some(t) = r.target {
                        @let tx = bx(span * t.max(0) as f64 / max, 0.0);
                        line class="target-tick" x1=(tx) x2=(tx) y1=(y + 1.0) y2=(y + row_h - 3.0) {}
                    }
                    text x=(if rtl { bx(len, 0.0) - 6.0 } else { bx(len, 0.0) + 6.0 }) y=(y + 16.0)
                        text-anchor=(if rtl { "end" } else { "start" }) class="tick" { (l.percent(r.percent)) }
                }
            }
        }
    }
}

// --- Exports --------------------------------------------------------------------------

/// The dashboard's tables as rows: a header, then for each metric the unit, its
/// children and its own figures, with the running total of every month.
fn export_rows(v: &Viewer, p: &ProgressView) -> Vec<Vec<Cell>> {
    let l = &v.lang;
    let d = &p.drive;
    let mut header: Vec<Cell> = [
        "drive-metric",
        "unit-code",
        "member-unit",
        "drive-row",
        "drive-actual",
        "drive-target",
        "drive-percent",
        "drive-projection",
        "drive-pace",
        "drive-standing",
    ]
    .iter()
    .map(|k| Cell::Text(v.t(k)))
    .collect();
    for (i, key) in p.months.iter().enumerate() {
        header.push(Cell::Text(month_label(
            l,
            &d.calendar,
            key,
            &p.month_starts[i],
        )));
    }
    let mut rows = vec![header];
    let num = |n: i64| Cell::Number(n as f64);
    for m in &p.metrics {
        let name = metric_label(v, &m.metric);
        let mut lines: Vec<&ProgressRow> = vec![&m.total];
        lines.extend(m.children.iter());
        lines.push(&m.own);
        for r in lines {
            let mut row = vec![
                Cell::Text(name.clone()),
                Cell::Text(r.unit_code.clone()),
                Cell::Text(if r.row == "own" {
                    v.lang.t_args("drive-own", &[("unit", r.unit_name.clone())])
                } else {
                    r.unit_name.clone()
                }),
                Cell::Text(v.t(&format!("drive-row-{}", r.row))),
                num(r.actual),
                r.target.map_or(Cell::Empty, num),
                r.percent.map_or(Cell::Empty, Cell::Number),
                num(r.projection),
                r.pace_needed.map_or(Cell::Empty, num),
                Cell::Text(if r.row == "own" {
                    String::new()
                } else {
                    v.t(&format!("standing-{}", r.standing))
                }),
            ];
            for (i, c) in r.cumulative.iter().enumerate() {
                row.push(if (i as i64) < p.months_begun {
                    num(*c)
                } else {
                    Cell::Empty
                });
            }
            rows.push(row);
        }
    }
    rows
}

async fn export_csv(
    State(app): State<App>,
    v: Viewer,
    Path(code): Path<String>,
    Query(q): Query<DashboardQuery>,
) -> Response {
    let p = match load(&app, &v, &code, q.unit.as_deref()).await {
        Ok(p) => p,
        Err(e) => return error_page(&v, e),
    };
    let rows = export_rows(&v, &p)
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|c| match c {
                    Cell::Text(t) => t,
                    Cell::Number(n) => n.to_string(),
                    Cell::Empty => String::new(),
                })
                .collect()
        })
        .collect();
    let unit = p.path.last().map(|u| u.code.as_str()).unwrap_or("");
    csv_response(&format!("{code}-{unit}"), rows, true)
}

async fn export_xlsx(
    State(app): State<App>,
    v: Viewer,
    Path(code): Path<String>,
    Query(q): Query<DashboardQuery>,
) -> Response {
    let p = match load(&app, &v, &code, q.unit.as_deref()).await {
        Ok(p) => p,
        Err(e) => return error_page(&v, e),
    };
    let unit = p.path.last().map(|u| u.code.clone()).unwrap_or_default();
    let bytes = xlsx::workbook(&unit, &export_rows(&v, &p), v.lang.dir() == "rtl");
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                attachment(&format!("{code}-{unit}"), "xlsx"),
            ),
        ],
        bytes,
    )
        .into_response()
}

// --- A new drive -----------------------------------------------------------------------

/// The number of custom metrics the form offers.
const CUSTOM_ROWS: usize = 3;

fn drive_input(f: &PlainForm) -> Result<NewDrive, Fields> {
    let mut metrics = Vec::new();
    let mut errors = Fields::new();
    let builtin = |kind: &str| NewMetric {
        kind: kind.into(),
        ..NewMetric::default()
    };
    if f.on("m_new_members") {
        metrics.push(builtin("new_members"));
    }
    if f.on("m_new_informal") {
        metrics.push(NewMetric {
            informal_category: f.opt("informal_category"),
            ..builtin("new_informal")
        });
    }
    if f.on("m_net_change") {
        metrics.push(builtin("net_change"));
    }
    if f.on("m_new_units") {
        metrics.push(builtin("new_units"));
    }
    if f.on("m_new_units_min") {
        let min = f
            .opt("min_workers")
            .map(|s| muster_domain::names::digits_to_ascii(&s).parse::<i64>());
        match min {
            Some(Ok(n)) => metrics.push(NewMetric {
                min_workers: Some(n),
                ..builtin("new_units")
            }),
            _ => {
                errors.insert("min_workers".into(), "out_of_range".into());
            }
        }
    }
    for i in 0..CUSTOM_ROWS {
        if let Some(name) = f.opt(&format!("custom_{i}_name")) {
            metrics.push(NewMetric {
                kind: "custom".into(),
                name: Some(name),
                unit_of_measure: f.opt(&format!("custom_{i}_unit")),
                ..NewMetric::default()
            });
        }
    }
    let due = match f.opt("report_due_days") {
        None => None,
        Some(s) => match muster_domain::names::digits_to_ascii(&s).parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.insert("report_due_days".into(), "out_of_range".into());
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let names: BTreeMap<String, String> = crate::i18n::LOCALES
        .iter()
        .filter_map(|l| f.opt(&format!("name_{l}")).map(|n| (l.to_string(), n)))
        .collect();
    Ok(NewDrive {
        code: f.get("code").into(),
        name: f
            .opt("name")
            .or_else(|| names.values().next().cloned())
            .unwrap_or_default(),
        names,
        scope_unit_code: f.get("scope_unit_code").into(),
        calendar: f.opt("calendar"),
        start_month: f.get("start_month").into(),
        end_month: f.get("end_month").into(),
        report_due_days: due,
        metrics,
    })
}

fn drive_form(v: &Viewer, f: &PlainForm, errors: &Fields) -> Response {
    let l = &v.lang;
    let text = |name: &str, key: &str, hint: Option<&str>| {
        field(l, name, key, f.get(name), errors.get(name), "text", hint)
    };
    let calendars: Vec<(String, String)> = [Calendar::Gregorian, Calendar::Persian]
        .iter()
        .map(|c| {
            (
                c.as_str().to_string(),
                v.t(&format!("calendar-{}", c.as_str())),
            )
        })
        .collect();
    let mut categories = vec![(String::new(), v.t("drive-any-category"))];
    categories.extend(InformalCategory::ALL.iter().map(|c| {
        (
            c.as_str().to_string(),
            v.t(&format!("category-{}", c.as_str())),
        )
    }));
    let check = |name: &str, key: &str| {
        html! { label.check { input type="checkbox" name=(name) value="on" checked[f.on(name)]; " " (v.t(key)) } }
    };
    let metric_errors: Vec<(&String, &String)> = errors
        .iter()
        .filter(|(k, _)| k.starts_with("metrics"))
        .collect();
    let hint = if l.calendar == Calendar::Persian {
        "1405/01"
    } else {
        "2026-01"
    };
    let body = html! {
        @if !errors.is_empty() { p.error role="alert" { (v.t("form-has-errors")) } }
        form.card method="post" action="/drives/new" novalidate {
            (v.csrf_field())
            (text("code", "unit-code", Some("BT-2026")))
            (text("name", "drive-name", None))
            @for loc in crate::i18n::LOCALES {
                (field(l, &format!("name_{loc}"), &format!("drive-name-{loc}"), f.get(&format!("name_{loc}")), errors.get(&format!("names.{loc}")), "text", None))
            }
            (text("scope_unit_code", "drive-scope", None))
            (select(l, "calendar", "drive-calendar", &calendars, f.get("calendar"), errors.get("calendar")))
            (field(l, "start_month", "drive-start", f.get("start_month"), errors.get("start_month"), "text", Some(hint)))
            (field(l, "end_month", "drive-end", f.get("end_month"), errors.get("end_month"), "text", Some(hint)))
            (field(l, "report_due_days", "drive-due-days", f.get("report_due_days"), errors.get("report_due_days"), "text", Some("5")))
            fieldset {
                legend { (v.t("drive-metrics")) }
                @if let Some(code) = errors.get("metrics") { p.error { (v.t(&format!("field-{code}"))) } }
                @for (k, code) in &metric_errors { @if k.as_str() != "metrics" { p.error { (v.t(&format!("field-{code}"))) } } }
                (check("m_new_members", "metric-new_members"))
                (check("m_new_informal", "metric-new_informal"))
                (select(l, "informal_category", "member-informal-category", &categories, f.get("informal_category"), None))
                (check("m_net_change", "metric-net_change"))
                (check("m_new_units", "metric-new_units"))
                (check("m_new_units_min", "drive-units-min"))
                (field(l, "min_workers", "drive-min-workers", f.get("min_workers"), errors.get("min_workers"), "text", Some("25")))
                @for i in 0..CUSTOM_ROWS {
                    div.pair {
                        (field(l, &format!("custom_{i}_name"), "drive-custom-name", f.get(&format!("custom_{i}_name")), None, "text", None))
                        (field(l, &format!("custom_{i}_unit"), "drive-custom-unit", f.get(&format!("custom_{i}_unit")), None, "text", None))
                    }
                }
            }
            div.actions { button type="submit" { (v.t("save")) } a href="/drives" { (v.t("cancel")) } }
        }
    };
    let mut r = v.page(&v.t("drive-new"), "nav-drives", body);
    if !errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

async fn new_form(v: Viewer) -> Response {
    if !v.actor.role().manages_units() {
        return error_page(&v, AppError::Forbidden);
    }
    let mut f = PlainForm::default();
    f.values.insert("m_new_members".into(), "on".into());
    f.values.insert("report_due_days".into(), "5".into());
    drive_form(&v, &f, &Fields::new())
}

async fn create(State(app): State<App>, v: Viewer, Form(f): Form<PlainForm>) -> Response {
    let input = match drive_input(&f) {
        Ok(i) => i,
        Err(errors) => return drive_form(&v, &f, &errors),
    };
    match app.create_drive(&v.actor, input).await {
        Ok(d) => redirect_with_flash(&format!("/drives/{}", d.code), "flash-drive-saved"),
        Err(AppError::Invalid(errors)) => drive_form(&v, &f, &errors),
        Err(AppError::Conflict { field, code }) => {
            drive_form(&v, &f, &Fields::from([(field, code)]))
        }
        Err(e) => error_page(&v, e),
    }
}

// --- Targets ---------------------------------------------------------------------------

async fn targets(
    State(app): State<App>,
    v: Viewer,
    Path(code): Path<String>,
    Query(q): Query<DashboardQuery>,
) -> Response {
    match load(&app, &v, &code, q.unit.as_deref()).await {
        Ok(p) => targets_page(&v, &code, &p, q.metric, &Fields::new()),
        Err(e) => error_page(&v, e),
    }
}

fn targets_page(
    v: &Viewer,
    code: &str,
    p: &ProgressView,
    metric: Option<i64>,
    errors: &Fields,
) -> Response {
    let l = &v.lang;
    let here = p.path.last().map(|u| u.code.clone()).unwrap_or_default();
    let Some(selected) = metric
        .and_then(|id| p.metrics.iter().find(|m| m.metric.id == id))
        .or(p.metrics.first())
    else {
        return error_page(v, AppError::NotFound("metric"));
    };
    let can = v.actor.role().manages_units();
    let body = html! {
        (breadcrumb(v, &format!("{code}/targets"), p, Some(selected.metric.id)))
        p { a href=(format!("/drives/{code}?unit={}", enc(&here))) { (v.t("drive-back")) } }
        @if !errors.is_empty() {
            p.error role="alert" {
                @for c in errors.values() { (v.t(&format!("field-{c}"))) " " }
            }
        }
        nav.tabs {
            @for m in &p.metrics {
                a href=(format!("/drives/{code}/targets?unit={}&metric={}", enc(&here), m.metric.id))
                    aria-current=[(m.metric.id == selected.metric.id).then_some("page")] { (metric_label(v, &m.metric)) }
            }
        }
        @if can {
            form.inline method="post" action=(format!("/drives/{code}/targets")) {
                (v.csrf_field())
                input type="hidden" name="unit" value=(here);
                input type="hidden" name="metric" value=(selected.metric.id);
                input type="hidden" name="action" value="set";
                label for="input-target" { (v.lang.t_args("drive-target-of", &[("unit", p.path.last().map(|u| u.name.clone()).unwrap_or_default())])) }
                input id="input-target" name="target" type="text" inputmode="numeric" value=(selected.total.target.map(|t| t.to_string()).unwrap_or_default());
                button type="submit" { (v.t("save")) }
            }
        } @else {
            p { (v.t("drive-target")) ": " (opt_number(l, selected.total.target)) }
        }
        @if selected.targets_mismatch {
            p.warning role="status" {
                (v.lang.t_args("drive-targets-mismatch", &[
                    ("sum", opt_number(l, selected.children_target_sum)),
                    ("target", opt_number(l, selected.total.target)),
                ]))
            }
        }
        @if !selected.children.is_empty() {
            h2 { (v.t("drive-split")) }
            form method="post" action=(format!("/drives/{code}/targets")) {
                (v.csrf_field())
                input type="hidden" name="unit" value=(here);
                input type="hidden" name="metric" value=(selected.metric.id);
                div.scroll { table {
                    thead { tr { th scope="col" { (v.t("member-unit")) } th.num scope="col" { (v.t("drive-target")) } th.num scope="col" { (v.t("drive-actual")) } } }
                    tbody { @for c in &selected.children {
                        tr {
                            td { a href=(format!("/drives/{code}/targets?unit={}&metric={}", enc(&c.unit_code), selected.metric.id)) { bdi { (c.unit_name) } } }
                            td.num {
                                @if can {
                                    input name=(format!("t_{}", c.unit_code)) type="text" inputmode="numeric" size="8"
                                        aria-label=(c.unit_name) value=(c.target.map(|t| t.to_string()).unwrap_or_default());
                                } @else { (opt_number(l, c.target)) }
                            }
                            td.num { (l.number(c.actual)) }
                        }
                    } }
                    tfoot { tr { th scope="row" { (v.t("drive-children-sum")) } td.num { (opt_number(l, selected.children_target_sum)) } td {} } }
                } }
                @if can {
                    div.actions {
                        button type="submit" name="action" value="manual" { (v.t("drive-split-manual")) }
                        button type="submit" name="action" value="members" { (v.t("drive-split-members")) }
                        button type="submit" name="action" value="workforce" { (v.t("drive-split-workforce")) }
                    }
                }
            }
        }
    };
    let title = format!("{} · {}", v.t("drive-targets"), p.drive.name_in(l.locale));
    let mut r = v.page(&title, "nav-drives", body);
    if !errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

fn parse_target(s: &str) -> Result<Option<i64>, ()> {
    let s = muster_domain::names::digits_to_ascii(s.trim()).replace([',', '.', '٬', ' '], "");
    if s.is_empty() {
        return Ok(None);
    }
    s.parse().map(Some).map_err(|_| ())
}

async fn save_targets(
    State(app): State<App>,
    v: Viewer,
    Path(code): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let unit = f.get("unit").to_string();
    let metric: i64 = f.get("metric").parse().unwrap_or(0);
    let result = match f.get("action") {
        "set" => match parse_target(f.get("target")) {
            Ok(target) => {
                app.set_target(
                    &v.actor,
                    &code,
                    &unit,
                    TargetInput {
                        metric_id: metric,
                        target,
                    },
                )
                .await
            }
            Err(()) => Err(AppError::field("target", "invalid_number")),
        },
        method => {
            let mut targets = BTreeMap::new();
            let mut bad = None;
            if method == "manual" {
                for (k, val) in &f.values {
                    if let Some(child) = k.strip_prefix("t_") {
                        match parse_target(val) {
                            Ok(t) => {
                                targets.insert(child.to_string(), t);
                            }
                            Err(()) => bad = Some(format!("targets.{child}")),
                        }
                    }
                }
            }
            match bad {
                Some(field) => Err(AppError::field(&field, "invalid_number")),
                None => app
                    .split_target(
                        &v.actor,
                        &code,
                        &unit,
                        SplitInput {
                            metric_id: metric,
                            method: method.into(),
                            targets,
                        },
                    )
                    .await
                    .map(|_| ()),
            }
        }
    };
    match result {
        Ok(()) => redirect_with_flash(
            &format!("/drives/{code}/targets?unit={}&metric={metric}", enc(&unit)),
            "flash-targets-saved",
        ),
        Err(AppError::Invalid(errors)) => match load(&app, &v, &code, Some(&unit)).await {
            Ok(p) => targets_page(&v, &code, &p, Some(metric), &errors),
            Err(e) => error_page(&v, e),
        },
        Err(e) => error_page(&v, e),
    }
}

// --- Reports ---------------------------------------------------------------------------

/// Filed reports listed on the reports page, latest months first (all are in the API).
const FILED_SHOWN: usize = 300;

fn status_badge(v: &Viewer, s: &str) -> Markup {
    html! { span class=(format!("report {s}")) { (v.t(&format!("report-{s}"))) } }
}

async fn reports(
    State(app): State<App>,
    v: Viewer,
    Path(code): Path<String>,
    Query(q): Query<DashboardQuery>,
) -> Response {
    let today = Date::today();
    let (p, filed, overdue) = match tokio::try_join!(
        load(&app, &v, &code, q.unit.as_deref()),
        app.drive_reports(&v.actor, &code),
        app.overdue_reports(&v.actor, &code, today)
    ) {
        Ok(x) => x,
        Err(e) => return error_page(&v, e),
    };
    let l = &v.lang;
    let d = &p.drive;
    let label = |key: &str, i: i64| {
        month_label(
            l,
            &d.calendar,
            key,
            p.month_starts
                .get(i as usize)
                .map(String::as_str)
                .unwrap_or(""),
        )
    };
    let here = p.path.last().cloned();
    let begun = p.months_begun.max(0) as usize;
    // The caller files for their own unit, or for the unit they are looking at.
    let mine = here.as_ref().map(|u| u.code.clone()).unwrap_or_default();
    let body = html! {
        (breadcrumb(&v, &format!("{code}/reports"), &p, None))
        p { a href=(format!("/drives/{code}?unit={}", enc(&mine))) { (v.t("drive-back")) } }
        @if v.actor.role().edits_registry() && begun > 0 {
            h2 { (v.t("report-file")) }
            ul.months {
                @for i in (0..begun).rev().take(3) {
                    li { a href=(format!("/drives/{code}/reports/{}/{}", enc(&mine), p.months[i])) {
                        (v.lang.t_args("report-file-for", &[("unit", here.as_ref().map(|u| u.name.clone()).unwrap_or_default()), ("month", label(&p.months[i], i as i64))]))
                    } }
                }
            }
        }
        @let waiting: Vec<&ReportView> = filed
            .iter()
            .filter(|r| r.status == "submitted" && v.actor.role().manages_units() && Some(&r.unit_code) != p.path.first().map(|u| &u.code))
            .collect();
        @if !waiting.is_empty() {
            h2 { (v.lang.t_args("report-waiting", &[("count", l.number(waiting.len() as i64))])) }
            ul.months { @for r in &waiting {
                li { a href=(format!("/drives/{code}/reports/{}/{}", enc(&r.unit_code), r.month)) {
                    (v.lang.t_args("report-file-for", &[("unit", r.unit_name.clone()), ("month", label(&r.month, r.period))]))
                } }
            } }
        }
        h2 { (v.lang.t_args("report-overdue", &[("count", l.number(overdue.len() as i64))])) }
        @if overdue.is_empty() { p.empty { (v.t("report-none-overdue")) } } @else {
            div.scroll { table {
                thead { tr { th scope="col" { (v.t("member-unit")) } th scope="col" { (v.t("report-month")) } th scope="col" { (v.t("report-due")) } th scope="col" { (v.t("member-status")) } } }
                tbody { @for o in overdue.iter().take(500) {
                    tr {
                        td { bdi { (o.unit_name) } br; small { bdi dir="ltr" { (o.unit_code) } } }
                        td { a href=(format!("/drives/{code}/reports/{}/{}", enc(&o.unit_code), o.month)) { (label(&o.month, o.period)) } }
                        td.date { (l.date(&o.due_on)) }
                        td { (status_badge(&v, &o.state)) }
                    }
                } }
            } }
        }
        h2 { (v.t("report-filed")) }
        @if filed.len() > FILED_SHOWN {
            p.period { (v.lang.t_args("report-showing", &[("shown", l.number(FILED_SHOWN as i64)), ("count", l.number(filed.len() as i64))])) }
        }
        @if filed.is_empty() { p.empty { (v.t("report-none-filed")) } } @else {
            div.scroll { table {
                thead { tr {
                    th scope="col" { (v.t("member-unit")) } th scope="col" { (v.t("report-month")) }
                    th scope="col" { (v.t("member-status")) } th scope="col" { (v.t("report-filed-by")) }
                    @for m in d.metrics.iter().filter(|m| m.is_custom()) { th.num scope="col" { (metric_label(&v, m)) } }
                } }
                tbody { @for r in filed.iter().rev().take(FILED_SHOWN) {
                    tr {
                        td { bdi { (r.unit_name) } }
                        td { a href=(format!("/drives/{code}/reports/{}/{}", enc(&r.unit_code), r.month)) { (label(&r.month, r.period)) } }
                        td { (status_badge(&v, &r.status)) }
                        td { (r.filed_by.as_deref().unwrap_or("")) " · " (l.date(r.filed_at.get(..10).unwrap_or(""))) }
                        @for m in d.metrics.iter().filter(|m| m.is_custom()) {
                            td.num { (opt_number(l, r.figures.get(&m.id).copied())) }
                        }
                    }
                } }
            } }
        }
    };
    v.page(
        &format!("{} · {}", v.t("drive-reports"), d.name_in(l.locale)),
        "nav-drives",
        body,
    )
}

async fn report(
    State(app): State<App>,
    v: Viewer,
    Path((code, unit, month)): Path<(String, String, String)>,
) -> Response {
    report_page(
        &app,
        &v,
        &code,
        &unit,
        &month,
        &PlainForm::default(),
        &Fields::new(),
    )
    .await
}

async fn report_page(
    app: &App,
    v: &Viewer,
    code: &str,
    unit: &str,
    month: &str,
    f: &PlainForm,
    errors: &Fields,
) -> Response {
    let (p, existing) = match tokio::try_join!(
        load(app, v, code, Some(unit)),
        app.get_report(&v.actor, code, unit, month)
    ) {
        Ok(x) => x,
        Err(e) => return error_page(v, e),
    };
    let l = &v.lang;
    let d = &p.drive;
    let i = p.months.iter().position(|m| m == month).unwrap_or(0);
    let label = month_label(l, &d.calendar, month, &p.month_starts[i]);
    let unit_name = p.path.last().map(|u| u.name.clone()).unwrap_or_default();
    let accepted = existing.as_ref().is_some_and(|r| r.status == "accepted");
    let can_file = v.actor.role().edits_registry() && !accepted && (i as i64) < p.months_begun;
    let reviewable = existing.as_ref().is_some_and(|r| r.status == "submitted")
        && v.actor.role().manages_units()
        && p.path.len() > 1;
    let value = |k: &str, fallback: String| {
        if f.values.contains_key(k) {
            f.get(k).to_string()
        } else {
            fallback
        }
    };
    let body = html! {
        p { a href=(format!("/drives/{code}/reports?unit={}", enc(unit))) { (v.t("drive-reports")) } }
        @if let Some(r) = &existing { (report_details(v, d.metrics.as_slice(), r)) }
        @else { p.empty { (v.t("report-not-filed")) } }
        @if !errors.is_empty() { p.error role="alert" { (v.t("form-has-errors")) } }
        @if can_file {
            h2 { (if existing.is_some() { v.t("report-file-again") } else { v.t("report-file") }) }
            form.card method="post" action=(format!("/drives/{code}/reports/{}/{month}", enc(unit))) novalidate {
                (v.csrf_field())
                @for m in d.metrics.iter().filter(|m| m.is_custom()) {
                    @let key = format!("figure_{}", m.id);
                    @let current = existing.as_ref().and_then(|r| r.figures.get(&m.id)).map(|n| n.to_string()).unwrap_or_default();
                    div.field.invalid[errors.contains_key(&format!("figures.{}", m.id))] {
                        label for=(format!("f-{key}")) { (metric_label(v, m)) @if let Some(u) = &m.unit_of_measure { " (" (u) ")" } }
                        input id=(format!("f-{key}")) name=(key) type="text" inputmode="numeric" value=(value(&key, current));
                        @if let Some(c) = errors.get(&format!("figures.{}", m.id)) { p.error { (v.t(&format!("field-{c}"))) } }
                    }
                }
                div.field.invalid[errors.contains_key("narrative")] {
                    label for="input-narrative" { (v.t("report-narrative")) }
                    textarea id="input-narrative" name="narrative" rows="6" {
                        (value("narrative", existing.as_ref().map(|r| r.narrative.clone()).unwrap_or_default()))
                    }
                    @if let Some(c) = errors.get("narrative") { p.error { (v.t(&format!("field-{c}"))) } }
                }
                div.actions { button type="submit" { (v.t("report-submit")) } }
            }
        }
        @if reviewable {
            h2 { (v.t("report-review")) }
            form.card method="post" action=(format!("/drives/{code}/reports/{}/{month}/review", enc(unit))) {
                (v.csrf_field())
                div.field.invalid[errors.contains_key("comment")] {
                    label for="input-comment" { (v.t("report-comment")) }
                    textarea id="input-comment" name="comment" rows="3" { (f.get("comment")) }
                    @if let Some(c) = errors.get("comment") { p.error { (v.t(&format!("field-{c}"))) } }
                }
                div.actions {
                    button type="submit" name="status" value="accepted" { (v.t("report-accept")) }
                    button.secondary type="submit" name="status" value="returned" { (v.t("report-return")) }
                }
            }
        }
    };
    let title = v
        .lang
        .t_args("report-title", &[("unit", unit_name), ("month", label)]);
    let mut r = v.page(&title, "nav-drives", body);
    if !errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

fn report_details(v: &Viewer, metrics: &[MetricView], r: &ReportView) -> Markup {
    let l = &v.lang;
    html! {
        dl.details {
            div { dt { (v.t("member-status")) } dd { (status_badge(v, &r.status)) } }
            div { dt { (v.t("report-filed-by")) } dd { (r.filed_by.as_deref().unwrap_or("")) " · " (l.date(r.filed_at.get(..10).unwrap_or(""))) } }
            @for m in metrics.iter().filter(|m| m.is_custom()) {
                div { dt { (metric_label(v, m)) } dd { (opt_number(l, r.figures.get(&m.id).copied())) } }
            }
            @if let Some(by) = &r.reviewed_by {
                div { dt { (v.t("report-reviewed-by")) } dd { (by) " · " (l.date(r.reviewed_at.as_deref().and_then(|t| t.get(..10)).unwrap_or(""))) } }
            }
        }
        @if let Some(c) = &r.review_comment { blockquote.comment { strong { (v.t("report-comment")) ": " } (c) } }
        @if !r.narrative.is_empty() { h2 { (v.t("report-narrative")) } div.narrative { (PreEscaped(maud::html! { (r.narrative) }.into_string().replace('\n', "<br>"))) } }
    }
}

async fn file_report(
    State(app): State<App>,
    v: Viewer,
    Path((code, unit, month)): Path<(String, String, String)>,
    Form(f): Form<PlainForm>,
) -> Response {
    let figures = f
        .values
        .iter()
        .filter_map(|(k, val)| Some((k.strip_prefix("figure_")?.parse().ok()?, val.clone())))
        .collect();
    let input = FileReport {
        narrative: Some(f.get("narrative").to_string()),
        figures,
    };
    match app
        .file_report(&v.actor, &code, &unit, &month, input, Date::today())
        .await
    {
        Ok(_) => redirect_with_flash(
            &format!("/drives/{code}/reports/{}/{month}", enc(&unit)),
            "flash-report-filed",
        ),
        Err(AppError::Invalid(errors)) => {
            report_page(&app, &v, &code, &unit, &month, &f, &errors).await
        }
        Err(e) => error_page(&v, e),
    }
}

async fn review_report(
    State(app): State<App>,
    v: Viewer,
    Path((code, unit, month)): Path<(String, String, String)>,
    Form(f): Form<PlainForm>,
) -> Response {
    let input = ReviewReport {
        status: f.get("status").into(),
        comment: f.opt("comment"),
    };
    match app
        .review_report(&v.actor, &code, &unit, &month, input)
        .await
    {
        Ok(r) => redirect_with_flash(
            &format!("/drives/{code}/reports/{}/{month}", enc(&unit)),
            if r.status == "accepted" {
                "flash-report-accepted"
            } else {
                "flash-report-returned"
            },
        ),
        Err(AppError::Invalid(errors)) => {
            report_page(&app, &v, &code, &unit, &month, &f, &errors).await
        }
        Err(e) => error_page(&v, e),
    }
}

// --- Editing a drive ---------------------------------------------------------------------

fn edit_page(v: &Viewer, code: &str, f: &PlainForm, errors: &Fields) -> Response {
    let l = &v.lang;
    let body = html! {
        @if !errors.is_empty() { p.error role="alert" { (v.t("form-has-errors")) } }
        form.card method="post" action=(format!("/drives/{code}/edit")) novalidate {
            (v.csrf_field())
            (field(l, "name", "drive-name", f.get("name"), errors.get("name"), "text", None))
            @for loc in crate::i18n::LOCALES {
                (field(l, &format!("name_{loc}"), &format!("drive-name-{loc}"), f.get(&format!("name_{loc}")), errors.get(&format!("names.{loc}")), "text", None))
            }
            (field(l, "report_due_days", "drive-due-days", f.get("report_due_days"), errors.get("report_due_days"), "text", None))
            div.actions { button type="submit" { (v.t("save")) } a href=(format!("/drives/{code}")) { (v.t("cancel")) } }
        }
    };
    let mut r = v.page(&v.t("drive-edit"), "nav-drives", body);
    if !errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

async fn edit_form(State(app): State<App>, v: Viewer, Path(code): Path<String>) -> Response {
    let d = match app.get_drive(&v.actor, &code).await {
        Ok(d) => d,
        Err(e) => return error_page(&v, e),
    };
    if !v.actor.role().manages_units() {
        return error_page(&v, AppError::Forbidden);
    }
    let mut f = PlainForm::default();
    f.values.insert("name".into(), d.name.clone());
    f.values
        .insert("report_due_days".into(), d.report_due_days.to_string());
    for (locale, name) in &d.names {
        f.values.insert(format!("name_{locale}"), name.clone());
    }
    edit_page(&v, &d.code, &f, &Fields::new())
}

async fn edit(
    State(app): State<App>,
    v: Viewer,
    Path(code): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    if !v.actor.role().manages_units() {
        return error_page(&v, AppError::Forbidden);
    }
    let due = match f.int("report_due_days") {
        Ok(n) => n,
        Err(_) => {
            return edit_page(
                &v,
                &code,
                &f,
                &Fields::from([("report_due_days".to_string(), "invalid_number".to_string())]),
            )
        }
    };
    let patch = DrivePatch {
        name: Some(f.get("name").into()),
        names: Some(
            crate::i18n::LOCALES
                .iter()
                .filter_map(|l| f.opt(&format!("name_{l}")).map(|n| (l.to_string(), n)))
                .collect(),
        ),
        report_due_days: Some(due),
    };
    match app.update_drive(&v.actor, &code, patch).await {
        Ok(d) => redirect_with_flash(&format!("/drives/{}", d.code), "flash-drive-saved"),
        Err(AppError::Invalid(errors)) => edit_page(&v, &code, &f, &errors),
        Err(e) => error_page(&v, e),
    }
}
