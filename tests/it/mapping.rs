//! Workplace mapping: coverage arithmetic, the priority list's order and filters,
//! assessments and the wall chart, founding a union, and scope.

use crate::on_both_backends;
use crate::support::{add_member, small_tree, Backend, Client};
use axum::http::StatusCode;
use muster_domain::workplace::PriorityWeights;
use serde_json::{json, Value};

/// Workplaces of the small tree: code, unit, headcount, covering union, ownership,
/// sector, operating since.
type Workplace = (
    &'static str,
    &'static str,
    i64,
    Option<&'static str>,
    &'static str,
    &'static str,
    &'static str,
);

const WORKPLACES: [Workplace; 5] = [
    ("W1", "D1", 10, None, "household", "G47", "2023-01-01"),
    (
        "W2",
        "D1",
        30,
        Some("G1"),
        "domestic_private",
        "C14",
        "2015-01-01",
    ),
    (
        "W3",
        "D1",
        200,
        None,
        "foreign_invested",
        "C14",
        "2008-03-01",
    ),
    ("W4", "D1", 600, Some("G1"), "state", "C10", "1999-05-01"),
    (
        "W5",
        "D2",
        50,
        Some("G2"),
        "cooperative",
        "A01",
        "2012-07-01",
    ),
];

async fn mapped_tree(c: &Client) -> String {
    let admin = small_tree(c).await;
    for (code, unit, headcount, covering, ownership, sector, since) in WORKPLACES {
        let (s, b) = c
            .post("/api/v1/workplaces", &admin, json!({"code": code, "name": format!("Công ty {code}"), "unit_code": unit,
                "headcount": headcount, "covering_unit_code": covering, "ownership": ownership, "sector_code": sector,
                "operating_since": since}))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
    }
    // Members who work at W2 (3), W3 (1) and W5 (10).
    for (workplace, unit, n) in [("W2", "G1", 3), ("W3", "D1", 1), ("W5", "G2", 10)] {
        for i in 0..n {
            add_member(
                c,
                &admin,
                json!({"unit_code": unit, "full_name": format!("Nguyễn Văn {workplace} {i}"),
                "workplace_code": workplace, "joined_on": "2024-02-01"}),
            )
            .await;
        }
    }
    admin
}

fn group<'a>(groups: &'a Value, key: &str) -> &'a Value {
    groups
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"] == key)
        .unwrap_or_else(|| panic!("no group {key}"))
}

