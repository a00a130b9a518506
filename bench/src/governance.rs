//! A province of tens of thousands of units whose committees met monthly for five
//! years, and the time of what its officers read: the overdue list of the province and
//! of a district, one decision's completion, a unit's governance roll-up.
//!
//! The generator writes, with explicit ids and in bulk: one executive committee per
//! unit with five seats, a meeting of each on the 10th of every month (the last one
//! still to come, the others finalized with attendance and a decision), and the action
//! items those decisions send down: a province decision every third month to every
//! district, split to every area and then to every grassroots unit; a district's to its
//! areas and their grassroots units; an area's to its grassroots units; a grassroots
//! unit's three or four to itself. Items are due thirty days after their meeting
//! (parts five days earlier per level); of those due, most are done, one in ten is
//! still pending and so overdue.

use crate::drive::{exec, percentile, province, Province};
pub use crate::generate::Error;
use muster_app::decisions::ActionQuery;
use muster_app::governance::GovernanceQuery;
use muster_app::System;
use muster_domain::Date;
use muster_store::{Backend, Db};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// `SELECT 1 AS k UNION ALL SELECT 2 ...`: a small table of numbers both backends read.
fn numbers(from: i64, to: i64) -> String {
    (from..=to)
        .map(|k| format!("SELECT {k} AS k"))
        .collect::<Vec<_>>()
        .join(" UNION ALL ")
}

/// Writes rows as multi-row `INSERT`s of 1,000.
struct Batch<'a> {
    db: &'a Db,
    head: &'static str,
    rows: Vec<String>,
    written: u64,
}

impl<'a> Batch<'a> {
    fn new(db: &'a Db, head: &'static str) -> Self {
        Self {
            db,
            head,
            rows: Vec::with_capacity(1000),
            written: 0,
        }
    }

    async fn push(&mut self, row: String) -> Result<(), Error> {
        self.rows.push(row);
        if self.rows.len() == 1000 {
            self.flush().await?;
        }
        Ok(())
    }

    async fn flush(&mut self) -> Result<(), Error> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let sql = format!("{} VALUES {}", self.head, self.rows.join(","));
        self.written += exec(self.db, sql).await?;
        self.rows.clear();
        Ok(())
    }
}

/// The months of the meetings: `months` of them ending with the current one.
fn meeting_days(months: i64) -> Vec<String> {
    let today = Date::today();
    let n = i64::from(today.year()) * 12 + i64::from(today.month()) - 1;
    (n - months + 1..=n)
        .map(|m| format!("{:04}-{:02}-10", m / 12, m % 12 + 1))
        .collect()
}

/// An item's status and the day it was done, from its id and due date.
fn state(id: i64, due: Date, today: Date) -> (&'static str, Option<String>) {
    if due >= today {
        return ("open", None);
    }
    match id % 50 {
        0 => ("cancelled", None),
        1..=3 => ("open", None),
        4 | 5 => ("in_progress", None),
        _ => (
            "done",
            Some(due.add_days(-(id % 20) + 5).min(today).to_string()),
        ),
    }
}

