//! The HTML pages: server-rendered with maud (compiled, auto-escaping), working without
//! JavaScript, in the reader's language, calendar and digits. Each resource has its
//! own module and router; all of them call the same use cases as the API.

/// Declares a module's page routes, each path with its methods and handlers: routed by
/// `router()` and listed in `ROUTES`, which the route-generated authorization test
/// walks, so a page cannot be added without a row in that test's table.
macro_rules! page_routes {
    ($($path:literal => $first:ident($h:expr) $(.$more:ident($hm:expr))*,)*) => {
        pub fn router() -> axum::Router<muster_app::App> {
            axum::Router::new()
                $(.route($path, axum::routing::$first($h)$(.$more($hm))*))*
        }

        pub const ROUTES: &[(&str, &[&str])] =
            &[$(($path, &[stringify!($first) $(, stringify!($more))*])),*];
    };
}

mod aid;
mod auth;
mod cases;
mod committees;
mod competitions;
mod courses;
mod csrf;
mod dashboard;
mod decisions;
mod drives;
mod enrollment_import;
mod events;
mod exports;
mod honors;
mod imports;
mod layout;
mod mapping;
mod meetings;
mod members;
mod schemes;
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

/// Every page route as (method, path), upper-case methods as HTTP writes them.
pub fn routes() -> Vec<(String, &'static str)> {
    let modules = [
        aid::ROUTES,
        auth::ROUTES,
        cases::ROUTES,
        schemes::ROUTES,
        enrollment_import::ROUTES,
        committees::ROUTES,
        competitions::ROUTES,
        courses::ROUTES,
        dashboard::ROUTES,
        decisions::ROUTES,
        drives::ROUTES,
        events::ROUTES,
        exports::ROUTES,
        honors::ROUTES,
        mapping::ROUTES,
        meetings::ROUTES,
        imports::ROUTES,
        members::ROUTES,
        settings::ROUTES,
        units::ROUTES,
        users::ROUTES,
        workplaces::ROUTES,
    ];
    let mut all = vec![("GET".to_string(), "/static/app.css")];
    for (path, methods) in modules.into_iter().flatten() {
        all.extend(methods.iter().map(|m| (m.to_ascii_uppercase(), *path)));
    }
    all
}

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
        .merge(aid::router())
        .merge(schemes::router())
        .merge(enrollment_import::router().layer(axum::extract::DefaultBodyLimit::max(MAX_UPLOAD)))
        .merge(courses::router())
        .merge(auth::router())
        .merge(cases::router().layer(axum::extract::DefaultBodyLimit::max(
            muster_app::cases::MAX_DOCUMENT_BYTES * 4,
        )))
        .merge(committees::router())
        .merge(competitions::router())
        .merge(dashboard::router())
        .merge(decisions::router())
        .merge(drives::router())
        .merge(events::router())
        .merge(exports::router())
        .merge(honors::router())
        .merge(mapping::router())
        .merge(meetings::router())
        .merge(imports::router().layer(axum::extract::DefaultBodyLimit::max(MAX_UPLOAD)))
        .merge(members::router())
        .merge(settings::router())
        .merge(units::router())
        .merge(users::router())
        .merge(workplaces::router())
}
pub(crate) use cases::document_response;
pub(crate) use csrf::check as csrf_check;
pub(crate) use exports::{export_file, file_response, Exported};
pub(crate) use imports::MAX_UPLOAD;
pub(crate) use layout::attachment;
