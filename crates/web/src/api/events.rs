//! Programs and events: declaring them, who comes, check-in at the desk, walk-ins, the
//! closing report and a program's figures up the tree.

use super::extract::{path_id, ApiJson, ApiQuery, Caller};
use crate::error::ErrorBody;
use crate::ApiError;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use muster_app::events::{
    BulkCheckIn, BulkLine, CheckIn, CheckInAnswer, DashboardQuery, EventInput, EventQuery,
    EventView, ParticipantInput, ParticipantView, ProgramDashboard, ProgramInput, ProgramView,
    ReportInput, SessionView, SessionsInput, WalkIn,
};
use muster_app::App;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_programs, create_program))
        .routes(routes!(get_program))
        .routes(routes!(program_dashboard))
        .routes(routes!(list_events, create_event))
        .routes(routes!(get_event))
        .routes(routes!(set_capacity))
        .routes(routes!(close_event))
        .routes(routes!(set_sessions))
        .routes(routes!(register))
        .routes(routes!(participant_status))
        .routes(routes!(check_in))
        .routes(routes!(bulk_check_in))
        .routes(routes!(walk_in))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgramList {
    pub items: Vec<ProgramView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventList {
    pub items: Vec<EventView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BulkAnswer {
    pub lines: Vec<BulkLine>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Limit {
    pub limit: Option<i64>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CapacityInput {
    /// Places; none for no limit.
    pub capacity: Option<i64>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct StatusInput {
    /// `registered`, `waitlisted`, `confirmed`, `attended`, `no_show`, `cancelled`.
    pub status: String,
}

/// Programs of the caller's subtree and of the units above it, latest first.
#[utoipa::path(get, path = "/api/v1/programs", tag = "events", params(Limit),
    responses((status = 200, body = ProgramList)))]
async fn list_programs(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiQuery(q): ApiQuery<Limit>,
) -> Result<Json<ProgramList>, ApiError> {
    Ok(Json(ProgramList {
        items: app.list_programs(&actor, q.limit).await?,
    }))
}

/// Declares a program of a unit of the caller's subtree.
#[utoipa::path(post, path = "/api/v1/programs", tag = "events", request_body = ProgramInput,
    responses((status = 201, body = ProgramView), (status = 422, body = ErrorBody)))]
async fn create_program(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiJson(input): ApiJson<ProgramInput>,
) -> Result<(StatusCode, Json<ProgramView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(app.create_program(&actor, input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/programs/{id}", tag = "events",
    params(("id" = i64, Path, description = "Program id")),
    responses((status = 200, body = ProgramView), (status = 404, body = ErrorBody)))]
async fn get_program(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Json<ProgramView>, ApiError> {
    let id = path_id(&id, "program")?;
    Ok(Json(app.program(&actor, id).await?))
}

/// A program's figures for a unit's subtree and each unit right below it.
#[utoipa::path(get, path = "/api/v1/programs/{id}/dashboard", tag = "events",
    params(("id" = i64, Path, description = "Program id"), DashboardQuery),
    responses((status = 200, body = ProgramDashboard), (status = 404, body = ErrorBody)))]
async fn program_dashboard(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<DashboardQuery>,
) -> Result<Json<ProgramDashboard>, ApiError> {
    let id = path_id(&id, "program")?;
    Ok(Json(app.program_dashboard(&actor, id, &q).await?))
}

/// Events of the caller's subtree (of one program, or under one unit), by day.
#[utoipa::path(get, path = "/api/v1/events", tag = "events", params(EventQuery),
    responses((status = 200, body = EventList)))]
async fn list_events(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiQuery(q): ApiQuery<EventQuery>,
) -> Result<Json<EventList>, ApiError> {
    Ok(Json(EventList {
        items: app.list_events(&actor, &q).await?,
    }))
}

/// Adds an event of a unit of the caller's subtree, on its own or to a program above.
#[utoipa::path(post, path = "/api/v1/events", tag = "events", request_body = EventInput,
    responses((status = 201, body = EventView), (status = 422, body = ErrorBody)))]
async fn create_event(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiJson(input): ApiJson<EventInput>,
) -> Result<(StatusCode, Json<EventView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(app.create_event(&actor, input).await?),
    ))
}

/// An event with who registered or came, and its closing report once filed.
#[utoipa::path(get, path = "/api/v1/events/{id}", tag = "events",
    params(("id" = i64, Path, description = "Event id")),
    responses((status = 200, body = EventView), (status = 404, body = ErrorBody)))]
