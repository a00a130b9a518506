//! One workplace's organizing: its map of workers and levels, the wall chart, and the
//! founding of its union.

use super::*;

fn level_class(level: Option<i64>) -> String {
    match level {
        Some(l @ 1..=5) => format!("level level-{l}"),
        _ => "level level-none".into(),
    }
}

fn level_counts(v: &Viewer, o: &Organizing) -> Markup {
    let l = &v.lang;
    html! {
        div.levels {
            @for (i, n) in o.levels.iter().enumerate() {
                span class=(level_class(Some(i as i64 + 1))) { (v.t(&format!("support-{}", i + 1))) ": " strong { (l.number(*n)) } }
            }
            span class=(level_class(None)) { (v.t("support-none")) ": " strong { (l.number(o.not_assessed)) } }
        }
        p.majority.yes[o.majority] {
            (v.lang.t_args("wall-supporters", &[
                ("share", l.percent(o.supporters_share)),
                ("of_headcount", l.percent(o.supporters_of_headcount)),
            ]))
            " "
            strong { (if o.majority { v.t("wall-majority") } else { v.t("wall-no-majority") }) }
        }
    }
}

pub(super) async fn organizing(
    State(app): State<App>,
    v: Viewer,
    Path(code): Path<String>,
) -> Response {
    organizing_page(&app, &v, &code, &Fields::new()).await
}

