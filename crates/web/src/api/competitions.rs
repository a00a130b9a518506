//! Competitions and honors: competitions at each level with entries, results and
//! winners advancing; honor categories, calls with quotas, nominations approved up the
//! tree, awards and the public check of a certificate.

use super::extract::{path_id, ApiJson, ApiQuery, Caller};
use crate::error::ErrorBody;
use crate::ApiError;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use muster_app::competitions::{
    CompetitionInput, CompetitionQuery, CompetitionView, EntryInput, EntryView, ResultsInput,
};
use muster_app::honors::{
    AwardInput, CallInput, CallQuery, CallView, CategoryInput, CategoryView, Certificate,
    NominationInput, NominationView, QuotaInput, StepInput,
};
use muster_app::{App, AppError};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_competitions, create_competition))
        .routes(routes!(get_competition))
        .routes(routes!(enter))
        .routes(routes!(results))
        .routes(routes!(finish))
        .routes(routes!(list_categories, create_category))
        .routes(routes!(list_calls, create_call))
        .routes(routes!(get_call))
        .routes(routes!(set_quota))
        .routes(routes!(nominate))
        .routes(routes!(get_nomination))
        .routes(routes!(step))
        .routes(routes!(award))
        .routes(routes!(verify))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CompetitionList {
    pub items: Vec<CompetitionView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryList {
    pub items: Vec<CategoryView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CallList {
    pub items: Vec<CallView>,
}

/// Competitions of the caller's subtree and of the units above it (of one program).
#[utoipa::path(get, path = "/api/v1/competitions", tag = "competitions", params(CompetitionQuery),
    responses((status = 200, body = CompetitionList)))]
async fn list_competitions(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiQuery(q): ApiQuery<CompetitionQuery>,
) -> Result<Json<CompetitionList>, ApiError> {
    Ok(Json(CompetitionList {
        items: app.list_competitions(&actor, &q).await?,
    }))
}

/// Declares a competition of a unit of the caller's subtree.
#[utoipa::path(post, path = "/api/v1/competitions", tag = "competitions", request_body = CompetitionInput,
    responses((status = 201, body = CompetitionView), (status = 422, body = ErrorBody)))]
async fn create_competition(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiJson(input): ApiJson<CompetitionInput>,
) -> Result<(StatusCode, Json<CompetitionView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(app.create_competition(&actor, input).await?),
    ))
}

/// A competition with its entries ranked; names of people outside the caller's
/// subtree are left out.
#[utoipa::path(get, path = "/api/v1/competitions/{id}", tag = "competitions",
    params(("id" = i64, Path, description = "Competition id")),
    responses((status = 200, body = CompetitionView), (status = 404, body = ErrorBody)))]
async fn get_competition(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Json<CompetitionView>, ApiError> {
    let id = path_id(&id, "competition")?;
    Ok(Json(app.competition(&actor, id).await?))
}

/// Enters a person or a team for a unit of the caller's subtree.
#[utoipa::path(post, path = "/api/v1/competitions/{id}/entries", tag = "competitions", request_body = EntryInput,
    params(("id" = i64, Path, description = "Competition id")),
    responses((status = 201, body = EntryView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn enter(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<EntryInput>,
) -> Result<(StatusCode, Json<EntryView>), ApiError> {
    let id = path_id(&id, "competition")?;
    Ok((
        StatusCode::CREATED,
        Json(app.enter_competition(&actor, id, input).await?),
    ))
}

/// Records results (rank, score, medal) of entries; every line is checked first.
#[utoipa::path(put, path = "/api/v1/competitions/{id}/results", tag = "competitions", request_body = ResultsInput,
    params(("id" = i64, Path, description = "Competition id")),
    responses((status = 200, body = CompetitionView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn results(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ResultsInput>,
) -> Result<Json<CompetitionView>, ApiError> {
    let id = path_id(&id, "competition")?;
    Ok(Json(app.record_results(&actor, id, input).await?))
}

/// Finishes a competition; its winners are entered in the competition above.
#[utoipa::path(post, path = "/api/v1/competitions/{id}/finish", tag = "competitions",
    params(("id" = i64, Path, description = "Competition id")),
    responses((status = 200, body = CompetitionView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn finish(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Json<CompetitionView>, ApiError> {
    let id = path_id(&id, "competition")?;
    Ok(Json(app.finish_competition(&actor, id).await?))
}

/// The honor categories of the caller's tree.
#[utoipa::path(get, path = "/api/v1/honors/categories", tag = "competitions",
    responses((status = 200, body = CategoryList)))]
async fn list_categories(
    State(app): State<App>,
    Caller(actor): Caller,
) -> Result<Json<CategoryList>, ApiError> {
    Ok(Json(CategoryList {
        items: app.honor_categories(&actor).await?,
    }))
}

/// Adds an honor category to a tree: by someone whose scope is the whole tree.
#[utoipa::path(post, path = "/api/v1/honors/categories", tag = "competitions", request_body = CategoryInput,
    responses((status = 201, body = CategoryView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_category(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiJson(input): ApiJson<CategoryInput>,
) -> Result<(StatusCode, Json<CategoryView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(app.create_honor_category(&actor, input).await?),
    ))
}

/// Calls for nominations of the caller's subtree and of the units above it.
#[utoipa::path(get, path = "/api/v1/honors/calls", tag = "competitions", params(CallQuery),
    responses((status = 200, body = CallList)))]
async fn list_calls(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiQuery(q): ApiQuery<CallQuery>,
) -> Result<Json<CallList>, ApiError> {
    Ok(Json(CallList {
        items: app.list_honor_calls(&actor, &q).await?,
    }))
}

/// Calls for nominations of a category, with a quota for each unit that nominates.
#[utoipa::path(post, path = "/api/v1/honors/calls", tag = "competitions", request_body = CallInput,
    responses((status = 201, body = CallView), (status = 422, body = ErrorBody)))]
async fn create_call(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiJson(input): ApiJson<CallInput>,
) -> Result<(StatusCode, Json<CallView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(app.create_honor_call(&actor, input).await?),
    ))
}