async fn get_event(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Json<EventView>, ApiError> {
    let id = path_id(&id, "event")?;
    Ok(Json(app.event(&actor, id).await?))
}

/// Changes an event's capacity; places it adds go to the first waitlisted.
#[utoipa::path(put, path = "/api/v1/events/{id}/capacity", tag = "events", request_body = CapacityInput,
    params(("id" = i64, Path, description = "Event id")),
    responses((status = 200, body = EventView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_capacity(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<CapacityInput>,
) -> Result<Json<EventView>, ApiError> {
    let id = path_id(&id, "event")?;
    Ok(Json(app.set_capacity(&actor, id, input.capacity).await?))
}

/// Files the closing report: notes and links; the figures come from the records.
#[utoipa::path(put, path = "/api/v1/events/{id}/report", tag = "events", request_body = ReportInput,
    params(("id" = i64, Path, description = "Event id")),
    responses((status = 200, body = EventView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn close_event(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ReportInput>,
) -> Result<Json<EventView>, ApiError> {
    let id = path_id(&id, "event")?;
    Ok(Json(app.close_event(&actor, id, input).await?))
}

/// Registers a member or an outside person: a place while there is one, else the
/// waitlist.
#[utoipa::path(post, path = "/api/v1/events/{id}/participants", tag = "events", request_body = ParticipantInput,
    params(("id" = i64, Path, description = "Event id")),
    responses((status = 201, body = ParticipantView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn register(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ParticipantInput>,
) -> Result<(StatusCode, Json<ParticipantView>), ApiError> {
    let id = path_id(&id, "event")?;
    Ok((
        StatusCode::CREATED,
        Json(app.register_participant(&actor, id, input).await?),
    ))
}

/// Changes where a participant stands; a place freed goes to the first waitlisted.
#[utoipa::path(put, path = "/api/v1/events/{id}/participants/{participant}/status", tag = "events", request_body = StatusInput,
    params(("id" = i64, Path, description = "Event id"), ("participant" = i64, Path, description = "Participant id")),
    responses((status = 200, body = ParticipantView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn participant_status(
    State(app): State<App>,
    Caller(actor): Caller,
    Path((id, participant)): Path<(String, String)>,
    ApiJson(input): ApiJson<StatusInput>,
) -> Result<Json<ParticipantView>, ApiError> {
    let id = path_id(&id, "event")?;
    let participant = path_id(&participant, "participant")?;
    Ok(Json(
        app.set_participant_status(&actor, id, participant, &input.status)
            .await?,
    ))
}

/// Checks someone in for a day: by ticket code, participant or registry member.
#[utoipa::path(post, path = "/api/v1/events/{id}/check-ins", tag = "events", request_body = CheckIn,
    params(("id" = i64, Path, description = "Event id")),
    responses((status = 200, body = CheckInAnswer), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn check_in(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<CheckIn>,
) -> Result<Json<CheckInAnswer>, ApiError> {
    let id = path_id(&id, "event")?;
    Ok(Json(app.check_in(&actor, id, input).await?))
}

/// Checks in a paper list: a ticket code, member number or phone per line.
#[utoipa::path(post, path = "/api/v1/events/{id}/check-ins/bulk", tag = "events", request_body = BulkCheckIn,
    params(("id" = i64, Path, description = "Event id")),
    responses((status = 200, body = BulkAnswer), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn bulk_check_in(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<BulkCheckIn>,
) -> Result<Json<BulkAnswer>, ApiError> {
    let id = path_id(&id, "event")?;
    Ok(Json(BulkAnswer {
        lines: app.bulk_check_in(&actor, id, input).await?,
    }))
}

/// Someone who came without registering: matched against the registry (409 with the
/// likely duplicates), registered as a member when they join, and checked in.
#[utoipa::path(post, path = "/api/v1/events/{id}/walk-ins", tag = "events", request_body = WalkIn,
    params(("id" = i64, Path, description = "Event id")),
    responses((status = 201, body = CheckInAnswer), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn walk_in(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<WalkIn>,
) -> Result<(StatusCode, Json<CheckInAnswer>), ApiError> {
    let id = path_id(&id, "event")?;
    Ok((
        StatusCode::CREATED,
        Json(app.walk_in(&actor, id, input).await?),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionList {
    pub items: Vec<SessionView>,
}

/// Replaces the sessions of an event's days.
#[utoipa::path(put, path = "/api/v1/events/{id}/sessions", tag = "events", request_body = SessionsInput,
    params(("id" = i64, Path, description = "Event id")),
    responses((status = 200, body = SessionList), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_sessions(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<SessionsInput>,
) -> Result<Json<SessionList>, ApiError> {
    let id = path_id(&id, "event")?;
    Ok(Json(SessionList {
        items: app.set_event_sessions(&actor, id, input).await?,
    }))
}
