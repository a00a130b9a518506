//! The demo's organizing drives: the Vietnamese province's member development drive with
//! the targets of its 2024 plan scaled to the demo and carried into the current year,
//! the Hindi drive by kind of informal work over India's financial year, and a Persian
//! drive counted in Solar Hijri months. Months already past carry monthly reports, some
//! returned for changes, some never filed.

use super::pools::Rng;
use crate::drives::{FileReport, NewDrive, NewMetric, ReviewReport, SplitInput, TargetInput};
use crate::mapping::{FoundUnion, NewWorker};
use crate::workplaces::WorkplaceQuery;
use crate::{Actor, App, AppError};
use muster_domain::calendar::{Calendar, Digits};
use muster_domain::Date;
use std::collections::BTreeMap;

fn names(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(l, n)| (l.to_string(), n.to_string()))
        .collect()
}

fn metric(kind: &str) -> NewMetric {
    NewMetric {
        kind: kind.into(),
        ..NewMetric::default()
    }
}

pub async fn load(app: &App, system: &Actor, today: Date) -> Result<(), AppError> {
    let mut rng = Rng::new(2026);
    found_unions(app, system, today, &mut rng).await?;
    ben_tre(app, system, today, &mut rng).await?;
    uttar_pradesh(app, system, today).await?;
    markazi(app, system, today, &mut rng).await?;
    Ok(())
}

/// Unions founded this year at workplaces that had none, so the drive's new-unit
/// metrics have something to count: the first two in large enterprises.
async fn found_unions(
    app: &App,
    system: &Actor,
    today: Date,
    rng: &mut Rng,
) -> Result<(), AppError> {
    let q = WorkplaceQuery {
        unit: Some("BT".into()),
        covered: Some(false),
        ..WorkplaceQuery::default()
    };
    let mut open = app.list_workplaces(system, &q).await?.items;
    open.sort_by_key(|w| std::cmp::Reverse(w.headcount.unwrap_or(0)));
    let picks = [
        0,
        1,
        open.len().saturating_sub(1),
        open.len().saturating_sub(2),
    ];
    let year_start = Date::new(today.year(), 1, 1).unwrap_or(today);
    let days = (today.to_days() - year_start.to_days()).max(1);
    for (n, i) in picks.into_iter().enumerate() {
        let Some(w) = open.get(i).cloned() else {
            continue;
        };
        let code = format!("{}-N{:02}", w.unit_code, n + 1);
        let founded = year_start.add_days(rng.below(days as u64) as i64);
        // The first is founded with the workers its committee brought in.
        let mut person_ids = Vec::new();
        if n == 0 {
            for _ in 0..5 {
                let name = super::pools::person_name(rng, super::pools::Lang::Vi).full_name;
                let worker = NewWorker {
                    person_id: None,
                    full_name: Some(name),
                    department: None,
                };
                person_ids.push(app.add_worker(system, &w.code, worker).await?);
            }
        }
        let union = FoundUnion {
            code,
            name: format!("Công đoàn cơ sở {}", w.name),
            founded_on: Some(founded.to_string()),
            person_ids,
        };
        app.found_union(system, &w.code, union).await?;
    }
    Ok(())
}

/// Sets the top unit's targets and splits each down two levels by members.
async fn targets(
    app: &App,
    system: &Actor,
    drive: &str,
    top: &str,
    figures: &[Option<i64>],
) -> Result<(), AppError> {
    let d = app.get_drive(system, drive).await?;
    let districts: Vec<String> = app
        .list_units(system)
        .await?
        .into_iter()
        .filter(|u| u.parent_code.as_deref() == Some(top))
        .map(|u| u.code)
        .collect();
    for (m, target) in d.metrics.iter().zip(figures) {
        let Some(target) = target else { continue };
        let input = TargetInput {
            metric_id: m.id,
            target: Some(*target),
        };
        app.set_target(system, drive, top, input).await?;
        let split = |unit: &str| {
            let split = SplitInput {
                metric_id: m.id,
                method: "members".into(),
                targets: BTreeMap::new(),
            };
            let unit = unit.to_string();
            async move { app.split_target(system, drive, &unit, split).await }
        };
        split(top).await?;
        // Grassroots targets only for counts a grassroots union can move.
        if matches!(m.kind.as_str(), "new_members" | "net_change" | "custom") {
            for district in &districts {
                split(district).await?;
            }
        }
    }
    Ok(())
}

