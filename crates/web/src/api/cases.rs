//! Cases: the case types, opening a case at a desk, what was done on it, where it
//! stands, referring it up; notes only for those who may read them.

use super::extract::{path_id, ApiJson, ApiQuery, Caller};
use crate::error::ErrorBody;
use crate::ApiError;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use muster_app::cases::{
    ActivityInput, CaseInput, CaseQuery, CaseRollup, CaseTypeInput, CaseTypeView, CaseView,
    DocumentView, ReferInput, RegisterInput, RollupQuery, StatusInput,
};
use muster_app::App;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_types, create_type))
        .routes(routes!(list_cases, open_case))
        .routes(routes!(case_rollup))
        .routes(routes!(get_case))
        .routes(routes!(add_activity))
        .routes(routes!(set_status))
        .routes(routes!(refer))
        .routes(routes!(register_person))
        .routes(routes!(attach))
        .routes(routes!(download))
        .layer(axum::extract::DefaultBodyLimit::max(
            muster_app::cases::MAX_DOCUMENT_BYTES * 4,
        ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseTypeList {
    pub items: Vec<CaseTypeView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseList {
    pub items: Vec<CaseView>,
}

/// The case types of the caller's tree: those every tree has, then its own.
#[utoipa::path(get, path = "/api/v1/case-types", tag = "cases",
    responses((status = 200, body = CaseTypeList)))]
async fn list_types(
    State(app): State<App>,
    Caller(actor): Caller,
) -> Result<Json<CaseTypeList>, ApiError> {
    Ok(Json(CaseTypeList {
        items: app.case_types(&actor).await?,
    }))
}

/// Adds a case type to a tree: by someone whose scope is the whole tree.
#[utoipa::path(post, path = "/api/v1/case-types", tag = "cases", request_body = CaseTypeInput,
    responses((status = 201, body = CaseTypeView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_type(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiJson(input): ApiJson<CaseTypeInput>,
) -> Result<(StatusCode, Json<CaseTypeView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(app.create_case_type(&actor, input).await?),
    ))
}

/// Cases of the caller's subtree, nearest deadline first: the caller's own
/// (`mine=true`), a desk's queue (`desk=CODE`), or all that are not done.
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", params(CaseQuery),
    responses((status = 200, body = CaseList)))]
async fn list_cases(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiQuery(q): ApiQuery<CaseQuery>,
) -> Result<Json<CaseList>, ApiError> {
    Ok(Json(CaseList {
        items: app.list_cases(&actor, &q).await?,
    }))
}

/// Opens a case at a unit's desk.
#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", request_body = CaseInput,
    responses((status = 201, body = CaseView), (status = 422, body = ErrorBody)))]
async fn open_case(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiJson(input): ApiJson<CaseInput>,
) -> Result<(StatusCode, Json<CaseView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(app.open_case(&actor, input).await?),
    ))
}

/// A case with what was done on it; the notes only for case workers, officers and its
/// assignee.
#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases",
    params(("id" = i64, Path, description = "Case id")),
    responses((status = 200, body = CaseView), (status = 404, body = ErrorBody)))]
async fn get_case(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Json<CaseView>, ApiError> {
    let id = path_id(&id, "case")?;
    Ok(Json(app.case(&actor, id).await?))
}

/// Records what was done; a reply ends the step, the next one's deadline counts from it.
#[utoipa::path(post, path = "/api/v1/cases/{id}/activities", tag = "cases", request_body = ActivityInput,
    params(("id" = i64, Path, description = "Case id")),
    responses((status = 200, body = CaseView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_activity(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ActivityInput>,
) -> Result<Json<CaseView>, ApiError> {
    let id = path_id(&id, "case")?;
    Ok(Json(app.record_case_activity(&actor, id, input).await?))
}

/// Changes where a case stands; resolving or closing needs an outcome.
#[utoipa::path(put, path = "/api/v1/cases/{id}/status", tag = "cases", request_body = StatusInput,
    params(("id" = i64, Path, description = "Case id")),
    responses((status = 200, body = CaseView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_status(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<StatusInput>,
) -> Result<Json<CaseView>, ApiError> {
    let id = path_id(&id, "case")?;
    Ok(Json(app.set_case_status(&actor, id, input).await?))
}

/// Refers a case to the desk of a unit above; the desk below keeps sight of it.
#[utoipa::path(post, path = "/api/v1/cases/{id}/referral", tag = "cases", request_body = ReferInput,
    params(("id" = i64, Path, description = "Case id")),
    responses((status = 200, body = CaseView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn refer(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ReferInput>,
) -> Result<Json<CaseView>, ApiError> {
    let id = path_id(&id, "case")?;
    Ok(Json(app.refer_case(&actor, id, input).await?))
}

/// Registers the person of a case opened for someone outside the registry as a member,
/// with the duplicate check (409 with the likely duplicates unless `allow_duplicate`),
/// and makes the case theirs.
#[utoipa::path(post, path = "/api/v1/cases/{id}/registration", tag = "cases", request_body = RegisterInput,
    params(("id" = i64, Path, description = "Case id")),
    responses((status = 200, body = CaseView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn register_person(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<RegisterInput>,
) -> Result<Json<CaseView>, ApiError> {
    let id = path_id(&id, "case")?;
    Ok(Json(app.register_case_person(&actor, id, input).await?))
}

/// Cases of a unit's subtree and of each unit right below it: opened, resolved and open
/// by type, average days to resolve, the open ones by status and by age.
#[utoipa::path(get, path = "/api/v1/cases/rollup", tag = "cases", params(RollupQuery),
    responses((status = 200, body = CaseRollup), (status = 404, body = ErrorBody)))]
async fn case_rollup(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiQuery(q): ApiQuery<RollupQuery>,
) -> Result<Json<CaseRollup>, ApiError> {
    Ok(Json(app.case_rollup(&actor, &q).await?))
}

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DocumentParams {
    /// The file's name as it should be shown.
    pub name: Option<String>,
}

/// Attaches a document (the request's body: PDF, PNG, JPEG, WebP or plain text, at most
/// 5 MB) to a case the caller's desk keeps.
#[utoipa::path(post, path = "/api/v1/cases/{id}/documents", tag = "cases", params(("id" = i64, Path, description = "Case id"), DocumentParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = DocumentView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn attach(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<DocumentParams>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<DocumentView>), ApiError> {
    let id = path_id(&id, "case")?;
    let name = p.name.unwrap_or_else(|| "document".into());
    Ok((
        StatusCode::CREATED,
        Json(app.attach_case_document(&actor, id, &name, &body).await?),
    ))
}

/// A case's document, for those who may read the case's notes only.
#[utoipa::path(get, path = "/api/v1/cases/{id}/documents/{document}", tag = "cases",
    params(("id" = i64, Path, description = "Case id"), ("document" = i64, Path, description = "Document id")),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn download(
    State(app): State<App>,
    Caller(actor): Caller,
    Path((id, document)): Path<(String, String)>,
) -> Result<axum::response::Response, ApiError> {
    let id = path_id(&id, "case")?;
    let document = path_id(&document, "document")?;
    let f = app.case_document(&actor, id, document).await?;
    Ok(crate::pages::document_response(&f))
}
