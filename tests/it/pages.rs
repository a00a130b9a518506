//! The pages: login and sessions, CSRF, throttling, scope, and every page in every
//! language with its direction and no English left over.

use crate::on_both_backends;
use crate::support::{add_member, csrf_of, enc, small_tree, Backend, Client};
use axum::http::StatusCode;
use muster_web::i18n::{keys, Lang, SOURCES};
use serde_json::json;
use std::collections::BTreeSet;

#[test]
fn catalogs_are_complete_and_cover_every_message_the_code_uses() {
    let en: Vec<String> = keys(SOURCES[0].1);
    assert!(en.len() > 100);
    for (locale, source) in &SOURCES[1..] {
        assert_eq!(keys(source), en, "{locale} has other keys than en");
        let lang = Lang::new(locale, None, None);
        for key in &en {
            assert_ne!(lang.t(key), *key, "{locale}: {key} does not parse");
        }
    }
    let defined: BTreeSet<String> = en.into_iter().collect();
    let mut used = BTreeSet::new();
    // Keys written out in the page code, and the codes of every field error the
    // domain and the use cases can give, which the forms show as `field-<code>`.
    for dir in [
        "crates/web/src/pages",
        "crates/domain/src",
        "crates/app/src",
    ] {
        // The module's files, those of its folders too (pages/drives/, pages/mapping/).
        let mut files = Vec::new();
        let mut folders = vec![std::path::PathBuf::from(dir)];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    files.push(path);
                }
            }
        }
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap();
            let quoted: Vec<&str> = text.split('"').skip(1).step_by(2).collect();
            for q in quoted {
                let is_key = q.len() > 3
                    && q.bytes()
                        .all(|b| b.is_ascii_lowercase() || b == b'-' || b == b'_');
                if dir.ends_with("pages")
                    && is_key
                    && q.contains('-')
                    && defined
                        .iter()
                        .any(|k| k.starts_with(q.split('-').next().unwrap()))
                {
                    used.insert(q.to_string());
                }
            }
            for marker in ["FieldError::new(\"", "check.fail(\"", "AppError::field(\""] {
                for piece in text.split(marker).skip(1) {
                    let rest: Vec<&str> = piece.split('"').collect();
                    // The code is the second argument when it is written out.
                    let code = match marker {
                        "FieldError::new(\"" => rest[0],
                        _ if rest.get(1).is_some_and(|s| s.trim() == ",") => {
                            rest.get(2).copied().unwrap_or("")
                        }
                        _ => "",
                    };
                    if !code.is_empty() {
                        used.insert(format!("field-{code}"));
                    }
                }
            }
        }
    }
    for code in ["taken", "invalid_date"] {
        used.insert(format!("field-{code}"));
    }
    let missing: Vec<&String> = used.iter().filter(|k| !defined.contains(*k)).collect();
    assert!(
        missing.is_empty(),
        "used but not in the catalogs: {missing:?}"
    );
}

on_both_backends!(
    pages_need_a_session_and_keep_to_the_subtree,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let theirs = add_member(
            &c,
            &admin,
            json!({"unit_code": "G2", "full_name": "Trần Thị Lan"}),
        )
        .await;
        add_member(
            &c,
            &admin,
            json!({"unit_code": "G1", "full_name": "Lê Văn Minh"}),
        )
        .await;
        c.login("district1", Some("D1"), "officer").await;

        let anonymous = c.page("GET", "/members", "", None).await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
        assert_eq!(
            anonymous.location.as_deref(),
            Some("/login?next=%2Fmembers")
        );

        let me = c.session_cookie("district1").await;
        let list = c.page("GET", "/members", &me, None).await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains("Lê Văn Minh"));
        assert!(!list.body.contains("Trần Thị Lan"));
        let search = c
            .page(
                "GET",
                &format!("/members?q={}", enc("tran thi lan")),
                &me,
                None,
            )
            .await;
        assert!(!search.body.contains("Trần Thị Lan"));
        assert_eq!(
            c.page("GET", &format!("/members/{theirs}"), &me, None)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            c.page("GET", "/units/D2", &me, None).await.status,
            StatusCode::NOT_FOUND
        );
        let units = c.page("GET", "/units", &me, None).await;
        assert!(units.body.contains("Huyện Châu Thành") && !units.body.contains("Huyện Ba Tri"));

        // A form without this session's token is refused and writes nothing.
        let refused = c
            .page(
                "POST",
                "/members/new",
                &me,
                Some("unit_code=G1&full_name=X&csrf=wrong"),
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        // With it, a member is registered in the subtree, and the dashboard counts them.
        let form = c.page("GET", "/members/new", &me, None).await;
        let csrf = csrf_of(&form.body);
        let created = c
            .page(
                "POST",
                "/members/new",
                &me,
                Some(&format!(
                    "unit_code=G1&full_name={}&joined_on=15%2F5%2F2024&csrf={csrf}",
                    enc("Võ Thị Sáu")
                )),
            )
            .await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let dashboard = c.page("GET", "/", &me, None).await;
        assert!(dashboard.body.contains("<svg"), "the chart is drawn");
        let (_, list) = c.get("/api/v1/members?q=vo%20thi%20sau", &admin).await;
        assert_eq!(list["items"][0]["joined_on"], "2024-05-15");

        // Logging out ends the session.
        let logout = c
            .page("POST", "/logout", &me, Some(&format!("csrf={csrf}")))
            .await;
        assert_eq!(logout.status, StatusCode::SEE_OTHER);
        assert_eq!(
            c.page("GET", "/members", &me, None).await.status,
            StatusCode::SEE_OTHER
        );
    }
);

