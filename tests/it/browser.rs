//! What a person does, in real Chromium: log in, register a member in Persian with a
//! Solar Hijri date, find them with Persian digits, read the date in Vietnamese, and
//! be refused from a sibling district.

use crate::support::{Backend, TestDb};
use crate::webdriver::Browser;
use muster_app::units::NewUnit;
use muster_app::users::NewLogin;
use muster_app::Actor;

async fn start_server(backend: Backend) -> (String, TestDb, muster_app::App) {
    let db = TestDb::new(backend).await;
    let app = db.app().await;
    let system = Actor::system();
    for (parent, code, name) in [
        (None, "MK", "خانه کارگر استان مرکزی"),
        (Some("MK"), "MK-ARK", "خانه کارگر شهرستان اراک"),
        (Some("MK"), "MK-SVH", "خانه کارگر شهرستان ساوه"),
    ] {
        app.create_unit(
            &system,
            NewUnit {
                parent_code: parent.map(String::from),
                code: code.into(),
                level: if parent.is_some() {
                    "شهرستان"
                } else {
                    "استان"
                }
                .into(),
                name: name.into(),
                ..NewUnit::default()
            },
        )
        .await
        .unwrap();
    }
    for (username, unit) in [("arak", "MK-ARK"), ("saveh", "MK-SVH")] {
        app.add_user(
            &system,
            NewLogin {
                unit_code: Some(unit),
                username,
                role: "officer",
                password: "a long password",
                locale: Some("fa"),
            },
        )
        .await
        .unwrap();
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(muster_web::serve(
        listener,
        app.clone(),
        std::future::pending(),
    ));
    (url, db, app)
}

fn log_in(b: &Browser, url: &str, username: &str) {
    b.goto(&format!("{url}/login"));
    b.type_into("#username", username);
    b.type_into("#password", "a long password");
    b.click("form.card button[type=submit]");
    b.wait_until("!location.pathname.startsWith('/login')");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_persian_member_with_a_solar_hijri_date() {
    let (url, _db, _app) = start_server(Backend::Sqlite).await;
    tokio::task::spawn_blocking(move || {
        let b = Browser::start();
        log_in(&b, &url, "arak");
        assert_eq!(b.script("return document.documentElement.dir"), "rtl");
        assert_eq!(b.script("return document.documentElement.lang"), "fa");

        // A date that does not exist: refused on its field, everything else kept.
        b.goto(&format!("{url}/members/new"));
        b.script("document.querySelector('#f-unit_code').value = 'MK-ARK'");
        b.type_into("#f-full_name", "زهرا رضایی");
        b.type_into("#f-phone", "۰۹۱۲ ۳۴۵ ۶۷۸۹");
        b.type_into("#f-joined_on", "1401/13/01");
        b.click("form.card button[type=submit]");
        b.wait_until("document.querySelector('#f-joined_on-error') !== null");
        assert!(
            b.text("#f-joined_on-error").len() > 3,
            "the date field says what is wrong"
        );
        assert_eq!(b.value("#f-full_name"), "زهرا رضایی");
        assert_eq!(b.value("#f-joined_on"), "1401/13/01");

        b.type_into("#f-joined_on", "۱۴۰۳/۰۲/۲۶");
        b.click("form.card button[type=submit]");
        b.wait_until("/^\\/members\\/\\d+$/.test(location.pathname)");
        assert!(b.url().contains("/members/"), "{}", b.url());
        let member_url = b.url();
        assert!(b.text(".flash").len() > 3);

        // Found in the list, the date in Persian digits.
        b.goto(&format!("{url}/members?q=%D8%B1%D8%B6%D8%A7%DB%8C%DB%8C"));
        assert_eq!(b.text("table.members tbody td a"), "زهرا رضایی");
        assert_eq!(b.text("table.members tbody td.date"), "۱۴۰۳/۰۲/۲۶");

        // In Vietnamese the same day is Gregorian.
        b.click("form.langs button[value=vi]");
        b.wait_until("document.documentElement.lang === 'vi'");
        assert_eq!(b.script("return document.documentElement.lang"), "vi");
        assert_eq!(b.script("return document.documentElement.dir"), "ltr");
        assert_eq!(b.text("table.members tbody td.date"), "15/05/2024");

        // A user of the sibling county cannot open it.
        b.click(".who button");
        b.wait_until("location.pathname.startsWith('/login')");
        log_in(&b, &url, "saveh");
        b.goto(&member_url);
        let body = b.text("main");
        assert!(!body.contains("زهرا"), "{body}");
        assert_eq!(
            b.script("return document.querySelectorAll('main p.empty').length"),
            1
        );
    })
    .await
    .unwrap();
}
