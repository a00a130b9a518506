//! Cases at a desk: a grievance opened for a member with its first step's deadline, a
//! reply that starts the next step's clock, notes an organizer of the same unit cannot
//! read, referral to the province (the district keeps sight, the province acts), the
//! outcome, and nothing of another district.

use crate::on_both_backends;
use crate::support::{add_member, field_codes as fields, small_tree, Backend, Client};
use axum::http::StatusCode;
use serde_json::json;

on_both_backends!(
    a_grievance_runs_its_steps_is_referred_up_and_keeps_its_notes_private,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let worker = c.login("d1-worker", Some("D1"), "case_worker").await;
        let organizer = c.login("d1-organizer", Some("D1"), "organizer").await;
        let province = c.login("p-officer", Some("P"), "officer").await;
        let d2 = c.login("d2-officer", Some("D2"), "officer").await;
        let (_, types) = c.get("/api/v1/case-types", &worker).await;
        let grievance = types["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["code"] == "grievance")
            .unwrap()
            .clone();
        assert_eq!(grievance["steps"].as_array().unwrap().len(), 4);
        let lan = add_member(
            &c,
            &admin,
            json!({"unit_code": "G1", "full_name": "Nguyễn Thị Lan"}),
        )
        .await;
        // Wrong fields are named, nothing is opened.
        let (s, bad) = c
            .post(
                "/api/v1/cases",
                &worker,
                json!({"unit_code": "D1", "case_type": "strike",
                "person_id": lan, "opened_on": "2026-02-30", "subject": " "}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(
            fields(&bad),
            vec![
                ("case_type".into(), "unknown_case_type".into()),
                ("opened_on".into(), "invalid_date".into()),
                ("subject".into(), "required".into()),
            ]
        );
        let (_, none) = c.get("/api/v1/cases", &worker).await;
        assert_eq!(none["items"], json!([]));
        // An organizer opens no case.
        let (s, _) = c
            .post("/api/v1/cases", &organizer, json!({"unit_code": "D1", "case_type": "grievance", "person_id": lan, "subject": "Lương"}))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, case) = c
            .post("/api/v1/cases", &worker, json!({"unit_code": "D1", "case_type": "grievance", "person_id": lan,
                "subject": "Unpaid overtime, three months", "opened_on": "2026-02-20", "assignee": "d1-worker"}))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{case}");
        assert_eq!(
            (
                case["status"].as_str(),
                case["step"].as_str(),
                case["due_on"].as_str()
            ),
            (Some("open"), Some("step1"), Some("2026-02-27"))
        );
        let id = case["id"].as_i64().unwrap();
        let path = |p: &str| format!("/api/v1/cases/{id}{p}");
        let (s, noted) = c
            .post(
                &path("/activities"),
                &worker,
                json!({"kind": "note", "on_day": "2026-02-21",
                "text": "The employer keeps two sets of time sheets"}),
            )
            .await;
        assert_eq!(
            (s, noted["status"].as_str()),
            (StatusCode::OK, Some("in_progress")),
            "{noted}"
        );
        // The employer's reply ends step 1: step 2's ten days count from it.
        let (_, replied) = c
            .post(
                &path("/activities"),
                &worker,
                json!({"kind": "reply", "on_day": "2026-03-03", "text": "Refuses"}),
            )
            .await;
        assert_eq!(
            (replied["step"].as_str(), replied["due_on"].as_str()),
            (Some("step2"), Some("2026-03-13"))
        );
        // Mine, and in D1's queue.
        let (_, mine) = c.get("/api/v1/cases?mine=true", &worker).await;
        assert_eq!(mine["items"][0]["id"].as_i64(), Some(id));
        // An organizer of the same district sees the case but reads no note, on the
        // API and on nothing it lists.
        let (s, seen) = c.get(&path(""), &organizer).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(seen["notes_readable"], false);
        assert!(
            !seen.to_string().contains("time sheets") && !seen.to_string().contains("Refuses"),
            "{seen}"
        );
        assert_eq!(seen["activities"].as_array().unwrap().len(), 2);
        let (s, _) = c
            .post(
                &path("/activities"),
                &organizer,
                json!({"kind": "note", "text": "x"}),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        // A document: checked by its bytes, read only by those who read the notes.
        let pdf = b"%PDF-1.4 payslips of September".to_vec();
        let (s, doc) = c
            .send_file(
                &path("/documents?name=B%E1%BA%A3ng%20l%C6%B0%C6%A1ng.pdf"),
                &worker,
                pdf.clone(),
            )
            .await;
        assert_eq!(
            (s, doc["content_type"].as_str()),
            (StatusCode::CREATED, Some("application/pdf")),
            "{doc}"
        );
        let doc = doc["id"].as_i64().unwrap();
        let (s, exe) = c
            .send_file(
                &path("/documents?name=x.pdf"),
                &worker,
                b"MZ\x90\x00\x03\x00".to_vec(),
            )
            .await;
        assert_eq!(
            (s, fields(&exe)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![("file".into(), "refused_file_type".into())]
            )
        );
        let big = vec![b'a'; muster_app::cases::MAX_DOCUMENT_BYTES + 1];
        let (s, large) = c
            .send_file(&path("/documents?name=big.txt"), &worker, big)
            .await;
        assert_eq!(
            (s, fields(&large)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![("file".into(), "file_too_large".into())]
            )
        );
        let (s, _, got) = c
            .send(
                axum::http::Request::builder()
                    .uri(path(&format!("/documents/{doc}")))
                    .header("authorization", format!("Bearer {worker}"))
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!((s, got), (StatusCode::OK, pdf));
        let (s, _, _) = c
            .send(
                axum::http::Request::builder()
                    .uri(path(&format!("/documents/{doc}")))
                    .header("authorization", format!("Bearer {organizer}"))
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "an organizer gets no document");
        let (_, seen) = c.get(&path(""), &organizer).await;
        assert_eq!(seen["documents"], json!([]), "nor its name");
        let (s, _, _) = c
            .send(
                axum::http::Request::builder()
                    .uri(path(&format!("/documents/{doc}")))
                    .header("authorization", format!("Bearer {d2}"))
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        // Another district sees nothing of it.
        let (s, _) = c.get(&path(""), &d2).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (_, theirs) = c.get("/api/v1/cases", &d2).await;
        assert_eq!(theirs["items"], json!([]));
        // D1's roll-up: one grievance open, in progress, opened more than 90 days ago.
        let (s, r) = c.get("/api/v1/cases/rollup", &worker).await;
        assert_eq!(s, StatusCode::OK, "{r}");
        let total = &r["rows"][0];
        assert_eq!(
            (
                total["unit_code"].as_str(),
                total["by_type"]["grievance"]["open"].as_i64()
            ),
            (Some("D1"), Some(1))
        );
        assert_eq!(total["by_status"], json!({"in_progress": 1}));
        assert_eq!(total["by_age"], json!([0, 0, 0, 1]));
        // A drive counting cases resolved in the province.
        let (s, d) = c
            .post(
                "/api/v1/drives",
                &admin,
                json!({"code": "CS", "name": "Giải quyết khiếu nại",
                "scope_unit_code": "P", "start_month": "2026-01", "end_month": "2026-12",
                "metrics": [{"kind": "cases_resolved"}]}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{d}");
        let resolved = |p: serde_json::Value| p["metrics"][0]["total"]["actual"].as_i64();
        let (_, p) = c
            .get("/api/v1/drives/CS/progress?as_of=2026-12-31", &admin)
            .await;
        assert_eq!(resolved(p), Some(0));
        // Referred to the province: D1 keeps sight, the province acts.
        let (s, bad) = c
            .post(&path("/referral"), &worker, json!({"unit_code": "G1"}))
            .await;
        assert_eq!(
            (s, fields(&bad)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![("unit_code".into(), "not_a_unit_above".into())]
            )
        );
        let (s, up) = c
            .post(
                &path("/referral"),
                &worker,
                json!({"unit_code": "P", "note": "Needs the province's lawyer"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{up}");
        assert_eq!(
            (
                up["unit_code"].as_str(),
                up["referred_from"].as_str(),
                up["status"].as_str()
            ),
            (Some("P"), Some("D1"), Some("referred"))
        );
        let (s, still) = c.get(&path(""), &worker).await;
        assert_eq!(
            (s, still["unit_code"].as_str()),
            (StatusCode::OK, Some("P"))
        );
        let (s, late) = c
            .post(&path("/activities"), &worker, json!({"kind": "call"}))
            .await;
        assert_eq!(
            (s, fields(&late)),
            (
                StatusCode::CONFLICT,
                vec![("case".into(), "referred_up".into())]
            )
        );
        // The province resolves it; an outcome is required.
        let (s, why) = c
            .call(
                "PUT",
                &path("/status"),
                &province,
                Some(json!({"status": "resolved", "on_day": "2099-01-01"})),
            )
            .await;
        assert_eq!(
            (s, fields(&why)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![
                    ("on_day".into(), "in_future".into()),
                    ("outcome".into(), "required".into())
                ]
            )
        );
        let (s, done) = c
            .call(
                "PUT",
                &path("/status"),
                &province,
                Some(
                    json!({"status": "resolved", "outcome": "Paid in full after arbitration",
                    "on_day": "2026-03-20"}),
                ),
            )
            .await;
        assert_eq!(
            (s, done["status"].as_str(), done["due_on"].as_str()),
            (StatusCode::OK, Some("resolved"), None),
            "{done}"
        );
        let (_, open) = c.get("/api/v1/cases", &province).await;
        assert_eq!(open["items"], json!([]), "done cases leave the open list");
        let (_, all) = c.get("/api/v1/cases?all=true", &organizer).await;
        assert_eq!(
            all["items"][0]["outcome"],
            serde_json::Value::Null,
            "no outcome for an organizer"
        );
        let (_, p) = c
            .get("/api/v1/drives/CS/progress?as_of=2026-12-31", &admin)
            .await;
        assert_eq!(resolved(p), Some(1), "the drive counts the case resolved");
        // The province's roll-up: opened and resolved, none open, the days it took.
        let (_, r) = c.get("/api/v1/cases/rollup?unit=P", &province).await;
        let g = &r["rows"][0]["by_type"]["grievance"];
        // 20 February to 20 March 2026.
        let days = 28;
        assert_eq!(
            (
                g["opened"].as_i64(),
                g["resolved"].as_i64(),
                g["open"].as_i64(),
                g["average_days"].as_f64()
            ),
            (Some(1), Some(1), Some(0), Some(days as f64)),
            "{r}"
        );
        assert_eq!(r["rows"][0]["by_status"], json!({}));
        // Kept tallies equal a fresh count: the roll-ups read the same after it.
        let (_, d1_before) = c.get("/api/v1/cases/rollup?unit=D1", &province).await;
        assert!(c.db.system().await.count_tallies(true).await.unwrap());
        let (_, again) = c.get("/api/v1/cases/rollup?unit=P", &province).await;
        assert_eq!(again, r);
        let (_, d1_after) = c.get("/api/v1/cases/rollup?unit=D1", &province).await;
        assert_eq!(d1_after, d1_before);
    }
);

on_both_backends!(
    a_case_opened_on_the_page_shows_its_notes_to_case_workers_only,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        c.login("d1-worker", Some("D1"), "case_worker").await;
        c.login("d1-organizer", Some("D1"), "organizer").await;
        let _ = add_member(
            &c,
            &admin,
            json!({"unit_code": "G1", "full_name": "Trần Văn Tư", "member_number": "BT-77"}),
        )
        .await;
        let worker = c.session_cookie("d1-worker").await;
        let form = c.page("GET", "/cases/new", &worker, None).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(
            form.body.contains("value=\"D1\""),
            "the desk's unit filled in"
        );
        let csrf = crate::support::csrf_of(&form.body);
        let bad = c
            .page(
                "POST",
                "/cases/new",
                &worker,
                Some(&format!(
                    "csrf={csrf}&unit_code=D1&case_type=grievance&member_number=BT-99&subject="
                )),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("field-error") || bad.body.contains("class=\"error\""));
        let made = c
            .page("POST", "/cases/new", &worker, Some(&format!(
                "csrf={csrf}&unit_code=D1&case_type=accident&member_number=BT-77&subject=Ng%C3%A3+gi%C3%A0n+gi%C3%A1o&opened_on=2026-11-30")))
            .await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        let at = made.location.unwrap();
        let noted = c
            .page("POST", &format!("{at}/activities"), &worker, Some(&format!(
                "csrf={csrf}&kind=visit&text=Ch%E1%BB%A7+x%C6%B0%E1%BB%9Fng+ch%C6%B0a+c%C3%B3+l%C6%B0%E1%BB%9Bi+an+to%C3%A0n")))
            .await;
        assert_eq!(noted.status, StatusCode::SEE_OTHER, "{}", noted.body);
        let page = c.page("GET", &at, &worker, None).await;
        assert!(
            page.body.contains("Chủ xưởng chưa có lưới an toàn"),
            "the worker reads the note"
        );
        // The organizer of the same district sees the case, not the note, on the page
        // and in the file.
        let organizer = c.session_cookie("d1-organizer").await;
        let theirs = c.page("GET", &at, &organizer, None).await;
        assert_eq!(theirs.status, StatusCode::OK);
        assert!(
            theirs.body.contains("Ngã giàn giáo")
                && theirs.body.contains("A note for case workers.")
        );
        assert!(!theirs.body.contains("lưới an toàn"));
        assert!(
            !theirs.body.contains("id=\"activity\""),
            "no form to record"
        );
        let csv = c.page("GET", "/cases/export.csv", &organizer, None).await;
        assert!(
            csv.body.contains("Ngã giàn giáo") && !csv.body.contains("lưới"),
            "{}",
            csv.body
        );
        let queue = c.page("GET", "/cases?view=desk", &worker, None).await;
        assert!(queue.body.contains("Trần Văn Tư"));
    }
);
