//! Importing members from a file (upload, column mapping, a run in the background with
//! its progress and report), exporting the members list, and reviewing likely
//! duplicates.

use super::layout::{error_page, redirect_with_flash, PlainForm, Viewer};
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Form;
use maud::{html, Markup};
use muster_app::dedupe::{DuplicatePair, PairSide};
use muster_app::import::{Field, ImportOptions, ImportView, Table};
use muster_app::{App, AppError};
use muster_domain::calendar::{Calendar, DateOrder};
use serde::Deserialize;

/// The largest file an upload takes, on the page and in the API.
pub(crate) const MAX_UPLOAD: usize = 256 * 1024 * 1024;

page_routes! {
    "/members/import" => get(upload_form).post(upload),
    "/members/import/run" => post(run),
    "/members/imports/{id}" => get(show),
    "/members/imports/{id}/errors.csv" => get(errors_csv),
    "/members/duplicates" => get(duplicates),
    "/members/duplicates/scan" => post(scan),
    "/members/duplicates/merge" => post(merge),
    "/members/duplicates/dismiss" => post(dismiss),
}

// --- Import -------------------------------------------------------------------------

pub(super) fn calendar_select(v: &Viewer, chosen: Calendar) -> Markup {
    html! {
        div.field {
            label for="f_calendar" { (v.t("import-calendar")) }
            select #f_calendar name="calendar" {
                @for c in Calendar::ALL {
                    option value=(c.as_str()) selected[*c == chosen] { (v.t(&format!("calendar-{}", c.as_str()))) }
                }
            }
        }
    }
}

pub(super) fn order_select(v: &Viewer, chosen: DateOrder) -> Markup {
    html! {
        div.field {
            label for="f_date_order" { (v.t("import-date-order")) }
            select #f_date_order name="date_order" {
                @for o in DateOrder::ALL {
                    option value=(o.as_str()) selected[*o == chosen] { (v.t(&format!("date-order-{}", o.as_str()))) }
                }
            }
        }
    }
}

async fn upload_form(State(app): State<App>, v: Viewer) -> Response {
    if !v.actor.role().edits_registry() {
        return error_page(&v, AppError::Forbidden);
    }
    let runs = app.list_imports(&v.actor).await.unwrap_or_default();
    upload_page(&v, &runs, None)
}

fn upload_page(v: &Viewer, runs: &[ImportView], error: Option<String>) -> Response {
    let l = &v.lang;
    let body = html! {
        @if let Some(e) = &error { p.error role="alert" #import-error { (e) } }
        form.card method="post" action={ "/members/import?csrf=" (v.csrf) } enctype="multipart/form-data" {
            (v.csrf_field())
            p { (v.t("import-intro")) }
            div.field {
                label for="f_file" { (v.t("import-file")) }
                input #f_file type="file" name="file" accept=".csv,.xlsx,.xls,.ods,text/csv" required;
            }
            div.actions { button type="submit" { (v.t("import-upload")) } }
        }
        @if !runs.is_empty() {
            h2 { (v.t("import-recent")) }
            div.scroll { table {
                thead { tr {
                    th scope="col" { (v.t("import-file")) }
                    th scope="col" { (v.t("import-started")) }
                    th scope="col" { (v.t("import-state")) }
                    th scope="col" { (v.t("import-created")) }
                    th scope="col" { (v.t("import-rejected")) }
                } }
                tbody { @for r in runs { tr {
                    td { a href={"/members/imports/" (r.id)} { bdi { (r.file_name) } } }
                    td.date { (l.date(r.started_at.get(..10).unwrap_or(""))) }
                    td { (state_label(v, r)) }
                    td.num { (l.number(r.created)) }
                    td.num { (l.number(r.rejected)) }
                } } }
            } }
        }
    };
    v.page(&v.t("import-title"), "nav-members", body)
}

fn state_label(v: &Viewer, r: &ImportView) -> String {
    let key = match (r.status.as_str(), r.dry_run, r.stopped()) {
        ("done", true, _) => "import-state-checked",
        ("done", false, _) => "import-state-done",
        (_, _, true) => "import-state-stopped",
        _ => "import-state-running",
    };
    v.t(key)
}

/// Takes the file, reads its header and asks which field each column holds.
async fn upload(State(app): State<App>, v: Viewer, mut form: Multipart) -> Response {
    if !v.actor.role().edits_registry() {
        return error_page(&v, AppError::Forbidden);
    }
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("upload").to_string();
            match field.bytes().await {
                Ok(b) => file = Some((name, b.to_vec())),
                Err(_) => return upload_page(&v, &[], Some(v.t("import-too-large"))),
            }
        }
    }
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return upload_page(&v, &[], Some(v.t("import-no-file")));
    };
    let table = match Table::read(bytes.clone()) {
        Ok(t) => t,
        Err(e) => return upload_page(&v, &[], Some(file_error(&v, &e))),
    };
    let headers = table.headers.clone();
    let estimated = table.estimated_rows;
    let token = match app.stage_upload(&v.actor, &name, &bytes).await {
        Ok(t) => t,
        Err(e) => return error_page(&v, e),
    };
    mapping_page(&v, &token, &name, &headers, estimated, None, None)
}

