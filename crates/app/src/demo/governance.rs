//! The demo's committees: Bến Tre's steering committee of twelve over its member
//! development drive and the support team of eight that serves it, Markazi's joint
//! "labor justice" working group with the governor's deputy and other outside
//! participants, and Uttar Pradesh's state executive.

use crate::committees::{CommitteeInput, SeatInput};
use crate::members::MemberQuery;
use crate::{Actor, App, AppError};
use muster_domain::Date;

/// A committee and its seats: the first `members` people of `unit`'s registry, the
/// first of them in the chair, then the outside participants (name, title,
/// organization), without a vote.
struct Demo<'a> {
    unit: &'a str,
    name: &'a str,
    kind: &'a str,
    cadence: &'a str,
    term_start: &'a str,
    term_end: Option<&'a str>,
    members: usize,
    outside: &'a [(&'a str, &'a str, &'a str)],
}

const POSITIONS: [&str; 4] = ["chair", "vice_chair", "vice_chair", "secretary"];

const COMMITTEES: [Demo<'static>; 4] = [
    Demo {
        unit: "BT",
        name: "Ban Chỉ đạo phát triển đoàn viên năm 2024",
        kind: "steering",
        cadence: "quarterly",
        term_start: "2024-01-01",
        term_end: Some("2024-12-31"),
        members: 12,
        outside: &[],
    },
    Demo {
        unit: "BT",
        name: "Tổ Giúp việc Ban Chỉ đạo",
        kind: "support_team",
        cadence: "monthly",
        term_start: "2024-01-01",
        term_end: Some("2024-12-31"),
        members: 8,
        outside: &[],
    },
    Demo {
        unit: "MK",
        name: "کارگروه مشترک عدالت کار",
        kind: "joint_working_group",
        cadence: "as_needed",
        term_start: "2022-04-11",
        term_end: None,
        members: 3,
        outside: &[
            (
                "محمد حسینی",
                "معاون سیاسی، امنیتی و اجتماعی استاندار",
                "استانداری مرکزی",
            ),
            (
                "زهرا کریمی",
                "مدیرکل تعاون، کار و رفاه اجتماعی",
                "ادارهٔ کل تعاون، کار و رفاه اجتماعی استان مرکزی",
            ),
        ],
    },
    Demo {
        unit: "UP",
        name: "State Executive Committee",
        kind: "executive",
        cadence: "monthly",
        term_start: "2024-04-01",
        term_end: None,
        members: 7,
        outside: &[],
    },
];

pub async fn load(app: &App, system: &Actor) -> Result<(), AppError> {
    for d in &COMMITTEES {
        let c = app
            .create_committee(
                system,
                CommitteeInput {
                    unit_code: Some(d.unit.into()),
                    name: Some(d.name.into()),
                    kind: Some(d.kind.into()),
                    cadence: Some(d.cadence.into()),
                    quorum_percent: None,
                    // Markazi numbers its decisions by Solar Hijri year.
                    calendar: Some(
                        if d.unit == "MK" {
                            "persian"
                        } else {
                            "gregorian"
                        }
                        .into(),
                    ),
                    term_start: Some(d.term_start.into()),
                    term_end: d.term_end.map(String::from),
                },
            )
            .await?;
        let q = MemberQuery {
            unit: Some(d.unit.into()),
            status: Some("active".into()),
            limit: Some(d.members as i64),
            ..MemberQuery::default()
        };
        // The support team takes people the steering committee does not have.
        let skip = if d.kind == "support_team" { 12 } else { 0 };
        let q = MemberQuery {
            limit: Some((d.members + skip) as i64),
            ..q
        };
        let people = app.list_members(system, &q).await?.items;
        for (i, p) in people.iter().skip(skip).take(d.members).enumerate() {
            let position = POSITIONS.get(i).copied().unwrap_or(if i < 6 {
                "standing_member"
            } else {
                "member"
            });
            let seat = SeatInput {
                person_id: Some(p.id),
                position: Some(position.into()),
                ..SeatInput::default()
            };
            app.add_seat(system, c.id, seat).await?;
        }
        for (name, title, organization) in d.outside {
            let seat = SeatInput {
                outside_name: Some((*name).into()),
                outside_title: Some((*title).into()),
                outside_organization: Some((*organization).into()),
                position: Some("member".into()),
                voting: Some(false),
                ..SeatInput::default()
            };
            app.add_seat(system, c.id, seat).await?;
        }
    }
    Ok(())
}

