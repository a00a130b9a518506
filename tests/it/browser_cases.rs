//! In real Chromium: a walk-in comes to Châu Thành's desk; the district's case worker
//! opens her case and asks for aid above what the district may approve, the district's
//! officer sees it goes to the province, the case is referred up, and the province's
//! officer approves the aid, pays it and prints the receipt.

use crate::browser::log_in;
use crate::support::{Backend, TestDb};
use crate::webdriver::Browser;
use muster_app::aid::{AidSettingsInput, BudgetInput};
use muster_app::units::NewUnit;
use muster_app::users::NewLogin;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_walk_ins_case_is_referred_up_and_its_aid_approved_and_paid_at_the_province() {
    let db = TestDb::new(Backend::Sqlite).await;
    let app = db.system().await;
    let system = app.actor();
    for (parent, code, level) in [(None, "BT", "Tỉnh"), (Some("BT"), "BT-CT", "Huyện")] {
        app.create_unit(
            &system,
            NewUnit {
                parent_code: parent.map(String::from),
                code: code.into(),
                level: level.into(),
                name: format!("Liên đoàn Lao động {code}"),
                levels: if parent.is_none() {
                    vec!["Tỉnh".into(), "Huyện".into(), "Cơ sở".into()]
                } else {
                    Vec::new()
                },
                ..NewUnit::default()
            },
        )
        .await
        .unwrap();
    }
    for (username, unit, role) in [
        ("bentre", "BT", "officer"),
        ("chauthanh", "BT-CT", "officer"),
        ("tuvan", "BT-CT", "case_worker"),
    ] {
        app.add_user(
            &system,
            NewLogin {
                unit_code: Some(unit),
                username,
                role,
                password: "a long password",
                locale: Some("vi"),
            },
        )
        .await
        .unwrap();
    }
    app.set_aid_settings(
        &system,
        AidSettingsInput {
            tree_code: Some("BT".into()),
            currency: Some("VND".into()),
            limits: [("Huyện".to_string(), "5000000".to_string())].into(),
        },
    )
    .await
    .unwrap();
    let year = muster_domain::Date::today().to_string()[..4].to_string();
    app.set_budget(
        &system,
        BudgetInput {
            unit_code: Some("BT".into()),
            label: Some(year.clone()),
            starts_on: Some(format!("{year}-01-01")),
            ends_on: Some(format!("{year}-12-31")),
            amount: Some("100000000".into()),
        },
    )
    .await
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(muster_web::serve(
        listener,
        app.app().clone(),
        std::future::pending(),
    ));
    tokio::task::spawn_blocking(move || {
        // The case worker opens the walk-in's case at the district's desk.
        let w = Browser::start();
        log_in(&w, &url, "tuvan");
        w.goto(&format!("{url}/cases/new"));
        assert_eq!(w.value("#f-unit_code"), "BT-CT");
        w.script("document.querySelector('#f-case_type').value = 'livelihood_aid'");
        w.type_into("#f-outside_name", "Võ Thị Hạnh");
        w.type_into("#f-outside_phone", "0912 345 678");
        w.type_into("#f-subject", "Nhà bị sập sau bão");
        w.click("form.card button[type=submit]");
        w.wait_until("/^\\/cases\\/\\d+$/.test(location.pathname)");
        let case_url = w.url();

        // Aid asked on the case, above the district's limit, typed as Vietnamese write it.
        w.click("#request-aid");
        w.wait_until("location.pathname === '/aid/new'");
        w.type_into("#f-amount", "8.000.000");
        w.type_into("#aid-purpose", "Dựng lại mái nhà");
        w.click("form.card button[type=submit]");
        w.wait_until("/^\\/aid\\/\\d+$/.test(location.pathname)");
        let aid_url = w.url();
        assert_eq!(w.text("#aid-asked"), "8.000.000 đ");
        assert_eq!(w.text("#aid-waits"), "BT");

        // The district's officer may not decide it: it goes to the province.
        let d = Browser::start();
        log_in(&d, &url, "chauthanh");
        d.goto(&aid_url);
        assert!(d.text("#aid-not-yours").contains("BT"), "{}", d.text("#aid-not-yours"));
        assert_eq!(d.script("return document.querySelector('#approve-form') === null"), true);

        // The case is referred up; the district keeps sight of it.
        w.goto(&case_url);
        w.type_into("#f-refer_unit", "BT");
        w.click("#referral button[type=submit]");
        w.wait_until("document.querySelector('#case-status') !== null && document.querySelector('#referral') === null");
        assert_eq!(w.text("#case-status"), "Đã chuyển lên");

        // The province finds it waiting on it, approves, pays, prints the receipt.
        let p = Browser::start();
        log_in(&p, &url, "bentre");
        p.goto(&format!("{url}/aid"));
        assert!(p.text("#aid").contains("Võ Thị Hạnh"), "{}", p.text("#aid"));
        p.click("#aid tbody a");
        p.wait_until("document.querySelector('#approve-form') !== null");
        p.click("#approve-form button[type=submit]");
        p.wait_until("document.querySelector('#pay-form') !== null");
        assert_eq!(p.text("#aid-status"), "Đã duyệt");
        assert_eq!(p.value("#pay-form #f-amount"), "8000000");
        p.type_into("#pay-form #f-reference", "PC-0117");
        p.click("#pay-form button[type=submit]");
        p.wait_until("document.querySelector('#payments a') !== null");
        assert_eq!(p.text("#aid-status"), "Đã chi đủ");
        p.click("#payments a");
        p.wait_until("document.querySelector('#receipt') !== null");
        let receipt = p.text("#receipt");
        assert!(
            receipt.contains("Võ Thị Hạnh")
                && receipt.contains("8.000.000 đ")
                && receipt.contains("PC-0117")
                && receipt.contains("BT"),
            "{receipt}"
        );

        // The district sees the aid paid on its case.
        w.goto(&case_url);
        assert!(w.text("#case-aid").contains("Đã chi đủ"), "{}", w.text("#case-aid"));
    })
    .await
    .unwrap();
}
