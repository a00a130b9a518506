//! Heavy work as jobs: a scan answers at once and is followed by its record; one heavy
//! job holds a tree at a time; a job whose server stopped lets go of its tree.

use crate::on_both_backends;
use crate::support::{add_member, scan, small_tree, Backend, Client};
use axum::http::StatusCode;
use serde_json::json;

on_both_backends!(
    one_heavy_job_holds_a_tree_until_it_ends_or_its_server_stops,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        // An instance with no tree yet has nothing to scan, and says so.
        let root = c.login("root0", None, "admin").await;
        let (s, b) = c.post("/api/v1/duplicates/scan", &root, json!({})).await;
        assert_eq!(s, StatusCode::ACCEPTED, "{b}");
        assert_eq!(b["items"], json!([]));
        let admin = small_tree(&c).await;
        for name in ["Trần Thị Lan", "Tran Thi Lan"] {
            add_member(
                &c,
                &admin,
                json!({"unit_code": "G1", "full_name": name, "birth_date": "1990-01-01"}),
            )
            .await;
        }
        let clerk = c.login("clerk", Some("D1"), "officer").await;
        let found = scan(&c, &clerk).await;
        assert_eq!(found["likely_pairs"], 1, "{found}");

        // An import under way holds the tree: a scan waits for it.
        let system = &c.app;
        let actor = system.actor_in("D1").await.unwrap();
        let run = system
            .start_import(
                &actor,
                "members.csv",
                "unit_code,full_name\nG1,Lê Văn Minh\n".as_bytes().to_vec(),
                Default::default(),
            )
            .await
            .unwrap();
        let (s, b) = c.post("/api/v1/duplicates/scan", &clerk, json!({})).await;
        assert_eq!(s, StatusCode::CONFLICT, "{b}");
        assert_eq!(b["fields"]["job"], "job_running");
        // Another tree is not held up.
        let (s, b) = c
            .post(
                "/api/v1/units",
                &admin,
                json!({"code": "Q", "level": "Province", "name": "Tỉnh Khác"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        let other = c.login("other", Some("Q"), "officer").await;
        scan(&c, &other).await;
        // Once the import has ended, the tree is free again.
        system.run_import(run, &mut |_| {}).await.unwrap();
        scan(&c, &clerk).await;

        // A job whose server stopped (no touch for long) lets go at the next start.
        let started = system
            .start_import(
                &actor,
                "again.csv",
                b"unit_code,full_name\nG1,X\n".to_vec(),
                Default::default(),
            )
            .await
            .unwrap();
        drop(started); // its process is gone: nobody runs it
        sqlx::query("UPDATE jobs SET touched_at = '2020-01-01T00:00:00Z' WHERE state = 'running'")
            .execute(system.db().pool())
            .await
            .unwrap();
        let found = scan(&c, &clerk).await;
        assert_eq!(found["likely_pairs"], 1);
        let stalled: String = sqlx::query_scalar(
            "SELECT result FROM jobs WHERE kind = 'import' ORDER BY id DESC LIMIT 1",
        )
        .fetch_one(system.db().pool())
        .await
        .unwrap();
        assert_eq!(stalled, "stalled");
    }
);