async fn organizing_page(app: &App, v: &Viewer, code: &str, errors: &Fields) -> Response {
    let o = match app.organizing(&v.actor, code).await {
        Ok(o) => o,
        Err(e) => return error_page(v, e),
    };
    let l = &v.lang;
    let w = &o.workplace;
    let can = v.actor.role().edits_registry();
    let action = format!("/workplaces/{code}/organizing");
    let rate = w
        .headcount
        .filter(|h| *h > 0)
        .map(|h| (o.members as f64 * 1000.0 / h as f64).round() / 10.0);
    let options: Vec<(String, String)> = o
        .workers
        .iter()
        .map(|wk| (wk.id.to_string(), wk.full_name.clone()))
        .collect();
    let worker_select = |name: &str| {
        html! {
            div.field {
                label for=(format!("f-{name}")) { (v.t("wall-worker")) }
                select id=(format!("f-{name}")) name=(name) {
                    @for (id, n) in &options { option value=(id) { (n) } }
                }
            }
        }
    };
    let body = html! {
        p.actions {
            a href=(format!("/workplaces/{code}")) { (v.t("workplace-details")) }
            a href=(format!("/workplaces/{code}/wall")) { (v.t("wall-title")) }
            @if w.covering_unit_code.is_none() && v.actor.role().manages_units() {
                a href=(format!("/workplaces/{code}/found")) { (v.t("found-title")) }
            }
        }
        @if !errors.is_empty() { p.error role="alert" { @for (k, c) in errors { (v.t(&format!("field-{c}"))) " (" (k) ") " } } }
        section.figures {
            div.figure { span.value { (w.headcount.map(|h| l.number(h)).unwrap_or_else(|| "—".into())) } span.label { (v.t("workplace-headcount")) } }
            div.figure { span.value { (l.number(o.members)) } span.label { (v.t("coverage-members")) } }
            div.figure { span.value { (l.percent(rate)) } span.label { (v.t("coverage-rate")) } }
            div.figure { span.value { (l.number(o.workers.len() as i64)) } span.label { (v.t("wall-known")) } }
        }
        (level_counts(v, &o))
        h2 { (v.t("wall-workers")) }
        @if o.workers.is_empty() { p.empty { (v.t("wall-no-workers")) } } @else {
            div.scroll { table {
                thead { tr {
                    th scope="col" { (v.t("wall-worker")) } th scope="col" { (v.t("wall-department")) }
                    th scope="col" { (v.t("member-status")) } th scope="col" { (v.t("wall-support")) }
                    th scope="col" { (v.t("wall-committee")) }
                } }
                tbody { @for wk in &o.workers {
                    tr {
                        td { @if wk.status.is_some() { a href=(format!("/members/{}", wk.id)) { bdi { (wk.full_name) } } } @else { bdi { (wk.full_name) } } }
                        td { (wk.department.as_deref().unwrap_or("")) }
                        td { (wk.status.as_deref().map(|s| v.t(&format!("status-{s}"))).unwrap_or_else(|| v.t("wall-not-member"))) }
                        td { span class=(level_class(wk.level)) { (wk.level.map(|n| v.t(&format!("support-{n}"))).unwrap_or_else(|| v.t("support-none"))) }
                            @if let Some(d) = &wk.assessed_on { " " small { (l.date(d)) } } }
                        td { (wk.committee_role.as_deref().unwrap_or("")) }
                    }
                } }
            } }
        }
        @if can {
            div.columns {
                form.card method="post" action=(action) {
                    (v.csrf_field())
                    input type="hidden" name="action" value="assess";
                    h3 { (v.t("wall-assess")) }
                    (worker_select("person_id"))
                    div.field {
                        label for="input-level" { (v.t("wall-support")) }
                        select id="input-level" name="level" {
                            @for n in 1..=5 { option value=(n) { (v.t(&format!("support-{n}"))) } }
                        }
                    }
                    (field(l, "note", "wall-note", "", errors.get("note"), "text", None))
                    div.actions { button type="submit" { (v.t("save")) } }
                }
                form.card method="post" action=(action) {
                    (v.csrf_field())
                    input type="hidden" name="action" value="worker";
                    h3 { (v.t("wall-add-worker")) }
                    (field(l, "full_name", "member-name", "", errors.get("full_name"), "text", None))
                    (field(l, "department", "wall-department", "", errors.get("department"), "text", None))
                    div.actions { button type="submit" { (v.t("save")) } }
                }
                form.card method="post" action=(action) {
                    (v.csrf_field())
                    input type="hidden" name="action" value="committee";
                    h3 { (v.t("wall-committee")) }
                    (worker_select("committee_person_id"))
                    (field(l, "role", "wall-role", "", errors.get("role"), "text", None))
                    div.actions { button type="submit" { (v.t("save")) } }
                }
                form.card method="post" action=(action) {
                    (v.csrf_field())
                    input type="hidden" name="action" value="assign";
                    h3 { (v.t("priority-organizer")) }
                    (field(l, "organizer", "priority-organizer", "", errors.get("organizer"), "text", Some(v.actor.username())))
                    (field(l, "follow_up_on", "priority-follow-up", "", errors.get("follow_up_on"), "text", Some(&l.date_hint())))
                    div.actions { button type="submit" { (v.t("save")) } }
                }
                form.card method="post" action=(action) {
                    (v.csrf_field())
                    input type="hidden" name="action" value="headcount";
                    h3 { (v.t("workplace-headcount")) }
                    (field(l, "as_of", "wall-as-of", "", errors.get("as_of"), "text", Some(&l.date_hint())))
                    (field(l, "headcount", "workplace-headcount", "", errors.get("headcount"), "text", None))
                    div.actions { button type="submit" { (v.t("save")) } }
                }
            }
        }
        @if !o.headcounts.is_empty() {
            h2 { (v.t("wall-headcounts")) }
            ul { @for h in &o.headcounts { li { (l.date(&h.as_of)) ": " (l.number(h.headcount)) } } }
        }
    };
    let mut r = v.page(
        &format!("{} · {}", v.t("wall-organizing"), w.name),
        "nav-workplaces",
        body,
    );
    if !errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

pub(super) async fn organizing_action(
    State(app): State<App>,
    v: Viewer,
    Path(code): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let id = |k: &str| f.get(k).parse::<i64>().unwrap_or(0);
    let result = match f.get("action") {
        "assess" => {
            let input = NewAssessment {
                person_id: id("person_id"),
                level: f.get("level").into(),
                note: f.opt("note"),
                assessed_on: None,
            };
            app.assess(&v.actor, &code, input).await
        }
        "worker" => {
            let input = NewWorker {
                person_id: None,
                full_name: f.opt("full_name"),
                department: f.opt("department"),
            };
            app.add_worker(&v.actor, &code, input).await.map(|_| ())
        }
        "committee" => {
            let seat = CommitteeSeat {
                person_id: id("committee_person_id"),
                role: f.opt("role"),
                since: None,
            };
            app.set_committee_seat(&v.actor, &code, seat).await
        }
        "assign" => {
            let a = Assignment {
                organizer: f.opt("organizer"),
                follow_up_on: f.opt("follow_up_on").map(|d| v.lang.iso_date(&d)),
            };
            app.assign_workplace(&v.actor, &code, a).await
        }
        "headcount" => match f.int("headcount") {
            Ok(headcount) => {
                let h = NewHeadcount {
                    as_of: v.lang.iso_date(f.get("as_of")),
                    headcount,
                };
                app.add_headcount(&v.actor, &code, h).await
            }
            Err(e) => Err(e),
        },
        _ => Err(AppError::field("action", "invalid")),
    };
    match result {
        Ok(()) => redirect_with_flash(
            &format!("/workplaces/{code}/organizing"),
            "flash-workplace-saved",
        ),
        Err(AppError::Invalid(errors)) => organizing_page(&app, &v, &code, &errors).await,
        Err(e) => error_page(&v, e),
    }
}

pub(super) async fn wall(State(app): State<App>, v: Viewer, Path(code): Path<String>) -> Response {
    let o = match app.organizing(&v.actor, &code).await {
        Ok(o) => o,
        Err(e) => return error_page(&v, e),
    };
    let no_department = v.t("wall-no-department");
    let mut columns: Vec<(String, Vec<&muster_app::mapping::Worker>)> = o
        .departments
        .iter()
        .map(|d| (d.clone(), Vec::new()))
        .collect();
    for wk in &o.workers {
        let name = wk
            .department
            .clone()
            .unwrap_or_else(|| no_department.clone());
        match columns.iter_mut().find(|(d, _)| *d == name) {
            Some((_, list)) => list.push(wk),
            None => columns.push((name, vec![wk])),
        }
    }
    let l = &v.lang;
    let body = html! {
        p.actions {
            a href=(format!("/workplaces/{code}/organizing")) { (v.t("wall-organizing")) }
        }
        (level_counts(&v, &o))
        div.wall {
            @for (department, workers) in &columns {
                @let supporters = workers.iter().filter(|w| w.level.is_some_and(|n| n <= 2)).count() as i64;
                section.column {
                    h2 { (department) " " small { (l.number(supporters)) "/" (l.number(workers.len() as i64)) } }
                    ul {
                        @for wk in workers {
                            li class=(level_class(wk.level)) title=(wk.level.map(|n| v.t(&format!("support-{n}"))).unwrap_or_else(|| v.t("support-none"))) {
                                span.badge { (wk.level.map(|n| l.number(n)).unwrap_or_else(|| "?".into())) }
                                " " bdi { (wk.full_name) }
                                @if wk.status.is_some() { " " span.member-mark title=(v.t("coverage-members")) { "●" } }
                                @if let Some(r) = &wk.committee_role { br; small { (r) } }
                            }
                        }
                    }
                }
            }
        }
    };
    v.page(
        &format!("{} · {}", v.t("wall-title"), o.workplace.name),
        "nav-workplaces",
        body,
    )
}

pub(super) async fn found_form(
    State(app): State<App>,
    v: Viewer,
    Path(code): Path<String>,
) -> Response {
    found_page(&app, &v, &code, &PlainForm::default(), &Fields::new()).await
}

async fn found_page(app: &App, v: &Viewer, code: &str, f: &PlainForm, errors: &Fields) -> Response {
    if !v.actor.role().manages_units() {
        return error_page(v, AppError::Forbidden);
    }
    let o = match app.organizing(&v.actor, code).await {
        Ok(o) => o,
        Err(e) => return error_page(v, e),
    };
    let l = &v.lang;
    let body = html! {
        @if !errors.is_empty() { p.error role="alert" { (v.t("form-has-errors")) } }
        p { (v.t("found-explain")) }
        form.card method="post" action=(format!("/workplaces/{code}/found")) novalidate {
            (v.csrf_field())
            (field(l, "code", "unit-code", f.get("code"), errors.get("code"), "text", Some(&format!("{code}-U"))))
            (field(l, "name", "unit-name", f.get("name"), errors.get("name"), "text", None))
            (field(l, "founded_on", "unit-founded", f.get("founded_on"), errors.get("founded_on"), "text", Some(&l.date_hint())))
            fieldset {
                legend { (v.t("found-members")) }
                @if let Some(c) = errors.get("person_ids") { p.error { (v.t(&format!("field-{c}"))) } }
                @for wk in &o.workers {
                    label.check {
                        input type="checkbox" name=(format!("p_{}", wk.id)) value="on" checked[f.values.contains_key(&format!("p_{}", wk.id)) || wk.level.is_some_and(|n| n <= 2)];
                        " " bdi { (wk.full_name) } " "
                        span class=(level_class(wk.level)) { (wk.level.map(|n| v.t(&format!("support-{n}"))).unwrap_or_else(|| v.t("support-none"))) }
                        @if let Some(u) = &wk.unit_code { " · " bdi dir="ltr" { (u) } }
                    }
                }
            }
            div.actions { button type="submit" { (v.t("found-submit")) } a href=(format!("/workplaces/{code}/organizing")) { (v.t("cancel")) } }
        }
    };
    let mut r = v.page(
        &format!("{} · {}", v.t("found-title"), o.workplace.name),
        "nav-workplaces",
        body,
    );
    if !errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

pub(super) async fn found(
    State(app): State<App>,
    v: Viewer,
    Path(code): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let input = FoundUnion {
        code: f.get("code").into(),
        name: f.get("name").into(),
        founded_on: f.opt("founded_on").map(|d| v.lang.iso_date(&d)),
        person_ids: f
            .values
            .keys()
            .filter_map(|k| k.strip_prefix("p_")?.parse().ok())
            .collect(),
    };
    match app.found_union(&v.actor, &code, input).await {
        Ok(unit) => redirect_with_flash(&format!("/units/{unit}"), "flash-union-founded"),
        Err(AppError::Invalid(errors)) => found_page(&app, &v, &code, &f, &errors).await,
        Err(AppError::Conflict { field, code: c }) => {
            found_page(&app, &v, &code, &f, &Fields::from([(field, c)])).await
        }
        Err(e) => error_page(&v, e),
    }
}
