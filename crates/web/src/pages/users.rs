//! Logins of the reader's subtree: list and create (admins and officers).

use super::layout::{error_page, field, redirect_with_flash, select, Viewer};
use axum::extract::State;
use axum::response::Response;
use axum::Form;
use maud::html;
use muster_app::users::NewLogin;
use muster_app::{App, AppError, Fields};
use muster_domain::user::Role;
use serde::Deserialize;

page_routes! {
    "/users" => get(list).post(create),
    "/users/{username}/role" => post(set_role),
    "/users/{username}/unlock" => post(unlock),
}

#[derive(Deserialize, Default)]
struct UserForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    unit_code: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    locale: String,
}

async fn render(app: &App, v: &Viewer, form: &UserForm, errors: &Fields) -> Response {
    let users = match app.list_users(&v.actor).await {
        Ok(u) => u,
        Err(e) => return error_page(v, e),
    };
    let held = match app.held_up_logins(&v.actor).await {
        Ok(h) => h,
        Err(e) => return error_page(v, e),
    };
    let l = &v.lang;
    let roles: Vec<(String, String)> = Role::ALL
        .iter()
        .filter(|r| **r != Role::Admin || v.actor.role() == Role::Admin)
        .map(|r| (r.as_str().to_string(), v.t(&format!("role-{}", r.as_str()))))
        .collect();
    let languages: Vec<(String, String)> = crate::i18n::LANGUAGE_NAMES
        .iter()
        .map(|(c, n)| (c.to_string(), n.to_string()))
        .collect();
    let body = html! {
        div.scroll { table {
            thead { tr {
                th scope="col" { (v.t("login-username")) } th scope="col" { (v.t("user-role")) }
                th scope="col" { (v.t("member-unit")) } th scope="col" { (v.t("settings-language")) }
                th scope="col" { (v.t("user-change-role")) }
            } }
            tbody { @for u in &users { tr {
                td { bdi dir="ltr" { (u.username) } }
                td { (v.t(&format!("role-{}", u.role))) }
                td { bdi dir="ltr" { (u.unit_code.clone().unwrap_or_else(|| v.t("user-whole-instance"))) } }
                td { (u.locale) }
                td {
                    @if u.username != v.actor.username() {
                        form.inline method="post" action=(format!("/users/{}/role", u.username)) {
                            (v.csrf_field())
                            label.visually-hidden for=(format!("role-{}", u.username)) { (v.t("user-role")) }
                            select id=(format!("role-{}", u.username)) name="role" {
                                @for (value, label) in &roles {
                                    option value=(value) selected[*value == u.role] { (label) }
                                }
                            }
                            button type="submit" { (v.t("save")) }
                        }
                    }
                }
            } } }
        } }
        @if !held.is_empty() {
            h2 { (v.t("user-held-up")) }
            p.hint { (v.t("user-held-up-hint")) }
            ul.held { @for (username, until) in &held {
                li {
                    bdi dir="ltr" { (username) } " · " (v.t("user-held-until")) " "
                    (l.date(until.get(..10).unwrap_or(until))) " " bdi dir="ltr" { (l.digits(until.get(11..16).unwrap_or(""))) " UTC" }
                    form.inline method="post" action=(format!("/users/{username}/unlock")) {
                        (v.csrf_field())
                        button.secondary type="submit" { (v.t("user-unlock")) }
                    }
                }
            } }
        }
        h2 { (v.t("user-new")) }
        @if !errors.is_empty() { p.error role="alert" { (v.t("form-has-errors")) } }
        form.card method="post" action="/users" {
            (v.csrf_field())
            (field(l, "username", "login-username", &form.username, errors.get("username"), "text", None))
            (field(l, "unit_code", "filter-unit-code", &form.unit_code, errors.get("unit_code"), "text", None))
            (select(l, "role", "user-role", &roles, &form.role, errors.get("role")))
            (select(l, "locale", "settings-language", &languages, if form.locale.is_empty() { l.locale } else { &form.locale }, errors.get("locale")))
            (field(l, "password", "login-password", "", errors.get("password"), "password", None))
            div.actions { button type="submit" { (v.t("save")) } }
        }
    };
    let mut r = v.page(&v.t("nav-users"), "nav-users", body);
    if !errors.is_empty() {
        *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

async fn list(State(app): State<App>, v: Viewer) -> Response {
    render(&app, &v, &UserForm::default(), &Fields::new()).await
}

async fn create(State(app): State<App>, v: Viewer, Form(f): Form<UserForm>) -> Response {
    let login = NewLogin {
        unit_code: Some(f.unit_code.as_str()).filter(|c| !c.trim().is_empty()),
        username: &f.username,
        role: &f.role,
        password: &f.password,
        locale: Some(f.locale.as_str()).filter(|c| !c.is_empty()),
    };
    match app.add_user(&v.actor, login).await {
        Ok(_) => redirect_with_flash("/users", "flash-user-created"),
        Err(AppError::Invalid(errors)) => render(&app, &v, &f, &errors).await,
        Err(AppError::Conflict { field, code }) => {
            let mut errors = Fields::new();
            errors.insert(field, code);
            render(&app, &v, &f, &errors).await
        }
        Err(e) => error_page(&v, e),
    }
}

#[derive(Deserialize)]
struct RoleForm {
    role: String,
}

async fn set_role(
    State(app): State<App>,
    v: Viewer,
    axum::extract::Path(username): axum::extract::Path<String>,
    Form(f): Form<RoleForm>,
) -> Response {
    match app.set_role(&v.actor, &username, &f.role).await {
        Ok(()) => redirect_with_flash("/users", "flash-role-changed"),
        Err(AppError::Invalid(errors)) => render(&app, &v, &UserForm::default(), &errors).await,
        Err(e) => error_page(&v, e),
    }
}

async fn unlock(
    State(app): State<App>,
    v: Viewer,
    axum::extract::Path(username): axum::extract::Path<String>,
) -> Response {
    match app.unlock_login(&v.actor, &username).await {
        Ok(()) => redirect_with_flash("/users", "flash-user-unlocked"),
        Err(e) => error_page(&v, e),
    }
}
