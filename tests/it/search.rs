//! Search across scripts, numbers and phones, with filters and paging.

use crate::on_both_backends;
use crate::support::{add_member, enc, names, small_tree, Backend, Client};
use axum::http::StatusCode;
use serde_json::json;
use std::collections::BTreeSet;

on_both_backends!(
    names_meet_across_scripts_and_spellings,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        for (unit, name, latin, phone, number) in [
            ("G1", "Nguyễn Văn Trần", None, "0912 345 678", "BT-0001"),
            ("G1", "Nguyễn Văn Trung", None, "0987 000 111", "BT-0002"),
            ("G2", "Trần Thị Nguyệt", None, "0911 222 333", "BT-0003"),
            ("G2", "علی حسینی", None, "0912 111 2233", "MK-0001"),
            (
                "G2",
                "فاطمه محمدی‌نژاد",
                Some("Fatemeh Mohammadi-Nejad"),
                "0935 555 1212",
                "MK-0002",
            ),
            (
                "G1",
                "सुनीता शर्मा",
                Some("Sunita Sharma"),
                "98765 43210",
                "UP-0001",
            ),
            ("G1", "राजेश कुमार", None, "91234 56789", "UP-0002"),
        ] {
            let mut body = json!({"unit_code": unit, "full_name": name, "phone": phone, "member_number": number});
            if let Some(l) = latin {
                body["latin_name"] = json!(l);
            }
            add_member(&c, &admin, body).await;
        }
        let find = |q: &str| {
            let c = &c;
            let admin = admin.clone();
            let path = format!("/api/v1/members?q={}", enc(q));
            async move {
                let (status, page) = c.get(&path, &admin).await;
                assert_eq!(status, StatusCode::OK, "{page}");
                names(&page).into_iter().collect::<BTreeSet<String>>()
            }
        };
        let set = |v: &[&str]| {
            v.iter()
                .map(|s| s.to_string())
                .collect::<BTreeSet<String>>()
        };

        assert_eq!(find("nguyen van tran").await, set(&["Nguyễn Văn Trần"]));
        assert_eq!(
            find("NGUYEN").await,
            set(&["Nguyễn Văn Trần", "Nguyễn Văn Trung"])
        );
        assert_eq!(
            find("tran").await,
            set(&["Nguyễn Văn Trần", "Trần Thị Nguyệt"]),
            "word prefixes"
        );
        assert_eq!(
            find("Trần Nguyệt").await,
            set(&["Trần Thị Nguyệt"]),
            "any word order"
        );
        assert_eq!(
            find("حسيني").await,
            set(&["علی حسینی"]),
            "Arabic ye finds Persian ye"
        );
        assert_eq!(find("علي").await, set(&["علی حسینی"]));
        assert_eq!(
            find("hosseini").await,
            set(&["علی حسینی"]),
            "Latin finds Persian script without a transliteration"
        );
        assert_eq!(
            find("محمدی نژاد").await,
            set(&["فاطمه محمدی‌نژاد"]),
            "the parts of a ZWNJ-joined name"
        );
        assert_eq!(
            find("محمدينژاد").await,
            set(&["فاطمه محمدی‌نژاد"]),
            "with or without ZWNJ"
        );
        assert_eq!(find("mohammadi").await, set(&["فاطمه محمدی‌نژاد"]));
        assert_eq!(find("sharma").await, set(&["सुनीता शर्मा"]));
        assert_eq!(
            find("kumar").await,
            set(&["राजेश कुमार"]),
            "Latin finds Devanagari without a transliteration"
        );
        assert_eq!(find("शर्मा").await, set(&["सुनीता शर्मा"]));
        assert_eq!(
            find("bt-0002").await,
            set(&["Nguyễn Văn Trung"]),
            "member number"
        );
        assert_eq!(find("UP-").await.len(), 0, "a number needs a digit");
        assert_eq!(
            find("0912").await,
            set(&["Nguyễn Văn Trần", "علی حسینی"]),
            "phone prefix"
        );
        assert_eq!(
            find("۰۹۳۵۵").await,
            set(&["فاطمه محمدی‌نژاد"]),
            "Persian digits"
        );
        assert_eq!(find("xyz").await, set(&[]));

        // Filters combine with the search.
        let (_, page) = c.get("/api/v1/members?q=nguy&unit=D2", &admin).await;
        assert_eq!(names(&page), vec!["Trần Thị Nguyệt"]);
    }
);

