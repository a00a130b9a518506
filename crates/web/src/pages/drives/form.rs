//! Declaring a drive and editing it.

use super::*;

// --- A new drive -----------------------------------------------------------------------

/// The number of custom metrics the form offers.
const CUSTOM_ROWS: usize = 3;

fn drive_input(f: &PlainForm) -> Result<NewDrive, Fields> {
    let mut metrics = Vec::new();
    let mut errors = Fields::new();
    let builtin = |kind: &str| NewMetric {
        kind: kind.into(),
        ..NewMetric::default()
    };
    if f.on("m_new_members") {
        metrics.push(builtin("new_members"));
    }
    if f.on("m_new_informal") {
        metrics.push(NewMetric {
            informal_category: f.opt("informal_category"),
            ..builtin("new_informal")
        });
    }
    if f.on("m_net_change") {
        metrics.push(builtin("net_change"));
    }
    if f.on("m_new_units") {
        metrics.push(builtin("new_units"));
    }
    if f.on("m_new_units_min") {
        let min = f
            .opt("min_workers")
            .map(|s| muster_domain::names::digits_to_ascii(&s).parse::<i64>());
        match min {
            Some(Ok(n)) => metrics.push(NewMetric {
                min_workers: Some(n),
                ..builtin("new_units")
            }),
            _ => {
                errors.insert("min_workers".into(), "out_of_range".into());
            }
        }
    }
    for kind in MetricKind::COMPUTED {
        if f.on(&format!("m_{kind}")) {
            metrics.push(NewMetric {
                scheme: (kind == MetricKind::SchemeEnrolled)
                    .then(|| f.opt("scheme"))
                    .flatten(),
                ..builtin(kind.as_str())
            });
        }
    }
    for i in 0..CUSTOM_ROWS {
        if let Some(name) = f.opt(&format!("custom_{i}_name")) {
            metrics.push(NewMetric {
                kind: "custom".into(),
                name: Some(name),
                unit_of_measure: f.opt(&format!("custom_{i}_unit")),
                ..NewMetric::default()
            });
        }
    }
    let due = match f.opt("report_due_days") {
        None => None,
        Some(s) => match muster_domain::names::digits_to_ascii(&s).parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.insert("report_due_days".into(), "out_of_range".into());
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let names: BTreeMap<String, String> = crate::i18n::LOCALES
        .iter()
        .filter_map(|l| f.opt(&format!("name_{l}")).map(|n| (l.to_string(), n)))
        .collect();
    Ok(NewDrive {
        code: f.get("code").into(),
        name: f
            .opt("name")
            .or_else(|| names.values().next().cloned())
            .unwrap_or_default(),
        names,
        scope_unit_code: f.get("scope_unit_code").into(),
        calendar: f.opt("calendar"),
        start_month: f.get("start_month").into(),
        end_month: f.get("end_month").into(),
        report_due_days: due,
        metrics,
    })
}

fn drive_form(v: &Viewer, f: &PlainForm, errors: &Fields) -> Response {
    let l = &v.lang;
    let text = |name: &str, key: &str, hint: Option<&str>| {
        field(l, name, key, f.get(name), errors.get(name), "text", hint)
    };
    let calendars: Vec<(String, String)> = [Calendar::Gregorian, Calendar::Persian]
        .iter()
        .map(|c| {
            (
                c.as_str().to_string(),
                v.t(&format!("calendar-{}", c.as_str())),
            )
        })
        .collect();
    let mut categories = vec![(String::new(), v.t("drive-any-category"))];
    categories.extend(InformalCategory::ALL.iter().map(|c| {
        (
            c.as_str().to_string(),
            v.t(&format!("category-{}", c.as_str())),
        )
    }));
    let check = |name: &str, key: &str| {
        html! { label.check { input type="checkbox" name=(name) value="on" checked[f.on(name)]; " " (v.t(key)) } }
    };
    let metric_errors: Vec<(&String, &String)> = errors
        .iter()
        .filter(|(k, _)| k.starts_with("metrics"))
        .collect();
    let hint = if l.calendar == Calendar::Persian {
        "1405/01"
    } else {
        "2026-01"
    };
    let body = html! {
        @if !errors.is_empty() { p.error role="alert" { (v.t("form-has-errors")) } }
        form.card method="post" action="/drives/new" novalidate {
            (v.csrf_field())
            (text("code", "unit-code", Some("BT-2026")))
            (text("name", "drive-name", None))
            @for loc in crate::i18n::LOCALES {
                (field(l, &format!("name_{loc}"), &format!("drive-name-{loc}"), f.get(&format!("name_{loc}")), errors.get(&format!("names.{loc}")), "text", None))
            }
            (text("scope_unit_code", "drive-scope", None))
            (select(l, "calendar", "drive-calendar", &calendars, f.get("calendar"), errors.get("calendar")))
            (field(l, "start_month", "drive-start", f.get("start_month"), errors.get("start_month"), "text", Some(hint)))
            (field(l, "end_month", "drive-end", f.get("end_month"), errors.get("end_month"), "text", Some(hint)))
            (field(l, "report_due_days", "drive-due-days", f.get("report_due_days"), errors.get("report_due_days"), "text", Some("5")))
            fieldset {
                legend { (v.t("drive-metrics")) }
                @if let Some(code) = errors.get("metrics") { p.error { (v.t(&format!("field-{code}"))) } }
                @for (k, code) in &metric_errors { @if k.as_str() != "metrics" { p.error { (v.t(&format!("field-{code}"))) } } }
                (check("m_new_members", "metric-new_members"))
                (check("m_new_informal", "metric-new_informal"))
                (select(l, "informal_category", "member-informal-category", &categories, f.get("informal_category"), None))
                (check("m_net_change", "metric-net_change"))
                (check("m_new_units", "metric-new_units"))
                (check("m_new_units_min", "drive-units-min"))
                (field(l, "min_workers", "drive-min-workers", f.get("min_workers"), errors.get("min_workers"), "text", Some("25")))
                @for kind in MetricKind::COMPUTED {
                    (check(&format!("m_{kind}"), &format!("metric-{kind}")))
                    @if kind == MetricKind::SchemeEnrolled {
                        (field(l, "scheme", "drive-scheme", f.get("scheme"), None, "text", Some("eshram")))
                    }
                }
                @for i in 0..CUSTOM_ROWS {
                    div.pair {
                        (field(l, &format!("custom_{i}_name"), "drive-custom-name", f.get(&format!("custom_{i}_name")), None, "text", None))
                        (field(l, &format!("custom_{i}_unit"), "drive-custom-unit", f.get(&format!("custom_{i}_unit")), None, "text", None))
                    }
                }
            }
            div.actions { button type="submit" { (v.t("save")) } a href="/drives" { (v.t("cancel")) } }
        }
    };
    let mut r = v.page(&v.t("drive-new"), "nav-drives", body);
    if !errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

pub(super) async fn new_form(v: Viewer) -> Response {
    if !v.actor.role().manages_units() {
        return error_page(&v, AppError::Forbidden);
    }
    let mut f = PlainForm::default();
    f.values.insert("m_new_members".into(), "on".into());
    f.values.insert("report_due_days".into(), "5".into());
    drive_form(&v, &f, &Fields::new())
}

pub(super) async fn create(
    State(app): State<App>,
    v: Viewer,
    Form(f): Form<PlainForm>,
) -> Response {
    let input = match drive_input(&f) {
        Ok(i) => i,
        Err(errors) => return drive_form(&v, &f, &errors),
    };
    match app.create_drive(&v.actor, input).await {
        Ok(d) => redirect_with_flash(&format!("/drives/{}", d.code), "flash-drive-saved"),
        Err(AppError::Invalid(errors)) => drive_form(&v, &f, &errors),
        Err(AppError::Conflict { field, code }) => {
            drive_form(&v, &f, &Fields::from([(field, code)]))
        }
        Err(e) => error_page(&v, e),
    }
}

// --- Editing a drive ---------------------------------------------------------------------

fn edit_page(v: &Viewer, code: &str, f: &PlainForm, errors: &Fields) -> Response {
    let l = &v.lang;
    let body = html! {
        @if !errors.is_empty() { p.error role="alert" { (v.t("form-has-errors")) } }
        form.card method="post" action=(format!("/drives/{code}/edit")) novalidate {
            (v.csrf_field())
            (field(l, "name", "drive-name", f.get("name"), errors.get("name"), "text", None))
            @for loc in crate::i18n::LOCALES {
                (field(l, &format!("name_{loc}"), &format!("drive-name-{loc}"), f.get(&format!("name_{loc}")), errors.get(&format!("names.{loc}")), "text", None))
            }
            (field(l, "report_due_days", "drive-due-days", f.get("report_due_days"), errors.get("report_due_days"), "text", None))
            div.actions { button type="submit" { (v.t("save")) } a href=(format!("/drives/{code}")) { (v.t("cancel")) } }
        }
    };
    let mut r = v.page(&v.t("drive-edit"), "nav-drives", body);
    if !errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

pub(super) async fn edit_form(
    State(app): State<App>,
    v: Viewer,
    Path(code): Path<String>,
) -> Response {
    let d = match app.get_drive(&v.actor, &code).await {
        Ok(d) => d,
        Err(e) => return error_page(&v, e),
    };
    if !v.actor.role().manages_units() {
        return error_page(&v, AppError::Forbidden);
    }
    let mut f = PlainForm::default();
    f.values.insert("name".into(), d.name.clone());
    f.values
        .insert("report_due_days".into(), d.report_due_days.to_string());
    for (locale, name) in &d.names {
        f.values.insert(format!("name_{locale}"), name.clone());
    }
    edit_page(&v, &d.code, &f, &Fields::new())
}

pub(super) async fn edit(
    State(app): State<App>,
    v: Viewer,
    Path(code): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    if !v.actor.role().manages_units() {
        return error_page(&v, AppError::Forbidden);
    }
    // A drive out of sight is not found, whatever the form holds.
    if let Err(e) = app.get_drive(&v.actor, &code).await {
        return error_page(&v, e);
    }
    let due = match f.int("report_due_days") {
        Ok(n) => n,
        Err(_) => {
            return edit_page(
                &v,
                &code,
                &f,
                &Fields::from([("report_due_days".to_string(), "invalid_number".to_string())]),
            )
        }
    };
    let patch = DrivePatch {
        name: Some(f.get("name").into()),
        names: Some(
            crate::i18n::LOCALES
                .iter()
                .filter_map(|l| f.opt(&format!("name_{l}")).map(|n| (l.to_string(), n)))
                .collect(),
        ),
        report_due_days: Some(due),
    };
    match app.update_drive(&v.actor, &code, patch).await {
        Ok(d) => redirect_with_flash(&format!("/drives/{}", d.code), "flash-drive-saved"),
        Err(AppError::Invalid(errors)) => edit_page(&v, &code, &f, &errors),
        Err(e) => error_page(&v, e),
    }
}
