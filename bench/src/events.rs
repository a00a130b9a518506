//! A province whose units held many events, and the time of recording a check-in at a
//! busy desk: one after another, and from many desks at once.
//!
//! The generator writes the province of `gen-province` (no members), `events` events
//! spread over its units and five years (a tenth of them at the province itself), each
//! with `people` outside participants, nine in ten checked in on the event's day, and
//! counts the tallies once. Then `checkin` opens a province event of today with its
//! registrations and checks its people in through the use case.

use crate::drive::{exec, move_insert, percentile, province};
pub use crate::generate::Error;
use muster_app::events::{CheckIn, EventInput};
use muster_app::System;
use muster_domain::Date;
use muster_store::{Backend, Db};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub async fn generate(database: &str, units: usize, events: i64, people: i64) -> Result<(), Error> {
    if !database.starts_with("postgres") && std::path::Path::new(database).exists() {
        return Err(format!("{database} exists; remove it to generate anew").into());
    }
    let started = Instant::now();
    let db = Db::open(database).await?;
    let pg = db.backend() == Backend::Postgres;
    let now = muster_domain::date::now_utc();
    let p = province(&db, units).await?;
    let total_units = p.parent.len() as i64;
    eprintln!("{total_units} units in {:.1?}", started.elapsed());
    let seq = |n: i64, select: &str| {
        if pg {
            format!("{select} FROM generate_series(1::bigint, {n}::bigint) AS s(n)")
        } else {
            format!("WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {n}) {select} FROM s")
        }
    };
    // The recursive form must lead with WITH on SQLite: the INSERT goes after it.
    let insert = |sql: String| if pg { sql } else { move_insert(&sql) };
    let first = Date::today().add_days(-5 * 365);
    let day = if pg {
        format!("to_char(DATE '{first}' + ((n * 7919) % 1825)::int, 'YYYY-MM-DD')")
    } else {
        format!("date('{first}', '+' || ((n * 7919) % 1825) || ' days')")
    };
    let t = Instant::now();
    // A province program for each of the five years (a Workers' Month made year-long),
    // each event in the program of its year.
    for k in 0..5i64 {
        let from = first.add_days(365 * k);
        let to = from.add_days(364);
        exec(
            &db,
            format!(
                "INSERT INTO programs (id, tree_id, unit_id, name, starts_on, ends_on, decision_id, created_at, updated_at) \
                 VALUES ({id}, 1, 1, 'Chương trình năm {id}', '{from}', '{to}', NULL, '{now}', '{now}')",
                id = k + 1
            ),
        )
        .await?;
    }
    let kinds = muster_domain::events::EventKind::ALL;
    let kind_case = kinds
        .iter()
        .enumerate()
        .map(|(i, k)| format!("WHEN {i} THEN '{}'", k.as_str()))
        .collect::<Vec<_>>()
        .join(" ");
    // A tenth at the province (unit 1), the rest spread over every unit.
    exec(
        &db,
        insert(format!(
            "INSERT INTO events (id, program_id, unit_id, kind, name, starts_on, ends_on, place, capacity, audience, \
             registration_opens, registration_closes, report_notes, report_media, closed_at, created_at, updated_at) {}",
            seq(
                events,
                &format!(
                    "SELECT n, 1 + ((n * 7919) % 1825) / 365, \
                     CASE WHEN n % 10 = 0 THEN 1 ELSE 1 + (n * 2654435761) % {total_units} END, \
                     CASE n % {nk} {kind_case} END, 'Hội nghị ' || n, {day}, {day}, NULL, NULL, 'open', NULL, NULL, \
                     'Xong', NULL, '{now}', '{now}', '{now}'",
                    nk = kinds.len()
                )
            )
        )),
    )
    .await?;
    let rows = events * people;
    exec(
        &db,
        insert(format!(
            "INSERT INTO event_participants (id, event_id, person_id, outside_name, outside_phone, gender, role, \
             status, ticket, walk_in, recruited, created_at, updated_at) {}",
            seq(
                rows,
                &format!(
                    "SELECT n, 1 + (n - 1) / {people}, NULL, 'Khách ' || n, NULL, CASE WHEN n % 2 = 0 THEN 'female' ELSE 'male' END, \
                     'participant', CASE WHEN n % 10 = 0 THEN 'no_show' ELSE 'attended' END, 'T' || n, 0, 0, '{now}', '{now}'"
                )
            )
        )),
    )
    .await?;
    exec(
        &db,
        "INSERT INTO event_checkins (participant_id, day, at, by_name, method) \
         SELECT x.id, e.starts_on, e.starts_on, 'desk', 'ticket' FROM event_participants x \
         JOIN events e ON e.id = x.event_id WHERE x.status = 'attended'"
            .into(),
    )
    .await?;
    if pg {
        for (table, n) in [
            ("programs", 6),
            ("events", events + 1),
            ("event_participants", rows + 1),
        ] {
            exec(
                &db,
                format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), {n})"),
            )
            .await?;
        }
    }
    eprintln!(
        "{events} events, {rows} participants and their check-ins in {:.1?}",
        t.elapsed()
    );
    let t = Instant::now();
    System::new(db.clone()).count_tallies(true).await?;
    exec(&db, "ANALYZE".into()).await?;
    eprintln!(
        "tallies counted in {:.1?}; done in {:.1?}",
        t.elapsed(),
        started.elapsed()
    );
    Ok(())
}