pub async fn generate(database: &str, units: usize, months: i64) -> Result<(), Error> {
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
    let Province {
        parent,
        first_grassroots,
        grassroots,
    } = province(&db, units).await?;
    let mut children: HashMap<i64, Vec<i64>> = HashMap::new();
    let mut ids: Vec<i64> = parent.keys().copied().collect();
    ids.sort_unstable();
    for id in &ids {
        if let Some(Some(p)) = parent.get(id) {
            children.entry(*p).or_default().push(*id);
        }
    }
    eprintln!(
        "{} units ({grassroots} grassroots) in {:.1?}",
        ids.len(),
        started.elapsed()
    );

    let days = meeting_days(months);
    let first = &days[0];
    let t = Instant::now();
    exec(
        &db,
        format!(
            "INSERT INTO committees (id, tree_id, unit_id, name, kind, cadence, quorum_percent, calendar, \
             term_start, term_end, created_at, updated_at) SELECT id, 1, id, 'Ban Chấp hành ' || code, 'executive', \
             'monthly', 50, 'gregorian', '{first}', NULL, '{now}', '{now}' FROM units"
        ),
    )
    .await?;
    exec(
        &db,
        format!(
            "INSERT INTO committee_seats (id, committee_id, person_id, outside_name, outside_organization, \
             outside_title, position, voting, from_on, until_on, created_at) \
             SELECT (c.id - 1) * 5 + k.k, c.id, NULL, 'Ủy viên ' || k.k, NULL, NULL, \
             CASE k.k WHEN 1 THEN 'chair' WHEN 2 THEN 'vice_chair' WHEN 3 THEN 'secretary' ELSE 'member' END, \
             1, '{first}', NULL, '{now}' FROM committees c CROSS JOIN ({}) k",
            numbers(1, 5)
        ),
    )
    .await?;
    // Meeting ids: (committee - 1) * months + i + 1, the last month's still to come.
    let month_table = days
        .iter()
        .enumerate()
        .map(|(i, d)| format!("SELECT {i} AS i, '{d}' AS day"))
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let last = months - 1;
    exec(
        &db,
        format!(
            "INSERT INTO meetings (id, committee_id, unit_id, starts_at, place, version, correcting, number, \
             created_at, updated_at) SELECT (c.id - 1) * {months} + mo.i + 1, c.id, c.unit_id, mo.day || 'T09:00', \
             'Hội trường', CASE WHEN mo.i = {last} THEN 0 ELSE 1 END, 0, \
             CASE WHEN mo.i = {last} THEN NULL ELSE mo.i + 1 END, '{now}', '{now}' \
             FROM committees c CROSS JOIN ({month_table}) mo"
        ),
    )
    .await?;
    exec(
        &db,
        "INSERT INTO agenda_items (id, meeting_id, parent_id, position, title, presenter, planned_minutes, minutes) \
         SELECT id, id, NULL, 1, 'Kế hoạch tháng', NULL, 30, 'Đã thảo luận' FROM meetings"
            .into(),
    )
    .await?;
    exec(
        &db,
        format!(
            "INSERT INTO meeting_attendance (meeting_id, seat_id, presence, represented_by) \
             SELECT m.id, (m.committee_id - 1) * 5 + k.k, \
             CASE WHEN k.k = 5 AND m.id % 3 = 0 THEN 'absent' WHEN k.k = 4 AND m.id % 7 = 0 THEN 'excused' \
             ELSE 'present' END, NULL FROM meetings m CROSS JOIN ({}) k WHERE m.version > 0",
            numbers(1, 5)
        ),
    )
    .await?;
    let year = if pg {
        "CAST(substr(starts_at, 1, 4) AS BIGINT)"
    } else {
        "CAST(substr(starts_at, 1, 4) AS INTEGER)"
    };
    let month = year.replace("1, 4", "6, 2");
    exec(
        &db,
        format!(
            "INSERT INTO decisions (id, meeting_id, item_id, committee_id, unit_id, year, number, text, outcome, \
             votes_for, votes_against, votes_abstain, quorum_note, created_at) \
             SELECT id, id, id, committee_id, unit_id, {year}, {month}, 'Triển khai kế hoạch tháng', 'adopted', \
             NULL, NULL, NULL, NULL, '{now}' FROM meetings WHERE version > 0"
        ),
    )
    .await?;
    eprintln!(
        "committees, seats, meetings, attendance, decisions in {:.1?}",
        t.elapsed()
    );

    // Action items, written in id order: each part after the item it was split from.
    let t = Instant::now();
    let today = Date::today();
    let mut batch = Batch::new(
        &db,
        "INSERT INTO action_items (id, decision_id, meeting_id, parent_id, unit_id, person_id, title, due_on, \
         status, done_on, created_at, updated_at, own_decision_id)",
    );
    let mut next = 1i64;
    let is_grassroots = |u: i64| u >= first_grassroots;
    let kids = |u: i64| children.get(&u).map(Vec::as_slice).unwrap_or(&[]);
    for unit in &ids {
        let depth = {
            let (mut d, mut at) = (0, parent.get(unit).copied().flatten());
            while let Some(p) = at {
                d += 1;
                at = parent.get(&p).copied().flatten();
            }
            d
        };
        for (i, day) in days.iter().enumerate().take(days.len() - 1) {
            if depth == 0 && i % 3 != 0 {
                continue;
            }
            let meeting = (unit - 1) * months + i as i64 + 1;
            let due = Date::parse_iso(day)?.add_days(30);
            // (parent's id, unit, due) of the items still to write, breadth first.
            let mut todo: Vec<(Option<i64>, i64, Date)> = if is_grassroots(*unit) {
                (0..3 + (i % 2)).map(|_| (None, *unit, due)).collect()
            } else {
                kids(*unit).iter().map(|k| (None, *k, due)).collect()
            };
            while let Some((parent_item, holder, due)) = todo.pop() {
                let id = next;
                next += 1;
                let (status, done) = state(id, due, today);
                let own = if parent_item.is_none() {
                    meeting.to_string()
                } else {
                    "NULL".into()
                };
                let parent_item = parent_item.map_or("NULL".into(), |p| p.to_string());
                let done = done.map_or("NULL".into(), |d| format!("'{d}'"));
                batch
                    .push(format!(
                        "({id}, {meeting}, {meeting}, {parent_item}, {holder}, NULL, 'Triển khai nghị quyết', \
                         '{due}', '{status}', {done}, '{now}', '{now}', {own})"
                    ))
                    .await?;
                if holder != *unit && !is_grassroots(holder) {
                    for k in kids(holder) {
                        todo.push((Some(id), *k, due.add_days(-5)));
                    }
                }
            }
        }
    }
    batch.flush().await?;
    eprintln!("{} action items in {:.1?}", batch.written, t.elapsed());
    if pg {
        for (table, n) in [
            ("committees", ids.len() as i64 + 1),
            ("committee_seats", ids.len() as i64 * 5 + 1),
            ("meetings", ids.len() as i64 * months + 1),
            ("agenda_items", ids.len() as i64 * months + 1),
            ("decisions", ids.len() as i64 * months + 1),
            ("action_items", next),
        ] {
            exec(
                &db,
                format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), {n})"),
            )
            .await?;
        }
    }
    // The counters the write path keeps, counted once from the records.
    let t = Instant::now();
    System::new(db.clone()).count_tallies(true).await?;
    eprintln!("governance counters in {:.1?}", t.elapsed());
    let t = Instant::now();
    exec(&db, "ANALYZE".into()).await?;
    eprintln!(
        "analyzed in {:.1?}; done in {:.1?}",
        t.elapsed(),
        started.elapsed()
    );
    Ok(())
}

