//! In real Chromium: Markazi's officer holds the labor-week coordination meeting of
//! 1401/01/22, finds it quorate, records the decision with items for two counties; the
//! Arak county officer splits theirs for a unit below, and both parts get done; the
//! province sees Arak's part done and Saveh's still open.

use crate::browser::{log_in, start_server};
use crate::support::Backend;
use crate::webdriver::Browser;
use muster_app::committees::{CommitteeInput, SeatInput};
use muster_app::units::NewUnit;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_coordination_meeting_sends_items_down_and_a_county_finishes_its_part() {
    let (url, _db, app) = start_server(Backend::Sqlite).await;
    let system = app.actor();
    app.create_unit(
        &system,
        NewUnit {
            parent_code: Some("MK-ARK".into()),
            code: "MK-ARK-1".into(),
            level: "بخش".into(),
            name: "خانه کارگر بخش مرکزی اراک".into(),
            ..NewUnit::default()
        },
    )
    .await
    .unwrap();
    let committee = app
        .create_committee(
            &system,
            CommitteeInput {
                unit_code: Some("MK".into()),
                name: Some("ستاد هماهنگی هفتهٔ کارگر".into()),
                kind: Some("steering".into()),
                cadence: Some("as_needed".into()),
                quorum_percent: None,
                calendar: Some("persian".into()),
                term_start: Some("2022-01-01".into()),
                term_end: None,
            },
        )
        .await
        .unwrap();
    for name in ["حسن موسوی", "مریم احمدی", "علی رضایی"] {
        app.add_seat(
            &system,
            committee.id,
            SeatInput {
                outside_name: Some(name.into()),
                outside_title: Some("نمایندهٔ کارگران".into()),
                voting: Some(true),
                ..SeatInput::default()
            },
        )
        .await
        .unwrap();
    }
    let cid = committee.id;
    tokio::task::spawn_blocking(move || {
        let b = Browser::start();
        log_in(&b, &url, "markazi");
        // Call the meeting: the day typed in the Solar Hijri calendar.
        b.goto(&format!("{url}/committees/{cid}"));
        b.click("#new-meeting");
        b.wait_until("location.pathname.endsWith('/meetings/new')");
        b.type_into("#f-day", "1401/01/22");
        b.type_into("#f-time", "10:00");
        b.type_into("#f-place", "خانهٔ کارگر اراک");
        b.type_into("#agendatext", "افتتاح | رئیس | 10\nبرنامه‌های هفتهٔ کارگر | دبیر | 60\nسایر موارد");
        b.click("form.card button[type=submit]");
        b.wait_until("/^\\/meetings\\/\\d+$/.test(location.pathname)");
        let meeting_url = b.url();
        assert!(b.text(".meeting-head").contains("۱۴۰۱/۰۱/۲۲"), "{}", b.text(".meeting-head"));
        assert!(b.script("return document.querySelector('#quorum').classList.contains('short')") == true);

        // Two of three present: quorate, shown before anything is decided.
        b.script("document.querySelector('select[name=presence0]').value = 'present'; document.querySelector('select[name=presence1]').value = 'present'; document.querySelector('select[name=presence2]').value = 'absent';");
        b.click("#attendance ~ div.actions button[type=submit]");
        b.wait_until("document.querySelector('.flash') !== null");
        assert!(b.script("return document.querySelector('#quorum').classList.contains('quorate')") == true);

        // The decision, with an item for each of two counties.
        b.script("document.querySelector('#f-item_id').selectedIndex = 1;");
        b.type_into("#decisiontext", "تصویب چهارده برنامهٔ هفتهٔ کارگر");
        b.type_into("#f-votes_for", "۲");
        b.type_into("#f-votes_against", "0");
        b.type_into("#f-votes_abstain", "0");
        b.type_into("#f-aunit0", "MK-ARK");
        b.type_into("#f-atitle0", "برگزاری برنامه‌ها در شهرستان");
        b.type_into("#f-adue0", "1401/02/10");
        b.type_into("#f-aunit1", "MK-SVH");
        b.type_into("#f-atitle1", "برگزاری برنامه‌ها در شهرستان");
        b.type_into("#f-adue1", "1401/02/10");
        b.click("#decision-form button[type=submit]");
        b.wait_until("document.querySelector('p.decision') !== null");
        assert!(b.text("p.decision").contains("۱۴۰۱/۱"), "{}", b.text("p.decision"));
        let decision_href = b.script("return document.querySelector('p.decision a').getAttribute('href')");
        let decision_url = format!("{url}{}", decision_href.as_str().unwrap());
        b.goto(&meeting_url);

        // Arak's officer splits their item for the unit below and finishes both.
        let b = Browser::start();
        log_in(&b, &url, "arak");
        b.goto(&format!("{url}/action-items"));
        assert_eq!(b.script("return document.querySelectorAll('table.actions-table tbody tr').length"), 1);
        b.click("table.actions-table tbody td a");
        b.wait_until("/^\\/action-items\\/\\d+$/.test(location.pathname)");
        let item_url = b.url();
        b.type_into("#f-sunit0", "MK-ARK-1");
        b.type_into("#f-stitle0", "همایش کارگران نمونه");
        b.type_into("#f-sdue0", "1401/02/05");
        b.click("#split-form button[type=submit]");
        b.wait_until("document.querySelector('.flash') !== null");
        // Its list now holds the new item too, due first.
        b.goto(&format!("{url}/action-items"));
        assert!(b.text("table.actions-table tbody tr:nth-child(1)").contains("MK-ARK-1"));
        b.click("table.actions-table tbody tr:nth-child(1) td a");
        b.wait_until("/^\\/action-items\\/\\d+$/.test(location.pathname)");
        b.script("document.querySelector('#f-status').value = 'done'");
        b.type_into("#f-note", "همایش برگزار شد");
        b.click("#progress-form button[type=submit]");
        b.wait_until("document.querySelector('.flash') !== null");
        b.goto(&item_url);
        b.script("document.querySelector('#f-status').value = 'done'");
        b.click("#progress-form button[type=submit]");
        b.wait_until("document.querySelector('.flash') !== null");
        assert!(b.text("main").contains("۱۰۰"), "all of Arak's part below is done");

        // The province sees Arak done and Saveh open.
        let b = Browser::start();
        log_in(&b, &url, "markazi");
        b.goto(&decision_url);
        let rows = b.script("return [...document.querySelectorAll('table.actions-table tbody tr')].map(r => r.cells[0].innerText.trim() + ':' + r.cells[3].innerText.trim()).join('|')");
        let rows = rows.as_str().unwrap().to_string();
        assert!(rows.contains("MK-ARK:انجام شد") && rows.contains("MK-SVH:باز"), "{rows}");
        assert!(b.text("#done-share").contains("۵۰"), "{}", b.text("#done-share"));
    })
    .await
    .unwrap();
}