on_both_backends!(
    logins_are_throttled_after_repeated_failures,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        small_tree(&c).await;
        c.login("lan.nguyen", Some("D1"), "organizer").await;
        let guesser = Some("203.0.113.7");
        // Three wrong passwords cost nothing; the fourth makes the next attempt wait.
        for _ in 0..4 {
            let answer = c
                .web_login_from(guesser, "lan.nguyen", "wrong password")
                .await;
            assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.body);
        }
        let blocked = c
            .web_login_from(guesser, "lan.nguyen", "a long password")
            .await;
        assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(blocked.body.contains("Too many failed attempts from here"));
        assert!(blocked
            .cookies
            .iter()
            .all(|c| !c.starts_with("muster_session=")));
        // The user, from their own address, is not locked out by the guesser.
        let own = c
            .web_login_from(Some("198.51.100.20"), "lan.nguyen", "a long password")
            .await;
        assert_eq!(own.status, StatusCode::SEE_OTHER, "{}", own.body);
        // An unknown username is answered as a wrong password, and throttled the same.
        for _ in 0..4 {
            let answer = c.web_login_from(guesser, "no.such.user", "x").await;
            assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
        }
        assert_eq!(
            c.web_login_from(guesser, "no.such.user", "x").await.status,
            StatusCode::TOO_MANY_REQUESTS
        );
        // Addresses of one IPv6 network are one source: rotating through them gains
        // nothing.
        for i in 1..=4 {
            let from = format!("2001:db8:7:1::{i:x}");
            let answer = c.web_login_from(Some(&from), "lan.nguyen", "wrong").await;
            assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{from}");
        }
        assert_eq!(
            c.web_login_from(
                Some("2001:db8:7:1:ffff::9"),
                "lan.nguyen",
                "a long password"
            )
            .await
            .status,
            StatusCode::TOO_MANY_REQUESTS
        );
        // An officer of the unit sees the login held up and unlocks it.
        c.login("officer.d1", Some("D1"), "officer").await;
        let me = c.session_cookie("officer.d1").await;
        let users = c.page("GET", "/users", &me, None).await;
        assert!(
            users.body.contains("Held up by failed logins"),
            "{}",
            users.body
        );
        assert!(users.body.contains("/users/lan.nguyen/unlock"));
        assert!(
            !users.body.contains("no.such.user"),
            "only logins of the subtree"
        );
        let csrf = csrf_of(&users.body);
        let unlocked = c
            .page(
                "POST",
                "/users/lan.nguyen/unlock",
                &me,
                Some(&format!("csrf={csrf}")),
            )
            .await;
        assert_eq!(unlocked.status, StatusCode::SEE_OTHER, "{}", unlocked.body);
        assert_eq!(
            c.web_login_from(guesser, "lan.nguyen", "a long password")
                .await
                .status,
            StatusCode::SEE_OTHER
        );
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_speaks_the_readers_language() {
    let c = Client::new(Backend::Sqlite).await;
    let admin = small_tree(&c).await;
    let id = add_member(
        &c,
        &admin,
        json!({"unit_code": "G1", "full_name": "Nguyễn Văn An", "joined_on": "2024-05-15"}),
    )
    .await;
    let (status, drive) = c
        .post(
            "/api/v1/drives",
            &admin,
            json!({"code": "T", "name": "Drive", "scope_unit_code": "P", "start_month": "2024-01",
                "end_month": "2024-12", "metrics": [{"kind": "new_members"}, {"kind": "custom", "name": "Referred"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{drive}");
    let (status, w) = c
        .post(
            "/api/v1/workplaces",
            &admin,
            json!({"code": "W1", "name": "Công ty May Phú Thành", "unit_code": "D1", "headcount": 120}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{w}");
    let (status, _) = c
        .post(
            "/api/v1/workplaces/W1/workers",
            &admin,
            json!({"full_name": "Lê Thị Hoa", "department": "Ca 1"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    c.login("reader", Some("P"), "officer").await;
    let me = c.session_cookie("reader").await;
    let english = Lang::new("en", None, None);
    for locale in ["en", "vi", "fa", "hi"] {
        let csrf = csrf_of(&c.page("GET", "/settings", &me, None).await.body);
        let saved = c
            .page(
                "POST",
                "/language",
                &me,
                Some(&format!("lang={locale}&csrf={csrf}")),
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        let lang = Lang::new(locale, None, None);
        let dir = if locale == "fa" { "rtl" } else { "ltr" };
        for path in [
            "/",
            "/members",
            "/members/new",
            "/units",
            "/units/P",
            "/workplaces",
            "/settings",
            "/units/new",
            "/units/P/edit",
            "/workplaces/new",
            "/users",
            &format!("/members/{id}"),
            "/drives",
            "/drives/new",
            "/drives/T",
            "/drives/T?unit=D1",
            "/drives/T/targets",
            "/drives/T/edit",
            "/drives/T/reports",
            "/drives/T/reports/D1/2024-05",
            "/workplaces/coverage",
            "/workplaces/priority",
            "/workplaces/W1",
            "/workplaces/W1/organizing",
            "/workplaces/W1/wall",
            "/workplaces/W1/found",
            "/members/import",
            "/members/duplicates",
        ] {
            let page = c.page("GET", path, &me, None).await;
            assert_eq!(page.status, StatusCode::OK, "{locale} {path}");
            assert!(
                page.body
                    .contains(&format!("<html lang=\"{locale}\" dir=\"{dir}\">")),
                "{locale} {path}"
            );
            assert!(
                page.body.contains(&lang.t("nav-members")),
                "{locale} {path}"
            );
            if locale != "en" {
                for key in [
                    "nav-members",
                    "nav-dashboard",
                    "logout",
                    "dash-active",
                    "member-status",
                    "save",
                ] {
                    let en = english.t(key);
                    assert!(
                        !page.body.contains(&format!(">{en}<")),
                        "{locale} {path}: English {en:?} left"
                    );
                }
            }
        }
        let member = c.page("GET", &format!("/members/{id}"), &me, None).await;
        let joined = match locale {
            "fa" => "۱۴۰۳/۰۲/۲۶",
            "en" => "2024-05-15",
            _ => "15/05/2024",
        };
        assert!(
            member.body.contains(joined),
            "{locale}: joined date as {joined}"
        );
    }
}

on_both_backends!(
    members_are_edited_moved_and_lapsed_through_the_pages,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let id = add_member(
            &c,
            &admin,
            json!({"unit_code": "G1", "full_name": "Phan Văn Trị", "joined_on": "2024-01-10"}),
        )
        .await;
        c.login("province", Some("P"), "officer").await;
        let me = c.session_cookie("province").await;
        let page = c
            .page("GET", &format!("/members/{id}/edit"), &me, None)
            .await;
        assert!(
            page.body.contains("value=\"Phan Văn Trị\""),
            "the form is filled in"
        );
        let csrf = csrf_of(&page.body);
        let edited = c
            .page(
                "POST",
                &format!("/members/{id}/edit"),
                &me,
                Some(&format!(
                    "full_name={}&phone=0912345678&csrf={csrf}",
                    enc("Phan Văn Trị (Ba Tri)")
                )),
            )
            .await;
        assert_eq!(edited.status, StatusCode::SEE_OTHER, "{}", edited.body);
        let bad = c
            .page(
                "POST",
                &format!("/members/{id}/transfer"),
                &me,
                Some(&format!("to_unit_code=NOPE&on=&csrf={csrf}")),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let moved = c
            .page(
                "POST",
                &format!("/members/{id}/transfer"),
                &me,
                Some(&format!("to_unit_code=G2&on=1%2F3%2F2024&csrf={csrf}")),
            )
            .await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
        let lapsed = c
            .page(
                "POST",
                &format!("/members/{id}/status"),
                &me,
                Some(&format!("status=lapsed&on=&csrf={csrf}")),
            )
            .await;
        assert_eq!(lapsed.status, StatusCode::SEE_OTHER, "{}", lapsed.body);
        let (_, detail) = c.get(&format!("/api/v1/members/{id}"), &admin).await;
        assert_eq!(detail["full_name"], "Phan Văn Trị (Ba Tri)");
        assert_eq!(detail["unit_code"], "G2");
        assert_eq!(detail["status"], "lapsed");
        assert_eq!(
            detail["history"][1]["joined_on"], "2024-03-01",
            "a day-first date is read as such"
        );
    }
);

on_both_backends!(
    officers_manage_logins_of_their_subtree_only,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        small_tree(&c).await;
        c.login("officer.d1", Some("D1"), "officer").await;
        c.login("officer.d2", Some("D2"), "officer").await;
        let me = c.session_cookie("officer.d1").await;
        let page = c.page("GET", "/users", &me, None).await;
        assert!(
            page.body.contains("officer.d1")
                && !page.body.contains("officer.d2")
                && !page.body.contains(">root<")
        );
        let csrf = csrf_of(&page.body);
        let post = |form: String| {
            let c = &c;
            let me = me.clone();
            async move { c.page("POST", "/users", &me, Some(&form)).await }
        };
        let created = post(format!("username=org.g1&unit_code=G1&role=organizer&locale=vi&password=a+long+password&csrf={csrf}")).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let elsewhere = post(format!("username=org.g2&unit_code=G2&role=organizer&locale=vi&password=a+long+password&csrf={csrf}")).await;
        assert_eq!(elsewhere.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            elsewhere.body.contains("value=\"org.g2\""),
            "what was typed is kept"
        );
        let above = post(format!(
            "username=boss&unit_code=G1&role=admin&locale=vi&password=a+long+password&csrf={csrf}"
        ))
        .await;
        assert_eq!(above.status, StatusCode::UNPROCESSABLE_ENTITY);
        // The new organizer logs in, reads Vietnamese, and has no user management.
        let org = c.session_cookie("org.g1").await;
        let home = c.page("GET", "/", &org, None).await;
        assert!(home.body.contains("<html lang=\"vi\""));
        assert_eq!(
            c.page("GET", "/users", &org, None).await.status,
            StatusCode::FORBIDDEN
        );
    }
);

on_both_backends!(
    units_and_workplaces_are_kept_through_the_pages,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = crate::support::small_tree_of_levels(
            &c,
            &["Province", "District", "Grassroots", "Group"],
        )
        .await;
        c.login("officer.d1", Some("D1"), "officer").await;
        let me = c.session_cookie("officer.d1").await;
        let csrf = csrf_of(&c.page("GET", "/units/new?parent=D1", &me, None).await.body);
        let post = |path: &'static str, form: String| {
            let c = &c;
            let me = me.clone();
            async move { c.page("POST", path, &me, Some(&form)).await }
        };
        let made = post("/units/new", format!("parent_code=D1&code=G1B&level=Group&name={}&name_en=Coir+mat+union&founded_on=15%2F5%2F2024&csrf={csrf}", enc("CĐCS Thảm xơ dừa"))).await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        let outside = post(
            "/units/new",
            format!("parent_code=D2&code=G2B&level=Grassroots&name=X&csrf={csrf}"),
        )
        .await;
        assert_eq!(outside.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            outside.body.contains("value=\"G2B\""),
            "what was typed is kept"
        );
        let bad_date = post("/units/new", format!("parent_code=D1&code=G1C&level=Grassroots&name=X&founded_on=31%2F2%2F2024&csrf={csrf}")).await;
        assert_eq!(bad_date.status, StatusCode::UNPROCESSABLE_ENTITY);
        let edited = c
            .page(
                "POST",
                "/units/G1B/edit",
                &me,
                Some(&format!(
                    "level=Group&name={}&founded_on=15%2F05%2F2024&csrf={csrf}",
                    enc("CĐCS Thảm xơ dừa Giồng Trôm")
                )),
            )
            .await;
        assert_eq!(edited.status, StatusCode::SEE_OTHER, "{}", edited.body);
        let unit_page = c.page("GET", "/units/G1B", &me, None).await;
        let move_forms = unit_page.body.matches("action=\"/units/G1B/move\"").count();
        assert_eq!(move_forms, 1, "the unit page shows its move form once");
        let moved = c
            .page(
                "POST",
                "/units/G1B/move",
                &me,
                Some(&format!("parent_code=G1&csrf={csrf}")),
            )
            .await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
        let (_, unit) = c.get("/api/v1/units/G1B", &admin).await;
        assert_eq!(
            (unit["parent_code"].as_str(), unit["founded_on"].as_str()),
            (Some("G1"), Some("2024-05-15"))
        );
        assert_eq!(unit["name"], "CĐCS Thảm xơ dừa Giồng Trôm");

        let wp = post("/workplaces/new", format!("code=W1&name={}&unit_code=D1&sector_code=C13&ownership=domestic_private&headcount=120&operating_since=1%2F1%2F2010&covering_unit_code=G1B&csrf={csrf}", enc("Công ty Thảm Xơ Dừa"))).await;
        assert_eq!(wp.status, StatusCode::SEE_OTHER, "{}", wp.body);
        let bad = post(
            "/workplaces/new",
            format!("code=W2&name=X&unit_code=D1&headcount=many&csrf={csrf}"),
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let page = c.page("GET", "/workplaces/W1", &me, None).await;
        assert!(page.body.contains("Công ty Thảm Xơ Dừa") && page.body.contains("G1B"));
        let edited = c
            .page(
                "POST",
                "/workplaces/W1/edit",
                &me,
                Some(&format!(
                    "name={}&unit_code=D1&headcount=150&csrf={csrf}",
                    enc("Công ty Thảm Xơ Dừa")
                )),
            )
            .await;
        assert_eq!(edited.status, StatusCode::SEE_OTHER, "{}", edited.body);
        let (_, w) = c.get("/api/v1/workplaces/W1", &admin).await;
        assert_eq!(w["headcount"], 150);
        assert_eq!(w["operating_since"], "2010-01-01");
        let d2 = c.login("officer.d2", Some("D2"), "officer").await;
        let _ = d2;
        let theirs = c.session_cookie("officer.d2").await;
        assert_eq!(
            c.page("GET", "/workplaces/W1", &theirs, None).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            c.page("GET", "/units/G1B/edit", &theirs, None).await.status,
            StatusCode::NOT_FOUND
        );
    }
);

on_both_backends!(
    roles_are_set_within_the_subtree_only,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        small_tree(&c).await;
        c.login("officer.d1", Some("D1"), "officer").await;
        c.login("organizer.g1", Some("G1"), "organizer").await;
        c.login("organizer.g2", Some("G2"), "organizer").await;
        let me = c.session_cookie("officer.d1").await;
        let csrf = csrf_of(&c.page("GET", "/users", &me, None).await.body);
        let changed = c
            .page(
                "POST",
                "/users/organizer.g1/role",
                &me,
                Some(&format!("role=viewer&csrf={csrf}")),
            )
            .await;
        assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
        let outside = c
            .page(
                "POST",
                "/users/organizer.g2/role",
                &me,
                Some(&format!("role=viewer&csrf={csrf}")),
            )
            .await;
        assert_eq!(outside.status, StatusCode::NOT_FOUND);
        let above = c
            .page(
                "POST",
                "/users/organizer.g1/role",
                &me,
                Some(&format!("role=admin&csrf={csrf}")),
            )
            .await;
        assert_eq!(above.status, StatusCode::UNPROCESSABLE_ENTITY);
        let own = c
            .page(
                "POST",
                "/users/officer.d1/role",
                &me,
                Some(&format!("role=viewer&csrf={csrf}")),
            )
            .await;
        assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY);
        // The new viewer may read but not register anyone.
        let viewer = c.session_cookie("organizer.g1").await;
        assert_eq!(
            c.page("GET", "/members/new", &viewer, None).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            c.page("GET", "/members", &viewer, None).await.status,
            StatusCode::OK
        );
    }
);

on_both_backends!(
    expired_sessions_end_and_are_pruned,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        small_tree(&c).await;
        c.login("lan.tran", Some("D1"), "viewer").await;
        let me = c.session_cookie("lan.tran").await;
        assert_eq!(c.page("GET", "/", &me, None).await.status, StatusCode::OK);
        sqlx::query("UPDATE sessions SET expires_at = '2000-01-01T00:00:00.000Z'")
            .execute(c.app.db().pool())
            .await
            .unwrap();
        assert_eq!(
            c.page("GET", "/", &me, None).await.status,
            StatusCode::SEE_OTHER,
            "an expired session logs out"
        );
        c.session_cookie("lan.tran").await;
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
            .fetch_one(c.app.db().pool())
            .await
            .unwrap();
        assert_eq!(left, 1, "the expired session is gone, the new one stays");
    }
);
