//! The HTML pages: server-rendered with maud (compiled, auto-escaping), working without
//! JavaScript, in the reader's language, calendar and digits. Each resource has its
//! own module and router; all of them call the same use cases as the API.

mod auth;
mod dashboard;
mod drives;
mod imports;
mod layout;
mod mapping;
mod members;
mod settings;
mod units;
mod users;
mod workplaces;

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use muster_app::App;

const CSS: &str = include_str!("../../static/app.css");

pub fn router() -> Router<App> {
    Router::new()
        .route(
            "/static/app.css",
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "text/css; charset=utf-8"),
                        (header::CACHE_CONTROL, "max-age=3600"),
                    ],
                    CSS,
                )
                    .into_response()
            }),
        )
        .merge(auth::router())
        .merge(dashboard::router())
        .merge(drives::router())
        .merge(mapping::router())
        .merge(imports::router())
        .merge(members::router())
        .merge(settings::router())
        .merge(units::router())
        .merge(users::router())
        .merge(workplaces::router())
}
pub(crate) use imports::{export_file, MAX_UPLOAD};
