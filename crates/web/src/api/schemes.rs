//! Benefit schemes: their eligibility rules, the worklist of those eligible and not
//! enrolled, figures per subtree; enrollments and members' milestones.

use super::extract::{ApiJson, ApiQuery, Caller};
use crate::error::ErrorBody;
use crate::ApiError;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use muster_app::schemes::{
    EnrollmentFile, EnrollmentImport, EnrollmentInput, EnrollmentView, MilestoneInput,
    MilestoneQuery, MilestoneView, SchemeInput, SchemeRollup, SchemeView, SubtreeQuery,
    WorklistItem,
};
use muster_app::App;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_schemes, create_scheme))
        .routes(routes!(get_scheme, update_scheme))
        .routes(routes!(worklist))
        .routes(routes!(rollup))
        .routes(routes!(list_enrollments, enroll))
        .routes(routes!(import_enrollments))
        .routes(routes!(list_milestones, add_milestone))
        // An enrollment file of a scheme's whole list is megabytes.
        .layer(axum::extract::DefaultBodyLimit::max(
            crate::pages::MAX_UPLOAD,
        ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SchemeList {
    pub items: Vec<SchemeView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Worklist {
    pub items: Vec<WorklistItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EnrollmentList {
    pub items: Vec<EnrollmentView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MilestoneList {
    pub items: Vec<MilestoneView>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PersonParams {
    /// A member of the caller's subtree.
    pub person_id: Option<i64>,
}

/// The schemes of the caller's tree.
#[utoipa::path(get, path = "/api/v1/schemes", tag = "schemes",
    responses((status = 200, body = SchemeList)))]
async fn list_schemes(
    State(app): State<App>,
    Caller(actor): Caller,
) -> Result<Json<SchemeList>, ApiError> {
    Ok(Json(SchemeList {
        items: app.schemes(&actor).await?,
    }))
}

/// Adds a scheme with its rule, checked line by line: by the tree's top officer.
#[utoipa::path(post, path = "/api/v1/schemes", tag = "schemes", request_body = SchemeInput,
    responses((status = 201, body = SchemeView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_scheme(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiJson(input): ApiJson<SchemeInput>,
) -> Result<(StatusCode, Json<SchemeView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(app.save_scheme(&actor, None, input).await?),
    ))
}

/// One scheme of the caller's tree.
#[utoipa::path(get, path = "/api/v1/schemes/{code}", tag = "schemes",
    params(("code" = String, Path, description = "Scheme code"), SubtreeQuery),
    responses((status = 200, body = SchemeView), (status = 404, body = ErrorBody)))]
async fn get_scheme(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery<SubtreeQuery>,
) -> Result<Json<SchemeView>, ApiError> {
    Ok(Json(app.scheme(&actor, &code, q.unit.as_deref()).await?))
}

/// Changes a scheme (its rule too): by the tree's top officer.
#[utoipa::path(put, path = "/api/v1/schemes/{code}", tag = "schemes", request_body = SchemeInput,
    params(("code" = String, Path, description = "Scheme code")),
    responses((status = 200, body = SchemeView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_scheme(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(code): Path<String>,
    ApiJson(input): ApiJson<SchemeInput>,
) -> Result<Json<SchemeView>, ApiError> {
    Ok(Json(app.save_scheme(&actor, Some(&code), input).await?))
}

/// Members of a subtree the rule admits today and not enrolled, applied or turned
/// down: by unit, then workplace or area, then name.
#[utoipa::path(get, path = "/api/v1/schemes/{code}/worklist", tag = "schemes",
    params(("code" = String, Path, description = "Scheme code"), SubtreeQuery),
    responses((status = 200, body = Worklist), (status = 404, body = ErrorBody)))]
async fn worklist(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery<SubtreeQuery>,
) -> Result<Json<Worklist>, ApiError> {
    Ok(Json(Worklist {
        items: app.scheme_worklist(&actor, &code, &q).await?,
    }))
}

/// A scheme's figures for a subtree and each unit right below it.
#[utoipa::path(get, path = "/api/v1/schemes/{code}/rollup", tag = "schemes",
    params(("code" = String, Path, description = "Scheme code"), SubtreeQuery),
    responses((status = 200, body = SchemeRollup), (status = 404, body = ErrorBody)))]