on_both_backends!(
    search_and_list_page_without_repeats,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        for i in 0..23 {
            let unit = if i % 2 == 0 { "G1" } else { "G2" };
            add_member(
                &c,
                &admin,
                json!({"unit_code": unit, "full_name": format!("Nguyễn Văn Số{i}")}),
            )
            .await;
        }
        add_member(
            &c,
            &admin,
            json!({"unit_code": "G1", "full_name": "Lê Thị Khác"}),
        )
        .await;
        // Two keys of one person in the range of one word: حسن and حسن‌زاده.
        for name in ["ابراهیم حسن‌زاده", "حسن حیدری"] {
            add_member(&c, &admin, json!({"unit_code": "G2", "full_name": name})).await;
        }
        let d1 = c.login("district1", Some("D1"), "organizer").await;
        for (token, query, expected) in [
            (&admin, "q=nguyen%20van", 23),
            (&admin, "q=so", 23),
            (&admin, "status=active", 26),
            (&admin, "q=%D8%AD%D8%B3%D9%86", 2),
            (&d1, "q=nguyen", 12),
            (&d1, "", 13),
        ] {
            let mut seen = Vec::new();
            let mut cursor = String::new();
            loop {
                let (status, page) = c
                    .get(
                        &format!("/api/v1/members?{query}&limit=5&cursor={}", enc(&cursor)),
                        token,
                    )
                    .await;
                assert_eq!(status, StatusCode::OK, "{page}");
                let items = page["items"].as_array().unwrap();
                assert!(items.len() <= 5);
                seen.extend(items.iter().map(|i| i["id"].as_i64().unwrap()));
                match page["next_cursor"].as_str() {
                    Some(next) => cursor = next.to_string(),
                    None => break,
                }
            }
            let unique: BTreeSet<i64> = seen.iter().copied().collect();
            assert_eq!(unique.len(), seen.len(), "{query}: a member appeared twice");
            assert_eq!(seen.len(), expected, "{query}");
        }
        let (status, body) = c
            .get("/api/v1/members?q=nguyen&cursor=garbage", &admin)
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["fields"]["cursor"], "invalid_cursor");
    }
);

