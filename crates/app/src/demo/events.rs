//! The demo's programs and events: Markazi's labor week of 1405 (2 to 11 Ordibehesht)
//! with a province conference honoring exemplary workers, the memorial for the workers
//! who died at work, a legal counseling desk and county events; Uttar Pradesh's march
//! and three-day cadre training camp with daily check-in; Bến Tre's Workers' Month
//! with events in its districts.

use crate::events::{CheckIn, EventInput, ParticipantInput, ProgramInput, ReportInput, WalkIn};
use crate::members::MemberQuery;
use crate::{Actor, App, AppError};
use std::collections::BTreeMap;

fn names(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(l, n)| (l.to_string(), n.to_string()))
        .collect()
}

/// An event, `people` members of `from` registered, and each day's check-ins: on day
/// `d` (from 0) all but every `absent`-th person come. With `report`, the closing report
/// is filed.
struct Demo<'a> {
    program: Option<i64>,
    unit: &'a str,
    kind: &'a str,
    name: &'a str,
    names: &'a [(&'a str, &'a str)],
    days: (&'a str, &'a str),
    place: &'a str,
    capacity: Option<i64>,
    from: &'a str,
    people: i64,
    absent: usize,
    report: Option<&'a str>,
}

async fn event(app: &App, system: &Actor, d: Demo<'_>) -> Result<i64, AppError> {
    let e = app
        .create_event(
            system,
            EventInput {
                program_id: d.program,
                unit_code: Some(d.unit.into()),
                kind: Some(d.kind.into()),
                name: Some(d.name.into()),
                names: names(d.names),
                starts_on: Some(d.days.0.into()),
                ends_on: Some(d.days.1.into()),
                place: Some(d.place.into()),
                capacity: d.capacity,
                audience: None,
                registration_opens: None,
                registration_closes: None,
                sessions: Vec::new(),
            },
        )
        .await?;
    let q = MemberQuery {
        unit: Some(d.from.into()),
        status: Some("active".into()),
        limit: Some(d.people),
        ..MemberQuery::default()
    };
    let mut registered = Vec::new();
    for m in app.list_members(system, &q).await?.items {
        let p = app
            .register_participant(
                system,
                e.id,
                ParticipantInput {
                    person_id: Some(m.id),
                    ..ParticipantInput::default()
                },
            )
            .await?;
        registered.push(p.id);
    }
    let first = muster_domain::Date::parse_iso(d.days.0)
        .map_err(|err| AppError::field("starts_on", err.code))?;
    let last = muster_domain::Date::parse_iso(d.days.1)
        .map_err(|err| AppError::field("ends_on", err.code))?;
    let today = muster_domain::Date::today();
    let mut day = first;
    let mut n = 0;
    while day <= last && day <= today {
        for (i, p) in registered.iter().enumerate() {
            if d.absent > 0 && (i + n) % d.absent == 0 {
                continue;
            }
            app.check_in(
                system,
                e.id,
                CheckIn {
                    participant_id: Some(*p),
                    day: Some(day.to_string()),
                    ..CheckIn::default()
                },
            )
            .await?;
        }
        day = day.add_days(1);
        n += 1;
    }
    if let Some(notes) = d.report.filter(|_| last < today) {
        app.close_event(
            system,
            e.id,
            ReportInput {
                notes: Some(notes.into()),
                media: None,
            },
        )
        .await?;
    }
    Ok(e.id)
}

pub async fn load(app: &App, system: &Actor) -> Result<(), AppError> {
    let (week, conference) = markazi(app, system).await?;
    super::awards::markazi(app, system, week, conference).await?;
    uttar_pradesh(app, system).await?;
    ben_tre(app, system).await
}

