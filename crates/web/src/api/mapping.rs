use super::extract::{ApiJson, ApiQuery, Caller};
use crate::error::ErrorBody;
use crate::ApiError;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use muster_app::mapping::{
    Assessment, Assignment, CommitteeSeat, Coverage, FoundUnion, NewAssessment, NewHeadcount,
    NewWorker, Organizing, PriorityPage, PriorityQuery, Weights,
};
use muster_app::{App, AppError};
use muster_domain::Date;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(coverage))
        .routes(routes!(priority))
        .routes(routes!(set_weights))
        .routes(routes!(assign))
        .routes(routes!(organizing))
        .routes(routes!(add_worker))
        .routes(routes!(assess))
        .routes(routes!(assessments))
        .routes(routes!(committee))
        .routes(routes!(headcount))
        .routes(routes!(found_union))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CoverageQuery {
    /// A unit code: its subtree; the caller's whole subtree when absent.
    pub unit: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

#[derive(Serialize, ToSchema)]
pub struct Founded {
    pub unit_code: String,
}

#[derive(Serialize, ToSchema)]
pub struct AssessmentList {
    pub items: Vec<Assessment>,
}

/// Union coverage of a subtree: workplaces with and without a union by size band and
/// ownership, the share of workers in covered workplaces, the membership rate.
#[utoipa::path(get, path = "/api/v1/coverage", tag = "workplaces", params(CoverageQuery),
    responses((status = 200, body = Coverage), (status = 404, body = ErrorBody)))]
async fn coverage(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiQuery(q): ApiQuery<CoverageQuery>,
) -> Result<Json<Coverage>, ApiError> {
    Ok(Json(app.coverage(&actor, q.unit.as_deref()).await?))
}

/// Workplaces to organize: without a union, or under the tree's membership-rate
/// threshold, ranked by the tree's weights of headcount, years operating and rate.
#[utoipa::path(get, path = "/api/v1/priority", tag = "workplaces", params(PriorityQuery),
    responses((status = 200, body = PriorityPage), (status = 422, body = ErrorBody)))]
async fn priority(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiQuery(q): ApiQuery<PriorityQuery>,
) -> Result<Json<PriorityPage>, ApiError> {
    Ok(Json(app.priority_list(&actor, &q, Date::today()).await?))
}

/// Sets a tree's priority weights (the top unit's code); by someone over the whole tree.
#[utoipa::path(put, path = "/api/v1/trees/{code}/priority-weights", tag = "workplaces", request_body = Weights,
    params(("code" = String, Path, description = "The code of the tree's top unit")),
    responses((status = 200, body = Weights), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_weights(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(code): Path<String>,
    ApiJson(w): ApiJson<Weights>,
) -> Result<Json<Weights>, ApiError> {
    Ok(Json(app.set_priority_weights(&actor, &code, w).await?))
}

/// Assigns the organizer who follows a workplace and the next follow-up date.
#[utoipa::path(put, path = "/api/v1/workplaces/{code}/assignment", tag = "workplaces", request_body = Assignment,
    params(("code" = String, Path, description = "Workplace code")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn assign(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(code): Path<String>,
    ApiJson(a): ApiJson<Assignment>,
) -> Result<StatusCode, ApiError> {
    app.assign_workplace(&actor, &code, a).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The workers known at a workplace with their latest assessment, the committee, and
/// the wall chart's counts.
#[utoipa::path(get, path = "/api/v1/workplaces/{code}/organizing", tag = "workplaces",
    params(("code" = String, Path, description = "Workplace code")),
    responses((status = 200, body = Organizing), (status = 404, body = ErrorBody)))]
async fn organizing(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(code): Path<String>,
) -> Result<Json<Organizing>, ApiError> {
    Ok(Json(app.organizing(&actor, &code).await?))
}

/// Records a worker at the workplace: a registered person, or a new non-member by name.
#[utoipa::path(post, path = "/api/v1/workplaces/{code}/workers", tag = "workplaces", request_body = NewWorker,
    params(("code" = String, Path, description = "Workplace code")),
    responses((status = 201, body = Created), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_worker(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(code): Path<String>,
    ApiJson(w): ApiJson<NewWorker>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = app.add_worker(&actor, &code, w).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Records an assessment of a worker's support, 1 (leads others) to 5 (opposed).
#[utoipa::path(post, path = "/api/v1/workplaces/{code}/assessments", tag = "workplaces", request_body = NewAssessment,
    params(("code" = String, Path, description = "Workplace code")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn assess(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(code): Path<String>,
    ApiJson(a): ApiJson<NewAssessment>,
) -> Result<StatusCode, ApiError> {
    app.assess(&actor, &code, a).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A worker's assessments at the workplace, latest first.
#[utoipa::path(get, path = "/api/v1/workplaces/{code}/workers/{id}/assessments", tag = "workplaces",
    params(("code" = String, Path, description = "Workplace code"), ("id" = i64, Path, description = "Person id")),
    responses((status = 200, body = AssessmentList), (status = 404, body = ErrorBody)))]
async fn assessments(
    State(app): State<App>,
    Caller(actor): Caller,
    Path((code, id)): Path<(String, String)>,
) -> Result<Json<AssessmentList>, ApiError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound("member"))?;
    Ok(Json(AssessmentList {
        items: app.assessments(&actor, &code, id).await?,
    }))
}

/// Gives a worker a seat on the organizing committee (or, without a role, takes it).
#[utoipa::path(put, path = "/api/v1/workplaces/{code}/committee", tag = "workplaces", request_body = CommitteeSeat,
    params(("code" = String, Path, description = "Workplace code")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn committee(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(code): Path<String>,
    ApiJson(s): ApiJson<CommitteeSeat>,
) -> Result<StatusCode, ApiError> {
    app.set_committee_seat(&actor, &code, s).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Records the headcount on a date; the latest dated one is the workplace's.
#[utoipa::path(post, path = "/api/v1/workplaces/{code}/headcounts", tag = "workplaces", request_body = NewHeadcount,
    params(("code" = String, Path, description = "Workplace code")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn headcount(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(code): Path<String>,
    ApiJson(h): ApiJson<NewHeadcount>,
) -> Result<StatusCode, ApiError> {
    app.add_headcount(&actor, &code, h).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Founds the workplace's union: a grassroots unit under the workplace's unit, covering
/// it, with the chosen workers as members; counted by drives as a new grassroots unit.
#[utoipa::path(post, path = "/api/v1/workplaces/{code}/found-union", tag = "workplaces", request_body = FoundUnion,
    params(("code" = String, Path, description = "Workplace code")),
    responses((status = 201, body = Founded), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn found_union(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(code): Path<String>,
    ApiJson(f): ApiJson<FoundUnion>,
) -> Result<(StatusCode, Json<Founded>), ApiError> {
    let unit_code = app.found_union(&actor, &code, f).await?;
    Ok((StatusCode::CREATED, Json(Founded { unit_code })))
}
