//! Workplaces for the benchmark province, and the time of the priority list.
//!
//! `gen-workplaces` adds workplaces to a province made by `gen-province`: spread over
//! its districts and areas, headcounts from 5 to about 5,000 (most small, a few very
//! large), operating since 1990 to last year, all five kinds of ownership, a third
//! covered by a grassroots union. Six members in ten are placed at a workplace, and
//! each workplace's member count is then counted from them, as the application keeps it.

use crate::drive::{percentile, Error};
use muster_app::mapping::PriorityQuery;
use muster_app::System;
use muster_domain::Date;
use muster_store::{Backend, Db};
use sqlx::{AssertSqlSafe, Row};
use std::time::{Duration, Instant};

async fn exec(db: &Db, sql: String) -> Result<u64, Error> {
    Ok(sqlx::query(AssertSqlSafe(sql))
        .execute(db.pool())
        .await?
        .rows_affected())
}

pub async fn generate(database: &str, workplaces: i64) -> Result<(), Error> {
    let started = Instant::now();
    let db = Db::open(database).await?;
    let pg = db.backend() == Backend::Postgres;
    let pool = db.pool().clone();
    let ids = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            let rows = sqlx::query(sql).fetch_all(&pool).await?;
            rows.iter()
                .map(|r| r.try_get::<i64, _>(0))
                .collect::<Result<Vec<_>, _>>()
        }
    };
    let areas = ids("SELECT id FROM units WHERE level IN ('Huyện', 'Cụm') ORDER BY id").await?;
    let grassroots = ids("SELECT id FROM units WHERE level = 'Cơ sở' ORDER BY id").await?;
    if areas.is_empty() || grassroots.is_empty() {
        return Err("run gen-province first".into());
    }
    let (a0, an) = (areas[0], areas.len() as i64);
    let (g0, gn) = (grassroots[0], grassroots.len() as i64);
    let now = muster_domain::date::now_utc();
    let seq = |select: &str| {
        if pg {
            format!("{select} FROM generate_series(1::bigint, {workplaces}::bigint) AS s(n)")
        } else {
            format!("WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {workplaces}) {select} FROM s")
        }
    };
    // Headcount: 5 plus a power law, so that most are small and a few are very large.
    let headcount = "5 + ((n * 7919) % 100) * ((n * 7919) % 100) * ((n * 104729) % 50) / 100";
    let since = if pg {
        "to_char(DATE '1990-01-01' + ((n * 3571) % 12400)::int, 'YYYY-MM-DD')".to_string()
    } else {
        "date('1990-01-01', '+' || ((n * 3571) % 12400) || ' days')".to_string()
    };
    let select = format!(
        "SELECT 1, {a0} + ((n * 2654435761) % {an}), 'BW' || n, 'Doanh nghiệp ' || n, 'BR' || (1000000 + n), \
         CASE n % 7 WHEN 0 THEN 'A01' WHEN 1 THEN 'C10' WHEN 2 THEN 'C14' WHEN 3 THEN 'C15' WHEN 4 THEN 'F41' \
         WHEN 5 THEN 'G47' ELSE 'H49' END, \
         CASE n % 5 WHEN 0 THEN 'state' WHEN 1 THEN 'domestic_private' WHEN 2 THEN 'foreign_invested' \
         WHEN 3 THEN 'cooperative' ELSE 'household' END, \
         {headcount}, {since}, CASE WHEN n % 3 = 0 THEN {g0} + (n % {gn}) ELSE NULL END, 0, '{now}', '{now}'"
    );
    let sql = format!(
        "INSERT INTO workplaces (tree_id, unit_id, code, name, registration_id, sector_code, ownership, headcount, \
         operating_since, covering_unit_id, archived, created_at, updated_at) {}",
        seq(&select)
    );
    let sql = if pg {
        sql
    } else {
        let (insert, rest) = sql.split_once(" WITH RECURSIVE ").unwrap_or((&sql, ""));
        let (with, select) = rest.split_once(") SELECT ").unwrap_or((rest, ""));
        format!("WITH RECURSIVE {with}) {insert} SELECT {select}")
    };
    exec(&db, sql).await?;
    eprintln!("{workplaces} workplaces in {:.1?}", started.elapsed());
    let t = Instant::now();
    let first: i64 = sqlx::query_scalar("SELECT MIN(id) FROM workplaces WHERE code LIKE 'BW%'")
        .fetch_one(db.pool())
        .await?;
    exec(
        &db,
        format!("UPDATE people SET workplace_id = {first} + ((id * 7919) % {workplaces}) WHERE id % 10 < 6"),
    )
    .await?;
    eprintln!("people placed at workplaces in {:.1?}", t.elapsed());
    let t = Instant::now();
    exec(
        &db,
        "UPDATE workplaces SET members = (SELECT COUNT(*) FROM people p JOIN memberships m ON m.person_id = p.id \
         WHERE p.workplace_id = workplaces.id AND m.is_current = 1 AND m.status = 'active')"
            .into(),
    )
    .await?;
    exec(&db, "ANALYZE".into()).await?;
    eprintln!(
        "members counted in {:.1?}; done in {:.1?}",
        t.elapsed(),
        started.elapsed()
    );
    Ok(())
}

