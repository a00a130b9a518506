use super::extract::{ApiJson, ApiQuery, Caller};
use crate::error::ErrorBody;
use crate::ApiError;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use muster_app::drives::{
    DrivePatch, DriveView, FileReport, NewDrive, OverdueReport, ProgressView, ReportView,
    ReviewReport, SplitInput, TargetInput,
};
use muster_app::{App, AppError};
use muster_domain::Date;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_drives, create_drive))
        .routes(routes!(get_drive, update_drive))
        .routes(routes!(progress))
        .routes(routes!(set_target))
        .routes(routes!(split_target))
        .routes(routes!(list_reports))
        .routes(routes!(overdue_reports))
        .routes(routes!(get_report, file_report))
        .routes(routes!(review_report))
}

#[derive(Serialize, ToSchema)]
pub struct DriveList {
    pub items: Vec<DriveView>,
}

#[derive(Serialize, ToSchema)]
pub struct ReportList {
    pub items: Vec<ReportView>,
}

#[derive(Serialize, ToSchema)]
pub struct OverdueList {
    pub items: Vec<OverdueReport>,
}

#[derive(Serialize, ToSchema)]
pub struct SplitResult {
    /// The target given to each child, by unit code.
    pub targets: Vec<ChildTarget>,
}

#[derive(Serialize, ToSchema)]
pub struct ChildTarget {
    pub unit_code: String,
    pub target: Option<i64>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProgressQuery {
    /// A unit of the drive's subtree; the highest the caller may open when absent.
    pub unit: Option<String>,
    /// Progress as of this ISO date; today when absent.
    pub as_of: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AsOfQuery {
    /// As of this ISO date; today when absent.
    pub as_of: Option<String>,
}

fn as_of(s: Option<&str>) -> Result<Date, ApiError> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(Date::today()),
        Some(s) => Date::parse_iso(s).map_err(|e| AppError::field("as_of", e.code).into()),
    }
}

/// Drives the caller may open: those in its subtree and those above it.
#[utoipa::path(get, path = "/api/v1/drives", tag = "drives",
    responses((status = 200, body = DriveList), (status = 401, body = ErrorBody)))]
async fn list_drives(
    State(app): State<App>,
    Caller(actor): Caller,
) -> Result<Json<DriveList>, ApiError> {
    Ok(Json(DriveList {
        items: app.list_drives(&actor).await?,
    }))
}

/// Creates a drive; what already happened in its period is counted at once.
#[utoipa::path(post, path = "/api/v1/drives", tag = "drives", request_body = NewDrive,
    responses((status = 201, body = DriveView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_drive(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiJson(input): ApiJson<NewDrive>,
) -> Result<(StatusCode, Json<DriveView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(app.create_drive(&actor, input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/drives/{code}", tag = "drives",
    params(("code" = String, Path, description = "Drive code")),
    responses((status = 200, body = DriveView), (status = 404, body = ErrorBody)))]
async fn get_drive(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(code): Path<String>,
) -> Result<Json<DriveView>, ApiError> {
    Ok(Json(app.get_drive(&actor, &code).await?))
}

/// Progress of every metric at one unit and each of its children, month by month.
#[utoipa::path(get, path = "/api/v1/drives/{code}/progress", tag = "drives",
    params(("code" = String, Path, description = "Drive code"), ProgressQuery),
    responses((status = 200, body = ProgressView), (status = 404, body = ErrorBody)))]
async fn progress(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery<ProgressQuery>,
) -> Result<Json<ProgressView>, ApiError> {
    let today = as_of(q.as_of.as_deref())?;
    Ok(Json(
        app.drive_progress(&actor, &code, q.unit.as_deref(), today)
            .await?,
    ))
}

/// Sets (or with `null` clears) a unit's target for one metric.
#[utoipa::path(put, path = "/api/v1/drives/{code}/targets/{unit}", tag = "drives", request_body = TargetInput,
    params(("code" = String, Path, description = "Drive code"), ("unit" = String, Path, description = "Unit code")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_target(
    State(app): State<App>,
    Caller(actor): Caller,
    Path((code, unit)): Path<(String, String)>,
    ApiJson(input): ApiJson<TargetInput>,
) -> Result<StatusCode, ApiError> {
    app.set_target(&actor, &code, &unit, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Splits a unit's target among its children: `members` or `workforce` proportionally
/// (exact: the parts add up to the target), or `manual`.
#[utoipa::path(post, path = "/api/v1/drives/{code}/targets/{unit}/split", tag = "drives", request_body = SplitInput,
    params(("code" = String, Path, description = "Drive code"), ("unit" = String, Path, description = "Unit code")),
    responses((status = 200, body = SplitResult), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn split_target(
    State(app): State<App>,
    Caller(actor): Caller,
    Path((code, unit)): Path<(String, String)>,
    ApiJson(input): ApiJson<SplitInput>,
) -> Result<Json<SplitResult>, ApiError> {
    let targets = app
        .split_target(&actor, &code, &unit, input)
        .await?
        .into_iter()
        .map(|(unit_code, target)| ChildTarget { unit_code, target })
        .collect();
    Ok(Json(SplitResult { targets }))
}

/// Monthly reports filed by units in the caller's subtree.
#[utoipa::path(get, path = "/api/v1/drives/{code}/reports", tag = "drives",
    params(("code" = String, Path, description = "Drive code")),
    responses((status = 200, body = ReportList), (status = 404, body = ErrorBody)))]
async fn list_reports(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(code): Path<String>,
) -> Result<Json<ReportList>, ApiError> {
    Ok(Json(ReportList {
        items: app.drive_reports(&actor, &code).await?,
    }))
}

/// Reports past due and not filed, or returned, in the caller's subtree.
#[utoipa::path(get, path = "/api/v1/drives/{code}/reports/overdue", tag = "drives",
    params(("code" = String, Path, description = "Drive code"), AsOfQuery),
    responses((status = 200, body = OverdueList), (status = 404, body = ErrorBody)))]
async fn overdue_reports(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery<AsOfQuery>,
) -> Result<Json<OverdueList>, ApiError> {
    let today = as_of(q.as_of.as_deref())?;
    Ok(Json(OverdueList {
        items: app.overdue_reports(&actor, &code, today).await?,
    }))
}

#[utoipa::path(get, path = "/api/v1/drives/{code}/reports/{unit}/{month}", tag = "drives",
    params(("code" = String, Path, description = "Drive code"), ("unit" = String, Path, description = "Unit code"),
        ("month" = String, Path, description = "YYYY-MM in the drive's calendar")),
    responses((status = 200, body = ReportView), (status = 404, body = ErrorBody)))]
