//! Aid: a tree's currency and limits, budgets per unit and year, a request at a
//! district's desk decided by the district within its limit and by the province above
//! it, payments never above what was approved, an override of the budget that is
//! audited, purposes an organizer cannot read, the roll-up and the drive metric, and
//! nothing of another district.

use crate::on_both_backends;
use crate::support::{field_codes as fields, small_tree, Backend, Client};
use axum::http::StatusCode;
use serde_json::{json, Value};

fn money(v: &Value, key: &str) -> String {
    v[key].as_str().unwrap_or_default().to_string()
}

on_both_backends!(
    aid_is_decided_within_each_levels_limit_and_paid_within_what_was_approved,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let worker = c.login("d1-worker", Some("D1"), "case_worker").await;
        let organizer = c.login("d1-organizer", Some("D1"), "organizer").await;
        let d1 = c.login("d1-officer", Some("D1"), "officer").await;
        let province = c.login("p-officer", Some("P"), "officer").await;
        let d2 = c.login("d2-officer", Some("D2"), "officer").await;

        // The tree's currency and limits: bad input named, nothing saved.
        let (s, bad) = c
            .call(
                "PUT",
                "/api/v1/aid/settings",
                &province,
                Some(json!({"currency": "dong", "limits": {"Commune": "1", "District": "-5"}})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(
            fields(&bad),
            vec![
                ("currency".into(), "invalid_currency".into()),
                ("limits.Commune".into(), "unknown_level".into()),
            ]
        );
        let (_, before) = c.get("/api/v1/aid/settings", &worker).await;
        assert_eq!(before["currency"], "XXX");
        // Only the tree's top officer sets them.
        let settings =
            json!({"currency": "VND", "limits": {"District": "5.000.000", "Grassroots": ""}});
        let (s, _) = c
            .call("PUT", "/api/v1/aid/settings", &d1, Some(settings.clone()))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, set) = c
            .call("PUT", "/api/v1/aid/settings", &province, Some(settings))
            .await;
        assert_eq!(s, StatusCode::OK, "{set}");
        assert_eq!(
            set["limits"],
            json!([{"level": "Province", "amount": null}, {"level": "District", "amount": "5000000"},
                   {"level": "Grassroots", "amount": null}])
        );

        // Budgets: the district's and the province's for this year; no overlap.
        let year = muster_domain::Date::today().year();
        let budget = |unit: &str, amount: &str| {
            json!({"unit_code": unit, "label": year.to_string(), "starts_on": format!("{year}-01-01"),
                   "ends_on": format!("{year}-12-31"), "amount": amount})
        };
        let (s, b) = c
            .post("/api/v1/budgets", &worker, budget("D1", "10000000"))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{b}");
        let (s, b) = c
            .post("/api/v1/budgets", &d1, budget("D1", "10.000.000"))
            .await;
        assert_eq!(
            (s, money(&b, "amount")),
            (StatusCode::OK, "10000000".into()),
            "{b}"
        );
        let (s, b) = c
            .post(
                "/api/v1/budgets",
                &d1,
                json!({"unit_code": "D1", "label": "b", "starts_on": format!("{year}-06-01"),
                       "ends_on": format!("{}-05-31", year + 1), "amount": "1"}),
            )
            .await;
        assert_eq!(
            (s, fields(&b)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![("starts_on".into(), "overlapping_budget".into())]
            )
        );
        let (s, b) = c
            .post("/api/v1/budgets", &province, budget("P", "100000000"))
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        // Amounts are counted in đồng now: the currency no longer changes.
        let (s, no) = c
            .call(
                "PUT",
                "/api/v1/aid/settings",
                &province,
                Some(json!({"currency": "INR", "limits": {"District": "5000000"}})),
            )
            .await;
        assert_eq!(
            (s, fields(&no)),
            (
                StatusCode::CONFLICT,
                vec![("currency".into(), "currency_in_use".into())]
            )
        );

        // A walk-in's case at the district's desk, and aid asked on it.
        let (s, case) = c
            .post(
                "/api/v1/cases",
                &worker,
                json!({"unit_code": "D1", "case_type": "livelihood_aid",
                       "outside_name": "Võ Thị Hạnh", "outside_phone": "0912 345 678",
                       "subject": "Nhà bị sập sau bão"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{case}");
        let case = case["id"].as_i64().unwrap();
        let (s, bad) = c
            .post(
                "/api/v1/aid",
                &worker,
                json!({"case_id": case, "kind": "voucher", "amount": "-5", "purpose": " "}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(
            fields(&bad),
            vec![
                ("amount".into(), "negative_amount".into()),
                ("kind".into(), "invalid_aid_kind".into()),
                ("purpose".into(), "required".into()),
            ]
        );
        let (_, bad) = c
            .post(
                "/api/v1/aid",
                &worker,
                json!({"case_id": case, "amount": "1500.5", "purpose": "Sửa nhà"}),
            )
            .await;
        assert_eq!(
            fields(&bad),
            vec![("amount".into(), "too_many_decimals".into())]
        );
        let ask = |amount: &str| json!({"case_id": case, "amount": amount, "purpose": "Sửa mái nhà sau bão"});
        let (s, small) = c.post("/api/v1/aid", &worker, ask("3.000.000")).await;
        assert_eq!(s, StatusCode::CREATED, "{small}");
        assert_eq!(
            (
                small["waits_on"].as_str(),
                small["unit_code"].as_str(),
                small["name"].as_str()
            ),
            (Some("D1"), Some("D1"), Some("Võ Thị Hạnh"))
        );
        let (_, big) = c.post("/api/v1/aid", &worker, ask("8000000")).await;
        assert_eq!(
            big["waits_on"], "P",
            "above the district's limit: the province"
        );
        let (small, big) = (small["id"].as_i64().unwrap(), big["id"].as_i64().unwrap());
        let at = |id: i64, rest: &str| format!("/api/v1/aid/{id}{rest}");

        // The purpose is for case workers and officers; an organizer sees the amount.
        let (_, seen) = c.get(&at(small, ""), &organizer).await;
        assert_eq!(
            (seen["purpose"].clone(), seen["amount"].as_str()),
            (Value::Null, Some("3000000"))
        );
        let (_, seen) = c.get(&at(small, ""), &worker).await;
        assert_eq!(seen["purpose"], "Sửa mái nhà sau bão");
        let (_, listed) = c.get("/api/v1/aid", &organizer).await;
        assert!(listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["purpose"].is_null()));

        // Nothing is paid before it is approved.
        let (s, no) = c
            .post(
                &at(small, "/disbursements"),
                &worker,
                json!({"method": "cash"}),
            )
            .await;
        assert_eq!(
            (s, fields(&no)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![("status".into(), "not_approved".into())]
            )
        );
        // A case worker does not approve; the district approves within its limit only.
        let (s, _) = c.post(&at(small, "/approval"), &worker, json!({})).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (_, waiting) = c.get("/api/v1/aid?waiting=true", &d1).await;
        let ids: Vec<i64> = waiting["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, vec![small]);
        let (_, big_seen) = c.get(&at(big, ""), &d1).await;
        assert_eq!(big_seen["may_decide"], false);
        let (s, no) = c.post(&at(big, "/approval"), &d1, json!({})).await;
        assert_eq!(
            (s, fields(&no)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![("amount".into(), "above_limit".into())]
            )
        );
        let (s, no) = c
            .post(&at(big, "/rejection"), &d1, json!({"reason": "Quá nhiều"}))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{no}");
        let (s, no) = c
            .post(&at(small, "/approval"), &d1, json!({"amount": "3000001"}))
            .await;
        assert_eq!(
            (s, fields(&no)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![("amount".into(), "above_requested".into())]
            )
        );
        let (s, ok) = c.post(&at(small, "/approval"), &d1, json!({})).await;
        assert_eq!(s, StatusCode::OK, "{ok}");
        assert_eq!(
            (
                ok["status"].as_str(),
                ok["approved_by_unit"].as_str(),
                ok["to_pay"].as_str()
            ),
            (Some("approved"), Some("D1"), Some("3000000"))
        );
        let (s, again) = c.post(&at(small, "/approval"), &d1, json!({})).await;
        assert_eq!(
            (s, fields(&again)),
            (
                StatusCode::CONFLICT,
                vec![("status".into(), "not_waiting".into())]
            )
        );
        // The province decides what is above the district's limit, from its budget.
        let (_, waiting) = c.get("/api/v1/aid?waiting=true", &province).await;
        assert_eq!(waiting["items"][0]["id"].as_i64(), Some(big));
        let (s, ok) = c.post(&at(big, "/approval"), &province, json!({})).await;
        assert_eq!(
            (s, ok["approved_by_unit"].as_str()),
            (StatusCode::OK, Some("P")),
            "{ok}"
        );

        // Paid in two parts, never above what was approved, each with a receipt.
        let pay = |amount: Option<&str>, method: &str| match amount {
            Some(a) => json!({"method": method, "amount": a}),
            None => json!({"method": method, "reference": "VCB-2026-118"}),
        };
        let (s, no) = c
            .post(
                &at(small, "/disbursements"),
                &worker,
                pay(Some("4000000"), "cash"),
            )
            .await;
        assert_eq!(
            (s, fields(&no)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![("amount".into(), "above_approved".into())]
            )
        );
        let (s, part) = c
            .post(
                &at(small, "/disbursements"),
                &worker,
                pay(Some("1000000"), "cash"),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{part}");
        assert_eq!(
            (
                part["status"].as_str(),
                part["paid"].as_str(),
                part["to_pay"].as_str()
            ),
            (Some("approved"), Some("1000000"), Some("2000000"))
        );
        let (s, full) = c
            .post(&at(small, "/disbursements"), &worker, pay(None, "transfer"))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{full}");
        assert_eq!(
            (full["status"].as_str(), full["paid"].as_str()),
            (Some("disbursed"), Some("3000000"))
        );
        let (s, _) = c
            .post(
                &at(small, "/disbursements"),
                &worker,
                pay(Some("1"), "cash"),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        let receipt = full["payments"][1]["receipt"].as_str().unwrap().to_string();
        let (s, r) = c
            .get(&at(small, &format!("/receipts/{receipt}")), &organizer)
            .await;
        assert_eq!(s, StatusCode::OK, "{r}");
        assert_eq!(
            (
                r["amount"].as_str(),
                r["method"].as_str(),
                r["paid_by_unit"].as_str(),
                r["reference"].as_str(),
                r["name"].as_str()
            ),
            (
                Some("2000000"),
                Some("transfer"),
                Some("D1"),
                Some("VCB-2026-118"),
                Some("Võ Thị Hạnh")
            )
        );

        // Over the budget only with a reason, and the override is audited.
        let mut more = Vec::new();
        for _ in 0..2 {
            let (_, a) = c.post("/api/v1/aid", &worker, ask("4500000")).await;
            more.push(a["id"].as_i64().unwrap());
        }
        let (s, _) = c.post(&at(more[0], "/approval"), &d1, json!({})).await;
        assert_eq!(s, StatusCode::OK);
        let (s, no) = c.post(&at(more[1], "/approval"), &d1, json!({})).await;
        assert_eq!(
            (s, fields(&no)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![("override_reason".into(), "over_budget".into())]
            )
        );
        let (s, ok) = c
            .post(
                &at(more[1], "/approval"),
                &d1,
                json!({"override_reason": "Bão số 9: cả xã bị ảnh hưởng"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{ok}");
        assert_eq!(ok["override_reason"], "Bão số 9: cả xã bị ảnh hưởng");
        {
            let mut conn = c.app.db().read().await.unwrap();
            let trail = muster_store::audit::trail(&mut conn, "aid_request", more[1])
                .await
                .unwrap();
            let actions: Vec<&str> = trail.iter().map(|t| t.action.as_str()).collect();
            assert_eq!(actions, vec!["request", "approve", "override_budget"]);
        }
        let (_, budgets) = c.get("/api/v1/budgets?unit=D1", &d1).await;
        let b = &budgets["items"][0];
        assert_eq!(
            (
                money(b, "committed"),
                money(b, "paid"),
                money(b, "left"),
                b["over"].as_bool()
            ),
            (
                "12000000".into(),
                "3000000".into(),
                "-2000000".into(),
                Some(true)
            )
        );
        // A budget is not cut below what approvals committed.
        let (_, no) = c
            .post("/api/v1/budgets", &d1, budget("D1", "11000000"))
            .await;
        assert_eq!(
            fields(&no),
            vec![("amount".into(), "below_committed".into())]
        );
        // A request turned down by the province frees nothing to pay.
        let (_, last) = c.post("/api/v1/aid", &worker, ask("6000000")).await;
        let last = last["id"].as_i64().unwrap();
        let (s, no) = c.post(&at(last, "/rejection"), &province, json!({})).await;
        assert_eq!(
            fields(&no),
            vec![("reason".into(), "required".into())],
            "{s}"
        );
        let (s, _) = c
            .post(
                &at(last, "/rejection"),
                &province,
                json!({"reason": "Đã nhận hỗ trợ khác"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let (s, no) = c
            .post(&at(last, "/disbursements"), &worker, pay(None, "cash"))
            .await;
        assert_eq!(
            (s, fields(&no)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![("status".into(), "not_approved".into())]
            )
        );

        // The roll-up: asked at the district, approved and paid from each budget.
        let (s, r) = c
            .get(
                &format!("/api/v1/aid/rollup?unit=P&from={year}-01-01&to={year}-12-31"),
                &province,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{r}");
        let row = |code: &str| {
            r["rows"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["unit_code"] == code)
                .cloned()
                .unwrap()
        };
        let total = row("P");
        assert_eq!(
            (
                total["requests"].as_i64(),
                money(&total, "requested"),
                money(&total, "approved"),
                money(&total, "paid"),
                money(&total, "budget")
            ),
            (
                Some(5),
                "26000000".into(),
                "20000000".into(),
                "3000000".into(),
                "110000000".into()
            )
        );
        let district = row("D1");
        assert_eq!(
            (money(&district, "approved"), money(&district, "left")),
            ("12000000".into(), "-2000000".into())
        );
        assert_eq!(row("D2")["requests"], 0);

        // A drive counts aid paid, in whole đồng, at the unit whose budget paid it.
        let (s, d) = c
            .post(
                "/api/v1/drives",
                &admin,
                json!({"code": "AID", "name": "Hỗ trợ sau bão", "scope_unit_code": "P",
                       "start_month": format!("{year}-01"), "end_month": format!("{year}-12"),
                       "metrics": [{"kind": "aid_disbursed"}]}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{d}");
        let (_, p) = c
            .get(
                &format!("/api/v1/drives/AID/progress?as_of={year}-12-31"),
                &admin,
            )
            .await;
        assert_eq!(p["metrics"][0]["total"]["actual"].as_i64(), Some(3_000_000));

        // Another district sees none of it.
        for path in [
            at(small, ""),
            at(small, &format!("/receipts/{receipt}")),
            "/api/v1/budgets?unit=D1".to_string(),
            "/api/v1/aid/rollup?unit=D1".to_string(),
        ] {
            let (s, _) = c.get(&path, &d2).await;
            assert_eq!(s, StatusCode::NOT_FOUND, "{path}");
        }
        let (_, none) = c.get("/api/v1/aid", &d2).await;
        assert_eq!(none["items"], json!([]));
        let (s, _) = c
            .post(&at(more[0], "/disbursements"), &d2, pay(None, "cash"))
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (_, b) = c.get("/api/v1/budgets", &d2).await;
        assert_eq!(b["items"], json!([]));
    }
);

on_both_backends!(
    a_walk_ins_case_registers_them_with_the_duplicate_check,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let worker = c.login("d1-worker", Some("D1"), "case_worker").await;
        let d1 = c.login("d1-officer", Some("D1"), "officer").await;
        crate::support::add_member(
            &c,
            &admin,
            json!({"unit_code": "G1", "full_name": "Lê Văn Trọng", "phone": "0913 111 222"}),
        )
        .await;
        let open = |name: &str, phone: &str| {
            json!({"unit_code": "D1", "case_type": "legal_counseling", "outside_name": name,
                   "outside_phone": phone, "subject": "Hợp đồng lao động"})
        };
        let (_, same) = c
            .post("/api/v1/cases", &worker, open("Le Van Trong", "0913111222"))
            .await;
        let (_, new) = c
            .post("/api/v1/cases", &worker, open("Đỗ Thị Mai", "0987 000 111"))
            .await;
        let path = |v: &Value| format!("/api/v1/cases/{}/registration", v["id"]);
        // A case worker keeps cases, not the registry.
        let (s, _) = c.post(&path(&new), &worker, json!({})).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        // Someone like a registered member: nothing saved without a word.
        let (s, dup) = c.post(&path(&same), &d1, json!({})).await;
        assert_eq!(s, StatusCode::CONFLICT, "{dup}");
        assert!(dup.to_string().contains("Lê Văn Trọng"), "{dup}");
        let (_, still) = c.get(&format!("/api/v1/cases/{}", same["id"]), &d1).await;
        assert_eq!(still["person_id"], Value::Null);
        // Someone new joins at the case's desk, and the case becomes theirs.
        let (s, joined) = c.post(&path(&new), &d1, json!({"unit_code": "G1"})).await;
        assert_eq!(s, StatusCode::OK, "{joined}");
        let person = joined["person_id"].as_i64().expect("a member now");
        assert_eq!(joined["name"], "Đỗ Thị Mai");
        let (s, m) = c.get(&format!("/api/v1/members/{person}"), &d1).await;
        assert_eq!(s, StatusCode::OK, "{m}");
        let (s, again) = c.post(&path(&new), &d1, json!({})).await;
        assert_eq!(
            (s, fields(&again)),
            (
                StatusCode::CONFLICT,
                vec![("case".into(), "not_outside".into())]
            )
        );
    }
);