fn mapping_page(
    v: &Viewer,
    token: &str,
    name: &str,
    headers: &[String],
    rows: i64,
    chosen: Option<&PlainForm>,
    error: Option<&str>,
) -> Response {
    let l = &v.lang;
    let auto = muster_app::import::mapping_of(headers, None, crate::i18n::header_aliases());
    let body = html! {
        @if let Some(e) = error { p.error role="alert" #import-error { (e) } }
        p { bdi { (name) } @if rows > 0 { " · " (v.t_rows(rows)) } }
        form.card method="post" action="/members/import/run" #mapping {
            (v.csrf_field())
            input type="hidden" name="token" value=(token);
            p { (v.t("import-mapping-intro")) }
            div.scroll { table {
                thead { tr { th scope="col" { (v.t("import-column")) } th scope="col" { (v.t("import-field")) } } }
                tbody { @for (i, h) in headers.iter().enumerate() {
                    @let picked = chosen.map(|c| c.get(&format!("col{i}")).to_string())
                        .unwrap_or_else(|| auto[i].map(|f| f.as_str().to_string()).unwrap_or_default());
                    tr {
                        td { label for={"f_col" (i)} { bdi { (h) } } }
                        td { select id={"f_col" (i)} name={"col" (i)} {
                            option value="" selected[picked.is_empty()] { (v.t("import-ignore")) }
                            @for f in Field::ALL {
                                option value=(f.as_str()) selected[picked == f.as_str()] { (v.t(&format!("col-{}", f.as_str()))) }
                            }
                        } }
                    }
                } }
            } }
            (calendar_select(v, l.calendar))
            (order_select(v, l.date_order()))
            div.actions {
                button type="submit" name="mode" value="check" { (v.t("import-check")) }
                button type="submit" name="mode" value="load" { (v.t("import-load")) }
            }
        }
    };
    v.page(&v.t("import-mapping-title"), "nav-members", body)
}

impl Viewer {
    fn t_rows(&self, rows: i64) -> String {
        self.lang
            .t_args("import-rows", &[("rows", self.lang.number(rows))])
    }
}

pub(super) fn file_error(v: &Viewer, e: &AppError) -> String {
    match e {
        AppError::BadFile { code, row, names } => {
            let mut text = v.t(&format!("file-{code}"));
            if let Some(r) = row {
                text.push_str(&format!(
                    " ({})",
                    v.lang
                        .t_args("import-at-row", &[("row", v.lang.number(*r))])
                ));
            }
            if !names.is_empty() {
                let labels: Vec<String> = names.iter().map(|n| v.t(&format!("col-{n}"))).collect();
                text.push_str(&format!(": {}", labels.join(", ")));
            }
            text
        }
        _ => v.t("error-internal"),
    }
}

