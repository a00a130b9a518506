//! The authorization test generated from the routes: every API operation of the
//! OpenAPI document and every page route, for each role, against objects of the
//! caller's subtree, of a sibling subtree and of another tree, with the expected outcome
//! in one table. A route without a row in the table fails the test, as does a row
//! without a route. The same fixture then posts every page form without its CSRF token.

use crate::on_both_backends;
use crate::support::{csrf_of, small_tree, Backend, Client};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

/// What a route asks of the caller's role (every caller here is attached to district D1).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Need {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in role.
    Read,
    /// admin, officer, organizer.
    Registry,
    /// admin, officer.
    Units,
    /// Merging people: admin, officer.
    Merge,
    /// Only the tree's top officer (attached to the tree's root): nobody in D1.
    Top,
    /// Keeping cases: admin, officer, case worker.
    Casework,
}

/// One row: method, path (placeholders name the kind of object), what the route needs,
/// and the body sent (JSON for the API, a form for pages; the same placeholders).
/// `{n}` is a number new to each call. A path with an object is called for the caller's
/// subtree, a sibling subtree and another tree; so is a body naming a `{unit}`.
struct Row {
    method: &'static str,
    path: &'static str,
    need: Need,
    body: &'static str,
    /// The call changes the object for good (archives it): each call gets a fresh one.
    fresh: bool,
}

const fn row(method: &'static str, path: &'static str, need: Need, body: &'static str) -> Row {
    Row {
        method,
        path,
        need,
        body,
        fresh: false,
    }
}

const fn fresh(method: &'static str, path: &'static str, need: Need) -> Row {
    Row {
        method,
        path,
        need,
        body: "",
        fresh: true,
    }
}

use Need::*;

mod table;
use table::TABLE;

const ROLES: [&str; 5] = ["admin", "officer", "organizer", "case_worker", "viewer"];

/// Whether `role` holds what `need` asks.
fn holds(role: &str, need: Need) -> bool {
    match need {
        Public | Read => true,
        Registry => matches!(role, "admin" | "officer" | "organizer"),
        Units | Merge => matches!(role, "admin" | "officer"),
        Casework => matches!(role, "admin" | "officer" | "case_worker"),
        Top => false,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    Own,
    Sibling,
    Other,
}

/// What each placeholder stands for, for each target.
struct Fixture {
    values: BTreeMap<(Target, &'static str), String>,
    /// Names that only objects outside D1 carry: no answer to a D1 caller may hold one.
    foreign: Vec<&'static str>,
}

/// A path as the route it calls: placeholders emptied, the query left out.
fn normalized(path: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for ch in path.split('?').next().unwrap_or(path).chars() {
        match ch {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            _ if !inside => out.push(ch),
            _ => {}
        }
    }
    out
}

fn placeholders(text: &str) -> Vec<String> {
    text.split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name.to_string()))
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .collect()
}

