use super::extract::{ApiJson, Caller};
use crate::error::ErrorBody;
use crate::ApiError;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use muster_app::stats::UnitStats;
use muster_app::units::{MoveUnit, NewUnit, UnitPatch, UnitView};
use muster_app::App;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_units, create_unit))
        .routes(routes!(get_unit, update_unit))
        .routes(routes!(move_unit))
        .routes(routes!(unit_stats))
}

#[derive(Serialize, ToSchema)]
pub struct UnitList {
    pub items: Vec<UnitView>,
}

/// Every unit in the caller's subtree, parents before children.
#[utoipa::path(get, path = "/api/v1/units", tag = "units",
    responses((status = 200, body = UnitList), (status = 401, body = ErrorBody)))]
async fn list_units(
    State(app): State<App>,
    Caller(actor): Caller,
) -> Result<Json<UnitList>, ApiError> {
    Ok(Json(UnitList {
        items: app.list_units(&actor).await?,
    }))
}

#[utoipa::path(post, path = "/api/v1/units", tag = "units", request_body = NewUnit,
    responses((status = 201, body = UnitView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_unit(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiJson(input): ApiJson<NewUnit>,
) -> Result<(StatusCode, Json<UnitView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(app.create_unit(&actor, input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/units/{code}", tag = "units",
    params(("code" = String, Path, description = "Unit code")),
    responses((status = 200, body = UnitView), (status = 404, body = ErrorBody)))]
async fn get_unit(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(code): Path<String>,
) -> Result<Json<UnitView>, ApiError> {
    Ok(Json(app.get_unit(&actor, &code).await?))
}

#[utoipa::path(patch, path = "/api/v1/units/{code}", tag = "units", request_body = UnitPatch,
    params(("code" = String, Path, description = "Unit code")),
    responses((status = 200, body = UnitView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_unit(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(code): Path<String>,
    ApiJson(patch): ApiJson<UnitPatch>,
) -> Result<Json<UnitView>, ApiError> {
    Ok(Json(app.update_unit(&actor, &code, patch).await?))
}

/// Moves the unit and its whole subtree under another unit of the same tree.
#[utoipa::path(post, path = "/api/v1/units/{code}/move", tag = "units", request_body = MoveUnit,
    params(("code" = String, Path, description = "Unit code")),
    responses((status = 200, body = UnitView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn move_unit(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(code): Path<String>,
    ApiJson(to): ApiJson<MoveUnit>,
) -> Result<Json<UnitView>, ApiError> {
    Ok(Json(app.move_unit(&actor, &code, to).await?))
}

/// Membership figures of the unit's subtree by month, from the counters.
#[utoipa::path(get, path = "/api/v1/units/{code}/stats", tag = "units",
    params(("code" = String, Path, description = "Unit code")),
    responses((status = 200, body = UnitStats), (status = 404, body = ErrorBody)))]
async fn unit_stats(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(code): Path<String>,
) -> Result<Json<UnitStats>, ApiError> {
    Ok(Json(app.unit_stats(&actor, &code).await?))
}
