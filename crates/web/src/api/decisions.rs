//! Decisions and the action items they send down the tree.

use super::extract::{path_id, ApiJson, ApiQuery, Caller};
use crate::error::ErrorBody;
use crate::ApiError;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use muster_app::decisions::{
    ActionQuery, ActionView, DecisionInput, DecisionQuery, DecisionView, ProgressInput, SplitInput,
};
use muster_app::App;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_decisions, record_decision))
        .routes(routes!(get_decision))
        .routes(routes!(list_actions))
        .routes(routes!(overdue_actions))
        .routes(routes!(get_action))
        .routes(routes!(split_action))
        .routes(routes!(record_progress))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionList {
    pub items: Vec<DecisionView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActionList {
    pub items: Vec<ActionView>,
}

/// Decisions of the caller's subtree, newest first: of one meeting, or holding words.
#[utoipa::path(get, path = "/api/v1/decisions", tag = "governance", params(DecisionQuery),
    responses((status = 200, body = DecisionList)))]
async fn list_decisions(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiQuery(q): ApiQuery<DecisionQuery>,
) -> Result<Json<DecisionList>, ApiError> {
    Ok(Json(DecisionList {
        items: app.list_decisions(&actor, &q).await?,
    }))
}

/// Records a decision under an agenda item, with the action items it sends down.
#[utoipa::path(post, path = "/api/v1/decisions", tag = "governance", request_body = DecisionInput,
    responses((status = 201, body = DecisionView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn record_decision(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiJson(input): ApiJson<DecisionInput>,
) -> Result<(StatusCode, Json<DecisionView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(app.record_decision(&actor, input).await?),
    ))
}

/// A decision and what it caused: its action items at every level, each with the share
/// its units below have done.
#[utoipa::path(get, path = "/api/v1/decisions/{id}", tag = "governance",
    params(("id" = i64, Path, description = "Decision id")),
    responses((status = 200, body = DecisionView), (status = 404, body = ErrorBody)))]
async fn get_decision(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Json<DecisionView>, ApiError> {
    Ok(Json(app.decision(&actor, path_id(&id, "decision")?).await?))
}

/// Action items held by the units of the caller's subtree (or of `unit`'s), by due date.
#[utoipa::path(get, path = "/api/v1/action-items", tag = "governance", params(ActionQuery),
    responses((status = 200, body = ActionList)))]
async fn list_actions(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiQuery(q): ApiQuery<ActionQuery>,
) -> Result<Json<ActionList>, ApiError> {
    Ok(Json(ActionList {
        items: app.list_action_items(&actor, &q, false).await?,
    }))
}

/// Pending items past their due date (on `as_of`, today by default), oldest first, with
/// who holds them.
#[utoipa::path(get, path = "/api/v1/action-items/overdue", tag = "governance", params(ActionQuery),
    responses((status = 200, body = ActionList)))]
async fn overdue_actions(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiQuery(q): ApiQuery<ActionQuery>,
) -> Result<Json<ActionList>, ApiError> {
    Ok(Json(ActionList {
        items: app.list_action_items(&actor, &q, true).await?,
    }))
}

#[utoipa::path(get, path = "/api/v1/action-items/{id}", tag = "governance",
    params(("id" = i64, Path, description = "Action item id")),
    responses((status = 200, body = ActionView), (status = 404, body = ErrorBody)))]
async fn get_action(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Json<ActionView>, ApiError> {
    Ok(Json(
        app.action_item(&actor, path_id(&id, "action item")?)
            .await?,
    ))
}

/// Splits an item into items for the holding unit's units below.
#[utoipa::path(post, path = "/api/v1/action-items/{id}/split", tag = "governance", request_body = SplitInput,
    params(("id" = i64, Path, description = "Action item id")),
    responses((status = 200, body = ActionView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn split_action(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<SplitInput>,
) -> Result<Json<ActionView>, ApiError> {
    Ok(Json(
        app.split_action(&actor, path_id(&id, "action item")?, input)
            .await?,
    ))
}

/// Records an item's progress: its status and a note.
#[utoipa::path(post, path = "/api/v1/action-items/{id}/progress", tag = "governance", request_body = ProgressInput,
    params(("id" = i64, Path, description = "Action item id")),
    responses((status = 200, body = ActionView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn record_progress(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ProgressInput>,
) -> Result<Json<ActionView>, ApiError> {
    Ok(Json(
        app.record_progress(&actor, path_id(&id, "action item")?, input)
            .await?,
    ))
}
