//! Aid: a tree's currency and limits, units' budgets, requests from desk to decision to
//! payment with a receipt, and the roll-up against budgets.

use super::extract::{path_id, ApiJson, ApiQuery, Caller};
use crate::error::ErrorBody;
use crate::ApiError;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use muster_app::aid::{
    AidInput, AidQuery, AidRollup, AidRollupQuery, AidSettingsInput, AidSettingsView, AidView,
    ApproveInput, BudgetInput, BudgetQuery, BudgetView, PayInput, ReasonInput, ReceiptView,
};
use muster_app::App;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(get_settings, put_settings))
        .routes(routes!(list_budgets, set_budget))
        .routes(routes!(list_aid, request_aid))
        .routes(routes!(aid_rollup))
        .routes(routes!(get_aid))
        .routes(routes!(approve))
        .routes(routes!(reject))
        .routes(routes!(cancel))
        .routes(routes!(pay))
        .routes(routes!(receipt))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AidList {
    pub items: Vec<AidView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetList {
    pub items: Vec<BudgetView>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TreeParams {
    /// The tree's root; the caller's tree when not given.
    pub tree_code: Option<String>,
}

/// The tree's currency and what each level's officers approve on one request.
#[utoipa::path(get, path = "/api/v1/aid/settings", tag = "aid", params(TreeParams),
    responses((status = 200, body = AidSettingsView), (status = 404, body = ErrorBody)))]
async fn get_settings(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiQuery(q): ApiQuery<TreeParams>,
) -> Result<Json<AidSettingsView>, ApiError> {
    Ok(Json(
        app.aid_settings(&actor, q.tree_code.as_deref()).await?,
    ))
}

/// Sets the tree's currency and its levels' limits: by the tree's top officer.
#[utoipa::path(put, path = "/api/v1/aid/settings", tag = "aid", request_body = AidSettingsInput,
    responses((status = 200, body = AidSettingsView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_settings(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiJson(input): ApiJson<AidSettingsInput>,
) -> Result<Json<AidSettingsView>, ApiError> {
    Ok(Json(app.set_aid_settings(&actor, input).await?))
}

/// Budgets of the caller's subtree, latest first, with what approvals committed and
/// what was paid.
#[utoipa::path(get, path = "/api/v1/budgets", tag = "aid", params(BudgetQuery),
    responses((status = 200, body = BudgetList)))]
async fn list_budgets(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiQuery(q): ApiQuery<BudgetQuery>,
) -> Result<Json<BudgetList>, ApiError> {
    Ok(Json(BudgetList {
        items: app.budgets(&actor, &q).await?,
    }))
}

/// Sets a unit's budget for a year (by its label: a new one, or a change to it).
#[utoipa::path(post, path = "/api/v1/budgets", tag = "aid", request_body = BudgetInput,
    responses((status = 200, body = BudgetView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_budget(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiJson(input): ApiJson<BudgetInput>,
) -> Result<Json<BudgetView>, ApiError> {
    Ok(Json(app.set_budget(&actor, input).await?))
}

/// Requests of the caller's subtree, latest first: those waiting on the caller's unit
/// (`waiting=true`), a case's (`case_id`), or all; the purpose for case workers and
/// officers only.
#[utoipa::path(get, path = "/api/v1/aid", tag = "aid", params(AidQuery),
    responses((status = 200, body = AidList)))]
async fn list_aid(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiQuery(q): ApiQuery<AidQuery>,
) -> Result<Json<AidList>, ApiError> {
    Ok(Json(AidList {
        items: app.list_aid(&actor, &q).await?,
    }))
}

/// Asks for aid at a desk; it waits on the nearest unit whose limit covers it.
#[utoipa::path(post, path = "/api/v1/aid", tag = "aid", request_body = AidInput,
    responses((status = 201, body = AidView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn request_aid(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiJson(input): ApiJson<AidInput>,
) -> Result<(StatusCode, Json<AidView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(app.request_aid(&actor, input).await?),
    ))
}

/// Aid of a unit's subtree and each unit right below it over a period: asked, approved
/// and paid against budgets.
#[utoipa::path(get, path = "/api/v1/aid/rollup", tag = "aid", params(AidRollupQuery),
    responses((status = 200, body = AidRollup), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn aid_rollup(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiQuery(q): ApiQuery<AidRollupQuery>,
) -> Result<Json<AidRollup>, ApiError> {
    Ok(Json(app.aid_rollup(&actor, &q).await?))
}

/// A request with what was paid on it.
#[utoipa::path(get, path = "/api/v1/aid/{id}", tag = "aid",
    params(("id" = i64, Path, description = "Request id")),
    responses((status = 200, body = AidView), (status = 404, body = ErrorBody)))]
async fn get_aid(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Json<AidView>, ApiError> {
    let id = path_id(&id, "aid_request")?;
    Ok(Json(app.aid(&actor, id).await?))
}

/// Approves a request within the limit of the caller's unit's level, drawing on its
/// budget; over the budget only with `override_reason`, which is audited.
#[utoipa::path(post, path = "/api/v1/aid/{id}/approval", tag = "aid", request_body = ApproveInput,
    params(("id" = i64, Path, description = "Request id")),
    responses((status = 200, body = AidView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn approve(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ApproveInput>,
) -> Result<Json<AidView>, ApiError> {
    let id = path_id(&id, "aid_request")?;
    Ok(Json(app.approve_aid(&actor, id, input).await?))
}

/// Turns a request down, with a reason.
#[utoipa::path(post, path = "/api/v1/aid/{id}/rejection", tag = "aid", request_body = ReasonInput,
    params(("id" = i64, Path, description = "Request id")),
    responses((status = 200, body = AidView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn reject(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ReasonInput>,
) -> Result<Json<AidView>, ApiError> {
    let id = path_id(&id, "aid_request")?;
    Ok(Json(app.reject_aid(&actor, id, input).await?))
}

/// Withdraws a request still waiting, with a reason.
#[utoipa::path(post, path = "/api/v1/aid/{id}/cancellation", tag = "aid", request_body = ReasonInput,
    params(("id" = i64, Path, description = "Request id")),
    responses((status = 200, body = AidView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn cancel(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ReasonInput>,
) -> Result<Json<AidView>, ApiError> {
    let id = path_id(&id, "aid_request")?;
    Ok(Json(app.cancel_aid(&actor, id, input).await?))
}

/// Pays out on an approved request, never above what was approved; the answer lists
/// the payment with its receipt's number.
#[utoipa::path(post, path = "/api/v1/aid/{id}/disbursements", tag = "aid", request_body = PayInput,
    params(("id" = i64, Path, description = "Request id")),
    responses((status = 201, body = AidView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn pay(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<PayInput>,
) -> Result<(StatusCode, Json<AidView>), ApiError> {
    let id = path_id(&id, "aid_request")?;
    Ok((
        StatusCode::CREATED,
        Json(app.pay_aid(&actor, id, input).await?),
    ))
}

/// What a payment's receipt says.
#[utoipa::path(get, path = "/api/v1/aid/{id}/receipts/{receipt}", tag = "aid",
    params(("id" = i64, Path, description = "Request id"), ("receipt" = String, Path, description = "Receipt number")),
    responses((status = 200, body = ReceiptView), (status = 404, body = ErrorBody)))]
async fn receipt(
    State(app): State<App>,
    Caller(actor): Caller,
    Path((id, receipt)): Path<(String, String)>,
) -> Result<Json<ReceiptView>, ApiError> {
    let id = path_id(&id, "aid_request")?;
    Ok(Json(app.aid_receipt(&actor, id, &receipt).await?))
}
