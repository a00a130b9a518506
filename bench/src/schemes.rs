//! Benefit schemes over a province of a million members: the worklist of those
//! eligible and not enrolled in a district, and the scheme roll-up of the province and
//! of a district, with ten schemes whose rules read birth dates, kinds of work and
//! other enrollments.
//!
//! `gen-schemes` takes a province made by `gen-province`, gives its people birth dates
//! (ages 16 to 75) and genders, adds ten schemes and enrolls three members in ten in
//! each (whatever the rule says, as a registry's history has it).

use crate::drive::{exec, percentile};
pub use crate::generate::Error;
use muster_app::schemes::{SchemeInput, SubtreeQuery};
use muster_app::System;
use muster_domain::Date;
use muster_store::{Backend, Db};
use std::time::{Duration, Instant};

/// (code, rule)
const SCHEMES: [(&str, &str); 10] = [
    (
        "eshram",
        "age between 16 and 59\nemployment_type = informal",
    ),
    (
        "pmsym",
        "age between 18 and 40\nemployment_type = informal\nenrolled eshram = yes",
    ),
    ("pmsby", "age between 18 and 70"),
    ("pmjjby", "age between 18 and 50"),
    (
        "domestic",
        "gender = female\ninformal_category in domestic, sanitation",
    ),
    ("pension", "age >= 60"),
    (
        "bocw",
        "informal_category in construction, daily_wage\nage between 18 and 60",
    ),
    (
        "platform",
        "informal_category = platform\nenrolled eshram = no",
    ),
    ("farm", "informal_category = agriculture\nage <= 65"),
    ("vendors", "informal_category = street_vending"),
];

