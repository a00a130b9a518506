//! Honors as a province calls for them: a category of the tree, a call with a quota per
//! unit, nominations climbing the tree one approval at a time, a reason to reject, the
//! award at the ceremony, a certificate whose code the public page confirms, and no
//! nomination of another district in sight.

use crate::on_both_backends;
use crate::support::{add_member, field_codes as fields, small_tree, Backend, Client};
use axum::http::StatusCode;
use serde_json::json;

on_both_backends!(
    nominations_climb_the_tree_and_the_certificate_verifies,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let top = c.login("p-officer", Some("P"), "officer").await;
        let d1 = c.login("d1-officer", Some("D1"), "officer").await;
        let g1 = c.login("g1-organizer", Some("G1"), "organizer").await;
        let d2 = c.login("d2-officer", Some("D2"), "officer").await;
        // Only the tree's top officer adds categories.
        let (s, _) = c
            .post(
                "/api/v1/honors/categories",
                &d1,
                json!({"code": "worker", "name": "Lao động giỏi"}),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, bad) = c
            .post(
                "/api/v1/honors/categories",
                &top,
                json!({"code": "lao động", "name": ""}),
            )
            .await;
        assert_eq!(
            (s, fields(&bad)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![
                    ("code".into(), "invalid_code".into()),
                    ("name".into(), "required".into())
                ]
            )
        );
        let (s, cat) = c
            .post(
                "/api/v1/honors/categories",
                &top,
                json!({"code": "exemplary_worker", "name": "Công nhân tiêu biểu",
                "names": {"en": "Exemplary worker", "fa": "کارگر نمونه"}}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{cat}");
        let cat = cat["id"].as_i64().unwrap();
        let (s, dup) = c
            .post(
                "/api/v1/honors/categories",
                &top,
                json!({"code": "exemplary_worker", "name": "X"}),
            )
            .await;
        assert_eq!(
            (s, fields(&dup)[0].1.as_str()),
            (StatusCode::CONFLICT, "taken")
        );
        let (_, cats) = c.get("/api/v1/honors/categories", &g1).await;
        assert_eq!(cats["items"][0]["names"]["en"], "Exemplary worker");
        // The province's call: two nominations per unit, one for G1.
        let (s, call) = c
            .post(
                "/api/v1/honors/calls",
                &top,
                json!({"unit_code": "P", "category_id": cat, "name": "Tuyên dương 2026",
                "quota": 2, "quotas": {"G1": 1}}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{call}");
        let call = call["id"].as_i64().unwrap();
        let lan = add_member(
            &c,
            &admin,
            json!({"unit_code": "G1", "full_name": "Nguyễn Thị Lan"}),
        )
        .await;
        let hung = add_member(
            &c,
            &admin,
            json!({"unit_code": "G1", "full_name": "Trần Văn Hùng"}),
        )
        .await;
        let (s, n) = c
            .post(&format!("/api/v1/honors/calls/{call}/nominations"), &g1, json!({"unit_code": "G1", "person_id": lan, "citation": "Ten years without an accident"}))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{n}");
        assert_eq!(
            (n["status"].as_str(), n["awaiting"].as_str()),
            (Some("pending"), Some("D1"))
        );
        let nom = n["id"].as_i64().unwrap();
        // Over G1's quota: refused on the unit, nothing saved.
        let (s, over) = c
            .post(
                &format!("/api/v1/honors/calls/{call}/nominations"),
                &g1,
                json!({"unit_code": "G1", "person_id": hung}),
            )
            .await;
        assert_eq!(
            (s, fields(&over)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![("unit_code".into(), "over_quota".into())]
            )
        );
        // D1 nominates an employer outside the registry under its own quota of two.
        let (s, emp) = c
            .post(
                &format!("/api/v1/honors/calls/{call}/nominations"),
                &d1,
                json!({"unit_code": "D1",
                "outside_name": "Ông Phạm Minh", "organization": "Công ty May Phú Thành"}),
            )
            .await;
        assert_eq!(
            (s, emp["awaiting"].as_str()),
            (StatusCode::CREATED, Some("P")),
            "{emp}"
        );
        let emp = emp["id"].as_i64().unwrap();
        // The province cannot award before approval; G1 cannot approve; D1 approves and
        // it moves up to P.
        let (s, early) = c
            .post(
                &format!("/api/v1/honors/nominations/{nom}/award"),
                &top,
                json!({}),
            )
            .await;
        assert_eq!(
            (s, fields(&early)[0].1.as_str()),
            (StatusCode::CONFLICT, "not_allowed_now")
        );
        let (s, _) = c
            .post(
                &format!("/api/v1/honors/nominations/{nom}/steps"),
                &g1,
                json!({"act": "approve"}),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, up) = c
            .post(
                &format!("/api/v1/honors/nominations/{nom}/steps"),
                &d1,
                json!({"act": "approve"}),
            )
            .await;
        assert_eq!(
            (s, up["status"].as_str(), up["awaiting"].as_str()),
            (StatusCode::OK, Some("pending"), Some("P")),
            "{up}"
        );
        // D1 cannot give the province's word.
        let (s, _) = c
            .post(
                &format!("/api/v1/honors/nominations/{nom}/steps"),
                &d1,
                json!({"act": "approve"}),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, ok) = c
            .post(
                &format!("/api/v1/honors/nominations/{nom}/steps"),
                &top,
                json!({"act": "approve"}),
            )
            .await;
        assert_eq!(
            (s, ok["status"].as_str()),
            (StatusCode::OK, Some("approved"))
        );
        assert_eq!(ok["steps"].as_array().unwrap().len(), 2);
        // Rejecting needs a reason; a rejected nomination frees its place.
        let (s, why) = c
            .post(
                &format!("/api/v1/honors/nominations/{emp}/steps"),
                &top,
                json!({"act": "reject"}),
            )
            .await;
        assert_eq!(
            (s, fields(&why)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![("note".into(), "required".into())]
            )
        );
        let (s, no) = c
            .post(
                &format!("/api/v1/honors/nominations/{emp}/steps"),
                &top,
                json!({"act": "reject", "note": "Chưa đủ thời gian"}),
            )
            .await;
        assert_eq!(
            (s, no["status"].as_str()),
            (StatusCode::OK, Some("rejected"))
        );
        // D2 sees the province's call but none of D1's nominations.
        let (s, seen) = c.get(&format!("/api/v1/honors/calls/{call}"), &d2).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(seen["nominations"].as_array().unwrap().len(), 0, "{seen}");
        let (s, _) = c
            .get(&format!("/api/v1/honors/nominations/{nom}"), &d2)
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        // Awarded: a certificate code, confirmed publicly, not a guessed one.
        let (s, done) = c
            .post(
                &format!("/api/v1/honors/nominations/{nom}/award"),
                &top,
                json!({"day": "2026-05-01"}),
            )
            .await;
        assert_eq!(
            (s, done["status"].as_str()),
            (StatusCode::OK, Some("awarded")),
            "{done}"
        );
        let code = done["certificate"].as_str().unwrap().to_string();
        assert_eq!(code.len(), 20);
        let (s, v) = c.get(&format!("/api/v1/honors/verify/{code}"), "").await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            (v["name"].as_str(), v["awarded_on"].as_str()),
            (Some("Nguyễn Thị Lan"), Some("2026-05-01"))
        );
        let (s, _) = c
            .get("/api/v1/honors/verify/AAAAAAAAAAAAAAAAAAAA", "")
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let public = c
            .page("GET", &format!("/verify/{}", code.to_lowercase()), "", None)
            .await;
        assert_eq!(public.status, StatusCode::OK);
        assert!(
            public.body.contains("This certificate is genuine.")
                && public.body.contains("Nguyễn Thị Lan")
        );
        let forged = c
            .page("GET", "/verify/ZZZZZZZZZZZZZZZZZZZZ", "", None)
            .await;
        assert_eq!(forged.status, StatusCode::NOT_FOUND);
        assert!(forged.body.contains("No certificate has this code."));
        // The printable certificate carries the QR of the public page.
        let cookie = c.session_cookie("d1-officer").await;
        let cert = c
            .page(
                "GET",
                &format!("/nominations/{nom}/certificate"),
                &cookie,
                None,
            )
            .await;
        assert_eq!(cert.status, StatusCode::OK);
        assert!(cert.body.contains("<svg") && cert.body.contains(&format!("/verify/{code}")));
        let d2_cookie = c.session_cookie("d2-officer").await;
        let cert = c
            .page(
                "GET",
                &format!("/nominations/{nom}/certificate"),
                &d2_cookie,
                None,
            )
            .await;
        assert_eq!(cert.status, StatusCode::NOT_FOUND);
        // The place freed by the rejection takes a new nomination.
        let (s, _) = c
            .post(
                &format!("/api/v1/honors/calls/{call}/nominations"),
                &d1,
                json!({"unit_code": "D1", "outside_name": "Bà Lê Thu"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
    }
);

on_both_backends!(
    honors_awarded_in_a_program_roll_up_and_show_on_its_pages,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let top = c.login("p-officer", Some("P"), "officer").await;
        let (_, week) = c
            .post(
                "/api/v1/programs",
                &top,
                json!({"unit_code": "P", "name": "Tháng Công nhân",
                "starts_on": "2026-05-01", "ends_on": "2026-05-31"}),
            )
            .await;
        let program = week["id"].as_i64().unwrap();
        let (s, ceremony) = c
            .post(
                "/api/v1/events",
                &top,
                json!({"unit_code": "P", "program_id": program, "kind": "ceremony",
                "name": "Lễ tuyên dương", "starts_on": "2026-05-10"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{ceremony}");
        let ceremony = ceremony["id"].as_i64().unwrap();
        let (_, cat) = c
            .post(
                "/api/v1/honors/categories",
                &admin,
                json!({"tree_code": "P", "code": "long_service", "name": "Cống hiến lâu năm"}),
            )
            .await;
        let (s, call) = c
            .post("/api/v1/honors/calls", &top, json!({"unit_code": "P", "category_id": cat["id"], "event_id": ceremony, "name": "Cống hiến", "quota": 3}))
            .await;
        assert_eq!(
            (s, call["program_id"].as_i64()),
            (StatusCode::CREATED, Some(program)),
            "{call}"
        );
        let call = call["id"].as_i64().unwrap();
        let mut ids = Vec::new();
        for (unit, name) in [("G1", "Võ Thị Sáu"), ("G2", "Lê Văn Tám")] {
            let p = add_member(&c, &admin, json!({"unit_code": unit, "full_name": name})).await;
            let (s, n) = c
                .post(
                    &format!("/api/v1/honors/calls/{call}/nominations"),
                    &admin,
                    json!({"unit_code": unit, "person_id": p}),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{n}");
            let id = n["id"].as_i64().unwrap();
            for _ in 0..2 {
                let (s, b) = c
                    .post(
                        &format!("/api/v1/honors/nominations/{id}/steps"),
                        &top,
                        json!({"act": "approve"}),
                    )
                    .await;
                assert_eq!(s, StatusCode::OK, "{b}");
            }
            ids.push(id);
        }
        // Awarded at the ceremony: a day outside it is refused, its day by default.
        let (s, off) = c
            .post(
                &format!("/api/v1/honors/nominations/{}/award", ids[0]),
                &top,
                json!({"day": "2026-05-11"}),
            )
            .await;
        assert_eq!(
            (s, fields(&off)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![("day".into(), "outside_event".into())]
            )
        );
        let (s, a) = c
            .post(
                &format!("/api/v1/honors/nominations/{}/award", ids[0]),
                &top,
                json!({}),
            )
            .await;
        assert_eq!(
            (s, a["awarded_on"].as_str()),
            (StatusCode::OK, Some("2026-05-10"))
        );
        let (_, dash) = c
            .get(&format!("/api/v1/programs/{program}/dashboard"), &top)
            .await;
        let honors: Vec<(String, i64)> = dash["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["unit_code"].as_str().unwrap().to_string(),
                    r["honors"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            honors,
            vec![("P".into(), 1), ("D1".into(), 1), ("D2".into(), 0)]
        );
        // The call's page in Persian: the category's name and the nominations' state.
        let cookie = c.session_cookie("p-officer").await;
        let page = c
            .page("GET", &format!("/honors/{call}"), &cookie, None)
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("Võ Thị Sáu")
                && page.body.contains("Awarded")
                && page.body.contains("Approved")
        );
        let csrf = crate::support::csrf_of(&page.body);
        let r = c
            .page(
                "POST",
                &format!("/nominations/{}/award", ids[1]),
                &cookie,
                Some(&format!("csrf={csrf}")),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let program_page = c
            .page("GET", &format!("/programs/{program}"), &cookie, None)
            .await;
        assert!(program_page.body.contains("Honors awarded"));
        let (_, dash) = c
            .get(&format!("/api/v1/programs/{program}/dashboard"), &top)
            .await;
        assert_eq!(dash["rows"][0]["honors"], 2);
        assert!(c.db.system().await.count_tallies(true).await.unwrap());
        let (_, again) = c
            .get(&format!("/api/v1/programs/{program}/dashboard"), &top)
            .await;
        assert_eq!(again, dash);
    }
);
