//! Committees of a unit and their rosters.

use super::extract::{path_id, ApiJson, ApiQuery, Caller};
use crate::error::ErrorBody;
use crate::ApiError;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use muster_app::committees::{
    CommitteeInput, CommitteeQuery, CommitteeView, PersonSeatView, SeatInput, SeatView,
};
use muster_app::governance::{GovernanceQuery, GovernanceReport};
use muster_app::App;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_committees, create_committee))
        .routes(routes!(get_committee, update_committee))
        .routes(routes!(add_seat))
        .routes(routes!(end_seat))
        .routes(routes!(member_seats))
        .routes(routes!(governance))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommitteeList {
    pub items: Vec<CommitteeView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonSeatList {
    pub items: Vec<PersonSeatView>,
}

/// When a seat ends.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct SeatEnd {
    /// The seat's last day (ISO); today when not given.
    pub until_on: Option<String>,
}

/// Committees of the caller's subtree (or of `unit`'s), with how many sit on each today.
#[utoipa::path(get, path = "/api/v1/committees", tag = "governance", params(CommitteeQuery),
    responses((status = 200, body = CommitteeList)))]
async fn list_committees(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiQuery(q): ApiQuery<CommitteeQuery>,
) -> Result<Json<CommitteeList>, ApiError> {
    Ok(Json(CommitteeList {
        items: app.list_committees(&actor, &q).await?,
    }))
}

/// Forms a committee of a unit of the caller's subtree.
#[utoipa::path(post, path = "/api/v1/committees", tag = "governance", request_body = CommitteeInput,
    responses((status = 201, body = CommitteeView), (status = 422, body = ErrorBody)))]
async fn create_committee(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiJson(input): ApiJson<CommitteeInput>,
) -> Result<(StatusCode, Json<CommitteeView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(app.create_committee(&actor, input).await?),
    ))
}

/// A committee with its roster, current seats and past ones.
#[utoipa::path(get, path = "/api/v1/committees/{id}", tag = "governance",
    params(("id" = i64, Path, description = "Committee id")),
    responses((status = 200, body = CommitteeView), (status = 404, body = ErrorBody)))]
async fn get_committee(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Json<CommitteeView>, ApiError> {
    let id = path_id(&id, "committee")?;
    Ok(Json(app.committee(&actor, id).await?))
}

#[utoipa::path(patch, path = "/api/v1/committees/{id}", tag = "governance", request_body = CommitteeInput,
    params(("id" = i64, Path, description = "Committee id")),
    responses((status = 200, body = CommitteeView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_committee(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<CommitteeInput>,
) -> Result<Json<CommitteeView>, ApiError> {
    let id = path_id(&id, "committee")?;
    Ok(Json(app.update_committee(&actor, id, input).await?))
}

/// Seats a member of the caller's subtree, or an outside participant.
#[utoipa::path(post, path = "/api/v1/committees/{id}/seats", tag = "governance", request_body = SeatInput,
    params(("id" = i64, Path, description = "Committee id")),
    responses((status = 201, body = SeatView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_seat(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<SeatInput>,
) -> Result<(StatusCode, Json<SeatView>), ApiError> {
    let id = path_id(&id, "committee")?;
    Ok((
        StatusCode::CREATED,
        Json(app.add_seat(&actor, id, input).await?),
    ))
}

/// Ends a seat; it stays in the roster's history.
#[utoipa::path(post, path = "/api/v1/committees/{id}/seats/{seat}/end", tag = "governance", request_body = SeatEnd,
    params(("id" = i64, Path, description = "Committee id"), ("seat" = i64, Path, description = "Seat id")),
    responses((status = 200, body = SeatView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn end_seat(
    State(app): State<App>,
    Caller(actor): Caller,
    Path((id, seat)): Path<(String, String)>,
    ApiJson(input): ApiJson<SeatEnd>,
) -> Result<Json<SeatView>, ApiError> {
    let id = path_id(&id, "committee")?;
    let seat = path_id(&seat, "seat")?;
    Ok(Json(
        app.end_seat(&actor, id, seat, input.until_on.as_deref())
            .await?,
    ))
}

/// A member's seats on the committees the caller may see, current and past.
#[utoipa::path(get, path = "/api/v1/members/{id}/committee-seats", tag = "governance",
    params(("id" = i64, Path, description = "Person id")),
    responses((status = 200, body = PersonSeatList), (status = 404, body = ErrorBody)))]
async fn member_seats(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Json<PersonSeatList>, ApiError> {
    let id = path_id(&id, "member")?;
    Ok(Json(PersonSeatList {
        items: app.seats_of_member(&actor, id).await?,
    }))
}

/// Governance of a unit's subtree and of each unit right below it over a quarter:
/// committees, meetings held against their cadence, attendance, decisions adopted,
/// action items done on time and overdue.
#[utoipa::path(get, path = "/api/v1/governance", tag = "governance", params(GovernanceQuery),
    responses((status = 200, body = GovernanceReport), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn governance(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiQuery(q): ApiQuery<GovernanceQuery>,
) -> Result<Json<GovernanceReport>, ApiError> {
    Ok(Json(app.governance_rollup(&actor, &q).await?))
}
