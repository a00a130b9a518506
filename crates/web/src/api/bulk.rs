//! Bulk import and export of members, and the review of likely duplicates.

use super::extract::{ApiJson, ApiQuery, Caller};
use crate::error::ErrorBody;
use crate::ApiError;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use muster_app::dedupe::{DuplicatePage, LikelyDuplicate};
use muster_app::import::{ImportOptions, ImportView};
use muster_app::jobs::JobView;
use muster_app::members::{MemberDetail, MemberQuery, NewMember};
use muster_app::{App, AppError};
use muster_domain::calendar::{Calendar, DateOrder};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(import_members))
        .routes(routes!(get_import))
        .routes(routes!(export_members))
        .routes(routes!(check_duplicates))
        .routes(routes!(list_duplicates))
        .routes(routes!(scan_duplicates))
        .routes(routes!(get_job))
        .routes(routes!(get_job_file))
        .routes(routes!(merge_members))
        .routes(routes!(dismiss_duplicate))
        // A member file of a few hundred thousand rows is tens of megabytes.
        .layer(axum::extract::DefaultBodyLimit::max(
            crate::pages::MAX_UPLOAD,
        ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// The file's name, for the record (`members.csv`).
    pub file_name: Option<String>,
    /// Check and report only.
    #[serde(default)]
    pub dry_run: bool,
    /// `gregorian` (default), `persian` or `indian`: the calendar of the file's dates.
    pub calendar: Option<String>,
    /// `ymd` (default), `dmy` or `mdy`: the order of dates whose year is not first.
    pub date_order: Option<String>,
}

pub(crate) fn options(
    calendar: Option<&str>,
    date_order: Option<&str>,
    dry_run: bool,
) -> Result<ImportOptions, AppError> {
    let mut bad = muster_app::Fields::new();
    let calendar = match calendar.filter(|s| !s.is_empty()) {
        None => Calendar::Gregorian,
        Some(c) => Calendar::parse(c).unwrap_or_else(|e| {
            bad.insert("calendar".into(), e.code.into());
            Calendar::Gregorian
        }),
    };
    let date_order = match date_order.filter(|s| !s.is_empty()) {
        None => DateOrder::Ymd,
        Some(c) => DateOrder::parse(c).unwrap_or_else(|e| {
            bad.insert("date_order".into(), e.code.into());
            DateOrder::Ymd
        }),
    };
    if !bad.is_empty() {
        return Err(AppError::Invalid(bad));
    }
    Ok(ImportOptions {
        calendar,
        date_order,
        dry_run,
        aliases: crate::i18n::header_aliases().to_vec(),
        ..ImportOptions::default()
    })
}

/// Imports members from the CSV or XLSX file sent as the body (columns by header
/// name). A file that cannot be read at all (no header, missing columns, too large) is
/// refused at once; a readable one answers 202 with the run's record, whose `Location`
/// is polled until its `status` is `done` (or a `failure` is named): then it holds the
/// report of every rejected or flagged row. Columns read as nothing are named in the
/// first answer.
#[utoipa::path(post, path = "/api/v1/members/import", tag = "import", params(ImportParams),
    request_body(content = Vec<u8>, content_type = "text/csv"),
    responses((status = 202, body = ImportView,
        headers(("location" = String, description = "The run's record to poll"))),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn import_members(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiQuery(p): ApiQuery<ImportParams>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let options = options(p.calendar.as_deref(), p.date_order.as_deref(), p.dry_run)?;
    let name = p.file_name.unwrap_or_else(|| "upload".into());
    let run = app
        .start_import(&actor, &name, body.to_vec(), options)
        .await?;
    let id = run.import_id;
    let mut view = app.get_import(&actor, id).await?;
    view.ignored_columns = run.ignored_columns.clone();
    let worker = app.clone();
    tokio::spawn(async move {
        if let Err(e) = worker.run_import(run, &mut |_| {}).await {
            tracing::warn!(import = id, error = %e, "import stopped");
        }
    });
    let location = format!("/api/v1/imports/{id}");
    Ok((
        StatusCode::ACCEPTED,
        [(header::LOCATION, location)],
        Json(view),
    )
        .into_response())
}

/// An import run and its rejected rows.
#[utoipa::path(get, path = "/api/v1/imports/{id}", tag = "import",
    params(("id" = i64, Path, description = "Import id")),
    responses((status = 200, body = ImportView), (status = 404, body = ErrorBody)))]
