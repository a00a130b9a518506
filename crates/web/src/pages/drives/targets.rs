//! Targets at a unit and their split among the units below.

use super::*;

// --- Targets ---------------------------------------------------------------------------

pub(super) async fn targets(
    State(app): State<App>,
    v: Viewer,
    Path(code): Path<String>,
    Query(q): Query<DashboardQuery>,
) -> Response {
    match load(&app, &v, &code, q.unit.as_deref()).await {
        Ok(p) => targets_page(&v, &code, &p, q.metric, &Fields::new()),
        Err(e) => error_page(&v, e),
    }
}

fn targets_page(
    v: &Viewer,
    code: &str,
    p: &ProgressView,
    metric: Option<i64>,
    errors: &Fields,
) -> Response {
    let l = &v.lang;
    let here = p.path.last().map(|u| u.code.clone()).unwrap_or_default();
    let Some(selected) = metric
        .and_then(|id| p.metrics.iter().find(|m| m.metric.id == id))
        .or(p.metrics.first())
    else {
        return error_page(v, AppError::NotFound("metric"));
    };
    let can = v.actor.role().manages_units();
    let body = html! {
        (breadcrumb(v, &format!("{code}/targets"), p, Some(selected.metric.id)))
        p { a href=(format!("/drives/{code}?unit={}", enc(&here))) { (v.t("drive-back")) } }
        @if !errors.is_empty() {
            p.error role="alert" {
                @for c in errors.values() { (v.t(&format!("field-{c}"))) " " }
            }
        }
        nav.tabs {
            @for m in &p.metrics {
                a href=(format!("/drives/{code}/targets?unit={}&metric={}", enc(&here), m.metric.id))
                    aria-current=[(m.metric.id == selected.metric.id).then_some("page")] { (metric_label(v, &m.metric)) }
            }
        }
        @if can {
            form.inline method="post" action=(format!("/drives/{code}/targets")) {
                (v.csrf_field())
                input type="hidden" name="unit" value=(here);
                input type="hidden" name="metric" value=(selected.metric.id);
                input type="hidden" name="action" value="set";
                label for="input-target" { (v.lang.t_args("drive-target-of", &[("unit", p.path.last().map(|u| u.name.clone()).unwrap_or_default())])) }
                input id="input-target" name="target" type="text" inputmode="numeric" value=(selected.total.target.map(|t| t.to_string()).unwrap_or_default());
                button type="submit" { (v.t("save")) }
            }
        } @else {
            p { (v.t("drive-target")) ": " (opt_number(l, selected.total.target)) }
        }
        @if selected.targets_mismatch {
            p.warning role="status" {
                (v.lang.t_args("drive-targets-mismatch", &[
                    ("sum", opt_number(l, selected.children_target_sum)),
                    ("target", opt_number(l, selected.total.target)),
                ]))
            }
        }
        @if !selected.children.is_empty() {
            h2 { (v.t("drive-split")) }
            form method="post" action=(format!("/drives/{code}/targets")) {
                (v.csrf_field())
                input type="hidden" name="unit" value=(here);
                input type="hidden" name="metric" value=(selected.metric.id);
                div.scroll { table {
                    thead { tr { th scope="col" { (v.t("member-unit")) } th.num scope="col" { (v.t("drive-target")) } th.num scope="col" { (v.t("drive-actual")) } } }
                    tbody { @for c in &selected.children {
                        tr {
                            td { a href=(format!("/drives/{code}/targets?unit={}&metric={}", enc(&c.unit_code), selected.metric.id)) { bdi { (c.unit_name) } } }
                            td.num {
                                @if can {
                                    input name=(format!("t_{}", c.unit_code)) type="text" inputmode="numeric" size="8"
                                        aria-label=(c.unit_name) value=(c.target.map(|t| t.to_string()).unwrap_or_default());
                                } @else { (opt_number(l, c.target)) }
                            }
                            td.num { (l.number(c.actual)) }
                        }
                    } }
                    tfoot { tr { th scope="row" { (v.t("drive-children-sum")) } td.num { (opt_number(l, selected.children_target_sum)) } td {} } }
                } }
                @if can {
                    div.actions {
                        button type="submit" name="action" value="manual" { (v.t("drive-split-manual")) }
                        button type="submit" name="action" value="members" { (v.t("drive-split-members")) }
                        button type="submit" name="action" value="workforce" { (v.t("drive-split-workforce")) }
                    }
                }
            }
        }
    };
    let title = format!("{} · {}", v.t("drive-targets"), p.drive.name_in(l.locale));
    let mut r = v.page(&title, "nav-drives", body);
    if !errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

fn parse_target(s: &str) -> Result<Option<i64>, ()> {
    let s = muster_domain::names::digits_to_ascii(s.trim()).replace([',', '.', '٬', ' '], "");
    if s.is_empty() {
        return Ok(None);
    }
    s.parse().map(Some).map_err(|_| ())
}

pub(super) async fn save_targets(
    State(app): State<App>,
    v: Viewer,
    Path(code): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let unit = f.get("unit").to_string();
    let metric: i64 = f.get("metric").parse().unwrap_or(0);
    let result = match f.get("action") {
        "set" => match parse_target(f.get("target")) {
            Ok(target) => {
                app.set_target(
                    &v.actor,
                    &code,
                    &unit,
                    TargetInput {
                        metric_id: metric,
                        target,
                    },
                )
                .await
            }
            Err(()) => Err(AppError::field("target", "invalid_number")),
        },
        method => {
            let mut targets = BTreeMap::new();
            let mut bad = None;
            if method == "manual" {
                for (k, val) in &f.values {
                    if let Some(child) = k.strip_prefix("t_") {
                        match parse_target(val) {
                            Ok(t) => {
                                targets.insert(child.to_string(), t);
                            }
                            Err(()) => bad = Some(format!("targets.{child}")),
                        }
                    }
                }
            }
            match bad {
                Some(field) => Err(AppError::field(&field, "invalid_number")),
                None => app
                    .split_target(
                        &v.actor,
                        &code,
                        &unit,
                        SplitInput {
                            metric_id: metric,
                            method: method.into(),
                            targets,
                        },
                    )
                    .await
                    .map(|_| ()),
            }
        }
    };
    match result {
        Ok(()) => redirect_with_flash(
            &format!("/drives/{code}/targets?unit={}&metric={metric}", enc(&unit)),
            "flash-targets-saved",
        ),
        Err(AppError::Invalid(errors)) => match load(&app, &v, &code, Some(&unit)).await {
            Ok(p) => targets_page(&v, &code, &p, Some(metric), &errors),
            Err(e) => error_page(&v, e),
        },
        Err(e) => error_page(&v, e),
    }
}
