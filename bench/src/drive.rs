//! A province of millions of members in tens of thousands of units with an organizing
//! drive, and the time of the drive dashboard's progress query.
//!
//! The generator writes units, people and memberships in bulk with SQL run inside the
//! database (a recursive sequence on SQLite, `generate_series` on PostgreSQL), then the
//! counters those memberships make (per unit and day, current members by status). The
//! drive itself is created through the use case, which counts its figures from those
//! counters exactly as it would for real data; its targets are set and split through
//! the use cases too.

pub use crate::generate::Error;
use muster_app::drives::{NewDrive, NewMetric, SplitInput, TargetInput};
use muster_app::System;
use muster_domain::Date;
use muster_store::{Backend, Db};
use sqlx::{AssertSqlSafe, Row};
use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

/// The drive the benchmark creates and measures.
pub const DRIVE: &str = "BENCH-DRIVE";
/// The first day members may have joined.
const FIRST_DAY: &str = "2017-01-01";

/// The shape of the province: districts, areas per district, and the grassroots units
/// under all areas (spread as evenly as they go), so that the units number `units`.
fn shape(units: usize) -> (usize, usize, usize) {
    let districts = 50;
    let areas = 20;
    let grassroots = units
        .saturating_sub(1 + districts + districts * areas)
        .max(districts * areas);
    (districts, areas, grassroots)
}

pub(crate) async fn exec(db: &Db, sql: String) -> Result<u64, Error> {
    Ok(sqlx::query(AssertSqlSafe(sql))
        .execute(db.pool())
        .await?
        .rows_affected())
}

/// The province's units as `province` made them.
pub struct Province {
    /// Every unit's parent (the province's is `None`).
    pub parent: HashMap<i64, Option<i64>>,
    /// Grassroots units are the ids `first_grassroots..first_grassroots + grassroots`.
    pub first_grassroots: i64,
    pub grassroots: i64,
}

/// Writes the units of a province (`BP`, its districts `BP-D01`, their areas
/// `BP-D01-A01` and the grassroots units under them, `units` in all) with explicit ids,
/// the province 1, and their closure.
pub async fn province(db: &Db, units: usize) -> Result<Province, Error> {
    let now = muster_domain::date::now_utc();
    let pg = db.backend() == Backend::Postgres;
    let (districts, areas, grassroots_total) = shape(units);

    // Units with explicit ids: the province 1, districts, areas, then grassroots units in
    // one contiguous range so members can be spread over them by arithmetic.
    let mut rows: Vec<(i64, Option<i64>, String, &str, String)> = vec![(
        1,
        None,
        "BP".into(),
        "Tỉnh",
        "Liên đoàn Lao động tỉnh (benchmark)".into(),
    )];
    let mut next = 2i64;
    let mut area_ids = Vec::new();
    for d in 1..=districts {
        let did = next;
        next += 1;
        rows.push((
            did,
            Some(1),
            format!("BP-D{d:02}"),
            "Huyện",
            format!("Liên đoàn Lao động huyện {d}"),
        ));
        for a in 1..=areas {
            area_ids.push((next, format!("BP-D{d:02}-A{a:02}")));
            rows.push((
                next,
                Some(did),
                format!("BP-D{d:02}-A{a:02}"),
                "Cụm",
                format!("Cụm công đoàn {d}.{a}"),
            ));
            next += 1;
        }
    }
    let first_grassroots = next;
    let (per_area, extra) = (
        grassroots_total / area_ids.len(),
        grassroots_total % area_ids.len(),
    );
    for (i, (aid, acode)) in area_ids.iter().enumerate() {
        for g in 1..=per_area + usize::from(i < extra) {
            rows.push((
                next,
                Some(*aid),
                format!("{acode}-G{g:03}"),
                "Cơ sở",
                format!("Công đoàn cơ sở {acode}-{g}"),
            ));
            next += 1;
        }
    }
    let grassroots = next - first_grassroots;
    let parent: HashMap<i64, Option<i64>> = rows.iter().map(|r| (r.0, r.1)).collect();
    for chunk in rows.chunks(500) {
        let values: Vec<String> = chunk
            .iter()
            .map(|(id, p, code, level, name)| {
                let p = p.map_or("NULL".to_string(), |p| p.to_string());
                format!("({id}, 1, {p}, '{code}', '{level}', '{name}', '2000-01-01', 0, '{now}', '{now}')")
            })
            .collect();
        exec(
            db,
            format!(
                "INSERT INTO units (id, tree_id, parent_id, code, level, name, founded_on, archived, created_at, updated_at) VALUES {}",
                values.join(",")
            ),
        )
        .await?;
    }
    exec(db, "UPDATE units SET tree_id = NULL WHERE id = 1".into()).await?;
    exec(db, "UPDATE units SET tree_id = 1".into()).await?;
    for (i, level) in ["Tỉnh", "Huyện", "Cụm", "Cơ sở"].iter().enumerate() {
        exec(
            db,
            format!("INSERT INTO tree_levels (tree_id, position, name) VALUES (1, {i}, '{level}')"),
        )
        .await?;
    }
    let mut closure = Vec::new();
    for (id, _, _, _, _) in &rows {
        let (mut at, mut depth) = (Some(*id), 0);
        while let Some(a) = at {
            closure.push(format!("({a}, {id}, {depth})"));
            at = parent.get(&a).copied().flatten();
            depth += 1;
        }
    }
    for chunk in closure.chunks(1000) {
        exec(
            db,
            format!(
                "INSERT INTO unit_closure (ancestor_id, descendant_id, depth) VALUES {}",
                chunk.join(",")
            ),
        )
        .await?;
    }
    if pg {
        exec(
            db,
            format!("SELECT setval(pg_get_serial_sequence('units', 'id'), {next})"),
        )
        .await?;
    }
    Ok(Province {
        parent,
        first_grassroots,
        grassroots,
    })
}

