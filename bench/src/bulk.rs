//! Bulk import, the duplicate scan of a whole tree, and the duplicate check of one new
//! registrant, on the multilingual members of `people.rs`.
//!
//! ```text
//! muster-bench gen-people --file bench/data/people-1m.csv --rows 1000000
//! muster-bench import --database bench/data/import-1m.db --file bench/data/people-1m.csv
//! muster-bench scan --database bench/data/import-1m.db
//! muster-bench check --database bench/data/import-1m.db --file bench/data/people-1m.csv
//! ```

use crate::generate::Error;
use muster_app::import::ImportOptions;
use muster_app::members::PersonInput;
use muster_app::units::NewUnit;
use muster_app::System;
use muster_store::Db;
use std::time::Instant;

/// The units `people.rs` writes rows for: `IMP` with four districts of 20 units.
async fn units(app: &System) -> Result<(), Error> {
    let system = app.actor();
    if app.get_unit(&system, "IMP").await.is_ok() {
        return Ok(());
    }
    app.create_unit(
        &system,
        NewUnit {
            code: "IMP".into(),
            level: "Province".into(),
            name: "Import benchmark".into(),
            ..NewUnit::default()
        },
    )
    .await?;
    for lang in ["VI", "FA", "HI", "EN"] {
        let district = format!("IMP-{lang}");
        app.create_unit(
            &system,
            NewUnit {
                parent_code: Some("IMP".into()),
                code: district.clone(),
                level: "District".into(),
                name: district.clone(),
                ..NewUnit::default()
            },
        )
        .await?;
        for n in 1..=20 {
            app.create_unit(
                &system,
                NewUnit {
                    parent_code: Some(district.clone()),
                    code: format!("{district}-{n:02}"),
                    level: "Grassroots".into(),
                    name: format!("{district} {n}"),
                    ..NewUnit::default()
                },
            )
            .await?;
        }
    }
    Ok(())
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

pub async fn import(database: &str, file: &str, check_duplicates: bool) -> Result<(), Error> {
    let db = Db::open(database).await?;
    let app = System::new(db);
    units(&app).await?;
    let bytes = std::fs::read(file)?;
    let size = bytes.len();
    let started = Instant::now();
    let options = ImportOptions {
        check_duplicates,
        bulk: std::env::var("BULK").ok().map(|b| b == "yes"),
        batch_rows: std::env::var("BATCH")
            .ok()
            .and_then(|b| b.parse().ok())
            .unwrap_or(100_000),
        ..ImportOptions::default()
    };
    let run = app.start_import(&app.actor(), file, bytes, options).await?;
    let report = app.run_import(run, &mut |_| {}).await?;
    let secs = started.elapsed().as_secs_f64();
    let c = report.import.counts;
    let rows = report.import.done_rows - 1;
    println!(
        "import {file} ({:.0} MB) into {database}: {rows} rows in {secs:.2} s ({:.0} rows/s): \
         {} created, {} updated, {} unchanged, {} rejected, {} likely duplicates; peak RSS {:.0} MiB",
        size as f64 / 1e6,
        rows as f64 / secs,
        c.created,
        c.updated,
        c.unchanged,
        c.rejected,
        c.duplicates,
        peak_rss_mib()
    );
    Ok(())
}

/// `sqlite3 .import` of the same file into a bare table: the floor of any import.
pub fn floor(file: &str) -> Result<(), Error> {
    let db = std::env::temp_dir().join("muster-import-floor.db");
    let _ = std::fs::remove_file(&db);
    let started = Instant::now();
    let out = std::process::Command::new("sqlite3")
        .arg(&db)
        .arg(".mode csv")
        .arg(format!(".import {file} people"))
        .output()?;
    let secs = started.elapsed().as_secs_f64();
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned().into());
    }
    println!("sqlite3 .import {file} into a bare table: {secs:.2} s");
    let _ = std::fs::remove_file(&db);
    Ok(())
}

