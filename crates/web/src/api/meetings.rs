//! Meetings of committees: agenda, attendance and quorum, minutes, finalizing, and each
//! meeting as an iCalendar file.

use super::extract::{path_id, ApiJson, ApiQuery, Caller};
use crate::error::ErrorBody;
use crate::ApiError;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use muster_app::meetings::{AttendanceInput, MeetingInput, MeetingQuery, MeetingView};
use muster_app::App;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_meetings, create_meeting))
        .routes(routes!(get_meeting))
        .routes(routes!(record_attendance))
        .routes(routes!(write_minutes))
        .routes(routes!(finalize))
        .routes(routes!(correct))
        .routes(routes!(get_version))
        .routes(routes!(meeting_ics))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingList {
    pub items: Vec<MeetingView>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AttendanceList {
    pub items: Vec<AttendanceInput>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MinutesText {
    pub minutes: String,
}

/// Meetings of the caller's subtree (of one committee when asked), latest first.
#[utoipa::path(get, path = "/api/v1/meetings", tag = "governance", params(MeetingQuery),
    responses((status = 200, body = MeetingList)))]
async fn list_meetings(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiQuery(q): ApiQuery<MeetingQuery>,
) -> Result<Json<MeetingList>, ApiError> {
    Ok(Json(MeetingList {
        items: app.list_meetings(&actor, &q).await?,
    }))
}

/// Calls a meeting of a committee, with its agenda (items and sub-items).
#[utoipa::path(post, path = "/api/v1/meetings", tag = "governance", request_body = MeetingInput,
    responses((status = 201, body = MeetingView), (status = 422, body = ErrorBody)))]
async fn create_meeting(
    State(app): State<App>,
    Caller(actor): Caller,
    ApiJson(input): ApiJson<MeetingInput>,
) -> Result<(StatusCode, Json<MeetingView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(app.create_meeting(&actor, input).await?),
    ))
}

/// A meeting: agenda with minutes, roster with attendance, the quorum, its versions.
#[utoipa::path(get, path = "/api/v1/meetings/{id}", tag = "governance",
    params(("id" = i64, Path, description = "Meeting id")),
    responses((status = 200, body = MeetingView), (status = 404, body = ErrorBody)))]
