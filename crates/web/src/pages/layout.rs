//! What every page shares: who is reading (and in which language), the frame around
//! the content, flash messages and CSRF checks.

use crate::i18n::{negotiate, Lang, LOCALES};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{html, Markup, DOCTYPE};
use muster_app::{Actor, App, AppError};

pub const SESSION_COOKIE: &str = "muster_session";
pub const LANG_COOKIE: &str = "muster_lang";
const FLASH_COOKIE: &str = "muster_flash";

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Whether the request came over TLS (directly or through a proxy that says so), so
/// cookies can be marked `Secure`.
pub fn is_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

pub fn set_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// A one-shot message for the next page: a catalog key.
pub fn flash_cookie(key: &str) -> HeaderValue {
    set_cookie(FLASH_COOKIE, key, 60, false)
}

/// After a change: on to `path`, which shows the message `key` once.
pub fn redirect_with_flash(path: &str, key: &str) -> Response {
    let mut r = Redirect::to(path).into_response();
    r.headers_mut()
        .append(header::SET_COOKIE, flash_cookie(key));
    r
}

/// A logged-in reader.
pub struct Viewer {
    pub actor: Actor,
    pub csrf: String,
    pub lang: Lang,
    pub flash: Option<String>,
}

impl FromRequestParts<App> for Viewer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let to_login = || {
            let next = parts
                .uri
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/");
            Redirect::to(&format!("/login?next={}", crate::api::enc(next))).into_response()
        };
        let found = match parts.extensions.remove::<super::csrf::Session>() {
            Some(s) => Some((s.actor, s.csrf)),
            None => {
                let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
                    return Err(to_login());
                };
                app.session(&token)
                    .await
                    .map_err(|e| crate::ApiError::from(e).into_response())?
            }
        };
        match found {
            Some((actor, csrf)) => {
                let lang = Lang::new(actor.locale(), Some(actor.calendar()), Some(actor.digits()));
                Ok(Viewer {
                    actor,
                    csrf,
                    lang,
                    flash: cookie(&parts.headers, FLASH_COOKIE),
                })
            }
            None => Err(to_login()),
        }
    }
}

/// The language of a visitor who has not logged in: their choice, else their browser's.
pub fn visitor_lang(headers: &HeaderMap) -> Lang {
    let chosen = cookie(headers, LANG_COOKIE).filter(|l| LOCALES.contains(&l.as_str()));
    let locale = chosen.unwrap_or_else(|| {
        negotiate(
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or(""),
        )
        .to_string()
    });
    Lang::new(&locale, None, None)
}

impl Viewer {
    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    /// A full page in the frame, clearing the flash it shows.
    pub fn page(&self, title: &str, active: &str, body: Markup) -> Response {
        let frame = frame(&self.lang, title, Some(self), active, body);
        let mut response = Html(frame.into_string()).into_response();
        if self.flash.is_some() {
            response
                .headers_mut()
                .append(header::SET_COOKIE, set_cookie(FLASH_COOKIE, "", 0, false));
        }
        response
    }

    /// The hidden field every form of this session carries.
    /// Whether the reader keeps committees, meetings and decisions.
    pub fn governs(&self) -> bool {
        self.actor
            .role()
            .may(muster_domain::user::Permission::Govern)
    }

    pub fn csrf_field(&self) -> Markup {
        html! { input type="hidden" name="csrf" value=(self.csrf); }
    }
}

/// A use case's refusal as a form's marked fields (values refused, or a conflict on
/// one field), to show the form again; any other error as it is.
pub fn refusal(e: AppError) -> Result<muster_app::Fields, AppError> {
    match e {
        AppError::Invalid(errors) => Ok(errors),
        AppError::Conflict { field, code } => Ok(muster_app::Fields::from([(field, code)])),
        e => Err(e),
    }
}