async fn rollup(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery<SubtreeQuery>,
) -> Result<Json<SchemeRollup>, ApiError> {
    Ok(Json(app.scheme_rollup(&actor, &code, &q).await?))
}

/// Where a member stands with each scheme.
#[utoipa::path(get, path = "/api/v1/enrollments", tag = "schemes", params(PersonParams),
    responses((status = 200, body = EnrollmentList), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list_enrollments(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiQuery(q): ApiQuery<PersonParams>,
) -> Result<Json<EnrollmentList>, ApiError> {
    let person = q
        .person_id
        .ok_or(muster_app::AppError::field("person_id", "required"))?;
    Ok(Json(EnrollmentList {
        items: app.enrollments_of(&actor, person).await?,
    }))
}

/// Records where a member stands with a scheme; someone the rule does not admit only
/// with a `reason`, and marked.
#[utoipa::path(post, path = "/api/v1/enrollments", tag = "schemes", request_body = EnrollmentInput,
    responses((status = 200, body = EnrollmentView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn enroll(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiJson(input): ApiJson<EnrollmentInput>,
) -> Result<Json<EnrollmentView>, ApiError> {
    Ok(Json(app.enroll(&actor, input).await?))
}

/// Milestones of a subtree, of one member or of one kind, latest first.
#[utoipa::path(get, path = "/api/v1/milestones", tag = "schemes", params(MilestoneQuery),
    responses((status = 200, body = MilestoneList), (status = 404, body = ErrorBody)))]
async fn list_milestones(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiQuery(q): ApiQuery<MilestoneQuery>,
) -> Result<Json<MilestoneList>, ApiError> {
    Ok(Json(MilestoneList {
        items: app.milestones(&actor, &q).await?,
    }))
}

/// Records a milestone of a member (referred to the Party, elected to a committee,
/// cadre training completed).
#[utoipa::path(post, path = "/api/v1/milestones", tag = "schemes", request_body = MilestoneInput,
    responses((status = 201, body = MilestoneView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_milestone(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiJson(input): ApiJson<MilestoneInput>,
) -> Result<(StatusCode, Json<MilestoneView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(app.add_milestone(&actor, input).await?),
    ))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EnrollmentImportParams {
    /// The scheme's code.
    pub scheme: String,
    /// A unit code of the scheme's tree; the caller's own unit when not given.
    pub unit: Option<String>,
    /// Check and report only.
    #[serde(default)]
    pub dry_run: bool,
    /// `gregorian` (default), `persian` or `indian`: the calendar of the file's dates.
    pub calendar: Option<String>,
    /// `ymd` (default), `dmy` or `mdy`: the order of dates whose year is not first.
    pub date_order: Option<String>,
}

/// Updates where members stand with a scheme from the CSV or XLSX file sent as the
/// body. Columns by header: `external_id` or `member_number` (the member),
/// `status`, and optionally `scheme_number`, `on_day` and `reason` (needed for someone
/// the rule does not admit). Every row is checked first; refused rows are reported by
/// row, column and reason, and the good rows load. A row that repeats what is recorded
/// changes nothing.
#[utoipa::path(post, path = "/api/v1/enrollments/import", tag = "schemes",
    params(EnrollmentImportParams),
    request_body(content = Vec<u8>, content_type = "text/csv"),
    responses((status = 200, body = EnrollmentImport), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn import_enrollments(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiQuery(p): ApiQuery<EnrollmentImportParams>,
    body: Bytes,
) -> Result<Json<EnrollmentImport>, ApiError> {
    let o = super::bulk::options(p.calendar.as_deref(), p.date_order.as_deref(), p.dry_run)?;
    let file = EnrollmentFile {
        calendar: o.calendar,
        date_order: o.date_order,
        dry_run: p.dry_run,
        aliases: crate::i18n::enrollment_aliases().to_vec(),
    };
    Ok(Json(
        app.import_enrollments(&actor, &p.scheme, p.unit.as_deref(), body.to_vec(), &file)
            .await?,
    ))
}
