//! The unit tree: create, update, move with the closure table, and refusals.

use crate::on_both_backends;
use crate::support::{add_member, names, small_tree, Backend, Client};
use axum::http::StatusCode;
use serde_json::json;

on_both_backends!(
    moving_a_unit_moves_its_subtree_and_scope,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = crate::support::small_tree_of_levels(
            &c,
            &["Province", "District", "Grassroots", "Group"],
        )
        .await;
        c.post(
            "/api/v1/units",
            &admin,
            json!({"parent_code": "G1", "code": "G1A", "level": "Group", "name": "Tổ A"}),
        )
        .await;
        add_member(
            &c,
            &admin,
            json!({"unit_code": "G1A", "full_name": "Huỳnh Văn Tổ"}),
        )
        .await;
        let d1 = c.login("district1", Some("D1"), "officer").await;
        let d2 = c.login("district2", Some("D2"), "officer").await;
        assert_eq!(c.get("/api/v1/units/G1A", &d1).await.0, StatusCode::OK);

        let (status, moved) = c
            .post(
                "/api/v1/units/G1/move",
                &admin,
                json!({"parent_code": "D2"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{moved}");
        assert_eq!(moved["parent_code"], "D2");
        // The whole subtree, members included, now belongs to D2's scope and not D1's.
        assert_eq!(
            c.get("/api/v1/units/G1A", &d1).await.0,
            StatusCode::NOT_FOUND
        );
        let (_, g1a) = c.get("/api/v1/units/G1A", &d2).await;
        assert_eq!(g1a["depth"], 3);
        let (_, mine) = c.get("/api/v1/members", &d2).await;
        assert_eq!(names(&mine), vec!["Huỳnh Văn Tổ"]);
        let (_, stats) = c.get("/api/v1/units/D2/stats", &admin).await;
        assert_eq!(stats["active"], 1);
        let (_, stats) = c.get("/api/v1/units/D1/stats", &admin).await;
        assert_eq!(stats["active"], 0);

        // Refusals: into its own subtree, across trees, an officer moving their own unit.
        let (status, body) = c
            .post(
                "/api/v1/units/G1/move",
                &admin,
                json!({"parent_code": "G1A"}),
            )
            .await;
        assert_eq!(
            (status, body["fields"]["parent_code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("inside_own_subtree"))
        );
        c.post(
            "/api/v1/units",
            &admin,
            json!({"code": "OTHER", "level": "State", "name": "उत्तर प्रदेश"}),
        )
        .await;
        let (status, body) = c
            .post(
                "/api/v1/units/G1/move",
                &admin,
                json!({"parent_code": "OTHER"}),
            )
            .await;
        assert_eq!(
            (status, body["fields"]["parent_code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("other_tree"))
        );
        assert_eq!(
            c.post("/api/v1/units/D2/move", &d2, json!({"parent_code": "D2"}))
                .await
                .0,
            StatusCode::FORBIDDEN
        );
        let mut conn = c.app.db().read().await.unwrap();
        let trail = muster_store::audit::trail(&mut conn, "unit", g1a_id(&c).await)
            .await
            .unwrap();
        assert!(trail.iter().any(|t| t.action == "create"));
    }
);

async fn g1a_id(c: &Client) -> i64 {
    let mut conn = c.app.db().read().await.unwrap();
    muster_store::units::by_code(&mut conn, "G1A")
        .await
        .unwrap()
        .unwrap()
        .id
}

on_both_backends!(
    units_are_created_and_edited_with_checks,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let (status, body) = c
        .post("/api/v1/units", &admin, json!({"parent_code": "D1", "code": "g1", "level": "Grassroots", "name": "Trùng mã"}))
        .await;
        assert_eq!(
            status,
            StatusCode::CONFLICT,
            "codes are unique, case-insensitively: {body}"
        );
        assert_eq!(body["fields"]["code"], "taken");
        let (status, body) = c
            .post(
                "/api/v1/units",
                &admin,
                json!({"parent_code": "D1", "code": "G 3", "level": "Ward", "name": "",
            "names": {"xx": "?"}, "founded_on": "2024-13-01"}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        for (field, code) in [
            ("code", "invalid_unit_code"),
            ("level", "unknown_level"),
            ("name", "required"),
            ("names.xx", "invalid_locale"),
            ("founded_on", "invalid_date"),
        ] {
            assert_eq!(body["fields"][field], code, "{field}: {body}");
        }
        let (status, body) = c
        .patch("/api/v1/units/D1", &admin, json!({"name": "Công đoàn huyện Châu Thành", "names": {"en": "Chau Thanh", "fa": "چاو تان"}}))
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["names"]["fa"], "چاو تان");
        let (_, list) = c.get("/api/v1/units", &admin).await;
        let d1 = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["code"] == "D1")
            .cloned()
            .unwrap();
        assert_eq!(d1["name"], "Công đoàn huyện Châu Thành");
        assert_eq!(d1["parent_code"], "P");
        assert_eq!(d1["level"], "District");
        // An officer may not create a new tree.
        let officer = c.login("off", Some("D1"), "officer").await;
        let (status, body) = c
            .post(
                "/api/v1/units",
                &officer,
                json!({"code": "NEW", "level": "X", "name": "X"}),
            )
            .await;
        assert_eq!(
            (status, body["fields"]["parent_code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("required"))
        );
    }
);
