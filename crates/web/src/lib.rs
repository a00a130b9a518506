//! The web layer: the HTML pages and the JSON API under `/api/v1`. Handlers only
//! translate HTTP to use cases of `muster_app` and back.
#![forbid(unsafe_code)]

mod api;
mod error;
pub mod i18n;
mod pages;
mod xlsx;

pub use error::ApiError;
pub use i18n::header_aliases;

use axum::routing::get;
use axum::Router;
use muster_app::App;
use std::future::Future;
use tokio::net::TcpListener;

/// What every answer says about itself: no script may run (the pages use none), no
/// other site may frame them, nothing is sniffed, and other sites see no paths.
const SECURITY_HEADERS: [(&str, &str); 4] = [
    (
        "content-security-policy",
        "default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'",
    ),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "same-origin"),
    ("x-frame-options", "DENY"),
];

async fn security_headers(mut response: axum::response::Response) -> axum::response::Response {
    let headers = response.headers_mut();
    for (name, value) in SECURITY_HEADERS {
        headers.insert(name, axum::http::HeaderValue::from_static(value));
    }
    response
}

/// The whole application as a router, for `serve` and for tests.
pub fn router(app: App) -> Router {
    let (api, mut doc) = api::router().split_for_parts();
    api::complete(&mut doc);
    let doc = std::sync::Arc::new(doc);
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route(
            "/api/v1/openapi.json",
            get(move || {
                let doc = doc.clone();
                async move { axum::Json(doc.as_ref().clone()) }
            }),
        )
        .merge(api)
        .merge(pages::router())
        .fallback(|| async { ApiError::from(muster_app::AppError::NotFound("route")) })
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            pages::csrf_check,
        ))
        .layer(axum::middleware::map_response(security_headers))
        .with_state(app)
}

/// Every page route as (method, path): what the route-generated authorization test
/// walks besides the OpenAPI document.
pub fn page_routes() -> Vec<(String, &'static str)> {
    pages::routes()
}

/// The OpenAPI document of the API, as served.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = api::router().split_for_parts().1;
    api::complete(&mut doc);
    doc
}

/// Serves until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve(
    listener: TcpListener,
    app: App,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(app).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
