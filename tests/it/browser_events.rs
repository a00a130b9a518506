//! In real Chromium: Bến Tre's officer declares the Workers' Month, Châu Thành's officer
//! adds the district's event to it and opens the check-in desk, finds a member by a
//! name typed without diacritics and checks them in, registers a walk-in as a member
//! on the spot, records the district's competition with its winner, and the province
//! sees it all on the program's dashboard.

use crate::browser::{log_in, start_server};
use crate::support::Backend;
use crate::webdriver::Browser;
use muster_app::members::{NewMember, PersonInput};
use muster_app::units::NewUnit;
use muster_app::users::NewLogin;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_district_checks_people_in_at_its_workers_month_event() {
    let (url, _db, app) = start_server(Backend::Sqlite).await;
    let system = app.actor();
    for (parent, code, level, name) in [
        (None, "BT", "Tỉnh", "Liên đoàn Lao động tỉnh Bến Tre"),
        (
            Some("BT"),
            "BT-CT",
            "Huyện",
            "Liên đoàn Lao động huyện Châu Thành",
        ),
    ] {
        app.create_unit(
            &system,
            NewUnit {
                parent_code: parent.map(String::from),
                code: code.into(),
                level: level.into(),
                name: name.into(),
                ..NewUnit::default()
            },
        )
        .await
        .unwrap();
    }
    for (username, unit) in [("bentre", "BT"), ("chauthanh", "BT-CT")] {
        app.add_user(
            &system,
            NewLogin {
                unit_code: Some(unit),
                username,
                role: "officer",
                password: "a long password",
                locale: Some("vi"),
            },
        )
        .await
        .unwrap();
    }
    app.create_member(
        &system,
        NewMember {
            unit_code: "BT-CT".into(),
            person: PersonInput {
                full_name: Some("Nguyễn Văn Hùng".into()),
                gender: Some("male".into()),
                ..PersonInput::default()
            },
            member_number: Some("BT-2001".into()),
            allow_duplicate: true,
            ..NewMember::default()
        },
    )
    .await
    .unwrap();
    tokio::task::spawn_blocking(move || {
        // The province declares the month, its days typed as a Vietnamese reader writes them.
        let b = Browser::start();
        log_in(&b, &url, "bentre");
        b.goto(&format!("{url}/programs/new"));
        b.type_into("#f-unit_code", "BT");
        b.type_into("#f-name", "Tháng Công nhân 2026");
        b.type_into("#f-starts_on", "01/05/2026");
        b.type_into("#f-ends_on", "31/05/2026");
        b.click("form.card button[type=submit]");
        b.wait_until("/^\\/programs\\/\\d+$/.test(location.pathname)");
        let program_url = b.url();

        // The district adds its event and opens the desk.
        let c = Browser::start();
        log_in(&c, &url, "chauthanh");
        c.goto(&program_url);
        c.click("#new-event");
        c.wait_until("location.pathname === '/events/new'");
        c.type_into("#f-unit_code", "BT-CT");
        c.script("document.querySelector('#f-kind').value = 'conference'");
        c.type_into("#f-name", "Đối thoại với người lao động");
        c.type_into("#f-starts_on", "08/05/2026");
        c.click("form.card button[type=submit]");
        c.wait_until("/^\\/events\\/\\d+$/.test(location.pathname)");
        c.click("#open-desk");
        c.wait_until("location.pathname.endsWith('/desk')");
        assert_eq!(c.script("return document.querySelector('#f-day').value"), "08/05/2026");

        // A member found by a name typed without diacritics, checked in.
        c.type_into("#deskq", "nguyen van hung");
        c.click("#desk-search button[type=submit]");
        c.wait_until("document.querySelector('.desk-results button') !== null");
        assert!(c.text(".desk-results").contains("Nguyễn Văn Hùng"), "{}", c.text(".desk-results"));
        c.click(".desk-results button");
        c.wait_until("document.querySelector('#desk-done') !== null");
        assert!(c.text("#desk-done").contains("Nguyễn Văn Hùng"), "{}", c.text("#desk-done"));

        // A walk-in who joins on the spot.
        c.script("document.querySelector('#walk-in').open = true");
        c.type_into("#walk-in #f-full_name", "Phan Thị Nở");
        c.click("#walk-in input[name=join]");
        c.click("#walk-in button[type=submit]");
        c.wait_until("document.querySelector('#desk-done') !== null && document.querySelector('#desk-done').innerText.includes('Nở')");

        // The district's tug of war: the member entered by number, ranked first with a
        // score typed with a comma, gold by rank, finished.
        c.goto(&program_url);
        c.click("#program-competitions");
        c.wait_until("location.pathname === '/competitions'");
        c.click("#new-competition");
        c.wait_until("location.pathname === '/competitions/new'");
        c.type_into("#f-unit_code", "BT-CT");
        c.type_into("#f-discipline", "Kéo co");
        c.script("document.querySelector('#f-category').value = 'men'");
        c.type_into("#f-held_on", "09/05/2026");
        c.click("form.card button[type=submit]");
        c.wait_until("/^\\/competitions\\/\\d+$/.test(location.pathname)");
        c.type_into("#enter #f-member_number", "BT-2001");
        c.click("#enter button[type=submit]");
        c.wait_until("document.querySelector('input[name^=rank_]') !== null");
        c.type_into("input[name^=rank_]", "1");
        c.type_into("input[name^=score_]", "12,5");
        c.click("#results button[type=submit]");
        c.wait_until("document.querySelector('input[name^=score_]') !== null && document.querySelector('input[name^=score_]').value === '12.5'");
        c.click("#finish");
        c.wait_until("document.querySelector('table.results .medal-gold') !== null");
        let row = c.text("table.results tbody tr");
        assert!(row.contains("Nguyễn Văn Hùng") && row.contains("Vàng") && row.contains("12.5"), "{row}");

        // The province's dashboard: one event, two who came, one recruited, one
        // competition finished.
        b.goto(&program_url);
        let total = b.script(
            "const r = document.querySelector('#program-dashboard tbody tr'); return [...r.cells].map(c => c.innerText.trim()).join('|')",
        );
        assert_eq!(total.as_str().unwrap(), "BT|1|0|2|1|0|1|0|1", "{total}");
        let district = b.text("#program-dashboard tbody tr:nth-child(2)");
        assert!(district.contains("BT-CT"), "{district}");
    })
    .await
    .unwrap();
}
