//! Courses and cadre camps: sessions, trainees, attendance, assessment, certificates
//! anyone can check, the cadre register, figures per subtree.

use super::extract::{path_id, ApiJson, ApiQuery, Caller};
use crate::error::ErrorBody;
use crate::ApiError;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use muster_app::courses::{
    AssessmentInput, AttendanceInput, CourseCertificate, CourseFigures, CourseInput, CourseQuery,
    CourseView, SessionInput, TrainedView, TraineeInput,
};
use muster_app::{App, AppError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_courses, create_course))
        .routes(routes!(figures))
        .routes(routes!(cadres))
        .routes(routes!(taken))
        .routes(routes!(get_course))
        .routes(routes!(add_session))
        .routes(routes!(add_trainee))
        .routes(routes!(attendance))
        .routes(routes!(assess))
        .routes(routes!(certify))
        .routes(routes!(verify))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CourseList {
    pub items: Vec<CourseView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrainedList {
    pub items: Vec<TrainedView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CourseFigureList {
    pub rows: Vec<CourseFigures>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TakenParams {
    /// A member of the caller's subtree.
    pub person_id: Option<i64>,
}

/// Courses held in the caller's subtree or above it, latest first.
#[utoipa::path(get, path = "/api/v1/courses", tag = "schemes", params(CourseQuery),
    responses((status = 200, body = CourseList)))]
async fn list_courses(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiQuery(q): ApiQuery<CourseQuery>,
) -> Result<Json<CourseList>, ApiError> {
    Ok(Json(CourseList {
        items: app.courses(&actor, &q).await?,
    }))
}

/// Declares a skills course or a cadre camp held by a unit of the caller's subtree.
#[utoipa::path(post, path = "/api/v1/courses", tag = "schemes", request_body = CourseInput,
    responses((status = 201, body = CourseView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_course(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiJson(input): ApiJson<CourseInput>,
) -> Result<(StatusCode, Json<CourseView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(app.create_course(&actor, input).await?),
    ))
}

/// Courses held, people trained and certified, for a subtree and each unit below it.
#[utoipa::path(get, path = "/api/v1/courses/figures", tag = "schemes", params(CourseQuery),
    responses((status = 200, body = CourseFigureList), (status = 404, body = ErrorBody)))]
async fn figures(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiQuery(q): ApiQuery<CourseQuery>,
) -> Result<Json<CourseFigureList>, ApiError> {
    Ok(Json(CourseFigureList {
        rows: app.course_figures(&actor, &q).await?,
    }))
}

/// The cadre register: who completed which leadership training, in a subtree.
#[utoipa::path(get, path = "/api/v1/courses/cadres", tag = "schemes", params(CourseQuery),
    responses((status = 200, body = TrainedList), (status = 404, body = ErrorBody)))]
async fn cadres(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiQuery(q): ApiQuery<CourseQuery>,
) -> Result<Json<TrainedList>, ApiError> {
    Ok(Json(TrainedList {
        items: app.cadre_register(&actor, &q).await?,
    }))
}

/// The courses a member took.
#[utoipa::path(get, path = "/api/v1/courses/taken", tag = "schemes", params(TakenParams),
    responses((status = 200, body = TrainedList), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn taken(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiQuery(q): ApiQuery<TakenParams>,
) -> Result<Json<TrainedList>, ApiError> {
    let person = q
        .person_id
        .ok_or(AppError::field("person_id", "required"))?;
    Ok(Json(TrainedList {
        items: app.courses_of(&actor, person).await?,
    }))
}

/// A course with its sessions and the trainees of the caller's subtree.
#[utoipa::path(get, path = "/api/v1/courses/{id}", tag = "schemes",
    params(("id" = i64, Path, description = "Course id")),
    responses((status = 200, body = CourseView), (status = 404, body = ErrorBody)))]