/// Starts the run in the background and shows its progress.
async fn run(State(app): State<App>, v: Viewer, Form(f): Form<PlainForm>) -> Response {
    if !v.actor.role().edits_registry() {
        return error_page(&v, AppError::Forbidden);
    }
    let file = match app.staged_upload(&v.actor, f.get("token")).await {
        Ok(f) => f,
        Err(e) => return error_page(&v, e),
    };
    let Some((name, bytes)) = file else {
        return upload_page(&v, &[], Some(v.t("import-file-gone")));
    };
    let mut mapping = Vec::new();
    let mut i = 0;
    while let Some(value) = f.values.get(&format!("col{i}")) {
        mapping.push(Field::parse(value).ok());
        i += 1;
    }
    let dry_run = f.get("mode") != "load";
    let options = match crate::api::bulk::options(
        f.opt("calendar").as_deref(),
        f.opt("date_order").as_deref(),
        dry_run,
    ) {
        Ok(o) => ImportOptions {
            mapping: Some(mapping),
            ..o
        },
        Err(e) => return error_page(&v, e),
    };
    let prepared = match app
        .start_import(&v.actor, &name, bytes.clone(), options)
        .await
    {
        Ok(p) => p,
        Err(e @ AppError::BadFile { .. }) => {
            let headers = Table::read(bytes).map(|t| t.headers).unwrap_or_default();
            let text = file_error(&v, &e);
            let mut r = mapping_page(
                &v,
                f.get("token"),
                &name,
                &headers,
                0,
                Some(&f),
                Some(&text),
            );
            *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            return r;
        }
        Err(e) => return error_page(&v, e),
    };
    let id = prepared.import_id;
    if !dry_run {
        if let Err(e) = app.drop_staged(&v.actor, f.get("token")).await {
            return error_page(&v, e);
        }
    }
    let token = f.get("token").to_string();
    tokio::spawn(async move {
        if let Err(e) = app.run_import(prepared, &mut |_| {}).await {
            tracing::warn!(import = id, error = %e, "import stopped");
        }
    });
    let next = if dry_run {
        format!("/members/imports/{id}?token={token}")
    } else {
        format!("/members/imports/{id}")
    };
    axum::response::Redirect::to(&next).into_response()
}

#[derive(Debug, Default, Deserialize)]
struct ShowQuery {
    token: Option<String>,
}

