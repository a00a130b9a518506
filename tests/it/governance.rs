//! Committees as a federation keeps them: a steering committee with a support team,
//! seats for members and outside participants, a quorum worked out from the roster,
//! ended seats kept as history, a member's seats on their page, bad input named on its
//! field, and nothing of another subtree.

use crate::on_both_backends;
use crate::support::{add_member, csrf_of, field_codes as fields, small_tree, Backend, Client};
use axum::http::StatusCode;
use serde_json::{json, Value};

on_both_backends!(
    a_steering_committee_keeps_its_roster_history_and_quorum,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let officer = c.login("p-officer", Some("P"), "officer").await;

        // Bad input: each field named, nothing saved.
        let (s, bad) = c
            .post(
                "/api/v1/committees",
                &officer,
                json!({"unit_code": "P", "name": " ", "kind": "jury", "cadence": "weekly",
                       "quorum_percent": 100, "term_start": "2024-01-01", "term_end": "2023-12-31"}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(
            fields(&bad),
            vec![
                ("cadence".into(), "invalid_cadence".into()),
                ("kind".into(), "invalid_committee_kind".into()),
                ("name".into(), "required".into()),
                ("quorum_percent".into(), "out_of_range".into()),
                ("term_end".into(), "ends_before_start".into()),
            ]
        );
        let (s, bad) = c
            .post("/api/v1/committees", &officer, json!({"unit_code": "Q9", "name": "Ban", "kind": "executive", "term_start": "2024-01-01"}))
            .await;
        assert_eq!(
            (s, fields(&bad)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![("unit_code".into(), "unknown_unit".into())]
            )
        );
        let (_, none) = c.get("/api/v1/committees", &officer).await;
        assert_eq!(none["items"], json!([]));

        // The steering committee and its support team.
        let (s, steering) = c
            .post(
                "/api/v1/committees",
                &officer,
                json!({"unit_code": "P", "name": "Ban Chỉ đạo phát triển đoàn viên", "kind": "steering",
                       "cadence": "quarterly", "term_start": "2024-01-01", "term_end": "2024-12-31"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{steering}");
        assert_eq!(steering["quorum_percent"], 50, "more than half by default");
        let id = steering["id"].as_i64().unwrap();
        let mut people = Vec::new();
        for (i, name) in [
            "Nguyễn Văn An",
            "Trần Thị Bích",
            "Lê Văn Cường",
            "Phạm Thị Dung",
            "Võ Văn Em",
        ]
        .iter()
        .enumerate()
        {
            let unit = if i % 2 == 0 { "G1" } else { "G2" };
            people.push(
                add_member(&c, &admin, json!({"unit_code": unit, "full_name": name, "member_number": format!("BT-{i}")})).await,
            );
        }
        let positions = [
            "chair",
            "vice_chair",
            "secretary",
            "standing_member",
            "member",
        ];
        for (p, pos) in people.iter().zip(positions) {
            let (s, seat) = c
                .post(
                    &format!("/api/v1/committees/{id}/seats"),
                    &officer,
                    json!({"person_id": p, "position": pos}),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{seat}");
            assert_eq!(seat["from_on"], "2024-01-01", "from the term's start");
        }
        // An outside participant without a vote, and one seated by member number.
        let (s, guest) = c
            .post(
                &format!("/api/v1/committees/{id}/seats"),
                &officer,
                json!({"outside_name": "Đặng Văn Phúc", "outside_title": "Phó Giám đốc",
                       "outside_organization": "Sở Lao động - Thương binh và Xã hội", "voting": false}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{guest}");
        assert_eq!(guest["person_id"], Value::Null);
        let (_, view) = c.get(&format!("/api/v1/committees/{id}"), &officer).await;
        assert_eq!(
            (view["seated"].as_i64(), view["voting"].as_i64()),
            (Some(6), Some(5))
        );
        assert_eq!(view["quorum_needed"], 3, "more than half of five");

        // Refused seats: both kinds at once, nobody, a person out of sight, a span
        // ending before it starts.
        for (body, field, code) in [
            (
                json!({"person_id": people[0], "outside_name": "X"}),
                "outside_name",
                "member_or_outside",
            ),
            (json!({"position": "chair"}), "person_id", "required"),
            (
                json!({"member_number": "NOPE-1"}),
                "member_number",
                "unknown_member",
            ),
            (
                json!({"person_id": people[0], "from_on": "2024-05-01", "until_on": "2024-04-01"}),
                "until_on",
                "ends_before_start",
            ),
            (
                json!({"person_id": people[0], "position": "king"}),
                "position",
                "invalid_position",
            ),
        ] {
            let (s, b) = c
                .post(&format!("/api/v1/committees/{id}/seats"), &officer, body)
                .await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
            assert_eq!(b["fields"][field], code, "{b}");
        }
        let (_, after) = c.get(&format!("/api/v1/committees/{id}"), &officer).await;
        assert_eq!(
            after["seats"].as_array().unwrap().len(),
            6,
            "nothing half-written"
        );

        // The vice chair steps down: the seat is history, the quorum follows.
        let vice = view["seats"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["position"] == "vice_chair")
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let (s, ended) = c
            .post(
                &format!("/api/v1/committees/{id}/seats/{vice}/end"),
                &officer,
                json!({"until_on": "2024-06-30"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{ended}");
        assert_eq!(ended["current"], false);
        let (_, view) = c.get(&format!("/api/v1/committees/{id}"), &officer).await;
        assert_eq!(
            (
                view["seated"].as_i64(),
                view["voting"].as_i64(),
                view["quorum_needed"].as_i64()
            ),
            (Some(5), Some(4), Some(3))
        );
        assert_eq!(
            view["seats"].as_array().unwrap().len(),
            6,
            "the ended seat is kept"
        );
        let (s, again) = c
            .post(
                &format!("/api/v1/committees/{id}/seats/{vice}/end"),
                &officer,
                json!({"until_on": "2024-07-31"}),
            )
            .await;
        assert_eq!(
            (s, again["fields"]["until_on"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("seat_ended"))
        );

        // A member's seats, current and past, on their page and in the API.
        let (_, seats) = c
            .get(
                &format!("/api/v1/members/{}/committee-seats", people[1]),
                &officer,
            )
            .await;
        assert_eq!(seats["items"][0]["position"], "vice_chair");
        assert_eq!(seats["items"][0]["until_on"], "2024-06-30");
        c.login("p-viewer", Some("P"), "viewer").await;
        let viewer = c.session_cookie("p-viewer").await;
        let page = c
            .page("GET", &format!("/members/{}", people[0]), &viewer, None)
            .await;
        assert!(
            page.body.contains("Committee seats")
                && page.body.contains("Ban Chỉ đạo phát triển đoàn viên"),
            "{}",
            page.body
        );

        // A district sees its own part only: a committee of the province is not in sight,
        // and its officer may not seat the province's people on a district committee.
        let d2 = c.login("d2-officer", Some("D2"), "officer").await;
        assert_eq!(
            c.get(&format!("/api/v1/committees/{id}"), &d2).await.0,
            StatusCode::NOT_FOUND
        );
        let (_, list) = c.get("/api/v1/committees", &d2).await;
        assert_eq!(list["items"], json!([]));
        let (s, ward) = c
            .post("/api/v1/committees", &d2, json!({"unit_code": "D2", "name": "Tổ công tác", "kind": "working_group", "term_start": "2024-01-01"}))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{ward}");
        let ward = ward["id"].as_i64().unwrap();
        let (s, b) = c
            .post(
                &format!("/api/v1/committees/{ward}/seats"),
                &d2,
                json!({"person_id": people[0]}),
            )
            .await;
        assert_eq!(
            (s, b["fields"]["person_id"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("unknown_member")),
            "G1's member is not D2's"
        );
        let (s, _) = c
            .post(
                &format!("/api/v1/committees/{ward}/seats"),
                &d2,
                json!({"member_number": "BT-1"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "G2's member by number");
        // The province sees both; a viewer may not form one.
        let (_, all) = c.get("/api/v1/committees", &officer).await;
        assert_eq!(all["items"].as_array().unwrap().len(), 2);
        let (_, only_d2) = c.get("/api/v1/committees?unit=D2", &officer).await;
        assert_eq!(only_d2["items"][0]["name"], "Tổ công tác");
        let v = c.login("p-viewer2", Some("P"), "viewer").await;
        let (s, _) = c.post("/api/v1/committees", &v, json!({"unit_code": "P", "name": "X", "kind": "executive", "term_start": "2024-01-01"})).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
);

on_both_backends!(
    a_persian_officer_forms_a_joint_working_group_on_the_pages,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        add_member(
            &c,
            &admin,
            json!({"unit_code": "G1", "full_name": "علی رضایی", "member_number": "MK-7"}),
        )
        .await;
        c.login("markazi", Some("P"), "officer").await;
        let me = c.session_cookie("markazi").await;
        let csrf = csrf_of(&c.page("GET", "/settings", &me, None).await.body);
        c.page(
            "POST",
            "/language",
            &me,
            Some(&format!("lang=fa&csrf={csrf}")),
        )
        .await;

        let form = c.page("GET", "/committees/new", &me, None).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("dir=\"rtl\"") && form.body.contains("کارگروه مشترک"));
        let csrf = csrf_of(&form.body);
        // A month 13 is refused on its field, in Persian, and nothing is saved.
        let bad = c
            .page("POST", "/committees/new", &me, Some(&format!(
                "csrf={csrf}&unit_code=P&name=%DA%A9%D8%A7%D8%B1%DA%AF%D8%B1%D9%88%D9%87&kind=joint_working_group&cadence=as_needed&quorum_percent=50&term_start=1401/13/01")))
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.body.contains("این تاریخ وجود ندارد")
                || bad.body.contains("field-error")
                || bad.body.contains("class=\"error\""),
            "{}",
            bad.body
        );
        let (_, none) = c.get("/api/v1/committees", &admin).await;
        assert_eq!(none["items"], json!([]));
        // Persian digits and the Solar Hijri calendar: 1401/01/22 is 2022-04-11.
        let made = c
            .page("POST", "/committees/new", &me, Some(&format!(
                "csrf={csrf}&unit_code=P&name=%DA%A9%D8%A7%D8%B1%DA%AF%D8%B1%D9%88%D9%87+%D8%B9%D8%AF%D8%A7%D9%84%D8%AA&kind=joint_working_group&cadence=as_needed&quorum_percent=%DB%B5%DB%B0&term_start=%DB%B1%DB%B4%DB%B0%DB%B1/%DB%B0%DB%B1/%DB%B2%DB%B2")))
            .await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        let page_path = made.location.unwrap();
        let (_, list) = c.get("/api/v1/committees", &admin).await;
        assert_eq!(list["items"][0]["term_start"], "2022-04-11");
        assert_eq!(list["items"][0]["quorum_percent"], 50);
        // Seat the deputy governor (outside, no vote) and a member by number.
        let page = c.page("GET", &page_path, &me, None).await;
        let csrf = csrf_of(&page.body);
        let seats = format!("{page_path}/seats");
        let r = c
            .page("POST", &seats, &me, Some(&format!(
                "csrf={csrf}&outside_name=%D9%85%D8%AD%D9%85%D8%AF+%D8%AD%D8%B3%DB%8C%D9%86%DB%8C&outside_title=%D9%85%D8%B9%D8%A7%D9%88%D9%86+%D8%B3%DB%8C%D8%A7%D8%B3%DB%8C&position=member&voting=no")))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = c
            .page(
                "POST",
                &seats,
                &me,
                Some(&format!(
                    "csrf={csrf}&member_number=MK-7&position=chair&voting=yes"
                )),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let unknown = c
            .page(
                "POST",
                &seats,
                &me,
                Some(&format!("csrf={csrf}&member_number=NOPE&position=chair")),
            )
            .await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            unknown.body.contains("چنین عضوی در بخش شما از تشکیلات نیست"),
            "{}",
            unknown.body
        );
        let page = c.page("GET", &page_path, &me, None).await;
        assert!(
            page.body.contains("مشارکت‌کنندهٔ بیرونی"),
            "the outside participant is marked"
        );
        assert!(
            page.body.contains("۱۴۰۱/۰۱/۲۲"),
            "the term in Solar Hijri with Persian digits"
        );
        assert!(
            page.body.contains("امروز ۱ از ۱"),
            "quorum: one of one voting member: {}",
            page.body
        );
    }
);

/// A committee of `unit` with no seats yet: its id.
async fn committee_of(c: &Client, token: &str, unit: &str) -> i64 {
    let (s, body) = c
        .post(
            "/api/v1/committees",
            token,
            json!({"unit_code": unit, "name": format!("Ban chấp hành {unit}"), "kind": "executive",
                   "cadence": "monthly", "term_start": "2023-01-01"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    body["id"].as_i64().unwrap()
}

/// A meeting of a committee on `day` with one agenda item, its minutes finalized when
/// `finalize`: the meeting's id and its item's.
async fn meeting_on(
    c: &Client,
    token: &str,
    committee: i64,
    day: &str,
    finalize: bool,
) -> (i64, i64) {
    let (s, m) = c
        .post(
            "/api/v1/meetings",
            token,
            json!({"committee_id": committee, "day": day, "agenda": [{"title": "Kế hoạch tháng"}]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{m}");
    let id = m["id"].as_i64().unwrap();
    let item = m["agenda"][0]["id"].as_i64().unwrap();
    if finalize {
        let (s, f) = c
            .post(&format!("/api/v1/meetings/{id}/finalize"), token, json!({}))
            .await;
        assert_eq!(s, StatusCode::OK, "{f}");
    }
    (id, item)
}

/// A governance metric's monthly figures in a drive's progress: the unit's subtree
/// total, and each child's.
async fn governed(
    c: &Client,
    token: &str,
    unit: &str,
    kind: &str,
) -> (Vec<i64>, Vec<(String, Vec<i64>)>) {
    let (s, p) = c
        .get(
            &format!("/api/v1/drives/GOV/progress?as_of=2024-06-30&unit={unit}"),
            token,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    let m = p["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["metric"]["kind"] == kind)
        .unwrap_or_else(|| panic!("no metric {kind}"));
    let ints = |v: &Value| -> Vec<i64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_i64().unwrap())
            .collect()
    };
    let children = m["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["unit_code"].as_str().unwrap().to_string(),
                ints(&c["monthly"]),
            )
        })
        .collect();
    (ints(&m["total"]["monthly"]), children)
}

on_both_backends!(
    a_drive_counts_committees_that_met_meetings_decisions_and_items_done,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let (s, d) = c
            .post(
                "/api/v1/drives",
                &admin,
                json!({"code": "GOV", "name": "Sinh hoạt đều đặn 2024",
                "scope_unit_code": "P", "start_month": "2024-01", "end_month": "2024-06",
                "metrics": [{"kind": "committees_met"}, {"kind": "meetings_held"},
                            {"kind": "decisions_adopted"}, {"kind": "action_items_done"}]}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{d}");
        let g1 = committee_of(&c, &admin, "G1").await;
        let g2 = committee_of(&c, &admin, "G2").await;

        // G1's committee meets in February and March; April's minutes are not final yet,
        // and a meeting before the drive does not count.
        meeting_on(&c, &admin, g1, "2023-12-15", true).await;
        meeting_on(&c, &admin, g1, "2024-02-10", true).await;
        meeting_on(&c, &admin, g1, "2024-03-10", true).await;
        meeting_on(&c, &admin, g1, "2024-04-10", false).await;
        // G2's meets in March and adopts a decision with an item, done in April.
        let (m2, item) = meeting_on(&c, &admin, g2, "2024-03-05", false).await;
        let (s, dec) = c
            .post("/api/v1/decisions", &admin, json!({"meeting_id": m2, "item_id": item,
                "text": "Tổ chức đối thoại tại nơi làm việc", "quorum_note": "Họp bất thường",
                "actions": [{"unit_code": "G2", "title": "Đối thoại với giám đốc", "due_on": "2024-04-30"}]}))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{dec}");
        let action = dec["actions"][0]["id"].as_i64().expect("action");
        c.post(
            &format!("/api/v1/meetings/{m2}/finalize"),
            &admin,
            json!({}),
        )
        .await;
        let (s, done) = c
            .post(
                &format!("/api/v1/action-items/{action}/progress"),
                &admin,
                json!({"status": "done", "done_on": "2024-04-02"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{done}");

        let (met, by_district) = governed(&c, &admin, "P", "committees_met").await;
        assert_eq!(
            met,
            [0, 1, 1, 0, 0, 0],
            "each committee once, in the month it first met"
        );
        assert_eq!(
            by_district,
            [
                ("D1".to_string(), vec![0, 1, 0, 0, 0, 0]),
                ("D2".to_string(), vec![0, 0, 1, 0, 0, 0])
            ]
        );
        assert_eq!(
            governed(&c, &admin, "P", "meetings_held").await.0,
            [0, 1, 2, 0, 0, 0]
        );
        assert_eq!(
            governed(&c, &admin, "P", "decisions_adopted").await.0,
            [0, 0, 1, 0, 0, 0]
        );
        assert_eq!(
            governed(&c, &admin, "P", "action_items_done").await.0,
            [0, 0, 0, 1, 0, 0]
        );

        // Minutes of an earlier January meeting of G2's committee, finalized late: the
        // committee now counts in January instead, still once.
        meeting_on(&c, &admin, g2, "2024-01-20", true).await;
        assert_eq!(
            governed(&c, &admin, "P", "committees_met").await.0,
            [1, 1, 0, 0, 0, 0]
        );
        assert_eq!(
            governed(&c, &admin, "P", "meetings_held").await.0,
            [1, 1, 2, 0, 0, 0]
        );
        // The item reopened stops counting as done.
        c.post(
            &format!("/api/v1/action-items/{action}/progress"),
            &admin,
            json!({"status": "in_progress"}),
        )
        .await;
        assert_eq!(
            governed(&c, &admin, "P", "action_items_done").await.0,
            [0; 6]
        );

        // G2 moves to D1: the figures follow it, the province's total unchanged.
        let (s, moved) = c
            .post(
                "/api/v1/units/G2/move",
                &admin,
                json!({"parent_code": "D1"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{moved}");
        let (met, by_district) = governed(&c, &admin, "P", "committees_met").await;
        assert_eq!(met, [1, 1, 0, 0, 0, 0]);
        assert_eq!(
            by_district,
            [
                ("D1".to_string(), vec![1, 1, 0, 0, 0, 0]),
                ("D2".to_string(), vec![0; 6])
            ]
        );
        // The roll-ups read counters kept by every write and shifted by the move: the
        // same as counted afresh from the records.
        let mut kept = Vec::new();
        for q in ["2024-Q1", "2024-Q2"] {
            let (s, r) = c
                .get(
                    &format!("/api/v1/governance?unit=P&quarter={q}&calendar=gregorian"),
                    &admin,
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{r}");
            kept.push(r);
        }
        let q1: Vec<(&str, i64, i64, i64)> = kept[0]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["unit_code"].as_str().unwrap(),
                    r["committees"].as_i64().unwrap(),
                    r["meetings_held"].as_i64().unwrap(),
                    r["decisions_adopted"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(q1, [("P", 2, 4, 1), ("D1", 2, 4, 1), ("D2", 0, 0, 0)]);
        assert_eq!(kept[1]["rows"][0]["items_due"], 1);
        assert!(c.db.system().await.count_tallies(true).await.unwrap());
        for (q, before) in ["2024-Q1", "2024-Q2"].iter().zip(&kept) {
            let (_, r) = c
                .get(
                    &format!("/api/v1/governance?unit=P&quarter={q}&calendar=gregorian"),
                    &admin,
                )
                .await;
            assert_eq!(&r, before, "{q}");
        }

        // A district's officer sees their own part only.
        let d2 = c.login("d2-officer", Some("D2"), "officer").await;
        let (s, _) = c
            .get("/api/v1/drives/GOV/progress?as_of=2024-06-30&unit=D1", &d2)
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
);
