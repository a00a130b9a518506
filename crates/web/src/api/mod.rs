//! API v1: bearer-token routes, each resource in its own module, described by OpenAPI.

pub(crate) mod bulk;
mod drives;
mod extract;
mod mapping;
mod members;
mod units;
mod workplaces;

use crate::error::ErrorBody;
use muster_app::App;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Muster API",
        description = "Member registry of labor organizations. Every route but this document \
                       needs `Authorization: Bearer <token>` (see `muster token create`); \
                       everything a token sees is confined to its user's unit subtree."
    ),
    components(schemas(ErrorBody)),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    tags(
        (name = "units", description = "The organization tree"),
        (name = "members", description = "People and their memberships"),
        (name = "workplaces", description = "Enterprises and worksites"),
        (name = "drives", description = "Organizing drives: targets, monthly reports, progress"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(units::router())
        .merge(members::router())
        .merge(workplaces::router())
        .merge(drives::router())
        .merge(mapping::router())
        .merge(bulk::router())
}

/// Percent-encodes a query value.
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
