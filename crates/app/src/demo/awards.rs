//! The demo's competitions and honors in Markazi's labor week of 1405: county futsal
//! and women's chess whose winners go on to the province's finals, a poetry contest in
//! Khomein; exemplary workers nominated by grassroots unions within their quotas,
//! approved by the county and the province and honored at the conference; exemplary
//! employers nominated by the counties, one still waiting, one turned down.

use crate::competitions::{CompetitionInput, EntryInput, ResultLine, ResultsInput};
use crate::honors::{AwardInput, CallInput, CategoryInput, NominationInput, StepInput};
use crate::members::{MemberItem, MemberQuery};
use crate::{Actor, App, AppError};
use std::collections::BTreeMap;

fn names(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(l, n)| (l.to_string(), n.to_string()))
        .collect()
}

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

/// `n` women of a unit's subtree.
async fn women(app: &App, system: &Actor, unit: &str, n: usize) -> Result<Vec<i64>, AppError> {
    let mut out = Vec::new();
    for m in members(app, system, unit, 200).await? {
        if out.len() == n {
            break;
        }
        let d = app.get_member(system, m.id).await?;
        if d.person.gender.as_deref() == Some("female") {
            out.push(m.id);
        }
    }
    Ok(out)
}

/// `n` members of a unit's subtree, at most two of any grassroots union (its quota).
async fn spread(
    app: &App,
    system: &Actor,
    unit: &str,
    n: usize,
) -> Result<Vec<MemberItem>, AppError> {
    let mut taken: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = Vec::new();
    for m in members(app, system, unit, 200).await? {
        let k = taken.entry(m.unit_code.clone()).or_default();
        if *k < 2 && out.len() < n {
            *k += 1;
            out.push(m);
        }
    }
    Ok(out)
}

/// A competition with its entries: teams by name, or people by member.
struct Contest<'a> {
    unit: &'a str,
    discipline: &'a str,
    category: &'a str,
    kind: &'a str,
    day: &'a str,
    advances_to: Option<i64>,
    advance_count: i64,
}

async fn contest(app: &App, system: &Actor, program: i64, c: Contest<'_>) -> Result<i64, AppError> {
    Ok(app
        .create_competition(
            system,
            CompetitionInput {
                unit_code: Some(c.unit.into()),
                program_id: Some(program),
                event_id: None,
                discipline: Some(c.discipline.into()),
                category: Some(c.category.into()),
                entry_kind: Some(c.kind.into()),
                held_on: Some(c.day.into()),
                advances_to: c.advances_to,
                advance_count: c.advances_to.map(|_| c.advance_count),
            },
        )
        .await?
        .id)
}

/// Ranks the entries of a competition in the order given, with scores, and finishes
/// it when told.
async fn rank(
    app: &App,
    system: &Actor,
    id: i64,
    scores: &[&str],
    finish: bool,
) -> Result<(), AppError> {
    let c = app.competition(system, id).await?;
    let results = c
        .entries
        .iter()
        .zip(scores)
        .enumerate()
        .map(|(i, (x, s))| ResultLine {
            entry_id: Some(x.id),
            person_id: None,
            rank: Some(i as i64 + 1),
            score: Some(s.to_string()),
            medal: None,
        })
        .collect();
    app.record_results(system, id, ResultsInput { results })
        .await?;
    if finish {
        app.finish_competition(system, id).await?;
    }
    Ok(())
}

