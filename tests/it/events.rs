//! Programs and events as a province runs a labor week: the program declared, a county's
//! event in it, a waitlist that moves up, check-in by ticket, by a member found in the
//! registry and from a paper list, walk-ins matched and registered as members, the
//! closing report, the program's figures up the tree, and nothing of another county.

use crate::on_both_backends;
use crate::support::{add_member, field_codes as fields, small_tree, Backend, Client};
use axum::http::StatusCode;
use serde_json::{json, Value};

/// The program's rows: (unit, events, came, members, women, recruited).
fn rows(d: &Value) -> Vec<(String, i64, i64, i64, i64, i64)> {
    d["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let events: i64 = r["events"]
                .as_object()
                .unwrap()
                .values()
                .map(|n| n.as_i64().unwrap())
                .sum();
            (
                r["unit_code"].as_str().unwrap().to_string(),
                events,
                r["came"].as_i64().unwrap(),
                r["members"].as_i64().unwrap(),
                r["women"].as_i64().unwrap(),
                r["recruited"].as_i64().unwrap(),
            )
        })
        .collect()
}

on_both_backends!(
    a_labor_week_fills_with_county_events_checks_people_in_and_rolls_up,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let officer = c.login("p-officer", Some("P"), "officer").await;
        let d1 = c.login("d1-officer", Some("D1"), "officer").await;
        let clerk = c.login("d1-clerk", Some("D1"), "organizer").await;
        let d2 = c.login("d2-officer", Some("D2"), "officer").await;

        // The province declares the week; bad dates are named.
        let (s, bad) = c
            .post(
                "/api/v1/programs",
                &officer,
                json!({"unit_code": "P", "name": " ",
                "starts_on": "2022-05-01", "ends_on": "2022-04-22"}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(
            fields(&bad),
            vec![
                ("ends_on".into(), "end_before_start".into()),
                ("name".into(), "required".into())
            ]
        );
        let (s, week) = c
            .post("/api/v1/programs", &officer, json!({"unit_code": "P", "name": "Tháng Công nhân 2022",
                "names": {"en": "Workers' Month 2022"}, "starts_on": "2022-04-22", "ends_on": "2022-05-01"}))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{week}");
        let program = week["id"].as_i64().unwrap();
        // The district sees the province's program and adds its own event to it.
        let (s, seen) = c.get(&format!("/api/v1/programs/{program}"), &d1).await;
        assert_eq!(
            (s, seen["names"]["en"].as_str()),
            (StatusCode::OK, Some("Workers' Month 2022"))
        );
        let (s, bad) = c
            .post("/api/v1/events", &d1, json!({"program_id": program, "unit_code": "D1", "kind": "feast",
                "name": "Hội thao", "starts_on": "2022-04-30", "ends_on": "2022-05-03", "capacity": 0}))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(
            fields(&bad),
            vec![
                ("capacity".into(), "out_of_range".into()),
                ("ends_on".into(), "outside_program".into()),
                ("kind".into(), "invalid_event_kind".into())
            ]
        );
        let (_, none) = c
            .get(&format!("/api/v1/events?program={program}"), &officer)
            .await;
        assert_eq!(none["items"], json!([]), "nothing saved");
        let (s, e) = c
            .post("/api/v1/events", &d1, json!({"program_id": program, "unit_code": "D1", "kind": "conference",
                "name": "Hội nghị biểu dương công nhân tiêu biểu", "names": {"en": "Exemplary workers' conference"},
                "starts_on": "2022-04-28", "ends_on": "2022-04-29", "capacity": 2, "place": "Nhà văn hoá huyện"}))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{e}");
        let event = e["id"].as_i64().unwrap();
        let path = |p: &str| format!("/api/v1/events/{event}{p}");

        // Two places: the third is waitlisted, and moves up when one cancels.
        let lan = add_member(
            &c,
            &admin,
            json!({"unit_code": "G1", "full_name": "Nguyễn Thị Lan",
            "gender": "female", "member_number": "BT-101", "phone": "0912345678"}),
        )
        .await;
        let hung = add_member(
            &c,
            &admin,
            json!({"unit_code": "G1", "full_name": "Trần Văn Hùng",
            "gender": "male", "member_number": "BT-102"}),
        )
        .await;
        let mai = add_member(
            &c,
            &admin,
            json!({"unit_code": "G1", "full_name": "Lê Thị Mai",
            "gender": "female", "member_number": "BT-103"}),
        )
        .await;
        let far = add_member(
            &c,
            &admin,
            json!({"unit_code": "G2", "full_name": "Võ Văn Xa"}),
        )
        .await;
        let (s, p1) = c
            .post(&path("/participants"), &clerk, json!({"person_id": lan}))
            .await;
        assert_eq!(
            (s, p1["status"].as_str()),
            (StatusCode::CREATED, Some("registered")),
            "{p1}"
        );
        let (_, p2) = c
            .post(
                &path("/participants"),
                &clerk,
                json!({"member_number": "BT-102"}),
            )
            .await;
        let (_, p3) = c
            .post(&path("/participants"), &clerk, json!({"person_id": mai}))
            .await;
        assert_eq!(p3["status"], "waitlisted");
        let (s, again) = c
            .post(&path("/participants"), &clerk, json!({"person_id": lan}))
            .await;
        assert_eq!(
            (s, again["fields"]["person_id"].as_str()),
            (StatusCode::CONFLICT, Some("already_registered"))
        );
        // A member of another county is not the clerk's to register.
        let (s, other) = c
            .post(&path("/participants"), &clerk, json!({"person_id": far}))
            .await;
        assert_eq!(
            (s, other["fields"]["person_id"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("unknown_member"))
        );
        let (s, full) = c
            .call("PUT", &path("/capacity"), &d1, Some(json!({"capacity": 1})))
            .await;
        assert_eq!(
            (s, full["fields"]["capacity"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("below_confirmed"))
        );
        let (s, _) = c
            .call(
                "PUT",
                &path(&format!("/participants/{}/status", p2["id"])),
                &clerk,
                Some(json!({"status": "cancelled"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let (_, ev) = c.get(&path(""), &d1).await;
        let status_of = |ev: &Value, id: &Value| {
            ev["participants"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["id"] == *id)
                .unwrap()["status"]
                .as_str()
                .unwrap()
                .to_string()
        };
        assert_eq!(
            status_of(&ev, &p3["id"]),
            "registered",
            "the first waitlisted moved up"
        );
        assert_eq!(
            (ev["holding"].as_i64(), ev["waitlisted"].as_i64()),
            (Some(2), Some(0))
        );

        // Printable tickets: a QR and the code for each person holding a place.
        let cookie = c.session_cookie("d1-officer").await;
        let page = c
            .page("GET", &format!("/events/{event}/tickets"), &cookie, None)
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(
            page.body.matches("<svg").count(),
            2,
            "Lan and Mai hold places"
        );
        assert!(page.body.contains(p1["ticket"].as_str().unwrap()));
        // For members only: someone outside the registry comes as a guest, not a
        // participant; and nobody registers once the window has closed.
        let (s, outsider) = c
            .post(
                &path("/participants"),
                &clerk,
                json!({"outside_name": "Người Ngoài"}),
            )
            .await;
        assert_eq!(
            (s, outsider["fields"]["outside_name"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("members_only"))
        );
        let (_, late) = c
            .post(
                "/api/v1/events",
                &d1,
                json!({"unit_code": "D1", "kind": "visit", "name": "Thăm công nhân",
                "starts_on": "2022-04-25", "registration_closes": "2022-04-20"}),
            )
            .await;
        let (s, closed) = c
            .post(
                &format!("/api/v1/events/{}/participants", late["id"]),
                &clerk,
                json!({"person_id": lan}),
            )
            .await;
        assert_eq!(
            (s, closed["fields"]["registration"].as_str()),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Some("registration_closed")
            )
        );
        // Check-in by the ticket's code as scanned, twice: counted once.
        let ticket = p1["ticket"].as_str().unwrap();
        assert!(!ticket.contains("Lan") && ticket.len() == 20, "{ticket}");
        let (s, ci) = c
            .post(
                &path("/check-ins"),
                &clerk,
                json!({"ticket": ticket.to_lowercase(), "day": "2022-04-28"}),
            )
            .await;
        assert_eq!(
            (
                s,
                ci["already"].as_bool(),
                ci["participant"]["name"].as_str()
            ),
            (StatusCode::OK, Some(false), Some("Nguyễn Thị Lan")),
            "{ci}"
        );
        let (_, ci) = c
            .post(
                &path("/check-ins"),
                &clerk,
                json!({"ticket": ticket, "day": "2022-04-28"}),
            )
            .await;
        assert_eq!(ci["already"], true);
        let (s, forged) = c
            .post(
                &path("/check-ins"),
                &clerk,
                json!({"ticket": "0123456789ABCDEFGHJK", "day": "2022-04-28"}),
            )
            .await;
        assert_eq!(
            (s, forged["fields"]["ticket"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("unknown_ticket"))
        );
        let (s, wrong_day) = c
            .post(
                &path("/check-ins"),
                &clerk,
                json!({"ticket": ticket, "day": "2022-04-30"}),
            )
            .await;
        assert_eq!(
            (s, wrong_day["fields"]["day"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("not_an_event_day"))
        );
        // A member found by a name typed without diacritics, not registered: checked in
        // as they arrive. Hùng, who had cancelled, came after all.
        let tu = add_member(
            &c,
            &admin,
            json!({"unit_code": "G1", "full_name": "Đỗ Văn Tư", "gender": "male"}),
        )
        .await;
        let (_, found) = c.get("/api/v1/members?q=do+van+tu", &clerk).await;
        assert_eq!(found["items"][0]["id"].as_i64(), Some(tu), "{found}");
        let (s, ci) = c
            .post(
                &path("/check-ins"),
                &clerk,
                json!({"person_id": tu, "day": "2022-04-29"}),
            )
            .await;
        assert_eq!(
            (s, ci["participant"]["walk_in"].as_bool()),
            (StatusCode::OK, Some(true)),
            "{ci}"
        );
        let (s, ci) = c
            .post(
                &path("/check-ins"),
                &clerk,
                json!({"person_id": hung, "day": "2022-04-29"}),
            )
            .await;
        assert_eq!(
            (s, ci["participant"]["status"].as_str()),
            (StatusCode::OK, Some("attended")),
            "{ci}"
        );
        // A paper list the next day: a member number, a phone in Persian digits, nobody.
        let (s, list) = c
            .post(
                &path("/check-ins/bulk"),
                &clerk,
                json!({"day": "2022-04-29", "lines": "BT-103\n۰۹۱۲۳۴۵۶۷۸\n\nBT-999"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{list}");
        let results: Vec<(i64, &str)> = list["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| (l["line"].as_i64().unwrap(), l["result"].as_str().unwrap()))
            .collect();
        assert_eq!(
            results,
            [(1, "checked_in"), (2, "checked_in"), (4, "not_found")]
        );

        // Walk-ins: one who looks like a member is answered with them; one joins.
        let (s, dup) = c
            .post(
                &path("/walk-ins"),
                &clerk,
                json!({"full_name": "Nguyen Thi Lan", "phone": "0912345678", "day": "2022-04-29"}),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "{dup}");
        assert_eq!(dup["duplicates"][0]["id"].as_i64(), Some(lan));
        let (s, joined) = c
            .post(
                &path("/walk-ins"),
                &clerk,
                json!({"full_name": "Phan Thị Nở", "gender": "female",
                "join": true, "unit_code": "G1", "day": "2022-04-29"}),
            )
            .await;
        assert_eq!(
            (s, joined["participant"]["recruited"].as_bool()),
            (StatusCode::CREATED, Some(true)),
            "{joined}"
        );
        let new_member = joined["participant"]["person_id"].as_i64().unwrap();
        let (s, m) = c
            .get(&format!("/api/v1/members/{new_member}"), &clerk)
            .await;
        assert_eq!(
            (s, m["unit_code"].as_str()),
            (StatusCode::OK, Some("G1")),
            "{m}"
        );
        let (s, guest) = c
            .post(
                &path("/walk-ins"),
                &clerk,
                json!({"full_name": "Ông Khách Mời", "gender": "male", "day": "2022-04-29"}),
            )
            .await;
        assert_eq!(
            (s, guest["participant"]["person_id"].as_i64()),
            (StatusCode::CREATED, None),
            "{guest}"
        );

        // The closing report: figures from the records, links kept.
        let (s, bad) = c
            .call(
                "PUT",
                &path("/report"),
                &d1,
                Some(json!({"media": "not a link"})),
            )
            .await;
        assert_eq!(
            (s, bad["fields"]["media"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("not_a_link"))
        );
        let (s, closed) = c
            .call(
                "PUT",
                &path("/report"),
                &d1,
                Some(json!({"notes": "Biểu dương 30 công nhân",
                "media": "https://example.org/album/1\n"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{closed}");
        let r = &closed["report"];
        // Lan, Hùng, Mai, Tư came (members), Nở joined there, the guest is no member.
        assert_eq!(
            (
                r["came"].as_i64(),
                r["members"].as_i64(),
                r["non_members"].as_i64(),
                r["women"].as_i64(),
                r["recruited"].as_i64()
            ),
            (Some(6), Some(4), Some(2), Some(3), Some(1)),
            "{r}"
        );
        assert_eq!(
            r["by_day"],
            json!([{"day": "2022-04-28", "people": 1}, {"day": "2022-04-29", "people": 6}])
        );
        assert_eq!(r["media"], json!(["https://example.org/album/1"]));
        // The program's list gives the same report figures, counted for the list at once.
        let (_, listed) = c
            .get(&format!("/api/v1/events?program={program}"), &officer)
            .await;
        let l = &listed["items"][0]["report"];
        assert_eq!(
            (
                l["came"].as_i64(),
                l["members"].as_i64(),
                l["women"].as_i64(),
                l["recruited"].as_i64()
            ),
            (Some(6), Some(4), Some(3), Some(1)),
            "{listed}"
        );

        // D2's own event in the program.
        let (s, e2) = c
            .post(
                "/api/v1/events",
                &d2,
                json!({"program_id": program, "unit_code": "D2", "kind": "memorial",
                "name": "Lễ tưởng niệm công nhân tử nạn", "starts_on": "2022-04-28"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{e2}");
        // The province's dashboard rolls both up; each district sees its own part.
        let (s, dash) = c
            .get(&format!("/api/v1/programs/{program}/dashboard"), &officer)
            .await;
        assert_eq!(s, StatusCode::OK, "{dash}");
        assert_eq!(
            rows(&dash),
            [
                ("P".to_string(), 2, 6, 4, 3, 1),
                ("D1".to_string(), 1, 6, 4, 3, 1),
                ("D2".to_string(), 1, 0, 0, 0, 0)
            ]
        );
        assert_eq!(dash["rows"][0]["held"], 1);
        // Kept by every write, a day at a time: the same as counted afresh.
        assert!(c.db.system().await.count_tallies(true).await.unwrap());
        let (_, again) = c
            .get(&format!("/api/v1/programs/{program}/dashboard"), &officer)
            .await;
        assert_eq!(again, dash);
        // The same figures in the files.
        let officer_cookie = c.session_cookie("p-officer").await;
        let csv = c
            .page(
                "GET",
                &format!("/programs/{program}/export.csv?unit=P"),
                &officer_cookie,
                None,
            )
            .await;
        assert_eq!(csv.status, StatusCode::OK);
        let lines: Vec<&str> = csv.body.lines().collect();
        assert_eq!(lines.len(), 4, "{}", csv.body);
        assert!(
            lines[1].contains(",P,") && lines[1].ends_with(",2,1,6,4,3,1,0,0"),
            "{}",
            lines[1]
        );
        let xlsx = c
            .page(
                "GET",
                &format!("/programs/{program}/export.xlsx?unit=P"),
                &officer_cookie,
                None,
            )
            .await;
        let sheet = crate::support::Sheet::read(&xlsx.bytes);
        assert_eq!(sheet.cells.len(), 4);
        let n = sheet.cells[1].len();
        assert_eq!(
            sheet.cells[1][n - 3],
            calamine::Data::Float(1.0),
            "recruited, before honors and competitions"
        );
        let (_, own) = c
            .get(&format!("/api/v1/programs/{program}/dashboard"), &d2)
            .await;
        assert_eq!(own["unit_code"], "D2");
        assert_eq!(rows(&own)[0], ("D2".to_string(), 1, 0, 0, 0, 0));

        // Nothing of D1's event reaches D2, on the API or by a ticket.
        let (s, _) = c.get(&path(""), &d2).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, _) = c
            .post(
                &path("/check-ins"),
                &d2,
                json!({"ticket": ticket, "day": "2022-04-28"}),
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (_, listed) = c.get("/api/v1/events", &d2).await;
        let names: Vec<&str> = listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Lễ tưởng niệm công nhân tử nạn"]);
    }
);

on_both_backends!(
    a_drive_counts_events_held_and_members_recruited_at_them,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let today = muster_domain::Date::today();
        let month = &today.to_string()[..7];
        let (s, d) = c
            .post(
                "/api/v1/drives",
                &admin,
                json!({"code": "EV", "name": "Tháng Công nhân",
                "scope_unit_code": "P", "start_month": month, "end_month": month,
                "metrics": [{"kind": "events_held"}, {"kind": "recruited_at_events"}]}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{d}");
        let (_, e) = c
            .post(
                "/api/v1/events",
                &admin,
                json!({"unit_code": "G2", "kind": "service_desk",
                "name": "Bàn tư vấn pháp luật", "starts_on": today.to_string()}),
            )
            .await;
        let event = e["id"].as_i64().unwrap();
        let (s, w) = c
            .post(
                &format!("/api/v1/events/{event}/walk-ins"),
                &admin,
                json!({"full_name": "Đặng Văn Mới", "join": true}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{w}");
        let url = format!("/api/v1/drives/EV/progress?as_of={today}");
        // Recruited as they joined; held once the closing report is filed.
        assert_eq!(progress(&c, &url, &admin).await, (0, 1));
        c.call(
            "PUT",
            &format!("/api/v1/events/{event}/report"),
            &admin,
            Some(json!({"notes": "Xong"})),
        )
        .await;
        assert_eq!(progress(&c, &url, &admin).await, (1, 1));
    }
);

/// A drive's events held and members recruited at events, in all.
async fn progress(c: &Client, url: &str, token: &str) -> (i64, i64) {
    let (_, p) = c.get(url, token).await;
    let actual = |kind: &str| {
        p["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["metric"]["kind"] == kind)
            .unwrap()["total"]["actual"]
            .as_i64()
            .unwrap()
    };
    (actual("events_held"), actual("recruited_at_events"))
}

on_both_backends!(
    a_camp_s_days_have_sessions_checked_line_by_line,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let _admin = small_tree(&c).await;
        let d1 = c.login("d1-officer", Some("D1"), "officer").await;
        let camp = json!({"unit_code": "D1", "kind": "training_camp", "name": "Trại huấn luyện cán bộ",
            "starts_on": "2026-03-10", "ends_on": "2026-03-12"});
        // A session off the camp's days and one ending before it starts: nothing made.
        let mut bad = camp.clone();
        bad["sessions"] = json!([
            {"day": "2026-03-10", "starts_at": "08:00", "ends_at": "10:00", "title": "Khai mạc"},
            {"day": "2026-03-13", "starts_at": "08:00", "title": "Tham quan"},
            {"day": "2026-03-11", "starts_at": "14:00", "ends_at": "13:00", "title": "Thảo luận"}]);
        let (s, refused) = c.post("/api/v1/events", &d1, bad).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        assert_eq!(
            fields(&refused),
            vec![
                ("sessions.1.day".into(), "outside_event".into()),
                ("sessions.2.ends_at".into(), "end_before_start".into()),
            ]
        );
        let (_, list) = c.get("/api/v1/events", &d1).await;
        assert_eq!(
            list["items"].as_array().unwrap().len(),
            0,
            "nothing half-made"
        );
        let mut good = camp.clone();
        good["sessions"] = json!([
            {"day": "2026-03-11", "starts_at": "۰۸:۰۰", "title": "Kỹ năng thương lượng", "place": "Hội trường"},
            {"day": "2026-03-10", "starts_at": "08:00", "ends_at": "10:00", "title": "Khai mạc"}]);
        let (s, made) = c.post("/api/v1/events", &d1, good).await;
        assert_eq!(s, StatusCode::CREATED, "{made}");
        let id = made["id"].as_i64().unwrap();
        let days: Vec<(&str, &str)> = made["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s["day"].as_str().unwrap(), s["starts_at"].as_str().unwrap()))
            .collect();
        assert_eq!(days, vec![("2026-03-10", "08:00"), ("2026-03-11", "08:00")]);
        // Replaced on the page, the day typed as a Vietnamese reader writes it.
        let cookie = c.session_cookie("d1-officer").await;
        let page = c.page("GET", &format!("/events/{id}"), &cookie, None).await;
        assert!(page.body.contains("Kỹ năng thương lượng"));
        let csrf = crate::support::csrf_of(&page.body);
        let wrong = c
            .page(
                "POST",
                &format!("/events/{id}/sessions"),
                &cookie,
                Some(&format!(
                    "csrf={csrf}&sessions=12%2F03%2F2026+%7C+25%3A00+%7C+B%E1%BA%BF+m%E1%BA%A1c"
                )),
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(wrong.body.contains("Line 1"), "{}", wrong.body);
        let right = c
            .page("POST", &format!("/events/{id}/sessions"), &cookie,
                Some(&format!("csrf={csrf}&sessions=12%2F03%2F2026+%7C+15%3A00-16%3A30+%7C+B%E1%BA%BF+m%E1%BA%A1c")))
            .await;
        assert_eq!(right.status, StatusCode::SEE_OTHER, "{}", right.body);
        let (_, e) = c.get(&format!("/api/v1/events/{id}"), &d1).await;
        assert_eq!(
            e["sessions"],
            json!([{"day": "2026-03-12", "starts_at": "15:00", "ends_at": "16:30", "title": "Bế mạc", "place": null}])
        );
    }
);