on_both_backends!(
    coverage_adds_up_by_size_and_ownership,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = mapped_tree(&c).await;
        let (s, cov) = c.get("/api/v1/coverage", &admin).await;
        assert_eq!(s, StatusCode::OK, "{cov}");
        let all = &cov["all"];
        assert_eq!(
            (all["workplaces"].as_i64(), all["covered"].as_i64()),
            (Some(5), Some(3))
        );
        assert_eq!(
            (all["workers"].as_i64(), all["workers_covered"].as_i64()),
            (Some(890), Some(680))
        );
        assert_eq!(all["members"], 14);
        assert_eq!(all["covered_share"], 76.4, "680 of 890 workers");
        assert_eq!(all["membership_rate"], 1.6, "14 of 890");
        let sizes = &cov["by_size"];
        let keys: Vec<&str> = sizes
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["key"].as_str().unwrap())
            .collect();
        assert_eq!(keys, vec!["1-24", "25-99", "100-499", "500+"]);
        assert_eq!(
            (
                group(sizes, "25-99")["workplaces"].as_i64(),
                group(sizes, "25-99")["covered"].as_i64()
            ),
            (Some(2), Some(2))
        );
        assert_eq!(group(sizes, "25-99")["members"], 13);
        assert_eq!(group(sizes, "25-99")["membership_rate"], 16.3, "13 of 80");
        assert_eq!(group(sizes, "100-499")["covered"], 0);
        assert_eq!(
            group(&cov["by_ownership"], "foreign_invested")["workers"],
            200
        );

        // Members follow the registry: one resigns at W5, one changes workplace W2 -> W1.
        let (_, list) = c.get("/api/v1/members?unit=G2&limit=1", &admin).await;
        let id = list["items"][0]["id"].as_i64().unwrap();
        let (s, _) = c
            .post(
                &format!("/api/v1/members/{id}/status"),
                &admin,
                json!({"status": "resigned"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let (_, list) = c.get("/api/v1/members?unit=G1&limit=1", &admin).await;
        let id = list["items"][0]["id"].as_i64().unwrap();
        let (s, b) = c
            .patch(
                &format!("/api/v1/members/{id}"),
                &admin,
                json!({"workplace_code": "W1"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let (_, cov) = c.get("/api/v1/coverage", &admin).await;
        assert_eq!(cov["all"]["members"], 13);
        assert_eq!(group(&cov["by_size"], "1-24")["members"], 1);

        // A sibling district sees its own workplaces only.
        let d2 = c.login("d2-officer", Some("D2"), "officer").await;
        let (_, mine) = c.get("/api/v1/coverage", &d2).await;
        assert_eq!(
            (
                mine["all"]["workplaces"].as_i64(),
                mine["all"]["workers"].as_i64()
            ),
            (Some(1), Some(50))
        );
        assert_eq!(
            c.get("/api/v1/coverage?unit=D1", &d2).await.0,
            StatusCode::NOT_FOUND
        );
    }
);

on_both_backends!(
    priority_list_puts_large_old_unorganized_workplaces_first,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = mapped_tree(&c).await;
        let (s, p) = c.get("/api/v1/priority", &admin).await;
        assert_eq!(s, StatusCode::OK, "{p}");
        let codes = |p: &Value| -> Vec<String> {
            p["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|w| w["code"].as_str().unwrap().to_string())
                .collect()
        };
        // W4 has a union but no members (0% < 50%); W2 (10%) and W5 (20%) stay on too.
        assert_eq!(codes(&p), vec!["W4", "W3", "W5", "W2", "W1"]);
        assert_eq!(p["total"], 5);
        let year = muster_domain::Date::today().year();
        let w = PriorityWeights::default();
        for item in p["items"].as_array().unwrap() {
            let (_, _, h, _, _, _, since) =
                WORKPLACES.iter().find(|x| x.0 == item["code"]).unwrap();
            let years = i64::from(year) - since[..4].parse::<i64>().unwrap();
            let expected =
                (w.score(Some(*h), Some(years), item["members"].as_i64().unwrap()) * 10.0).round()
                    / 10.0;
            assert_eq!(item["score"].as_f64().unwrap(), expected, "{item}");
        }
        assert_eq!(p["items"][0]["rank"], 1);
        assert_eq!(
            codes(&c.get("/api/v1/priority?size=100-499", &admin).await.1),
            vec!["W3"]
        );
        assert_eq!(
            codes(
                &c.get("/api/v1/priority?ownership=cooperative", &admin)
                    .await
                    .1
            ),
            vec!["W5"]
        );
        assert_eq!(
            codes(&c.get("/api/v1/priority?sector=C14", &admin).await.1),
            vec!["W3", "W2"]
        );
        assert_eq!(
            codes(&c.get("/api/v1/priority?unit=D2", &admin).await.1),
            vec!["W5"]
        );
        let (s, e) = c.get("/api/v1/priority?size=huge", &admin).await;
        assert_eq!(
            (s, e["fields"]["size"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_size_band"))
        );

        // Weights per tree: only the membership rate counts, and a union at 15% is enough.
        let (s, _) = c
            .call(
                "PUT",
                "/api/v1/trees/P/priority-weights",
                &admin,
                Some(json!({"headcount": 0, "years": 0, "rate": 100, "rate_threshold": 15})),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let (_, p) = c.get("/api/v1/priority?unit=P", &admin).await;
        // W1 and W4 have no members (a tie, by code), W3 one of 200, W2 three of 30.
        assert_eq!(
            codes(&p),
            vec!["W1", "W4", "W3", "W2"],
            "W5 (20%) has left the list"
        );
        assert_eq!(p["weights"]["rate_threshold"], 15);
        let d1 = c.login("d1-officer", Some("D1"), "officer").await;
        let (s, _) = c
            .call(
                "PUT",
                "/api/v1/trees/P/priority-weights",
                &d1,
                Some(json!({"headcount": 1, "years": 1, "rate": 1, "rate_threshold": 50})),
            )
            .await;
        assert_eq!(
            s,
            StatusCode::NOT_FOUND,
            "a district cannot even see its organization's top unit"
        );
        let (s, e) = c
            .call(
                "PUT",
                "/api/v1/trees/P/priority-weights",
                &admin,
                Some(json!({"headcount": 0, "years": 0, "rate": 0, "rate_threshold": 50})),
            )
            .await;
        assert_eq!(
            (s, e["fields"]["headcount"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("all_weights_zero"))
        );

        // Following a workplace: an organizer of the subtree, then "mine".
        let me = c.login("lan-organizer", Some("D1"), "organizer").await;
        let (s, b) = c
            .call(
                "PUT",
                "/api/v1/workplaces/W3/assignment",
                &d1,
                Some(json!({"organizer": "lan-organizer", "follow_up_on": "2026-12-01"})),
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{b}");
        let (_, mine) = c.get("/api/v1/priority?mine=true", &me).await;
        assert_eq!(codes(&mine), vec!["W3"]);
        assert_eq!(mine["items"][0]["follow_up_on"], "2026-12-01");
        c.login("other-organizer", Some("D2"), "organizer").await;
        let (s, e) = c
            .call(
                "PUT",
                "/api/v1/workplaces/W3/assignment",
                &d1,
                Some(json!({"organizer": "other-organizer"})),
            )
            .await;
        assert_eq!(
            (s, e["fields"]["organizer"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("unknown_user"))
        );

        // The sibling district sees none of D1's workplaces.
        let d2 = c.login("d2-officer", Some("D2"), "officer").await;
        assert_eq!(
            codes(&c.get("/api/v1/priority", &d2).await.1),
            Vec::<String>::new(),
            "W5 is off the list at 15%"
        );
        assert_eq!(
            c.get("/api/v1/workplaces/W3/organizing", &d2).await.0,
            StatusCode::NOT_FOUND
        );
    }
);

on_both_backends!(
    assessments_make_the_wall_chart,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = mapped_tree(&c).await;
        let mut ids = Vec::new();
        for (name, department) in [
            ("Lê Thị Hoa", "Ca 1"),
            ("Trần Văn Bình", "Ca 1"),
            ("Phạm Thị Cúc", "Ca 2"),
            ("Đỗ Văn Dũng", "Ca 2"),
        ] {
            let (s, b) = c
                .post(
                    "/api/v1/workplaces/W3/workers",
                    &admin,
                    json!({"full_name": name, "department": department}),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{b}");
            ids.push(b["id"].as_i64().unwrap());
        }
        for (id, level) in [(ids[0], "1"), (ids[1], "3"), (ids[1], "2"), (ids[2], "۵")] {
            let (s, b) = c
                .post(
                    "/api/v1/workplaces/W3/assessments",
                    &admin,
                    json!({"person_id": id, "level": level, "note": "họp ca"}),
                )
                .await;
            assert_eq!(s, StatusCode::NO_CONTENT, "{b}");
        }
        let (s, e) = c
            .post(
                "/api/v1/workplaces/W3/assessments",
                &admin,
                json!({"person_id": ids[0], "level": "7"}),
            )
            .await;
        assert_eq!(
            (s, e["fields"]["level"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_support"))
        );
        let (_, w2) = c.get("/api/v1/members?unit=G1&limit=1", &admin).await;
        let outsider = w2["items"][0]["id"].as_i64().unwrap();
        let (s, e) = c
            .post(
                "/api/v1/workplaces/W3/assessments",
                &admin,
                json!({"person_id": outsider, "level": "1"}),
            )
            .await;
        assert_eq!(
            (s, e["fields"]["person_id"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("not_a_worker_here"))
        );
        let (s, _) = c
            .call(
                "PUT",
                "/api/v1/workplaces/W3/committee",
                &admin,
                Some(json!({"person_id": ids[0], "role": "Trưởng ban"})),
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT);

        let (s, o) = c.get("/api/v1/workplaces/W3/organizing", &admin).await;
        assert_eq!(s, StatusCode::OK, "{o}");
        // Five workers known: the member of W3 and the four above; Bình's latest is 2.
        assert_eq!(o["workers"].as_array().unwrap().len(), 5);
        assert_eq!(o["levels"], json!([1, 1, 0, 0, 1]));
        assert_eq!(o["not_assessed"], 2);
        assert_eq!(o["supporters_share"], 40.0);
        assert_eq!(o["supporters_of_headcount"], 1.0, "2 of 200");
        assert_eq!(o["majority"], false);
        assert_eq!(o["departments"], json!(["Ca 1", "Ca 2"]));
        let hoa = o["workers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["id"] == ids[0])
            .unwrap();
        assert_eq!(
            (hoa["committee_role"].as_str(), hoa["status"].as_str()),
            (Some("Trưởng ban"), None)
        );
        let (_, history) = c
            .get(
                &format!("/api/v1/workplaces/W3/workers/{}/assessments", ids[1]),
                &admin,
            )
            .await;
        let levels: Vec<i64> = history["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["level"].as_i64().unwrap())
            .collect();
        assert_eq!(levels, vec![2, 3], "latest first");

        // With the headcount known to be 6, three supporters of six is not yet a majority; four is.
        let (s, _) = c
            .post(
                "/api/v1/workplaces/W3/headcounts",
                &admin,
                json!({"as_of": "2026-01-15", "headcount": 6}),
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        c.post(
            "/api/v1/workplaces/W3/assessments",
            &admin,
            json!({"person_id": ids[3], "level": "2"}),
        )
        .await;
        let (_, o) = c.get("/api/v1/workplaces/W3/organizing", &admin).await;
        assert_eq!(
            (
                o["supporters_of_headcount"].as_f64(),
                o["majority"].as_bool()
            ),
            (Some(50.0), Some(false))
        );
        c.post(
            "/api/v1/workplaces/W3/assessments",
            &admin,
            json!({"person_id": ids[2], "level": "1"}),
        )
        .await;
        let (_, o) = c.get("/api/v1/workplaces/W3/organizing", &admin).await;
        assert_eq!(o["majority"], true);
        assert_eq!(
            o["headcounts"][0],
            json!({"as_of": "2026-01-15", "headcount": 6})
        );
    }
);

on_both_backends!(
    founding_a_union_covers_the_workplace_and_counts_for_drives,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = mapped_tree(&c).await;
        let (s, b) = c
        .post("/api/v1/drives", &admin, json!({"code": "D", "name": "2024", "scope_unit_code": "P", "start_month": "2024-01",
            "end_month": "2024-12", "metrics": [{"kind": "new_units", "min_workers": 25}, {"kind": "new_members"}]}))
        .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        let (_, o) = c.get("/api/v1/workplaces/W3/organizing", &admin).await;
        let member = o["workers"][0]["id"].as_i64().unwrap();
        let (_, worker) = c
            .post(
                "/api/v1/workplaces/W3/workers",
                &admin,
                json!({"full_name": "Võ Thị Em"}),
            )
            .await;
        let worker = worker["id"].as_i64().unwrap();

        let d2 = c.login("d2-officer", Some("D2"), "officer").await;
        let (s, _) = c
            .post(
                "/api/v1/workplaces/W3/found-union",
                &d2,
                json!({"code": "G3", "name": "CĐCS W3"}),
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND, "not in the sibling's subtree");
        let (s, e) = c
            .post(
                "/api/v1/workplaces/W3/found-union",
                &admin,
                json!({"code": "G1", "name": "CĐCS W3"}),
            )
            .await;
        assert_eq!(
            (s, e["fields"]["code"].as_str()),
            (StatusCode::CONFLICT, Some("taken"))
        );
        let (s, e) = c
            .post(
                "/api/v1/workplaces/W3/found-union",
                &admin,
                json!({"code": "G3", "name": "CĐCS W3", "person_ids": [member + 1000]}),
            )
            .await;
        assert_eq!(
            (s, e["fields"]["person_ids"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("not_a_worker_here"))
        );
        let (_, units) = c.get("/api/v1/units", &admin).await;
        assert!(
            !units["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|u| u["code"] == "G3"),
            "nothing half-written"
        );

        let (s, f) = c
            .post(
                "/api/v1/workplaces/W3/found-union",
                &admin,
                json!({"code": "G3", "name": "CĐCS Công ty W3",
            "founded_on": "2024-06-01", "person_ids": [member, worker]}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{f}");
        let (_, unit) = c.get("/api/v1/units/G3", &admin).await;
        assert_eq!(
            (unit["parent_code"].as_str(), unit["level"].as_str()),
            (Some("D1"), Some("Grassroots"))
        );
        let (_, w) = c.get("/api/v1/workplaces/W3", &admin).await;
        assert_eq!(w["covering_unit_code"], "G3");
        for id in [member, worker] {
            let (_, m) = c.get(&format!("/api/v1/members/{id}"), &admin).await;
            assert_eq!(
                (m["unit_code"].as_str(), m["status"].as_str()),
                (Some("G3"), Some("active")),
                "{m}"
            );
        }
        let (_, o) = c.get("/api/v1/workplaces/W3/organizing", &admin).await;
        assert_eq!(o["members"], 2);
        let (_, p) = c
            .get("/api/v1/drives/D/progress?as_of=2024-12-31", &admin)
            .await;
        let units = &p["metrics"][0];
        assert_eq!(
            units["total"]["actual"], 1,
            "a new union in a workplace of 25+"
        );
        assert_eq!(units["children"][0]["unit_code"], "D1");
        assert_eq!(units["children"][0]["actual"], 1);
        let new = &p["metrics"][1];
        assert_eq!(
            new["total"]["actual"], 15,
            "14 joined in February, Em in June; the transfer adds nothing"
        );
        let (_, cov) = c.get("/api/v1/coverage", &admin).await;
        assert_eq!(cov["all"]["covered"], 4);
        let (s, e) = c
            .post(
                "/api/v1/workplaces/W3/found-union",
                &admin,
                json!({"code": "G5", "name": "again"}),
            )
            .await;
        assert_eq!(
            (s, e["fields"]["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("already_covered"))
        );
    }
);

on_both_backends!(
    organizing_and_founding_through_the_pages,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = mapped_tree(&c).await;
        for (name, dept) in [("Lê Thị Hoa", "Ca 1"), ("Trần Văn Bình", "Ca 2")] {
            c.post(
                "/api/v1/workplaces/W3/workers",
                &admin,
                json!({"full_name": name, "department": dept}),
            )
            .await;
        }
        c.login("d1-officer", Some("D1"), "officer").await;
        let me = c.session_cookie("d1-officer").await;
        let page = c.page("GET", "/workplaces/W3/organizing", &me, None).await;
        assert_eq!(page.status, StatusCode::OK);
        let csrf = crate::support::csrf_of(&page.body);
        let (_, o) = c.get("/api/v1/workplaces/W3/organizing", &admin).await;
        let hoa = o["workers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["full_name"] == "Lê Thị Hoa")
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let bad = c
            .page(
                "POST",
                "/workplaces/W3/organizing",
                &me,
                Some(&format!(
                    "csrf={csrf}&action=assess&person_id={hoa}&level=9"
                )),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("Choose a level from 1 to 5."));
        let ok = c
            .page(
                "POST",
                "/workplaces/W3/organizing",
                &me,
                Some(&format!(
                    "csrf={csrf}&action=assess&person_id={hoa}&level=1&note="
                )),
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        let wall = c.page("GET", "/workplaces/W3/wall", &me, None).await;
        assert!(wall.body.contains("Ca 1") && wall.body.contains("Ca 2"));
        assert!(
            wall.body.contains("level level-1"),
            "Hoa's card is coloured by her level"
        );
        let priority = c.page("GET", "/workplaces/priority", &me, None).await;
        assert!(
            priority.body.find("Công ty W4").unwrap() < priority.body.find("Công ty W1").unwrap()
        );
        let found = c
            .page(
                "POST",
                "/workplaces/W3/found",
                &me,
                Some(&format!("csrf={csrf}&code=G3&name=CĐCS+W3&p_{hoa}=on")),
            )
            .await;
        assert_eq!(
            (found.status, found.location.as_deref()),
            (StatusCode::SEE_OTHER, Some("/units/G3"))
        );
        let (_, m) = c.get(&format!("/api/v1/members/{hoa}"), &admin).await;
        assert_eq!(m["unit_code"], "G3");
        // The sibling district's officer gets nothing of W3.
        c.login("d2-officer", Some("D2"), "officer").await;
        let d2 = c.session_cookie("d2-officer").await;
        for path in [
            "/workplaces/W3/organizing",
            "/workplaces/W3/wall",
            "/workplaces/W3/found",
            "/workplaces/coverage?unit=D1",
        ] {
            assert_eq!(
                c.page("GET", path, &d2, None).await.status,
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }
        let list = c.page("GET", "/workplaces/priority", &d2, None).await;
        assert!(!list.body.contains("Công ty W4"));
    }
);