async fn get_report(
    State(app): State<App>,
    Caller(actor): Caller,
    Path((code, unit, month)): Path<(String, String, String)>,
) -> Result<Json<ReportView>, ApiError> {
    app.get_report(&actor, &code, &unit, &month)
        .await?
        .map(Json)
        .ok_or_else(|| AppError::NotFound("report").into())
}

/// Files a unit's report for a month that has begun: a figure for each custom metric
/// and a narrative. Filing again replaces a report not yet accepted.
#[utoipa::path(put, path = "/api/v1/drives/{code}/reports/{unit}/{month}", tag = "drives", request_body = FileReport,
    params(("code" = String, Path, description = "Drive code"), ("unit" = String, Path, description = "Unit code"),
        ("month" = String, Path, description = "YYYY-MM in the drive's calendar")),
    responses((status = 200, body = ReportView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn file_report(
    State(app): State<App>,
    Caller(actor): Caller,
    Path((code, unit, month)): Path<(String, String, String)>,
    ApiJson(input): ApiJson<FileReport>,
) -> Result<Json<ReportView>, ApiError> {
    Ok(Json(
        app.file_report(&actor, &code, &unit, &month, input, Date::today())
            .await?,
    ))
}

/// Accepts a filed report, or returns it with a comment; only a unit above may.
#[utoipa::path(post, path = "/api/v1/drives/{code}/reports/{unit}/{month}/review", tag = "drives",
    request_body = ReviewReport,
    params(("code" = String, Path, description = "Drive code"), ("unit" = String, Path, description = "Unit code"),
        ("month" = String, Path, description = "YYYY-MM in the drive's calendar")),
    responses((status = 200, body = ReportView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn review_report(
    State(app): State<App>,
    Caller(actor): Caller,
    Path((code, unit, month)): Path<(String, String, String)>,
    ApiJson(input): ApiJson<ReviewReport>,
) -> Result<Json<ReportView>, ApiError> {
    Ok(Json(
        app.review_report(&actor, &code, &unit, &month, input)
            .await?,
    ))
}

/// Renames a drive or changes when its reports fall due.
#[utoipa::path(patch, path = "/api/v1/drives/{code}", tag = "drives", request_body = DrivePatch,
    params(("code" = String, Path, description = "Drive code")),
    responses((status = 200, body = DriveView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn update_drive(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(code): Path<String>,
    ApiJson(patch): ApiJson<DrivePatch>,
) -> Result<Json<DriveView>, ApiError> {
    Ok(Json(app.update_drive(&actor, &code, patch).await?))
}