fn report(name: &str, mut d: Vec<Duration>) {
    d.sort();
    println!(
        "{name:<28} n={:>5}  p50 {:>7.2?}  p95 {:>7.2?}  p99 {:>7.2?}  max {:>7.2?}",
        d.len(),
        percentile(&d, 0.5),
        percentile(&d, 0.95),
        percentile(&d, 0.99),
        d[d.len() - 1]
    );
}

/// Opens a province event of today with `people` registrations and checks them in,
/// first one desk at a time, then from `desks` desks at once.
pub async fn checkin(
    database: &str,
    people: usize,
    desks: usize,
    pace_ms: u64,
) -> Result<(), Error> {
    let db = Db::open(database).await?;
    let app = Arc::new(System::new(db.clone()));
    let actor = Arc::new(app.actor_in("BP").await?);
    let today = Date::today().to_string();
    let program = app
        .create_program(
            &actor,
            muster_app::events::ProgramInput {
                unit_code: Some("BP".into()),
                name: Some("Ngày hội hôm nay".into()),
                starts_on: Some(today.clone()),
                ends_on: Some(today.clone()),
                ..Default::default()
            },
        )
        .await?;
    let e = app
        .create_event(
            &actor,
            EventInput {
                program_id: Some(program.id),
                unit_code: Some("BP".into()),
                kind: Some("conference".into()),
                name: Some("Hội nghị hôm nay".into()),
                starts_on: Some(today.clone()),
                audience: Some("open".into()),
                ..EventInput::default()
            },
        )
        .await?;
    let mut ids = Vec::with_capacity(people);
    for i in 0..people {
        let p = app
            .register_participant(
                &actor,
                e.id,
                muster_app::events::ParticipantInput {
                    outside_name: Some(format!("Người {i}")),
                    ..Default::default()
                },
            )
            .await?;
        ids.push(p.ticket);
    }
    // A quarter one after another, a quarter from every desk back to back, the rest
    // from every desk at a person's pace.
    let quarter = people / 4;
    let mut one = Vec::new();
    for ticket in &ids[..quarter] {
        let t = Instant::now();
        app.check_in(
            &actor,
            e.id,
            CheckIn {
                ticket: Some(ticket.clone()),
                ..CheckIn::default()
            },
        )
        .await?;
        one.push(t.elapsed());
    }
    let (many, wall) =
        desks_at_once(&app, &actor, e.id, &ids[quarter..2 * quarter], desks, 0).await?;
    let (paced, paced_wall) =
        desks_at_once(&app, &actor, e.id, &ids[2 * quarter..], desks, pace_ms).await?;
    let events: (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM events), (SELECT COUNT(*) FROM event_checkins)",
    )
    .fetch_one(db.pool())
    .await?;
    println!(
        "check-in at a province desk, {} events and {} check-ins before ({:?})",
        events.0,
        events.1,
        db.backend()
    );
    let n_many = many.len();
    let n_paced = paced.len();
    report("one desk", one);
    report(&format!("{desks} desks back to back"), many);
    report(
        &format!("{desks} desks, a person each ~{pace_ms} ms"),
        paced,
    );
    println!(
        "back to back: {n_many} check-ins in {wall:.2?} ({:.0}/s); paced: {n_paced} in {paced_wall:.2?}",
        n_many as f64 / wall.as_secs_f64()
    );
    Ok(())
}

