//! Benefit schemes: rules written as data and refused line by line, the worklist of a
//! district's members who are eligible and not enrolled, enrollments (someone the rule
//! does not admit only with a reason), figures per subtree, milestones, and nothing of
//! another district.

use crate::on_both_backends;
use crate::support::{add_member, field_codes as fields, small_tree, Backend, Client};
use axum::http::StatusCode;
use serde_json::{json, Value};

fn names(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap().to_string())
        .collect()
}

on_both_backends!(
    a_schemes_rule_makes_a_worklist_and_enrollments_take_people_off_it,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let province = c.login("p-officer", Some("P"), "officer").await;
        let d1 = c.login("d1-officer", Some("D1"), "officer").await;
        let organizer = c.login("d1-organizer", Some("D1"), "organizer").await;
        let viewer = c.login("d1-viewer", Some("D1"), "viewer").await;
        let d2 = c.login("d2-officer", Some("D2"), "officer").await;
        let member = |unit: &str, name: &str, gender: &str, born: &str, work: &str| {
            json!({"unit_code": unit, "full_name": name, "gender": gender, "birth_date": born,
                   "employment_type": work, "informal_category": if work == "informal" { "domestic" } else { "" },
                   "joined_on": "2026-01-10"})
        };
        let sunita = add_member(
            &c,
            &admin,
            member("G1", "Sunita Devi", "female", "1990-05-01", "informal"),
        )
        .await;
        add_member(
            &c,
            &admin,
            member("G1", "Ramesh Kumar", "male", "1960-03-02", "informal"),
        )
        .await;
        let anita = add_member(
            &c,
            &admin,
            member("G1", "Anita Verma", "female", "2000-07-15", "formal"),
        )
        .await;
        add_member(
            &c,
            &admin,
            member("G2", "Kamla Bai", "female", "1995-11-20", "informal"),
        )
        .await;

        // A rule is checked line by line; nothing is saved.
        let (s, bad) = c
            .post(
                "/api/v1/schemes",
                &province,
                json!({"code": "eshram", "name": "e-Shram",
                       "rule": "salary >= 5000\nage > 1990-01-01\nemployment_type = informal\nenrolled epfo = no"}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(
            fields(&bad),
            vec![
                ("rule.1".into(), "unknown_field".into()),
                ("rule.2".into(), "type_mismatch".into()),
            ]
        );
        let (_, none) = c.get("/api/v1/schemes", &province).await;
        assert_eq!(none["items"], json!([]));
        let (s, bad) = c
            .post(
                "/api/v1/schemes",
                &province,
                json!({"code": "pmsym", "name": "PM-SYM", "rule": "enrolled epfo = no"}),
            )
            .await;
        assert_eq!(
            (s, fields(&bad)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![("rule".into(), "unknown_scheme".into())]
            )
        );
        // Only the tree's top officer keeps its schemes.
        let eshram = json!({"code": "eshram", "name": "e-Shram", "names": {"hi": "ई-श्रम"},
            "runner": "Ministry of Labour and Employment",
            "rule": "# unorganised workers of working age\nage between 16 and 59\nemployment_type = informal",
            "documents": "Aadhaar, bank passbook", "link": "https://eshram.gov.in"});
        let (s, _) = c.post("/api/v1/schemes", &d1, eshram.clone()).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        for body in [
            eshram,
            json!({"code": "epfo", "name": "EPF", "rule": "employment_type = formal"}),
            json!({"code": "pmsym", "name": "PM-SYM",
                   "rule": "age between 18 and 40\nemployment_type = informal\nenrolled epfo = no"}),
        ] {
            let (s, b) = c.post("/api/v1/schemes", &province, body).await;
            assert_eq!(s, StatusCode::CREATED, "{b}");
        }
        let (_, one) = c.get("/api/v1/schemes/eshram", &viewer).await;
        assert_eq!(one["names"]["hi"], "ई-श्रम");

        // The worklist: eligible, not enrolled, by unit.
        let (s, w) = c.get("/api/v1/schemes/eshram/worklist", &organizer).await;
        assert_eq!(s, StatusCode::OK, "{w}");
        assert_eq!(names(&w), vec!["Sunita Devi"]);
        let (_, w) = c.get("/api/v1/schemes/eshram/worklist", &province).await;
        assert_eq!(names(&w), vec!["Sunita Devi", "Kamla Bai"]);

        // Helped to apply: still to visit; enrolled with the scheme's number: off it.
        let enroll = |person: i64, status: &str| json!({"scheme": "eshram", "person_id": person, "status": status});
        let (s, _) = c
            .post("/api/v1/enrollments", &viewer, enroll(sunita, "helped"))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, e) = c
            .post("/api/v1/enrollments", &organizer, enroll(sunita, "helped"))
            .await;
        assert_eq!(s, StatusCode::OK, "{e}");
        assert_eq!(e["helped_by"], "d1-organizer");
        let (_, w) = c.get("/api/v1/schemes/eshram/worklist", &organizer).await;
        assert_eq!(w["items"][0]["status"], "helped");
        let mut done = enroll(sunita, "enrolled");
        done["scheme_number"] = json!("UAN-100200300");
        done["on_day"] = json!("2026-11-02");
        let (s, e) = c.post("/api/v1/enrollments", &organizer, done).await;
        assert_eq!(s, StatusCode::OK, "{e}");
        assert_eq!(
            (
                e["status"].as_str(),
                e["scheme_number"].as_str(),
                e["enrolled_on"].as_str(),
                e["helped_by"].as_str()
            ),
            (
                Some("enrolled"),
                Some("UAN-100200300"),
                Some("2026-11-02"),
                Some("d1-organizer")
            )
        );
        let (_, w) = c.get("/api/v1/schemes/eshram/worklist", &organizer).await;
        assert_eq!(w["items"], json!([]));

        // Someone the rule does not admit: only with a reason, and marked.
        let (s, no) = c
            .post("/api/v1/enrollments", &organizer, enroll(anita, "enrolled"))
            .await;
        assert_eq!(
            (s, fields(&no)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![("reason".into(), "not_eligible".into())]
            )
        );
        let mut why = enroll(anita, "enrolled");
        why["reason"] = json!("Contract ended; informal since October");
        let (_, e) = c.post("/api/v1/enrollments", &organizer, why).await;
        assert_eq!(e["outside_rule"], true);
        let (_, bad) = c
            .post(
                "/api/v1/enrollments",
                &organizer,
                json!({"scheme": "nrega", "member_number": "nobody", "status": "done", "on_day": "2026-02-30"}),
            )
            .await;
        assert_eq!(
            fields(&bad),
            vec![
                ("member_number".into(), "unknown_member".into()),
                ("on_day".into(), "invalid_date".into()),
                ("scheme".into(), "unknown_scheme".into()),
                ("status".into(), "invalid_enrollment_status".into()),
            ]
        );

        // A rule that names another scheme: enrolled in EPF, off PM-SYM's list.
        let (_, w) = c.get("/api/v1/schemes/pmsym/worklist", &organizer).await;
        assert_eq!(names(&w), vec!["Sunita Devi"]);
        let mut epf = enroll(sunita, "enrolled");
        epf["scheme"] = json!("epfo");
        epf["reason"] = json!("Joined a registered establishment");
        let (s, e) = c.post("/api/v1/enrollments", &organizer, epf).await;
        assert_eq!(s, StatusCode::OK, "{e}");
        let (_, w) = c.get("/api/v1/schemes/pmsym/worklist", &organizer).await;
        assert_eq!(w["items"], json!([]));

        // Figures per subtree.
        let (s, r) = c
            .get("/api/v1/schemes/eshram/rollup?unit=P", &province)
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
        assert_eq!(
            (
                row("P")["eligible"].as_i64(),
                row("P")["by_status"]["enrolled"].as_i64()
            ),
            (Some(2), Some(2))
        );
        assert_eq!(
            (
                row("D1")["eligible"].as_i64(),
                row("D2")["eligible"].as_i64()
            ),
            (Some(1), Some(1))
        );
        // The eligible are counted in the background after a rule changes; the counts
        // agree with the rule read live, before and after a change.
        let counted = |code: &'static str| {
            let c = &c;
            let province = &province;
            async move {
                for _ in 0..200 {
                    let (_, r) = c
                        .get(&format!("/api/v1/schemes/{code}/rollup?unit=P"), province)
                        .await;
                    if !r["counted_on"].is_null() {
                        return r;
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(25)).await;
                }
                panic!("{code} was never counted");
            }
        };
        let r = counted("eshram").await;
        assert_eq!(r["rows"][0]["eligible"], 2, "{r}");
        let r = counted("epfo").await;
        assert_eq!(r["rows"][0]["eligible"], 1, "{r}");
        let (s, _) = c
            .call(
                "PUT",
                "/api/v1/schemes/epfo",
                &province,
                Some(json!({"name": "EPF", "rule": "gender = female\nemployment_type = informal"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let (_, now) = c.get("/api/v1/schemes/epfo/rollup?unit=P", &province).await;
        assert_eq!(now["rows"][0]["eligible"], 2, "{now}");
        let r = counted("epfo").await;
        assert_eq!(r["rows"][0]["eligible"], 2, "{r}");
        let (_, mine) = c
            .get(&format!("/api/v1/enrollments?person_id={sunita}"), &viewer)
            .await;
        let schemes: Vec<&str> = mine["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["scheme"].as_str().unwrap())
            .collect();
        assert_eq!(schemes, vec!["epfo", "eshram"]);

        // Milestones.
        let (_, bad) = c
            .post(
                "/api/v1/milestones",
                &organizer,
                json!({"person_id": sunita, "kind": "promoted"}),
            )
            .await;
        assert_eq!(
            fields(&bad),
            vec![("kind".into(), "invalid_milestone_kind".into())]
        );
        let (s, m) = c
            .post(
                "/api/v1/milestones",
                &organizer,
                json!({"person_id": sunita, "kind": "referred_to_party", "on_day": "2026-05-19",
                       "note": "Referred by the district committee"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{m}");
        assert_eq!(
            (m["unit_code"].as_str(), m["name"].as_str()),
            (Some("G1"), Some("Sunita Devi"))
        );
        let (_, list) = c
            .get("/api/v1/milestones?kind=referred_to_party", &d1)
            .await;
        assert_eq!(names(&list), vec!["Sunita Devi"]);

        // Drives count members enrolled in a scheme, helped to apply, and referred.
        let year = muster_domain::Date::today().year();
        let drive = |metrics: Value| {
            json!({"code": "SCH", "name": "Social security for all", "scope_unit_code": "P",
                   "start_month": format!("{year}-01"), "end_month": format!("{year}-12"),
                   "metrics": metrics})
        };
        let (_, bad) = c
            .post(
                "/api/v1/drives",
                &admin,
                drive(json!([{"kind": "scheme_enrolled"}, {"kind": "scheme_enrolled", "scheme": "nrega"}])),
            )
            .await;
        assert_eq!(
            fields(&bad),
            vec![
                ("metrics.0.scheme".into(), "required".into()),
                ("metrics.1.scheme".into(), "unknown_scheme".into()),
            ]
        );
        let (s, d) = c
            .post(
                "/api/v1/drives",
                &admin,
                drive(json!([{"kind": "scheme_enrolled", "scheme": "eshram"},
                             {"kind": "helped_to_apply"}, {"kind": "members_referred"}])),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{d}");
        let (_, p) = c
            .get(
                &format!("/api/v1/drives/SCH/progress?as_of={year}-12-31"),
                &admin,
            )
            .await;
        let actual: Vec<Option<i64>> = (0..3)
            .map(|i| p["metrics"][i]["total"]["actual"].as_i64())
            .collect();
        // Enrolled in e-Shram: Sunita (2 November) and Anita (today); helped: each of
        // the three enrollments recorded; referred: Sunita in May.
        let in_year = |day: &str| day.starts_with(&year.to_string());
        let expected_enrolled = 1 + i64::from(in_year("2026-11-02"));
        let expected_referred = i64::from(in_year("2026-05-19"));
        assert_eq!(
            actual,
            vec![Some(expected_enrolled), Some(3), Some(expected_referred)]
        );

        // Another district sees none of it.
        let (_, list) = c.get("/api/v1/milestones", &d2).await;
        assert_eq!(list["items"], json!([]));
        for path in [
            format!("/api/v1/enrollments?person_id={sunita}"),
            "/api/v1/schemes/eshram/worklist?unit=D1".to_string(),
            "/api/v1/schemes/eshram/rollup?unit=D1".to_string(),
        ] {
            let (s, _) = c.get(&path, &d2).await;
            assert_eq!(s, StatusCode::NOT_FOUND, "{path}");
        }
        let (_, w) = c.get("/api/v1/schemes/eshram/worklist", &d2).await;
        assert_eq!(names(&w), vec!["Kamla Bai"]);
        let (s, _) = c
            .post("/api/v1/enrollments", &d2, enroll(sunita, "lapsed"))
            .await;
        assert_eq!(
            s,
            StatusCode::NOT_FOUND,
            "a member out of sight is not found"
        );
    }
);

on_both_backends!(
    enrollments_update_in_bulk_from_a_file_matched_by_external_id,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let province = c.login("p-officer", Some("P"), "officer").await;
        let organizer = c.login("d1-organizer", Some("D1"), "organizer").await;
        let viewer = c.login("d1-viewer", Some("D1"), "viewer").await;
        let d2 = c.login("d2-officer", Some("D2"), "officer").await;
        let member = |unit: &str, name: &str, born: &str, work: &str, number: &str| {
            json!({"unit_code": unit, "full_name": name, "gender": "female", "birth_date": born,
                   "employment_type": work, "joined_on": "2026-01-10", "member_number": number})
        };
        let sunita = add_member(
            &c,
            &admin,
            member("G1", "Sunita Devi", "1990-05-01", "informal", "UP-1"),
        )
        .await;
        add_member(
            &c,
            &admin,
            member("G1", "Ramesh Kumar", "1950-03-02", "informal", "UP-2"),
        )
        .await;
        let anita = add_member(
            &c,
            &admin,
            member("G1", "Anita Verma", "2000-07-15", "formal", "UP-3"),
        )
        .await;
        let kamla = add_member(
            &c,
            &admin,
            member("G2", "Kamla Bai", "1995-11-20", "informal", "UP-4"),
        )
        .await;
        let (ramesh_no, anita_no) = ("UP-2", "UP-3");
        let (s, b) = c
            .post(
                "/api/v1/schemes",
                &province,
                json!({"code": "eshram", "name": "e-Shram",
                       "rule": "age between 16 and 59\nemployment_type = informal"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");

        // The scheme's list as its portal gives it: dates in the Solar Hijri calendar.
        let file = format!(
            "External ID,member_number,Status,scheme_number,on_day,reason\n\
             muster:{sunita},,Enrolled,UAN-100200300,1405/08/11,\n\
             ,{ramesh_no},applied,,,\n\
             muster:{kamla},,enrolled,,,\n\
             muster:999999,,helped,,,\n\
             ,{anita_no},done,,1405/13/01,\n\
             muster:{sunita},,lapsed,,,\n\
             ,{anita_no},applied,,1405/08/01,Informal since October\n"
        );
        let url = |extra: &str| {
            format!("/api/v1/enrollments/import?scheme=eshram&calendar=persian{extra}")
        };
        let (s, _) = c
            .send_file(&url(""), &viewer, file.clone().into_bytes())
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let problems = |r: &Value| -> Vec<(i64, String, String)> {
            r["problems"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    (
                        p["row"].as_i64().unwrap(),
                        p["column"].as_str().unwrap().to_string(),
                        p["reason"].as_str().unwrap().to_string(),
                    )
                })
                .collect()
        };
        let expected = vec![
            (3, "reason".to_string(), "not_eligible".to_string()),
            (4, "external_id".into(), "unknown_member".into()),
            (5, "external_id".into(), "unknown_member".into()),
            (6, "on_day".into(), "invalid_date".into()),
            (6, "status".into(), "invalid_enrollment_status".into()),
            (7, "external_id".into(), "repeated_in_file".into()),
        ];
        // Checked only: the report, nothing written.
        let (s, r) = c
            .send_file(&url("&dry_run=true"), &organizer, file.clone().into_bytes())
            .await;
        assert_eq!(s, StatusCode::OK, "{r}");
        assert_eq!(
            (
                r["rows"].as_i64(),
                r["changed"].as_i64(),
                r["rejected"].as_i64()
            ),
            (Some(7), Some(2), Some(5))
        );
        assert_eq!(problems(&r), expected);
        let (_, mine) = c
            .get(
                &format!("/api/v1/enrollments?person_id={sunita}"),
                &organizer,
            )
            .await;
        assert_eq!(mine["items"], json!([]));

        // Imported: the good rows load, the refused ones are reported.
        let (s, r) = c
            .send_file(&url(""), &organizer, file.clone().into_bytes())
            .await;
        assert_eq!(s, StatusCode::OK, "{r}");
        assert_eq!(
            (r["changed"].as_i64(), r["rejected"].as_i64()),
            (Some(2), Some(5))
        );
        assert_eq!(problems(&r), expected);
        let (_, mine) = c
            .get(
                &format!("/api/v1/enrollments?person_id={sunita}"),
                &organizer,
            )
            .await;
        let e = &mine["items"][0];
        assert_eq!(
            (
                e["status"].as_str(),
                e["scheme_number"].as_str(),
                e["enrolled_on"].as_str()
            ),
            (Some("enrolled"), Some("UAN-100200300"), Some("2026-11-02"))
        );
        let (_, theirs) = c
            .get(
                &format!("/api/v1/enrollments?person_id={anita}"),
                &organizer,
            )
            .await;
        let e = &theirs["items"][0];
        assert_eq!(
            (
                e["status"].as_str(),
                e["outside_rule"].as_bool(),
                e["applied_on"].as_str()
            ),
            (Some("applied"), Some(true), Some("2026-10-23"))
        );
        let (_, w) = c.get("/api/v1/schemes/eshram/worklist", &organizer).await;
        assert_eq!(w["items"], json!([]), "Sunita is enrolled");

        // The same file again changes nothing.
        let (_, r) = c
            .send_file(&url(""), &organizer, file.clone().into_bytes())
            .await;
        assert_eq!(
            (r["changed"].as_i64(), r["unchanged"].as_i64()),
            (Some(0), Some(2))
        );

        // Another district's officer reaches none of D1's members; Kamla is theirs.
        let (_, r) = c.send_file(&url(""), &d2, file.into_bytes()).await;
        assert_eq!(r["changed"].as_i64(), Some(1), "{r}");
        assert!(problems(&r).contains(&(2, "external_id".into(), "unknown_member".into())));
        let (_, mine) = c
            .get(
                &format!("/api/v1/enrollments?person_id={sunita}"),
                &organizer,
            )
            .await;
        assert_eq!(mine["items"][0]["status"], "enrolled");

        // A file without a column naming the member is refused whole.
        let (s, r) = c
            .send_file(
                &url(""),
                &organizer,
                b"full_name,status\nSunita,enrolled\n".to_vec(),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
        assert_eq!(
            fields(&r),
            vec![
                ("columns".into(), "external_id".into()),
                ("file".into(), "missing_columns".into()),
            ]
        );
    }
);

on_both_backends!(
    a_worklist_read_from_the_count_still_sees_who_changed_since,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let province = c.login("p-officer", Some("P"), "officer").await;
        let organizer = c.login("d1-organizer", Some("D1"), "organizer").await;
        let member = |name: &str, work: &str| {
            json!({"unit_code": "G1", "full_name": name, "birth_date": "1990-05-01",
                   "employment_type": work, "joined_on": "2026-01-10"})
        };
        add_member(&c, &admin, member("Asha Devi", "informal")).await;
        let bina = add_member(&c, &admin, member("Bina Rao", "informal")).await;
        let chaya = add_member(&c, &admin, member("Chaya Singh", "formal")).await;
        for body in [
            json!({"code": "eshram", "name": "e-Shram",
                   "rule": "age between 16 and 59\nemployment_type = informal"}),
            json!({"code": "pmsym", "name": "PM-SYM",
                   "rule": "employment_type = informal\nenrolled eshram = yes"}),
        ] {
            let (s, b) = c.post("/api/v1/schemes", &province, body).await;
            assert_eq!(s, StatusCode::CREATED, "{b}");
        }
        for code in ["eshram", "pmsym"] {
            let mut counted = false;
            for _ in 0..200 {
                let (_, r) = c
                    .get(&format!("/api/v1/schemes/{code}/rollup?unit=P"), &province)
                    .await;
                if !r["counted_on"].is_null() && r["counting"].is_null() {
                    counted = true;
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(25)).await;
            }
            assert!(counted, "{code} was never counted");
        }
        // Nothing changed since long before the count: the worklist reads who the count
        // kept, person by person.
        let pool = c.app.db().pool();
        for table in ["people", "memberships", "enrollments"] {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "UPDATE {table} SET updated_at = '2000-01-01T00:00:00.000Z'"
            )))
            .execute(pool)
            .await
            .unwrap();
        }
        let worklist = |code: &'static str| {
            let c = &c;
            let organizer = &organizer;
            async move {
                let (s, w) = c
                    .get(&format!("/api/v1/schemes/{code}/worklist"), organizer)
                    .await;
                assert_eq!(s, StatusCode::OK, "{w}");
                names(&w)
            }
        };
        assert_eq!(worklist("eshram").await, vec!["Asha Devi", "Bina Rao"]);
        assert_eq!(worklist("pmsym").await, Vec::<String>::new());

        // Since the count: someone new, someone who came to qualify, someone who no
        // longer does, and an enrollment another scheme's rule reads.
        add_member(&c, &admin, member("Deepa Nair", "informal")).await;
        for (id, work) in [(chaya, "informal"), (bina, "formal")] {
            let (s, b) = c
                .call(
                    "PATCH",
                    &format!("/api/v1/members/{id}"),
                    &admin,
                    Some(json!({"employment_type": work})),
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{b}");
        }
        assert_eq!(
            worklist("eshram").await,
            vec!["Asha Devi", "Deepa Nair", "Chaya Singh"],
            "by surname within the unit"
        );
        let (_, w) = c.get("/api/v1/schemes/eshram/worklist", &organizer).await;
        let asha = w["items"][0]["person_id"].as_i64().unwrap();
        let (s, e) = c
            .post(
                "/api/v1/enrollments",
                &organizer,
                json!({"scheme": "eshram", "person_id": asha, "status": "enrolled"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{e}");
        assert_eq!(worklist("eshram").await, vec!["Deepa Nair", "Chaya Singh"]);
        assert_eq!(worklist("pmsym").await, vec!["Asha Devi"]);
    }
);
