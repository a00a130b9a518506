//! The demo's aid: each tree's currency and its district level's limit, budgets for
//! the year, Markazi's livelihood aid and home repair with Arak's budget partly spent
//! (a food basket given in kind, the roof waiting on the province's payment), a Bến Tre
//! worker's aid paid at Châu Thành, and a domestic worker's request waiting in Lucknow.

use crate::aid::{AidInput, AidSettingsInput, ApproveInput, BudgetInput, PayInput};
use crate::cases::CaseQuery;
use crate::{Actor, App, AppError};

async fn settings(
    app: &App,
    system: &Actor,
    tree: &str,
    currency: &str,
    level: &str,
    limit: &str,
) -> Result<(), AppError> {
    app.set_aid_settings(
        system,
        AidSettingsInput {
            tree_code: Some(tree.into()),
            currency: Some(currency.into()),
            limits: [(level.to_string(), limit.to_string())].into(),
        },
    )
    .await?;
    Ok(())
}

async fn budget(
    app: &App,
    system: &Actor,
    unit: &str,
    label: &str,
    from: &str,
    to: &str,
    amount: &str,
) -> Result<(), AppError> {
    app.set_budget(
        system,
        BudgetInput {
            unit_code: Some(unit.into()),
            label: Some(label.into()),
            starts_on: Some(from.into()),
            ends_on: Some(to.into()),
            amount: Some(amount.into()),
        },
    )
    .await?;
    Ok(())
}

/// The case of `kind` at `desk` opened on `day`.
async fn case_of(
    app: &App,
    system: &Actor,
    desk: &str,
    kind: &str,
    day: &str,
) -> Result<i64, AppError> {
    let q = CaseQuery {
        desk: Some(desk.into()),
        all: true,
        ..CaseQuery::default()
    };
    app.list_cases(system, &q)
        .await?
        .into_iter()
        .find(|c| c.case_type == kind && c.opened_on == day)
        .map(|c| c.id)
        .ok_or(AppError::NotFound("case"))
}

/// A request on a case, asked on `day`: (kind, amount, item, purpose).
async fn ask(
    app: &App,
    system: &Actor,
    case: i64,
    what: (&str, Option<&str>, Option<&str>, &str),
    day: &str,
) -> Result<i64, AppError> {
    let (kind, amount, item, purpose) = what;
    Ok(app
        .request_aid(
            system,
            AidInput {
                case_id: Some(case),
                kind: Some(kind.into()),
                amount: amount.map(Into::into),
                item: item.map(Into::into),
                purpose: Some(purpose.into()),
                requested_on: Some(day.into()),
                ..AidInput::default()
            },
        )
        .await?
        .id)
}

async fn approve(app: &App, system: &Actor, id: i64, day: &str) -> Result<(), AppError> {
    app.approve_aid(
        system,
        id,
        ApproveInput {
            on_day: Some(day.into()),
            ..ApproveInput::default()
        },
    )
    .await?;
    Ok(())
}

async fn pay(
    app: &App,
    system: &Actor,
    id: i64,
    method: &str,
    amount: Option<&str>,
    day: &str,
    reference: Option<&str>,
) -> Result<(), AppError> {
    app.pay_aid(
        system,
        id,
        PayInput {
            method: Some(method.into()),
            amount: amount.map(Into::into),
            on_day: Some(day.into()),
            reference: reference.map(Into::into),
        },
    )
    .await?;
    Ok(())
}

pub async fn load(app: &App, system: &Actor) -> Result<(), AppError> {
    settings(app, system, "BT", "VND", "Huyện", "5000000").await?;
    settings(app, system, "MK", "IRR", "شهرستان", "200000000").await?;
    settings(app, system, "UP", "INR", "जिला", "10000").await?;
    // Budgets for the year each tree counts: 1405 from Farvardin 1, India's from April.
    budget(
        app,
        system,
        "MK",
        "1405",
        "2026-03-21",
        "2027-03-20",
        "5000000000",
    )
    .await?;
    budget(
        app,
        system,
        "MK-ARK",
        "1405",
        "2026-03-21",
        "2027-03-20",
        "800000000",
    )
    .await?;
    budget(
        app,
        system,
        "BT",
        "2026",
        "2026-01-01",
        "2026-12-31",
        "500000000",
    )
    .await?;
    budget(
        app,
        system,
        "BT-CT",
        "2026",
        "2026-01-01",
        "2026-12-31",
        "60000000",
    )
    .await?;
    budget(
        app,
        system,
        "UP",
        "2026-27",
        "2026-04-01",
        "2027-03-31",
        "500000",
    )
    .await?;
    budget(
        app,
        system,
        "UP-LKO",
        "2026-27",
        "2026-04-01",
        "2027-03-31",
        "50000",
    )
    .await?;

    // Arak: livelihood aid paid in two parts, and a food basket given in kind.
    let livelihood = case_of(app, system, "MK-ARK", "livelihood_aid", "2026-10-12").await?;
    let cash = ask(
        app,
        system,
        livelihood,
        (
            "cash",
            Some("150000000"),
            None,
            "سه ماه اجاره و هزینهٔ دارو تا یافتن کار",
        ),
        "2026-10-16",
    )
    .await?;
    approve(app, system, cash, "2026-10-20").await?;
    pay(
        app,
        system,
        cash,
        "transfer",
        Some("100000000"),
        "2026-10-25",
        Some("SATNA-1405-0734"),
    )
    .await?;
    pay(app, system, cash, "cash", None, "2026-11-24", None).await?;
    let basket = ask(
        app,
        system,
        livelihood,
        (
            "in_kind",
            Some("30000000"),
            Some("سبد غذایی ماهانه"),
            "خانوادهٔ پنج‌نفره",
        ),
        "2026-10-16",
    )
    .await?;
    approve(app, system, basket, "2026-10-20").await?;
    pay(app, system, basket, "in_kind", None, "2026-10-22", None).await?;
    // The roof is above the county's limit: the province approved it, to be paid.
    let repair = case_of(app, system, "MK-ARK", "home_repair", "2026-11-02").await?;
    let roof = ask(
        app,
        system,
        repair,
        (
            "cash",
            Some("350000000"),
            None,
            "تعمیر سقف آشپزخانه بر اساس برآورد",
        ),
        "2026-11-07",
    )
    .await?;
    approve(app, system, roof, "2026-11-15").await?;

    // Châu Thành: aid for the worker whose overtime went unpaid.
    let grievance = case_of(app, system, "BT-CT", "grievance", "2026-10-01").await?;
    let bt = ask(
        app,
        system,
        grievance,
        (
            "cash",
            Some("2000000"),
            None,
            "Hỗ trợ trong thời gian chờ công ty trả lương",
        ),
        "2026-10-08",
    )
    .await?;
    approve(app, system, bt, "2026-10-09").await?;
    pay(app, system, bt, "cash", None, "2026-10-10", None).await?;

    // Lucknow: a domestic worker's request, waiting on the district.
    let wages = app
        .list_cases(
            system,
            &CaseQuery {
                desk: Some("UP-LKO".into()),
                ..CaseQuery::default()
            },
        )
        .await?;
    if let Some(c) = wages.first() {
        ask(
            app,
            system,
            c.id,
            (
                "cash",
                Some("3500"),
                None,
                "बकाया मज़दूरी मिलने तक राशन और किराया",
            ),
            "2026-11-15",
        )
        .await?;
    }
    Ok(())
}