/// The status and body of an answer; a redirect to the login page reads as 401.
async fn send(c: &Client, req: Request<Body>) -> (StatusCode, String) {
    let (status, location, bytes) = c.send(req).await;
    if status.is_redirection() && location.starts_with("/login") {
        return (StatusCode::UNAUTHORIZED, location);
    }
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

/// Builds the fixture: trees P (D1 with G1, D2 with G2) and Q (Q1), and in G1, G2 and Q1
/// a member, a workplace, a drive, a filed report, an import and a login.
async fn fixture(c: &Client, admin: &str) -> Fixture {
    let (s, b) = c
        .post(
            "/api/v1/units",
            admin,
            json!({"code": "Q", "level": "Province", "name": "Tỉnh Khác",
                   "levels": ["Province", "District", "Grassroots"]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let (s, b) = c
        .post(
            "/api/v1/units",
            admin,
            json!({"parent_code": "Q", "code": "Q1", "level": "District", "name": "Huyện Khác"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let mut values = BTreeMap::new();
    let places = [
        (Target::Own, "G1", "D1", "P", "Lê Văn Minh"),
        (Target::Sibling, "G2", "D2", "P", "Trần Sibling Lan"),
        (Target::Other, "Q1", "Q", "Q", "Phạm Otherworld Hùng"),
    ];
    for (target, unit, district, tree, name) in places {
        let tag = unit.to_ascii_lowercase();
        let officer = c
            .login(&format!("{tag}-clerk"), Some(district), "officer")
            .await;
        c.login(&format!("{tag}-viewer"), Some(unit), "viewer")
            .await;
        let member = crate::support::add_member(
            c,
            admin,
            json!({"unit_code": unit, "full_name": name, "joined_on": "2026-01-15"}),
        )
        .await;
        let other_member = crate::support::add_member(
            c,
            admin,
            json!({"unit_code": unit, "full_name": format!("{name} Hai"), "joined_on": "2026-01-16"}),
        )
        .await;
        let (s, b) = c
            .post(
                "/api/v1/workplaces",
                admin,
                json!({"code": format!("W-{unit}"), "name": format!("Xưởng {name}"), "unit_code": unit}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        let (s, b) = c
            .post(
                &format!("/api/v1/workplaces/W-{unit}/workers"),
                admin,
                json!({"person_id": member, "department": "May"}),
            )
            .await;
        assert!(s.is_success(), "{b}");
        let (s, drive) = c
            .post(
                "/api/v1/drives",
                admin,
                json!({"code": format!("DR-{unit}"), "name": format!("Drive {name}"),
                       "scope_unit_code": district, "calendar": "gregorian",
                       "start_month": "2026-01", "end_month": "2026-12",
                       "metrics": [{"kind": "custom", "name": "Visits"}]}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{drive}");
        let metric = drive["metrics"][0]["id"].as_i64().expect("metric id");
        let (s, b) = c
            .call(
                "PUT",
                &format!("/api/v1/drives/DR-{unit}/reports/{unit}/2026-01"),
                admin,
                Some(json!({"narrative": "Tháng một", "figures": {metric.to_string(): "3"}})),
            )
            .await;
        assert!(s.is_success(), "{b}");
        let (s, import) = c
            .import_file(
                "/api/v1/members/import?file_name=m.csv&dry_run=true",
                &officer,
                format!("unit_code,full_name\n{unit},Thử Nghiệm\n").into_bytes(),
            )
            .await;
        assert!(s.is_success(), "{import}");
        let import = import["import_id"]
            .as_i64()
            .or_else(|| import["id"].as_i64())
            .unwrap_or_else(|| panic!("import id in {import}"));
        // A committee of the unit, its chair the member.
        let (s, committee) = c
            .post(
                "/api/v1/committees",
                admin,
                json!({"unit_code": unit, "name": format!("Ban {name}"), "kind": "executive",
                       "cadence": "quarterly", "term_start": "2026-01-01"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{committee}");
        let committee = committee["id"].as_i64().expect("committee id");
        let (s, seat) = c
            .post(
                &format!("/api/v1/committees/{committee}/seats"),
                admin,
                json!({"person_id": member, "position": "chair"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{seat}");
        let seat = seat["id"].as_i64().expect("seat id");
        // A meeting of it, finalized once (version 1), then opened for a correction.
        let (s, meeting) = c
            .post(
                "/api/v1/meetings",
                admin,
                json!({"committee_id": committee, "day": "2026-01-20", "agenda": [{"title": "Khai mạc"}]}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{meeting}");
        let item = meeting["agenda"][0]["id"].as_i64().expect("item id");
        let meeting = meeting["id"].as_i64().expect("meeting id");
        // A decision of it with an item for its unit, before the minutes lock.
        let (s, decision) = c
            .post(
                "/api/v1/decisions",
                admin,
                json!({"meeting_id": meeting, "item_id": item, "text": format!("Quyết định {name}"),
                       "quorum_note": "Hội nghị mở rộng",
                       "actions": [{"unit_code": unit, "due_on": "2026-06-30"}]}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{decision}");
        let action = decision["actions"][0]["id"].as_i64().expect("action id");
        let decision = decision["id"].as_i64().expect("decision id");
        let (s, b) = c
            .post(
                &format!("/api/v1/meetings/{meeting}/finalize"),
                admin,
                json!({}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let (s, b) = c
            .post(
                &format!("/api/v1/meetings/{meeting}/correct"),
                admin,
                json!({}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        // A program of the unit with an event, the member registered for it.
        let (s, program) = c
            .post(
                "/api/v1/programs",
                admin,
                json!({"unit_code": unit, "name": format!("Tháng Công nhân {name}"),
                       "starts_on": "2026-01-01", "ends_on": "2026-01-31"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{program}");
        let program = program["id"].as_i64().expect("program id");
        let (s, event) = c
            .post(
                "/api/v1/events",
                admin,
                json!({"unit_code": unit, "program_id": program, "kind": "conference",
                       "name": format!("Hội nghị {name}"), "starts_on": "2026-01-10", "ends_on": "2026-01-12"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{event}");
        let event = event["id"].as_i64().expect("event id");
        let (s, participant) = c
            .post(
                &format!("/api/v1/events/{event}/participants"),
                admin,
                json!({"person_id": member}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{participant}");
        let participant = participant["id"].as_i64().expect("participant id");
        // A team competition of the unit in the program, with one entry.
        let (s, competition) = c
            .post(
                "/api/v1/competitions",
                admin,
                json!({"unit_code": unit, "program_id": program, "discipline": "Bóng đá",
                       "category": "men", "entry_kind": "team", "held_on": "2026-01-11"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{competition}");
        let competition = competition["id"].as_i64().expect("competition id");
        let (s, entry) = c
            .post(
                &format!("/api/v1/competitions/{competition}/entries"),
                admin,
                json!({"team_name": format!("Đội {unit}")}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{entry}");
        let entry = entry["id"].as_i64().expect("entry id");
        // An honor category of the tree, a call of the unit, a nomination waiting and
        // one awarded with its certificate.
        let (s, category) = c
            .post(
                "/api/v1/honors/categories",
                admin,
                json!({"tree_code": tree, "code": format!("worker-{tag}"), "name": format!("Danh hiệu {unit}")}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{category}");
        let category = category["id"].as_i64().expect("category id");
        let (s, call) = c
            .post(
                "/api/v1/honors/calls",
                admin,
                json!({"unit_code": unit, "category_id": category, "program_id": program,
                       "name": format!("Khen thưởng {unit}"), "quota": 1000}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{call}");
        let call = call["id"].as_i64().expect("call id");
        let mut nominations = Vec::new();
        for person in [member, other_member] {
            let (s, n) = c
                .post(
                    &format!("/api/v1/honors/calls/{call}/nominations"),
                    admin,
                    json!({"person_id": person, "citation": "Lao động giỏi"}),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{n}");
            nominations.push(n["id"].as_i64().expect("nomination id"));
        }
        let awarded = nominations[1];
        let (s, b) = c
            .post(
                &format!("/api/v1/honors/nominations/{awarded}/steps"),
                admin,
                json!({"act": "approve"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let (s, b) = c
            .post(
                &format!("/api/v1/honors/nominations/{awarded}/award"),
                admin,
                json!({"day": "2026-01-11"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let certificate = b["certificate"].as_str().expect("certificate").to_string();
        // A grievance of the member at the unit's desk.
        let (s, case) = c
            .post(
                "/api/v1/cases",
                admin,
                json!({"unit_code": unit, "case_type": "grievance", "person_id": member,
                       "subject": "Nợ lương"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{case}");
        let case = case["id"].as_i64().expect("case id");
        let (s, document) = c
            .send_file(
                &format!("/api/v1/cases/{case}/documents?name=note.txt"),
                admin,
                format!("Biên bản {name}").into_bytes(),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{document}");
        let document = document["id"].as_i64().expect("document id");
        // Aid for the member: one waiting on the tree's top, one approved over no
        // budget (an override) and paid, with its receipt.
        let mut aid = Vec::new();
        for _ in 0..2 {
            let (s, b) = c
                .post(
                    "/api/v1/aid",
                    admin,
                    json!({"unit_code": unit, "person_id": member, "amount": "500000",
                           "purpose": "Ốm đau"}),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{b}");
            aid.push(b["id"].as_i64().expect("aid id"));
        }
        let (s, b) = c
            .post(
                &format!("/api/v1/aid/{}/approval", aid[1]),
                admin,
                json!({"override_reason": "Khẩn cấp"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let (s, b) = c
            .post(
                &format!("/api/v1/aid/{}/disbursements", aid[1]),
                admin,
                json!({"method": "cash"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        let receipt = b["payments"][0]["receipt"]
            .as_str()
            .expect("receipt")
            .to_string();
        // The tree's scheme (made once per tree).
        let (s, b) = c
            .post(
                "/api/v1/schemes",
                admin,
                json!({"tree_code": tree, "code": format!("sch-{}", tree.to_lowercase()),
                       "name": "Scheme", "rule": "age between 18 and 60"}),
            )
            .await;
        assert!(
            matches!(s, StatusCode::CREATED | StatusCode::CONFLICT),
            "{b}"
        );
        // A course held by the unit: one session, the member attended and certified.
        let (s, course) = c
            .post(
                "/api/v1/courses",
                admin,
                json!({"unit_code": unit, "name": "Lớp kỹ năng", "starts_on": "2026-06-01",
                       "min_attendance": 100}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{course}");
        let course_id = course["id"].as_i64().expect("course id");
        let (s, b) = c
            .post(
                &format!("/api/v1/courses/{course_id}/sessions"),
                admin,
                json!({"day": "2026-06-01", "title": "Buổi một"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let session = b["sessions"][0]["id"].as_i64().expect("session id");
        let (s, b) = c
            .post(
                &format!("/api/v1/courses/{course_id}/trainees"),
                admin,
                json!({"person_id": member}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let trainee = b["trainees"][0]["id"].as_i64().expect("trainee id");
        let (s, b) = c
            .call(
                "PUT",
                &format!("/api/v1/courses/{course_id}/sessions/{session}/attendance"),
                admin,
                Some(json!({"present": [trainee]})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let (s, b) = c
            .post(
                &format!("/api/v1/courses/{course_id}/trainees/{trainee}/certificate"),
                admin,
                json!({}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let course_certificate = b["trainees"][0]["certificate"]
            .as_str()
            .expect("course certificate")
            .to_string();
        // A duplicate scan by the clerk of the district: a job of the subtree.
        let scanned = crate::support::scan(c, &officer).await;
        assert!(scanned["people"].as_i64().unwrap() >= 2, "{scanned}");
        let job = scanned["jobs"][0].as_i64().expect("a scan job");
        // An export made by a job, with its file.
        let (export, _) = crate::support::export_job(c, &officer, "").await;
        for (key, value) in [
            ("job", job.to_string()),
            ("export", export.to_string()),
            ("committee", committee.to_string()),
            ("seat", seat.to_string()),
            ("meeting", meeting.to_string()),
            ("item", item.to_string()),
            ("version", "1".to_string()),
            ("decision", decision.to_string()),
            ("action", action.to_string()),
            ("program", program.to_string()),
            ("event", event.to_string()),
            ("participant", participant.to_string()),
            ("competition", competition.to_string()),
            ("entry", entry.to_string()),
            ("category", category.to_string()),
            ("honor_call", call.to_string()),
            ("nomination", nominations[0].to_string()),
            ("awarded", awarded.to_string()),
            ("certificate", certificate),
            ("case", case.to_string()),
            ("document", document.to_string()),
            ("aid", aid[0].to_string()),
            ("paid_aid", aid[1].to_string()),
            ("receipt", receipt),
            ("course", course_id.to_string()),
            ("session", session.to_string()),
            ("trainee", trainee.to_string()),
            ("course_certificate", course_certificate),
            // Schemes are the tree's: nothing of them is a sibling's own, so the sibling
            // names the other tree's.
            (
                "scheme",
                if target == Target::Own {
                    "sch-p".to_string()
                } else {
                    "sch-q".to_string()
                },
            ),
            ("unit", unit.to_string()),
            ("parent", district.to_string()),
            ("tree", tree.to_string()),
            ("member", member.to_string()),
            ("other_member", other_member.to_string()),
            ("workplace", format!("W-{unit}")),
            ("drive", format!("DR-{unit}")),
            ("metric", metric.to_string()),
            ("month", "2026-01".to_string()),
            ("import", import.to_string()),
            ("user", format!("{tag}-viewer")),
        ] {
            values.insert((target, key), value);
        }
    }
    Fixture {
        values,
        foreign: vec!["Sibling", "Otherworld"],
    }
}

/// A fresh object of the kind the path names, in the caller's own subtree.
async fn fresh_object(c: &Client, admin: &str, path: &str, n: usize) -> (&'static str, String) {
    if path.contains("{member}") {
        let id = crate::support::add_member(
            c,
            admin,
            json!({"unit_code": "G1", "full_name": format!("Lưu Trữ {n}")}),
        )
        .await;
        ("member", id.to_string())
    } else {
        let code = format!("WF{n}");
        let (s, b) = c
            .post(
                "/api/v1/workplaces",
                admin,
                json!({"code": code, "name": format!("Xưởng Cũ {n}"), "unit_code": "G1"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        ("workplace", code)
    }
}

fn fill(text: &str, values: &BTreeMap<&str, String>, n: usize) -> String {
    let mut out = text.replace("{n}", &n.to_string());
    for (k, v) in values {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

const BOUNDARY: &str = "muster-authz-boundary";

fn multipart_csv(unit: &str) -> Vec<u8> {
    format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"m.csv\"\r\n\
         Content-Type: text/csv\r\n\r\nunit_code,full_name\n{unit},Thử\n\r\n--{BOUNDARY}--\r\n"
    )
    .into_bytes()
}

/// A signed-in role: its API token, its session cookie and that session's CSRF token.
struct Caller {
    role: &'static str,
    token: String,
    cookie: String,
    csrf: String,
}

async fn sign_in(c: &Client, username: &str) -> (String, String) {
    let cookie = c.session_cookie(username).await;
    let page = c.page("GET", "/settings", &cookie, None).await;
    (cookie, csrf_of(&page.body))
}

fn request(
    row: &Row,
    path: &str,
    body: &str,
    caller: Option<&Caller>,
    with_csrf: bool,
) -> Request<Body> {
    let api = path.starts_with("/api/");
    let mut uri = path.to_string();
    if row.body == "multipart" {
        if let Some(c) = caller.filter(|_| with_csrf) {
            uri.push_str(&format!("?csrf={}", c.csrf));
        }
    }
    let mut req = Request::builder().method(row.method).uri(uri);
    if let Some(c) = caller {
        req = if api {
            req.header("authorization", format!("Bearer {}", c.token))
        } else {
            req.header("cookie", &c.cookie)
        };
    }
    req = req.header("accept-language", "en");
    let body = if row.body == "multipart" {
        req = req.header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        );
        Body::from(multipart_csv("G1"))
    } else if row.body == "csv" {
        req = req.header("content-type", "text/csv");
        Body::from("unit_code,full_name\nG1,Thử\n")
    } else if api {
        if row.method == "GET" {
            Body::empty()
        } else {
            req = req.header("content-type", "application/json");
            Body::from(if body.is_empty() {
                "{}".into()
            } else {
                body.to_string()
            })
        }
    } else if row.method == "GET" {
        Body::empty()
    } else {
        req = req.header("content-type", "application/x-www-form-urlencoded");
        let mut form = body.to_string();
        if let Some(c) = caller.filter(|_| with_csrf) {
            if !form.is_empty() {
                form.push('&');
            }
            form.push_str(&format!("csrf={}", c.csrf));
        }
        Body::from(form)
    };
    req.body(body).expect("build request")
}

/// An answer that passed authorization: anything but a refusal or an error.
fn passed(status: StatusCode) -> bool {
    !matches!(status.as_u16(), 401 | 403 | 404) && !status.is_server_error()
}

on_both_backends!(
    every_route_answers_each_role_as_the_table_says,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let fx = fixture(&c, &admin).await;

        // The table and the routes are one list.
        let doc = c.get("/api/v1/openapi.json", "").await.1;
        let mut routes: BTreeSet<(String, String)> = BTreeSet::new();
        for (path, ops) in doc["paths"].as_object().expect("paths") {
            for (method, op) in ops.as_object().expect("operations") {
                routes.insert((method.to_ascii_uppercase(), normalized(path)));
                // The answers every operation can give are declared (a schema-driven
                // run found 401, 400 and 422 given and undeclared).
                for code in ["400", "401", "422"] {
                    assert!(
                        op["responses"].get(code).is_some(),
                        "{method} {path} does not declare {code}"
                    );
                }
                // Each parameter is declared where it goes: in the path only when the
                // path has its placeholder, else in the query.
                for p in op["parameters"].as_array().into_iter().flatten() {
                    let name = p["name"].as_str().unwrap_or_default();
                    let in_path = path.contains(&format!("{{{name}}}"));
                    assert_eq!(
                        p["in"].as_str().unwrap_or_default(),
                        if in_path { "path" } else { "query" },
                        "{method} {path}: parameter {name}"
                    );
                }
            }
        }
        for (method, path) in muster_web::page_routes() {
            routes.insert((method, normalized(path)));
        }
        routes.insert(("GET".into(), "/healthz".into()));
        routes.insert(("GET".into(), "/api/v1/openapi.json".into()));
        let table: BTreeSet<(String, String)> = TABLE
            .iter()
            .map(|r| (r.method.to_string(), normalized(r.path)))
            .collect();
        assert_eq!(TABLE.len(), table.len(), "a route has two rows");
        let missing: Vec<_> = routes.difference(&table).collect();
        assert!(
            missing.is_empty(),
            "routes without a row in the table: {missing:?}"
        );
        let stale: Vec<_> = table.difference(&routes).collect();
        assert!(stale.is_empty(), "rows without a route: {stale:?}");

        let mut callers = Vec::new();
        for role in ROLES {
            let username = format!("d1-{role}");
            let token = c.login(&username, Some("D1"), role).await;
            let (cookie, csrf) = sign_in(&c, &username).await;
            callers.push(Caller {
                role,
                token,
                cookie,
                csrf,
            });
        }

        let mut failures = Vec::new();
        let mut calls = 0;
        let mut n = 0;
        for row in TABLE {
            let page = !row.path.starts_with("/api/") && row.path != "/healthz";
            let names_unit = placeholders(row.body)
                .iter()
                .any(|p| p == "unit" || p == "parent");
            let targeted = !placeholders(row.path).is_empty()
                || names_unit
                || placeholders(row.body).iter().any(|p| p == "member");
            let targets: &[Target] = if targeted {
                &[Target::Own, Target::Sibling, Target::Other]
            } else {
                &[Target::Own]
            };
            if row.need == Public {
                // Signing in answers a wrong password with 401: what matters is an answer.
                // A path naming an object names one of the caller's own subtree.
                let own: BTreeMap<&str, String> = fx
                    .values
                    .iter()
                    .filter(|((t, _), _)| *t == Target::Own)
                    .map(|((_, k), v)| (*k, v.clone()))
                    .collect();
                let path = fill(row.path, &own, 0);
                let (status, _) = send(&c, request(row, &path, row.body, None, false)).await;
                calls += 1;
                if status.is_server_error() || status == StatusCode::NOT_FOUND {
                    failures.push(format!("{} {} anonymous: {status}", row.method, row.path));
                }
                continue;
            }
            for caller in callers.iter_mut() {
                for &target in targets {
                    n += 1;
                    let mut values: BTreeMap<&str, String> = fx
                        .values
                        .iter()
                        .filter(|((t, _), _)| *t == target)
                        .map(|((_, k), v)| (*k, v.clone()))
                        .collect();
                    if row.fresh && target == Target::Own {
                        let (key, value) = fresh_object(&c, &admin, row.path, n).await;
                        values.insert(key, value);
                    }
                    let path = fill(row.path, &values, n);
                    let body = fill(row.body, &values, n);
                    let (status, answer) =
                        send(&c, request(row, &path, &body, Some(caller), true)).await;
                    calls += 1;
                    let may = holds(caller.role, row.need);
                    let ok = match target {
                        // Signing out sends to the login page, and the session is gone.
                        Target::Own if row.path == "/logout" => {
                            status == StatusCode::UNAUTHORIZED
                                && c.page("GET", "/settings", &caller.cookie, None)
                                    .await
                                    .location
                                    .is_some_and(|l| l.starts_with("/login"))
                        }
                        Target::Own if may => passed(status),
                        // The tree's top officer's own acts: D1's unit is not the tree's.
                        Target::Own if row.need == Top => matches!(status.as_u16(), 403 | 404),
                        Target::Own => status == StatusCode::FORBIDDEN,
                        // Out of sight: refused. A unit named in a body is a field of
                        // the form (422, or on a page the form again with it marked
                        // unknown); anything else (a path, a person in a body) is not found.
                        _ if names_unit => {
                            matches!(status.as_u16(), 403 | 404 | 422)
                                || (page && status == StatusCode::OK && body_refuses(&answer))
                        }
                        _ => matches!(status.as_u16(), 403 | 404),
                    };
                    if !ok {
                        failures.push(format!(
                            "{} {path} as {} ({target:?}): {status} {}",
                            row.method,
                            caller.role,
                            answer.chars().take(160).collect::<String>()
                        ));
                    }
                    if status.is_success() || status.as_u16() == 422 {
                        for name in &fx.foreign {
                            if answer.contains(name) {
                                failures.push(format!(
                                    "{} {path} as {} shows {name}, which lies outside D1",
                                    row.method, caller.role
                                ));
                            }
                        }
                    }
                    if row.path == "/logout" {
                        let (cookie, csrf) = sign_in(&c, &format!("d1-{}", caller.role)).await;
                        caller.cookie = cookie;
                        caller.csrf = csrf;
                    }
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {calls} calls answered against the table:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
);

/// A page that answers a form for an object out of sight with the form again, its
/// field marked (an unknown unit in a form is a field error, like the API's 422).
fn body_refuses(body: &str) -> bool {
    body.contains("class=\"field-error\"") || body.contains("class=\"error\"")
}

on_both_backends!(
    every_page_form_without_its_csrf_token_is_refused,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let fx = fixture(&c, &admin).await;
        let token = c.login("d1-csrf", Some("D1"), "admin").await;
        let (cookie, csrf) = sign_in(&c, "d1-csrf").await;
        let caller = Caller {
            role: "admin",
            token,
            cookie,
            csrf,
        };
        let values: BTreeMap<&str, String> = fx
            .values
            .iter()
            .filter(|((t, _), _)| *t == Target::Own)
            .map(|((_, k), v)| (*k, v.clone()))
            .collect();
        let mut posted = 0;
        for row in TABLE {
            if row.method != "POST" || row.path.starts_with("/api/") || row.path == "/login" {
                continue;
            }
            let path = fill(row.path, &values, 0);
            let body = fill(row.body, &values, 0);
            let (status, answer) = send(&c, request(row, &path, &body, Some(&caller), false)).await;
            assert_eq!(
                status,
                StatusCode::FORBIDDEN,
                "POST {path} without a CSRF token: {answer}"
            );
            assert!(answer.contains("This form has expired"), "{answer}");
            posted += 1;
        }
        let forms = muster_web::page_routes()
            .into_iter()
            .filter(|(m, p)| m == "POST" && *p != "/login")
            .count();
        assert_eq!(posted, forms, "every page form is posted");
        // Nothing those forms asked for happened: the member is still there, unchanged.
        let member = &values["member"];
        let (s, m) = c.get(&format!("/api/v1/members/{member}"), &admin).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(m["full_name"], "Lê Văn Minh", "{m}");
        // And the routes of the web crate are all declared where the table can see them.
        let mut files = vec![std::path::PathBuf::from("crates/web/src/pages")];
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // The pages' own router (`pages/mod.rs`) routes the stylesheet and the macro.
            let allowed = path.ends_with("pages/mod.rs");
            assert!(
                allowed || !text.contains(".route("),
                "{} adds a route outside page_routes!",
                path.display()
            );
        }
    }
);