pub async fn generate(database: &str) -> Result<(), Error> {
    let started = Instant::now();
    let db = Db::open(database).await?;
    let pg = db.backend() == Backend::Postgres;
    let today = Date::today();
    let born = if pg {
        format!("to_char(DATE '{today}' - (5840 + (id * 7919) % 21535)::int, 'YYYY-MM-DD')")
    } else {
        format!("date('{today}', '-' || (5840 + (id * 7919) % 21535) || ' days')")
    };
    let t = Instant::now();
    exec(
        &db,
        format!(
            "UPDATE people SET birth_date = {born}, gender = CASE WHEN id % 2 = 0 THEN 'female' ELSE 'male' END"
        ),
    )
    .await?;
    eprintln!("birth dates and genders in {:.1?}", t.elapsed());
    let app = System::new(db.clone());
    let system = app.actor();
    for (code, rule) in SCHEMES {
        app.app()
            .save_scheme(
                &system,
                None,
                SchemeInput {
                    tree_code: Some("BP".into()),
                    code: Some(code.into()),
                    name: Some(code.into()),
                    rule: Some(rule.into()),
                    ..SchemeInput::default()
                },
            )
            .await?;
    }
    let t = Instant::now();
    let now = muster_domain::date::now_utc();
    for k in 1..=SCHEMES.len() as i64 {
        exec(
            &db,
            format!(
                "INSERT INTO enrollments (scheme_id, person_id, unit_id, status, outside_rule, updated_on, enrolled_on, \
                 created_at, updated_at) SELECT {k}, m.person_id, m.unit_id, 'enrolled', 0, '{today}', '{today}', '{now}', '{now}' \
                 FROM memberships m WHERE m.is_current = 1 AND (m.person_id * {k} + {k}) % 10 < 3"
            ),
        )
        .await?;
    }
    exec(&db, "ANALYZE".into()).await?;
    eprintln!("enrollments in {:.1?}", t.elapsed());
    let t = Instant::now();
    app.count_tallies(true).await?;
    eprintln!("tallies counted in {:.1?}", t.elapsed());
    // Each scheme's eligible counted per unit, as after its rule was written.
    let ids: Vec<(i64,)> = sqlx::query_as("SELECT id FROM schemes ORDER BY id")
        .fetch_all(db.pool())
        .await?;
    for (id,) in ids {
        let t = Instant::now();
        // A count the save started may hold the claim: wait for it, then count.
        while !app.app().count_scheme(id).await? {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        eprintln!("scheme {id}: eligible counted in {:.1?}", t.elapsed());
    }
    eprintln!("done in {:.1?}", started.elapsed());
    Ok(())
}

/// A scheme and a district's unit id, read before the clock starts.
async fn live_args(
    db: &Db,
    scheme: &str,
    district: &str,
) -> Result<(muster_store::schemes::SchemeRow, i64), Error> {
    let mut conn = db.read().await?;
    let s = muster_store::schemes::by_code(&mut conn, 1, scheme)
        .await?
        .expect("a generated scheme");
    let unit: i64 = sqlx::query_scalar("SELECT id FROM units WHERE code = $1")
        .bind(district)
        .fetch_one(db.pool())
        .await?;
    Ok((s, unit))
}

fn report(name: &str, mut d: Vec<Duration>) {
    d.sort();
    println!(
        "{name:<36} n={:>5}  p50 {:>8.2?}  p95 {:>8.2?}  p99 {:>8.2?}  max {:>8.2?}",
        d.len(),
        percentile(&d, 0.5),
        percentile(&d, 0.95),
        percentile(&d, 0.99),
        d[d.len() - 1]
    );
}

/// Times, as the province's officer, the worklists and roll-ups of the ten schemes.
pub async fn run(database: &str, requests: usize) -> Result<(), Error> {
    let db = Db::open(database).await?;
    let app = System::new(db.clone());
    let province = app.actor_in("BP").await?;
    let districts: Vec<(String,)> =
        sqlx::query_as("SELECT code FROM units WHERE parent_id = 1 ORDER BY id")
            .fetch_all(db.pool())
            .await?;
    // Counts as the day's first read starts them: the kept design reads only a count of
    // today's rule (a database from before it has none yet).
    let today = Date::today().to_string();
    let stale: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM schemes WHERE counted_at IS NULL OR counted_on <> $1 \
         OR counted_rule <> rule ORDER BY id",
    )
    .bind(&today)
    .fetch_all(db.pool())
    .await?;
    for (id,) in stale {
        let t = Instant::now();
        while !app.app().count_scheme(id).await? {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        eprintln!("scheme {id}: counted in {:.1?}", t.elapsed());
    }
    let mut times: Vec<(&str, Vec<Duration>)> = vec![
        ("worklist of a district (500 lines)", vec![]),
        ("roll-up of the province", vec![]),
        ("roll-up of a district", vec![]),
        ("the same worklist read live", vec![]),
    ];
    for i in 0..requests {
        let scheme = SCHEMES[i % SCHEMES.len()].0;
        let district = districts[(i / 4) % districts.len()].0.clone();
        let t = Instant::now();
        match i % 4 {
            3 => {
                // The design without people kept: every member of the district tested.
                let (s, unit) = live_args(&db, scheme, &district).await?;
                let t = Instant::now();
                let rule = muster_domain::schemes::parse_rule(&s.rule).unwrap_or_default();
                let mut conn = db.read().await?;
                muster_store::schemes::worklist(
                    &mut conn,
                    unit,
                    s.id,
                    500,
                    s.tree_id,
                    (&rule, Date::today()),
                )
                .await?;
                times[3].1.push(t.elapsed());
                continue;
            }
            0 => {
                let q = SubtreeQuery {
                    unit: Some(district),
                    limit: Some(500),
                };
                app.app().scheme_worklist(&province, scheme, &q).await?;
            }
            1 => {
                app.app()
                    .scheme_rollup(&province, scheme, &SubtreeQuery::default())
                    .await?;
            }
            _ => {
                let q = SubtreeQuery {
                    unit: Some(district),
                    limit: None,
                };
                app.app().scheme_rollup(&province, scheme, &q).await?;
            }
        }
        times[i % 4].1.push(t.elapsed());
    }
    // A rule changed: the roll-ups read it live until the background count of the new
    // rule is in.
    let t = Instant::now();
    app.app()
        .save_scheme(
            &app.actor(),
            Some("pmsby"),
            SchemeInput {
                tree_code: Some("BP".into()),
                name: Some("pmsby".into()),
                rule: Some("age between 18 and 65".into()),
                ..SchemeInput::default()
            },
        )
        .await?;
    let changed = t.elapsed();
    loop {
        let counted: Option<String> =
            sqlx::query_scalar("SELECT counted_rule FROM schemes WHERE code = 'pmsby'")
                .fetch_one(db.pool())
                .await?;
        if counted.as_deref() == Some("age between 18 and 65") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let recounted = t.elapsed();
    println!("schemes ({:?})", db.backend());
    for (name, t) in times {
        report(name, t);
    }
    println!("a rule changed: saved in {changed:.2?}, its eligible counted for a million members in {recounted:.2?}");
    Ok(())
}