/// Monthly reports of every unit below the top for the months past: most accepted,
/// some returned, the last months partly waiting or missing.
#[allow(clippy::too_many_arguments)]
async fn reports(
    app: &App,
    system: &Actor,
    drive: &str,
    top: &str,
    today: Date,
    rng: &mut Rng,
    narratives: &[&str],
    return_comment: &str,
) -> Result<(), AppError> {
    let d = app.get_drive(system, drive).await?;
    let period = d.period();
    let begun = period.months_begun(today);
    let units: Vec<_> = app
        .list_units(system)
        .await?
        .into_iter()
        .filter(|u| u.depth > 0)
        .collect();
    let top_unit = app.get_unit(system, top).await?;
    for u in units.iter().filter(|u| u.tree_id == top_unit.tree_id) {
        // Only months that have ended.
        for i in 0..begun.saturating_sub(1) {
            let recent = i + 3 >= begun;
            if rng.chance(if recent { 25 } else { 6 }) {
                continue;
            }
            if u.founded_on.as_deref().is_some_and(|f| {
                period
                    .month_start(i + 1)
                    .is_ok_and(|next| f >= next.to_string().as_str())
            }) {
                continue;
            }
            let figures = d
                .metrics
                .iter()
                .filter(|m| m.is_custom())
                .map(|m| {
                    let n = if rng.chance(14) { 1 + rng.below(2) } else { 0 };
                    (m.id, n.to_string())
                })
                .collect();
            let month = period.month_key(i);
            let input = FileReport {
                narrative: Some(rng.pick(narratives).to_string()),
                figures,
            };
            app.file_report(system, drive, &u.code, &month, input, today)
                .await?;
            let roll = rng.below(100);
            let review = if roll < 8 {
                Some(("returned", Some(return_comment.to_string())))
            } else if !recent || roll < 50 {
                Some(("accepted", None))
            } else {
                None
            };
            if let Some((status, comment)) = review {
                let input = ReviewReport {
                    status: status.into(),
                    comment,
                };
                app.review_report(system, drive, &u.code, &month, input)
                    .await?;
            }
        }
    }
    Ok(())
}

async fn ben_tre(app: &App, system: &Actor, today: Date, rng: &mut Rng) -> Result<(), AppError> {
    let year = today.year();
    let code = format!("BT-{year}");
    app.create_drive(
        system,
        NewDrive {
            code: code.clone(),
            name: format!("Phát triển đoàn viên năm {year}"),
            names: names(&[
                ("vi", &format!("Phát triển đoàn viên năm {year}")),
                ("en", &format!("Member development {year}")),
                ("fa", &format!("جذب عضو {year}")),
                ("hi", &format!("सदस्यता विकास {year}")),
            ]),
            scope_unit_code: "BT".into(),
            calendar: Some("gregorian".into()),
            start_month: format!("{year}-01"),
            end_month: format!("{year}-12"),
            report_due_days: Some(5),
            metrics: vec![
                metric("new_members"),
                metric("new_informal"),
                metric("net_change"),
                metric("new_units"),
                NewMetric {
                    min_workers: Some(25),
                    ..metric("new_units")
                },
                NewMetric {
                    kind: "custom".into(),
                    name: Some("Outstanding members referred onward".into()),
                    names: names(&[
                        ("vi", "Đoàn viên ưu tú được giới thiệu"),
                        ("en", "Outstanding members referred onward"),
                        ("fa", "اعضای برجسته معرفی‌شده"),
                        ("hi", "आगे भेजे गए उत्कृष्ट सदस्य"),
                    ]),
                    unit_of_measure: Some("người".into()),
                    ..NewMetric::default()
                },
                metric("committees_met"),
                metric("meetings_held"),
                metric("members_referred"),
            ],
        },
    )
    .await?;
    // The province's 2024 plan (14,600 new, 580 informal, net +8,670, 22 new unions of
    // which 5 in enterprises of 25+, 1,191 referred) at the demo's scale.
    targets(
        app,
        system,
        &code,
        "BT",
        &[
            Some(700),
            Some(58),
            Some(580),
            Some(6),
            Some(2),
            Some(80),
            Some(8),
            Some(96),
            Some(80),
        ],
    )
    .await?;
    reports(
        app,
        system,
        &code,
        "BT",
        today,
        rng,
        &[
            "Tổ chức hai buổi tuyên truyền tại khu công nghiệp, vận động được thêm người lao động gia nhập.",
            "Phối hợp với chủ doanh nghiệp khảo sát số lao động chưa vào công đoàn.",
            "Tổ chức đối thoại với người lao động; tiếp nhận đơn gia nhập.",
            "Tháng này chủ yếu củng cố tổ công đoàn, chưa kết nạp thêm nhiều.",
        ],
        "Đề nghị bổ sung số liệu đoàn viên ưu tú và nêu rõ doanh nghiệp đã tiếp cận.",
    )
    .await
}

