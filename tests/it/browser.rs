//! What a person does, in real Chromium: log in, register a member in Persian with a
//! Solar Hijri date, find them with Persian digits, read the date in Vietnamese, and
//! be refused from a sibling district; start a drive in Solar Hijri months, set and
//! split its target, read who is behind, drill down, and file a monthly report; map a
//! workplace's workers, see the majority on its wall chart, and found its union.

use crate::support::{Backend, TestDb};
use crate::webdriver::Browser;
use muster_app::members::{NewMember, PersonInput};
use muster_app::units::NewUnit;
use muster_app::users::NewLogin;

pub(crate) async fn start_server(backend: Backend) -> (String, TestDb, muster_app::System) {
    let db = TestDb::new(backend).await;
    let app = db.system().await;
    let system = app.actor();
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
    for (username, unit) in [("markazi", "MK"), ("arak", "MK-ARK"), ("saveh", "MK-SVH")] {
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
        app.app().clone(),
        std::future::pending(),
    ));
    (url, db, app)
}

pub(crate) fn log_in(b: &Browser, url: &str, username: &str) {
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_drive_in_solar_hijri_months_from_target_to_report() {
    let (url, _db, app) = start_server(Backend::Sqlite).await;
    // Arak recruits three members in Farvardin 1403, Saveh one.
    for (unit, name, day) in [
        ("MK-ARK", "زهرا رضایی", "2024-03-25"),
        ("MK-ARK", "علی حسینی", "2024-04-01"),
        ("MK-ARK", "مریم احمدی", "2024-04-10"),
        ("MK-SVH", "رضا کریمی", "2024-04-02"),
    ] {
        app.create_member(
            &app.actor(),
            NewMember {
                unit_code: unit.into(),
                person: PersonInput {
                    full_name: Some(name.into()),
                    ..PersonInput::default()
                },
                joined_on: Some(day.into()),
                status: Some("active".into()),
                ..NewMember::default()
            },
        )
        .await
        .unwrap();
    }
    tokio::task::spawn_blocking(move || {
        let b = Browser::start();
        log_in(&b, &url, "markazi");
        b.goto(&format!("{url}/drives/new"));
        b.type_into("#f-code", "MK-1403");
        b.type_into("#f-name", "طرح جذب عضو ۱۴۰۳");
        b.type_into("#f-scope_unit_code", "MK");
        b.script("document.querySelector('#f-calendar').value = 'persian'");
        b.type_into("#f-start_month", "۱۴۰۳/۰۱");
        b.type_into("#f-end_month", "۱۴۰۳/۰۶");
        b.type_into("#f-custom_0_name", "جلسات آموزشی");
        b.click("form.card button[type=submit]");
        b.wait_until("location.pathname === '/drives/MK-1403'");
        assert!(b.text(".flash").len() > 3);

        // The province's target, split in proportion to members: 3 to 1 of 8 is 6 and 2.
        b.click("p.actions a[href*='/targets']");
        b.wait_until("location.pathname.endsWith('/targets')");
        b.type_into("#input-target", "۸");
        b.click("form.inline button[type=submit]");
        b.wait_until("document.querySelector('.flash') !== null");
        b.click("button[value=members]");
        b.wait_until("document.querySelector('.flash') !== null && document.querySelector('input[name=t_MK-ARK]').value !== ''");
        assert_eq!(b.value("input[name=t_MK-ARK]"), "6");
        assert_eq!(b.value("input[name=t_MK-SVH]"), "2");

        // The dashboard: months in Persian, Arak at 3 of 6, Saveh at 1 of 2.
        b.goto(&format!("{url}/drives/MK-1403"));
        let table = b.text("section:nth-of-type(2) table.progress");
        assert!(table.contains("خانه کارگر شهرستان اراک"), "{table}");
        assert!(b.text("figure.chart svg").contains("۱۴۰۳/۰۱"));
        assert_eq!(
            b.script("return document.querySelectorAll('figure.chart svg circle.actual-dot').length"),
            6,
            "every month of a past period is plotted"
        );
        b.click("section:nth-of-type(2) table.progress tbody a");
        b.wait_until("location.search.includes('unit=MK-ARK')");
        assert!(b.text(".crumbs").contains("خانه کارگر استان مرکزی"));

        // Arak files its report for Ordibehesht; the province sees it waiting.
        b.click(".who button");
        b.wait_until("location.pathname.startsWith('/login')");
        log_in(&b, &url, "arak");
        b.goto(&format!("{url}/drives/MK-1403/reports/MK-ARK/1403-02"));
        b.type_into("input[name^=figure_]", "۲");
        b.type_into("#input-narrative", "دو جلسه آموزشی برگزار شد.");
        b.click("form.card button[type=submit]");
        b.wait_until("document.querySelector('.flash') !== null");
        assert!(b.text("main").contains("دو جلسه آموزشی برگزار شد."));
        b.click(".who button");
        b.wait_until("location.pathname.startsWith('/login')");
        log_in(&b, &url, "markazi");
        b.goto(&format!("{url}/drives/MK-1403/reports"));
        b.click("main ul.months a[href*='MK-ARK/1403-02']");
        b.wait_until("location.pathname.endsWith('/1403-02')");
        b.click("button[value=accepted]");
        b.wait_until("document.querySelector('.report.accepted') !== null");
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_committee_maps_a_workplace_and_founds_its_union() {
    let (url, _db, app) = start_server(Backend::Sqlite).await;
    let system = app.actor();
    app.create_workplace(
        &system,
        muster_app::workplaces::WorkplaceInput {
            code: Some("ARK-W1".into()),
            name: Some("کارخانه قطعات اراک".into()),
            unit_code: Some("MK-ARK".into()),
            headcount: Some(3),
            operating_since: Some("2001-04-01".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    for (name, shift) in [("زهرا رضایی", "شیفت صبح"), ("علی حسینی", "شیفت عصر")]
    {
        let worker = muster_app::mapping::NewWorker {
            person_id: None,
            full_name: Some(name.into()),
            department: Some(shift.into()),
        };
        app.add_worker(&system, "ARK-W1", worker).await.unwrap();
    }
    tokio::task::spawn_blocking(move || {
        let b = Browser::start();
        log_in(&b, &url, "arak");
        b.goto(&format!("{url}/workplaces/priority"));
        b.click("table.priority tbody a");
        b.wait_until("location.pathname === '/workplaces/ARK-W1/organizing'");
        // Both workers assessed as supporters through the form.
        for (i, level) in [(0, "1"), (1, "2")] {
            b.script(&format!(
                "document.querySelector('#f-person_id').selectedIndex = {i}; document.querySelector('#input-level').value = '{level}'"
            ));
            b.click("form.card:nth-of-type(1) button[type=submit]");
            // The new page, not the one before it: one more worker assessed.
            b.wait_until(&format!(
                "document.querySelectorAll('td span.level-1, td span.level-2').length === {}",
                i + 1
            ));
        }
        b.click("p.actions a[href$='/wall']");
        b.wait_until("location.pathname.endsWith('/wall')");
        assert_eq!(b.script("return document.querySelectorAll('.wall .column').length"), 2);
        assert_eq!(b.script("return document.querySelectorAll('.wall li.level-1, .wall li.level-2').length"), 2);
        assert_eq!(b.script("return document.querySelector('p.majority').classList.contains('yes')"), true, "2 of 3 is a majority");

        // Founding the union with both as its first members.
        b.goto(&format!("{url}/workplaces/ARK-W1/found"));
        b.type_into("#f-code", "MK-ARK-U1");
        b.type_into("#f-name", "تشکل کارگری کارخانه قطعات");
        b.click("form.card button[type=submit]");
        b.wait_until("location.pathname === '/units/MK-ARK-U1'");
        b.goto(&format!("{url}/members?unit=MK-ARK-U1"));
        assert_eq!(b.script("return document.querySelectorAll('table.members tbody tr').length"), 2);
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_persian_spreadsheet_imported_checked_then_loaded_and_a_duplicate_merged() {
    let (url, _db, app) = start_server(Backend::Sqlite).await;
    let dir = crate::support::TempDir::new("import-page");
    app.create_member(
        &app.actor(),
        NewMember {
            unit_code: "MK-ARK".into(),
            person: PersonInput {
                full_name: Some("مریم احمدی".into()),
                birth_date: Some("1990-03-21".into()),
                ..PersonInput::default()
            },
            joined_on: Some("2024-04-10".into()),
            ..NewMember::default()
        },
    )
    .await
    .unwrap();
    // Headers in Persian as an export writes them, Solar Hijri dates, one row for a
    // county that does not exist, and Maryam again with Arabic letter forms.
    let file = dir.0.join("اعضا.csv");
    std::fs::write(
        &file,
        "نام کامل,کد واحد,تاریخ تولد,تاریخ عضویت\n\
         رضا کریمی,MK-SVH,1365/04/12,1403/02/26\n\
         علی موسوی,MK-XXX,1370/01/01,1403/02/26\n\
         زهرا رضایی,MK-ARK,۱۳۷۲/۰۸/۳۰,۱۴۰۳/۰۳/۰۱\n\
         مريم احمدي,MK-ARK,1369/01/01,1403/03/05\n",
    )
    .unwrap();
    let path = file.display().to_string();
    tokio::task::spawn_blocking(move || {
        let b = Browser::start();
        log_in(&b, &url, "markazi");
        b.goto(&format!("{url}/members"));
        b.click("#import-link");
        b.wait_until("location.pathname === '/members/import'");
        b.type_into("#f_file", &path);
        b.click("form.card button[type=submit]");
        b.wait_until("document.querySelector('#mapping') !== null");
        // Columns matched by their Persian headers; dates read as Solar Hijri.
        assert_eq!(b.value("#f_col0"), "full_name");
        assert_eq!(b.value("#f_col1"), "unit_code");
        assert_eq!(b.value("#f_col3"), "joined_on");
        assert_eq!(b.value("#f_calendar"), "persian");

        b.click("button[value=check]");
        b.wait_until("document.querySelector('#import-progress[data-status=done]') !== null");
        assert_eq!(b.text("#created"), "۳");
        assert_eq!(b.text("#rejected"), "۱");
        assert_eq!(b.text("#duplicates"), "۱");
        let problems = b.text("#problems");
        assert!(problems.contains("MK-XXX"), "{problems}");
        assert!(problems.contains("#1"), "the duplicate names Maryam: {problems}");

        // Nothing was written by the check; loading writes the three good rows.
        b.click("#load-now");
        b.wait_until("document.querySelector('#load-now') === null && document.querySelector('#import-progress[data-status=done]') !== null");
        assert_eq!(b.text("#created"), "۳");
        b.goto(&format!("{url}/members?q=%D8%B2%D9%87%D8%B1%D8%A7"));
        assert_eq!(b.text("table.members tbody td a"), "زهرا رضایی");
        assert_eq!(b.text("table.members tbody td.date"), "۱۴۰۳/۰۳/۰۱");

        // The two Maryams side by side; merging keeps the first.
        b.goto(&format!("{url}/members/duplicates"));
        let pair = b.text("section.dup-pair");
        assert!(pair.contains("مریم احمدی") && pair.contains("مريم احمدي"), "{pair}");
        b.click("section.dup-pair .merge-keep-a");
        b.wait_until("/^\\/members\\/\\d+$/.test(location.pathname)");
        assert!(b.text(".flash").len() > 3);
        b.goto(&format!("{url}/members/duplicates"));
        assert_eq!(b.script("return document.querySelectorAll('section.dup-pair').length"), 0);
    })
    .await
    .unwrap();
}