/// A meeting of `committee` on `day` with its agenda, most of the roster present, a
/// decision under its second item sending an item to each unit below `unit`; the
/// first `done` of them done, the next one in progress. Finalized.
#[allow(clippy::too_many_arguments)]
async fn meeting(
    app: &App,
    system: &Actor,
    committee: i64,
    unit: &str,
    day: &str,
    place: &str,
    agenda: &[&str],
    decision: &str,
    task: &str,
    due: &str,
    done: usize,
) -> Result<(), AppError> {
    use crate::decisions::{ActionInput, DecisionInput, ProgressInput};
    use crate::meetings::{AgendaInput, AttendanceInput, MeetingInput};
    let m = app
        .create_meeting(
            system,
            MeetingInput {
                committee_id: Some(committee),
                day: Some(day.into()),
                time: Some("09:00".into()),
                place: Some(place.into()),
                agenda: agenda
                    .iter()
                    .map(|t| AgendaInput {
                        title: Some((*t).into()),
                        planned_minutes: Some(30),
                        ..AgendaInput::default()
                    })
                    .collect(),
                // The governor's deputy sits in on Markazi's meetings as a guest.
                guests: if unit == "MK" {
                    vec![crate::meetings::GuestInput {
                        name: Some("محمدرضا کاظمی".into()),
                        organization: Some("استانداری مرکزی".into()),
                        title: Some("معاون سیاسی، امنیتی و اجتماعی استاندار".into()),
                    }]
                } else {
                    Vec::new()
                },
            },
        )
        .await?;
    let n = m.roster.len();
    let attendance = m
        .roster
        .iter()
        .enumerate()
        .map(|(i, s)| AttendanceInput {
            seat_id: s.seat_id,
            presence: match i {
                _ if i + 1 == n && n > 4 => "absent",
                _ if i + 2 == n && n > 4 => "excused",
                _ => "present",
            }
            .into(),
            represented_by: None,
        })
        .collect();
    let m = app.record_attendance(system, m.id, attendance).await?;
    let below: Vec<String> = app
        .list_units(system)
        .await?
        .into_iter()
        .filter(|u| u.parent_code.as_deref() == Some(unit))
        .map(|u| u.code)
        .collect();
    let present = m.quorum.present;
    let d = app
        .record_decision(
            system,
            DecisionInput {
                meeting_id: Some(m.id),
                item_id: m.agenda.get(1).or(m.agenda.first()).map(|a| a.id),
                text: Some(decision.into()),
                outcome: Some("adopted".into()),
                votes_for: Some(present),
                votes_against: Some(0),
                votes_abstain: Some(0),
                quorum_note: None,
                actions: below
                    .iter()
                    .map(|code| ActionInput {
                        title: Some(task.into()),
                        unit_code: Some(code.clone()),
                        person_id: None,
                        due_on: Some(due.into()),
                    })
                    .collect(),
            },
        )
        .await?;
    for (i, a) in d.actions.iter().enumerate() {
        let status = if i < done {
            "done"
        } else if i == done {
            "in_progress"
        } else {
            continue;
        };
        app.record_progress(
            system,
            a.id,
            ProgressInput {
                status: status.into(),
                note: None,
                // Done a few days before the date it was due.
                done_on: (status == "done").then(|| {
                    muster_domain::Date::parse_iso(due)
                        .map(|d| d.add_days(-3 - i as i64).to_string())
                        .unwrap_or_default()
                }),
            },
        )
        .await?;
    }
    app.finalize_meeting(system, m.id).await?;
    Ok(())
}

