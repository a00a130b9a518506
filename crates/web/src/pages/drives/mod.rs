//! Organizing drives: the list, a new drive, the progress dashboard with its charts and
//! exports, targets and their split down the tree, and monthly reports. This module holds
//! what they share; each part has its own file.

use super::layout::{
    csv_response, error_page, field, redirect_with_flash, select, PlainForm, Viewer,
};
use crate::api::enc;
use crate::i18n::Lang;
use crate::xlsx::{self, Cell};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use maud::{html, Markup, PreEscaped};
use muster_app::drives::{
    standing_rank, DrivePatch, FileReport, MetricProgress, MetricView, NewDrive, NewMetric,
    ProgressRow, ProgressView, ReportView, ReviewReport, SplitInput, TargetInput,
};
use muster_app::{App, AppError, Fields};
use muster_domain::calendar::Calendar;
use muster_domain::drive::MetricKind;
use muster_domain::member::InformalCategory;
use muster_domain::Date;
use serde::Deserialize;
use std::collections::BTreeMap;

mod dashboard;
mod form;
mod reports;
mod targets;

use dashboard::{dashboard, export_csv, export_xlsx};
use form::{create, edit, edit_form, new_form};
use reports::{file_report, report, reports, review_report};
use targets::{save_targets, targets};

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
        "scheme_enrolled" => v.lang.t_args(
            "metric-scheme_enrolled-of",
            &[("scheme", m.scheme.clone().unwrap_or_default())],
        ),
        k if MetricKind::parse(k).is_ok_and(MetricKind::computed) => v.t(&format!("metric-{k}")),
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