/// Times, as the province's officer and a district's would ask: the first page of the
/// overdue list, one decision's completion, the governance roll-up of a quarter.
pub async fn measure(database: &str, requests: usize) -> Result<(), Error> {
    let db = Db::open(database).await?;
    let app = System::new(db.clone());
    let province = app.actor_in("BP").await?;
    let districts: Vec<String> =
        sqlx::query_scalar("SELECT code FROM units WHERE level = 'Huyện' ORDER BY code")
            .fetch_all(db.pool())
            .await?;
    // Decisions of the province (every third month) and of districts.
    let province_decisions: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT decision_id FROM action_items WHERE decision_id IN \
         (SELECT id FROM decisions WHERE unit_id = 1) ORDER BY decision_id",
    )
    .fetch_all(db.pool())
    .await?;
    let mut district_decisions: HashMap<String, Vec<i64>> = HashMap::new();
    for (code, id) in sqlx::query_as::<_, (String, i64)>(
        "SELECT u.code, d.id FROM decisions d JOIN units u ON u.id = d.unit_id WHERE u.level = 'Huyện' ORDER BY d.id",
    )
    .fetch_all(db.pool())
    .await?
    {
        district_decisions.entry(code).or_default().push(id);
    }
    let counts: (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM meetings), (SELECT COUNT(*) FROM action_items)",
    )
    .fetch_one(db.pool())
    .await?;
    let today = Date::today();
    let quarters: Vec<String> = (1..=8)
        .map(|back| {
            let n = today.year() * 4 + (i32::from(today.month()) - 1) / 3 - back;
            format!("{}-Q{}", n / 4, n % 4 + 1)
        })
        .collect();
    let mut rng = muster_app::demo::pools::Rng::new(17);
    let mut district_actors = HashMap::new();
    for d in &districts {
        district_actors.insert(d.clone(), app.actor_in(d).await?);
    }
    let kinds = [
        "overdue, province",
        "overdue, district",
        "decision, province",
        "decision, district",
        "roll-up, province",
        "roll-up, district",
    ];
    let mut by_kind: Vec<Vec<Duration>> = vec![Vec::new(); kinds.len()];
    let mut all = Vec::new();
    let mut sizes = vec![0usize; kinds.len()];
    for i in 0..requests + 12 {
        let kind = i % kinds.len();
        let district = rng.pick(&districts).clone();
        let actor = if kind.is_multiple_of(2) {
            &province
        } else {
            &district_actors[&district]
        };
        let t = Instant::now();
        let size = match kind {
            0 | 1 => {
                let q = ActionQuery::default();
                app.list_action_items(actor, &q, true).await?.len()
            }
            2 => {
                let id = *rng.pick(&province_decisions);
                app.decision(actor, id).await?.actions.len()
            }
            3 => {
                let id = *rng.pick(&district_decisions[&district]);
                app.decision(actor, id).await?.actions.len()
            }
            _ => {
                let q = GovernanceQuery {
                    quarter: Some(rng.pick(&quarters).clone()),
                    calendar: Some("gregorian".into()),
                    ..GovernanceQuery::default()
                };
                app.governance_rollup(actor, &q).await?.rows.len()
            }
        };
        let took = t.elapsed();
        // The first round warms the cache.
        if i >= 12 {
            by_kind[kind].push(took);
            all.push(took);
            sizes[kind] = size;
        }
    }
    println!(
        "governance of {} meetings and {} action items ({:?})",
        counts.0,
        counts.1,
        db.backend()
    );
    let report = |name: &str, size: Option<usize>, mut d: Vec<Duration>| {
        d.sort();
        println!(
            "{name:<20} n={:>5}  p50 {:>7.2?}  p95 {:>7.2?}  p99 {:>7.2?}  max {:>7.2?}{}",
            d.len(),
            percentile(&d, 0.5),
            percentile(&d, 0.95),
            percentile(&d, 0.99),
            d[d.len() - 1],
            size.map(|s| format!("  ({s} rows)")).unwrap_or_default()
        );
    };
    for (i, d) in by_kind.into_iter().enumerate() {
        report(kinds[i], Some(sizes[i]), d);
    }
    report("all", None, all);
    Ok(())
}
