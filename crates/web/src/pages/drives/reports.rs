//! Monthly reports: the list of what is filed, overdue and waiting, one report, filing and review.

use super::*;

// --- Reports ---------------------------------------------------------------------------

/// Filed reports listed on the reports page, latest months first (all are in the API).
const FILED_SHOWN: usize = 300;

fn status_badge(v: &Viewer, s: &str) -> Markup {
    html! { span class=(format!("report {s}")) { (v.t(&format!("report-{s}"))) } }
}

pub(super) async fn reports(
    State(app): State<App>,
    v: Viewer,
    Path(code): Path<String>,
    Query(q): Query<DashboardQuery>,
) -> Response {
    let today = Date::today();
    let (p, filed, overdue) = match tokio::try_join!(
        load(&app, &v, &code, q.unit.as_deref()),
        app.drive_reports(&v.actor, &code),
        app.overdue_reports(&v.actor, &code, today)
    ) {
        Ok(x) => x,
        Err(e) => return error_page(&v, e),
    };
    let l = &v.lang;
    let d = &p.drive;
    let label = |key: &str, i: i64| {
        month_label(
            l,
            &d.calendar,
            key,
            p.month_starts
                .get(i as usize)
                .map(String::as_str)
                .unwrap_or(""),
        )
    };
    let here = p.path.last().cloned();
    let begun = p.months_begun.max(0) as usize;
    // The caller files for their own unit, or for the unit they are looking at.
    let mine = here.as_ref().map(|u| u.code.clone()).unwrap_or_default();
    let body = html! {
        (breadcrumb(&v, &format!("{code}/reports"), &p, None))
        p { a href=(format!("/drives/{code}?unit={}", enc(&mine))) { (v.t("drive-back")) } }
        @if v.actor.role().edits_registry() && begun > 0 {
            h2 { (v.t("report-file")) }
            ul.months {
                @for i in (0..begun).rev().take(3) {
                    li { a href=(format!("/drives/{code}/reports/{}/{}", enc(&mine), p.months[i])) {
                        (v.lang.t_args("report-file-for", &[("unit", here.as_ref().map(|u| u.name.clone()).unwrap_or_default()), ("month", label(&p.months[i], i as i64))]))
                    } }
                }
            }
        }
        @let waiting: Vec<&ReportView> = filed
            .iter()
            .filter(|r| r.status == "submitted" && v.actor.role().manages_units() && Some(&r.unit_code) != p.path.first().map(|u| &u.code))
            .collect();
        @if !waiting.is_empty() {
            h2 { (v.lang.t_args("report-waiting", &[("count", l.number(waiting.len() as i64))])) }
            ul.months { @for r in &waiting {
                li { a href=(format!("/drives/{code}/reports/{}/{}", enc(&r.unit_code), r.month)) {
                    (v.lang.t_args("report-file-for", &[("unit", r.unit_name.clone()), ("month", label(&r.month, r.period))]))
                } }
            } }
        }
        h2 { (v.lang.t_args("report-overdue", &[("count", l.number(overdue.len() as i64))])) }
        @if overdue.is_empty() { p.empty { (v.t("report-none-overdue")) } } @else {
            div.scroll { table {
                thead { tr { th scope="col" { (v.t("member-unit")) } th scope="col" { (v.t("report-month")) } th scope="col" { (v.t("report-due")) } th scope="col" { (v.t("member-status")) } } }
                tbody { @for o in overdue.iter().take(500) {
                    tr {
                        td { bdi { (o.unit_name) } br; small { bdi dir="ltr" { (o.unit_code) } } }
                        td { a href=(format!("/drives/{code}/reports/{}/{}", enc(&o.unit_code), o.month)) { (label(&o.month, o.period)) } }
                        td.date { (l.date(&o.due_on)) }
                        td { (status_badge(&v, &o.state)) }
                    }
                } }
            } }
        }
        h2 { (v.t("report-filed")) }
        @if filed.len() > FILED_SHOWN {
            p.period { (v.lang.t_args("report-showing", &[("shown", l.number(FILED_SHOWN as i64)), ("count", l.number(filed.len() as i64))])) }
        }
        @if filed.is_empty() { p.empty { (v.t("report-none-filed")) } } @else {
            div.scroll { table {
                thead { tr {
                    th scope="col" { (v.t("member-unit")) } th scope="col" { (v.t("report-month")) }
                    th scope="col" { (v.t("member-status")) } th scope="col" { (v.t("report-filed-by")) }
                    @for m in d.metrics.iter().filter(|m| m.is_custom()) { th.num scope="col" { (metric_label(&v, m)) } }
                } }
                tbody { @for r in filed.iter().rev().take(FILED_SHOWN) {
                    tr {
                        td { bdi { (r.unit_name) } }
                        td { a href=(format!("/drives/{code}/reports/{}/{}", enc(&r.unit_code), r.month)) { (label(&r.month, r.period)) } }
                        td { (status_badge(&v, &r.status)) }
                        td { (r.filed_by.as_deref().unwrap_or("")) " · " (l.date(r.filed_at.get(..10).unwrap_or(""))) }
                        @for m in d.metrics.iter().filter(|m| m.is_custom()) {
                            td.num { (opt_number(l, r.figures.get(&m.id).copied())) }
                        }
                    }
                } }
            } }
        }
    };
    v.page(
        &format!("{} · {}", v.t("drive-reports"), d.name_in(l.locale)),
        "nav-drives",
        body,
    )
}