/// A use-case error shown as a page.
/// The same status as the API answers, with what went wrong in the reader's language:
/// each field named with its problem, a file's problem with its row.
pub fn error_page(v: &Viewer, e: AppError) -> Response {
    let mut details: Vec<(String, String)> = Vec::new();
    let (status, key) = match &e {
        AppError::NotFound(_) => (StatusCode::NOT_FOUND, "error-not-found"),
        AppError::Forbidden => (StatusCode::FORBIDDEN, "error-forbidden"),
        AppError::Unauthenticated => (StatusCode::UNAUTHORIZED, "error-forbidden"),
        AppError::Invalid(fields) => {
            for (field, code) in fields {
                details.push((field.clone(), v.t(&format!("field-{code}"))));
            }
            (StatusCode::UNPROCESSABLE_ENTITY, "error-invalid")
        }
        AppError::Conflict { field, code } => {
            details.push((field.clone(), v.t(&format!("field-{code}"))));
            (StatusCode::CONFLICT, "error-invalid")
        }
        AppError::LikelyDuplicate(_) => (StatusCode::CONFLICT, "error-conflict"),
        AppError::TooMany => (StatusCode::TOO_MANY_REQUESTS, "error-too-many"),
        AppError::BadFile { code, row, .. } => {
            let at = row.map(|r| v.lang.number(r)).unwrap_or_default();
            details.push((at, v.t(&format!("file-{code}"))));
            (StatusCode::UNPROCESSABLE_ENTITY, "error-invalid")
        }
        AppError::Store(_) | AppError::Internal(_) => {
            // Logged with its reference by the conversion; the page says only that.
            let _ = crate::ApiError::from(e);
            (StatusCode::INTERNAL_SERVER_ERROR, "error-internal")
        }
    };
    let mut r = v.page(
        &v.t(&format!("{key}-title")),
        "",
        html! {
            p.empty { (v.t(key)) }
            @if !details.is_empty() {
                ul.errors {
                    @for (field, message) in &details {
                        li { @if !field.is_empty() { code { (field) } " " } (message) }
                    }
                }
            }
            p { a href="/" { (v.t("nav-dashboard")) } }
        },
    );
    *r.status_mut() = status;
    r
}

fn nav_link(lang: &Lang, href: &str, key: &str, active: &str) -> Markup {
    let current = key == active;
    html! {
        a href=(href) aria-current=[current.then_some("page")] { (lang.t(key)) }
    }
}

/// The frame of every page: `<html lang dir>`, header, navigation, language switcher,
/// flash message, content.
pub fn frame(
    lang: &Lang,
    title: &str,
    viewer: Option<&Viewer>,
    active: &str,
    body: Markup,
) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.locale) dir=(lang.dir()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Muster" }
                link rel="stylesheet" href="/static/app.css";
            }
            body {
                a.skip href="#main" { (lang.t("skip-to-content")) }
                header.top {
                    a.brand href="/" { "Muster" }
                    @if let Some(v) = viewer {
                        nav aria-label=(lang.t("nav-label")) {
                            (nav_link(lang, "/", "nav-dashboard", active))
                            (nav_link(lang, "/members", "nav-members", active))
                            (nav_link(lang, "/units", "nav-units", active))
                            (nav_link(lang, "/workplaces", "nav-workplaces", active))
                            (nav_link(lang, "/drives", "nav-drives", active))
                            (nav_link(lang, "/committees", "nav-committees", active))
                            (nav_link(lang, "/action-items", "nav-action-items", active))
                            (nav_link(lang, "/programs", "nav-programs", active))
                            (nav_link(lang, "/cases", "nav-cases", active))
                            (nav_link(lang, "/aid", "nav-aid", active))
                            (nav_link(lang, "/schemes", "nav-schemes", active))
                            @if v.actor.role().manages_units() {
                                (nav_link(lang, "/users", "nav-users", active))
                            }
                            (nav_link(lang, "/settings", "nav-settings", active))
                        }
                        div.who {
                            span { (v.actor.username()) }
                            form method="post" action="/logout" {
                                (v.csrf_field())
                                button.link type="submit" { (lang.t("logout")) }
                            }
                        }
                    }
                    form.langs method="post" action="/language" {
                        @if let Some(v) = viewer { (v.csrf_field()) }
                        @for (code, name) in crate::i18n::LANGUAGE_NAMES {
                            button type="submit" name="lang" value=(code) lang=(code)
                                aria-pressed=(if code == lang.locale { "true" } else { "false" }) { (name) }
                        }
                    }
                }
                main id="main" {
                    @if let Some(key) = viewer.and_then(|v| v.flash.as_deref()) {
                        p.flash role="status" { (lang.t(key)) }
                    }
                    h1 { (title) }
                    (body)
                }
            }
        }
    }
}

