//! Courses: a province's cadre camp with sessions within its days, trainees enrolled by
//! their districts (each district sees its own), attendance per session, an assessment,
//! a certificate only for who completed, checked by anyone with its code; the cadre
//! register and the figures per subtree.

use crate::on_both_backends;
use crate::support::{add_member, field_codes as fields, small_tree, Backend, Client};
use axum::http::StatusCode;
use serde_json::{json, Value};

fn trainee_names(course: &Value) -> Vec<String> {
    course["trainees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect()
}

on_both_backends!(
    a_cadre_camp_runs_to_a_certificate_anyone_can_check,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let province = c.login("p-officer", Some("P"), "officer").await;
        let d1 = c.login("d1-officer", Some("D1"), "officer").await;
        let d2 = c.login("d2-officer", Some("D2"), "officer").await;
        let viewer = c.login("d1-viewer", Some("D1"), "viewer").await;
        let lan = add_member(
            &c,
            &admin,
            json!({"unit_code": "G1", "full_name": "Nguyễn Thị Lan"}),
        )
        .await;
        let kamla = add_member(
            &c,
            &admin,
            json!({"unit_code": "G2", "full_name": "Trần Văn Kiên"}),
        )
        .await;

        let (s, bad) = c
            .post(
                "/api/v1/courses",
                &province,
                json!({"unit_code": "P", "kind": "yoga", "name": " ", "starts_on": "2026-02-30", "min_attendance": 0}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(
            fields(&bad),
            vec![
                ("kind".into(), "invalid_course_kind".into()),
                ("min_attendance".into(), "out_of_range".into()),
                ("name".into(), "required".into()),
                ("starts_on".into(), "invalid_date".into()),
            ]
        );
        let (s, course) = c
            .post(
                "/api/v1/courses",
                &province,
                json!({"unit_code": "P", "kind": "cadre", "name": "Lớp bồi dưỡng cán bộ công đoàn cơ sở",
                       "place": "Trường Chính trị tỉnh", "starts_on": "2026-06-01", "ends_on": "2026-06-03",
                       "min_attendance": 75, "assessed": true}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{course}");
        let id = course["id"].as_i64().unwrap();
        let at = |rest: &str| format!("/api/v1/courses/{id}{rest}");
        // Sessions within the course's days only.
        let (_, bad) = c
            .post(
                &at("/sessions"),
                &province,
                json!({"day": "2026-06-05", "title": "Tổng kết"}),
            )
            .await;
        assert_eq!(
            fields(&bad),
            vec![("day".into(), "session_outside_course".into())]
        );
        let (s, _) = c
            .post(
                &at("/sessions"),
                &d1,
                json!({"day": "2026-06-01", "title": "Khai giảng"}),
            )
            .await;
        assert_eq!(
            s,
            StatusCode::FORBIDDEN,
            "a district does not run the province's course"
        );
        let mut sessions = Vec::new();
        for (day, title) in [
            ("2026-06-01", "Luật Công đoàn"),
            ("2026-06-02", "Thương lượng tập thể"),
            ("2026-06-02", "Đối thoại tại nơi làm việc"),
            ("2026-06-03", "Phát triển đoàn viên"),
        ] {
            let (s, v) = c
                .post(
                    &at("/sessions"),
                    &province,
                    json!({"day": day, "title": title}),
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{v}");
            sessions = v["sessions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["id"].as_i64().unwrap())
                .collect();
        }
        assert_eq!(sessions.len(), 4);

        // Each district enrolls its own and sees only its own.
        let (s, v) = c
            .post(&at("/trainees"), &d1, json!({"person_id": lan}))
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let (s, _) = c
            .post(&at("/trainees"), &d1, json!({"person_id": kamla}))
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, _) = c
            .post(&at("/trainees"), &d1, json!({"person_id": lan}))
            .await;
        assert_eq!(s, StatusCode::CONFLICT);
        let (_, v) = c
            .post(&at("/trainees"), &d2, json!({"person_id": kamla}))
            .await;
        assert_eq!(trainee_names(&v), vec!["Trần Văn Kiên"]);
        let (_, mine) = c.get(&at(""), &d1).await;
        assert_eq!(trainee_names(&mine), vec!["Nguyễn Thị Lan"]);
        let (_, all) = c.get(&at(""), &province).await;
        assert_eq!(all["trainees"].as_array().unwrap().len(), 2);
        let lan_t = mine["trainees"][0]["id"].as_i64().unwrap();
        let kamla_t = v["trainees"][0]["id"].as_i64().unwrap();

        // Attendance: Lan at three of four, Kiên at all; nobody marks another's.
        for (i, s) in sessions.iter().enumerate() {
            if i < 3 {
                let (st, v) = c
                    .call(
                        "PUT",
                        &at(&format!("/sessions/{s}/attendance")),
                        &d1,
                        Some(json!({"present": [lan_t]})),
                    )
                    .await;
                assert_eq!(st, StatusCode::OK, "{v}");
            }
            let (st, _) = c
                .call(
                    "PUT",
                    &at(&format!("/sessions/{s}/attendance")),
                    &d2,
                    Some(json!({"present": [kamla_t]})),
                )
                .await;
            assert_eq!(st, StatusCode::OK);
        }
        let (st, no) = c
            .call(
                "PUT",
                &at(&format!("/sessions/{}/attendance", sessions[3])),
                &d1,
                Some(json!({"present": [kamla_t]})),
            )
            .await;
        assert_eq!(
            (st, fields(&no)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![("present".into(), "unknown_trainee".into())]
            )
        );

        // Not completed before the assessment is passed; then certified.
        let certify = |t: i64| at(&format!("/trainees/{t}/certificate"));
        let (st, no) = c.post(&certify(lan_t), &province, json!({})).await;
        assert_eq!(
            (st, fields(&no)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![("trainee".into(), "not_completed".into())]
            )
        );
        let assess = |t: i64| at(&format!("/trainees/{t}/assessment"));
        let (st, _) = c
            .call(
                "PUT",
                &assess(lan_t),
                &d1,
                Some(json!({"assessment": "passed"})),
            )
            .await;
        assert_eq!(st, StatusCode::FORBIDDEN, "the holding unit assesses");
        let (st, v) = c
            .call(
                "PUT",
                &assess(lan_t),
                &province,
                Some(json!({"assessment": "passed"})),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{v}");
        c.call(
            "PUT",
            &assess(kamla_t),
            &province,
            Some(json!({"assessment": "failed"})),
        )
        .await;
        let (_, v) = c.get(&at(""), &province).await;
        let completes: Vec<bool> = v["trainees"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["completes"].as_bool().unwrap())
            .collect();
        assert_eq!(completes.iter().filter(|c| **c).count(), 1);
        let (st, no) = c.post(&certify(kamla_t), &province, json!({})).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{no}");
        let (st, v) = c.post(&certify(lan_t), &province, json!({})).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        let cert = v["trainees"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == lan_t)
            .unwrap()["certificate"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(cert.len(), 20);
        // Anyone with the code checks it; a wrong code finds nothing.
        let (st, checked) = c.get(&format!("/api/v1/courses/verify/{cert}"), "").await;
        assert_eq!(st, StatusCode::OK, "{checked}");
        assert_eq!(
            (
                checked["name"].as_str(),
                checked["kind"].as_str(),
                checked["completed_on"].as_str()
            ),
            (Some("Nguyễn Thị Lan"), Some("cadre"), Some("2026-06-03"))
        );
        let (st, _) = c
            .get("/api/v1/courses/verify/0000000000000000000Z", "")
            .await;
        assert_eq!(st, StatusCode::NOT_FOUND);

        // The cadre register and the figures, each subtree its own.
        let (_, reg) = c.get("/api/v1/courses/cadres", &viewer).await;
        assert_eq!(reg["items"][0]["name"], "Nguyễn Thị Lan");
        let (_, reg) = c.get("/api/v1/courses/cadres", &d2).await;
        assert_eq!(reg["items"], json!([]));
        let (_, f) = c.get("/api/v1/courses/figures?unit=P", &province).await;
        let rows: Vec<(String, i64, i64, i64)> = f["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["unit_code"].as_str().unwrap().to_string(),
                    r["courses"].as_i64().unwrap(),
                    r["trained"].as_i64().unwrap(),
                    r["certified"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            vec![
                ("P".into(), 1, 2, 1),
                ("D1".into(), 0, 1, 1),
                ("D2".into(), 0, 1, 0)
            ]
        );
        let (_, taken) = c
            .get(&format!("/api/v1/courses/taken?person_id={lan}"), &viewer)
            .await;
        assert_eq!(
            taken["items"][0]["certificate"].as_str(),
            Some(cert.as_str())
        );
        let (st, _) = c
            .get(&format!("/api/v1/courses/taken?person_id={lan}"), &d2)
            .await;
        assert_eq!(st, StatusCode::NOT_FOUND);
    }
);
