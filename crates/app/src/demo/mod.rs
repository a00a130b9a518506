//! The demo dataset: three living organizations, one per language, modeled on the
//! source reports: a Vietnamese provincial federation, a Persian provincial workers'
//! house, a Hindi state unit of an unorganized workers' congress. Everything goes
//! through the same use cases as real input, so counters and audit trails are real.

mod aid;
mod awards;
mod cases;
mod courses;
mod drives;
mod duplicates;
mod events;
mod governance;
mod mapping;
pub mod pools;
mod schemes;

use crate::members::{NewMember, PersonInput, StatusChange, Transfer};
use crate::units::NewUnit;
use crate::users::NewLogin;
use crate::workplaces::WorkplaceInput;
use crate::{Actor, App, AppError, System};
use muster_domain::Date;
use pools::{District, Lang, Rng};
use std::collections::BTreeMap;

/// The password of every demo login.
pub const DEMO_PASSWORD: &str = "muster-demo";

/// The demo logins: (username, unit code or instance, role, language).
pub const DEMO_LOGINS: &[(&str, Option<&str>, &str, &str)] = &[
    ("admin", None, "admin", "en"),
    ("bentre", Some("BT"), "officer", "vi"),
    ("chauthanh", Some("BT-CT"), "organizer", "vi"),
    ("tuvan", Some("BT-CT"), "case_worker", "vi"),
    ("markazi", Some("MK"), "officer", "fa"),
    ("uttarpradesh", Some("UP"), "officer", "hi"),
];

struct TreeSpec {
    lang: Lang,
    root_code: &'static str,
    root_name: &'static str,
    root_en: &'static str,
    levels: [&'static str; 3],
    districts: &'static [District],
    members: usize,
}

const TREES: [TreeSpec; 3] = [
    TreeSpec {
        lang: Lang::Vi,
        root_code: "BT",
        root_name: "Liên đoàn Lao động tỉnh Bến Tre",
        root_en: "Ben Tre Provincial Labour Federation",
        levels: ["Tỉnh", "Huyện", "Cơ sở"],
        districts: pools::VI_DISTRICTS,
        members: 2000,
    },
    TreeSpec {
        lang: Lang::Fa,
        root_code: "MK",
        root_name: "خانه کارگر استان مرکزی",
        root_en: "Workers' House of Markazi Province",
        levels: ["استان", "شهرستان", "پایگاه"],
        districts: pools::FA_COUNTIES,
        members: 1000,
    },
    TreeSpec {
        lang: Lang::Hi,
        root_code: "UP",
        root_name: "असंगठित कामगार कांग्रेस, उत्तर प्रदेश",
        root_en: "Unorganised Workers' Congress, Uttar Pradesh",
        levels: ["प्रदेश", "जिला", "ब्लॉक"],
        districts: pools::HI_DISTRICTS,
        members: 1000,
    },
];

fn locale(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "vi",
        Lang::Fa => "fa",
        Lang::Hi => "hi",
    }
}

fn district_name(lang: Lang, d: &District) -> String {
    match lang {
        Lang::Vi if d.name.starts_with("Thành phố") => format!("Liên đoàn Lao động {}", d.name),
        Lang::Vi => format!("Liên đoàn Lao động huyện {}", d.name),
        Lang::Fa => format!("خانه کارگر شهرستان {}", d.name),
        Lang::Hi => format!("जिला इकाई {}", d.name),
    }
}

fn names(pairs: &[(&str, String)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(l, n)| (l.to_string(), n.clone()))
        .collect()
}

const INFORMAL: [&str; 7] = [
    "daily_wage",
    "domestic",
    "sanitation",
    "construction",
    "agriculture",
    "street_vending",
    "platform",
];

/// Whether the database has no units yet (the demo loads only into an empty one).
pub async fn is_empty(system: &System) -> Result<bool, AppError> {
    Ok(system.app().list_units(&system.actor()).await?.is_empty())
}

