//! The demo's cases: the legal counseling desk of Markazi's labor week with cases
//! opened there, livelihood aid and home repair cases in Markazi, grievances at a Bến
//! Tre enterprise at their second step (one past its deadline), and domestic workers'
//! wage cases in Uttar Pradesh, one referred to the state.

use crate::cases::{ActivityInput, CaseInput, ReferInput, StatusInput};
use crate::events::EventQuery;
use crate::members::{MemberItem, MemberQuery};
use crate::{Actor, App, AppError};

async fn members(
    app: &App,
    system: &Actor,
    unit: &str,
    n: i64,
) -> Result<Vec<MemberItem>, AppError> {
    let q = MemberQuery {
        unit: Some(unit.into()),
        status: Some("active".into()),
        limit: Some(n),
        ..MemberQuery::default()
    };
    Ok(app.list_members(system, &q).await?.items)
}

/// A case for a member, with what was done: (kind, day, note).
#[allow(clippy::too_many_arguments)]
async fn case(
    app: &App,
    system: &Actor,
    desk: &str,
    kind: &str,
    person: i64,
    subject: &str,
    opened: &str,
    event: Option<i64>,
    done: &[(&str, &str, &str)],
) -> Result<i64, AppError> {
    let c = app
        .open_case(
            system,
            CaseInput {
                unit_code: Some(desk.into()),
                case_type: Some(kind.into()),
                person_id: Some(person),
                subject: Some(subject.into()),
                opened_on: Some(opened.into()),
                event_id: event,
                // Châu Thành's cases are the demo case worker's.
                assignee: (desk == "BT-CT").then(|| "tuvan".to_string()),
                ..CaseInput::default()
            },
        )
        .await?;
    for (k, day, note) in done {
        app.record_case_activity(
            system,
            c.id,
            ActivityInput {
                kind: Some(k.to_string()),
                on_day: Some(day.to_string()),
                text: Some(note.to_string()),
            },
        )
        .await?;
    }
    Ok(c.id)
}

async fn resolve(
    app: &App,
    system: &Actor,
    id: i64,
    outcome: &str,
    day: &str,
) -> Result<(), AppError> {
    app.set_case_status(
        system,
        id,
        StatusInput {
            status: Some("resolved".into()),
            outcome: Some(outcome.into()),
            on_day: Some(day.into()),
        },
    )
    .await?;
    Ok(())
}

pub async fn load(app: &App, system: &Actor) -> Result<(), AppError> {
    // Markazi: the legal desk of the labor week.
    let desk = app
        .list_events(
            system,
            &EventQuery {
                unit: Some("MK".into()),
                ..EventQuery::default()
            },
        )
        .await?
        .into_iter()
        .find(|e| e.kind == "service_desk")
        .map(|e| e.id);
    let people = members(app, system, "MK-KHO", 6).await?;
    let subjects = [
        (
            "قرارداد موقت پس از هشت سال کار",
            "قرارداد دائم طبق مادهٔ ۷ قانون کار حق کارگر است.",
        ),
        (
            "بیمهٔ پرداخت‌نشدهٔ سه ماه",
            "کارفرما به سازمان تأمین اجتماعی معرفی شد.",
        ),
        ("اخراج بدون پرداخت سنوات", "شکایت به ادارهٔ کار تنظیم شد."),
    ];
    for (i, (subject, note)) in subjects.iter().enumerate() {
        let id = case(
            app,
            system,
            "MK",
            "legal_counseling",
            people[i].id,
            subject,
            "2026-04-26",
            desk,
            &[("note", "2026-04-26", note)],
        )
        .await?;
        if i == 0 {
            resolve(app, system, id, "قرارداد دائم امضا شد.", "2026-05-20").await?;
        }
    }
    // Markazi: livelihood aid and home repair for workers in need.
    case(
        app,
        system,
        "MK-ARK",
        "livelihood_aid",
        people[3].id,
        "کمک معیشتی پس از بیکاری",
        "2026-10-12",
        None,
        &[("visit", "2026-10-15", "خانوادهٔ پنج‌نفره، همسر بیمار.")],
    )
    .await?;
    case(
        app,
        system,
        "MK-ARK",
        "home_repair",
        people[4].id,
        "تعمیر سقف خانه پیش از زمستان",
        "2026-11-02",
        None,
        &[(
            "visit",
            "2026-11-06",
            "سقف آشپزخانه نشت دارد؛ برآورد هزینه گرفته شد.",
        )],
    )
    .await?;
    // Bến Tre: grievances at an enterprise, both at step 2, one past its deadline.
    let bt = members(app, system, "BT-CT", 2).await?;
    case(
        app,
        system,
        "BT-CT",
        "grievance",
        bt[0].id,
        "Không trả lương làm thêm giờ tháng 9",
        "2026-10-01",
        None,
        &[
            ("note", "2026-10-01", "Bảng chấm công có hai bản."),
            ("reply", "2026-10-06", "Công ty hẹn trả sau."),
        ],
    )
    .await?;
    case(
        app,
        system,
        "BT-CT",
        "grievance",
        bt[1].id,
        "Bị điều chuyển không báo trước",
        "2026-11-20",
        None,
        &[("reply", "2026-11-25", "Công ty giữ nguyên quyết định.")],
    )
    .await?;
    // Uttar Pradesh: domestic workers' wages, one referred up to the state.
    let up = members(app, system, "UP-LKO", 3).await?;
    for (i, m) in up.iter().enumerate() {
        let id = case(
            app,
            system,
            "UP-LKO",
            "grievance",
            m.id,
            "घरेलू काम की मज़दूरी तीन महीने से बकाया",
            "2026-11-10",
            None,
            &[("call", "2026-11-11", "मालिक ने फ़ोन पर भुगतान से इनकार किया।")],
        )
        .await?;
        if i == 0 {
            app.refer_case(
                system,
                id,
                ReferInput {
                    unit_code: Some("UP".into()),
                    note: Some("श्रम विभाग में राज्य स्तर पर शिकायत करनी होगी।".into()),
                },
            )
            .await?;
        }
    }
    Ok(())
}
