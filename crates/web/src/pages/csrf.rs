//! Cross-site request forgery: every state-changing page request of a session must
//! carry that session's token, checked here once for every page route, so no handler
//! can forget it. Forms send it as their `csrf` field; a multipart form (a file upload,
//! whose body is not read here) sends it in its action's query (`?csrf=`). A request
//! without a session has no authority to borrow and goes on to the page, which asks
//! for a login (the login form has a token of its own, a double-submitted cookie).

use super::layout::{cookie, SESSION_COOKIE};
use crate::i18n::Lang;
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use muster_app::{Actor, App};
use serde::Deserialize;

/// The largest form body read here: forms of fields, not files (those are multipart).
const MAX_FORM: usize = 1 << 20;

/// The session found by the check, for the page's [`super::layout::Viewer`], so that it
/// is looked up once per request.
#[derive(Clone)]
pub(crate) struct Session {
    pub actor: Actor,
    pub csrf: String,
}

#[derive(Deserialize)]
struct Token {
    #[serde(default)]
    csrf: String,
}

fn sent_in(bytes: &[u8]) -> String {
    serde_urlencoded::from_bytes::<Token>(bytes)
        .map(|t| t.csrf)
        .unwrap_or_default()
}

pub(crate) async fn check(State(app): State<App>, req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || req.uri().path().starts_with("/api/") || req.uri().path() == "/login" {
        return next.run(req).await;
    }
    let Some(token) = cookie(req.headers(), SESSION_COOKIE) else {
        return next.run(req).await;
    };
    let (actor, csrf) = match app.session(&token).await {
        Ok(Some(s)) => s,
        Ok(None) => return next.run(req).await,
        Err(e) => return crate::ApiError::from(e).into_response(),
    };
    let (parts, body) = req.into_parts();
    let form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    let lang = Lang::new(actor.locale(), None, None);
    let (sent, body) = if form {
        let Ok(bytes) = to_bytes(body, MAX_FORM).await else {
            return (StatusCode::PAYLOAD_TOO_LARGE, lang.t("error-too-large")).into_response();
        };
        (sent_in(&bytes), Body::from(bytes))
    } else {
        (sent_in(parts.uri.query().unwrap_or("").as_bytes()), body)
    };
    if sent.is_empty() || sent != csrf {
        return (StatusCode::FORBIDDEN, lang.t("error-csrf")).into_response();
    }
    let mut req = Request::from_parts(parts, body);
    req.extensions_mut().insert(Session { actor, csrf });
    next.run(req).await
}