/// Loads the demo dataset; `today` anchors the join dates so the last twelve months
/// always show activity.
pub async fn load(system: &System, today: Date) -> Result<(), AppError> {
    let app = system.app();
    let system = system.actor();
    let mut rng = Rng::new(2024);
    for tree in &TREES {
        load_tree(app, &system, tree, &mut rng, today).await?;
    }
    for (username, unit, role, lang) in DEMO_LOGINS {
        app.add_user(
            &system,
            NewLogin {
                unit_code: *unit,
                username,
                role,
                password: DEMO_PASSWORD,
                locale: Some(lang),
            },
        )
        .await?;
    }
    drives::load(app, &system, today).await?;
    mapping::load(app, &system, today, &mut Rng::new(91)).await?;
    governance::load(app, &system).await?;
    governance::meetings(app, &system).await?;
    governance::grassroots(app, &system, today).await?;
    events::load(app, &system).await?;
    cases::load(app, &system).await?;
    aid::load(app, &system).await?;
    schemes::load(app, &system, today).await?;
    courses::load(app, &system).await?;
    duplicates::load(app, &system).await
}

async fn load_tree(
    app: &App,
    system: &Actor,
    t: &TreeSpec,
    rng: &mut Rng,
    today: Date,
) -> Result<(), AppError> {
    let lang = locale(t.lang);
    app.create_unit(
        system,
        NewUnit {
            code: t.root_code.into(),
            level: t.levels[0].into(),
            name: t.root_name.into(),
            names: names(&[("en", t.root_en.into())]),
            founded_on: Some("1990-01-01".into()),
            levels: t.levels.iter().map(|l| l.to_string()).collect(),
            ..NewUnit::default()
        },
    )
    .await?;
    // Grassroots units: enterprises with a union (vi, fa) or blocks (hi).
    // (unit code, district code, the workplace it organizes)
    let mut grassroots: Vec<(String, String, Option<String>)> = Vec::new();
    let mut workplace_seq = 0;
    for d in t.districts {
        app.create_unit(
            system,
            NewUnit {
                parent_code: Some(t.root_code.into()),
                code: d.code.into(),
                level: t.levels[1].into(),
                name: district_name(t.lang, d),
                names: names(&[("en", d.latin.to_string())]),
                region: Some(d.name.into()),
                ..NewUnit::default()
            },
        )
        .await?;
        for (code, name, latin) in d.blocks {
            app.create_unit(
                system,
                NewUnit {
                    parent_code: Some(d.code.into()),
                    code: (*code).into(),
                    level: t.levels[2].into(),
                    name: format!("ब्लॉक इकाई {name}"),
                    names: names(&[("en", format!("{latin} Block"))]),
                    region: Some((*name).into()),
                    ..NewUnit::default()
                },
            )
            .await?;
            grassroots.push((code.to_string(), d.code.to_string(), None));
        }
        // Workplaces in the district: some with a union, some without.
        let count = if t.lang == Lang::Hi { 2 } else { 6 };
        for i in 0..count {
            workplace_seq += 1;
            let (name, kind) = pools::enterprise(rng, t.lang);
            let headcount = i64::from(kind.min_headcount)
                + rng.below(u64::from(kind.max_headcount - kind.min_headcount + 1)) as i64;
            let code = format!("{}-W{:02}", d.code, i + 1);
            let covered = t.lang != Lang::Hi && i % 2 == 0;
            let covering = if covered {
                let unit_code = format!("{}-G{:02}", d.code, i + 1);
                let prefix = match t.lang {
                    Lang::Vi => "Công đoàn cơ sở",
                    Lang::Fa => "پایگاه",
                    Lang::Hi => "इकाई",
                };
                app.create_unit(
                    system,
                    NewUnit {
                        parent_code: Some(d.code.into()),
                        code: unit_code.clone(),
                        level: t.levels[2].into(),
                        name: format!("{prefix} {name}"),
                        founded_on: Some(
                            today.add_days(-(rng.below(3000) as i64) - 400).to_string(),
                        ),
                        ..NewUnit::default()
                    },
                )
                .await?;
                grassroots.push((unit_code.clone(), d.code.to_string(), Some(code.clone())));
                Some(unit_code)
            } else {
                None
            };
            let ownership = [
                "domestic_private",
                "foreign_invested",
                "state",
                "cooperative",
            ][rng.below(4) as usize];
            app.create_workplace(
                system,
                WorkplaceInput {
                    code: Some(code),
                    name: Some(name),
                    unit_code: Some(d.code.into()),
                    registration_id: Some(format!(
                        "{}{:07}",
                        t.root_code,
                        1_000_000 + workplace_seq * 7919
                    )),
                    sector_code: Some(kind.sector.into()),
                    ownership: Some(ownership.into()),
                    headcount: Some(headcount),
                    operating_since: Some(
                        today.add_days(-(rng.below(9000) as i64) - 365).to_string(),
                    ),
                    region: Some(d.name.into()),
                    covering_unit_code: covering,
                    names: None,
                },
            )
            .await?;
        }
    }
    for n in 0..t.members {
        let (unit, district, workplace) = rng.pick(&grassroots).clone();
        let name = pools::person_name(rng, t.lang);
        // A third joined in the last year, the rest over the five before.
        let days_ago = if rng.chance(33) {
            rng.below(365)
        } else {
            365 + rng.below(5 * 365)
        };
        let joined = today.add_days(-(days_ago as i64));
        let informal = t.lang == Lang::Hi || rng.chance(8);
        let workplace = workplace.filter(|_| !informal);
        let birth = today.add_days(-(18 * 365 + rng.below(40 * 365) as i64));
        let applicant = rng.chance(3);
        let created = app
            .create_member(
                system,
                NewMember {
                    unit_code: unit.clone(),
                    person: PersonInput {
                        full_name: Some(name.full_name),
                        latin_name: name.latin_name,
                        gender: Some(name.gender.into()),
                        birth_date: Some(birth.to_string()),
                        phone: Some(pools::phone(rng, t.lang)),
                        employment_type: Some(if informal { "informal" } else { "formal" }.into()),
                        informal_category: informal.then(|| rng.pick(&INFORMAL).to_string()),
                        workplace_code: workplace,
                        preferred_language: Some(lang.into()),
                        ..PersonInput::default()
                    },
                    joined_on: Some(joined.to_string()),
                    member_number: Some(format!("{}-{:06}", t.root_code, n + 1)),
                    status: Some(if applicant { "applicant" } else { "active" }.into()),
                    allow_duplicate: true,
                },
            )
            .await?;
        if applicant || days_ago < 60 {
            continue;
        }
        let later = |rng: &mut Rng| {
            joined
                .add_days(30 + rng.below(days_ago - 30) as i64)
                .to_string()
        };
        let roll = rng.below(100);
        if roll < 7 {
            let on = later(rng);
            app.change_status(
                system,
                created.id,
                StatusChange {
                    status: "lapsed".into(),
                    on: Some(on),
                },
            )
            .await?;
        } else if roll < 10 {
            let on = later(rng);
            app.change_status(
                system,
                created.id,
                StatusChange {
                    status: "resigned".into(),
                    on: Some(on),
                },
            )
            .await?;
        } else if roll < 13 {
            let others: Vec<&String> = grassroots
                .iter()
                .filter(|(u, d, _)| *d == district && *u != unit)
                .map(|(u, _, _)| u)
                .collect();
            if let Some(to) = others.first() {
                let on = later(rng);
                app.transfer_member(
                    system,
                    created.id,
                    Transfer {
                        to_unit_code: (*to).clone(),
                        on: Some(on),
                        member_number: None,
                    },
                )
                .await?;
            }
        }
    }
    Ok(())
}