on_both_backends!(
    both_search_plans_agree_and_respect_scope,
    |backend: Backend| async move {
        use muster_store::members::MemberFilter;
        use muster_store::search::{search_planned, Plan, SearchCursor};
        use muster_store::Scope;

        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        for (unit, name) in [
            ("G1", "Nguyễn Văn Bình"),
            ("G1", "Nguyễn Thị Bình"),
            ("G2", "Nguyễn Văn Bính"),
            ("G2", "Phạm Văn Bình"),
            ("G2", "حسین بینا"),
        ] {
            add_member(&c, &admin, json!({"unit_code": unit, "full_name": name})).await;
        }
        // G1 moves into D2: its people are searched under D2 from now on.
        assert_eq!(
            c.post(
                "/api/v1/units/G1/move",
                &admin,
                json!({"parent_code": "D2"})
            )
            .await
            .0,
            StatusCode::OK
        );
        let mut conn = c.app.db().read().await.unwrap();
        let unit_id = |code: &'static str| {
            let app = c.app.clone();
            async move {
                let mut conn = app.db().read().await.unwrap();
                muster_store::units::by_code(&mut conn, code)
                    .await
                    .unwrap()
                    .unwrap()
                    .id
            }
        };
        let d1 = unit_id("D1").await;
        let d2 = unit_id("D2").await;
        for (scope, q, expected) in [
            (
                Scope::Subtree(d2),
                "nguyen binh",
                vec!["Nguyễn Văn Bình", "Nguyễn Thị Bình", "Nguyễn Văn Bính"],
            ),
            (
                Scope::Subtree(d2),
                "van binh",
                vec!["Nguyễn Văn Bình", "Nguyễn Văn Bính", "Phạm Văn Bình"],
            ),
            (Scope::Subtree(d1), "nguyen", vec![]),
            (Scope::All, "binh nguyen thi", vec!["Nguyễn Thị Bình"]),
        ] {
            let terms = muster_domain::search::terms(q);
            let mut answers = Vec::new();
            for plan in [Plan::ByKey, Plan::BySet, Plan::ByUnit] {
                let (rows, _) = search_planned(
                    &mut conn,
                    scope,
                    &MemberFilter::default(),
                    &terms,
                    &SearchCursor::Start,
                    50,
                    plan,
                )
                .await
                .unwrap();
                let mut found: Vec<String> = rows.into_iter().map(|r| r.full_name).collect();
                found.sort();
                answers.push(found);
            }
            let mut expected: Vec<String> = expected.into_iter().map(String::from).collect();
            expected.sort();
            assert_eq!(answers[0], expected, "by key: {q}");
            assert_eq!(answers[1], expected, "by set: {q}");
            if scope != Scope::All {
                assert_eq!(answers[2], expected, "by unit: {q}");
            }
        }
        // Paging one by one gives everyone once, whichever the plan.
        let terms = muster_domain::search::terms("van binh");
        for plan in [Plan::ByKey, Plan::BySet, Plan::ByUnit] {
            let mut cursor = SearchCursor::Start;
            let mut seen = Vec::new();
            loop {
                let (rows, next) = search_planned(
                    &mut conn,
                    Scope::Subtree(d2),
                    &MemberFilter::default(),
                    &terms,
                    &cursor,
                    1,
                    plan,
                )
                .await
                .unwrap();
                seen.extend(rows.into_iter().map(|r| r.full_name));
                match next {
                    Some(c) => cursor = SearchCursor::decode(&c.encode()).unwrap(),
                    None => break,
                }
            }
            seen.sort();
            assert_eq!(
                seen,
                vec!["Nguyễn Văn Bình", "Nguyễn Văn Bính", "Phạm Văn Bình"],
                "{plan:?}"
            );
        }
    }
);

on_both_backends!(
    members_list_in_name_order_as_readers_expect,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        for (unit, name) in [
            ("G1", "Trần Văn Ân"),
            ("G2", "Nguyễn Thị Ăn"),
            ("G1", "Lê Văn An"),
            ("G2", "Phạm Đức Dũng"),
            ("G1", "Võ Thị Bích"),
            ("G2", "Đỗ Văn Dũng"),
        ] {
            add_member(&c, &admin, json!({"unit_code": unit, "full_name": name})).await;
        }
        let district = c.login("district.one", Some("D1"), "viewer").await;
        for (token, expected) in [
            (
                &admin,
                vec![
                    "Lê Văn An",
                    "Nguyễn Thị Ăn",
                    "Trần Văn Ân",
                    "Võ Thị Bích",
                    "Đỗ Văn Dũng",
                    "Phạm Đức Dũng",
                ],
            ),
            (&district, vec!["Lê Văn An", "Trần Văn Ân", "Võ Thị Bích"]),
        ] {
            let mut seen = Vec::new();
            let mut cursor = String::new();
            loop {
                let (status, page) = c
                    .get(
                        &format!("/api/v1/members?sort=name&limit=2&cursor={}", enc(&cursor)),
                        token,
                    )
                    .await;
                assert_eq!(status, StatusCode::OK, "{page}");
                seen.extend(names(&page));
                match page["next_cursor"].as_str() {
                    Some(n) => cursor = n.to_string(),
                    None => break,
                }
            }
            assert_eq!(seen, expected);
        }
    }
);
