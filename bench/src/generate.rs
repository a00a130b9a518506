//! Generates a registry of realistic multilingual members straight into the store's
//! tables in large batches (the use cases would take an hour for a million), with the
//! same search keys and counters the application keeps.

use muster_app::demo::pools::{self, Lang, Rng};
use muster_app::units::NewUnit;
use muster_app::users::NewLogin;
use muster_app::System;
use muster_domain::{search, Date};
use muster_store::Db;
use sqlx::{AssertSqlSafe, Row};
use std::collections::HashMap;
use std::time::Instant;

pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// The trees of the benchmark: code prefix, language, share of members in per cent.
const TREES: [(&str, Lang, usize, &str); 3] = [
    ("V", Lang::Vi, 40, "Liên đoàn Lao động tỉnh (benchmark)"),
    ("F", Lang::Fa, 30, "خانه کارگر استان (benchmark)"),
    ("H", Lang::Hi, 30, "असंगठित कामगार कांग्रेस (benchmark)"),
];
pub const DISTRICTS: usize = 20;
/// Logins the search benchmark uses (password `bench-password`).
pub const ADMIN: &str = "bench-admin";
pub const DISTRICT_OFFICER: &str = "bench-district";
pub const GRASSROOTS_ORGANIZER: &str = "bench-grassroots";

struct Batch {
    people: Vec<[Option<String>; 9]>,
    ids: Vec<(i64, i64, i64)>,
    memberships: Vec<(String, String, String)>,
    keys: Vec<(String, i64, i64)>,
}

