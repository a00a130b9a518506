//! The demo's workplace mapping in Bến Tre: large, long-operating enterprises with no
//! union at the top of the priority list, and two workplaces where organizing
//! committees have mapped the workers shift by shift, one of them with a majority.

use super::pools::{self, Lang, Rng};
use crate::mapping::{CommitteeSeat, NewAssessment, NewWorker};
use crate::workplaces::WorkplaceInput;
use crate::{Actor, App, AppError};
use muster_domain::Date;

/// Enterprises the priority list should put first: (code, district, name, sector,
/// ownership, headcount, years operating).
const LARGE_WITHOUT_UNION: [(&str, &str, &str, &str, &str, i64, i64); 4] = [
    (
        "BT-GT-W90",
        "BT-GT",
        "Công ty TNHH Giày da Hưng Phát Bến Tre",
        "C15",
        "foreign_invested",
        2300,
        19,
    ),
    (
        "BT-CT-W90",
        "BT-CT",
        "Công ty TNHH May mặc Việt Tiến Phát",
        "C14",
        "foreign_invested",
        1450,
        14,
    ),
    (
        "BT-MCN-W90",
        "BT-MCN",
        "Công ty CP Chế biến Dừa Lương Quới",
        "C10",
        "domestic_private",
        980,
        22,
    ),
    (
        "BT-BD-W90",
        "BT-BD",
        "Công ty TNHH Thủy sản Bình Đại Xanh",
        "C10",
        "domestic_private",
        640,
        11,
    ),
];

/// Small workplaces, which the size band 1-24 of the coverage page counts: (code,
/// district, name, sector, ownership, headcount, years operating).
const SMALL: [(&str, &str, &str, &str, &str, i64, i64); 3] = [
    (
        "BT-THP-W91",
        "BT-THP",
        "Cơ sở đan lát dừa Thạnh Phong",
        "C16",
        "household",
        14,
        6,
    ),
    (
        "BT-BTR-W91",
        "BT-BTR",
        "Hợp tác xã nghêu Ba Tri",
        "A03",
        "cooperative",
        22,
        9,
    ),
    (
        "BT-CL-W91",
        "BT-CL",
        "Cơ sở cây giống Cái Mơn",
        "A01",
        "household",
        9,
        15,
    ),
];

/// A workplace whose workers an organizing committee has mapped.
struct Mapped {
    code: &'static str,
    district: &'static str,
    /// Empty for a workplace created above.
    name: &'static str,
    headcount: i64,
    shifts: [&'static str; 3],
    /// The level of each worker known, in order: 1 leader … 5 opposed, 0 not assessed.
    levels: &'static [u8],
}

const MAPPED: [Mapped; 2] = [
    Mapped {
        code: "BT-CT-W91",
        district: "BT-CT",
        name: "Xưởng may Phú An",
        headcount: 36,
        shifts: ["Tổ cắt", "Tổ may 1", "Tổ may 2"],
        levels: &[
            1, 1, 2, 2, 2, 1, 2, 2, 3, 2, 1, 2, 4, 2, 2, 3, 2, 1, 2, 3, 5, 2, 2, 0, 3, 2, 4, 0, 2,
            3, 1, 2, 0, 3, 2, 4,
        ],
    },
    Mapped {
        code: "BT-GT-W90",
        district: "BT-GT",
        name: "",
        headcount: 2300,
        shifts: ["Ca sáng", "Ca chiều", "Ca đêm"],
        levels: &[
            1, 2, 3, 3, 2, 4, 0, 3, 5, 2, 0, 3, 4, 2, 3, 0, 1, 3, 4, 0, 2, 3, 5, 0,
        ],
    },
];

pub async fn load(app: &App, system: &Actor, today: Date, rng: &mut Rng) -> Result<(), AppError> {
    for (code, district, name, sector, ownership, headcount, years) in
        LARGE_WITHOUT_UNION.into_iter().chain(SMALL)
    {
        let since =
            Date::new(today.year() - years as i32, 1 + rng.below(12) as u8, 1).unwrap_or(today);
        app.create_workplace(
            system,
            WorkplaceInput {
                code: Some(code.into()),
                name: Some(name.into()),
                unit_code: Some(district.into()),
                registration_id: Some(format!("13{:08}", 100_000 + rng.below(900_000))),
                sector_code: Some(sector.into()),
                ownership: Some(ownership.into()),
                headcount: Some(headcount),
                operating_since: Some(since.to_string()),
                region: None,
                covering_unit_code: None,
                names: None,
            },
        )
        .await?;
    }
    for Mapped {
        code,
        district,
        name,
        headcount,
        shifts,
        levels,
    } in MAPPED
    {
        if !name.is_empty() {
            app.create_workplace(
                system,
                WorkplaceInput {
                    code: Some(code.into()),
                    name: Some(name.into()),
                    unit_code: Some(district.into()),
                    sector_code: Some("C14".into()),
                    ownership: Some("domestic_private".into()),
                    headcount: Some(headcount),
                    operating_since: Some(today.add_days(-9 * 365).to_string()),
                    ..WorkplaceInput::default()
                },
            )
            .await?;
        }
        for (i, level) in levels.iter().enumerate() {
            let person = pools::person_name(rng, Lang::Vi);
            let id = app
                .add_worker(
                    system,
                    code,
                    NewWorker {
                        person_id: None,
                        full_name: Some(person.full_name),
                        department: Some(shifts[i % shifts.len()].into()),
                    },
                )
                .await?;
            if *level > 0 {
                let on = today.add_days(-(rng.below(90) as i64));
                app.assess(
                    system,
                    code,
                    NewAssessment {
                        person_id: id,
                        level: level.to_string(),
                        note: None,
                        assessed_on: Some(on.to_string()),
                    },
                )
                .await?;
            }
            if *level == 1 && i < 12 {
                let role = if i == 0 {
                    "Trưởng ban vận động"
                } else {
                    "Thành viên ban vận động"
                };
                app.set_committee_seat(
                    system,
                    code,
                    CommitteeSeat {
                        person_id: id,
                        role: Some(role.into()),
                        since: None,
                    },
                )
                .await?;
            }
        }
    }
    Ok(())
}