pub(super) async fn report(
    State(app): State<App>,
    v: Viewer,
    Path((code, unit, month)): Path<(String, String, String)>,
) -> Response {
    report_page(
        &app,
        &v,
        &code,
        &unit,
        &month,
        &PlainForm::default(),
        &Fields::new(),
    )
    .await
}

pub(super) async fn report_page(
    app: &App,
    v: &Viewer,
    code: &str,
    unit: &str,
    month: &str,
    f: &PlainForm,
    errors: &Fields,
) -> Response {
    let (p, existing) = match tokio::try_join!(
        load(app, v, code, Some(unit)),
        app.get_report(&v.actor, code, unit, month)
    ) {
        Ok(x) => x,
        Err(e) => return error_page(v, e),
    };
    let l = &v.lang;
    let d = &p.drive;
    let i = p.months.iter().position(|m| m == month).unwrap_or(0);
    let label = month_label(l, &d.calendar, month, &p.month_starts[i]);
    let unit_name = p.path.last().map(|u| u.name.clone()).unwrap_or_default();
    let accepted = existing.as_ref().is_some_and(|r| r.status == "accepted");
    let can_file = v.actor.role().edits_registry() && !accepted && (i as i64) < p.months_begun;
    let reviewable = existing.as_ref().is_some_and(|r| r.status == "submitted")
        && v.actor.role().manages_units()
        && p.path.len() > 1;
    let value = |k: &str, fallback: String| {
        if f.values.contains_key(k) {
            f.get(k).to_string()
        } else {
            fallback
        }
    };
    let body = html! {
        p { a href=(format!("/drives/{code}/reports?unit={}", enc(unit))) { (v.t("drive-reports")) } }
        @if let Some(r) = &existing { (report_details(v, d.metrics.as_slice(), r)) }
        @else { p.empty { (v.t("report-not-filed")) } }
        @if !errors.is_empty() { p.error role="alert" { (v.t("form-has-errors")) } }
        @if can_file {
            h2 { (if existing.is_some() { v.t("report-file-again") } else { v.t("report-file") }) }
            form.card method="post" action=(format!("/drives/{code}/reports/{}/{month}", enc(unit))) novalidate {
                (v.csrf_field())
                @for m in d.metrics.iter().filter(|m| m.is_custom()) {
                    @let key = format!("figure_{}", m.id);
                    @let current = existing.as_ref().and_then(|r| r.figures.get(&m.id)).map(|n| n.to_string()).unwrap_or_default();
                    div.field.invalid[errors.contains_key(&format!("figures.{}", m.id))] {
                        label for=(format!("f-{key}")) { (metric_label(v, m)) @if let Some(u) = &m.unit_of_measure { " (" (u) ")" } }
                        input id=(format!("f-{key}")) name=(key) type="text" inputmode="numeric" value=(value(&key, current));
                        @if let Some(c) = errors.get(&format!("figures.{}", m.id)) { p.error { (v.t(&format!("field-{c}"))) } }
                    }
                }
                div.field.invalid[errors.contains_key("narrative")] {
                    label for="input-narrative" { (v.t("report-narrative")) }
                    textarea id="input-narrative" name="narrative" rows="6" {
                        (value("narrative", existing.as_ref().map(|r| r.narrative.clone()).unwrap_or_default()))
                    }
                    @if let Some(c) = errors.get("narrative") { p.error { (v.t(&format!("field-{c}"))) } }
                }
                div.actions { button type="submit" { (v.t("report-submit")) } }
            }
        }
        @if reviewable {
            h2 { (v.t("report-review")) }
            form.card method="post" action=(format!("/drives/{code}/reports/{}/{month}/review", enc(unit))) {
                (v.csrf_field())
                div.field.invalid[errors.contains_key("comment")] {
                    label for="input-comment" { (v.t("report-comment")) }
                    textarea id="input-comment" name="comment" rows="3" { (f.get("comment")) }
                    @if let Some(c) = errors.get("comment") { p.error { (v.t(&format!("field-{c}"))) } }
                }
                div.actions {
                    button type="submit" name="status" value="accepted" { (v.t("report-accept")) }
                    button.secondary type="submit" name="status" value="returned" { (v.t("report-return")) }
                }
            }
        }
    };
    let title = v
        .lang
        .t_args("report-title", &[("unit", unit_name), ("month", label)]);
    let mut r = v.page(&title, "nav-drives", body);
    if !errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

fn report_details(v: &Viewer, metrics: &[MetricView], r: &ReportView) -> Markup {
    let l = &v.lang;
    html! {
        dl.details {
            div { dt { (v.t("member-status")) } dd { (status_badge(v, &r.status)) } }
            div { dt { (v.t("report-filed-by")) } dd { (r.filed_by.as_deref().unwrap_or("")) " · " (l.date(r.filed_at.get(..10).unwrap_or(""))) } }
            @for m in metrics.iter().filter(|m| m.is_custom()) {
                div { dt { (metric_label(v, m)) } dd { (opt_number(l, r.figures.get(&m.id).copied())) } }
            }
            @if let Some(by) = &r.reviewed_by {
                div { dt { (v.t("report-reviewed-by")) } dd { (by) " · " (l.date(r.reviewed_at.as_deref().and_then(|t| t.get(..10)).unwrap_or(""))) } }
            }
        }
        @if let Some(c) = &r.review_comment { blockquote.comment { strong { (v.t("report-comment")) ": " } (c) } }
        @if !r.narrative.is_empty() { h2 { (v.t("report-narrative")) } div.narrative { (PreEscaped(maud::html! { (r.narrative) }.into_string().replace('\n', "<br>"))) } }
    }
}

pub(super) async fn file_report(
    State(app): State<App>,
    v: Viewer,
    Path((code, unit, month)): Path<(String, String, String)>,
    Form(f): Form<PlainForm>,
) -> Response {
    let figures = f
        .values
        .iter()
        .filter_map(|(k, val)| Some((k.strip_prefix("figure_")?.parse().ok()?, val.clone())))
        .collect();
    let input = FileReport {
        narrative: Some(f.get("narrative").to_string()),
        figures,
    };
    match app
        .file_report(&v.actor, &code, &unit, &month, input, Date::today())
        .await
    {
        Ok(_) => redirect_with_flash(
            &format!("/drives/{code}/reports/{}/{month}", enc(&unit)),
            "flash-report-filed",
        ),
        Err(AppError::Invalid(errors)) => {
            report_page(&app, &v, &code, &unit, &month, &f, &errors).await
        }
        Err(e) => error_page(&v, e),
    }
}

pub(super) async fn review_report(
    State(app): State<App>,
    v: Viewer,
    Path((code, unit, month)): Path<(String, String, String)>,
    Form(f): Form<PlainForm>,
) -> Response {
    let input = ReviewReport {
        status: f.get("status").into(),
        comment: f.opt("comment"),
    };
    match app
        .review_report(&v.actor, &code, &unit, &month, input)
        .await
    {
        Ok(r) => redirect_with_flash(
            &format!("/drives/{code}/reports/{}/{month}", enc(&unit)),
            if r.status == "accepted" {
                "flash-report-accepted"
            } else {
                "flash-report-returned"
            },
        ),
        Err(AppError::Invalid(errors)) => {
            report_page(&app, &v, &code, &unit, &month, &f, &errors).await
        }
        Err(e) => error_page(&v, e),
    }
}
