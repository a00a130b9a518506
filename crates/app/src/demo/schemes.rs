//! The demo's schemes and milestones: Uttar Pradesh's four national schemes for
//! unorganised workers with their rules, enrollments partly done (helped, applied,
//! enrolled with their numbers), and Bến Tre's members referred to the Party over the
//! year, which its drive counts.

use crate::members::{MemberItem, MemberQuery};
use crate::schemes::{EnrollmentInput, MilestoneInput, SchemeInput};
use crate::{Actor, App, AppError};
use muster_domain::Date;

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

/// (code, English name, Hindi name, runner, rule, documents, link)
const UP_SCHEMES: [(&str, &str, &str, &str, &str, &str, &str); 4] = [
    (
        "eshram",
        "e-Shram registration",
        "ई-श्रम पंजीकरण",
        "श्रम एवं रोज़गार मंत्रालय",
        "# असंगठित कामगार, 16 से 59 वर्ष\nage between 16 and 59\nemployment_type = informal",
        "आधार, बैंक खाता, मोबाइल नंबर",
        "https://eshram.gov.in",
    ),
    (
        "pmsym",
        "PM Shram Yogi Maandhan (pension)",
        "प्रधानमंत्री श्रम योगी मानधन",
        "श्रम एवं रोज़गार मंत्रालय",
        "age between 18 and 40\nemployment_type = informal\nenrolled eshram = yes",
        "आधार, बचत खाता",
        "https://maandhan.in",
    ),
    (
        "pmsby",
        "PM Suraksha Bima (accident cover)",
        "प्रधानमंत्री सुरक्षा बीमा योजना",
        "वित्त मंत्रालय",
        "age between 18 and 70",
        "बचत खाता, सहमति पत्र",
        "https://jansuraksha.gov.in",
    ),
    (
        "pmjjby",
        "PM Jeevan Jyoti Bima (life cover)",
        "प्रधानमंत्री जीवन ज्योति बीमा योजना",
        "वित्त मंत्रालय",
        "age between 18 and 50",
        "बचत खाता, नामांकित व्यक्ति का विवरण",
        "https://jansuraksha.gov.in",
    ),
];

async fn enroll(
    app: &App,
    system: &Actor,
    scheme: &str,
    person: i64,
    status: &str,
    number: Option<String>,
    day: Date,
) -> Result<(), AppError> {
    let input = EnrollmentInput {
        scheme: Some(scheme.into()),
        person_id: Some(person),
        status: Some(status.into()),
        scheme_number: number,
        on_day: Some(day.to_string()),
        ..EnrollmentInput::default()
    };
    match app.enroll(system, input).await {
        // Someone the rule does not admit is left for an organizer to judge.
        Err(AppError::Invalid(f)) if f.get("reason").is_some_and(|c| c == "not_eligible") => Ok(()),
        other => other.map(|_| ()),
    }
}

pub async fn load(app: &App, system: &Actor, today: Date) -> Result<(), AppError> {
    for (code, en, hi, runner, rule, documents, link) in UP_SCHEMES {
        app.save_scheme(
            system,
            None,
            SchemeInput {
                tree_code: Some("UP".into()),
                code: Some(code.into()),
                name: Some(en.into()),
                names: [
                    ("hi".to_string(), hi.to_string()),
                    ("en".to_string(), en.to_string()),
                ]
                .into(),
                runner: Some(runner.into()),
                rule: Some(rule.into()),
                documents: Some(documents.into()),
                link: Some(link.into()),
            },
        )
        .await?;
    }
    // Lucknow's members: most registered on e-Shram, some helped, some applied; a few
    // with the pension and insurance.
    let up = members(app, system, "UP-LKO", 60).await?;
    for (i, m) in up.iter().enumerate() {
        let day = today.add_days(-(5 + 3 * i as i64));
        match i {
            0..=29 => {
                enroll(
                    app,
                    system,
                    "eshram",
                    m.id,
                    "enrolled",
                    Some(format!("UAN-1{:011}", 4_470_000 + i)),
                    day,
                )
                .await?
            }
            30..=39 => enroll(app, system, "eshram", m.id, "helped", None, day).await?,
            40..=44 => enroll(app, system, "eshram", m.id, "applied", None, day).await?,
            _ => {}
        }
        if i < 12 {
            enroll(
                app,
                system,
                "pmsym",
                m.id,
                "enrolled",
                Some(format!("PMSYM-{:08}", 1_200 + i)),
                today.add_days(-2),
            )
            .await?;
        }
        if i % 3 == 0 && i < 45 {
            enroll(app, system, "pmsby", m.id, "enrolled", None, day).await?;
        }
    }
    // Bến Tre: members referred to the Party month by month, a few elected or honored.
    let bt = members(app, system, "BT", 40).await?;
    let year = today.year();
    for (i, m) in bt.iter().enumerate().take(30) {
        let month = (i % today.month() as usize) as u8 + 1;
        let Ok(day) = Date::new(year, month, (3 + i as u8 % 20).min(28)) else {
            continue;
        };
        let day = if day > today { today } else { day };
        let (kind, note) = match i {
            0..=23 => ("referred_to_party", "Chi bộ cơ sở đề nghị"),
            24..=26 => ("elected_to_committee", "Ban chấp hành công đoàn cơ sở"),
            _ => ("recognized", "Bằng khen của Liên đoàn Lao động tỉnh"),
        };
        app.add_milestone(
            system,
            MilestoneInput {
                person_id: Some(m.id),
                kind: Some(kind.into()),
                on_day: Some(day.to_string()),
                note: Some(note.into()),
                ..MilestoneInput::default()
            },
        )
        .await?;
    }
    Ok(())
}