/// Markazi's week: its id and the conference's, where the honors are given.
async fn markazi(app: &App, system: &Actor) -> Result<(i64, i64), AppError> {
    // 1405/02/02 to 1405/02/11.
    let week = app
        .create_program(
            system,
            ProgramInput {
                unit_code: Some("MK".into()),
                name: Some("هفتهٔ کارگر ۱۴۰۵".into()),
                names: names(&[("en", "Labor Week 1405"), ("vi", "Tuần lễ Lao động 1405")]),
                starts_on: Some("2026-04-22".into()),
                ends_on: Some("2026-05-01".into()),
                decision_id: None,
            },
        )
        .await?;
    let p = Some(week.id);
    let conference = event(
        app,
        system,
        Demo {
            program: p,
            unit: "MK",
            kind: "conference",
            name: "همایش تجلیل از کارگران و کارفرمایان نمونه",
            names: &[("en", "Conference honoring exemplary workers and employers")],
            days: ("2026-04-23", "2026-04-23"),
            place: "سالن همایش‌های استانداری",
            capacity: Some(40),
            from: "MK-ARK",
            people: 30,
            absent: 6,
            report: Some("تجلیل از کارگران و کارفرمایان نمونهٔ استان."),
        },
    )
    .await?;
    event(
        app,
        system,
        Demo {
            program: p,
            unit: "MK",
            kind: "memorial",
            name: "یادبود ۴۱۸ کارگر جان‌باخته در حوادث کار",
            names: &[("en", "Memorial for the 418 workers who died at work")],
            days: ("2026-04-28", "2026-04-28"),
            place: "گلزار شهدای اراک",
            capacity: None,
            from: "MK-SAV",
            people: 20,
            absent: 5,
            report: Some("یاد کارگران جان‌باخته در حوادث کار گرامی داشته شد."),
        },
    )
    .await?;
    let desk = event(
        app,
        system,
        Demo {
            program: p,
            unit: "MK",
            kind: "service_desk",
            name: "میز مشاورهٔ حقوقی کارگران",
            names: &[("en", "Legal counseling desk for workers")],
            days: ("2026-04-25", "2026-04-27"),
            place: "خانهٔ کارگر اراک",
            capacity: None,
            from: "MK-KHO",
            people: 8,
            absent: 3,
            report: None,
        },
    )
    .await?;
    // Walk-ins at the desk: two join there.
    for (name, gender) in [("مریم احمدی", "female"), ("حسن رضایی", "male")] {
        app.walk_in(
            system,
            desk,
            WalkIn {
                full_name: Some(name.into()),
                gender: Some(gender.into()),
                join: true,
                unit_code: Some("MK-ARK".into()),
                allow_duplicate: true,
                day: Some("2026-04-26".into()),
                ..WalkIn::default()
            },
        )
        .await?;
    }
    app.close_event(
        system,
        desk,
        ReportInput {
            notes: Some("مشاورهٔ حقوقی دربارهٔ قرارداد، دستمزد و بیمه.".into()),
            media: None,
        },
    )
    .await?;
    for (unit, kind, name, day) in [
        (
            "MK-ARK",
            "sports",
            "مسابقات فوتسال کارگری شهرستان اراک",
            "2026-04-24",
        ),
        (
            "MK-SAV",
            "visit",
            "دیدار با کارگران کارخانه‌های ساوه",
            "2026-04-26",
        ),
        ("MK-KHO", "cultural", "شب شعر کارگری خمین", "2026-04-29"),
    ] {
        event(
            app,
            system,
            Demo {
                program: p,
                unit,
                kind,
                name,
                names: &[],
                days: (day, day),
                place: "",
                capacity: None,
                from: unit,
                people: 12,
                absent: 4,
                report: Some("برگزار شد."),
            },
        )
        .await?;
    }
    Ok((week.id, conference))
}

async fn uttar_pradesh(app: &App, system: &Actor) -> Result<(), AppError> {
    event(
        app,
        system,
        Demo {
            program: None,
            unit: "UP",
            kind: "march",
            name: "मज़दूर अधिकार मार्च",
            names: &[("en", "Workers' rights march")],
            days: ("2026-05-01", "2026-05-01"),
            place: "लखनऊ, चारबाग़ से विधान सभा",
            capacity: None,
            from: "UP",
            people: 25,
            absent: 7,
            report: Some("न्यूनतम मज़दूरी और सामाजिक सुरक्षा की माँग पर मार्च।"),
        },
    )
    .await?;
    event(
        app,
        system,
        Demo {
            program: None,
            unit: "UP-LKO",
            kind: "training_camp",
            name: "कैडर प्रशिक्षण शिविर (तीन दिवसीय)",
            names: &[("en", "Cadre training camp (three days)")],
            days: ("2026-06-10", "2026-06-12"),
            place: "मलिहाबाद",
            capacity: Some(15),
            from: "UP-LKO",
            people: 12,
            absent: 5,
            report: Some("संगठन, योजनाओं और पंजीकरण पर तीन दिन का प्रशिक्षण।"),
        },
    )
    .await?;
    Ok(())
}

async fn ben_tre(app: &App, system: &Actor) -> Result<(), AppError> {
    let month = app
        .create_program(
            system,
            ProgramInput {
                unit_code: Some("BT".into()),
                name: Some("Tháng Công nhân 2026".into()),
                names: names(&[("en", "Workers' Month 2026")]),
                starts_on: Some("2026-05-01".into()),
                ends_on: Some("2026-05-31".into()),
                decision_id: None,
            },
        )
        .await?;
    let districts: Vec<String> = app
        .list_units(system)
        .await?
        .into_iter()
        .filter(|u| u.parent_code.as_deref() == Some("BT"))
        .map(|u| u.code)
        .take(3)
        .collect();
    for (i, d) in districts.iter().enumerate() {
        let (kind, name) = [
            (
                "conference",
                "Đối thoại giữa người lao động và người sử dụng lao động",
            ),
            (
                "visit",
                "Thăm hỏi, tặng quà công nhân có hoàn cảnh khó khăn",
            ),
            ("sports", "Hội thao công nhân"),
        ][i % 3];
        let day = format!("2026-05-{:02}", 8 + 5 * i);
        event(
            app,
            system,
            Demo {
                program: Some(month.id),
                unit: d,
                kind,
                name,
                names: &[],
                days: (&day, &day),
                place: "Nhà văn hoá lao động",
                capacity: None,
                from: d,
                people: 15,
                absent: 4,
                report: Some("Hoàn thành."),
            },
        )
        .await?;
    }
    Ok(())
}
