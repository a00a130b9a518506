//! Enrollments of a scheme updated from a file: the form (the file, its calendar and
//! order of dates, check only or import) and the report of what changed and of every
//! refused row.

use super::imports::{calendar_select, file_error, order_select};
use super::layout::{error_page, Viewer};
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::html;
use muster_app::schemes::{EnrollmentColumn, EnrollmentFile, EnrollmentImport, SchemeView};
use muster_app::{App, AppError};
use muster_domain::calendar::{Calendar, DateOrder};
use muster_domain::user::Permission;
use serde::Deserialize;

page_routes! {
    "/schemes/{code}/import" => get(form).post(upload),
}

#[derive(Debug, Default, Deserialize)]
struct UnitQuery {
    unit: Option<String>,
}

async fn form(
    State(app): State<App>,
    v: Viewer,
    Path(code): Path<String>,
    Query(q): Query<UnitQuery>,
) -> Response {
    if !v.actor.role().may(Permission::EditRegistry) {
        return error_page(&v, AppError::Forbidden);
    }
    match app.scheme(&v.actor, &code, q.unit.as_deref()).await {
        Ok(s) => page(&v, &s, q.unit.as_deref(), None, None),
        Err(e) => error_page(&v, e),
    }
}

fn page(
    v: &Viewer,
    s: &SchemeView,
    unit: Option<&str>,
    report: Option<&EnrollmentImport>,
    error: Option<String>,
) -> Response {
    let l = &v.lang;
    let scheme_name = s
        .names
        .get(l.locale)
        .cloned()
        .unwrap_or_else(|| s.name.clone());
    let unit_q = unit
        .map(|u| format!("unit={}&", crate::api::enc(u)))
        .unwrap_or_default();
    let action = format!("/schemes/{}/import?{unit_q}csrf={}", s.code, v.csrf);
    let columns: Vec<String> = EnrollmentColumn::ALL
        .iter()
        .map(|c| c.as_str().to_string())
        .collect();
    let body = html! {
        p.actions { a href=(format!("/schemes/{}?{}", s.code, unit_q.trim_end_matches('&'))) { bdi { (scheme_name) } } }
        @if let Some(e) = &error { p.error role="alert" #import-error { (e) } }
        @if let Some(r) = report {
            div.card #enroll-report role="status" {
                p { strong { (v.t(if r.dry_run { "enroll-import-checked" } else { "enroll-import-done" })) } }
                dl.figures {
                    dt { (v.t("enroll-import-rows")) } dd #report-rows { (l.number(r.rows)) }
                    dt { (v.t(if r.dry_run { "enroll-import-would-change" } else { "enroll-import-changed" })) } dd #report-changed { (l.number(r.changed)) }
                    dt { (v.t("enroll-import-unchanged")) } dd #report-unchanged { (l.number(r.unchanged)) }
                    dt { (v.t("import-rejected")) } dd #report-rejected { (l.number(r.rejected)) }
                }
            }
            @if !r.problems.is_empty() {
                h2 { (v.t("import-problems")) }
                div.scroll { table #problems {
                    thead { tr {
                        th scope="col" { (v.t("import-row")) }
                        th scope="col" { (v.t("import-column")) }
                        th scope="col" { (v.t("import-reason")) }
                        th scope="col" { (v.t("import-value")) }
                    } }
                    tbody { @for p in &r.problems { tr {
                        td.num data-label=(v.t("import-row")) { (l.number(p.row)) }
                        td data-label=(v.t("import-column")) { @if !p.column.is_empty() { (v.t(&format!("enroll-col-{}", p.column))) } }
                        td data-label=(v.t("import-reason")) { (v.t(&format!("field-{}", p.reason))) }
                        td data-label=(v.t("import-value")) { @if let Some(d) = &p.detail { bdi { (d) } } }
                    } } }
                } }
            }
        }
        form.card method="post" action=(action) enctype="multipart/form-data" #enroll-import {
            p { (v.t("enroll-import-intro")) }
            p.muted { code dir="ltr" { (columns.join(", ")) } }
            div.field {
                label for="f_file" { (v.t("import-file")) }
                input #f_file type="file" name="file" accept=".csv,.xlsx,.xls,.ods,text/csv" required;
            }
            (calendar_select(v, l.calendar))
            (order_select(v, l.date_order()))
            div.actions {
                button type="submit" name="mode" value="check" { (v.t("import-check")) }
                button type="submit" name="mode" value="run" { (v.t("enroll-import-run")) }
            }
        }
    };
    let mut page = v.page(&v.t("enroll-import-title"), "nav-schemes", body);
    if error.is_some() {
        *page.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    page
}

async fn upload(
    State(app): State<App>,
    v: Viewer,
    Path(code): Path<String>,
    Query(q): Query<UnitQuery>,
    mut form: Multipart,
) -> Response {
    let scheme = match app.scheme(&v.actor, &code, q.unit.as_deref()).await {
        Ok(s) => s,
        Err(e) => return error_page(&v, e),
    };
    if !v.actor.role().may(Permission::EditRegistry) {
        return error_page(&v, AppError::Forbidden);
    }
    let mut bytes = Vec::new();
    let mut file = EnrollmentFile {
        calendar: v.lang.calendar,
        date_order: v.lang.date_order(),
        dry_run: false,
        aliases: crate::i18n::enrollment_aliases().to_vec(),
    };
    while let Ok(Some(field)) = form.next_field().await {
        match field.name().unwrap_or_default() {
            "file" => match field.bytes().await {
                Ok(b) => bytes = b.to_vec(),
                Err(_) => {
                    return page(
                        &v,
                        &scheme,
                        q.unit.as_deref(),
                        None,
                        Some(v.t("import-too-large")),
                    )
                }
            },
            "calendar" => {
                if let Ok(c) = field.text().await {
                    file.calendar = Calendar::parse(&c).unwrap_or(file.calendar);
                }
            }
            "date_order" => {
                if let Ok(o) = field.text().await {
                    file.date_order = DateOrder::parse(&o).unwrap_or(file.date_order);
                }
            }
            "mode" => file.dry_run = field.text().await.is_ok_and(|m| m == "check"),
            _ => {}
        }
    }
    if bytes.is_empty() {
        return page(
            &v,
            &scheme,
            q.unit.as_deref(),
            None,
            Some(v.t("import-no-file")),
        );
    }
    match app
        .import_enrollments(&v.actor, &scheme.code, q.unit.as_deref(), bytes, &file)
        .await
    {
        Ok(r) => page(&v, &scheme, q.unit.as_deref(), Some(&r), None),
        Err(e @ AppError::BadFile { .. }) => page(
            &v,
            &scheme,
            q.unit.as_deref(),
            None,
            Some(file_error(&v, &e)),
        ),
        Err(AppError::Invalid(fields)) => {
            let text = fields
                .iter()
                .map(|(k, c)| {
                    format!(
                        "{}: {}",
                        v.t(&format!("enroll-col-{k}")),
                        v.t(&format!("field-{c}"))
                    )
                })
                .collect::<Vec<_>>()
                .join("; ");
            page(&v, &scheme, q.unit.as_deref(), None, Some(text))
        }
        Err(e) => error_page(&v, e),
    }
}
