//! People registered twice, as registries that grew from several lists have them: the
//! same worker typed without diacritics in another commune, in Arabic letter forms,
//! in Latin letters. A scan at the end records them, so the review page has work.

use crate::members::{NewMember, PersonInput};
use crate::{Actor, App, AppError};

/// (unit, name, Latin name, birth date, phone, joined) for the first record, then the
/// second record's unit, name and phone.
type Twice = (
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
);

const TWICE: [Twice; 5] = [
    (
        "BT-CT-G01",
        "Nguyễn Thị Hồng Nhung",
        None,
        "1991-07-14",
        "0918 442 107",
        "2019-03-02",
        "BT-GT-G01",
        "Nguyen Thi Hong Nhung",
        None,
    ),
    (
        "BT-BTR-G01",
        "Trần Văn Phúc",
        None,
        "1984-11-03",
        "0907 315 228",
        "2016-05-20",
        "BT-BTR-G03",
        "Trần Văn Phúc",
        Some("0907 315 228"),
    ),
    (
        "MK-ARK-G01",
        "مریم احمدی",
        Some("Maryam Ahmadi"),
        "1989-03-21",
        "0912 448 3071",
        "2021-09-12",
        "MK-ARK-G03",
        "مريم احمدي",
        None,
    ),
    (
        "MK-ARK-G05",
        "علی محمدی‌نژاد",
        Some("Ali Mohammadi-Nejad"),
        "1979-10-02",
        "0918 220 1144",
        "2018-01-15",
        "MK-ARK-G01",
        "Ali Mohammadi Nejad",
        Some("0918 220 1144"),
    ),
    (
        "UP-AGR-ACH",
        "सुनीता देवी",
        Some("Sunita Devi"),
        "1986-01-26",
        "98390 11245",
        "2020-02-10",
        "UP-AGR-BCP",
        "Sunita Devi",
        Some("98390 11245"),
    ),
];

pub(crate) async fn load(app: &App, system: &Actor) -> Result<(), AppError> {
    for (unit, name, latin, birth, phone, joined, unit2, name2, phone2) in TWICE {
        for (u, n, l, p) in [
            (unit, name, latin, Some(phone)),
            (unit2, name2, None, phone2),
        ] {
            app.create_member(
                system,
                NewMember {
                    unit_code: u.into(),
                    person: PersonInput {
                        full_name: Some(n.into()),
                        latin_name: l.map(String::from),
                        birth_date: Some(birth.into()),
                        phone: p.map(String::from),
                        ..PersonInput::default()
                    },
                    joined_on: Some(joined.into()),
                    allow_duplicate: true,
                    ..NewMember::default()
                },
            )
            .await?;
        }
    }
    app.scan_duplicates(system).await?;
    Ok(())
}