pub async fn run(database: &str, members: usize, units_per_district: usize) -> Result<(), Error> {
    if std::path::Path::new(database).exists() {
        return Err(format!("{database} exists; remove it to generate anew").into());
    }
    if let Some(dir) = std::path::Path::new(database).parent() {
        std::fs::create_dir_all(dir)?;
    }
    let started = Instant::now();
    let db = Db::open(database).await?;
    let app = System::new(db.clone());
    let system = app.actor();
    // Units through the use cases, so the closure table is the real one.
    for (prefix, _, _, name) in TREES {
        app.create_unit(
            &system,
            NewUnit {
                code: prefix.into(),
                level: "Province".into(),
                name: name.into(),
                ..NewUnit::default()
            },
        )
        .await?;
        for d in 1..=DISTRICTS {
            let district = format!("{prefix}-D{d:02}");
            app.create_unit(
                &system,
                NewUnit {
                    parent_code: Some(prefix.into()),
                    code: district.clone(),
                    level: "District".into(),
                    name: format!("District {d}"),
                    ..NewUnit::default()
                },
            )
            .await?;
            for g in 1..=units_per_district {
                app.create_unit(
                    &system,
                    NewUnit {
                        parent_code: Some(district.clone()),
                        code: format!("{district}-G{g:03}"),
                        level: "Grassroots".into(),
                        name: format!("Grassroots {d}.{g}"),
                        ..NewUnit::default()
                    },
                )
                .await?;
            }
        }
    }
    // Grassroots units by tree, each with its district: the branch its keys are filed under.
    let mut grassroots: HashMap<String, Vec<(i64, i64)>> = HashMap::new();
    let mut tree_ids: HashMap<String, i64> = HashMap::new();
    for row in sqlx::query("SELECT id, tree_id, code, parent_id FROM units")
        .fetch_all(db.pool())
        .await?
    {
        let code: String = row.try_get("code")?;
        let id: i64 = row.try_get("id")?;
        let prefix = code[..1].to_string();
        if code.contains("-G") {
            grassroots
                .entry(prefix)
                .or_default()
                .push((id, row.try_get("parent_id")?));
        } else if code.len() == 1 {
            tree_ids.insert(prefix, id);
        }
    }
    eprintln!("units ready in {:.1?}", started.elapsed());

    let mut rng = Rng::new(20_240_515);
    let today = Date::today();
    let mut counters: HashMap<(i64, String, String, String), (i64, i64)> = HashMap::new();
    let mut batch = Batch {
        people: vec![],
        ids: vec![],
        memberships: vec![],
        keys: vec![],
    };
    let mut tx = db.begin().await?;
    for n in 1..=members {
        let roll = rng.below(100) as usize;
        let (prefix, lang) = if roll < TREES[0].2 {
            (TREES[0].0, TREES[0].1)
        } else if roll < TREES[0].2 + TREES[1].2 {
            (TREES[1].0, TREES[1].1)
        } else {
            (TREES[2].0, TREES[2].1)
        };
        let (unit, branch) = *rng.pick(&grassroots[prefix]);
        let name = pools::person_name(&mut rng, lang);
        let phone = pools::phone(&mut rng, lang);
        let joined = today.add_days(-(rng.below(6 * 365) as i64));
        let informal = lang == Lang::Hi || rng.chance(10);
        let category = informal.then(|| {
            ["daily_wage", "domestic", "construction", "agriculture"][rng.below(4) as usize]
        });
        let number = format!("{prefix}-{n:07}");
        let lapsed = rng.chance(8);
        for key in search::person_keys(
            &name.full_name,
            name.latin_name.as_deref(),
            Some(&phone),
            Some(&number),
        ) {
            batch.keys.push((key, n as i64, branch));
        }
        let emp = if informal { "informal" } else { "formal" };
        let c = counters
            .entry((
                unit,
                joined.month_key(),
                emp.to_string(),
                category.unwrap_or("").to_string(),
            ))
            .or_default();
        c.0 += 1;
        c.1 += 1;
        if lapsed {
            let on = joined.add_days(rng.below(300) as i64 + 30).min(today);
            let c = counters
                .entry((
                    unit,
                    on.month_key(),
                    emp.to_string(),
                    category.unwrap_or("").to_string(),
                ))
                .or_default();
            c.1 -= 1;
        }
        let created = format!("{joined}T08:00:00.000Z");
        batch.people.push([
            Some(name.full_name),
            name.latin_name,
            Some(name.gender.to_string()),
            Some(
                today
                    .add_days(-(18 * 365 + rng.below(40 * 365) as i64))
                    .to_string(),
            ),
            Some(phone),
            Some(emp.to_string()),
            category.map(str::to_string),
            Some(
                match lang {
                    Lang::Vi => "vi",
                    Lang::Fa => "fa",
                    Lang::Hi => "hi",
                }
                .to_string(),
            ),
            Some(created.clone()),
        ]);
        batch.ids.push((n as i64, tree_ids[prefix], unit));
        batch.memberships.push((
            if lapsed { "lapsed" } else { "active" }.to_string(),
            number,
            joined.to_string(),
        ));
        if batch.people.len() == 500 {
            flush(&mut tx, &mut batch).await?;
        }
        if n % 50_000 == 0 {
            tx.commit().await?;
            tx = db.begin().await?;
            eprintln!("{n} members in {:.1?}", started.elapsed());
        }
    }
    flush(&mut tx, &mut batch).await?;
    for ((unit, month, emp, cat), (joins, delta)) in &counters {
        sqlx::query(
            "INSERT INTO unit_month_counts (unit_id, month, employment_type, informal_category, joins, active_delta) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(*unit)
        .bind(month)
        .bind(emp)
        .bind(cat)
        .bind(*joins)
        .bind(*delta)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(
        "INSERT INTO unit_status_counts (unit_id, status, members) \
         SELECT unit_id, status, COUNT(*) FROM memberships WHERE is_current = 1 GROUP BY unit_id, status",
    )
    .execute(&mut *tx)
    .await?;
    // The subtree totals, as migration 0004 computes them from the units' own rows.
    for sql in [
        "INSERT INTO subtree_month_counts (unit_id, month, employment_type, informal_category, joins, \
         leaves, transfers_in, transfers_out, active_delta) SELECT c.ancestor_id, m.month, m.employment_type, \
         m.informal_category, SUM(m.joins), SUM(m.leaves), SUM(m.transfers_in), SUM(m.transfers_out), \
         SUM(m.active_delta) FROM unit_month_counts m JOIN unit_closure c ON c.descendant_id = m.unit_id \
         GROUP BY c.ancestor_id, m.month, m.employment_type, m.informal_category",
        "INSERT INTO subtree_status_counts (unit_id, status, members) SELECT c.ancestor_id, s.status, \
         SUM(s.members) FROM unit_status_counts s JOIN unit_closure c ON c.descendant_id = s.unit_id \
         GROUP BY c.ancestor_id, s.status",
    ] {
        sqlx::query(sql).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    eprintln!("{members} members written in {:.1?}", started.elapsed());

    for (username, unit, role) in [
        (ADMIN, None, "admin"),
        (DISTRICT_OFFICER, Some("V-D01"), "officer"),
        (GRASSROOTS_ORGANIZER, Some("V-D01-G001"), "organizer"),
    ] {
        app.add_user(
            &system,
            NewLogin {
                unit_code: unit,
                username,
                role,
                password: "bench-password",
                locale: None,
            },
        )
        .await?;
    }
    match db.backend() {
        muster_store::Backend::Sqlite => db.execute("ANALYZE").await?,
        muster_store::Backend::Postgres => db.execute("ANALYZE").await?,
    };
    eprintln!("done in {:.1?}", started.elapsed());
    Ok(())
}

fn placeholders(rows: usize, cols: usize, extra: &str) -> String {
    (0..rows)
        .map(|r| {
            let cells: Vec<String> = (1..=cols).map(|c| format!("${}", r * cols + c)).collect();
            format!("({}{extra})", cells.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

async fn flush(tx: &mut muster_store::Tx, b: &mut Batch) -> Result<(), Error> {
    if b.people.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO people (id, tree_id, full_name, latin_name, gender, birth_date, phone, employment_type, \
         informal_category, preferred_language, created_at, sort_key, updated_at) VALUES {}",
        placeholders(b.people.len(), 12, ", 'x'")
    );
    let mut q = sqlx::query(AssertSqlSafe(sql));
    for (p, (id, tree, _)) in b.people.iter().zip(&b.ids) {
        q = q.bind(*id).bind(*tree);
        for v in p {
            q = q.bind(v.as_deref());
        }
        q = q.bind(muster_domain::names::sort_key(
            p[0].as_deref().unwrap_or(""),
        ));
    }
    q.execute(&mut **tx).await?;
    let sql = format!(
        "INSERT INTO memberships (id, tree_id, person_id, unit_id, status, member_number, joined_on, \
         is_current, created_at, updated_at) VALUES {}",
        placeholders(b.memberships.len(), 7, ", 1, 'x', 'x'")
    );
    let mut q = sqlx::query(AssertSqlSafe(sql));
    for ((status, number, joined), (id, tree, unit)) in b.memberships.iter().zip(&b.ids) {
        q = q
            .bind(*id)
            .bind(*tree)
            .bind(*id)
            .bind(*unit)
            .bind(status.as_str())
            .bind(number.as_str())
            .bind(joined.as_str());
    }
    q.execute(&mut **tx).await?;
    for chunk in b.keys.chunks(2000) {
        let sql = format!(
            "INSERT INTO person_keys (key, person_id, branch_id) VALUES {}",
            placeholders(chunk.len(), 3, "")
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for (key, id, branch) in chunk {
            q = q.bind(key.as_str()).bind(*id).bind(*branch);
        }
        q.execute(&mut **tx).await?;
    }
    b.people.clear();
    b.ids.clear();
    b.memberships.clear();
    b.keys.clear();
    Ok(())
}