async fn show(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Response {
    let l = &v.lang;
    let Ok(id) = id.parse::<i64>() else {
        return error_page(&v, AppError::NotFound("import"));
    };
    let r = match app.get_import(&v.actor, id).await {
        Ok(r) => r,
        Err(e) => return error_page(&v, e),
    };
    let running = r.status == "running" && !r.stopped();
    let share = if r.total_rows > 0 {
        (r.done_rows as f64 / r.total_rows as f64).min(1.0)
    } else {
        0.0
    };
    // A checked file can be loaded as it was mapped, while it is still at hand.
    let staged_token = match q.token {
        Some(t) => match app.is_staged(&v.actor, &t).await {
            Ok(true) => Some(t),
            Ok(false) => None,
            Err(e) => return error_page(&v, e),
        },
        None => None,
    };
    let body = html! {
        @if running {
            // Without JavaScript, the page reloads itself while the run goes on.
            meta http-equiv="refresh" content="2";
        }
        section.card #import-progress data-status=(r.status) {
            p { bdi { (r.file_name) } " · " strong { (state_label(&v, &r)) } }
            progress max="100" value=(format!("{:.0}", share * 100.0)) aria-label=(v.t("import-progress")) {}
            p { (l.t_args("import-progress-rows", &[("done", l.number(r.done_rows)), ("total", l.number(r.total_rows))])) }
            @if let (true, Some(phase)) = (running, &r.phase) {
                p #import-phase { (v.t(&format!("import-phase-{phase}"))) }
            }
            dl.details {
                dt { (v.t(if r.dry_run { "import-would-create" } else { "import-created" })) } dd #created { (l.number(r.created)) }
                dt { (v.t(if r.dry_run { "import-would-update" } else { "import-updated" })) } dd #updated { (l.number(r.updated)) }
                dt { (v.t("import-unchanged")) } dd #unchanged { (l.number(r.unchanged)) }
                dt { (v.t("import-rejected")) } dd #rejected { (l.number(r.rejected)) }
                dt { (v.t("import-duplicates")) } dd #duplicates { (l.number(r.duplicates)) }
            }
            @if r.stopped() { p.error role="alert" { (v.t("import-stopped-hint")) } }
        }
        @if r.dry_run && r.status == "done" {
            @if let Some(t) = &staged_token {
                form method="post" action="/members/import/run" {
                    (v.csrf_field())
                    input type="hidden" name="token" value=(t);
                    input type="hidden" name="mode" value="load";
                    @for (i, f) in r.columns.iter().enumerate() {
                        input type="hidden" name={"col" (i)} value=(f.as_deref().unwrap_or(""));
                    }
                    input type="hidden" name="calendar" value=(r.calendar);
                    input type="hidden" name="date_order" value=(r.date_order);
                    div.actions { button type="submit" #load-now { (v.t("import-load")) } }
                }
            }
        }
        @if !r.problems.is_empty() {
            h2 { (v.t("import-problems")) }
            p { a href={"/members/imports/" (r.id) "/errors.csv"} { (v.t("import-errors-download")) } }
            div.scroll { table #problems {
                thead { tr {
                    th scope="col" { (v.t("import-row")) }
                    th scope="col" { (v.t("import-column")) }
                    th scope="col" { (v.t("import-reason")) }
                    th scope="col" { (v.t("import-value")) }
                } }
                tbody { @for p in &r.problems { tr {
                    td.num { (l.number(p.row)) }
                    td { (column_label(&v, &p.column)) }
                    td { (v.t(&format!("field-{}", p.reason))) }
                    td { (problem_detail(&v, p.detail.as_deref().unwrap_or(""))) }
                } } }
            } }
        }
        p { a href="/members/import" { (v.t("import-another")) } " · " a href="/members/duplicates" { (v.t("dup-title")) } }
    };
    v.page(&v.t("import-title"), "nav-members", body)
}

/// The value at fault, or the person or row a likely duplicate may be: a link to the
/// member, or the row in the reader's digits.
fn problem_detail(v: &Viewer, detail: &str) -> Markup {
    if let Some(id) = detail.strip_prefix('#').and_then(|d| d.parse::<i64>().ok()) {
        return html! { a href={"/members/" (id)} { "#" (id) } };
    }
    if let Some(row) = detail
        .strip_prefix("row ")
        .and_then(|d| d.parse::<i64>().ok())
    {
        return html! { (v.lang.t_args("import-at-row", &[("row", v.lang.number(row))])) };
    }
    html! { bdi { (detail) } }
}

fn column_label(v: &Viewer, column: &str) -> String {
    if column.is_empty() {
        String::new()
    } else {
        v.t(&format!("col-{column}"))
    }
}

async fn errors_csv(State(app): State<App>, v: Viewer, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return error_page(&v, AppError::NotFound("import"));
    };
    match app.get_import(&v.actor, id).await {
        Ok(r) => {
            let mut rows = vec![vec![
                v.t("import-row"),
                v.t("import-column"),
                v.t("import-reason"),
                v.t("import-value"),
                "code".to_string(),
            ]];
            rows.extend(r.problems.iter().map(|p| {
                vec![
                    p.row.to_string(),
                    column_label(&v, &p.column),
                    v.t(&format!("field-{}", p.reason)),
                    p.detail.clone().unwrap_or_default(),
                    p.reason.clone(),
                ]
            }));
            super::layout::csv_response(&format!("import-{id}-errors"), rows, true)
        }
        Err(e) => error_page(&v, e),
    }
}

