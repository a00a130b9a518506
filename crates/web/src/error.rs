use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use muster_app::{AppError, Fields};
use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering};
use utoipa::ToSchema;

/// The body of every error answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// A stable snake_case code: `not_found`, `validation_failed`, `conflict`,
    /// `forbidden`, `unauthenticated`, `bad_request`, `internal_error`.
    pub error: String,
    pub message: String,
    /// Per field: a stable code such as `required`, `invalid_date`, `taken`, `unknown_unit`.
    #[serde(skip_serializing_if = "Fields::is_empty")]
    pub fields: Fields,
    /// With `likely_duplicate`: the registered members the new one may be. Send
    /// again with `allow_duplicate: true` to register anyway.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub duplicates: Vec<muster_app::dedupe::LikelyDuplicate>,
}

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    body: ErrorBody,
}

impl ApiError {
    pub fn bad_request(code: &str, message: String, fields: Fields) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            body: ErrorBody {
                error: code.into(),
                message,
                fields,
                duplicates: Vec::new(),
            },
        }
    }

    pub fn unprocessable(message: String, fields: Fields) -> Self {
        Self {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            body: ErrorBody {
                error: "validation_failed".into(),
                message,
                fields,
                duplicates: Vec::new(),
            },
        }
    }
}

static NEXT_REQUEST_ID: AtomicU64 = AtomicU64::new(1);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        let mut duplicates = Vec::new();
        let (status, message, fields) = match &e {
            AppError::LikelyDuplicate(found) => {
                duplicates = found.clone();
                (
                    StatusCode::CONFLICT,
                    "a likely duplicate is already registered; send allow_duplicate: true to register anyway"
                        .into(),
                    Fields::new(),
                )
            }
            AppError::BadFile { code, row, names } => {
                let mut f = Fields::new();
                f.insert("file".into(), (*code).into());
                if let Some(r) = row {
                    f.insert("row".into(), r.to_string());
                }
                if !names.is_empty() {
                    f.insert("columns".into(), names.join(","));
                }
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    format!("the file cannot be imported: {code}"),
                    f,
                )
            }
            AppError::NotFound(what) => (
                StatusCode::NOT_FOUND,
                format!("{what} not found"),
                Fields::new(),
            ),
            AppError::Forbidden => (
                StatusCode::FORBIDDEN,
                "your role does not allow this".into(),
                Fields::new(),
            ),
            AppError::TooMany => (
                StatusCode::TOO_MANY_REQUESTS,
                "too many requests; try again in a minute".into(),
                Fields::new(),
            ),
            AppError::Unauthenticated => (
                StatusCode::UNAUTHORIZED,
                "a valid bearer token is required".into(),
                Fields::new(),
            ),
            AppError::Invalid(fields) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                format!(
                    "check these fields: {}",
                    fields.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
                fields.clone(),
            ),
            AppError::Conflict { field, code } => {
                let mut f = Fields::new();
                f.insert(field.clone(), code.clone());
                (StatusCode::CONFLICT, format!("{field} is already taken"), f)
            }
            AppError::Store(_) | AppError::Internal(_) => {
                // The cause goes to the log under an id; the caller gets only the id.
                let id = format!(
                    "{:x}-{}",
                    std::process::id(),
                    NEXT_REQUEST_ID.fetch_add(1, Ordering::Relaxed)
                );
                tracing::error!(request_id = %id, error = %e, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("internal error, reference {id}"),
                    Fields::new(),
                )
            }
        };
        Self {
            status,
            body: ErrorBody {
                error: e.code().into(),
                message,
                fields,
                duplicates,
            },
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}
