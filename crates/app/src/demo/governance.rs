//! The demo's committees: Bến Tre's steering committee of twelve over its member
//! development drive and the support team of eight that serves it, Markazi's joint
//! "labor justice" working group with the governor's deputy and other outside
//! participants, and Uttar Pradesh's state executive.

use crate::committees::{CommitteeInput, SeatInput};
use crate::members::MemberQuery;
use crate::{Actor, App, AppError};

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