pub async fn markazi(
    app: &App,
    system: &Actor,
    program: i64,
    ceremony: i64,
) -> Result<(), AppError> {
    // Futsal: two counties' teams, one team of each goes on to the province final.
    let futsal = contest(
        app,
        system,
        program,
        Contest {
            unit: "MK",
            discipline: "فوتسال",
            category: "men",
            kind: "team",
            day: "2026-04-30",
            advances_to: None,
            advance_count: 0,
        },
    )
    .await?;
    for (county, day, teams) in [
        (
            "MK-ARK",
            "2026-04-24",
            [
                "تیم ماشین‌سازی اراک",
                "تیم آلومینیوم اراک",
                "تیم پتروشیمی شازند",
            ],
        ),
        (
            "MK-SAV",
            "2026-04-25",
            ["تیم ریخته‌گری ساوه", "تیم شیشهٔ ساوه", "تیم نساجی ساوه"],
        ),
    ] {
        let id = contest(
            app,
            system,
            program,
            Contest {
                unit: county,
                discipline: "فوتسال",
                category: "men",
                kind: "team",
                day,
                advances_to: Some(futsal),
                advance_count: 1,
            },
        )
        .await?;
        for team in teams {
            app.enter_competition(
                system,
                id,
                EntryInput {
                    unit_code: Some(county.into()),
                    team_name: Some(team.into()),
                    ..EntryInput::default()
                },
            )
            .await?;
        }
        rank(app, system, id, &["5", "3", "1"], true).await?;
    }
    rank(app, system, futsal, &["4", "2"], true).await?;
    // Women's chess: two players of each county go on; the final is still to be played.
    let chess = contest(
        app,
        system,
        program,
        Contest {
            unit: "MK",
            discipline: "شطرنج",
            category: "women",
            kind: "person",
            day: "2026-05-01",
            advances_to: None,
            advance_count: 0,
        },
    )
    .await?;
    for (county, day) in [("MK-ARK", "2026-04-26"), ("MK-KHO", "2026-04-27")] {
        let id = contest(
            app,
            system,
            program,
            Contest {
                unit: county,
                discipline: "شطرنج",
                category: "women",
                kind: "person",
                day,
                advances_to: Some(chess),
                advance_count: 2,
            },
        )
        .await?;
        for m in women(app, system, county, 4).await? {
            app.enter_competition(
                system,
                id,
                EntryInput {
                    unit_code: Some(county.into()),
                    person_id: Some(m),
                    ..EntryInput::default()
                },
            )
            .await?;
        }
        rank(app, system, id, &["3", "2.5", "1.5", "1"], true).await?;
    }
    // Poetry in Khomein, held at the county's poetry night.
    let poetry = contest(
        app,
        system,
        program,
        Contest {
            unit: "MK-KHO",
            discipline: "شعر کارگری",
            category: "open",
            kind: "person",
            day: "2026-04-29",
            advances_to: None,
            advance_count: 0,
        },
    )
    .await?;
    for m in members(app, system, "MK-KHO", 3).await? {
        app.enter_competition(
            system,
            poetry,
            EntryInput {
                unit_code: Some("MK-KHO".into()),
                person_id: Some(m.id),
                ..EntryInput::default()
            },
        )
        .await?;
    }
    rank(app, system, poetry, &["18.5", "17", "16.75"], true).await?;
    honors(app, system, program, ceremony).await
}

