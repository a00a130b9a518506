use super::extract::{ApiJson, ApiQuery, Caller};
use crate::error::ErrorBody;
use crate::ApiError;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use muster_app::members::{
    MemberDetail, MemberPage, MemberPatch, MemberQuery, NewMember, StatusChange, Transfer,
};
use muster_app::{App, AppError};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_members, create_member))
        .routes(routes!(get_member, update_member))
        .routes(routes!(change_status))
        .routes(routes!(transfer_member))
        .routes(routes!(archive_member))
}

/// A member id from the path; anything but a number names no member.
fn member_id(raw: &str) -> Result<i64, ApiError> {
    raw.parse().map_err(|_| AppError::NotFound("member").into())
}

/// Members in the caller's subtree: search across scripts, filters, cursor paging.
#[utoipa::path(get, path = "/api/v1/members", tag = "members", params(MemberQuery),
    responses((status = 200, body = MemberPage), (status = 422, body = ErrorBody)))]
async fn list_members(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiQuery(q): ApiQuery<MemberQuery>,
) -> Result<Json<MemberPage>, ApiError> {
    Ok(Json(app.list_members(&actor, &q).await?))
}

/// Registers a person with a membership in a unit.
#[utoipa::path(post, path = "/api/v1/members", tag = "members", request_body = NewMember,
    responses((status = 201, body = MemberDetail), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_member(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiJson(input): ApiJson<NewMember>,
) -> Result<(StatusCode, Json<MemberDetail>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(app.create_member(&actor, input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/members/{id}", tag = "members",
    params(("id" = i64, Path, description = "Member id")),
    responses((status = 200, body = MemberDetail), (status = 404, body = ErrorBody)))]
async fn get_member(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Json<MemberDetail>, ApiError> {
    Ok(Json(app.get_member(&actor, member_id(&id)?).await?))
}

#[utoipa::path(patch, path = "/api/v1/members/{id}", tag = "members", request_body = MemberPatch,
    params(("id" = i64, Path, description = "Member id")),
    responses((status = 200, body = MemberDetail), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_member(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<MemberPatch>,
) -> Result<Json<MemberDetail>, ApiError> {
    Ok(Json(
        app.update_member(&actor, member_id(&id)?, patch).await?,
    ))
}

/// Moves the membership through its lifecycle (applicant, active, lapsed, ...).
#[utoipa::path(post, path = "/api/v1/members/{id}/status", tag = "members", request_body = StatusChange,
    params(("id" = i64, Path, description = "Member id")),
    responses((status = 200, body = MemberDetail), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn change_status(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(change): ApiJson<StatusChange>,
) -> Result<Json<MemberDetail>, ApiError> {
    Ok(Json(
        app.change_status(&actor, member_id(&id)?, change).await?,
    ))
}

/// Closes the current membership and opens the next one in another unit.
#[utoipa::path(post, path = "/api/v1/members/{id}/transfer", tag = "members", request_body = Transfer,
    params(("id" = i64, Path, description = "Member id")),
    responses((status = 200, body = MemberDetail), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn transfer_member(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(t): ApiJson<Transfer>,
) -> Result<Json<MemberDetail>, ApiError> {
    Ok(Json(app.transfer_member(&actor, member_id(&id)?, t).await?))
}

/// Archives the person: gone from lists and counts, kept on record with its audit trail.
#[utoipa::path(post, path = "/api/v1/members/{id}/archive", tag = "members",
    params(("id" = i64, Path, description = "Member id")),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn archive_member(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    app.archive_member(&actor, member_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