/// A call with the nominations of the caller's subtree and each level's word.
#[utoipa::path(get, path = "/api/v1/honors/calls/{id}", tag = "competitions",
    params(("id" = i64, Path, description = "Call id")),
    responses((status = 200, body = CallView), (status = 404, body = ErrorBody)))]
async fn get_call(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Json<CallView>, ApiError> {
    let id = path_id(&id, "honor_call")?;
    Ok(Json(app.honor_call(&actor, id).await?))
}

/// Sets one unit's quota in a call.
#[utoipa::path(put, path = "/api/v1/honors/calls/{id}/quotas", tag = "competitions", request_body = QuotaInput,
    params(("id" = i64, Path, description = "Call id")),
    responses((status = 200, body = CallView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_quota(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<QuotaInput>,
) -> Result<Json<CallView>, ApiError> {
    let id = path_id(&id, "honor_call")?;
    Ok(Json(app.set_honor_quota(&actor, id, input).await?))
}

/// Nominates a member or someone outside the registry, within the unit's quota.
#[utoipa::path(post, path = "/api/v1/honors/calls/{id}/nominations", tag = "competitions", request_body = NominationInput,
    params(("id" = i64, Path, description = "Call id")),
    responses((status = 201, body = NominationView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn nominate(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<NominationInput>,
) -> Result<(StatusCode, Json<NominationView>), ApiError> {
    let id = path_id(&id, "honor_call")?;
    Ok((
        StatusCode::CREATED,
        Json(app.nominate(&actor, id, input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/honors/nominations/{id}", tag = "competitions",
    params(("id" = i64, Path, description = "Nomination id")),
    responses((status = 200, body = NominationView), (status = 404, body = ErrorBody)))]
async fn get_nomination(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Json<NominationView>, ApiError> {
    let id = path_id(&id, "nomination")?;
    Ok(Json(app.nomination(&actor, id).await?))
}

/// A level's word on a nomination: approve, reject (with a reason) or withdraw.
#[utoipa::path(post, path = "/api/v1/honors/nominations/{id}/steps", tag = "competitions", request_body = StepInput,
    params(("id" = i64, Path, description = "Nomination id")),
    responses((status = 200, body = NominationView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn step(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<StepInput>,
) -> Result<Json<NominationView>, ApiError> {
    let id = path_id(&id, "nomination")?;
    Ok(Json(app.decide_nomination(&actor, id, input).await?))
}

/// Awards an approved nomination, with a certificate code.
#[utoipa::path(post, path = "/api/v1/honors/nominations/{id}/award", tag = "competitions", request_body = AwardInput,
    params(("id" = i64, Path, description = "Nomination id")),
    responses((status = 200, body = NominationView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn award(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<AwardInput>,
) -> Result<Json<NominationView>, ApiError> {
    let id = path_id(&id, "nomination")?;
    Ok(Json(app.award_honor(&actor, id, input).await?))
}

/// What a certificate's code confirms; anyone holding the code may ask.
#[utoipa::path(get, path = "/api/v1/honors/verify/{code}", tag = "competitions", security(()),
    params(("code" = String, Path, description = "The certificate's code")),
    responses((status = 200, body = Certificate), (status = 404, body = ErrorBody)))]
async fn verify(
    State(app): State<App>,
    Path(code): Path<String>,
) -> Result<Json<Certificate>, ApiError> {
    if code.len() > 64 {
        return Err(AppError::NotFound("certificate").into());
    }
    Ok(Json(app.verify_certificate(&code).await?))
}
