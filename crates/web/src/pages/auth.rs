//! Logging in and out, and choosing the language.

use super::layout::{
    cookie, frame, is_https, set_cookie, visitor_lang, Viewer, LANG_COOKIE, SESSION_COOKIE,
};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use maud::html;
use muster_app::users::{random_token, LoginError, LoginRefused};
use muster_app::App;
use serde::Deserialize;

const LOGIN_CSRF_COOKIE: &str = "muster_login_csrf";

page_routes! {
    "/login" => get(login_page).post(login),
    "/logout" => post(logout),
    "/language" => post(language),
}

#[derive(Deserialize, Default)]
struct LoginQuery {
    next: Option<String>,
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: String,
}

/// Only a path on this site may be the page to return to after logging in.
/// Where to go after signing in: a plain local path only. `//host`, `/\\host` and a path
/// with a tab or a line break in it (which browsers drop, making `/\t/host` into
/// `//host`) all lead off the site, so they lead home instead.
fn safe_next(next: &str) -> &str {
    let plain = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(|c| c.is_control() || c.is_whitespace());
    if plain {
        next
    } else {
        "/"
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_plain_local_paths_are_followed_after_login() {
        assert_eq!(safe_next("/members?q=nguyen"), "/members?q=nguyen");
        for off_site in [
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "https://evil.example",
            "evil",
            "",
        ] {
            assert_eq!(safe_next(off_site), "/", "{off_site:?}");
        }
    }
}

fn login_form(headers: &HeaderMap, next: &str, username: &str, error: Option<&str>) -> Response {
    let lang = visitor_lang(headers);
    // Before a session exists, the form is tied to a random cookie (double submit).
    let token = cookie(headers, LOGIN_CSRF_COOKIE)
        .filter(|t| t.len() == 64)
        .unwrap_or_else(random_token);
    let body = html! {
        form.card method="post" action="/login" {
            input type="hidden" name="csrf" value=(token);
            input type="hidden" name="next" value=(next);
            @if let Some(key) = error {
                p.error role="alert" { (lang.t(key)) }
            }
            div.field {
                label for="username" { (lang.t("login-username")) }
                input id="username" name="username" autocomplete="username" required value=(username) autofocus;
            }
            div.field {
                label for="password" { (lang.t("login-password")) }
                input id="password" name="password" type="password" autocomplete="current-password" required;
            }
            button type="submit" { (lang.t("login-submit")) }
        }
    };
    let page = frame(&lang, &lang.t("login-title"), None, "", body);
    let mut r = Html(page.into_string()).into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(LOGIN_CSRF_COOKIE, &token, 3600, is_https(headers)),
    );
    if error.is_some() {
        *r.status_mut() = StatusCode::UNAUTHORIZED;
    }
    r
}

async fn login_page(headers: HeaderMap, Query(q): Query<LoginQuery>) -> Response {
    login_form(
        &headers,
        safe_next(q.next.as_deref().unwrap_or("/")),
        "",
        None,
    )
}

async fn login(
    State(app): State<App>,
    peer: Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let next = safe_next(&f.next).to_string();
    if f.csrf.is_empty() || cookie(&headers, LOGIN_CSRF_COOKIE).as_deref() != Some(f.csrf.as_str())
    {
        return login_form(&headers, &next, &f.username, Some("error-csrf"));
    }
    // The address the attempt comes from; behind a proxy, the proxy's, so attempts are
    // then throttled per username alone.
    let source = peer.map_or_else(|| "local".to_string(), |p| p.0 .0.ip().to_string());
    match app.login(&source, &f.username, &f.password).await {
        Ok(session) => {
            let mut r = Redirect::to(&next).into_response();
            let secure = is_https(&headers);
            r.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(SESSION_COOKIE, &session.token, 14 * 86_400, secure),
            );
            r.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(LOGIN_CSRF_COOKIE, "", 0, secure),
            );
            r
        }
        Err(LoginError::Refused(LoginRefused::Throttled)) => {
            let mut r = login_form(&headers, &next, &f.username, Some("login-throttled"));
            *r.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            r
        }
        Err(LoginError::Refused(LoginRefused::BadCredentials)) => {
            login_form(&headers, &next, &f.username, Some("login-failed"))
        }
        Err(LoginError::App(e)) => crate::ApiError::from(e).into_response(),
    }
}

async fn logout(State(app): State<App>, headers: HeaderMap, _signed_in: Viewer) -> Response {
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        if let Err(e) = app.logout(&token).await {
            return crate::ApiError::from(e).into_response();
        }
    }
    let mut r = Redirect::to("/login").into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", 0, is_https(&headers)),
    );
    r
}

#[derive(Deserialize)]
struct LanguageForm {
    lang: String,
}

/// Switches the language: saved on the user when logged in, in a cookie otherwise.
async fn language(
    State(app): State<App>,
    headers: HeaderMap,
    session: Option<axum::Extension<super::csrf::Session>>,
    Form(f): Form<LanguageForm>,
) -> Response {
    let back = headers
        .get(header::REFERER)
        .and_then(|r| r.to_str().ok())
        .and_then(|r| r.split_once("://").map(|(_, rest)| rest))
        .and_then(|rest| rest.find('/').map(|i| rest[i..].to_string()))
        .unwrap_or_else(|| "/".into());
    let back = safe_next(&back).to_string();
    // A session's token was checked on the way in; the session comes with it.
    if let Some(axum::Extension(super::csrf::Session { actor, .. })) = session {
        {
            // A new language brings its own calendar and digits unless the user chose
            // otherwise in the settings.
            let calendar = if f.lang == "fa" {
                "persian"
            } else if actor.locale() == "fa" {
                "gregorian"
            } else {
                actor.calendar()
            };
            if let Err(e) = app.set_preferences(&actor, &f.lang, calendar, "").await {
                return crate::ApiError::from(e).into_response();
            }
            return Redirect::to(&back).into_response();
        }
    }
    let lang = if crate::i18n::LOCALES.contains(&f.lang.as_str()) {
        f.lang.as_str()
    } else {
        "en"
    };
    let mut r = Redirect::to(&back).into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(LANG_COOKIE, lang, 365 * 86_400, is_https(&headers)),
    );
    r
}
