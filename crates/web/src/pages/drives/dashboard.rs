//! A drive's progress: the dashboard, its charts, and its CSV and XLSX exports.

use super::*;

pub(super) async fn dashboard(
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

pub(super) async fn export_csv(
    State(app): State<App>,
    v: Viewer,
    Path(code): Path<String>,
    Query(q): Query<DashboardQuery>,
) -> Response {
    let p = match load(&app, &v, &code, q.unit.as_deref()).await {
        Ok(p) => p,
        Err(e) => return error_page(&v, e),
    };
    let rows = crate::xlsx::csv_rows(export_rows(&v, &p), &v.lang);
    let unit = p.path.last().map(|u| u.code.as_str()).unwrap_or("");
    csv_response(&format!("{code}-{unit}"), rows, true)
}

pub(super) async fn export_xlsx(
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
    xlsx::response(
        &format!("{code}-{unit}"),
        &unit,
        &export_rows(&v, &p),
        v.lang.dir() == "rtl",
    )
}
