//! A province whose desks kept a million cases over five years, and the time of what
//! its case workers and officers read: a desk's queue, a case worker's own list, and
//! the case roll-up of the province and of a district.
//!
//! The generator writes the province of `gen-province` (no members), `cases` cases of
//! the six shipped types at desks spread over its units, opened over five years, seven
//! in ten resolved within forty days, the rest in progress or waiting with a deadline;
//! each assigned to one of a thousand case workers (`w0` to `w999`), each with
//! `activities` activities; then counts the tallies once.

use crate::drive::{exec, move_insert, percentile, province};
pub use crate::generate::Error;
use muster_app::cases::{CaseQuery, RollupQuery};
use muster_app::System;
use muster_domain::Date;
use muster_store::{Backend, Db};
use std::time::{Duration, Instant};

pub async fn generate(
    database: &str,
    units: usize,
    cases: i64,
    activities: i64,
) -> Result<(), Error> {
    if !database.starts_with("postgres") && std::path::Path::new(database).exists() {
        return Err(format!("{database} exists; remove it to generate anew").into());
    }
    let started = Instant::now();
    let db = Db::open(database).await?;
    let pg = db.backend() == Backend::Postgres;
    let now = muster_domain::date::now_utc();
    let p = province(&db, units).await?;
    let total_units = p.parent.len() as i64;
    let seq = |n: i64, select: &str| {
        if pg {
            format!("{select} FROM generate_series(1::bigint, {n}::bigint) AS s(n)")
        } else {
            format!("WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {n}) {select} FROM s")
        }
    };
    let insert = |sql: String| if pg { sql } else { move_insert(&sql) };
    let first = Date::today().add_days(-5 * 365);
    let day = |offset: &str| {
        if pg {
            format!("to_char(DATE '{first}' + ({offset})::int, 'YYYY-MM-DD')")
        } else {
            format!("date('{first}', '+' || ({offset}) || ' days')")
        }
    };
    let opened = "(n * 7919) % 1825";
    let t = Instant::now();
    exec(
        &db,
        insert(format!(
            "INSERT INTO cases (id, tree_id, unit_id, from_unit_id, case_type_id, person_id, outside_name, outside_phone, \
             event_id, workplace_id, assignee, subject, status, step, step_from, due_on, opened_on, resolved_on, \
             resolve_days, outcome, created_at, updated_at) {}",
            seq(
                cases,
                &format!(
                    "SELECT n, 1, 1 + (n * 2654435761) % {total_units}, NULL, 1 + n % 6, NULL, 'Người ' || n, NULL, NULL, NULL, \
                     'w' || (n % 1000), 'Việc ' || n, \
                     CASE WHEN n % 10 < 7 THEN 'resolved' WHEN n % 10 < 9 THEN 'in_progress' ELSE 'waiting' END, 0, \
                     {o}, CASE WHEN n % 10 < 7 THEN NULL ELSE {due} END, {o}, \
                     CASE WHEN n % 10 < 7 THEN {resolved} ELSE NULL END, CASE WHEN n % 10 < 7 THEN n % 40 ELSE NULL END, \
                     CASE WHEN n % 10 < 7 THEN 'Xong' ELSE NULL END, '{now}', '{now}'",
                    o = day(opened),
                    due = day(&format!("{opened} + 7 + n % 50")),
                    resolved = day(&format!("{opened} + n % 40")),
                )
            )
        )),
    )
    .await?;
    let rows = cases * activities;
    exec(
        &db,
        insert(format!(
            "INSERT INTO case_activities (id, case_id, kind, on_day, text, by_name, at) {}",
            seq(
                rows,
                &format!(
                    "SELECT n, 1 + (n - 1) / {activities}, CASE n % 5 WHEN 0 THEN 'note' WHEN 1 THEN 'call' WHEN 2 THEN 'visit' \
                     WHEN 3 THEN 'hearing' ELSE 'document' END, {d}, 'Ghi chú ' || n, 'w' || (n % 1000), '{now}'",
                    d = day(&format!("((1 + (n - 1) / {activities}) * 7919) % 1825"))
                )
            )
        )),
    )
    .await?;
    if pg {
        for (table, n) in [("cases", cases + 1), ("case_activities", rows + 1)] {
            exec(
                &db,
                format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), {n})"),
            )
            .await?;
        }
    }
    eprintln!("{cases} cases and {rows} activities in {:.1?}", t.elapsed());
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
        "{name:<32} n={:>5}  p50 {:>7.2?}  p95 {:>7.2?}  p99 {:>7.2?}  max {:>7.2?}",
        d.len(),
        percentile(&d, 0.5),
        percentile(&d, 0.95),
        percentile(&d, 0.99),
        d[d.len() - 1]
    );
}

/// Times, as the province's officer and as case workers, the reads of a busy day.
pub async fn run(database: &str, requests: usize) -> Result<(), Error> {
    let db = Db::open(database).await?;
    let app = System::new(db.clone());
    let province = app.actor_in("BP").await?;
    let desks: Vec<(String,)> = sqlx::query_as(
        "SELECT u.code FROM units u WHERE u.id IN (SELECT unit_id FROM cases WHERE id % 997 = 0) ORDER BY u.id LIMIT 300",
    )
    .fetch_all(db.pool())
    .await?;
    let districts: Vec<(String,)> =
        sqlx::query_as("SELECT code FROM units WHERE parent_id = 1 ORDER BY id")
            .fetch_all(db.pool())
            .await?;
    let mut times: Vec<(&str, Vec<Duration>)> = vec![
        ("a desk's queue (province officer)", vec![]),
        ("a case worker's own list", vec![]),
        ("roll-up of the province", vec![]),
        ("roll-up of a district", vec![]),
    ];
    for i in 0..requests {
        let t = Instant::now();
        match i % 4 {
            0 => {
                let q = CaseQuery {
                    desk: Some(desks[i % desks.len()].0.clone()),
                    limit: Some(50),
                    ..CaseQuery::default()
                };
                app.app().list_cases(&province, &q).await?;
            }
            1 => {
                let q = CaseQuery {
                    mine: true,
                    limit: Some(50),
                    ..CaseQuery::default()
                };
                let worker = app.case_worker_in(&format!("w{}", i % 1000), "BP").await?;
                app.app().list_cases(&worker, &q).await?;
            }
            2 => {
                app.app()
                    .case_rollup(&province, &RollupQuery::default())
                    .await?;
            }
            _ => {
                let q = RollupQuery {
                    unit: Some(districts[i % districts.len()].0.clone()),
                };
                app.app().case_rollup(&province, &q).await?;
            }
        }
        times[i % 4].1.push(t.elapsed());
    }
    println!("cases ({:?})", db.backend());
    for (name, t) in times {
        report(name, t);
    }
    Ok(())
}
