//! Organizing drives: the roll-up arithmetic (a parent is its own figures plus its
//! children's, every month), exact target splits, months of both calendars, a transfer
//! counted once, reports and their review, overdue lists, exports, and scope.

use crate::on_both_backends;
use crate::support::{add_member, csrf_of, small_tree, Backend, Client, Sheet};
use axum::http::StatusCode;
use serde_json::{json, Value};

fn ints(v: &Value) -> Vec<i64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_i64().unwrap())
        .collect()
}

/// Every metric's unit total equals its own figures plus its children's, month by month.
fn assert_rolls_up(p: &Value) {
    for m in p["metrics"].as_array().unwrap() {
        let total = ints(&m["total"]["monthly"]);
        let mut sum = ints(&m["own"]["monthly"]);
        for c in m["children"].as_array().unwrap() {
            for (s, x) in sum.iter_mut().zip(ints(&c["monthly"])) {
                *s += x;
            }
        }
        assert_eq!(total, sum, "{}", m["metric"]);
        let actual: i64 = m["children"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["actual"].as_i64().unwrap())
            .sum::<i64>()
            + m["own"]["actual"].as_i64().unwrap();
        assert_eq!(m["total"]["actual"].as_i64().unwrap(), actual);
    }
}

/// The metric of `kind` (and, for informal work, category) in a progress answer.
fn metric<'a>(p: &'a Value, kind: &str, extra: Option<(&str, Value)>) -> &'a Value {
    p["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| {
            m["metric"]["kind"] == kind
                && extra.as_ref().is_none_or(|(k, v)| m["metric"][*k] == *v)
                && (extra.is_some()
                    || (m["metric"]["informal_category"].is_null()
                        && m["metric"]["min_workers"].is_null()))
        })
        .unwrap_or_else(|| panic!("no metric {kind}"))
}

fn child<'a>(m: &'a Value, code: &str) -> &'a Value {
    m["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["unit_code"] == code)
        .unwrap()
}

async fn progress(
    c: &Client,
    token: &str,
    drive: &str,
    unit: Option<&str>,
    as_of: &str,
) -> (StatusCode, Value) {
    let unit = unit.map(|u| format!("&unit={u}")).unwrap_or_default();
    c.get(
        &format!("/api/v1/drives/{drive}/progress?as_of={as_of}{unit}"),
        token,
    )
    .await
}

fn drive_2024(code: &str) -> Value {
    json!({
        "code": code, "name": "Phát triển đoàn viên 2024", "names": {"en": "Member development 2024"},
        "scope_unit_code": "P", "start_month": "2024-01", "end_month": "2024-12",
        "metrics": [
            {"kind": "new_members"},
            {"kind": "new_informal"},
            {"kind": "new_informal", "informal_category": "construction"},
            {"kind": "net_change"},
            {"kind": "new_units"},
            {"kind": "new_units", "min_workers": 25},
            {"kind": "custom", "name": "Outstanding members referred", "names": {"vi": "Đoàn viên ưu tú được giới thiệu"}}
        ]
    })
}