async fn get_import(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Json<ImportView>, ApiError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound("import"))?;
    Ok(Json(app.get_import(&actor, id).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// `csv` (default) or `xlsx`.
    pub format: Option<String>,
    pub q: Option<String>,
    pub unit: Option<String>,
    pub status: Option<String>,
    pub employment_type: Option<String>,
    /// `true`: made by a job even when small (a subtree of more than 50,000 members
    /// always is).
    pub background: Option<bool>,
}

/// Members passing the list's filters as CSV or XLSX, with the columns an import
/// reads and ISO dates: the file imports again as it is. A large subtree's file (or one
/// asked for in the `background`) is made by a job: the answer is then 202 with the
/// job, whose `Location` is polled until it is `done`; its file is at
/// `/api/v1/jobs/{id}/file`.
#[utoipa::path(get, path = "/api/v1/members/export", tag = "import", params(ExportParams),
    responses((status = 200, description = "The file"),
        (status = 202, body = JobView,
            headers(("location" = String, description = "The job to poll"))),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn export_members(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiQuery(p): ApiQuery<ExportParams>,
) -> Result<Response, ApiError> {
    let query = MemberQuery {
        q: p.q,
        unit: p.unit,
        status: p.status,
        employment_type: p.employment_type,
        ..MemberQuery::default()
    };
    let xlsx = p.format.as_deref() == Some("xlsx");
    let background = p.background.unwrap_or(false);
    match crate::pages::export_file(&app, &actor, &query, None, xlsx, background).await? {
        crate::pages::Exported::File(r) => Ok(r),
        crate::pages::Exported::Job(job) => Ok(accepted_job(job)),
    }
}

/// 202 with a job and where to follow it.
fn accepted_job(job: JobView) -> Response {
    let location = format!("/api/v1/jobs/{}", job.id);
    (
        StatusCode::ACCEPTED,
        [(header::LOCATION, location)],
        Json(job),
    )
        .into_response()
}

/// Likely duplicates of a person about to be registered, without registering them.
#[utoipa::path(post, path = "/api/v1/members/check-duplicates", tag = "duplicates",
    request_body = NewMember,
    responses((status = 200, body = Vec<LikelyDuplicate>), (status = 404, body = ErrorBody)))]
async fn check_duplicates(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiJson(input): ApiJson<NewMember>,
) -> Result<Json<Vec<LikelyDuplicate>>, ApiError> {
    Ok(Json(
        app.check_duplicates(&actor, &input.unit_code, &input.person)
            .await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// Pairs of likely duplicates in the caller's subtree, surest first, with the fields
/// on which they differ.
#[utoipa::path(get, path = "/api/v1/duplicates", tag = "duplicates", params(PageParams),
    responses((status = 200, body = DuplicatePage)))]
async fn list_duplicates(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiQuery(p): ApiQuery<PageParams>,
) -> Result<Json<DuplicatePage>, ApiError> {
    Ok(Json(
        app.list_duplicates(&actor, p.limit.unwrap_or(50), p.offset.unwrap_or(0))
            .await?,
    ))
}

/// The jobs a request started.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobList {
    pub items: Vec<JobView>,
}

/// Starts comparing every member of the caller's subtree, one job per tree, and
/// answers at once; `GET /api/v1/jobs/{id}` tells when each is done and what it found
/// (`people`, `candidate_pairs`, `likely_pairs`). A tree with a scan or an import still
/// running answers 409 (`job_running`).
#[utoipa::path(post, path = "/api/v1/duplicates/scan", tag = "duplicates",
    responses((status = 202, body = JobList), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
async fn scan_duplicates(
    State(app): State<App>,
    Caller(actor): Caller,
) -> Result<(StatusCode, Json<JobList>), ApiError> {
    let items = app.start_scan(&actor).await?;
    Ok((StatusCode::ACCEPTED, Json(JobList { items })))
}

/// A heavy job (a duplicate scan, an import): its state, progress and result.
#[utoipa::path(get, path = "/api/v1/jobs/{id}", tag = "duplicates",
    params(("id" = i64, Path, description = "Job id")),
    responses((status = 200, body = JobView), (status = 404, body = ErrorBody)))]
async fn get_job(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Json<JobView>, ApiError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound("job"))?;
    Ok(Json(app.job(&actor, id).await?))
}

/// The file a finished export job made (kept for a day).
#[utoipa::path(get, path = "/api/v1/jobs/{id}/file", tag = "import",
    params(("id" = i64, Path, description = "Job id")),
    responses((status = 200, description = "The file"), (status = 404, body = ErrorBody)))]
async fn get_job_file(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound("job"))?;
    Ok(crate::pages::file_response(app.job_file(&actor, id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Merge {
    /// The person kept.
    pub keep: i64,
    /// The person merged into `keep` and archived.
    pub drop: i64,
}

/// Merges two records of one person: `drop`'s memberships (as past ones),
/// assessments, committee seats and history move to `keep`; empty fields of `keep`
/// take `drop`'s values.
#[utoipa::path(post, path = "/api/v1/duplicates/merge", tag = "duplicates", request_body = Merge,
    responses((status = 200, body = MemberDetail), (status = 404, body = ErrorBody)))]
async fn merge_members(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiJson(m): ApiJson<Merge>,
) -> Result<Json<MemberDetail>, ApiError> {
    Ok(Json(app.merge_members(&actor, m.keep, m.drop).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Dismiss {
    pub a: i64,
    pub b: i64,
}

/// Records that two people are not one: the pair is not offered again.
#[utoipa::path(post, path = "/api/v1/duplicates/dismiss", tag = "duplicates", request_body = Dismiss,
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn dismiss_duplicate(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiJson(d): ApiJson<Dismiss>,
) -> Result<Response, ApiError> {
    app.dismiss_duplicate(&actor, d.a, d.b).await?;
    Ok(axum::http::StatusCode::NO_CONTENT.into_response())
}

/// A download response.
pub(crate) fn download(content_type: &str, disposition: String, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}