// --- Duplicates ---------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
struct DupQuery {
    offset: Option<i64>,
}

async fn duplicates(State(app): State<App>, v: Viewer, Query(q): Query<DupQuery>) -> Response {
    let l = &v.lang;
    let offset = q.offset.unwrap_or(0).max(0);
    let page = match app.list_duplicates(&v.actor, 20, offset).await {
        Ok(p) => p,
        Err(e) => return error_page(&v, e),
    };
    let edits = v.actor.role().edits_registry();
    let scans = match app.recent_jobs(&v.actor, "scan").await {
        Ok(s) => s,
        Err(e) => return error_page(&v, e),
    };
    let body = html! {
        p { (l.t_args("dup-count", &[("pairs", l.number(page.total))])) }
        @if !scans.is_empty() {
            ul.jobs aria-label=(v.t("dup-scans")) { @for j in &scans {
                li {
                    (job_state(&v, j)) " "
                    (l.date(j.created_at.get(..10).unwrap_or(""))) " · " bdi dir="ltr" { (j.username) }
                    @if let Some(found) = j.result.as_ref().and_then(|r| r.get("likely_pairs")).and_then(|n| n.as_i64()) {
                        " · " (l.t_args("dup-scan-found", &[("pairs", l.number(found))]))
                    }
                    @if j.state == "running" { @if let Some(total) = j.total {
                        " · " (l.t_args("dup-scan-people", &[("people", l.number(total))]))
                    } }
                }
            } }
        }
        @if edits {
            form method="post" action="/members/duplicates/scan" {
                (v.csrf_field())
                button type="submit" #scan { (v.t("dup-scan")) }
            }
        }
        @if page.pairs.is_empty() { p.empty { (v.t("dup-empty")) } }
        @for pair in &page.pairs { (pair_card(&v, pair, edits)) }
        nav.pager aria-label=(v.t("pager-label")) {
            @if offset > 0 { a href={"/members/duplicates?offset=" ((offset - 20).max(0))} { (v.t("pager-first")) } }
            @if offset + 20 < page.total { a rel="next" href={"/members/duplicates?offset=" (offset + 20)} { (v.t("pager-next")) } }
        }
    };
    v.page(&v.t("dup-title"), "nav-members", body)
}

