//! Heavy work as jobs: a scan answers at once and is followed by its record; one heavy
//! job holds a tree at a time; a job whose server stopped lets go of its tree; a large
//! export is a job whose file only those who may see it can fetch.

use crate::on_both_backends;
use crate::support::{add_member, csrf_of, export_job, scan, small_tree, Backend, Client};
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

on_both_backends!(
    an_export_made_by_a_job_is_fetched_by_those_who_may_see_it,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        for (unit, name, born) in [
            ("G1", "Nguyễn Thị Hoa", "1990-03-08"),
            ("G1", "Lê Văn Nam", "1985-11-20"),
            ("G2", "Phạm Văn Lộc", "1979-01-02"),
        ] {
            add_member(
                &c,
                &admin,
                json!({"unit_code": unit, "full_name": name, "birth_date": born}),
            )
            .await;
        }
        let d1 = c.login("d1-officer", Some("D1"), "officer").await;
        // Through the API: 202, the job, then its file with D1's members only.
        let (id, bytes) = export_job(&c, &d1, "").await;
        let csv = String::from_utf8(bytes).expect("utf-8");
        assert_eq!(csv.lines().count(), 3, "{csv}");
        assert!(
            csv.contains("Nguyễn Thị Hoa") && csv.contains("1985-11-20"),
            "{csv}"
        );
        assert!(!csv.contains("Phạm Văn Lộc"), "{csv}");
        let (_, j) = c.get(&format!("/api/v1/jobs/{id}"), &d1).await;
        assert_eq!(j["result"]["rows"], 2, "{j}");
        // A sibling district's officer sees neither the job nor its file.
        let d2 = c.login("d2-officer", Some("D2"), "officer").await;
        for path in [
            format!("/api/v1/jobs/{id}"),
            format!("/api/v1/jobs/{id}/file"),
        ] {
            assert_eq!(c.get(&path, &d2).await.0, StatusCode::NOT_FOUND, "{path}");
        }
        // A job named by what is no number is not found, answered in JSON as any error.
        for path in [
            "/api/v1/jobs/zz",
            "/api/v1/jobs/1e3/file",
            "/api/v1/workplaces/W/workers/x/assessments",
        ] {
            let (s, body) = c.get(path, &d1).await;
            assert_eq!(s, StatusCode::NOT_FOUND, "{path}");
            assert_eq!(body["error"], "not_found", "{path}: {body}");
        }
        // An XLSX by a job reads as a spreadsheet.
        let (_, xlsx) = export_job(&c, &d1, "&format=xlsx").await;
        let sheet = crate::support::Sheet::read(&xlsx);
        assert_eq!(sheet.cells.len(), 3);

        // On the pages: the export link leads to the job's page, which offers the file
        // once it is done, in the reader's language.
        c.login("p-viewer", Some("P"), "viewer").await;
        let me = c.session_cookie("p-viewer").await;
        let started = c
            .page("GET", "/members/export.csv?background=true", &me, None)
            .await;
        assert_eq!(started.status, StatusCode::SEE_OTHER);
        let page = started.location.expect("to the job's page");
        assert!(page.starts_with("/jobs/"), "{page}");
        let begun = std::time::Instant::now();
        let done = loop {
            let p = c.page("GET", &page, &me, None).await;
            assert_eq!(p.status, StatusCode::OK);
            if p.body.contains("id=\"job-file\"") {
                break p;
            }
            assert!(!p.body.contains("data-state=\"failed\""), "{}", p.body);
            assert!(begun.elapsed().as_secs() < 60, "export still running");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        };
        assert!(
            done.body.contains("Download the file (3 members)"),
            "{}",
            done.body
        );
        let file = c.page("GET", &format!("{page}/file"), &me, None).await;
        assert_eq!(file.status, StatusCode::OK);
        assert!(file.body.contains("Phạm Văn Lộc") && file.body.contains("Nguyễn Thị Hoa"));
        // Its heading is the reader's language: a Persian reader's file has Persian headers.
        let csrf = csrf_of(&c.page("GET", "/settings", &me, None).await.body);
        c.page(
            "POST",
            "/language",
            &me,
            Some(&format!("lang=fa&csrf={csrf}")),
        )
        .await;
        let fa = c.page("GET", &page, &me, None).await;
        assert!(
            fa.body.contains("dir=\"rtl\"") && fa.body.contains("۳"),
            "{}",
            fa.body
        );
        // Someone of another district gets nothing of it.
        let d2_cookie = c.session_cookie("d2-officer").await;
        for path in [page.clone(), format!("{page}/file")] {
            assert_eq!(
                c.page("GET", &path, &d2_cookie, None).await.status,
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }
    }
);
