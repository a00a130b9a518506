//! The reader's own settings: language, calendar, digits.

use super::layout::{redirect_with_flash, select, Viewer};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Form;
use maud::html;
use muster_app::{App, AppError};
use serde::Deserialize;

page_routes! {
    "/settings" => get(show).post(save),
    "/settings/calendar-feed" => post(new_feed),
    "/calendar/{file}" => get(feed),
}

/// A new calendar feed address, shown once (only its hash is kept).
async fn new_feed(State(app): State<App>, v: Viewer, headers: axum::http::HeaderMap) -> Response {
    let token = match app.new_calendar_feed(&v.actor).await {
        Ok(t) => t,
        Err(e) => return super::layout::error_page(&v, e),
    };
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let scheme = if super::layout::is_https(&headers) {
        "https"
    } else {
        "http"
    };
    let url = format!("{scheme}://{host}/calendar/{token}.ics");
    let body = html! {
        (body(&v, &Default::default()))
        section.card #calendar-feed {
            h2 { (v.t("feed-title")) }
            p { (v.t("feed-new")) }
            p { code dir="ltr" { (url) } }
        }
    };
    v.page(&v.t("nav-settings"), "nav-settings", body)
}

/// The meetings of a calendar feed as iCalendar; an address nobody holds answers an
/// empty calendar, which tells nothing about which addresses exist.
async fn feed(State(app): State<App>, Path(file): Path<String>) -> Response {
    let token = file.strip_suffix(".ics").unwrap_or(&file);
    let meetings = match app.calendar_feed(token).await {
        Ok(m) => m.unwrap_or_default(),
        Err(e) => {
            tracing::error!(error = %e, "calendar feed");
            return axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/calendar; charset=utf-8",
        )],
        crate::api::meetings::calendar(&meetings),
    )
        .into_response()
}

fn body(v: &Viewer, errors: &muster_app::Fields) -> maud::Markup {
    let l = &v.lang;
    let languages: Vec<(String, String)> = crate::i18n::LANGUAGE_NAMES
        .iter()
        .map(|(c, n)| (c.to_string(), n.to_string()))
        .collect();
    let calendars: Vec<(String, String)> = ["gregorian", "persian", "indian"]
        .iter()
        .map(|c| {
            (
                c.to_string(),
                format!(
                    "{} ({})",
                    v.t(&format!("calendar-{c}")),
                    today_in(c, l.locale)
                ),
            )
        })
        .collect();
    let digits: Vec<(String, String)> = [
        ("", "digits-default"),
        ("latin", "digits-latin"),
        ("persian", "digits-persian"),
        ("devanagari", "digits-devanagari"),
    ]
    .iter()
    .map(|(c, k)| (c.to_string(), v.t(k)))
    .collect();
    html! {
        form.card method="post" action="/settings" {
            (v.csrf_field())
            (select(l, "locale", "settings-language", &languages, l.locale, errors.get("locale")))
            (select(l, "calendar", "settings-calendar", &calendars, l.calendar.as_str(), errors.get("calendar")))
            (select(l, "digits", "settings-digits", &digits, v.actor.digits(), errors.get("digits")))
            div.actions { button type="submit" { (v.t("save")) } }
        }
        form.card method="post" action="/settings/calendar-feed" {
            (v.csrf_field())
            h2 { (v.t("feed-title")) }
            p { (v.t("feed-about")) }
            div.actions { button.secondary type="submit" #new-feed { (v.t("feed-make")) } }
        }
    }
}

/// Today's date in a calendar, for the calendar's label.
fn today_in(calendar: &str, locale: &str) -> String {
    crate::i18n::Lang::new(locale, Some(calendar), Some("latin"))
        .date(&muster_domain::Date::today().to_string())
}

async fn show(v: Viewer) -> Response {
    v.page(
        &v.t("nav-settings"),
        "nav-settings",
        body(&v, &Default::default()),
    )
}

#[derive(Deserialize)]
struct SettingsForm {
    locale: String,
    calendar: String,
    #[serde(default)]
    digits: String,
}

async fn save(State(app): State<App>, v: Viewer, Form(f): Form<SettingsForm>) -> Response {
    match app
        .set_preferences(&v.actor, &f.locale, &f.calendar, &f.digits)
        .await
    {
        Ok(()) => redirect_with_flash("/settings", "flash-settings-saved"),
        Err(AppError::Invalid(errors)) => {
            v.page(&v.t("nav-settings"), "nav-settings", body(&v, &errors))
        }
        Err(e) => super::layout::error_page(&v, e),
    }
}