/// How a value of the side-by-side table is shown.
#[derive(Clone, Copy, PartialEq)]
enum Shown {
    Text,
    Date,
    /// A code shown by its message, `prefix-code`.
    Coded(&'static str),
}

/// A row of the side-by-side table: the field, how to read it, how to show it.
type PairRow = (&'static str, fn(&PairSide) -> Option<String>, Shown);

fn pair_card(v: &Viewer, p: &DuplicatePair, edits: bool) -> Markup {
    let l = &v.lang;
    let rows: [PairRow; 12] = [
        (
            "full_name",
            |s| Some(s.person.full_name.clone()),
            Shown::Text,
        ),
        ("latin_name", |s| s.person.latin_name.clone(), Shown::Text),
        (
            "gender",
            |s| s.person.gender.clone(),
            Shown::Coded("gender"),
        ),
        ("birth_date", |s| s.person.birth_date.clone(), Shown::Date),
        ("phone", |s| s.person.phone.clone(), Shown::Text),
        ("email", |s| s.person.email.clone(), Shown::Text),
        ("national_id", |s| s.person.national_id.clone(), Shown::Text),
        (
            "occupation_code",
            |s| s.person.occupation_code.clone(),
            Shown::Text,
        ),
        ("unit_code", |s| Some(s.unit_code.clone()), Shown::Text),
        ("status", |s| Some(s.status.clone()), Shown::Coded("status")),
        ("member_number", |s| s.member_number.clone(), Shown::Text),
        ("joined_on", |s| s.joined_on.clone(), Shown::Date),
    ];
    let show = |v: Option<String>, how: Shown| {
        v.map(|x| match how {
            Shown::Text => x,
            Shown::Date => l.date(&x),
            Shown::Coded(prefix) => l.t(&format!("{prefix}-{x}")),
        })
        .unwrap_or_default()
    };
    html! {
        section.card.dup-pair data-a=(p.a.id) data-b=(p.b.id) {
            h2 { bdi { (p.a.person.full_name) } " ↔ " bdi { (p.b.person.full_name) } " · " (l.t_args("dup-score", &[("score", l.decimal(p.score))])) }
            div.scroll { table.side-by-side {
                thead { tr {
                    th scope="col" { (v.t("dup-field")) }
                    th scope="col" { a href={"/members/" (p.a.id)} { "#" (p.a.id) } }
                    th scope="col" { a href={"/members/" (p.b.id)} { "#" (p.b.id) } }
                } }
                tbody { @for (name, get, how) in rows {
                    @let differs = p.differences.iter().any(|d| d == name);
                    tr class=[differs.then_some("differs")] {
                        th scope="row" { (v.t(&format!("col-{name}"))) }
                        td { bdi { (show(get(&p.a), how)) } }
                        td { bdi { (show(get(&p.b), how)) } }
                    }
                } }
            } }
            @if edits {
                div.actions {
                    form method="post" action="/members/duplicates/merge" {
                        (v.csrf_field())
                        input type="hidden" name="keep" value=(p.a.id);
                        input type="hidden" name="drop" value=(p.b.id);
                        button type="submit" class="merge-keep-a" { (l.t_args("dup-keep", &[("id", p.a.id.to_string())])) }
                    }
                    form method="post" action="/members/duplicates/merge" {
                        (v.csrf_field())
                        input type="hidden" name="keep" value=(p.b.id);
                        input type="hidden" name="drop" value=(p.a.id);
                        button type="submit" class="merge-keep-b" { (l.t_args("dup-keep", &[("id", p.b.id.to_string())])) }
                    }
                    form method="post" action="/members/duplicates/dismiss" {
                        (v.csrf_field())
                        input type="hidden" name="a" value=(p.a.id);
                        input type="hidden" name="b" value=(p.b.id);
                        button.secondary type="submit" class="dismiss" { (v.t("dup-dismiss")) }
                    }
                }
            }
        }
    }
}

async fn scan(State(app): State<App>, v: Viewer) -> Response {
    match app.start_scan(&v.actor).await {
        Ok(_) => redirect_with_flash("/members/duplicates", "flash-dup-scan-started"),
        Err(e) => error_page(&v, e),
    }
}

async fn merge(State(app): State<App>, v: Viewer, Form(f): Form<PlainForm>) -> Response {
    let (Ok(keep), Ok(drop)) = (f.int("keep"), f.int("drop")) else {
        return error_page(&v, AppError::NotFound("member"));
    };
    match app.merge_members(&v.actor, keep, drop).await {
        Ok(m) => redirect_with_flash(&format!("/members/{}", m.id), "flash-dup-merged"),
        Err(e) => error_page(&v, e),
    }
}

async fn dismiss(State(app): State<App>, v: Viewer, Form(f): Form<PlainForm>) -> Response {
    let (Ok(a), Ok(b)) = (f.int("a"), f.int("b")) else {
        return error_page(&v, AppError::NotFound("member"));
    };
    match app.dismiss_duplicate(&v.actor, a, b).await {
        Ok(()) => redirect_with_flash("/members/duplicates", "flash-dup-dismissed"),
        Err(e) => error_page(&v, e),
    }
}

/// A job's state in words, with its colour.
pub(super) fn job_state(v: &Viewer, j: &muster_app::jobs::JobView) -> maud::Markup {
    maud::html! { span class=(format!("report {}", match j.state.as_str() {
        "done" => "accepted",
        "failed" => "missing",
        _ => "submitted",
    })) { (v.t(&format!("job-{}", j.state))) } }
}
