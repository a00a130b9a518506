//! Decisions and their action items as a province sends them down: numbered per committee
//! and year in the committee's calendar, refused without a quorum unless noted, items to
//! districts split by their officers for their own units, shares done rolled up, the
//! overdue listed oldest first, and nothing of another district.

use crate::on_both_backends;
use crate::support::{add_member, field_codes as fields, small_tree, Backend, Client};
use axum::http::StatusCode;
use serde_json::json;

/// A committee of P (in `calendar`) with three voting members, and a meeting on
/// 2022-04-11 where two came: its id and its agenda's first item.
async fn quorate_meeting(
    c: &Client,
    admin: &str,
    officer: &str,
    calendar: &str,
) -> (i64, i64, i64) {
    let (_, committee) = c
        .post(
            "/api/v1/committees",
            officer,
            json!({"unit_code": "P", "name": "Ban Thường vụ", "kind": "executive",
            "term_start": "2022-01-01", "calendar": calendar}),
        )
        .await;
    let cid = committee["id"].as_i64().expect("committee");
    for name in ["Một", "Hai", "Ba"] {
        let p = add_member(
            c,
            admin,
            json!({"unit_code": "G1", "full_name": format!("Trần Văn {name}")}),
        )
        .await;
        c.post(
            &format!("/api/v1/committees/{cid}/seats"),
            officer,
            json!({"person_id": p}),
        )
        .await;
    }
    let (_, m) = c
        .post(
            "/api/v1/meetings",
            officer,
            json!({"committee_id": cid, "day": "2022-04-11",
            "agenda": [{"title": "Chương trình Tháng Công nhân"}]}),
        )
        .await;
    let id = m["id"].as_i64().expect("meeting");
    let seats: Vec<i64> = m["roster"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["seat_id"].as_i64().unwrap())
        .collect();
    let (s, held) = c
        .call("PUT", &format!("/api/v1/meetings/{id}/attendance"), officer, Some(json!({"items": [
            {"seat_id": seats[0], "presence": "present"}, {"seat_id": seats[1], "presence": "present"}]})))
        .await;
    assert_eq!(s, StatusCode::OK, "{held}");
    assert_eq!(held["quorum"]["quorate"], true);
    (cid, id, m["agenda"][0]["id"].as_i64().unwrap())
}

