use super::extract::{ApiJson, ApiQuery, Caller};
use crate::error::ErrorBody;
use crate::ApiError;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use muster_app::workplaces::{WorkplaceInput, WorkplacePage, WorkplaceQuery, WorkplaceView};
use muster_app::App;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_workplaces, create_workplace))
        .routes(routes!(get_workplace, update_workplace))
        .routes(routes!(archive_workplace))
}

/// Workplaces in the caller's subtree.
#[utoipa::path(get, path = "/api/v1/workplaces", tag = "workplaces", params(WorkplaceQuery),
    responses((status = 200, body = WorkplacePage)))]
async fn list_workplaces(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiQuery(q): ApiQuery<WorkplaceQuery>,
) -> Result<Json<WorkplacePage>, ApiError> {
    Ok(Json(app.list_workplaces(&actor, &q).await?))
}

#[utoipa::path(post, path = "/api/v1/workplaces", tag = "workplaces", request_body = WorkplaceInput,
    responses((status = 201, body = WorkplaceView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_workplace(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiJson(input): ApiJson<WorkplaceInput>,
) -> Result<(StatusCode, Json<WorkplaceView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(app.create_workplace(&actor, input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/workplaces/{code}", tag = "workplaces",
    params(("code" = String, Path, description = "Workplace code")),
    responses((status = 200, body = WorkplaceView), (status = 404, body = ErrorBody)))]
async fn get_workplace(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(code): Path<String>,
) -> Result<Json<WorkplaceView>, ApiError> {
    Ok(Json(app.get_workplace(&actor, &code).await?))
}

#[utoipa::path(patch, path = "/api/v1/workplaces/{code}", tag = "workplaces", request_body = WorkplaceInput,
    params(("code" = String, Path, description = "Workplace code")),
    responses((status = 200, body = WorkplaceView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_workplace(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(code): Path<String>,
    ApiJson(input): ApiJson<WorkplaceInput>,
) -> Result<Json<WorkplaceView>, ApiError> {
    Ok(Json(app.update_workplace(&actor, &code, input).await?))
}

/// Archives a workplace: it leaves lists, coverage and the priority list, and stays on record.
#[utoipa::path(post, path = "/api/v1/workplaces/{code}/archive", tag = "workplaces",
    params(("code" = String, Path, description = "Workplace code")),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn archive_workplace(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(code): Path<String>,
) -> Result<StatusCode, ApiError> {
    app.archive_workplace(&actor, &code).await?;
    Ok(StatusCode::NO_CONTENT)
}
