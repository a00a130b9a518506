//! Members as a file, and the page of a job that makes one: a small export is answered
//! at once; a large one (or one asked for in the background) is made by a job whose
//! page follows it and hands out the file.

use super::layout::{attachment, csv_text, error_page, Viewer};
use crate::api::bulk::download;
use crate::i18n::Lang;
use crate::xlsx::{self, Cell};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use muster_app::exports::{ExportFile, EXPORT_INLINE_MAX};
use muster_app::import::{export_cells, ExportRow, Field};
use muster_app::jobs::JobView;
use muster_app::members::MemberQuery;
use muster_app::{Actor, App, AppError};
use muster_domain::calendar::Calendar;
use serde::Deserialize;

page_routes! {
    "/members/export.csv" => get(export_csv),
    "/members/export.xlsx" => get(export_xlsx),
    "/jobs/{id}" => get(job_page),
    "/jobs/{id}/file" => get(job_file),
}

const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// An export answered: the file, or the job making it.
pub(crate) enum Exported {
    File(Response),
    Job(JobView),
}

/// The members passing `query` as a CSV or XLSX file: headers and dates in the reader's
/// language and calendar when `lang` is given, else field names and ISO dates. Codes
/// (status, gender, units) stay codes, so both import again. More members than
/// `EXPORT_INLINE_MAX` in the subtree, or `background`, make it a job.
pub(crate) async fn export_file(
    app: &App,
    actor: &Actor,
    query: &MemberQuery,
    lang: Option<&Lang>,
    xlsx_file: bool,
    background: bool,
) -> Result<Exported, AppError> {
    let lang = lang.cloned();
    if background || app.export_size(actor, query).await? > EXPORT_INLINE_MAX {
        let make =
            Box::new(move |rows: Vec<ExportRow>| member_file(&rows, lang.as_ref(), xlsx_file));
        return Ok(Exported::Job(
            app.start_export(actor, query.clone(), make).await?,
        ));
    }
    let members = app.export_members(actor, query).await?;
    let file = tokio::task::spawn_blocking(move || member_file(&members, lang.as_ref(), xlsx_file))
        .await
        .map_err(|e| AppError::Internal(format!("export file: {e}")))?;
    Ok(Exported::File(file_response(file)))
}

/// A made file as a download.
pub(crate) fn file_response(file: ExportFile) -> Response {
    let (stem, ext) = file
        .file_name
        .rsplit_once('.')
        .unwrap_or((file.file_name.as_str(), "bin"));
    download(&file.content_type, attachment(stem, ext), file.bytes)
}

fn member_file(members: &[ExportRow], lang: Option<&Lang>, xlsx_file: bool) -> ExportFile {
    let header: Vec<String> = Field::ALL
        .iter()
        .map(|f| match lang {
            Some(l) => l.t(&format!("col-{}", f.as_str())),
            None => f.as_str().to_string(),
        })
        .collect();
    let date = |iso: &str| match lang {
        Some(l) => l.date(iso),
        None => iso.to_string(),
    };
    let name = format!("members-{}", muster_domain::Date::today());
    if xlsx_file {
        // Dates are date cells a spreadsheet sorts, unless the reader counts days in
        // another calendar than a spreadsheet does: then they are text in theirs.
        let gregorian = lang.is_none_or(|l| l.calendar == Calendar::Gregorian);
        let dates: Vec<usize> = Field::ALL
            .iter()
            .enumerate()
            .filter(|(_, f)| matches!(f, Field::BirthDate | Field::JoinedOn))
            .map(|(i, _)| i)
            .collect();
        let mut cells: Vec<Vec<Cell>> = vec![header.into_iter().map(Cell::Text).collect()];
        cells.extend(members.iter().map(|r| {
            let iso = export_cells(r, &|d| d.to_string());
            let shown = export_cells(r, &date);
            iso.into_iter()
                .zip(shown)
                .enumerate()
                .map(|(i, (iso, shown))| match () {
                    _ if iso.is_empty() => Cell::Empty,
                    _ if dates.contains(&i) && gregorian => Cell::Date(iso),
                    _ => Cell::Text(shown),
                })
                .collect()
        }));
        let rtl = lang.is_some_and(|l| l.dir() == "rtl");
        return ExportFile {
            file_name: format!("{name}.xlsx"),
            content_type: XLSX_TYPE.into(),
            bytes: xlsx::workbook("members", &cells, rtl),
        };
    }
    let mut rows = vec![header];
    rows.extend(members.iter().map(|r| export_cells(r, &date)));
    ExportFile {
        file_name: format!("{name}.csv"),
        content_type: "text/csv; charset=utf-8".into(),
        bytes: csv_text(rows, lang.is_some()).into_bytes(),
    }
}