async fn get_course(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Json<CourseView>, ApiError> {
    let id = path_id(&id, "course")?;
    Ok(Json(app.course(&actor, id).await?))
}

/// Adds a session on one of the course's days.
#[utoipa::path(post, path = "/api/v1/courses/{id}/sessions", tag = "schemes", request_body = SessionInput,
    params(("id" = i64, Path, description = "Course id")),
    responses((status = 200, body = CourseView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_session(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<SessionInput>,
) -> Result<Json<CourseView>, ApiError> {
    let id = path_id(&id, "course")?;
    Ok(Json(app.add_course_session(&actor, id, input).await?))
}

/// Enrolls a member of the caller's subtree.
#[utoipa::path(post, path = "/api/v1/courses/{id}/trainees", tag = "schemes", request_body = TraineeInput,
    params(("id" = i64, Path, description = "Course id")),
    responses((status = 200, body = CourseView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_trainee(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<TraineeInput>,
) -> Result<Json<CourseView>, ApiError> {
    let id = path_id(&id, "course")?;
    Ok(Json(app.add_trainee(&actor, id, input).await?))
}

/// Who came to a session, among the caller's trainees.
#[utoipa::path(put, path = "/api/v1/courses/{id}/sessions/{session}/attendance", tag = "schemes", request_body = AttendanceInput,
    params(("id" = i64, Path, description = "Course id"), ("session" = i64, Path, description = "Session id")),
    responses((status = 200, body = CourseView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn attendance(
    State(app): State<App>,
    Caller(actor): Caller,
    Path((id, session)): Path<(String, String)>,
    ApiJson(input): ApiJson<AttendanceInput>,
) -> Result<Json<CourseView>, ApiError> {
    let id = path_id(&id, "course")?;
    let session = path_id(&session, "session")?;
    Ok(Json(
        app.record_course_attendance(&actor, id, session, input)
            .await?,
    ))
}

/// A trainee's assessment: `passed` or `failed`.
#[utoipa::path(put, path = "/api/v1/courses/{id}/trainees/{trainee}/assessment", tag = "schemes", request_body = AssessmentInput,
    params(("id" = i64, Path, description = "Course id"), ("trainee" = i64, Path, description = "Trainee id")),
    responses((status = 200, body = CourseView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn assess(
    State(app): State<App>,
    Caller(actor): Caller,
    Path((id, trainee)): Path<(String, String)>,
    ApiJson(input): ApiJson<AssessmentInput>,
) -> Result<Json<CourseView>, ApiError> {
    let id = path_id(&id, "course")?;
    let trainee = path_id(&trainee, "trainee")?;
    Ok(Json(app.assess_trainee(&actor, id, trainee, input).await?))
}

/// A certificate for a trainee who completed the course; refused for one who did not.
#[utoipa::path(post, path = "/api/v1/courses/{id}/trainees/{trainee}/certificate", tag = "schemes",
    params(("id" = i64, Path, description = "Course id"), ("trainee" = i64, Path, description = "Trainee id")),
    responses((status = 200, body = CourseView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn certify(
    State(app): State<App>,
    Caller(actor): Caller,
    Path((id, trainee)): Path<(String, String)>,
) -> Result<Json<CourseView>, ApiError> {
    let id = path_id(&id, "course")?;
    let trainee = path_id(&trainee, "trainee")?;
    Ok(Json(app.certify_trainee(&actor, id, trainee).await?))
}

/// What a course certificate's code confirms; anyone holding the code may ask.
#[utoipa::path(get, path = "/api/v1/courses/verify/{code}", tag = "schemes", security(()),
    params(("code" = String, Path, description = "The certificate's code")),
    responses((status = 200, body = CourseCertificate), (status = 404, body = ErrorBody)))]
async fn verify(
    State(app): State<App>,
    Path(code): Path<String>,
) -> Result<Json<CourseCertificate>, ApiError> {
    if code.len() > 64 {
        return Err(AppError::NotFound("certificate").into());
    }
    Ok(Json(app.verify_course_certificate(&code).await?))
}
