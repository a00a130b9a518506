//! Competitions as a labor week holds them: each district's men's football, the
//! province's final that their winners go on to, entries, results refused line by line
//! when wrong, the result tables, and nothing of another district's people.

use crate::on_both_backends;
use crate::support::{add_member, field_codes as fields, small_tree, Backend, Client};
use axum::http::StatusCode;
use serde_json::{json, Value};

/// A row of a competition's table: unit, name, rank, score, medal.
type Row = (
    String,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
);

/// A competition's table, ranked first.
fn table(c: &Value) -> Vec<Row> {
    c["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["unit_code"].as_str().unwrap().to_string(),
                x["name"].as_str().map(String::from),
                x["rank"].as_i64(),
                x["score"].as_str().map(String::from),
                x["medal"].as_str().map(String::from),
            )
        })
        .collect()
}

on_both_backends!(
    district_winners_go_on_to_the_province_final,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let officer = c.login("p-officer", Some("P"), "officer").await;
        let d1 = c.login("d1-officer", Some("D1"), "officer").await;
        let d2 = c.login("d2-officer", Some("D2"), "officer").await;
        let d1_viewer = c.login("d1-viewer", Some("D1"), "viewer").await;
        let (s, week) = c
            .post(
                "/api/v1/programs",
                &officer,
                json!({"unit_code": "P", "name": "Hafte-ye Kargar 1405",
                "starts_on": "2026-04-22", "ends_on": "2026-05-01"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{week}");
        let program = week["id"].as_i64().unwrap();
        let (s, fin) = c
            .post(
                "/api/v1/competitions",
                &officer,
                json!({"unit_code": "P", "program_id": program,
                "discipline": "Chess", "category": "women", "held_on": "2026-04-30"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{fin}");
        let fin = fin["id"].as_i64().unwrap();
        // A district's competition: wrong fields are named at once.
        let (s, bad) = c
            .post(
                "/api/v1/competitions",
                &d1,
                json!({"unit_code": "D1", "program_id": program,
                "discipline": "chess ", "category": "men", "held_on": "2026-05-09",
                "advances_to": fin, "advance_count": 99}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(
            fields(&bad),
            vec![
                ("advance_count".into(), "out_of_range".into()),
                ("advances_to".into(), "other_discipline".into()),
                ("held_on".into(), "outside_program".into()),
            ]
        );
        let mut district = Vec::new();
        for (token, unit) in [(&d1, "D1"), (&d2, "D2")] {
            let (s, comp) = c
                .post(
                    "/api/v1/competitions",
                    token,
                    json!({"unit_code": unit, "program_id": program,
                    "discipline": "chess ", "category": "women", "held_on": "2026-04-24",
                    "advances_to": fin, "advance_count": 2}),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{comp}");
            district.push(comp["id"].as_i64().unwrap());
        }
        // D1 enters three of its members; a member of D2 is not D1's to enter.
        let mut players = Vec::new();
        for name in ["Zahra Ahmadi", "Maryam Karimi", "Fatemeh Rahimi"] {
            let id = add_member(
                &c,
                &admin,
                json!({"unit_code": "G1", "full_name": name, "gender": "female"}),
            )
            .await;
            let (s, e) = c
                .post(
                    &format!("/api/v1/competitions/{}/entries", district[0]),
                    &d1,
                    json!({"person_id": id, "unit_code": "G1"}),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{e}");
            players.push((id, e["id"].as_i64().unwrap()));
        }
        let theirs = add_member(
            &c,
            &admin,
            json!({"unit_code": "G2", "full_name": "Sara Sibling", "gender": "female"}),
        )
        .await;
        let (s, e) = c
            .post(
                &format!("/api/v1/competitions/{}/entries", district[0]),
                &d1,
                json!({"person_id": theirs}),
            )
            .await;
        assert_eq!(
            (s, fields(&e)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![("person_id".into(), "unknown_member".into())]
            )
        );
        let (s, e) = c
            .post(
                &format!("/api/v1/competitions/{}/entries", district[0]),
                &d1,
                json!({"person_id": players[0].0}),
            )
            .await;
        assert_eq!(
            (s, fields(&e)[0].1.as_str()),
            (StatusCode::CONFLICT, "already_entered")
        );
        let (s, e) = c
            .post(
                &format!("/api/v1/competitions/{}/entries", district[1]),
                &d2,
                json!({"person_id": theirs}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{e}");
        // D2 cannot even see D1's competition.
        let (s, _) = c
            .get(&format!("/api/v1/competitions/{}", district[0]), &d2)
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        // Results: a person not entered and a bad score refuse the whole set.
        let (s, bad) = c
            .call(
                "PUT",
                &format!("/api/v1/competitions/{}/results", district[0]),
                &d1,
                Some(json!({"results": [
                {"entry_id": players[0].1, "rank": 1, "score": "9.5"},
                {"person_id": theirs, "rank": 2},
                {"entry_id": players[1].1, "rank": 2, "score": "8,25 points"}]})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(
            fields(&bad),
            vec![
                ("results.1.person_id".into(), "not_entered".into()),
                ("results.2.score".into(), "invalid_score".into()),
            ]
        );
        let (_, seen) = c
            .get(&format!("/api/v1/competitions/{}", district[0]), &d1)
            .await;
        assert!(
            table(&seen).iter().all(|r| r.2.is_none()),
            "nothing half-saved: {seen}"
        );
        let (s, done) = c
            .call(
                "PUT",
                &format!("/api/v1/competitions/{}/results", district[0]),
                &d1,
                Some(json!({"results": [
                {"entry_id": players[0].1, "rank": 1, "score": "9.50"},
                {"person_id": players[1].0, "rank": 2, "score": "8,25"},
                {"entry_id": players[2].1, "rank": 3, "medal": "none"}]})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{done}");
        assert_eq!(
            table(&done),
            vec![
                (
                    "G1".into(),
                    Some("Zahra Ahmadi".into()),
                    Some(1),
                    Some("9.5".into()),
                    Some("gold".into())
                ),
                (
                    "G1".into(),
                    Some("Maryam Karimi".into()),
                    Some(2),
                    Some("8.25".into()),
                    Some("silver".into())
                ),
                (
                    "G1".into(),
                    Some("Fatemeh Rahimi".into()),
                    Some(3),
                    None,
                    None
                ),
            ]
        );
        // Finishing sends the first two on to the province's final, for D1.
        let (s, fin1) = c
            .post(
                &format!("/api/v1/competitions/{}/finish", district[0]),
                &d1,
                json!({}),
            )
            .await;
        assert_eq!(
            (s, fin1["finished"].as_bool()),
            (StatusCode::OK, Some(true)),
            "{fin1}"
        );
        let (s, late) = c
            .call(
                "PUT",
                &format!("/api/v1/competitions/{}/results", district[0]),
                &d1,
                Some(json!({"results": [{"entry_id": players[2].1, "rank": 1}]})),
            )
            .await;
        assert_eq!(
            (s, fields(&late)[0].1.as_str()),
            (StatusCode::CONFLICT, "competition_finished")
        );
        // D2 cannot finish without a result.
        let (s, none) = c
            .post(
                &format!("/api/v1/competitions/{}/finish", district[1]),
                &d2,
                json!({}),
            )
            .await;
        assert_eq!(
            (s, fields(&none)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![("results".into(), "no_results".into())]
            )
        );
        let (s, _) = c
            .call(
                "PUT",
                &format!("/api/v1/competitions/{}/results", district[1]),
                &d2,
                Some(json!({"results": [{"person_id": theirs, "rank": 1, "score": "7"}]})),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let (s, _) = c
            .post(
                &format!("/api/v1/competitions/{}/finish", district[1]),
                &d2,
                json!({}),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        // The final: three entries came up, two for D1 and one for D2.
        let (s, f) = c
            .get(&format!("/api/v1/competitions/{fin}"), &officer)
            .await;
        assert_eq!(s, StatusCode::OK, "{f}");
        let mut units: Vec<(String, Option<String>)> =
            table(&f).into_iter().map(|r| (r.0, r.1)).collect();
        units.sort();
        assert_eq!(
            units,
            vec![
                ("D1".into(), Some("Maryam Karimi".into())),
                ("D1".into(), Some("Zahra Ahmadi".into())),
                ("D2".into(), Some("Sara Sibling".into())),
            ]
        );
        assert_eq!(f["feeders"].as_array().unwrap().len(), 2);
        // A D1 reader sees the final (a competition above) but not D2's person.
        let (s, seen) = c
            .get(&format!("/api/v1/competitions/{fin}"), &d1_viewer)
            .await;
        assert_eq!(s, StatusCode::OK);
        assert!(!seen.to_string().contains("Sibling"), "{seen}");
        assert_eq!(table(&seen).iter().filter(|r| r.1.is_none()).count(), 1);
        // The province records the final and finishes it: the program counts three
        // competitions finished (two districts and the province).
        let ids: Vec<i64> = f["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["id"].as_i64().unwrap())
            .collect();
        let (s, _) = c
            .call("PUT", &format!("/api/v1/competitions/{fin}/results"), &officer, Some(json!({"results": [
                {"entry_id": ids[2], "rank": 1}, {"entry_id": ids[0], "rank": 2}, {"entry_id": ids[1], "rank": 3}]})))
            .await;
        assert_eq!(s, StatusCode::OK);
        let (s, _) = c
            .post(
                &format!("/api/v1/competitions/{fin}/finish"),
                &officer,
                json!({}),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let (_, dash) = c
            .get(&format!("/api/v1/programs/{program}/dashboard"), &officer)
            .await;
        let finished: Vec<(String, i64)> = dash["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["unit_code"].as_str().unwrap().to_string(),
                    r["competitions"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            finished,
            vec![("P".into(), 3), ("D1".into(), 1), ("D2".into(), 1)]
        );
        assert!(c.db.system().await.count_tallies(true).await.unwrap());
        let (_, again) = c
            .get(&format!("/api/v1/programs/{program}/dashboard"), &officer)
            .await;
        assert_eq!(again, dash);
        // The result tables page, by discipline and level, in Persian digits.
        let cookie = c.session_cookie("p-officer").await;
        let page = c
            .page(
                "GET",
                &format!("/competitions?program={program}"),
                &cookie,
                None,
            )
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(
            page.body.matches("class=\"card competition\"").count(),
            3,
            "{}",
            page.body
        );
        assert!(page.body.contains("Zahra Ahmadi") && page.body.contains("9.5"));
        let d2_cookie = c.session_cookie("d2-officer").await;
        let page = c
            .page(
                "GET",
                &format!("/competitions?program={program}"),
                &d2_cookie,
                None,
            )
            .await;
        assert!(
            !page.body.contains("Zahra"),
            "a D2 reader sees no D1 person"
        );
    }
);

on_both_backends!(
    a_team_is_entered_and_ranked_on_the_page,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let _admin = small_tree(&c).await;
        c.login("d1-officer", Some("D1"), "officer").await;
        let cookie = c.session_cookie("d1-officer").await;
        let form = c.page("GET", "/competitions/new", &cookie, None).await;
        let csrf = crate::support::csrf_of(&form.body);
        // A date typed in the reader's calendar, a bad count named on its field.
        let bad = c
            .page("POST", "/competitions/new", &cookie, Some(&format!(
                "csrf={csrf}&unit_code=D1&discipline=B%C3%B3ng+%C4%91%C3%A1&category=men&entry_kind=team&held_on=2026-05-01&advance_count=hai")))
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("Type a whole number."), "{}", bad.body);
        let made = c
            .page("POST", "/competitions/new", &cookie, Some(&format!(
                "csrf={csrf}&unit_code=D1&discipline=B%C3%B3ng+%C4%91%C3%A1&category=men&entry_kind=team&held_on=2026-05-01")))
            .await;
        let at = made.location.clone().expect("to the competition");
        for team in [
            "%C4%90%E1%BB%99i+May+Ph%C3%BA+Th%C3%A0nh",
            "%C4%90%E1%BB%99i+D%E1%BB%ABa",
        ] {
            let r = c
                .page(
                    "POST",
                    &format!("{at}/entries"),
                    &cookie,
                    Some(&format!("csrf={csrf}&unit_code=G1&team_name={team}")),
                )
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        }
        let again = c
            .page(
                "POST",
                &format!("{at}/entries"),
                &cookie,
                Some(&format!("csrf={csrf}&unit_code=G2&team_name=X")),
            )
            .await;
        assert!(
            again.body.contains("field-error") || again.body.contains("class=\"error\""),
            "G2 is not D1's"
        );
        let page = c.page("GET", &at, &cookie, None).await;
        let ids: Vec<String> = page
            .body
            .match_indices("name=\"rank_")
            .map(|(i, _)| page.body[i + 11..].split('"').next().unwrap().to_string())
            .collect();
        assert_eq!(ids.len(), 2, "{}", page.body);
        let r = c
            .page(
                "POST",
                &format!("{at}/results"),
                &cookie,
                Some(&format!(
                    "csrf={csrf}&rank_{}=%DB%B2&score_{}=3&rank_{}=1&score_{}=5",
                    ids[0], ids[0], ids[1], ids[1]
                )),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = c.page("GET", &at, &cookie, None).await;
        let second = page.body.find("Đội Dừa").unwrap();
        let first = page.body.find("Đội May Phú Thành").unwrap();
        assert!(second < first, "ranked first comes first");
    }
);
