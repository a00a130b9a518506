//! Memberships: lifecycle, transfers with history, numbers, counters, audit, and
//! refusals that name the field and write nothing.

use crate::on_both_backends;
use crate::support::{add_member, names, small_tree, Backend, Client};
use axum::http::StatusCode;
use serde_json::json;

on_both_backends!(
    transfer_closes_one_membership_and_opens_the_next,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let id = add_member(
        &c,
        &admin,
        json!({"unit_code": "G1", "full_name": "Phạm Thị Thu", "member_number": "BT-7",
               "joined_on": "2024-01-10", "employment_type": "informal", "informal_category": "domestic"}),
    )
    .await;
        let (status, moved) = c
            .post(
                &format!("/api/v1/members/{id}/transfer"),
                &admin,
                json!({"to_unit_code": "G2", "on": "2024-06-01"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{moved}");
        assert_eq!(moved["unit_code"], "G2");
        assert_eq!(moved["member_number"], "BT-7");
        let history = moved["history"].as_array().unwrap();
        assert_eq!(history.len(), 2);
        assert_eq!(history[0]["unit_code"], "G1");
        assert_eq!(history[0]["status"], "transferred");
        assert_eq!(history[0]["left_on"], "2024-06-01");
        assert_eq!(history[0]["current"], false);
        assert_eq!(history[1]["unit_code"], "G2");
        assert_eq!(history[1]["status"], "active");
        assert_eq!(history[1]["current"], true);

        // Counted once at the province: one join, and the transfer moves the member
        // between districts without changing the province's total.
        let (_, p) = c.get("/api/v1/units/P/stats", &admin).await;
        assert_eq!(p["active"], 1);
        let joins: i64 = p["months"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["joins"].as_i64().unwrap())
            .sum();
        assert_eq!(joins, 1);
        assert_eq!(p["active_by_employment"]["informal"], 1);
        let (_, d1) = c.get("/api/v1/units/D1/stats", &admin).await;
        let (_, d2) = c.get("/api/v1/units/D2/stats", &admin).await;
        assert_eq!(
            (d1["active"].as_i64(), d2["active"].as_i64()),
            (Some(0), Some(1))
        );
        let june = d2["months"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["month"] == "2024-06")
            .cloned()
            .unwrap();
        assert_eq!(june["transfers_in"], 1);
        let jan = d1["months"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["month"] == "2024-01")
            .cloned()
            .unwrap();
        assert_eq!(
            (jan["joins"].as_i64(), jan["active_end"].as_i64()),
            (Some(1), Some(1))
        );

        // A transfer is in the audit trail with before and after.
        let transfer = moved["audit"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["action"] == "transfer")
            .cloned()
            .unwrap();
        assert_eq!(transfer["before"]["unit_code"], "G1");
        assert_eq!(transfer["after"]["unit_code"], "G2");
        assert_eq!(transfer["actor"], "root");
    }
);

on_both_backends!(
    status_lifecycle_and_monthly_counters,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let a = add_member(
            &c,
            &admin,
            json!({"unit_code": "G1", "full_name": "Đặng Văn An", "joined_on": "2024-02-03"}),
        )
        .await;
        let b = add_member(
            &c,
            &admin,
            json!({"unit_code": "G2", "full_name": "Bùi Thị Bích", "joined_on": "2024-02-20"}),
        )
        .await;
        let applicant = add_member(
        &c,
        &admin,
        json!({"unit_code": "G2", "full_name": "Hồ Văn Cường", "joined_on": "2024-03-01", "status": "applicant"}),
    )
    .await;
        let post = |id: i64, body: serde_json::Value| {
            let c = &c;
            let admin = admin.clone();
            async move {
                c.post(&format!("/api/v1/members/{id}/status"), &admin, body)
                    .await
            }
        };
        assert_eq!(
            post(a, json!({"status": "lapsed", "on": "2024-04-10"}))
                .await
                .0,
            StatusCode::OK
        );
        assert_eq!(
            post(b, json!({"status": "resigned", "on": "2024-04-15"}))
                .await
                .0,
            StatusCode::OK
        );
        assert_eq!(
            post(applicant, json!({"status": "active", "on": "2024-04-20"}))
                .await
                .0,
            StatusCode::OK
        );
        // A resigned member cannot be expelled; a date before joining is refused.
        let (status, body) = post(b, json!({"status": "expelled"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["fields"]["status"], "transition_not_allowed");
        let (status, body) = post(a, json!({"status": "active", "on": "2023-01-01"})).await;
        assert_eq!(
            (status, body["fields"]["on"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("before_joined"))
        );

        let (_, p) = c.get("/api/v1/units/P/stats", &admin).await;
        let months: Vec<(String, i64, i64, i64)> = p["months"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["month"].as_str().unwrap().to_string(),
                    m["joins"].as_i64().unwrap(),
                    m["leaves"].as_i64().unwrap(),
                    m["active_end"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            months,
            vec![
                ("2024-02".to_string(), 2, 0, 2),
                ("2024-04".to_string(), 1, 1, 1),
            ]
        );
        let (_, list) = c.get("/api/v1/members?status=active", &admin).await;
        assert_eq!(names(&list), vec!["Hồ Văn Cường"]);
        let (_, detail) = c.get(&format!("/api/v1/members/{applicant}"), &admin).await;
        assert_eq!(detail["joined_on"], "2024-04-20");
    }
);

on_both_backends!(
    member_numbers_are_unique_within_a_tree,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        add_member(
            &c,
            &admin,
            json!({"unit_code": "G1", "full_name": "Lý Văn Tâm", "member_number": "N-1"}),
        )
        .await;
        let (status, body) = c
            .post(
                "/api/v1/members",
                &admin,
                json!({"unit_code": "G2", "full_name": "Lý Thị Tám", "member_number": "n-1"}),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["error"], "conflict");
        assert_eq!(body["fields"]["member_number"], "taken");
        // Another tree may use the same number.
        let (status, _) = c
            .post(
                "/api/v1/units",
                &admin,
                json!({"code": "Q", "level": "استان", "name": "خانه کارگر استان مرکزی"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
        add_member(
            &c,
            &admin,
            json!({"unit_code": "Q", "full_name": "علی حسینی", "member_number": "N-1"}),
        )
        .await;
        let (_, list) = c.get("/api/v1/members", &admin).await;
        assert_eq!(
            list["items"].as_array().unwrap().len(),
            2,
            "the refused member was not written"
        );
    }
);

on_both_backends!(
    bad_input_names_the_field_and_writes_nothing,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let (status, body) = c
        .post(
            "/api/v1/members",
            &admin,
            json!({"unit_code": "G1", "full_name": "  ", "joined_on": "2024-02-30", "email": "nope",
                   "employment_type": "formal", "informal_category": "domestic", "phone": "12"}),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["error"], "validation_failed");
        let fields = &body["fields"];
        assert_eq!(fields["full_name"], "required");
        assert_eq!(fields["joined_on"], "invalid_date");
        assert_eq!(fields["email"], "invalid_email");
        assert_eq!(fields["informal_category"], "category_needs_informal");
        assert_eq!(fields["phone"], "invalid_phone");
        let (status, body) = c
            .post("/api/v1/members", &admin, json!({"full_name": "Lê Lai"}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["fields"]["unit_code"], "required");
        let (status, body) = c.call("POST", "/api/v1/members", &admin, None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        let (_, list) = c.get("/api/v1/members", &admin).await;
        assert!(names(&list).is_empty());
        let (_, stats) = c.get("/api/v1/units/P/stats", &admin).await;
        assert_eq!(stats["active"], 0);
        assert_eq!(
            c.get("/api/v1/members/abc", &admin).await.0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            c.get("/api/v1/members?limit=x", &admin).await.0,
            StatusCode::BAD_REQUEST
        );
    }
);

on_both_backends!(
    updates_are_audited_and_archive_keeps_the_record,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let id = add_member(
        &c,
        &admin,
        json!({"unit_code": "G1", "full_name": "Nguyen Van Tèo", "phone": "0912345678", "national_id": "083200001234"}),
    )
    .await;
        let (status, updated) = c
            .patch(
                &format!("/api/v1/members/{id}"),
                &admin,
                json!({"full_name": "Nguyễn Văn Tèo", "phone": null}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{updated}");
        assert_eq!(updated["full_name"], "Nguyễn Văn Tèo");
        assert!(updated["phone"].is_null());
        assert_eq!(
            updated["national_id"], "083200001234",
            "a field left out stays"
        );
        let update = updated["audit"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["action"] == "update")
            .cloned()
            .unwrap();
        assert_eq!(update["before"]["full_name"], "Nguyen Van Tèo");
        assert_eq!(update["after"]["full_name"], "Nguyễn Văn Tèo");
        assert_eq!(update["before"]["phone"], "0912345678");
        assert_eq!(
            update["before"]["national_id"], "***",
            "the audit log never holds the national id"
        );
        // A viewer does not see the national id.
        let viewer = c.login("viewer2", Some("P"), "viewer").await;
        let (_, seen) = c.get(&format!("/api/v1/members/{id}"), &viewer).await;
        assert!(seen["national_id"].is_null());
        // Archived: gone from lists, search and counts; the record and its trail remain.
        let (status, _) = c
            .post(&format!("/api/v1/members/{id}/archive"), &admin, json!({}))
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        assert_eq!(
            c.get(&format!("/api/v1/members/{id}"), &admin).await.0,
            StatusCode::NOT_FOUND
        );
        let (_, list) = c.get("/api/v1/members?q=teo", &admin).await;
        assert!(names(&list).is_empty());
        let (_, stats) = c.get("/api/v1/units/P/stats", &admin).await;
        assert_eq!(stats["active"], 0);
        let mut conn = c.app.db().read().await.unwrap();
        let trail = muster_store::audit::trail(&mut conn, "person", id)
            .await
            .unwrap();
        let actions: Vec<&str> = trail.iter().map(|t| t.action.as_str()).collect();
        assert_eq!(actions, vec!["create", "update", "archive"]);
    }
);

on_both_backends!(
    status_counters_agree_with_the_registry,
    |backend: Backend| async move {
        use muster_domain::member::Status;
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let mut ids = Vec::new();
        for (i, unit) in ["G1", "G1", "G2", "G2", "G1", "G2"].iter().enumerate() {
            let status = if i == 5 { "applicant" } else { "active" };
            ids.push(add_member(&c, &admin, json!({"unit_code": unit, "full_name": format!("Đoàn Viên {i}"), "joined_on": "2024-02-01", "status": status})).await);
        }
        let post = |path: String, body: serde_json::Value| {
            let c = &c;
            let admin = admin.clone();
            async move {
                assert_eq!(
                    c.post(&path, &admin, body).await.0,
                    StatusCode::OK,
                    "{path}"
                )
            }
        };
        post(
            format!("/api/v1/members/{}/status", ids[0]),
            json!({"status": "lapsed", "on": "2024-03-01"}),
        )
        .await;
        post(
            format!("/api/v1/members/{}/status", ids[1]),
            json!({"status": "resigned", "on": "2024-03-01"}),
        )
        .await;
        post(
            format!("/api/v1/members/{}/transfer", ids[2]),
            json!({"to_unit_code": "G1", "on": "2024-04-01"}),
        )
        .await;
        post(
            format!("/api/v1/members/{}/status", ids[5]),
            json!({"status": "active", "on": "2024-04-01"}),
        )
        .await;
        assert_eq!(
            c.post(
                &format!("/api/v1/members/{}/archive", ids[3]),
                &admin,
                json!({})
            )
            .await
            .0,
            StatusCode::NO_CONTENT
        );

        for (unit, token) in [
            (None, admin.clone()),
            (Some("D1"), c.login("d1.viewer", Some("D1"), "viewer").await),
        ] {
            let actor = c.app.authenticate_token(&token).await.unwrap();
            let dashboard = c
                .app
                .dashboard(&actor, muster_domain::Date::today())
                .await
                .unwrap();
            for status in Status::ALL {
                let counted = c.app.count_members(&actor, Some(*status)).await.unwrap();
                assert_eq!(
                    dashboard
                        .by_status
                        .get(status.as_str())
                        .copied()
                        .unwrap_or(0),
                    counted,
                    "{unit:?} {status}"
                );
            }
        }
    }
);