async fn get_meeting(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Json<MeetingView>, ApiError> {
    Ok(Json(app.meeting(&actor, path_id(&id, "meeting")?).await?))
}

/// Records who of the roster came; answers the meeting with its quorum.
#[utoipa::path(put, path = "/api/v1/meetings/{id}/attendance", tag = "governance", request_body = AttendanceList,
    params(("id" = i64, Path, description = "Meeting id")),
    responses((status = 200, body = MeetingView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn record_attendance(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<AttendanceList>,
) -> Result<Json<MeetingView>, ApiError> {
    let id = path_id(&id, "meeting")?;
    Ok(Json(app.record_attendance(&actor, id, input.items).await?))
}

/// Writes the minutes of an agenda item (refused once finalized: correct first).
#[utoipa::path(put, path = "/api/v1/meetings/{id}/agenda/{item}/minutes", tag = "governance", request_body = MinutesText,
    params(("id" = i64, Path, description = "Meeting id"), ("item" = i64, Path, description = "Agenda item id")),
    responses((status = 200, body = MeetingView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn write_minutes(
    State(app): State<App>,
    Caller(actor): Caller,
    Path((id, item)): Path<(String, String)>,
    ApiJson(input): ApiJson<MinutesText>,
) -> Result<Json<MeetingView>, ApiError> {
    let id = path_id(&id, "meeting")?;
    let item = path_id(&item, "agenda item")?;
    Ok(Json(
        app.write_minutes(&actor, id, item, &input.minutes).await?,
    ))
}

/// Locks the minutes as a new numbered version.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/finalize", tag = "governance",
    params(("id" = i64, Path, description = "Meeting id")),
    responses((status = 200, body = MeetingView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn finalize(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Json<MeetingView>, ApiError> {
    Ok(Json(
        app.finalize_meeting(&actor, path_id(&id, "meeting")?)
            .await?,
    ))
}

/// Opens finalized minutes for a correction, to be finalized as a new version.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/correct", tag = "governance",
    params(("id" = i64, Path, description = "Meeting id")),
    responses((status = 200, body = MeetingView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn correct(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Json<MeetingView>, ApiError> {
    Ok(Json(
        app.correct_meeting(&actor, path_id(&id, "meeting")?)
            .await?,
    ))
}

/// A finalized version of the minutes, as it was.
#[utoipa::path(get, path = "/api/v1/meetings/{id}/versions/{version}", tag = "governance",
    params(("id" = i64, Path, description = "Meeting id"), ("version" = i64, Path, description = "Version")),
    responses((status = 200, body = MeetingView), (status = 404, body = ErrorBody)))]
async fn get_version(
    State(app): State<App>,
    Caller(actor): Caller,
    Path((id, version)): Path<(String, String)>,
) -> Result<Json<MeetingView>, ApiError> {
    let id = path_id(&id, "meeting")?;
    let version = path_id(&version, "version")?;
    Ok(Json(app.meeting_version(&actor, id, version).await?))
}

/// The meeting as an iCalendar event.
#[utoipa::path(get, path = "/api/v1/meetings/{id}/ics", tag = "governance",
    params(("id" = i64, Path, description = "Meeting id")),
    responses((status = 200, description = "text/calendar"), (status = 404, body = ErrorBody)))]
async fn meeting_ics(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let m = app.meeting(&actor, path_id(&id, "meeting")?).await?;
    Ok(ics_response(&m))
}

/// An `.ics` download of one meeting.
pub(crate) fn ics_response(m: &MeetingView) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"meeting-{}.ics\"", m.id),
            ),
        ],
        calendar(std::slice::from_ref(m)),
    )
        .into_response()
}

/// Meetings as an iCalendar (RFC 5545) calendar: each an event at its local time (a
/// "floating" time: the hour the committee set, wherever the reader is), an hour long
/// unless its agenda plans longer.
pub(crate) fn calendar(meetings: &[MeetingView]) -> String {
    let mut out = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Muster//Governance//EN\r\nCALSCALE:GREGORIAN\r\n");
    for m in meetings {
        let start = m.starts_at.replace(['-', ':'], "");
        let planned: i64 = m
            .agenda
            .iter()
            .filter(|a| a.parent_id.is_none())
            .filter_map(|a| a.planned_minutes)
            .sum();
        let minutes = if planned > 0 { planned } else { 60 };
        let stamp = muster_domain::date::now_utc().replace(['-', ':'], "");
        let mut agenda: Vec<String> = m
            .agenda
            .iter()
            .map(|a| format!("{}. {}", a.label, a.title))
            .collect();
        // Guests have no address to invite them by: named in the description.
        if !m.guests.is_empty() {
            let names: Vec<&str> = m.guests.iter().map(|g| g.name.as_str()).collect();
            agenda.push(format!("+ {}", names.join(", ")));
        }
        for line in [
            "BEGIN:VEVENT".to_string(),
            format!("UID:meeting-{}@muster", m.id),
            format!(
                "DTSTAMP:{}",
                stamp.get(..15).map(|s| format!("{s}Z")).unwrap_or_default()
            ),
            format!("DTSTART:{start}00"),
            format!("DURATION:PT{minutes}M"),
            format!("SUMMARY:{}", escape(&m.committee_name)),
            format!("LOCATION:{}", escape(m.place.as_deref().unwrap_or(""))),
            format!("DESCRIPTION:{}", escape(&agenda.join("\n"))),
            "END:VEVENT".to_string(),
        ] {
            out.push_str(&fold(&line));
        }
    }
    out.push_str("END:VCALENDAR\r\n");
    out
}

/// Escapes a text value: backslash, semicolon, comma, line breaks.
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace('\n', "\\n")
}

/// Folds a content line at 75 octets, never inside a character, ending it with CRLF.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_between_characters() {
        let line = format!("SUMMARY:{}", "کارگروه ".repeat(20));
        let folded = fold(&line);
        for part in folded.split("\r\n").filter(|p| !p.is_empty()) {
            assert!(part.len() <= 75, "{part}");
        }
        assert_eq!(folded.replace("\r\n ", "").trim_end_matches("\r\n"), line);
        assert_eq!(escape("a,b;c\nd"), "a\\,b\\;c\\nd");
    }
}