/// Times the priority list (first page of 50) as the province's officer would ask for
/// it: the whole province, one district, and narrowed by size, ownership or sector.
pub async fn priority(database: &str, requests: usize) -> Result<(), Error> {
    let db = Db::open(database).await?;
    let app = System::new(db.clone());
    let top: String = sqlx::query_scalar("SELECT code FROM units WHERE id = 1")
        .fetch_one(db.pool())
        .await?;
    let province = app.actor_in(&top).await?;
    let districts: Vec<String> =
        sqlx::query_scalar("SELECT code FROM units WHERE level = 'Huyện' ORDER BY code")
            .fetch_all(db.pool())
            .await?;
    let mut rng = muster_app::demo::pools::Rng::new(11);
    let kinds = [
        "whole province",
        "one district",
        "size 500+",
        "ownership",
        "sector",
        "page 3",
    ];
    let query = |kind: usize, rng: &mut muster_app::demo::pools::Rng| {
        let mut q = PriorityQuery::default();
        match kind {
            1 => q.unit = Some(rng.pick(&districts).clone()),
            2 => q.size = Some("500+".into()),
            3 => q.ownership = Some("foreign_invested".into()),
            4 => q.sector = Some("C14".into()),
            5 => q.offset = Some(100),
            _ => {}
        }
        q
    };
    let today = Date::today();
    for _ in 0..10 {
        app.priority_list(&province, &PriorityQuery::default(), today)
            .await?;
    }
    let mut all = Vec::new();
    let mut by_kind: Vec<Vec<Duration>> = vec![Vec::new(); kinds.len()];
    let mut total = 0;
    for i in 0..requests {
        let kind = i % kinds.len();
        let q = query(kind, &mut rng);
        let t = Instant::now();
        let page = app.priority_list(&province, &q, today).await?;
        let took = t.elapsed();
        if kind == 0 {
            total = page.total;
        }
        all.push(took);
        by_kind[kind].push(took);
    }
    let report = |name: &str, mut d: Vec<Duration>| {
        d.sort();
        println!(
            "{name:<16} n={:>5}  p50 {:>7.2?}  p95 {:>7.2?}  p99 {:>7.2?}  max {:>7.2?}",
            d.len(),
            percentile(&d, 0.5),
            percentile(&d, 0.95),
            percentile(&d, 0.99),
            d[d.len() - 1]
        );
    };
    println!(
        "priority list, first 50 of {total} workplaces to organize ({:?})",
        db.backend()
    );
    for (i, d) in by_kind.into_iter().enumerate() {
        report(kinds[i], d);
    }
    report("all", all);
    Ok(())
}