on_both_backends!(
    progress_rolls_up_and_counts_a_transfer_once,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        // One drive before anything happens (counted as it happens), one after (counted
        // from what is stored): both must tell the same story.
        let (status, before) = c.post("/api/v1/drives", &admin, drive_2024("EARLY")).await;
        assert_eq!(status, StatusCode::CREATED, "{before}");
        let member = |unit: &str, name: &str, joined: &str, informal: Option<&str>| {
            let mut body = json!({"unit_code": unit, "full_name": name, "joined_on": joined});
            if let Some(category) = informal {
                body["employment_type"] = json!("informal");
                body["informal_category"] = json!(category);
            }
            body
        };
        add_member(
            &c,
            &admin,
            member("G1", "Nguyễn Văn An", "2024-02-10", None),
        )
        .await;
        add_member(
            &c,
            &admin,
            member("G1", "Trần Thị Bích", "2024-03-05", Some("construction")),
        )
        .await;
        let moved = add_member(&c, &admin, member("G1", "Lê Văn Cường", "2024-05-20", None)).await;
        add_member(
            &c,
            &admin,
            member("G2", "Phạm Thị Dung", "2024-04-15", Some("domestic")),
        )
        .await;
        let quits = add_member(&c, &admin, member("G2", "Võ Văn Em", "2023-12-20", None)).await;
        add_member(
            &c,
            &admin,
            member("D1", "Đặng Thị Phương", "2024-02-01", None),
        )
        .await;
        add_member(
            &c,
            &admin,
            member("P", "Huỳnh Văn Giang", "2024-09-09", None),
        )
        .await;
        let (s, _) = c
            .post(
                &format!("/api/v1/members/{moved}/transfer"),
                &admin,
                json!({"to_unit_code": "G2", "on": "2024-07-01"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let (s, _) = c
            .post(
                &format!("/api/v1/members/{quits}/status"),
                &admin,
                json!({"status": "resigned", "on": "2024-06-10"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        // Two unions founded in the period: one in a workplace of 30, one of 10.
        for (code, parent, founded, workplace, workers) in [
            ("G3", "D1", "2024-08-15", "W1", 30),
            ("G4", "D2", "2024-10-01", "W2", 10),
        ] {
            let (s, b) = c
                .post(
                    "/api/v1/units",
                    &admin,
                    json!({"parent_code": parent, "code": code, "level": "Grassroots",
                    "name": format!("CĐCS {code}"), "founded_on": founded}),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{b}");
            let (s, b) = c
                .post(
                    "/api/v1/workplaces",
                    &admin,
                    json!({"code": workplace, "name": format!("Công ty {workplace}"),
                    "unit_code": parent, "headcount": workers, "covering_unit_code": code}),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{b}");
        }
        let (status, after) = c.post("/api/v1/drives", &admin, drive_2024("LATE")).await;
        assert_eq!(status, StatusCode::CREATED, "{after}");

        let (s, early) = progress(&c, &admin, "EARLY", None, "2024-12-31").await;
        assert_eq!(s, StatusCode::OK, "{early}");
        let (_, late) = progress(&c, &admin, "LATE", None, "2024-12-31").await;
        for (a, b) in early["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .zip(late["metrics"].as_array().unwrap())
        {
            for part in ["total", "own", "children"] {
                assert_eq!(
                    a[part], b[part],
                    "{}: counted as it happened = counted afterwards",
                    a["metric"]["kind"]
                );
            }
        }
        let p = &late;
        assert_rolls_up(p);
        assert_eq!(p["months_begun"], 12);

        let new = metric(p, "new_members", None);
        assert_eq!(
            new["total"]["actual"], 6,
            "the transferred member counts once"
        );
        assert_eq!(
            ints(&new["total"]["monthly"]),
            vec![0, 2, 1, 1, 1, 0, 0, 0, 1, 0, 0, 0]
        );
        assert_eq!(child(new, "D1")["actual"], 4);
        assert_eq!(child(new, "D2")["actual"], 1);
        assert_eq!(new["own"]["actual"], 1);
        assert_eq!(metric(p, "new_informal", None)["total"]["actual"], 2);
        let construction = metric(
            p,
            "new_informal",
            Some(("informal_category", json!("construction"))),
        );
        assert_eq!(construction["total"]["actual"], 1);
        let net = metric(p, "net_change", None);
        assert_eq!(net["total"]["actual"], 5);
        assert_eq!(child(net, "D1")["actual"], 3);
        assert_eq!(child(net, "D2")["actual"], 1);
        assert_eq!(
            ints(&child(net, "D1")["monthly"])[6],
            -1,
            "transferred out in July"
        );
        assert_eq!(metric(p, "new_units", None)["total"]["actual"], 2);
        let large = metric(p, "new_units", Some(("min_workers", json!(25))));
        assert_eq!(large["total"]["actual"], 1);
        assert_eq!(child(large, "D1")["actual"], 1);

        // Inside a district: D1's own figures and its grassroots unions.
        let (_, d1) = progress(&c, &admin, "LATE", Some("D1"), "2024-12-31").await;
        assert_rolls_up(&d1);
        let d1_new = metric(&d1, "new_members", None);
        assert_eq!(d1_new["own"]["actual"], 1);
        assert_eq!(child(d1_new, "G1")["actual"], 3);

        // Targets: the province's split by members is exact, and a partial split by
        // hand is flagged.
        let id = new["metric"]["id"].as_i64().unwrap();
        let (s, b) = c
            .call(
                "PUT",
                "/api/v1/drives/LATE/targets/P",
                &admin,
                Some(json!({"metric_id": id, "target": 10})),
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{b}");
        let (s, split) = c
            .post(
                "/api/v1/drives/LATE/targets/P/split",
                &admin,
                json!({"metric_id": id, "method": "members"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{split}");
        // Active members: D1 three (An, Bích, Phương), D2 two (Dung, Cường).
        assert_eq!(
            split["targets"],
            json!([{"unit_code": "D1", "target": 6}, {"unit_code": "D2", "target": 4}])
        );
        let (s, _) = c
            .post(
                "/api/v1/drives/LATE/targets/D1/split",
                &admin,
                json!({"metric_id": id, "method": "manual", "targets": {"G1": 5}}),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let (_, p) = progress(&c, &admin, "LATE", None, "2024-12-31").await;
        let new = metric(&p, "new_members", None);
        assert_eq!(new["total"]["target"], 10);
        assert_eq!(new["children_target_sum"], 10);
        assert_eq!(new["targets_mismatch"], false);
        assert_eq!(new["total"]["standing"], "at_risk");
        assert_eq!(new["total"]["percent"], 60.0);
        let (_, d1) = progress(&c, &admin, "LATE", Some("D1"), "2024-12-31").await;
        let d1_new = metric(&d1, "new_members", None);
        assert_eq!(
            d1_new["targets_mismatch"], true,
            "G3 has no target and 5 ≠ 6"
        );
        // Half way through the year, the same figures read differently.
        let (_, mid) = progress(&c, &admin, "LATE", None, "2024-06-30").await;
        let new = metric(&mid, "new_members", None);
        assert_eq!(new["total"]["actual"], 5);
        assert_eq!(new["total"]["pace_needed"], 1);
        assert_eq!(new["total"]["standing"], "on_track");

        let (s, bad) = c
            .post(
                "/api/v1/drives/LATE/targets/G1/split",
                &admin,
                json!({"metric_id": id, "method": "members"}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad["fields"]["method"], "no_children");
    }
);

on_both_backends!(
    solar_hijri_months_are_counted_exactly,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let (status, d) = c
            .post("/api/v1/drives", &admin, json!({"code": "MK-1403", "name": "طرح جذب عضو ۱۴۰۳",
                "scope_unit_code": "P", "calendar": "persian", "start_month": "۱۴۰۳/۰۱", "end_month": "1403-03",
                "metrics": [{"kind": "new_members"}]}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{d}");
        assert_eq!(
            (d["starts_on"].as_str(), d["ends_on"].as_str()),
            (Some("2024-03-20"), Some("2024-06-21"))
        );
        // 1402/12/29, 1403/01/01, 1403/01/31, 1403/02/01, 1403/03/31.
        for (i, day) in [
            "2024-03-19",
            "2024-03-20",
            "2024-04-19",
            "2024-04-20",
            "2024-06-20",
        ]
        .iter()
        .enumerate()
        {
            add_member(
                &c,
                &admin,
                json!({"unit_code": "G1", "full_name": format!("علی حسینی {i}"), "joined_on": day}),
            )
            .await;
        }
        let (_, p) = progress(&c, &admin, "MK-1403", None, "2024-07-01").await;
        assert_eq!(p["months"], json!(["1403-01", "1403-02", "1403-03"]));
        assert_eq!(
            p["month_starts"],
            json!(["2024-03-20", "2024-04-20", "2024-05-21"])
        );
        assert_eq!(
            ints(&metric(&p, "new_members", None)["total"]["monthly"]),
            vec![2, 1, 1]
        );
        assert_rolls_up(&p);

        for (body, field, code) in [
            (
                json!({"start_month": "1403-13", "end_month": "1403-12"}),
                "start_month",
                "invalid_month",
            ),
            (
                json!({"start_month": "1403-05", "end_month": "1403-02"}),
                "end_month",
                "end_before_start",
            ),
            (json!({"calendar": "lunar"}), "calendar", "invalid_calendar"),
            (json!({"metrics": []}), "metrics", "required"),
            (
                json!({"metrics": [{"kind": "members"}]}),
                "metrics.0.kind",
                "invalid_metric_kind",
            ),
            (
                json!({"metrics": [{"kind": "custom"}]}),
                "metrics.0.name",
                "required",
            ),
            (
                json!({"scope_unit_code": "NOPE"}),
                "scope_unit_code",
                "unknown_unit",
            ),
        ] {
            let mut input = json!({"code": "X1", "name": "x", "scope_unit_code": "P", "calendar": "persian",
                "start_month": "1403-01", "end_month": "1403-12", "metrics": [{"kind": "new_members"}]});
            for (k, v) in body.as_object().unwrap() {
                input[k] = v.clone();
            }
            let (s, e) = c.post("/api/v1/drives", &admin, input).await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
            assert_eq!(e["fields"][field], code, "{e}");
        }
        let (_, list) = c.get("/api/v1/drives", &admin).await;
        assert_eq!(
            list["items"].as_array().unwrap().len(),
            1,
            "nothing half-written"
        );

        // Renamed and given more days to report, by someone over the drive's unit only.
        let (s, d) = c
            .patch(
                "/api/v1/drives/MK-1403",
                &admin,
                json!({"names": {"en": "Membership plan 1403"}, "report_due_days": 10}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{d}");
        assert_eq!(
            (d["names"]["en"].as_str(), d["report_due_days"].as_i64()),
            (Some("Membership plan 1403"), Some(10))
        );
        assert_eq!(d["name"], "طرح جذب عضو ۱۴۰۳", "absent fields stay");
        let district = c.login("d1-officer", Some("D1"), "officer").await;
        let (s, _) = c
            .patch("/api/v1/drives/MK-1403", &district, json!({"name": "mine"}))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, e) = c
            .patch(
                "/api/v1/drives/MK-1403",
                &admin,
                json!({"report_due_days": 99}),
            )
            .await;
        assert_eq!(
            (s, e["fields"]["report_due_days"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("out_of_range"))
        );
    }
);

on_both_backends!(
    reports_are_filed_reviewed_and_chased_within_the_subtree,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let (s, d) = c
            .post("/api/v1/drives", &admin, json!({"code": "R", "name": "Reports", "scope_unit_code": "P",
                "start_month": "2024-01", "end_month": "2024-06", "report_due_days": 5,
                "metrics": [{"kind": "new_members"}, {"kind": "custom", "name": "Referred", "unit_of_measure": "people"}]}))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{d}");
        let custom = d["metrics"][1]["id"].as_i64().unwrap();
        let g1 = c.login("g1-organizer", Some("G1"), "organizer").await;
        let d1 = c.login("d1-officer", Some("D1"), "officer").await;
        let d2 = c.login("d2-officer", Some("D2"), "officer").await;
        let url = "/api/v1/drives/R/reports/G1/2024-02";

        let (s, e) = c
            .call(
                "PUT",
                url,
                &g1,
                Some(json!({"narrative": "x", "figures": {custom.to_string(): "a few"}})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(e["fields"][format!("figures.{custom}")], "invalid_number");
        let (s, e) = c
            .call("PUT", url, &g1, Some(json!({"narrative": "x"})))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(e["fields"][format!("figures.{custom}")], "required");
        let (s, r) = c
            .call("PUT", url, &g1, Some(json!({"narrative": "Hai buổi tuyên truyền", "figures": {custom.to_string(): "۳"}})))
            .await;
        assert_eq!(s, StatusCode::OK, "{r}");
        assert_eq!(
            (
                r["status"].as_str(),
                r["figures"][custom.to_string()].as_i64()
            ),
            (Some("submitted"), Some(3))
        );
        let custom_total = |p: &Value| {
            metric(p, "custom", None)["total"]["actual"]
                .as_i64()
                .unwrap()
        };
        let (_, p) = progress(&c, &admin, "R", None, "2024-06-30").await;
        assert_eq!(custom_total(&p), 3);
        assert_eq!(child(metric(&p, "custom", None), "D1")["actual"], 3);
        assert_rolls_up(&p);

        // The reporting unit cannot review itself; a sibling district sees nothing.
        let review = format!("{url}/review");
        let (s, _) = c.post(&review, &g1, json!({"status": "accepted"})).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        assert_eq!(c.get(url, &d2).await.0, StatusCode::NOT_FOUND);
        assert_eq!(
            c.post(&review, &d2, json!({"status": "accepted"})).await.0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            progress(&c, &d2, "R", Some("D1"), "2024-06-30").await.0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            progress(&c, &d2, "R", Some("G1"), "2024-06-30").await.0,
            StatusCode::NOT_FOUND
        );
        let (_, reports) = c.get("/api/v1/drives/R/reports", &d2).await;
        assert_eq!(reports["items"], json!([]));
        let (_, mine) = progress(&c, &d2, "R", None, "2024-06-30").await;
        assert_eq!(
            mine["path"],
            json!([{"code": "D2", "name": "Huyện Ba Tri"}])
        );
        assert_eq!(custom_total(&mine), 0);

        // Returned with a comment: the figures stop counting until filed again.
        let (s, e) = c.post(&review, &d1, json!({"status": "returned"})).await;
        assert_eq!(
            (s, e["fields"]["comment"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("required"))
        );
        let (s, r) = c
            .post(
                &review,
                &d1,
                json!({"status": "returned", "comment": "Nêu tên doanh nghiệp"}),
            )
            .await;
        assert_eq!(
            (s, r["status"].as_str()),
            (StatusCode::OK, Some("returned"))
        );
        assert_eq!(
            custom_total(&progress(&c, &admin, "R", None, "2024-06-30").await.1),
            0
        );
        let (s, _) = c.call("PUT", url, &g1, Some(json!({"narrative": "Công ty May Phú Thành", "figures": {custom.to_string(): "4"}}))).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(
            custom_total(&progress(&c, &admin, "R", None, "2024-06-30").await.1),
            4
        );
        let (s, r) = c.post(&review, &d1, json!({"status": "accepted"})).await;
        assert_eq!(
            (s, r["status"].as_str(), r["reviewed_by"].as_str()),
            (StatusCode::OK, Some("accepted"), Some("d1-officer"))
        );
        // The list carries each report's unit and figures.
        let (_, list) = c.get("/api/v1/drives/R/reports", &d1).await;
        let item = &list["items"][0];
        assert_eq!(
            (item["unit_code"].as_str(), item["unit_name"].as_str()),
            (Some("G1"), Some("CĐCS May Phú Thành"))
        );
        assert_eq!(item["figures"][custom.to_string()], 4);
        let (s, e) = c
            .call(
                "PUT",
                url,
                &g1,
                Some(json!({"figures": {custom.to_string(): "9"}})),
            )
            .await;
        assert_eq!(
            (s, e["fields"]["status"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("already_accepted"))
        );
        assert_eq!(
            custom_total(&progress(&c, &admin, "R", None, "2024-06-30").await.1),
            4
        );
        let (s, e) = c
            .call(
                "PUT",
                "/api/v1/drives/R/reports/G1/2024-07",
                &g1,
                Some(json!({})),
            )
            .await;
        assert_eq!(
            (s, e["fields"]["month"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("outside_period"))
        );

        // On 10 March, January and February are due: four units below the province,
        // one report filed and accepted.
        let (_, overdue) = c
            .get("/api/v1/drives/R/reports/overdue?as_of=2024-03-10", &admin)
            .await;
        let items = overdue["items"].as_array().unwrap();
        assert_eq!(items.len(), 7, "{overdue}");
        assert!(!items
            .iter()
            .any(|o| o["unit_code"] == "G1" && o["month"] == "2024-02"));
        assert_eq!(items[0]["due_on"], "2024-02-05");
        let (_, overdue) = c
            .get("/api/v1/drives/R/reports/overdue?as_of=2024-03-10", &d1)
            .await;
        let units: Vec<&str> = overdue["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["unit_code"].as_str().unwrap())
            .collect();
        assert_eq!(units, vec!["D1", "D1", "G1"]);

        // A month that has not begun cannot be reported.
        let (s, _) = c
            .post("/api/v1/drives", &admin, json!({"code": "FUTURE", "name": "Later", "scope_unit_code": "P",
                "start_month": "2099-01", "end_month": "2099-02", "metrics": [{"kind": "new_members"}]}))
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let (s, e) = c
            .call(
                "PUT",
                "/api/v1/drives/FUTURE/reports/G1/2099-01",
                &g1,
                Some(json!({})),
            )
            .await;
        assert_eq!(
            (s, e["fields"]["month"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("not_begun"))
        );
    }
);

on_both_backends!(
    dashboard_and_exports_show_the_same_numbers,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let (s, _) = c
            .post("/api/v1/drives", &admin, drive_2024("BT-2024"))
            .await;
        assert_eq!(s, StatusCode::CREATED);
        for (unit, day) in [
            ("G1", "2024-02-10"),
            ("G1", "2024-03-11"),
            ("G2", "2024-04-12"),
            ("D1", "2024-05-13"),
        ] {
            add_member(
                &c,
                &admin,
                json!({"unit_code": unit, "full_name": format!("Nguyễn {day}"), "joined_on": day}),
            )
            .await;
        }
        let (_, p) = progress(&c, &admin, "BT-2024", None, "2024-12-31").await;
        let id = metric(&p, "new_members", None)["metric"]["id"]
            .as_i64()
            .unwrap();
        c.call(
            "PUT",
            "/api/v1/drives/BT-2024/targets/P",
            &admin,
            Some(json!({"metric_id": id, "target": 20})),
        )
        .await;
        c.post(
            "/api/v1/drives/BT-2024/targets/P/split",
            &admin,
            json!({"metric_id": id, "method": "manual",
            "targets": {"D1": 12, "D2": 9}}),
        )
        .await;

        c.login("province", Some("P"), "officer").await;
        let me = c.session_cookie("province").await;
        let page = c.page("GET", "/drives/BT-2024", &me, None).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("Huyện Châu Thành") && page.body.contains("Huyện Ba Tri"));
        assert!(
            page.body
                .contains("The targets of the units below add up to 21, not 20."),
            "mismatch warning"
        );
        assert!(page.body.contains("<svg"), "charts");
        let pos = |body: &str, name: &str| body.find(&format!(">{name}<")).unwrap();
        assert!(
            pos(&page.body, "Huyện Châu Thành") < pos(&page.body, "Huyện Ba Tri"),
            "unit order"
        );
        let sorted = c
            .page("GET", "/drives/BT-2024?sort=standing", &me, None)
            .await;
        assert!(
            pos(&sorted.body, "Huyện Ba Tri") < pos(&sorted.body, "Huyện Châu Thành"),
            "at 11% of its target Ba Tri comes before Châu Thành at 25%"
        );
        assert!(
            !page.body.contains("Directly in"),
            "the province's own row is left out when empty"
        );

        let csv = c.page("GET", "/drives/BT-2024/export.csv", &me, None).await;
        assert_eq!(csv.status, StatusCode::OK);
        let rows: Vec<Vec<&str>> = csv
            .body
            .trim_start_matches('\u{feff}')
            .lines()
            .map(|l| l.split(',').collect())
            .collect();
        assert_eq!(rows[0][0], "Metric");
        let new_members: Vec<&Vec<&str>> = rows.iter().filter(|r| r[0] == "New members").collect();
        // Total, D1, D2, then the province's own row: D1 3 (two in G1, one in D1 itself), D2 1.
        let figures: Vec<(&str, &str, &str)> =
            new_members.iter().map(|r| (r[1], r[4], r[5])).collect();
        assert_eq!(
            figures,
            vec![
                ("P", "4", "20"),
                ("D1", "3", "12"),
                ("D2", "1", "9"),
                ("P", "0", "")
            ]
        );
        let (_, d1) = progress(&c, &admin, "BT-2024", Some("D1"), "2024-12-31").await;
        assert_eq!(metric(&d1, "new_members", None)["total"]["actual"], 3);

        let xlsx = c
            .page("GET", "/drives/BT-2024/export.xlsx?unit=D1", &me, None)
            .await;
        assert_eq!(xlsx.status, StatusCode::OK);
        let sheet = Sheet::read(&xlsx.bytes);
        assert_eq!(
            sheet.cells[1][4],
            calamine::Data::Float(3.0),
            "D1's total, a number"
        );
        assert!(sheet
            .cells
            .iter()
            .flatten()
            .any(|c| matches!(c, calamine::Data::String(s) if s == "CĐCS May Phú Thành")));
        assert!(
            sheet.xml.contains("state=\"frozen\""),
            "the header stays in view"
        );
        assert!(sheet.xml.contains("<autoFilter"), "the header filters");
        assert!(
            !sheet.xml.contains("rightToLeft"),
            "a Vietnamese sheet reads left to right"
        );

        // Persian reader: right to left, Persian digits in the table.
        let csrf = csrf_of(&c.page("GET", "/settings", &me, None).await.body);
        c.page(
            "POST",
            "/language",
            &me,
            Some(&format!("lang=fa&csrf={csrf}")),
        )
        .await;
        let fa = c.page("GET", "/drives/BT-2024", &me, None).await;
        assert!(fa.body.contains("dir=\"rtl\""));
        assert!(fa.body.contains("۲۰"), "the target in Persian digits");
        let fa_csv = c.page("GET", "/drives/BT-2024/export.csv", &me, None).await;
        assert!(
            fa_csv.body.contains(",4,20,"),
            "numbers stay numbers for spreadsheets"
        );
        let fa_xlsx = c
            .page("GET", "/drives/BT-2024/export.xlsx", &me, None)
            .await;
        let fa_sheet = Sheet::read(&fa_xlsx.bytes);
        assert!(
            fa_sheet.xml.contains("rightToLeft=\"1\""),
            "a Persian sheet reads right to left"
        );
        assert_eq!(
            fa_sheet.cells[1][4],
            calamine::Data::Float(4.0),
            "numbers stay numbers"
        );

        // A sibling district's officer gets nothing of D1, on pages and exports.
        c.login("d2-officer", Some("D2"), "officer").await;
        let d2 = c.session_cookie("d2-officer").await;
        for path in [
            "/drives/BT-2024?unit=D1",
            "/drives/BT-2024/export.csv?unit=G1",
            "/drives/BT-2024/targets?unit=D1",
            "/drives/BT-2024/reports/G1/2024-02",
        ] {
            assert_eq!(
                c.page("GET", path, &d2, None).await.status,
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }
        let own = c.page("GET", "/drives/BT-2024", &d2, None).await;
        assert!(own.body.contains("Huyện Ba Tri") && !own.body.contains("Huyện Châu Thành"));
        let csv = c.page("GET", "/drives/BT-2024/export.csv", &d2, None).await;
        assert!(!csv.body.contains("D1") && !csv.body.contains("G1"));
    }
);

on_both_backends!(
    drives_are_created_and_targets_split_through_the_pages,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        add_member(
            &c,
            &admin,
            json!({"unit_code": "G1", "full_name": "Nguyễn Văn An", "joined_on": "2024-05-15"}),
        )
        .await;
        c.login("province", Some("P"), "officer").await;
        let me = c.session_cookie("province").await;
        let form = c.page("GET", "/drives/new", &me, None).await;
        let csrf = csrf_of(&form.body);
        let bad = c
            .page("POST", "/drives/new", &me, Some(&format!("csrf={csrf}&code=D24&name=Drive&scope_unit_code=P&calendar=gregorian&start_month=2024-13&end_month=2024-12&m_new_members=on&custom_0_name=Referred")))
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.body.contains("Write the month as year and month"),
            "{}",
            bad.body
        );
        assert!(
            bad.body.contains("value=\"Referred\""),
            "what was typed is kept"
        );
        let ok = c
            .page("POST", "/drives/new", &me, Some(&format!("csrf={csrf}&code=D24&name=Drive&scope_unit_code=P&calendar=gregorian&start_month=2024-01&end_month=2024-12&m_new_members=on&custom_0_name=Referred&report_due_days=5")))
            .await;
        assert_eq!(
            (ok.status, ok.location.as_deref()),
            (StatusCode::SEE_OTHER, Some("/drives/D24"))
        );
        let (_, d) = c.get("/api/v1/drives/D24", &admin).await;
        let id = d["metrics"][0]["id"].as_i64().unwrap();
        let saved = c
            .page(
                "POST",
                "/drives/D24/targets",
                &me,
                Some(&format!(
                    "csrf={csrf}&unit=P&metric={id}&action=set&target=۱۰"
                )),
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        let split = c
            .page(
                "POST",
                "/drives/D24/targets",
                &me,
                Some(&format!("csrf={csrf}&unit=P&metric={id}&action=members")),
            )
            .await;
        assert_eq!(split.status, StatusCode::SEE_OTHER);
        let (_, p) = progress(&c, &admin, "D24", None, "2024-12-31").await;
        let m = metric(&p, "new_members", None);
        assert_eq!(
            (
                child(m, "D1")["target"].as_i64(),
                child(m, "D2")["target"].as_i64()
            ),
            (Some(10), Some(0))
        );
        // The province officer cannot set a district's target from the district's seat.
        c.login("district", Some("D1"), "officer").await;
        let dm = c.session_cookie("district").await;
        let refused = c
            .page(
                "POST",
                "/drives/D24/targets",
                &dm,
                Some(&format!(
                    "csrf={}&unit=D1&metric={id}&action=set&target=99",
                    csrf_of(&c.page("GET", "/drives/D24", &dm, None).await.body)
                )),
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        // Filing a report through the page.
        let custom = d["metrics"][1]["id"].as_i64().unwrap();
        let filed = c
            .page(
                "POST",
                "/drives/D24/reports/D1/2024-03",
                &dm,
                Some(&format!(
                    "csrf={}&figure_{custom}=2&narrative=Met+two+factories",
                    csrf_of(
                        &c.page("GET", "/drives/D24/reports/D1/2024-03", &dm, None)
                            .await
                            .body
                    )
                )),
            )
            .await;
        assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
        let report = c
            .page("GET", "/drives/D24/reports/D1/2024-03", &me, None)
            .await;
        assert!(report.body.contains("Met two factories") && report.body.contains("Accept"));
    }
);

on_both_backends!(
    moving_a_unit_keeps_every_drive_exact,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let levels = ["Province", "District", "Grassroots", "Group"];
        let admin = crate::support::small_tree_of_levels(&c, &levels).await;
        for (code, scope) in [("PROVINCE", "P"), ("DISTRICT", "D1")] {
            let mut d = drive_2024(code);
            d["scope_unit_code"] = json!(scope);
            let (s, b) = c.post("/api/v1/drives", &admin, d).await;
            assert_eq!(s, StatusCode::CREATED, "{b}");
        }
        for (unit, day) in [
            ("G1", "2024-02-10"),
            ("G1", "2024-03-11"),
            ("G2", "2024-04-12"),
            ("D1", "2024-05-13"),
        ] {
            add_member(
                &c,
                &admin,
                json!({"unit_code": unit, "full_name": format!("Nguyễn {day}"), "joined_on": day}),
            )
            .await;
        }
        let (s, b) = c
            .post(
                "/api/v1/units",
                &admin,
                json!({"parent_code": "G1", "code": "G1A", "level": "Group",
                "name": "Tổ công đoàn mới", "founded_on": "2024-06-01"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        // G1 (with the new unit under it) moves to the other district: inside the
        // province's drive, out of the district's.
        let (s, b) = c
            .post(
                "/api/v1/units/G1/move",
                &admin,
                json!({"parent_code": "D2"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let (s, b) = c
            .post("/api/v1/drives", &admin, drive_2024("RECOUNTED"))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");

        let (_, kept) = progress(&c, &admin, "PROVINCE", None, "2024-12-31").await;
        let (_, fresh) = progress(&c, &admin, "RECOUNTED", None, "2024-12-31").await;
        assert_rolls_up(&kept);
        for (a, b) in kept["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .zip(fresh["metrics"].as_array().unwrap())
        {
            for part in ["total", "own", "children"] {
                assert_eq!(a[part], b[part], "{} {part}", a["metric"]["kind"]);
            }
        }
        let new = metric(&kept, "new_members", None);
        assert_eq!(
            (
                child(new, "D1")["actual"].as_i64(),
                child(new, "D2")["actual"].as_i64()
            ),
            (Some(1), Some(3))
        );
        assert_eq!(
            child(metric(&kept, "new_units", None), "D2")["actual"],
            1,
            "G1A counts for G1, now inside D2"
        );
        let (_, g1) = progress(&c, &admin, "PROVINCE", Some("G1"), "2024-12-31").await;
        assert_eq!(metric(&g1, "new_units", None)["own"]["actual"], 1);
        let (_, district) = progress(&c, &admin, "DISTRICT", None, "2024-12-31").await;
        assert_rolls_up(&district);
        assert_eq!(
            metric(&district, "new_members", None)["total"]["actual"],
            1,
            "only D1's own member is left"
        );
        assert_eq!(metric(&district, "new_units", None)["total"]["actual"], 0);
    }
);