/// The tables an import fills, each read in the order of its primary key, so that it
/// goes into the new file one row after another.
const FILLED: [(&str, &str); 3] = [
    ("people", "id > 0"),
    ("memberships", "id > 0"),
    ("person_keys", "key >= ''"),
];

/// Copies what `import` wrote into a new SQLite file with the same tables (the rows
/// first, in key order, in one transaction; then every index, each sorted), with the
/// bulk load's settings, and times each step with `sqlite3`. No row is parsed, checked,
/// counted or given search keys here: this is the floor of the schema itself.
pub async fn schema_floor(database: &str) -> Result<(), Error> {
    if database.starts_with("postgres") {
        return schema_floor_postgres(database).await;
    }
    let sqlite = |db: &std::path::Path, script: &str| -> Result<String, Error> {
        let out = std::process::Command::new("sqlite3")
            .arg(db)
            .arg(script)
            .output()?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).into_owned().into());
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let source = std::path::Path::new(database);
    let names = FILLED.map(|(t, _)| format!("'{t}'")).join(", ");
    let tables = sqlite(
        source,
        &format!("SELECT sql || ';' FROM sqlite_master WHERE type = 'table' AND name IN ({names})"),
    )?;
    let indexes = sqlite(
        source,
        &format!(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ({names}) \
             AND sql IS NOT NULL ORDER BY tbl_name, name"
        ),
    )?;
    let target = std::env::temp_dir().join("muster-schema-floor.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", target.display()));
    }
    let settings = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
        PRAGMA cache_size = -1048576; PRAGMA threads = 2; PRAGMA foreign_keys = OFF; \
        PRAGMA temp_store = MEMORY;";
    sqlite(&target, &format!("{settings} {tables}"))?;
    let source = source.canonicalize()?;
    let copy: String = FILLED
        .iter()
        .map(|(t, order)| format!("INSERT INTO main.{t} SELECT * FROM src.{t} WHERE {order};"))
        .collect();
    let started = Instant::now();
    sqlite(
        &target,
        &format!(
            "{settings} ATTACH '{}' AS src; BEGIN; {copy} COMMIT;",
            source.display()
        ),
    )?;
    let rows_secs = started.elapsed().as_secs_f64();
    println!("rows of {names} copied in key order, one transaction: {rows_secs:.2} s");
    let mut index_secs = 0.0;
    for line in indexes.lines() {
        let Some((name, sql)) = line.split_once('|') else {
            continue;
        };
        let started = Instant::now();
        sqlite(&target, &format!("{settings} {sql};"))?;
        let secs = started.elapsed().as_secs_f64();
        index_secs += secs;
        println!("  index {name}: {secs:.2} s");
    }
    println!(
        "schema floor of {database}: {:.2} s ({rows_secs:.2} s rows + {index_secs:.2} s indexes)",
        rows_secs + index_secs
    );
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", target.display()));
    }
    Ok(())
}