/// The demo's meetings: Markazi's labor-week coordination meeting of 1401/01/22 that
/// approves fourteen programs and gives each county its part, Bến Tre's steering
/// committee's first quarterly meeting of 2024 that hands the year's targets to the
/// districts, and Uttar Pradesh's state meeting that decides units in every district.
pub async fn meetings(app: &App, system: &Actor) -> Result<(), AppError> {
    let committees = app
        .list_committees(system, &crate::committees::CommitteeQuery::default())
        .await?;
    let id_of = |unit: &str, kind: &str| {
        committees
            .iter()
            .find(|c| c.unit_code == unit && c.kind == kind)
            .map(|c| c.id)
    };
    if let Some(c) = id_of("MK", "joint_working_group") {
        meeting(
            app,
            system,
            c,
            "MK",
            "2022-04-11",
            "خانهٔ کارگر اراک",
            &["افتتاح", "برنامه‌های هفتهٔ کارگر ۱۴۰۱", "سایر موارد"],
            "تصویب چهارده برنامهٔ هفتهٔ کارگر در استان و شهرستان‌ها",
            "برگزاری برنامه‌های هفتهٔ کارگر در شهرستان",
            "2022-05-01",
            2,
        )
        .await?;
    }
    if let Some(c) = id_of("BT", "steering") {
        meeting(
            app,
            system,
            c,
            "BT",
            "2024-01-15",
            "Hội trường Liên đoàn Lao động tỉnh",
            &[
                "Khai mạc",
                "Chỉ tiêu phát triển đoàn viên năm 2024",
                "Phân công thành viên",
            ],
            "Giao chỉ tiêu phát triển đoàn viên năm 2024 cho các huyện, thành phố",
            "Xây dựng kế hoạch và báo cáo hằng tháng",
            "2024-03-31",
            3,
        )
        .await?;
    }
    if let Some(c) = id_of("UP", "executive") {
        meeting(
            app,
            system,
            c,
            "UP",
            "2024-04-10",
            "Lucknow",
            &[
                "Opening",
                "Units in every district and block",
                "Cadre training camp",
            ],
            "Form a union unit in every district and block",
            "Form the district's block units",
            "2024-09-30",
            1,
        )
        .await?;
    }
    Ok(())
}

/// Bến Tre's grassroots unions with executives that meet monthly this year, each with
/// its first three members, minutes finalized for the months that have ended, some
/// months missed: what the drive's "committees that met" and "meetings held" count.
pub async fn grassroots(app: &App, system: &Actor, today: Date) -> Result<(), AppError> {
    use crate::meetings::{AgendaInput, MeetingInput};
    // The first grassroots union of each of eight districts.
    let mut districts = std::collections::BTreeSet::new();
    let units: Vec<_> = app
        .list_units(system)
        .await?
        .into_iter()
        .filter(|u| u.depth == 2 && u.code.starts_with("BT"))
        .filter(|u| districts.insert(u.parent_code.clone()))
        .take(8)
        .collect();
    let year = today.year();
    for (k, u) in units.iter().enumerate() {
        let c = app
            .create_committee(
                system,
                CommitteeInput {
                    unit_code: Some(u.code.clone()),
                    name: Some(format!("Ban Chấp hành {}", u.name)),
                    kind: Some("executive".into()),
                    cadence: Some("monthly".into()),
                    quorum_percent: None,
                    calendar: Some("gregorian".into()),
                    term_start: Some(format!("{year}-01-01")),
                    term_end: None,
                },
            )
            .await?;
        let q = MemberQuery {
            unit: Some(u.code.clone()),
            status: Some("active".into()),
            limit: Some(3),
            ..MemberQuery::default()
        };
        for (i, p) in app.list_members(system, &q).await?.items.iter().enumerate() {
            let seat = SeatInput {
                person_id: Some(p.id),
                position: Some(POSITIONS[i].into()),
                ..SeatInput::default()
            };
            app.add_seat(system, c.id, seat).await?;
        }
        for month in 1..today.month() {
            // Every unit misses a month now and then; the last two units start late.
            if (month as usize * 7 + k).is_multiple_of(5) || (k >= 6 && month < 6) {
                continue;
            }
            let m = app
                .create_meeting(
                    system,
                    MeetingInput {
                        committee_id: Some(c.id),
                        day: Some(
                            Date::new(year, month, 10)
                                .map_err(|e| AppError::field("day", e.code))?
                                .to_string(),
                        ),
                        time: Some("16:00".into()),
                        place: Some("Nhà văn hoá công nhân".into()),
                        agenda: vec![AgendaInput {
                            title: Some("Sinh hoạt định kỳ".into()),
                            planned_minutes: Some(45),
                            ..AgendaInput::default()
                        }],
                        guests: Vec::new(),
                    },
                )
                .await?;
            app.finalize_meeting(system, m.id).await?;
        }
    }
    Ok(())
}