async fn honors(app: &App, system: &Actor, program: i64, ceremony: i64) -> Result<(), AppError> {
    let mut category = BTreeMap::new();
    for (code, name, others) in [
        (
            "exemplary_worker",
            "کارگر نمونه",
            [
                ("en", "Exemplary worker"),
                ("vi", "Công nhân tiêu biểu"),
                ("hi", "आदर्श श्रमिक"),
            ],
        ),
        (
            "exemplary_employer",
            "کارفرمای نمونه",
            [
                ("en", "Exemplary employer"),
                ("vi", "Doanh nghiệp tiêu biểu"),
                ("hi", "आदर्श नियोक्ता"),
            ],
        ),
        (
            "outstanding_child",
            "فرزند ممتاز کارگر",
            [
                ("en", "Member's child outstanding at school"),
                ("vi", "Con đoàn viên học giỏi"),
                ("hi", "पढ़ाई में उत्कृष्ट सदस्य की संतान"),
            ],
        ),
        (
            "long_service",
            "سابقهٔ طولانی خدمت",
            [
                ("en", "Long service"),
                ("vi", "Cống hiến lâu năm"),
                ("hi", "दीर्घ सेवा"),
            ],
        ),
    ] {
        let c = app
            .create_honor_category(
                system,
                CategoryInput {
                    tree_code: Some("MK".into()),
                    code: Some(code.into()),
                    name: Some(name.into()),
                    names: names(&others),
                },
            )
            .await?;
        category.insert(code, c.id);
    }
    // Exemplary workers: two per grassroots union, three for Arak's first; each climbs
    // from the union to the county and the province, and is honored at the conference.
    let workers = app
        .create_honor_call(
            system,
            CallInput {
                unit_code: Some("MK".into()),
                category_id: Some(category["exemplary_worker"]),
                program_id: Some(program),
                event_id: Some(ceremony),
                name: Some("کارگران نمونهٔ استان ۱۴۰۵".into()),
                quota: Some(2),
                quotas: BTreeMap::from([("MK-ARK-G01".to_string(), 3)]),
                closes_on: None,
            },
        )
        .await?;
    let step = |act: &str, note: Option<&str>| StepInput {
        act: act.into(),
        note: note.map(String::from),
    };
    for (county, take) in [("MK-ARK", 4), ("MK-SAV", 3), ("MK-KHO", 2)] {
        let chosen = spread(app, system, county, take).await?;
        let last = chosen.len().saturating_sub(1);
        for (i, m) in chosen.into_iter().enumerate() {
            let n = app
                .nominate(
                    system,
                    workers.id,
                    NominationInput {
                        unit_code: Some(m.unit_code.clone()),
                        person_id: Some(m.id),
                        citation: Some("ده سال کار بی‌حادثه و آموزش کارگران تازه‌کار.".into()),
                        ..NominationInput::default()
                    },
                )
                .await?;
            // The last of Saveh waits on the county; the rest are honored.
            if county == "MK-SAV" && i == last {
                continue;
            }
            app.decide_nomination(system, n.id, step("approve", None))
                .await?;
            app.decide_nomination(system, n.id, step("approve", None))
                .await?;
            app.award_honor(system, n.id, AwardInput { day: None })
                .await?;
        }
    }
    // Exemplary employers: one per county, outside the registry.
    let employers = app
        .create_honor_call(
            system,
            CallInput {
                unit_code: Some("MK".into()),
                category_id: Some(category["exemplary_employer"]),
                program_id: Some(program),
                event_id: Some(ceremony),
                name: Some("کارفرمایان نمونهٔ ۱۴۰۵".into()),
                quota: Some(1),
                quotas: BTreeMap::new(),
                closes_on: None,
            },
        )
        .await?;
    for (county, who, firm, fate) in [
        ("MK-ARK", "مهندس علی کاظمی", "شرکت ماشین‌سازی اراک", "award"),
        ("MK-SAV", "خانم نرگس یزدانی", "کارخانهٔ شیشهٔ ساوه", "wait"),
        ("MK-KHO", "آقای رضا فرهادی", "کارگاه فرش خمین", "reject"),
    ] {
        let n = app
            .nominate(
                system,
                employers.id,
                NominationInput {
                    unit_code: Some(county.into()),
                    outside_name: Some(who.into()),
                    organization: Some(firm.into()),
                    citation: Some("رعایت کامل ایمنی و پرداخت به‌موقع دستمزد.".into()),
                    ..NominationInput::default()
                },
            )
            .await?;
        match fate {
            "award" => {
                app.decide_nomination(system, n.id, step("approve", None))
                    .await?;
                app.award_honor(system, n.id, AwardInput { day: None })
                    .await?;
            }
            "reject" => {
                app.decide_nomination(
                    system,
                    n.id,
                    step("reject", Some("بیمهٔ کارگران به‌موقع پرداخت نشده است.")),
                )
                .await?;
            }
            _ => {}
        }
    }
    Ok(())
}
