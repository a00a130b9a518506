//! Extractors that answer bad requests in the API's own error shape.

use crate::ApiError;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use muster_app::{Actor, App, AppError, Fields};
use serde::de::DeserializeOwned;

/// The caller, from `Authorization: Bearer <token>`.
pub struct Caller(pub Actor);

impl FromRequestParts<App> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .ok_or(AppError::Unauthenticated)?;
        Ok(Caller(app.authenticate_token(token).await?))
    }
}

/// Turns serde's "missing field `x`" into a field error on `x`.
fn field_of(message: &str) -> Fields {
    let mut fields = Fields::new();
    for (marker, code) in [
        ("missing field `", "required"),
        ("invalid type", "invalid"),
        ("unknown variant", "invalid"),
    ] {
        if let Some(rest) = message.split(marker).nth(1) {
            if code == "required" {
                if let Some(name) = rest.split('`').next() {
                    fields.insert(name.into(), code.into());
                }
            }
        }
    }
    fields
}

pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(q) => Ok(ApiQuery(q.0)),
            Err(e @ QueryRejection::FailedToDeserializeQueryString(_)) => Err(
                ApiError::bad_request("bad_request", e.body_text(), Fields::new()),
            ),
            Err(e) => Err(ApiError::bad_request(
                "bad_request",
                e.body_text(),
                Fields::new(),
            )),
        }
    }
}

pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(j) => Ok(ApiJson(j.0)),
            Err(JsonRejection::JsonDataError(e)) => {
                let text = e.body_text();
                Err(ApiError::unprocessable(text.clone(), field_of(&text)))
            }
            Err(e) => Err(ApiError::bad_request(
                "bad_request",
                e.body_text(),
                Fields::new(),
            )),
        }
    }
}

/// A numeric id from a path segment; anything else names nothing (404, in the caller's
/// format), rather than axum's plain-text 400.
pub(crate) fn path_id(text: &str, what: &'static str) -> Result<i64, muster_app::AppError> {
    text.parse()
        .map_err(|_| muster_app::AppError::NotFound(what))
}