on_both_backends!(
    a_decision_sends_action_items_down_the_tree_and_their_completion_rolls_up,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let officer = c.login("p-officer", Some("P"), "officer").await;
        let (cid, meeting, item) = quorate_meeting(&c, &admin, &officer, "gregorian").await;
        let someone = add_member(
            &c,
            &admin,
            json!({"unit_code": "G2", "full_name": "Lê Thị Tư"}),
        )
        .await;

        // Bad input: each field named, nothing saved.
        let (s, bad) = c
            .post(
                "/api/v1/decisions",
                &officer,
                json!({"meeting_id": meeting, "item_id": item, "text": " ",
                "votes_for": 3, "votes_against": 1,
                "actions": [
                    {"unit_code": "D1", "due_on": "2022-04-01"},
                    {"unit_code": "NOPE", "due_on": "2022-05-01"},
                    {"unit_code": "D2", "person_id": someone, "due_on": "2022-05-01"}]}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(
            fields(&bad),
            vec![
                ("actions.1.due_on".into(), "due_before_meeting".into()),
                ("actions.2.unit_code".into(), "unknown_unit".into()),
                ("actions.3.unit_code".into(), "unit_or_person".into()),
                ("text".into(), "required".into()),
                ("votes_for".into(), "more_votes_than_members".into()),
            ]
        );
        let (_, none) = c.get("/api/v1/decisions", &officer).await;
        assert_eq!(none["items"], json!([]));

        // The decision approving the programs, with items to both districts.
        let (s, d) = c
            .post("/api/v1/decisions", &officer, json!({"meeting_id": meeting, "item_id": item,
                "text": "Phê duyệt 14 chương trình Tháng Công nhân", "votes_for": 2, "votes_against": 0, "votes_abstain": 0,
                "actions": [
                    {"unit_code": "D1", "title": "Tổ chức chương trình ở huyện", "due_on": "2022-05-01"},
                    {"unit_code": "D2", "title": "Tổ chức chương trình ở huyện", "due_on": "2022-05-01"},
                    {"person_id": someone, "title": "Báo cáo tổng hợp", "due_on": "2022-05-15"}]}))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{d}");
        assert_eq!(
            (
                d["label"].as_str(),
                d["outcome"].as_str(),
                d["consensus"].as_bool()
            ),
            (Some("2022/1"), Some("adopted"), Some(false))
        );
        let did = d["id"].as_i64().unwrap();
        // The decision approves the program of Workers' Month, declared from its page
        // with the decision's number filled in; it lists it.
        let cookie = c.session_cookie("p-officer").await;
        let page = c
            .page("GET", &format!("/decisions/{did}"), &cookie, None)
            .await;
        assert!(page.body.contains(&format!("/programs/new?decision={did}")));
        let form = c
            .page(
                "GET",
                &format!("/programs/new?decision={did}"),
                &cookie,
                None,
            )
            .await;
        assert!(
            form.body.contains(&format!("value=\"{did}\"")),
            "{}",
            form.body
        );
        let csrf = crate::support::csrf_of(&form.body);
        let made = c
            .page("POST", "/programs/new", &cookie, Some(&format!(
                "csrf={csrf}&unit_code=P&name=Th%C3%A1ng+C%C3%B4ng+nh%C3%A2n+2022&starts_on=2022-05-01&ends_on=2022-05-31&decision_id={did}")))
            .await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        let program_path = made.location.unwrap();
        let (_, program) = c.get(&format!("/api/v1{program_path}"), &officer).await;
        assert_eq!(program["decision_id"].as_i64(), Some(did), "{program}");
        let (_, with_program) = c.get(&format!("/api/v1/decisions/{did}"), &officer).await;
        assert_eq!(with_program["programs"][0]["name"], "Tháng Công nhân 2022");
        let units: Vec<&str> = d["actions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["unit_code"].as_str().unwrap())
            .collect();
        assert_eq!(
            units,
            ["D1", "D2", "G2"],
            "a person's item is held by their unit"
        );
        assert_eq!(d["done_share"], 0.0);
        let d1_item = d["actions"][0]["id"].as_i64().unwrap();
        let d2_item = d["actions"][1]["id"].as_i64().unwrap();

        // D1's officer sees their item and splits it for their grassroots unit.
        let d1 = c.login("d1-officer", Some("D1"), "officer").await;
        let (_, mine) = c.get("/api/v1/action-items?unit=D1", &d1).await;
        assert_eq!(mine["items"].as_array().unwrap().len(), 1);
        assert_eq!(mine["items"][0]["id"], d1_item);
        for (body, field, code) in [
            (
                json!({"items": [{"unit_code": "D1", "due_on": "2022-04-30"}]}),
                "items.1.unit_code",
                "not_below",
            ),
            (
                json!({"items": [{"unit_code": "G2", "due_on": "2022-04-30"}]}),
                "items.1.unit_code",
                "unknown_unit",
            ),
            (
                json!({"items": [{"unit_code": "G1", "due_on": "2022-05-30"}]}),
                "items.1.due_on",
                "due_after_parent",
            ),
        ] {
            let (s, b) = c
                .post(&format!("/api/v1/action-items/{d1_item}/split"), &d1, body)
                .await;
            assert_eq!(
                (s, b["fields"][field].as_str()),
                (StatusCode::UNPROCESSABLE_ENTITY, Some(code)),
                "{b}"
            );
        }
        let (s, split) = c
            .post(
                &format!("/api/v1/action-items/{d1_item}/split"),
                &d1,
                json!({"items": [{"unit_code": "G1", "due_on": "2022-04-30"}]}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{split}");
        assert_eq!(
            (split["status"].as_str(), split["children"].as_i64()),
            (Some("in_progress"), Some(1))
        );
        // The grassroots unit's item done: D1's item shows all of its part done.
        let (_, d1_view) = c
            .get(&format!("/api/v1/action-items/{d1_item}"), &officer)
            .await;
        let g1_item = d1_view["parts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["unit_code"] == "G1")
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let (s, p) = c
            .post(
                &format!("/api/v1/action-items/{g1_item}/progress"),
                &d1,
                json!({"status": "done", "note": "Đã tổ chức hội nghị", "done_on": "2022-04-28"}),
            )
            .await;
        assert_eq!(
            (s, p["status"].as_str()),
            (StatusCode::OK, Some("done")),
            "{p}"
        );
        assert_eq!(p["notes"][0]["note"], "Đã tổ chức hội nghị");
        let (s, future) = c
            .post(
                &format!("/api/v1/action-items/{d1_item}/progress"),
                &d1,
                json!({"status": "done", "done_on": "2999-01-01"}),
            )
            .await;
        assert_eq!(
            (s, future["fields"]["done_on"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("in_future"))
        );
        let (_, p) = c
            .post(
                &format!("/api/v1/action-items/{d1_item}/progress"),
                &d1,
                json!({"status": "done"}),
            )
            .await;
        assert_eq!(p["children_done_share"], 100.0);
        let (s, bad) = c
            .post(
                &format!("/api/v1/action-items/{d1_item}/progress"),
                &d1,
                json!({"status": "finished"}),
            )
            .await;
        assert_eq!(
            (s, bad["fields"]["status"].as_str()),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Some("invalid_action_status")
            )
        );

        // The province sees which districts did their part.
        let (_, dv) = c.get(&format!("/api/v1/decisions/{did}"), &officer).await;
        let state: Vec<(&str, &str)> = dv["actions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    a["unit_code"].as_str().unwrap(),
                    a["status"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            state,
            // The decision's own items; the report is held by its member's unit.
            [("D1", "done"), ("D2", "open"), ("G2", "open")]
        );
        assert_eq!(
            (
                dv["actions"][0]["children"].as_i64(),
                dv["actions"][0]["children_done_share"].as_f64()
            ),
            (Some(1), Some(100.0)),
            "D1's part below done"
        );
        assert!(
            (dv["done_share"].as_f64().unwrap() - 100.0 / 3.0).abs() < 0.01,
            "{}",
            dv["done_share"]
        );
        // Overdue on 2022-06-01: D2's and the report, oldest first, with who holds them.
        let (_, late) = c
            .get("/api/v1/action-items/overdue?as_of=2022-06-01", &officer)
            .await;
        let late: Vec<(&str, &str)> = late["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    a["unit_code"].as_str().unwrap(),
                    a["due_on"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(late, [("D2", "2022-05-01"), ("G2", "2022-05-15")]);
        let (_, d1_late) = c
            .get("/api/v1/action-items/overdue?as_of=2022-06-01", &d1)
            .await;
        assert_eq!(d1_late["items"], json!([]));
        let (_, on_time) = c
            .get("/api/v1/action-items/overdue?as_of=2022-04-20", &officer)
            .await;
        assert_eq!(on_time["items"], json!([]));

        // The quarter's governance, the province's total and each district.
        let (s, g) = c
            .get("/api/v1/governance?unit=P&quarter=2022-Q2", &officer)
            .await;
        assert_eq!(s, StatusCode::OK, "{g}");
        let rows: Vec<(&str, i64, i64, i64, i64, i64)> = g["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["unit_code"].as_str().unwrap(),
                    r["meetings_held"].as_i64().unwrap(),
                    r["decisions_adopted"].as_i64().unwrap(),
                    r["items_due"].as_i64().unwrap(),
                    r["items_done_on_time"].as_i64().unwrap(),
                    r["items_overdue"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            // G1's part was done by its date; D1's own was recorded done today, late.
            [
                ("P", 1, 1, 4, 1, 2),
                ("D1", 0, 0, 2, 1, 0),
                ("D2", 0, 0, 2, 0, 2)
            ]
        );
        assert_eq!(
            g["rows"][0]["attendance_rate"],
            200.0 / 3.0,
            "two of three came"
        );
        assert_eq!(
            (
                g["rows"][0]["committees"].as_i64(),
                g["rows"][0]["meetings_expected"].as_i64()
            ),
            (Some(1), Some(0)),
            "as needed"
        );
        // The same spring in the Solar Hijri calendar: 1401's first quarter (Farvardin
        // to Khordad, 2022-03-21 to 2022-06-21) holds the meeting and the items due.
        let (_, fa) = c
            .get(
                "/api/v1/governance?unit=P&quarter=1401-Q1&calendar=persian",
                &officer,
            )
            .await;
        assert_eq!(
            (fa["from"].as_str(), fa["to"].as_str()),
            (Some("2022-03-21"), Some("2022-06-22")),
            "{fa}"
        );
        assert_eq!(
            (
                fa["rows"][0]["meetings_held"].as_i64(),
                fa["rows"][0]["items_due"].as_i64()
            ),
            (Some(1), Some(4))
        );
        let (s, bad) = c
            .get(
                "/api/v1/governance?quarter=2022-Q5&calendar=gregorian",
                &officer,
            )
            .await;
        assert_eq!(
            (s, bad["fields"]["quarter"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_quarter"))
        );
        let (s, _) = c.get("/api/v1/governance?unit=P", &d1).await;
        assert_eq!(
            s,
            StatusCode::NOT_FOUND,
            "a district does not see the province's figures"
        );
        // Nothing of D2 for D1's officer; the committee's decision is searchable above.
        assert_eq!(
            c.get(&format!("/api/v1/action-items/{d2_item}"), &d1)
                .await
                .0,
            StatusCode::NOT_FOUND
        );
        let (s, _) = c
            .post(
                &format!("/api/v1/action-items/{d2_item}/progress"),
                &d1,
                json!({"status": "done"}),
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        assert_eq!(
            c.get(&format!("/api/v1/decisions/{did}"), &d1).await.0,
            StatusCode::NOT_FOUND
        );
        let (_, found) = c
            .get(
                &format!(
                    "/api/v1/decisions?q={}",
                    crate::support::enc("14 chương trình")
                ),
                &officer,
            )
            .await;
        assert_eq!(found["items"][0]["id"], did);
        let (_, nothing) = c
            .get(
                &format!("/api/v1/decisions?q={}", crate::support::enc("ngân sách")),
                &officer,
            )
            .await;
        assert_eq!(nothing["items"], json!([]));
        let viewer = c.login("p-viewer", Some("P"), "viewer").await;
        let (s, _) = c
            .post(
                "/api/v1/decisions",
                &viewer,
                json!({"meeting_id": meeting, "item_id": item, "text": "X"}),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);

        // A meeting without a quorum decides only with a note, and is marked.
        let (_, m2) = c
            .post(
                "/api/v1/meetings",
                &officer,
                json!({"committee_id": cid, "day": "2022-05-02", "agenda": [{"title": "Khác"}]}),
            )
            .await;
        let m2id = m2["id"].as_i64().unwrap();
        // The first meeting's items still pending come up by themselves as matters arising.
        let arising: Vec<&str> = m2["matters_arising"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["unit_code"].as_str().unwrap())
            .collect();
        assert_eq!(arising, ["D2", "G2"], "D1's item is done");
        let (_, m1) = c
            .get(&format!("/api/v1/meetings/{meeting}"), &officer)
            .await;
        assert_eq!(
            m1["matters_arising"],
            json!([]),
            "nothing arises before the first meeting"
        );
        assert_eq!(m1["decisions"][0]["label"], "2022/1");
        let item2 = m2["agenda"][0]["id"].as_i64().unwrap();
        let (s, bad) = c
            .post(
                "/api/v1/decisions",
                &officer,
                json!({"meeting_id": m2id, "item_id": item2, "text": "Hoãn"}),
            )
            .await;
        assert_eq!(
            (s, bad["fields"]["quorum_note"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("no_quorum"))
        );
        let (s, noted) = c
            .post(
                "/api/v1/decisions",
                &officer,
                json!({"meeting_id": m2id, "item_id": item2, "text": "Hoãn sang kỳ sau",
                "outcome": "deferred", "quorum_note": "Thông báo để các ủy viên vắng biết"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{noted}");
        assert_eq!(
            (
                noted["without_quorum"].as_bool(),
                noted["consensus"].as_bool(),
                noted["label"].as_str()
            ),
            (Some(true), Some(true), Some("2022/2"))
        );
        // A finalized meeting takes no more decisions.
        c.post(
            &format!("/api/v1/meetings/{m2id}/finalize"),
            &officer,
            json!({}),
        )
        .await;
        let (s, _) = c
            .post(
                "/api/v1/decisions",
                &officer,
                json!({"meeting_id": m2id, "item_id": item2, "text": "Muộn", "quorum_note": "x"}),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT);
    }
);

on_both_backends!(
    a_persian_committee_numbers_its_decisions_by_solar_hijri_year,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let officer = c.login("p-officer", Some("P"), "officer").await;
        let (_, meeting, item) = quorate_meeting(&c, &admin, &officer, "persian").await;
        let (s, d) = c
            .post(
                "/api/v1/decisions",
                &officer,
                json!({"meeting_id": meeting, "item_id": item,
                "text": "تصویب چهارده برنامهٔ هفتهٔ کارگر"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{d}");
        assert_eq!(d["label"], "1401/1", "2022-04-11 is in 1401");
        assert_eq!(d["consensus"], true);
    }
);

on_both_backends!(
    a_decision_is_recorded_split_and_finished_on_the_pages,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let officer = c.login("p-officer", Some("P"), "officer").await;
        let (_, meeting, item) = quorate_meeting(&c, &admin, &officer, "gregorian").await;
        c.login("tinh", Some("P"), "officer").await;
        let me = c.session_cookie("tinh").await;
        let page = c
            .page("GET", &format!("/meetings/{meeting}"), &me, None)
            .await;
        assert!(page.body.contains("id=\"decision-form\""), "{}", page.body);
        let csrf = crate::support::csrf_of(&page.body);
        let path = format!("/meetings/{meeting}/decisions");
        // An item due before the meeting is named on its row; nothing is saved.
        let bad = c
            .page("POST", &path, &me, Some(&format!(
                "csrf={csrf}&item_id={item}&text=Ph%C3%AA+duy%E1%BB%87t&outcome=adopted&votes_for=2&aunit0=D1&adue0=01/04/2022")))
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("Due before the meeting."), "{}", bad.body);
        let (_, none) = c.get("/api/v1/decisions", &officer).await;
        assert_eq!(none["items"], json!([]));
        let made = c
            .page("POST", &path, &me, Some(&format!(
                "csrf={csrf}&item_id={item}&text=Ph%C3%AA+duy%E1%BB%87t+14+ch%C6%B0%C6%A1ng+tr%C3%ACnh&outcome=adopted&votes_for=2&votes_against=0&votes_abstain=0\
                 &aunit0=D1&atitle0=T%E1%BB%95+ch%E1%BB%A9c&adue0=01/05/2022&aunit1=D2&atitle1=T%E1%BB%95+ch%E1%BB%A9c&adue1=01/05/2022")))
            .await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        let page = c
            .page("GET", &format!("/meetings/{meeting}"), &me, None)
            .await;
        assert!(
            page.body.contains("Decision No.")
                && page.body.contains("2022/1")
                && page.body.contains("2 for, 0 against, 0 abstaining"),
            "{}",
            page.body
        );

        // The district's officer finds the item, splits it for their grassroots unit,
        // and finishes both.
        c.login("huyen", Some("D1"), "officer").await;
        let d1 = c.session_cookie("huyen").await;
        let home = c.page("GET", "/", &d1, None).await;
        assert!(
            home.body.contains("Action items to do") && home.body.contains("Tổ chức"),
            "the district's dashboard shows its item"
        );
        let list = c.page("GET", "/action-items", &d1, None).await;
        assert!(
            list.body.contains("Tổ chức")
                && list.body.contains("D1")
                && !list.body.contains(">D2<"),
            "{}",
            list.body
        );
        let (_, d) = c.get("/api/v1/decisions", &officer).await;
        let did = d["items"][0]["id"].as_i64().unwrap();
        let d1_item = d["items"][0]["actions"][0]["id"].as_i64().unwrap();
        let item_page = c
            .page("GET", &format!("/action-items/{d1_item}"), &d1, None)
            .await;
        let csrf = crate::support::csrf_of(&item_page.body);
        let wrong = c
            .page(
                "POST",
                &format!("/action-items/{d1_item}/split"),
                &d1,
                Some(&format!("csrf={csrf}&sunit0=G2&sdue0=20/04/2022")),
            )
            .await;
        assert_eq!(
            wrong.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "G2 is not below D1"
        );
        let split = c
            .page(
                "POST",
                &format!("/action-items/{d1_item}/split"),
                &d1,
                Some(&format!(
                    "csrf={csrf}&sunit0=G1&stitle0=H%E1%BB%99i+ngh%E1%BB%8B&sdue0=20/04/2022"
                )),
            )
            .await;
        assert_eq!(split.status, StatusCode::SEE_OTHER, "{}", split.body);
        let (_, d1_view) = c
            .get(&format!("/api/v1/action-items/{d1_item}"), &officer)
            .await;
        let g1_item = d1_view["parts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["unit_code"] == "G1")
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        for id in [g1_item, d1_item] {
            let r = c
                .page(
                    "POST",
                    &format!("/action-items/{id}/progress"),
                    &d1,
                    Some(&format!("csrf={csrf}&status=done&note=Xong")),
                )
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        }
        let done = c
            .page("GET", &format!("/action-items/{d1_item}"), &d1, None)
            .await;
        assert!(
            done.body.contains("Xong") && done.body.contains("100") && done.body.contains("G1"),
            "{}",
            done.body
        );

        // The province sees which district has done its part, and what is overdue.
        let view = c.page("GET", &format!("/decisions/{did}"), &me, None).await;
        assert!(
            view.body.contains("50") && view.body.contains("D1") && view.body.contains("D2"),
            "{}",
            view.body
        );
        let g = c
            .page(
                "GET",
                "/governance?unit=P&quarter=2022-Q2&calendar=gregorian",
                &me,
                None,
            )
            .await;
        assert!(
            g.body.contains("2022-04-01 – 2022-06-30")
                && g.body.contains(
                    "href=\"/governance?unit=D1&amp;quarter=2022-Q2&amp;calendar=gregorian\""
                ),
            "{}",
            g.body
        );
        let late = c.page("GET", "/action-items/overdue", &me, None).await;
        assert!(
            late.body.contains("D2") && !late.body.contains(">G1<"),
            "{}",
            late.body
        );
        // Another district gets nothing of D1's.
        c.login("huyen2", Some("D2"), "officer").await;
        let d2 = c.session_cookie("huyen2").await;
        assert_eq!(
            c.page("GET", &format!("/action-items/{d1_item}"), &d2, None)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            c.page("GET", &format!("/decisions/{did}"), &d2, None)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    }
);