/// Checks `tickets` in from `desks` tasks at once, each desk waiting between people a
/// random time around `pace_ms` (none: back to back). Answers each check-in's time and
/// the wall time.
async fn desks_at_once(
    app: &Arc<System>,
    actor: &Arc<muster_app::Actor>,
    event: i64,
    tickets: &[String],
    desks: usize,
    pace_ms: u64,
) -> Result<(Vec<Duration>, Duration), Error> {
    let chunks: Vec<Vec<String>> = tickets
        .chunks(tickets.len().div_ceil(desks).max(1))
        .map(|c| c.to_vec())
        .collect();
    let mut tasks = Vec::new();
    let started = Instant::now();
    for (d, chunk) in chunks.into_iter().enumerate() {
        let app = app.clone();
        let actor = actor.clone();
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            // A desk's own rhythm: between half and one and a half of the pace.
            let mut seed = 0x9e37_79b9_u64.wrapping_mul(d as u64 + 1);
            for ticket in chunk {
                if pace_ms > 0 {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    let wait = pace_ms / 2 + seed % pace_ms.max(1);
                    tokio::time::sleep(Duration::from_millis(wait)).await;
                }
                let t = Instant::now();
                app.check_in(
                    &actor,
                    event,
                    CheckIn {
                        ticket: Some(ticket),
                        ..CheckIn::default()
                    },
                )
                .await
                .map_err(|e| e.to_string())?;
                times.push(t.elapsed());
            }
            Ok::<_, String>(times)
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.map_err(|e| e.to_string())??);
    }
    Ok((all, started.elapsed()))
}

/// Times the program dashboard of the generator's programs for the province, its
/// districts and units further down, as the province's officer reads it.
pub async fn dashboard(database: &str, requests: usize) -> Result<(), Error> {
    let db = Db::open(database).await?;
    let app = System::new(db.clone());
    let actor = app.actor_in("BP").await?;
    let districts: Vec<(String,)> =
        sqlx::query_as("SELECT code FROM units WHERE parent_id = 1 ORDER BY id")
            .fetch_all(db.pool())
            .await?;
    let lower: Vec<(String,)> = sqlx::query_as(
        "SELECT u.code FROM units u JOIN units p ON p.id = u.parent_id WHERE p.parent_id = 1 ORDER BY u.id LIMIT 200",
    )
    .fetch_all(db.pool())
    .await?;
    let mut by_level: Vec<(&str, Vec<Duration>)> = vec![
        ("province", vec![]),
        ("district", vec![]),
        ("below a district", vec![]),
    ];
    for i in 0..requests {
        let program = 1 + (i as i64 % 5);
        let (level, unit) = match i % 3 {
            0 => (0, None),
            1 => (1, Some(districts[i % districts.len()].0.clone())),
            _ => (2, Some(lower[i % lower.len()].0.clone())),
        };
        let q = muster_app::events::DashboardQuery { unit };
        let t = Instant::now();
        let d = app.program_dashboard(&actor, program, &q).await?;
        by_level[level].1.push(t.elapsed());
        if i < 3 {
            let total = &d.rows[0];
            eprintln!(
                "program {program} at {}: {} events, {} held, {} came, {} rows",
                total.unit_code,
                total.events.values().sum::<i64>(),
                total.held,
                total.came,
                d.rows.len()
            );
        }
    }
    println!("program dashboard ({:?})", db.backend());
    for (name, times) in by_level {
        report(name, times);
    }
    Ok(())
}