pub async fn generate(database: &str, members: i64, units: usize) -> Result<(), Error> {
    if !database.starts_with("postgres") && std::path::Path::new(database).exists() {
        return Err(format!("{database} exists; remove it to generate anew").into());
    }
    if let Some(dir) = std::path::Path::new(database)
        .parent()
        .filter(|_| !database.starts_with("postgres"))
    {
        std::fs::create_dir_all(dir)?;
    }
    let started = Instant::now();
    let db = Db::open(database).await?;
    let pg = db.backend() == Backend::Postgres;
    let now = muster_domain::date::now_utc();
    let (districts, _, _) = shape(units);
    let Province {
        first_grassroots,
        grassroots,
        ..
    } = province(&db, units).await?;
    eprintln!(
        "{units} units ({grassroots} grassroots) in {:.1?}",
        started.elapsed()
    );

    // People and memberships, generated inside the database.
    let days = Date::today().to_days() - Date::parse_iso(FIRST_DAY)?.to_days();
    let seq = |select: &str| {
        if pg {
            format!("{select} FROM generate_series(1::bigint, {members}::bigint) AS s(n)")
        } else {
            format!("WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {members}) {select} FROM s")
        }
    };
    let category = "CASE (n / 10) % 8 WHEN 0 THEN 'daily_wage' WHEN 1 THEN 'domestic' WHEN 2 THEN 'sanitation' \
        WHEN 3 THEN 'construction' WHEN 4 THEN 'platform' WHEN 5 THEN 'agriculture' WHEN 6 THEN 'street_vending' ELSE 'other' END";
    let t = Instant::now();
    // The name's sort key as the application would give it ("Đoàn viên 7" sorts by
    // the number, zero-padded), so that no command stops to fill ten million of them.
    let sort_key = if pg {
        "'doan vien ' || lpad(n::text, 8, '0')"
    } else {
        "'doan vien ' || substr('00000000' || n, -8)"
    };
    let people = seq(&format!(
        "SELECT n, 1, 'Đoàn viên ' || n, {sort_key}, CASE WHEN n % 10 = 3 THEN 'informal' ELSE 'formal' END, \
         CASE WHEN n % 10 = 3 THEN {category} ELSE NULL END, 0, '{now}', '{now}'"
    ));
    let sql = format!(
        "INSERT INTO people (id, tree_id, full_name, sort_key, employment_type, informal_category, archived, created_at, \
         updated_at) {}",
        people
    );
    // The recursive form must lead with WITH: move the INSERT after it.
    let sql = if pg { sql } else { move_insert(&sql) };
    exec(&db, sql).await?;
    eprintln!("{members} people in {:.1?}", t.elapsed());
    let t = Instant::now();
    let joined = if pg {
        format!("to_char(DATE '{FIRST_DAY}' + ((n * 40503 + 17) % {days})::int, 'YYYY-MM-DD')")
    } else {
        format!("date('{FIRST_DAY}', '+' || ((n * 40503 + 17) % {days}) || ' days')")
    };
    let sql = format!(
        "INSERT INTO memberships (id, tree_id, person_id, unit_id, status, member_number, joined_on, is_current, \
         created_at, updated_at) {}",
        seq(&format!(
            "SELECT n, 1, n, {first_grassroots} + ((n * 2654435761) % {grassroots}), 'active', 'BP-' || n, {joined}, 1, '{now}', '{now}'"
        ))
    );
    let sql = if pg { sql } else { move_insert(&sql) };
    exec(&db, sql).await?;
    eprintln!("{members} memberships in {:.1?}", t.elapsed());
    if pg {
        exec(
            &db,
            format!("SELECT setval(pg_get_serial_sequence('people', 'id'), {members} + 1)"),
        )
        .await?;
        exec(
            &db,
            format!("SELECT setval(pg_get_serial_sequence('memberships', 'id'), {members} + 1)"),
        )
        .await?;
    }

    // The counters those memberships make.
    let t = Instant::now();
    exec(
        &db,
        "INSERT INTO unit_day_counts (unit_id, day, employment_type, informal_category, joins, active_delta) \
         SELECT m.unit_id, m.joined_on, p.employment_type, COALESCE(p.informal_category, ''), COUNT(*), COUNT(*) \
         FROM memberships m JOIN people p ON p.id = m.person_id GROUP BY m.unit_id, m.joined_on, p.employment_type, p.informal_category"
            .into(),
    )
    .await?;
    exec(&db, "INSERT INTO unit_status_counts (unit_id, status, members) SELECT unit_id, status, COUNT(*) FROM memberships GROUP BY unit_id, status".into()).await?;
    exec(
        &db,
        "INSERT INTO subtree_status_counts (unit_id, status, members) SELECT c.ancestor_id, s.status, SUM(s.members) \
         FROM unit_status_counts s JOIN unit_closure c ON c.descendant_id = s.unit_id GROUP BY c.ancestor_id, s.status"
            .into(),
    )
    .await?;
    exec(&db, "ANALYZE".into()).await?;
    eprintln!("counters in {:.1?}", t.elapsed());

    // The drive, its targets and their split, through the use cases.
    let app = System::new(db.clone());
    let system = app.actor();
    let year = Date::today().year();
    let t = Instant::now();
    let metric = |kind: &str| NewMetric {
        kind: kind.into(),
        ..NewMetric::default()
    };
    let drive = app
        .create_drive(
            &system,
            NewDrive {
                code: DRIVE.into(),
                name: format!("Phát triển đoàn viên {year}"),
                names: BTreeMap::new(),
                scope_unit_code: "BP".into(),
                calendar: None,
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
                        ..NewMetric::default()
                    },
                ],
            },
        )
        .await?;
    eprintln!("drive created and counted in {:.1?}", t.elapsed());
    let t = Instant::now();
    let targets = [
        members / 8,
        members / 80,
        members / 14,
        220,
        50,
        members / 100,
    ];
    let district_codes: Vec<String> = (1..=districts).map(|d| format!("BP-D{d:02}")).collect();
    for (m, target) in drive.metrics.iter().zip(targets) {
        app.set_target(
            &system,
            DRIVE,
            "BP",
            TargetInput {
                metric_id: m.id,
                target: Some(target),
            },
        )
        .await?;
        for unit in std::iter::once("BP").chain(district_codes.iter().map(String::as_str)) {
            let split = SplitInput {
                metric_id: m.id,
                method: "members".into(),
                targets: BTreeMap::new(),
            };
            app.split_target(&system, DRIVE, unit, split).await?;
        }
    }
    eprintln!(
        "targets set and split two levels down in {:.1?}",
        t.elapsed()
    );
    if !pg {
        exec(&db, "ANALYZE".into()).await?;
    }
    eprintln!("done in {:.1?}", started.elapsed());
    Ok(())
}

