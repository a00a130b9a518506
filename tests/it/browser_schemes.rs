//! In real Chromium, in Hindi: Uttar Pradesh's officer writes e-Shram's rule (a wrong
//! line is named, then fixed), Lucknow's organizer opens the worklist and records an
//! enrollment, a cadre camp runs to a certificate, and anyone checks its code.

use crate::browser::log_in;
use crate::support::{Backend, TestDb};
use crate::webdriver::Browser;
use muster_app::members::{NewMember, PersonInput};
use muster_app::units::NewUnit;
use muster_app::users::NewLogin;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_schemes_rule_makes_a_worklist_and_a_camp_ends_in_a_certificate() {
    let db = TestDb::new(Backend::Sqlite).await;
    let app = db.system().await;
    let system = app.actor();
    for (parent, code, level) in [(None, "UP", "प्रदेश"), (Some("UP"), "UP-LKO", "जिला")]
    {
        app.create_unit(
            &system,
            NewUnit {
                parent_code: parent.map(String::from),
                code: code.into(),
                level: level.into(),
                name: format!("असंगठित कामगार कांग्रेस {code}"),
                ..NewUnit::default()
            },
        )
        .await
        .unwrap();
    }
    for (username, unit, role) in [
        ("uttarpradesh", "UP", "officer"),
        ("lucknow", "UP-LKO", "organizer"),
    ] {
        app.add_user(
            &system,
            NewLogin {
                unit_code: Some(unit),
                username,
                role,
                password: "a long password",
                locale: Some("hi"),
            },
        )
        .await
        .unwrap();
    }
    for (name, number, work, born) in [
        ("सुनीता देवी", "UP-7001", "informal", "1990-05-01"),
        ("रमेश कुमार", "UP-7002", "informal", "1985-02-11"),
        ("अनीता वर्मा", "UP-7003", "formal", "1992-07-15"),
    ] {
        app.create_member(
            &system,
            NewMember {
                unit_code: "UP-LKO".into(),
                person: PersonInput {
                    full_name: Some(name.into()),
                    birth_date: Some(born.into()),
                    employment_type: Some(work.into()),
                    ..PersonInput::default()
                },
                member_number: Some(number.into()),
                allow_duplicate: true,
                ..NewMember::default()
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
    tokio::task::spawn_blocking(move || {
        // The officer writes the rule; a wrong line is named and nothing is saved.
        let o = Browser::start();
        log_in(&o, &url, "uttarpradesh");
        o.goto(&format!("{url}/schemes"));
        o.click("#new-scheme");
        o.wait_until("location.pathname === '/schemes/new'");
        o.type_into("#f-code", "eshram");
        o.type_into("#f-name", "ई-श्रम पंजीकरण");
        o.type_into("#scheme-rule", "age between 16 and 59\nsalary >= 5000");
        o.click("#scheme-form button[type=submit]");
        o.wait_until("document.querySelector('#rule-errors') !== null");
        let refused = o.text("#rule-errors");
        assert!(refused.contains('2'), "{refused}");
        o.script("document.querySelector('#scheme-rule').value = ''");
        o.type_into("#scheme-rule", "age between 16 and 59\nemployment_type = informal");
        o.click("#scheme-form button[type=submit]");
        o.wait_until("location.pathname === '/schemes/eshram'");
        let total = o.text("#scheme-rollup tbody tr");
        assert!(total.contains("UP") && total.contains('2'), "{total}");

        // The organizer's worklist: the two informal workers; one enrolled, one left.
        let w = Browser::start();
        log_in(&w, &url, "lucknow");
        w.goto(&format!("{url}/schemes/eshram/worklist"));
        let list = w.text("#worklist");
        assert!(list.contains("सुनीता देवी") && list.contains("रमेश कुमार") && !list.contains("अनीता वर्मा"), "{list}");
        w.type_into("#worklist tbody tr input[name=scheme_number]", "UAN-100200300400");
        w.click("#worklist tbody tr button[type=submit]");
        w.wait_until("document.querySelector('.flash') !== null");
        assert_eq!(w.script("return document.querySelectorAll('#worklist tbody tr').length"), 1);

        // A one-day cadre camp: a session, the organizer's trainee who came, certified.
        o.goto(&format!("{url}/courses/new"));
        o.script("document.querySelector('#f-kind').value = 'cadre'");
        o.type_into("#f-name", "कैडर प्रशिक्षण शिविर");
        o.type_into("#f-starts_on", "10/11/2026");
        o.script("document.querySelector('#f-min_attendance').value = ''");
        o.type_into("#f-min_attendance", "100");
        o.click("#course-form button[type=submit]");
        o.wait_until("/^\\/courses\\/\\d+$/.test(location.pathname)");
        let course_url = o.url();
        o.type_into("#session-form #f-day", "10/11/2026");
        o.type_into("#session-form #f-title", "असंगठित कामगारों के अधिकार");
        o.click("#session-form button[type=submit]");
        o.wait_until("document.querySelectorAll('#course-sessions li').length === 1");
        w.goto(&course_url);
        w.type_into("#trainee-form #f-member_number", "UP-7002");
        w.click("#trainee-form button[type=submit]");
        w.wait_until("document.querySelector('input[name^=a_]') !== null");
        w.click("input[name^=a_]");
        w.click("#save-attendance");
        // The page after saving says so; only then has the attendance been written.
        w.wait_until("document.querySelector('.flash') !== null && document.querySelector('.flash').innerText.includes('उपस्थिति')");
        assert_eq!(w.script("return document.querySelector('input[name^=a_]').checked"), true);
        o.goto(&course_url);
        o.click("button.certify");
        o.wait_until("document.querySelector('#certificate') !== null");
        let code = o.text("#certificate code");
        assert!(o.text("#certificate").contains("रमेश कुमार"), "{}", o.text("#certificate"));
        let verify = code.trim().to_string();
        assert!(verify.contains("/verify/"), "{verify}");

        // Anyone with the code, signed in or not, sees it confirmed.
        let anyone = Browser::start();
        anyone.goto(&verify);
        assert!(anyone.text("#verified").contains("रमेश कुमार"), "{}", anyone.text("main"));
    })
    .await
    .unwrap();
}