async fn uttar_pradesh(app: &App, system: &Actor, today: Date) -> Result<(), AppError> {
    // India's financial year: April to March.
    let first = if today.month() >= 4 {
        today.year()
    } else {
        today.year() - 1
    };
    let code = format!("UP-FY{first}");
    let by = |category: &str| NewMetric {
        informal_category: Some(category.into()),
        ..metric("new_informal")
    };
    app.create_drive(
        system,
        NewDrive {
            code: code.clone(),
            name: format!("असंगठित कामगार सदस्यता अभियान {first}-{}", (first + 1) % 100),
            names: names(&[
                (
                    "hi",
                    &format!("असंगठित कामगार सदस्यता अभियान {first}-{}", (first + 1) % 100),
                ),
                (
                    "en",
                    &format!(
                        "Unorganised workers' membership drive {first}-{}",
                        (first + 1) % 100
                    ),
                ),
            ]),
            scope_unit_code: "UP".into(),
            calendar: Some("gregorian".into()),
            start_month: format!("{first}-04"),
            end_month: format!("{}-03", first + 1),
            report_due_days: Some(10),
            metrics: vec![
                metric("new_informal"),
                by("construction"),
                by("domestic"),
                by("street_vending"),
                by("agriculture"),
            ],
        },
    )
    .await?;
    targets(
        app,
        system,
        &code,
        "UP",
        &[Some(360), Some(80), Some(60), Some(50), Some(70)],
    )
    .await
}

async fn markazi(app: &App, system: &Actor, today: Date, rng: &mut Rng) -> Result<(), AppError> {
    let year = Calendar::Persian.from_iso(today).map_or(1405, |d| d.year);
    let code = format!("MK-{year}");
    let fa_year = Digits::Persian.apply(&year.to_string());
    app.create_drive(
        system,
        NewDrive {
            code: code.clone(),
            name: format!("طرح جذب عضو سال {fa_year}"),
            names: names(&[
                ("fa", &format!("طرح جذب عضو سال {fa_year}")),
                ("en", &format!("Membership plan {year} (Solar Hijri)")),
            ]),
            scope_unit_code: "MK".into(),
            calendar: Some("persian".into()),
            start_month: format!("{year}-01"),
            end_month: format!("{year}-12"),
            report_due_days: Some(7),
            metrics: vec![
                metric("new_members"),
                metric("net_change"),
                NewMetric {
                    kind: "custom".into(),
                    name: Some("Training sessions held".into()),
                    names: names(&[
                        ("fa", "جلسات آموزشی برگزارشده"),
                        ("en", "Training sessions held"),
                    ]),
                    unit_of_measure: Some("جلسه".into()),
                    ..NewMetric::default()
                },
            ],
        },
    )
    .await?;
    targets(app, system, &code, "MK", &[Some(330), Some(200), Some(60)]).await?;
    reports(
        app,
        system,
        &code,
        "MK",
        today,
        rng,
        &[
            "دو جلسه آموزشی حقوق کار برای کارگران پیمانی برگزار شد.",
            "با مدیریت دو واحد تولیدی درباره عضویت کارگران گفت‌وگو شد.",
            "در این ماه بیشتر به پیگیری پرونده‌های بیمه پرداختیم.",
        ],
        "لطفاً تعداد شرکت‌کنندگان هر جلسه را هم بنویسید.",
    )
    .await
}
