//! Times the members search over HTTP on loopback against a generated registry.

use crate::generate::{Error, ADMIN, DISTRICT_OFFICER, GRASSROOTS_ORGANIZER};
use crate::http::{enc, Client};
use muster_app::demo::pools::Rng;
use muster_app::System;
use muster_domain::names;
use muster_store::Db;
use sqlx::Row;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// Kinds of query a person types, each drawn from real rows of the registry.
fn queries(
    samples: &[(String, Option<String>, String, String)],
    rng: &mut Rng,
    n: usize,
) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    while out.len() < n {
        let (full, latin, number, phone) = rng.pick(samples);
        let script = names::script_of(full);
        let q = match (rng.below(6), script) {
            // A whole name typed without diacritics or with other letter forms.
            (0 | 1, names::Script::Latin) => ("vi full name, no diacritics", names::fold(full)),
            (0 | 1, names::Script::Arabic) => (
                "fa full name, Arabic letters",
                full.replace('ی', "ي").replace('ک', "ك"),
            ),
            (0 | 1, _) => ("hi full name", full.clone()),
            // Two first letters of each word, as typed into a search box.
            (2, _) => (
                "prefixes of each word",
                names::tokens(full)
                    .iter()
                    .map(|t| t.chars().take(3).collect::<String>())
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            // A surname alone: the common case and the hardest (Nguyễn is a third of Vietnam).
            (3, names::Script::Latin) => ("one common word", names::tokens(full)[0].clone()),
            (3, _) => match latin {
                Some(l) => (
                    "Latin spelling of fa/hi name",
                    l.split(' ').next_back().unwrap_or(l).to_lowercase(),
                ),
                None => ("one common word", names::tokens(full)[0].clone()),
            },
            (4, _) => ("member number", number.clone()),
            _ => ("phone prefix", phone[..7].to_string()),
        };
        out.push(q);
    }
    out
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

pub async fn run(database: &str, requests: usize) -> Result<(), Error> {
    let db = Db::open(database).await?;
    let app = System::new(db.clone());
    let mut samples = Vec::new();
    let rows = sqlx::query(
        "SELECT p.full_name, p.latin_name, m.member_number, p.phone FROM people p JOIN memberships m \
         ON m.person_id = p.id WHERE p.id % 997 = 0",
    )
    .fetch_all(db.pool())
    .await?;
    for r in rows {
        samples.push((
            r.try_get("full_name")?,
            r.try_get("latin_name")?,
            r.try_get("member_number")?,
            r.try_get("phone")?,
        ));
    }
    let members: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM memberships")
        .fetch_one(db.pool())
        .await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?.to_string();
    tokio::spawn(muster_web::serve(
        listener,
        app.app().clone(),
        std::future::pending(),
    ));
    let mut tokens = Vec::new();
    for user in [ADMIN, DISTRICT_OFFICER, GRASSROOTS_ORGANIZER] {
        tokens.push((user, app.create_token(user).await?));
    }
    let mut rng = Rng::new(7);
    let plan = queries(&samples, &mut rng, requests);
    let report = tokio::task::spawn_blocking(move || -> Result<String, Error> {
        let mut client = Client::connect(&addr)?;
        // Warm up the caches as a running server would be.
        for (_, q) in plan.iter().take(200) {
            client.get(&format!("/api/v1/members?q={}", enc(q)), &tokens[0].1)?;
        }
        let mut all = Vec::new();
        let mut by_kind: BTreeMap<String, Vec<Duration>> = BTreeMap::new();
        let mut empty = 0;
        for (i, (kind, q)) in plan.iter().enumerate() {
            let (user, token) = &tokens[if i % 5 == 4 { 1 + (i / 5) % 2 } else { 0 }];
            let path = format!("/api/v1/members?q={}&limit=50", enc(q));
            let t = Instant::now();
            let (status, body) = client.get(&path, token)?;
            let took = t.elapsed();
            if status != 200 {
                return Err(format!("{path}: {status} {body}").into());
            }
            if body.starts_with("{\"items\":[]") {
                empty += 1;
            }
            all.push(took);
            let label = if *user == ADMIN { kind.to_string() } else { format!("{kind} (as {user})") };
            by_kind.entry(label).or_default().push(took);
        }
        all.sort();
        let mut out = format!(
            "GET /api/v1/members?q=... on {members} members: {} requests, p50 {:.2?}, p95 {:.2?}, p99 {:.2?}, max {:.2?} ({empty} with no match)\n",
            all.len(),
            percentile(&all, 0.5),
            percentile(&all, 0.95),
            percentile(&all, 0.99),
            all[all.len() - 1],
        );
        for (kind, mut times) in by_kind {
            times.sort();
            out.push_str(&format!(
                "  {kind:<48} n={:<5} p50 {:>9.2?}  p99 {:>9.2?}\n",
                times.len(),
                percentile(&times, 0.5),
                percentile(&times, 0.99)
            ));
        }
        Ok(out)
    })
    .await??;
    print!("{report}");
    Ok(())
}

/// Times the check-in desk's lookup (the registry search for ten people, as the desk
/// asks it) of names typed as people say them, at a desk of each tree's province (its
/// 300,000 to 400,000 members in scope) and of a district.
pub async fn desk(database: &str, requests: usize) -> Result<(), Error> {
    let db = Db::open(database).await?;
    let app = System::new(db.clone());
    let rows = sqlx::query(
        "SELECT p.full_name, p.latin_name, m.member_number, p.phone, u.code FROM people p \
         JOIN memberships m ON m.person_id = p.id JOIN units u ON u.id = m.unit_id WHERE p.id % 997 = 0",
    )
    .fetch_all(db.pool())
    .await?;
    let mut samples = Vec::new();
    let mut units = Vec::new();
    for r in rows {
        samples.push((
            r.try_get("full_name")?,
            r.try_get("latin_name")?,
            r.try_get("member_number")?,
            r.try_get("phone")?,
        ));
        units.push(r.try_get::<String, _>("code")?);
    }
    let mut rng = Rng::new(11);
    let mut by: BTreeMap<String, Vec<Duration>> = BTreeMap::new();
    let mut all = Vec::new();
    let mut warm = 0;
    let mut missed_repeated = 0;
    while all.len() < requests {
        let i = rng.below(samples.len() as u64) as usize;
        let (full, _, _, _) = &samples[i];
        let one = vec![samples[i].clone()];
        // Names as typed at a desk: whole, without diacritics or with other letter
        // forms, or the first letters of each word.
        let (kind, q) = queries(&one, &mut rng, 1).remove(0);
        if !matches!(
            kind,
            "vi full name, no diacritics"
                | "fa full name, Arabic letters"
                | "hi full name"
                | "prefixes of each word"
        ) {
            continue;
        }
        let unit = &units[i];
        // The province desk of the person's tree, or the desk of their district.
        let (level, code) = if rng.below(2) == 0 {
            ("province desk", unit[..1].to_string())
        } else {
            (
                "district desk",
                unit.split("-G").next().unwrap_or(unit).to_string(),
            )
        };
        let actor = app.actor_in(&code).await?;
        let t = Instant::now();
        let items = app.app().desk_lookup(&actor, &q).await?;
        let took = t.elapsed();
        if warm < 100 {
            warm += 1;
            continue;
        }
        // Someone of that name comes first (namesakes may fill the ten places).
        let same = |n: &str| names::fold(n) == names::fold(full);
        // A name with a word twice (Kiều Kiều Đào) is searched as that word once, so
        // its namesakes by one word fill the places: counted, not a failure.
        let words = names::tokens(full);
        let repeated = words
            .iter()
            .enumerate()
            .any(|(i, w)| words[..i].contains(w));
        if repeated && !items.iter().any(|m| same(&m.full_name)) {
            missed_repeated += 1;
        } else if !items.iter().any(|m| same(&m.full_name)) && kind != "prefixes of each word" {
            let got: Vec<&str> = items.iter().map(|m| m.full_name.as_str()).collect();
            return Err(format!("{q} at {code} did not find {full}: {got:?}").into());
        }
        all.push(took);
        by.entry(format!("{level}: {kind}")).or_default().push(took);
    }
    all.sort();
    println!(
        "desk lookup, ten people, {} lookups: p50 {:.2?} p95 {:.2?} p99 {:.2?} max {:.2?}",
        all.len(),
        percentile(&all, 0.5),
        percentile(&all, 0.95),
        percentile(&all, 0.99),
        all[all.len() - 1]
    );
    println!("names with a word twice whose person was not among the ten: {missed_repeated}");
    for (k, mut t) in by {
        t.sort();
        println!(
            "  {k:<48} n={:<5} p50 {:>9.2?}  p99 {:>9.2?}",
            t.len(),
            percentile(&t, 0.5),
            percentile(&t, 0.99)
        );
    }
    Ok(())
}
