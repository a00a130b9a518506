//! The demo's courses: Uttar Pradesh's cadre training camp for Lucknow's organizers
//! (assessed, most certified), and Arak's free welding course with its certificates.

use crate::courses::{AssessmentInput, AttendanceInput, CourseInput, SessionInput, TraineeInput};
use crate::members::MemberQuery;
use crate::{Actor, App, AppError};

/// A course run through: sessions, trainees, who came (all but every `absent`-th one
/// at the first sessions), assessments (every `fail`-th fails), certificates for who
/// completed.
#[allow(clippy::too_many_arguments)]
async fn run(
    app: &App,
    system: &Actor,
    course: CourseInput,
    sessions: &[(&str, &str)],
    unit: &str,
    trainees: i64,
    absent: usize,
    fail: usize,
) -> Result<(), AppError> {
    let assessed = course.assessed;
    let c = app.create_course(system, course).await?;
    for (day, title) in sessions {
        app.add_course_session(
            system,
            c.id,
            SessionInput {
                day: Some(day.to_string()),
                title: Some(title.to_string()),
                ..SessionInput::default()
            },
        )
        .await?;
    }
    let q = MemberQuery {
        unit: Some(unit.into()),
        status: Some("active".into()),
        limit: Some(trainees),
        ..MemberQuery::default()
    };
    for m in app.list_members(system, &q).await?.items {
        app.add_trainee(
            system,
            c.id,
            TraineeInput {
                person_id: Some(m.id),
                member_number: None,
            },
        )
        .await?;
    }
    let c = app.course(system, c.id).await?;
    for (i, s) in c.sessions.iter().enumerate() {
        let present = c
            .trainees
            .iter()
            .enumerate()
            .filter(|(k, _)| !(k % absent == absent - 1 && i < 2))
            .map(|(_, t)| t.id)
            .collect();
        app.record_course_attendance(system, c.id, s.id, AttendanceInput { present })
            .await?;
    }
    for (k, t) in c.trainees.iter().enumerate() {
        if assessed {
            let result = if k % fail == fail - 1 {
                "failed"
            } else {
                "passed"
            };
            app.assess_trainee(
                system,
                c.id,
                t.id,
                AssessmentInput {
                    assessment: Some(result.into()),
                },
            )
            .await?;
        }
    }
    let c = app.course(system, c.id).await?;
    for t in c.trainees.iter().filter(|t| t.completes) {
        app.certify_trainee(system, c.id, t.id).await?;
    }
    Ok(())
}

pub async fn load(app: &App, system: &Actor) -> Result<(), AppError> {
    run(
        app,
        system,
        CourseInput {
            unit_code: Some("UP".into()),
            kind: Some("cadre".into()),
            name: Some("कैडर प्रशिक्षण शिविर, लखनऊ".into()),
            place: Some("श्रमिक भवन, लखनऊ".into()),
            trainer: Some("राज्य प्रशिक्षण दल".into()),
            starts_on: Some("2026-11-10".into()),
            ends_on: Some("2026-11-12".into()),
            min_attendance: Some(75),
            assessed: true,
        },
        &[
            ("2026-11-10", "असंगठित कामगारों के अधिकार और कानून"),
            ("2026-11-10", "ई-श्रम और सामाजिक सुरक्षा योजनाएँ"),
            ("2026-11-11", "बस्ती में संगठन बनाना"),
            ("2026-11-12", "सामूहिक सौदेबाज़ी और शिकायत"),
        ],
        "UP-LKO",
        12,
        4,
        6,
    )
    .await?;
    run(
        app,
        system,
        CourseInput {
            unit_code: Some("MK-ARK".into()),
            kind: Some("skills".into()),
            name: Some("دورهٔ رایگان جوشکاری برق".into()),
            place: Some("مرکز آموزش فنی و حرفه‌ای اراک".into()),
            trainer: Some("استاد حسین رضایی".into()),
            starts_on: Some("2026-10-04".into()),
            ends_on: Some("2026-10-25".into()),
            min_attendance: Some(80),
            assessed: false,
        },
        &[
            ("2026-10-04", "ایمنی کارگاه"),
            ("2026-10-08", "جوشکاری قوس الکتریکی"),
            ("2026-10-11", "اتصالات لب‌به‌لب"),
            ("2026-10-15", "جوشکاری عمودی"),
            ("2026-10-18", "بازرسی جوش"),
            ("2026-10-25", "آزمون عملی"),
        ],
        "MK-ARK",
        10,
        3,
        1,
    )
    .await
}