#[derive(Debug, Default, Deserialize)]
struct ExportQuery {
    q: Option<String>,
    unit: Option<String>,
    status: Option<String>,
    employment_type: Option<String>,
    /// `iso` for ISO dates and field names (the import's own format); otherwise the
    /// reader's language, calendar and digits.
    dates: Option<String>,
    /// `true`: made by a job even when small.
    background: Option<bool>,
}

impl ExportQuery {
    fn members(&self) -> MemberQuery {
        MemberQuery {
            q: self.q.clone(),
            unit: self.unit.clone(),
            status: self.status.clone(),
            employment_type: self.employment_type.clone(),
            ..MemberQuery::default()
        }
    }
}

async fn export(app: &App, v: &Viewer, q: &ExportQuery, xlsx_file: bool) -> Response {
    let lang = (q.dates.as_deref() != Some("iso")).then_some(&v.lang);
    let background = q.background.unwrap_or(false);
    match export_file(app, &v.actor, &q.members(), lang, xlsx_file, background).await {
        Ok(Exported::File(r)) => r,
        Ok(Exported::Job(j)) => Redirect::to(&format!("/jobs/{}", j.id)).into_response(),
        Err(e) => error_page(v, e),
    }
}

async fn export_csv(State(app): State<App>, v: Viewer, Query(q): Query<ExportQuery>) -> Response {
    export(&app, &v, &q, false).await
}

async fn export_xlsx(State(app): State<App>, v: Viewer, Query(q): Query<ExportQuery>) -> Response {
    export(&app, &v, &q, true).await
}

/// A job's page: its state and progress, reloading itself while it runs; a finished
/// export's file to download.
async fn job_page(State(app): State<App>, v: Viewer, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return error_page(&v, AppError::NotFound("job"));
    };
    let j = match app.job(&v.actor, id).await {
        Ok(j) => j,
        Err(e) => return error_page(&v, e),
    };
    let l = &v.lang;
    let running = j.state == "running" || j.state == "queued";
    let rows = j.result.as_ref().and_then(|r| r["rows"].as_i64());
    let body = html! {
        @if running {
            // Without JavaScript, the page reloads itself while the job goes on.
            meta http-equiv="refresh" content="2";
        }
        section.card #job data-state=(j.state) {
            p { (v.t(&format!("job-kind-{}", j.kind))) " · " (super::imports::job_state(&v, &j)) }
            @if let Some(total) = j.total {
                p { (l.t_args("job-progress", &[("done", l.number(j.done)), ("total", l.number(total))])) }
            }
            dl.details {
                dt { (v.t("job-by")) } dd { bdi { (j.username) } }
                dt { (v.t("job-started")) } dd { (l.datetime(&j.created_at)) }
                @if let Some(end) = &j.finished_at {
                    dt { (v.t("job-finished")) } dd { (l.datetime(end)) }
                }
            }
            @if j.state == "done" && j.kind == "export" {
                p { a #job-file href={"/jobs/" (j.id) "/file"} {
                    (l.t_args("job-download", &[("rows", l.number(rows.unwrap_or(0)))]))
                } }
            }
            @if j.state == "failed" {
                p.error { (v.t("job-failed-text")) }
            }
        }
    };
    v.page(&v.t("job-title"), "members", body)
}

async fn job_file(State(app): State<App>, v: Viewer, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return error_page(&v, AppError::NotFound("job"));
    };
    match app.job_file(&v.actor, id).await {
        Ok(f) => file_response(f),
        Err(e) => error_page(&v, e),
    }
}