/// A labelled input with its translated error, keeping what was typed.
pub fn field(
    lang: &Lang,
    name: &str,
    label_key: &str,
    value: &str,
    error: Option<&String>,
    kind: &str,
    hint: Option<&str>,
) -> Markup {
    let id = format!("f-{name}");
    let err_id = format!("{id}-error");
    html! {
        div.field.invalid[error.is_some()] {
            label for=(id) { (lang.t(label_key)) }
            input id=(id) name=(name) type=(kind) value=(value) placeholder=[hint]
                aria-invalid=[error.is_some().then_some("true")] aria-describedby=[error.is_some().then_some(err_id.as_str())];
            @if let Some(code) = error {
                p.error id=(err_id) { (lang.t(&format!("field-{code}"))) }
            }
        }
    }
}

/// A labelled select of (value, label) options.
pub fn select(
    lang: &Lang,
    name: &str,
    label_key: &str,
    options: &[(String, String)],
    selected: &str,
    error: Option<&String>,
) -> Markup {
    let id = format!("f-{name}");
    html! {
        div.field.invalid[error.is_some()] {
            label for=(id) { (lang.t(label_key)) }
            select id=(id) name=(name) aria-invalid=[error.is_some().then_some("true")] {
                @for (value, label) in options {
                    option value=(value) selected[value == selected] { (label) }
                }
            }
            @if let Some(code) = error {
                p.error { (lang.t(&format!("field-{code}"))) }
            }
        }
    }
}

/// A submitted form read field by field: every value as typed (its CSRF token was
/// checked before the page saw it).
#[derive(serde::Deserialize, Default)]
pub struct PlainForm {
    #[serde(flatten)]
    pub values: std::collections::HashMap<String, String>,
}

impl PlainForm {
    pub fn get(&self, k: &str) -> &str {
        self.values.get(k).map(String::as_str).unwrap_or("")
    }

    /// The trimmed value, `None` when blank.
    pub fn opt(&self, k: &str) -> Option<String> {
        Some(self.get(k).trim().to_string()).filter(|s| !s.is_empty())
    }

    /// A ticked checkbox.
    pub fn on(&self, k: &str) -> bool {
        !self.get(k).is_empty()
    }

    /// A whole number in Latin or native digits; its field's error otherwise.
    pub fn int(&self, k: &str) -> Result<i64, AppError> {
        muster_domain::names::digits_to_ascii(self.get(k).trim())
            .parse()
            .map_err(|_| AppError::field(k, "invalid_number"))
    }
}

/// A CSV download: UTF-8 with a byte order mark (so spreadsheet programs read it as
/// such), quoted where a cell needs it, lines ended by CRLF.
/// A cell of a CSV meant for people: one that a spreadsheet would take for a formula
/// (it begins with `=`, `+`, `-`, `@`, a tab or a carriage return, and is not a number)
/// is written with an apostrophe first, so opening the file runs nothing.
pub fn neutralized(cell: String) -> String {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.trim().parse::<f64>().is_err() {
        format!("'{cell}")
    } else {
        cell
    }
}

/// A CSV download. `for_people`: its cells are neutralized (see [`neutralized`]); a
/// CSV for import keeps them as they are, to be read back.
pub fn csv_response(name: &str, rows: Vec<Vec<String>>, for_people: bool) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, attachment(name, "csv")),
        ],
        csv_text(rows, for_people),
    )
        .into_response()
}

/// Rows as CSV text with a byte order mark (so spreadsheet programs read UTF-8); cells
/// a spreadsheet would take for a formula are neutralized when `for_people`.
pub fn csv_text(rows: Vec<Vec<String>>, for_people: bool) -> String {
    let mut out = String::from("\u{FEFF}");
    for row in rows {
        let cells: Vec<String> = row
            .into_iter()
            .map(|t| if for_people { neutralized(t) } else { t })
            .map(|t| {
                if t.contains([',', '"', '\n', '\r']) {
                    format!("\"{}\"", t.replace('"', "\"\""))
                } else {
                    t
                }
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// `Content-Disposition` of a download named `name.ext` (ASCII letters, digits, `-`, `_`).
pub fn attachment(name: &str, ext: &str) -> String {
    let safe: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    format!("attachment; filename=\"{safe}.{ext}\"")
}
