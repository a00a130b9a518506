//! Meetings as a committee holds them: an agenda with sub-items, the quorum worked out
//! from the day's roster before anything is decided, minutes finalized, numbered and
//! corrected as new versions, the labor-week coordination meeting on the pages in
//! Persian, each meeting as a calendar event and a personal calendar feed.

use crate::on_both_backends;
use crate::support::{add_member, csrf_of, field_codes as fields, small_tree, Backend, Client};
use axum::http::StatusCode;
use serde_json::json;

on_both_backends!(
    a_coordination_meeting_is_held_quorate_and_its_minutes_finalized_and_corrected,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let officer = c.login("p-officer", Some("P"), "officer").await;
        let (_, committee) = c
            .post("/api/v1/committees", &officer, json!({"unit_code": "P", "name": "Hội đồng phối hợp", "kind": "executive", "term_start": "2022-01-01"}))
            .await;
        let cid = committee["id"].as_i64().unwrap();
        for (i, name) in ["An", "Bình", "Cúc", "Dũng"].iter().enumerate() {
            let p = add_member(
                &c,
                &admin,
                json!({"unit_code": "G1", "full_name": format!("Nguyễn Văn {name}")}),
            )
            .await;
            let pos = if i == 0 { "chair" } else { "member" };
            c.post(
                &format!("/api/v1/committees/{cid}/seats"),
                &officer,
                json!({"person_id": p, "position": pos}),
            )
            .await;
        }
        c.post(&format!("/api/v1/committees/{cid}/seats"), &officer,
            json!({"outside_name": "Đặng Văn Phúc", "outside_title": "Phó Chủ tịch UBND tỉnh", "voting": false})).await;

        // Bad input: each field named, nothing saved.
        let (s, bad) = c
            .post(
                "/api/v1/meetings",
                &officer,
                json!({"committee_id": cid, "day": "2022-13-01", "time": "25:00",
                "agenda": [{"title": "Khai mạc"}, {"title": " ", "planned_minutes": 0}],
                "guests": [{"organization": "UBND tỉnh"}]}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(
            fields(&bad),
            vec![
                ("agenda.2.planned_minutes".into(), "out_of_range".into()),
                ("agenda.2.title".into(), "required".into()),
                ("day".into(), "invalid_date".into()),
                ("guests.1.name".into(), "required".into()),
            ]
        );
        let d2 = c.login("d2-officer", Some("D2"), "officer").await;
        let (s, bad) = c
            .post(
                "/api/v1/meetings",
                &d2,
                json!({"committee_id": cid, "day": "2022-04-11"}),
            )
            .await;
        assert_eq!(
            (s, bad["fields"]["committee_id"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("unknown_committee"))
        );
        let (_, none) = c.get("/api/v1/meetings", &officer).await;
        assert_eq!(none["items"], json!([]));

        // The meeting of 1401/01/22 (2022-04-11) with its agenda.
        let (s, m) = c
            .post("/api/v1/meetings", &officer, json!({"committee_id": cid, "day": "2022-04-11", "time": "9:30",
                "place": "Hội trường Liên đoàn Lao động tỉnh",
                "agenda": [
                    {"title": "Khai mạc", "presenter": "Chủ tịch", "planned_minutes": 10},
                    {"title": "Chương trình Tháng Công nhân", "planned_minutes": 60, "items": [
                        {"title": "Hội nghị biểu dương công nhân tiêu biểu"}, {"title": "Lễ tưởng niệm công nhân tử nạn"}]},
                    {"title": "Các vấn đề khác"}],
                "guests": [{"name": "Nguyễn Văn Khách", "organization": "UBND tỉnh Bến Tre", "title": "Phó Chủ tịch"}]}))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{m}");
        let id = m["id"].as_i64().unwrap();
        assert_eq!(m["starts_at"], "2022-04-11T09:30");
        let labels: Vec<&str> = m["agenda"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["label"].as_str().unwrap())
            .collect();
        assert_eq!(labels, ["1", "2", "2.1", "2.2", "3"]);
        assert_eq!(m["status"], "open");
        // The province's vice-chair is invited beyond the roster; not in the quorum.
        assert_eq!(
            m["guests"],
            json!([{"name": "Nguyễn Văn Khách", "organization": "UBND tỉnh Bến Tre", "title": "Phó Chủ tịch"}])
        );
        // Before anyone is recorded: four votes, three make a quorum, none present.
        assert_eq!(
            m["quorum"],
            json!({"voting": 4, "present": 0, "needed": 3, "quorate": false})
        );
        let seats: Vec<i64> = m["roster"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["seat_id"].as_i64().unwrap())
            .collect();
        assert_eq!(seats.len(), 5);

        // A representation needs who stood in; a seat not on the roster is refused.
        let (s, bad) = c
            .call("PUT", &format!("/api/v1/meetings/{id}/attendance"), &officer, Some(json!({"items": [
                {"seat_id": seats[0], "presence": "represented"}, {"seat_id": 999_999, "presence": "present"}]})))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(
            fields(&bad),
            vec![
                ("attendance.1.represented_by".into(), "required".into()),
                ("attendance.2.seat_id".into(), "unknown_seat".into()),
            ]
        );
        let (s, held) = c
            .call(
                "PUT",
                &format!("/api/v1/meetings/{id}/attendance"),
                &officer,
                Some(json!({"items": [
                {"seat_id": seats[0], "presence": "present"},
                {"seat_id": seats[1], "presence": "represented", "represented_by": "Lê Thị Hạnh"},
                {"seat_id": seats[2], "presence": "excused"},
                {"seat_id": seats[3], "presence": "absent"},
                {"seat_id": seats[4], "presence": "present"}]})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{held}");
        assert_eq!(
            held["quorum"],
            json!({"voting": 4, "present": 2, "needed": 3, "quorate": false}),
            "the guest has no vote"
        );
        let (_, held) = c
            .call(
                "PUT",
                &format!("/api/v1/meetings/{id}/attendance"),
                &officer,
                Some(json!({"items": [
                {"seat_id": seats[3], "presence": "present"}]})),
            )
            .await;
        assert_eq!(held["quorum"]["quorate"], true);

        // Minutes, finalized and numbered; then locked.
        let item = m["agenda"][1]["id"].as_i64().unwrap();
        let path = format!("/api/v1/meetings/{id}/agenda/{item}/minutes");
        let (s, _) = c
            .call(
                "PUT",
                &path,
                &officer,
                Some(json!({"minutes": "Thông qua 14 chương trình."})),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let (s, fin) = c
            .post(
                &format!("/api/v1/meetings/{id}/finalize"),
                &officer,
                json!({}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{fin}");
        assert_eq!(
            (
                fin["status"].as_str(),
                fin["version"].as_i64(),
                fin["number"].as_i64()
            ),
            (Some("finalized"), Some(1), Some(1))
        );
        let (s, locked) = c
            .call("PUT", &path, &officer, Some(json!({"minutes": "Sửa lén."})))
            .await;
        assert_eq!(
            (s, locked["fields"]["minutes"].as_str()),
            (StatusCode::CONFLICT, Some("minutes_finalized"))
        );
        // A correction is a new version; the first is kept as it was.
        let (s, open) = c
            .post(
                &format!("/api/v1/meetings/{id}/correct"),
                &officer,
                json!({}),
            )
            .await;
        assert_eq!(
            (s, open["status"].as_str()),
            (StatusCode::OK, Some("correcting"))
        );
        c.call("PUT", &path, &officer, Some(json!({"minutes": "Thông qua 14 chương trình, bổ sung lễ tưởng niệm 418 công nhân."}))).await;
        let (_, fin2) = c
            .post(
                &format!("/api/v1/meetings/{id}/finalize"),
                &officer,
                json!({}),
            )
            .await;
        assert_eq!(
            (fin2["version"].as_i64(), fin2["number"].as_i64()),
            (Some(2), Some(1))
        );
        assert_eq!(fin2["versions"].as_array().unwrap().len(), 2);
        let (_, v1) = c
            .get(&format!("/api/v1/meetings/{id}/versions/1"), &officer)
            .await;
        assert_eq!(v1["agenda"][1]["minutes"], "Thông qua 14 chương trình.");
        let (_, v2) = c
            .get(&format!("/api/v1/meetings/{id}/versions/2"), &officer)
            .await;
        assert!(v2["agenda"][1]["minutes"].as_str().unwrap().contains("418"));

        // The next meeting of the committee takes the next number.
        let (_, m2) = c
            .post(
                "/api/v1/meetings",
                &officer,
                json!({"committee_id": cid, "day": "2022-07-11"}),
            )
            .await;
        let (_, m2) = c
            .post(
                &format!("/api/v1/meetings/{}/finalize", m2["id"]),
                &officer,
                json!({}),
            )
            .await;
        assert_eq!(m2["number"], 2);

        // As an iCalendar event at its local time.
        let req = axum::http::Request::builder()
            .uri(format!("/api/v1/meetings/{id}/ics"))
            .header("authorization", format!("Bearer {officer}"))
            .body(axum::body::Body::empty())
            .unwrap();
        let ics = String::from_utf8(c.raw(req).await).unwrap();
        assert!(
            ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.contains("DTSTART:20220411T093000\r\n"),
            "{ics}"
        );
        assert!(
            ics.contains("DURATION:PT70M") && ics.contains("SUMMARY:Hội đồng phối hợp"),
            "{ics}"
        );

        // Out of sight for a sibling district, and a viewer may not record anything.
        assert_eq!(
            c.get(&format!("/api/v1/meetings/{id}"), &d2).await.0,
            StatusCode::NOT_FOUND
        );
        let (_, list) = c.get("/api/v1/meetings", &d2).await;
        assert_eq!(list["items"], json!([]));
        let viewer = c.login("p-viewer", Some("P"), "viewer").await;
        let (s, _) = c
            .post(
                &format!("/api/v1/meetings/{id}/correct"),
                &viewer,
                json!({}),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (_, seen) = c
            .get(&format!("/api/v1/meetings?committee={cid}"), &viewer)
            .await;
        assert_eq!(seen["items"].as_array().unwrap().len(), 2);
    }
);

on_both_backends!(
    the_labor_week_coordination_meeting_is_held_on_the_pages_in_persian,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let (_, committee) = c
            .post("/api/v1/committees", &admin, json!({"unit_code": "P", "name": "شورای هماهنگی هفتهٔ کارگر", "kind": "steering", "term_start": "2022-01-01"}))
            .await;
        let cid = committee["id"].as_i64().unwrap();
        for name in ["علی رضایی", "مریم احمدی", "حسن موسوی"] {
            let p = add_member(&c, &admin, json!({"unit_code": "G1", "full_name": name})).await;
            c.post(
                &format!("/api/v1/committees/{cid}/seats"),
                &admin,
                json!({"person_id": p}),
            )
            .await;
        }
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

        let page = c
            .page("GET", &format!("/committees/{cid}"), &me, None)
            .await;
        assert!(page.body.contains("هنوز نشستی نیست"), "{}", page.body);
        let form = c
            .page("GET", &format!("/committees/{cid}/meetings/new"), &me, None)
            .await;
        let csrf = csrf_of(&form.body);
        let new = format!("/committees/{cid}/meetings/new");
        // A sub-item first, and a month 13: refused on their fields, nothing saved.
        let bad = c
            .page(
                "POST",
                &new,
                &me,
                Some(&format!(
                    "csrf={csrf}&day=1401/01/22&agenda=-+%D8%A8%D9%86%D8%AF"
                )),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.body.contains("نخستین بند نمی‌تواند زیربند باشد"),
            "{}",
            bad.body
        );
        let bad = c
            .page(
                "POST",
                &new,
                &me,
                Some(&format!(
                    "csrf={csrf}&day=1401/13/01&agenda=%D8%A8%D9%86%D8%AF"
                )),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let (_, none) = c.get("/api/v1/meetings", &admin).await;
        assert_eq!(none["items"], json!([]));
        // 1401/01/22 at ۱۰:۰۰, the agenda typed a line an item.
        let agenda = "افتتاح | رئیس | ۱۰\nبرنامه‌های هفتهٔ کارگر | دبیر | ۶۰\n- همایش کارگران نمونه\n- یادبود کارگران جان‌باخته\nسایر موارد";
        let body = format!(
            "csrf={csrf}&day=%DB%B1%DB%B4%DB%B0%DB%B1/%DB%B0%DB%B1/%DB%B2%DB%B2&time=%DB%B1%DB%B0:%DB%B0%DB%B0&place={}&agenda={}",
            crate::support::enc("سالن اجتماعات خانهٔ کارگر اراک"),
            crate::support::enc(agenda)
        );
        let made = c.page("POST", &new, &me, Some(&body)).await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        let path = made.location.unwrap();
        let (_, list) = c.get("/api/v1/meetings", &admin).await;
        let m = &list["items"][0];
        assert_eq!(m["starts_at"], "2022-04-11T10:00");
        let page = c.page("GET", &path, &me, None).await;
        assert!(
            page.body.contains("۱۴۰۱/۰۱/۲۲ ۱۰:۰۰"),
            "the day and time in Solar Hijri and Persian digits"
        );
        assert!(
            page.body.contains("حد نصاب نیست"),
            "the quorum is shown before anything is recorded"
        );
        assert!(
            page.body.contains("۲.۱. "),
            "sub-items numbered under their item: {}",
            page.body
        );
        // Attendance: two of three present make a quorum.
        let csrf = csrf_of(&page.body);
        let (_, full) = c
            .get(&format!("/api/v1/meetings/{}", m["id"]), &admin)
            .await;
        let seats: Vec<i64> = full["roster"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["seat_id"].as_i64().unwrap())
            .collect();
        let r = c
            .page("POST", &format!("{path}/attendance"), &me, Some(&format!(
                "csrf={csrf}&seat0={}&presence0=present&seat1={}&presence1=represented&by1=&seat2={}&presence2=absent",
                seats[0], seats[1], seats[2])))
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a representation names who stood in"
        );
        assert!(
            r.body.contains("الزامی")
                || r.body.contains("field-required")
                || r.body.contains("class=\"error\""),
            "{}",
            r.body
        );
        let r = c
            .page("POST", &format!("{path}/attendance"), &me, Some(&format!(
                "csrf={csrf}&seat0={}&presence0=present&seat1={}&presence1=represented&by1=%D8%B1%D8%B6%D8%A7&seat2={}&presence2=absent",
                seats[0], seats[1], seats[2])))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = c.page("GET", &path, &me, None).await;
        assert!(
            page.body.contains("حد نصاب هست") && page.body.contains("۲ از ۳"),
            "{}",
            page.body
        );
        // Minutes, then finalized: numbered, locked, printable.
        let item = full["agenda"][1]["id"].as_i64().unwrap();
        let r = c
            .page(
                "POST",
                &format!("{path}/agenda/{item}/minutes"),
                &me,
                Some(&format!(
                    "csrf={csrf}&minutes={}",
                    crate::support::enc("چهارده برنامه تصویب شد.")
                )),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let r = c
            .page(
                "POST",
                &format!("{path}/finalize"),
                &me,
                Some(&format!("csrf={csrf}")),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let page = c.page("GET", &path, &me, None).await;
        assert!(
            page.body.contains("شمارهٔ ۱") && page.body.contains("صورت‌جلسه نهایی شده"),
            "{}",
            page.body
        );
        assert!(
            page.body.contains("چهارده برنامه تصویب شد.") && !page.body.contains("<textarea"),
            "locked minutes are text"
        );
        let again = c
            .page(
                "POST",
                &format!("{path}/agenda/{item}/minutes"),
                &me,
                Some(&format!("csrf={csrf}&minutes=x")),
            )
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        let ics = c
            .page("GET", &format!("{path}/meeting.ics"), &me, None)
            .await;
        assert!(ics.body.contains("DTSTART:20220411T100000"), "{}", ics.body);
        let committee_page = c
            .page("GET", &format!("/committees/{cid}"), &me, None)
            .await;
        assert!(
            committee_page.body.contains("۱۴۰۱/۰۱/۲۲") && committee_page.body.contains("شمارهٔ ۱")
        );
    }
);

on_both_backends!(
    a_personal_calendar_feed_holds_the_coming_meetings_of_ones_unit,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let (_, p_committee) = c
            .post("/api/v1/committees", &admin, json!({"unit_code": "P", "name": "Ban Thường vụ tỉnh", "kind": "executive", "term_start": "2024-01-01"}))
            .await;
        let (_, d2_committee) = c
            .post("/api/v1/committees", &admin, json!({"unit_code": "D2", "name": "Ban Thường vụ huyện Ba Tri", "kind": "executive", "term_start": "2024-01-01"}))
            .await;
        let soon = muster_domain::Date::today().add_days(7).to_string();
        let long_ago = "2023-01-10";
        for (committee, day) in [
            (&p_committee, soon.as_str()),
            (&p_committee, long_ago),
            (&d2_committee, soon.as_str()),
        ] {
            let (s, m) = c
                .post("/api/v1/meetings", &admin, json!({"committee_id": committee["id"], "day": day, "time": "08:30", "place": "Hội trường"}))
                .await;
            assert_eq!(s, StatusCode::CREATED, "{m}");
        }
        c.login("tinh", Some("P"), "officer").await;
        let me = c.session_cookie("tinh").await;
        let settings = c.page("GET", "/settings", &me, None).await;
        let csrf = csrf_of(&settings.body);
        let made = c
            .page(
                "POST",
                "/settings/calendar-feed",
                &me,
                Some(&format!("csrf={csrf}")),
            )
            .await;
        assert_eq!(made.status, StatusCode::OK);
        let url = made
            .body
            .split("/calendar/")
            .nth(1)
            .and_then(|r| r.split(".ics").next())
            .expect("the feed's address")
            .to_string();
        let feed = c
            .page("GET", &format!("/calendar/{url}.ics"), "", None)
            .await;
        assert_eq!(feed.status, StatusCode::OK);
        let start = format!("DTSTART:{}T083000", soon.replace('-', ""));
        assert!(
            feed.body.contains(&start) && feed.body.contains("SUMMARY:Ban Thường vụ tỉnh"),
            "{}",
            feed.body
        );
        assert_eq!(
            feed.body.matches("BEGIN:VEVENT").count(),
            1,
            "only the coming meeting of the province's own committee"
        );
        // A new address stops the old one; an address nobody holds is an empty calendar.
        c.page(
            "POST",
            "/settings/calendar-feed",
            &me,
            Some(&format!("csrf={csrf}")),
        )
        .await;
        let old = c
            .page("GET", &format!("/calendar/{url}.ics"), "", None)
            .await;
        assert_eq!(old.status, StatusCode::OK);
        assert!(
            old.body.starts_with("BEGIN:VCALENDAR") && !old.body.contains("BEGIN:VEVENT"),
            "{}",
            old.body
        );
    }
);