/// `INSERT INTO t (...) WITH RECURSIVE ... SELECT ...` as SQLite wants it:
/// `WITH RECURSIVE ... INSERT INTO t (...) SELECT ...`.
pub(crate) fn move_insert(sql: &str) -> String {
    let (insert, rest) = sql.split_once(" WITH RECURSIVE ").unwrap_or((sql, ""));
    let (with, select) = rest.split_once(") SELECT ").unwrap_or((rest, ""));
    format!("WITH RECURSIVE {with}) {insert} SELECT {select}")
}

/// The `p` quantile (0 to 1) of sorted durations.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// Times the progress query of the drive's dashboard for units at every level, as the
/// province's officer would open them.
pub async fn progress(database: &str, requests: usize) -> Result<(), Error> {
    let db = Db::open(database).await?;
    let app = System::new(db.clone());
    let codes: Vec<(String, String)> = sqlx::query("SELECT code, level FROM units ORDER BY id")
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|r| Ok((r.try_get("code")?, r.try_get("level")?)))
        .collect::<Result<_, sqlx::Error>>()?;
    let province = app.actor_in(&codes[0].0).await?;
    let today = Date::today();
    let mut rng = muster_app::demo::pools::Rng::new(7);
    let levels = ["Tỉnh", "Huyện", "Cụm", "Cơ sở"];
    let by_level: Vec<Vec<&String>> = levels
        .iter()
        .map(|l| {
            codes
                .iter()
                .filter(|(_, lv)| lv == l)
                .map(|(c, _)| c)
                .collect()
        })
        .collect();
    // Warm up, as a running server would be.
    for _ in 0..20 {
        app.drive_progress(&province, DRIVE, None, today).await?;
    }
    let mut all = Vec::new();
    let mut per_level: Vec<Vec<Duration>> = vec![Vec::new(); levels.len()];
    for i in 0..requests {
        let level = i % levels.len();
        let code = rng.pick(&by_level[level]).to_string();
        let t = Instant::now();
        let p = app
            .drive_progress(&province, DRIVE, Some(&code), today)
            .await?;
        let took = t.elapsed();
        assert!(!p.metrics.is_empty());
        all.push(took);
        per_level[level].push(took);
    }
    let report = |name: &str, mut d: Vec<Duration>| {
        d.sort();
        println!(
            "{name:<34} n={:>5}  p50 {:>7.2?}  p95 {:>7.2?}  p99 {:>7.2?}  max {:>7.2?}",
            d.len(),
            percentile(&d, 0.5),
            percentile(&d, 0.95),
            percentile(&d, 0.99),
            d[d.len() - 1]
        );
    };
    println!(
        "drive progress at one unit and its children ({:?})",
        db.backend()
    );
    for (i, d) in per_level.into_iter().enumerate() {
        let children = match i {
            0 => "province, 50 districts below",
            1 => "district, 20 areas below",
            2 => "area, grassroots below",
            _ => "grassroots unit",
        };
        report(children, d);
    }
    report("all", all);
    Ok(())
}
