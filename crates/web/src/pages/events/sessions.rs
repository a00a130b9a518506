//! An event's sessions on its page and in its forms: one per line,
//! `day | 09:00-11:00 | title | place`, the day in the reader's calendar.

use super::super::layout::{error_page, redirect_with_flash, PlainForm, Viewer};
use crate::api::extract::path_id;
use crate::i18n::Lang;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Form;
use maud::{html, Markup};
use muster_app::events::{EventView, SessionInput, SessionView, SessionsInput};
use muster_app::{App, AppError, Fields};

/// Sessions as typed, one per line; blank lines skipped.
pub(super) fn parse(lang: &Lang, text: &str) -> Vec<SessionInput> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let mut parts = line.split('|').map(str::trim);
            let day = parts.next().unwrap_or("");
            let times = parts.next().unwrap_or("");
            let (from, to) = match times.split_once(['-', '–']) {
                Some((a, b)) => (a.trim(), Some(b.trim().to_string())),
                None => (times, None),
            };
            SessionInput {
                day: Some(lang.iso_date(day)),
                starts_at: Some(from.to_string()),
                ends_at: to.filter(|t| !t.is_empty()),
                title: parts.next().map(String::from),
                place: parts.next().filter(|p| !p.is_empty()).map(String::from),
            }
        })
        .collect()
}

/// Sessions as the form shows them for editing.
pub(super) fn text_of(lang: &Lang, sessions: &[SessionView]) -> String {
    sessions
        .iter()
        .map(|s| {
            let times = match &s.ends_at {
                Some(to) => format!("{}-{to}", s.starts_at),
                None => s.starts_at.clone(),
            };
            let mut line = format!("{} | {times} | {}", lang.date(&s.day), s.title);
            if let Some(p) = &s.place {
                line.push_str(&format!(" | {p}"));
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The refusals of the sessions' lines, each with its line number.
pub(super) fn errors(v: &Viewer, errors: &Fields) -> Markup {
    let lines: Vec<(String, &String)> = errors
        .iter()
        .filter_map(|(k, code)| {
            let rest = k.strip_prefix("sessions")?;
            let line = rest
                .trim_start_matches('.')
                .split('.')
                .next()
                .and_then(|i| i.parse::<i64>().ok())
                .map(|i| v.lang.number(i + 1));
            Some((line.unwrap_or_default(), code))
        })
        .collect();
    html! {
        @if !lines.is_empty() {
            ul.errors #session-errors {
                @for (line, code) in &lines {
                    li { @if !line.is_empty() { (v.t("session-line")) " " (line) ": " } (v.t(&format!("field-{code}"))) }
                }
            }
        }
    }
}

/// The sessions of an event's days, day by day.
pub(super) fn agenda(v: &Viewer, e: &EventView) -> Markup {
    let l = &v.lang;
    let mut days: Vec<&str> = e.sessions.iter().map(|s| s.day.as_str()).collect();
    days.dedup();
    html! {
        @if !e.sessions.is_empty() {
            section.card #sessions {
                h2 { (v.t("event-sessions")) }
                @for day in &days {
                    h3 { (l.date(day)) }
                    ul { @for s in e.sessions.iter().filter(|s| s.day == *day) {
                        li {
                            bdi dir="ltr" { (l.digits(&s.starts_at)) @if let Some(t) = &s.ends_at { "–" (l.digits(t)) } }
                            " " bdi { (s.title) } @if let Some(p) = &s.place { " · " bdi { (p) } }
                        }
                    } }
                }
            }
        }
    }
}

/// The form that replaces an event's sessions.
pub(super) fn form(v: &Viewer, e: &EventView, f: &PlainForm, errs: &Fields) -> Markup {
    let typed = if f.values.contains_key("sessions") {
        f.get("sessions").to_string()
    } else {
        text_of(&v.lang, &e.sessions)
    };
    html! {
        details.card #edit-sessions open[!errs.is_empty()] {
            summary { (v.t("event-sessions-edit")) }
            form method="post" action=(format!("/events/{}/sessions", e.id)) novalidate {
                (v.csrf_field())
                (errors(v, errs))
                div.field {
                    label for="sessions" { (v.t("event-sessions-hint")) }
                    textarea #sessions name="sessions" rows="5" dir="auto" { (typed) }
                }
                div.actions { button type="submit" { (v.t("save")) } }
            }
        }
    }
}

pub(super) async fn set(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<PlainForm>,
) -> Response {
    let id = match path_id(&id, "event") {
        Ok(id) => id,
        Err(e) => return error_page(&v, e),
    };
    let input = SessionsInput {
        sessions: parse(&v.lang, f.get("sessions")),
    };
    match app.set_event_sessions(&v.actor, id, input).await {
        Ok(_) => redirect_with_flash(&format!("/events/{id}#sessions"), "flash-sessions-saved"),
        Err(AppError::Invalid(errs)) => match app.event(&v.actor, id).await {
            Ok(e) => super::desk::page_with_sessions(&v, &e, &f, &errs),
            Err(err) => error_page(&v, err),
        },
        Err(err) => error_page(&v, err),
    }
}
