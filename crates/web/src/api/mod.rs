//! API v1: bearer-token routes, each resource in its own module, described by OpenAPI.

mod aid;
pub(crate) mod bulk;
mod cases;
mod committees;
mod competitions;
mod courses;
mod decisions;
mod drives;
mod events;
pub(crate) mod extract;
mod mapping;
pub(crate) mod meetings;
mod members;
mod schemes;
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
        (name = "governance", description = "Committees, meetings, decisions and the action items they send down the tree"),
        (name = "events", description = "Programs and their events across the tree: who comes, check-in, walk-ins, closing reports, figures rolled up"),
        (name = "cases", description = "Members' cases at a desk: steps with deadlines, what was done, referral up the tree; notes only for case workers"),
        (name = "schemes", description = "Benefit schemes with eligibility rules as data, worklists of members eligible and not enrolled, enrollments, members' milestones; courses and cadre camps to a certificate anyone can check"),
        (name = "aid", description = "Aid from request to approval within each level's limit to payment with a receipt, against units' budgets, rolled up the tree"),
        (name = "competitions", description = "Competitions at each level with winners advancing; honors nominated, approved up the tree and awarded, with certificates anyone can check"),
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

/// Adds to every operation the error answers any of them can give, as the document's
/// generator cannot see them: 400 for a body or a query that does not parse, 401
/// without a valid token, 403 where a role may not write, 422 for values refused, 429
/// when asked too often.
pub fn complete(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    let error = |description: &str| {
        RefOr::T(
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                )
                .build(),
        )
    };
    for item in doc.paths.paths.values_mut() {
        let writes = [
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ];
        for op in writes.into_iter().flatten() {
            op.responses
                .responses
                .entry("403".into())
                .or_insert_with(|| error("Your role does not allow this."));
        }
        let all = [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ];
        for op in all.into_iter().flatten() {
            let r = &mut op.responses.responses;
            for (code, description) in [
                (
                    "400",
                    "The body or the query cannot be read (not JSON, a number too large).",
                ),
                ("401", "No valid bearer token."),
                ("422", "A value is refused: `fields` names each and why."),
                ("429", "Asked too often; ask again in a minute."),
            ] {
                r.entry(code.into()).or_insert_with(|| error(description));
            }
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
        .merge(committees::router())
        .merge(meetings::router())
        .merge(decisions::router())
        .merge(events::router())
        .merge(competitions::router())
        .merge(cases::router())
        .merge(aid::router())
        .merge(schemes::router())
        .merge(courses::router())
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