/// The same on PostgreSQL, inside the server: each table copied by
/// `INSERT INTO floor_<table> SELECT * FROM <table> ORDER BY <its key>` into a table
/// without indexes (no client, no parsing: below `COPY`), then each index of the table,
/// its primary key's included, built on the copy. Foreign keys are left out.
async fn schema_floor_postgres(database: &str) -> Result<(), Error> {
    use sqlx::{AssertSqlSafe, Connection, Executor};
    let mut conn = sqlx::PgConnection::connect(database).await?;
    conn.execute("SET maintenance_work_mem = '512MB'").await?;
    let order = [
        ("people", "id"),
        ("memberships", "id"),
        ("person_keys", "key, person_id"),
    ];
    let mut rows_secs = 0.0;
    let mut index_secs = 0.0;
    for (table, key) in order {
        let copy = format!("floor_{table}");
        conn.execute(AssertSqlSafe(format!("DROP TABLE IF EXISTS {copy}")))
            .await?;
        conn.execute(AssertSqlSafe(format!(
            "CREATE TABLE {copy} (LIKE {table} INCLUDING DEFAULTS)"
        )))
        .await?;
        let started = Instant::now();
        conn.execute(AssertSqlSafe(format!(
            "INSERT INTO {copy} SELECT * FROM {table} ORDER BY {key}"
        )))
        .await?;
        let secs = started.elapsed().as_secs_f64();
        rows_secs += secs;
        println!("rows of {table} copied in key order: {secs:.2} s");
        let defs: Vec<(String, String)> = sqlx::query_as(
            "SELECT CAST(indexname AS TEXT), indexdef FROM pg_indexes \
             WHERE schemaname = current_schema() AND tablename = $1 ORDER BY indexname",
        )
        .bind(table)
        .fetch_all(&mut conn)
        .await?;
        for (name, def) in defs {
            let def = def
                .replacen(
                    &format!("INDEX {name} ON"),
                    &format!("INDEX floor_{name} ON"),
                    1,
                )
                .replacen(&format!(".{table} USING"), &format!(".{copy} USING"), 1);
            if !def.contains(&format!(".{copy} USING")) {
                return Err(format!("an index of {table} not understood: {def}").into());
            }
            let started = Instant::now();
            conn.execute(AssertSqlSafe(def)).await?;
            let secs = started.elapsed().as_secs_f64();
            index_secs += secs;
            println!("  index {name}: {secs:.2} s");
        }
        conn.execute(AssertSqlSafe(format!("DROP TABLE {copy}")))
            .await?;
    }
    println!(
        "schema floor of {database}: {:.2} s ({rows_secs:.2} s rows + {index_secs:.2} s indexes)",
        rows_secs + index_secs
    );
    Ok(())
}

pub async fn scan(database: &str) -> Result<(), Error> {
    let db = Db::open(database).await?;
    let app = System::new(db);
    let started = Instant::now();
    let r = app.scan_duplicates(&app.actor()).await?;
    println!(
        "scan of {} members: {} candidate pairs, {} likely pairs in {:.1} s; peak RSS {:.0} MiB",
        r.people,
        r.candidate_pairs,
        r.likely_pairs,
        started.elapsed().as_secs_f64(),
        peak_rss_mib()
    );
    Ok(())
}

/// The duplicate check of one registrant, for rows of the file changed as a clerk
/// would type them again: the name and birth date, no phone.
pub async fn check(database: &str, file: &str, requests: usize) -> Result<(), Error> {
    let db = Db::open(database).await?;
    let app = System::new(db);
    let text = std::fs::read_to_string(file)?;
    let mut lines = text.lines();
    let header: Vec<String> = crate::dedupe::fields(lines.next().unwrap_or_default());
    let col = |n: &str| {
        header
            .iter()
            .position(|h| h == n)
            .ok_or(format!("no column {n}"))
    };
    let (unit, name, latin, birth) = (
        col("unit_code")?,
        col("full_name")?,
        col("latin_name")?,
        col("birth_date")?,
    );
    let step = (text.len() / 300 / requests.max(1)).max(1);
    let mut times = Vec::with_capacity(requests);
    let mut found = 0;
    let system = app.actor();
    for line in lines.step_by(step).take(requests) {
        let f = crate::dedupe::fields(line);
        let get = |i: usize| f.get(i).cloned().filter(|s| !s.is_empty());
        let input = PersonInput {
            full_name: get(name),
            latin_name: get(latin),
            birth_date: get(birth),
            ..PersonInput::default()
        };
        let started = Instant::now();
        let hits = app.check_duplicates(&system, &f[unit], &input).await?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        found += usize::from(!hits.is_empty());
    }
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    println!(
        "duplicate check of one registrant, {} requests: p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms; {} found their registered self",
        times.len(),
        pct(0.5),
        pct(0.95),
        pct(0.99),
        times.last().copied().unwrap_or(0.0),
        found
    );
    Ok(())
}
