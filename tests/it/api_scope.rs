//! A user attached to one district sees and changes nothing of a sibling district,
//! through any route.

use crate::on_both_backends;
use crate::support::{add_member, names, small_tree, Backend, Client};
use axum::http::StatusCode;
use serde_json::json;

on_both_backends!(
    sibling_district_is_invisible_and_untouchable,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let theirs = add_member(
        &c,
        &admin,
        json!({"unit_code": "G2", "full_name": "Trần Thị Lan", "member_number": "BT-2", "joined_on": "2024-05-15"}),
    )
    .await;
        let ours = add_member(
        &c,
        &admin,
        json!({"unit_code": "G1", "full_name": "Lê Văn Minh", "member_number": "BT-1", "joined_on": "2024-05-15"}),
    )
    .await;
        let (status, _) = c
            .post(
                "/api/v1/workplaces",
                &admin,
                json!({"code": "W2", "name": "Công ty Dừa", "unit_code": "D2"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
        let d1 = c.login("d1officer", Some("D1"), "officer").await;

        // Reads: the sibling's member, unit, stats and workplace do not exist for D1.
        assert_eq!(
            c.get(&format!("/api/v1/members/{theirs}"), &d1).await.0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            c.get(&format!("/api/v1/members/{ours}"), &d1).await.0,
            StatusCode::OK
        );
        assert_eq!(
            c.get("/api/v1/units/D2", &d1).await.0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            c.get("/api/v1/units/G2/stats", &d1).await.0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            c.get("/api/v1/workplaces/W2", &d1).await.0,
            StatusCode::NOT_FOUND
        );

        // Lists and counts: only D1's subtree.
        let (_, page) = c.get("/api/v1/members", &d1).await;
        assert_eq!(names(&page), vec!["Lê Văn Minh"]);
        let (_, page) = c.get("/api/v1/members?q=tran%20thi%20lan", &d1).await;
        assert!(names(&page).is_empty(), "search leaks: {page}");
        let (_, page) = c.get("/api/v1/members?q=BT-2", &d1).await;
        assert!(
            names(&page).is_empty(),
            "member number search leaks: {page}"
        );
        let (status, body) = c.get("/api/v1/members?unit=D2", &d1).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (_, units) = c.get("/api/v1/units", &d1).await;
        let codes: Vec<&str> = units["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, vec!["D1", "G1"]);
        let (_, wps) = c.get("/api/v1/workplaces", &d1).await;
        assert_eq!(wps["items"].as_array().unwrap().len(), 0);
        let (_, stats) = c.get("/api/v1/units/D1/stats", &d1).await;
        assert_eq!(stats["active"], 1, "{stats}");

        // Writes: nothing of D2 can be changed, and nothing can be moved into it.
        let (status, _) = c
            .patch(
                &format!("/api/v1/members/{theirs}"),
                &d1,
                json!({"full_name": "X"}),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = c
            .post(
                &format!("/api/v1/members/{theirs}/status"),
                &d1,
                json!({"status": "lapsed"}),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = c
            .post(&format!("/api/v1/members/{theirs}/archive"), &d1, json!({}))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, body) = c
            .post(
                &format!("/api/v1/members/{ours}/transfer"),
                &d1,
                json!({"to_unit_code": "G2"}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["fields"]["to_unit_code"], "unknown_unit");
        let (status, body) = c
            .post(
                "/api/v1/members",
                &d1,
                json!({"unit_code": "G2", "full_name": "Võ Văn Kiệt"}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["fields"]["unit_code"], "unknown_unit");
        let (status, _) = c.patch("/api/v1/units/G2", &d1, json!({"name": "X"})).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = c
            .patch("/api/v1/workplaces/W2", &d1, json!({"name": "X"}))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, body) = c
            .post(
                "/api/v1/units",
                &d1,
                json!({"parent_code": "D2", "code": "G9", "level": "Grassroots", "name": "X"}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["fields"]["parent_code"], "unknown_unit");
        let (status, _) = c
            .post("/api/v1/units/G1/move", &d1, json!({"parent_code": "D2"}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

        // And the sibling's member is untouched.
        let (_, detail) = c.get(&format!("/api/v1/members/{theirs}"), &admin).await;
        assert_eq!(detail["full_name"], "Trần Thị Lan");
        assert_eq!(detail["status"], "active");
    }
);

on_both_backends!(
    tokens_and_roles_are_enforced,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        assert_eq!(c.get("/api/v1/units", "").await.0, StatusCode::UNAUTHORIZED);
        let (status, body) = c.get("/api/v1/units", "mst_not-a-token").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["error"], "unauthenticated");
        let viewer = c.login("viewer1", Some("D1"), "viewer").await;
        assert_eq!(c.get("/api/v1/members", &viewer).await.0, StatusCode::OK);
        let (status, body) = c
            .post(
                "/api/v1/members",
                &viewer,
                json!({"unit_code": "G1", "full_name": "Ngô Thị Hoa"}),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body["error"], "forbidden");
        let organizer = c.login("org1", Some("G1"), "organizer").await;
        let (status, _) = c
            .post(
                "/api/v1/units",
                &organizer,
                json!({"parent_code": "G1", "code": "X1", "level": "Grassroots", "name": "X"}),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        // The document itself needs no token and lists every route.
        let (status, doc) = c.get("/api/v1/openapi.json", "").await;
        assert_eq!(status, StatusCode::OK);
        assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
        for (path, methods) in [
            ("/api/v1/units", vec!["get", "post"]),
            ("/api/v1/units/{code}", vec!["get", "patch"]),
            ("/api/v1/units/{code}/move", vec!["post"]),
            ("/api/v1/units/{code}/stats", vec!["get"]),
            ("/api/v1/members", vec!["get", "post"]),
            ("/api/v1/members/{id}", vec!["get", "patch"]),
            ("/api/v1/members/{id}/status", vec!["post"]),
            ("/api/v1/members/{id}/transfer", vec!["post"]),
            ("/api/v1/members/{id}/archive", vec!["post"]),
            ("/api/v1/workplaces", vec!["get", "post"]),
            ("/api/v1/workplaces/{code}", vec!["get", "patch"]),
            ("/api/v1/drives", vec!["get", "post"]),
            ("/api/v1/drives/{code}", vec!["get", "patch"]),
            ("/api/v1/drives/{code}/progress", vec!["get"]),
            ("/api/v1/drives/{code}/targets/{unit}", vec!["put"]),
            ("/api/v1/drives/{code}/targets/{unit}/split", vec!["post"]),
            ("/api/v1/drives/{code}/reports", vec!["get"]),
            ("/api/v1/drives/{code}/reports/overdue", vec!["get"]),
            (
                "/api/v1/drives/{code}/reports/{unit}/{month}",
                vec!["get", "put"],
            ),
            (
                "/api/v1/drives/{code}/reports/{unit}/{month}/review",
                vec!["post"],
            ),
        ] {
            for m in methods {
                assert!(
                    doc["paths"][path][m].is_object(),
                    "{m} {path} missing from the OpenAPI document"
                );
            }
        }
        let _ = admin;
    }
);
