//! Figures: what each unit counts for each metric and day, kept with every change, rebuilt when the tree moves.

use super::*;

/// One metric's figure for one unit and month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromRow)]
pub struct Value {
    pub metric_id: i64,
    pub unit_id: i64,
    pub period: i64,
    pub own: i64,
    pub total: i64,
}

/// The figures of a drive for a unit and its children, every month.
pub async fn values(
    conn: &mut Conn,
    drive_id: i64,
    unit_id: i64,
) -> Result<Vec<Value>, StoreError> {
    sqlx::query_as(
        // Metric by unit, each pair one range of the primary key (an `OR` of the unit
        // and its children would scan the table on PostgreSQL).
        "SELECT v.metric_id, v.unit_id, v.period, v.own, v.total FROM drive_metrics m \
         CROSS JOIN (SELECT CAST($2 AS BIGINT) AS id UNION ALL SELECT id FROM units WHERE parent_id = $2) u \
         JOIN drive_values v ON v.metric_id = m.id AND v.unit_id = u.id \
         WHERE m.drive_id = $1",
    )
    .bind(drive_id)
    .bind(unit_id)
    .fetch_all(&mut *conn)
    .await
    .store()
}

/// Adds `delta` to one unit's own figure and to the subtree figure of it and every unit
/// above it up to the drive's scope unit.
pub async fn add_value(
    conn: &mut Conn,
    scope_unit_id: i64,
    metric_id: i64,
    unit_id: i64,
    period: i64,
    delta: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO drive_values (metric_id, unit_id, period, own, total) \
         SELECT $1, c.ancestor_id, $3, CASE WHEN c.depth = 0 THEN $4 ELSE 0 END, $4 \
         FROM unit_closure c JOIN unit_closure s ON s.descendant_id = c.ancestor_id AND s.ancestor_id = $5 \
         WHERE c.descendant_id = $2 \
         ON CONFLICT (metric_id, unit_id, period) DO UPDATE SET \
         own = drive_values.own + excluded.own, total = drive_values.total + excluded.total",
    )
    .bind(metric_id)
    .bind(unit_id)
    .bind(period)
    .bind(delta)
    .bind(scope_unit_id)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

/// What one membership change adds to a metric computed from memberships.
fn membership_figure(kind: MetricKind, category: Option<&str>, c: &CountChange) -> i64 {
    match kind {
        MetricKind::NewMembers => c.joins,
        MetricKind::NewInformal
            if c.employment_type == "informal"
                && category.is_none_or(|k| k == c.informal_category) =>
        {
            c.joins
        }
        MetricKind::NetChange => c.active_delta,
        _ => 0,
    }
}

/// Counts one membership change in every drive whose scope holds the unit and whose
/// period holds the day. Called by `counters::apply`, inside the change's transaction.
pub async fn count(conn: &mut Conn, c: &CountChange) -> Result<(), StoreError> {
    count_many(conn, std::slice::from_ref(c)).await
}

/// A drive under way with one of its metrics counted from memberships.
#[derive(FromRow)]
struct DriveMetric {
    #[sqlx(flatten)]
    drive: DriveRow,
    metric_id: i64,
    kind: String,
    informal_category: Option<String>,
}

/// Counts membership changes (one, or an import's) in every drive whose scope holds
/// their unit and whose period holds their day, reading the drives under way and the
/// units' ancestors once and writing each figure once: a unit's own figure, and the
/// subtree figure of it and every unit above it up to the drive's scope unit.
pub async fn count_many(conn: &mut Conn, changes: &[CountChange]) -> Result<(), StoreError> {
    let changes: Vec<(&CountChange, Date)> = changes
        .iter()
        .filter(|c| c.joins != 0 || c.active_delta != 0)
        .filter_map(|c| Some((c, Date::parse_iso(&c.day).ok()?)))
        .collect();
    let (Some(first), Some(last)) = (
        changes.iter().map(|(c, _)| c.day.as_str()).min(),
        changes.iter().map(|(c, _)| c.day.as_str()).max(),
    ) else {
        return Ok(());
    };
    let sql = format!(
        "SELECT {DRIVE_COLUMNS}, m.id AS metric_id, m.kind, m.informal_category FROM drives d \
         JOIN drive_metrics m ON m.drive_id = d.id \
         WHERE d.starts_on <= $2 AND d.ends_on > $1 \
         AND m.kind IN ('new_members', 'new_informal', 'net_change')"
    );
    let rows: Vec<DriveMetric> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(first)
        .bind(last)
        .fetch_all(&mut *conn)
        .await
        .store()?;
    let mut metrics = Vec::with_capacity(rows.len());
    for r in rows {
        if let Ok(kind) = MetricKind::parse(&r.kind) {
            metrics.push((r.drive, r.metric_id, kind, r.informal_category));
        }
    }
    if metrics.is_empty() {
        return Ok(());
    }
    // Each unit's ancestors with their distance, itself at 0.
    let mut units: Vec<i64> = changes.iter().map(|(c, _)| c.unit_id).collect();
    units.sort_unstable();
    units.dedup();
    let sql = format!(
        "SELECT descendant_id, ancestor_id, depth FROM unit_closure WHERE descendant_id IN ({})",
        crate::id_list(&units)
    );
    let mut above: HashMap<i64, Vec<(i64, i64)>> = HashMap::new();
    for (unit, ancestor, depth) in sqlx::query_as::<_, (i64, i64, i64)>(AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await
        .store()?
    {
        above.entry(unit).or_default().push((ancestor, depth));
    }
    // (metric, unit, period) -> (own, total), as `add_value` adds them one by one.
    let mut figures: HashMap<(i64, i64, i64), (i64, i64)> = HashMap::new();
    for (c, day) in &changes {
        let Some(ancestors) = above.get(&c.unit_id) else {
            continue;
        };
        for (drive, metric_id, kind, category) in &metrics {
            let Some(scope_depth) = ancestors
                .iter()
                .find(|(a, _)| *a == drive.scope_unit_id)
                .map(|(_, d)| *d)
            else {
                continue;
            };
            if !(drive.starts_on.as_str() <= c.day.as_str()
                && c.day.as_str() < drive.ends_on.as_str())
            {
                continue;
            }
            let Some(period) = drive.period().index_of(*day) else {
                continue;
            };
            let figure = membership_figure(*kind, category.as_deref(), c);
            if figure == 0 {
                continue;
            }
            for (a, depth) in ancestors.iter().filter(|(_, d)| *d <= scope_depth) {
                let f = figures
                    .entry((*metric_id, *a, i64::from(period)))
                    .or_default();
                if *depth == 0 {
                    f.0 += figure;
                }
                f.1 += figure;
            }
        }
    }
    let rows: Vec<(i64, i64, i64, i64, i64)> = figures
        .into_iter()
        .map(|((m, u, p), (own, total))| (m, u, p, own, total))
        .collect();
    use crate::import::Kind::Int;
    crate::import::insert_rows(
        conn,
        "INSERT INTO drive_values (metric_id, unit_id, period, own, total)",
        &[Int, Int, Int, Int, Int],
        "",
        "WHERE true ON CONFLICT (metric_id, unit_id, period) DO UPDATE SET \
         own = drive_values.own + excluded.own, total = drive_values.total + excluded.total",
        &rows,
    )
    .await
}

/// The units of a drive's subtree and their parents (the scope unit's parent is `None`).
async fn subtree_parents(
    conn: &mut Conn,
    scope_unit_id: i64,
) -> Result<HashMap<i64, Option<i64>>, StoreError> {
    let rows: Vec<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT u.id, CASE WHEN c.depth = 0 THEN NULL ELSE u.parent_id END AS parent_id \
         FROM unit_closure c JOIN units u ON u.id = c.descendant_id WHERE c.ancestor_id = $1",
    )
    .bind(scope_unit_id)
    .fetch_all(&mut *conn)
    .await
    .store()?;
    Ok(rows.into_iter().collect())
}

/// Figures of units' own, keyed by (metric, unit, month).
pub(super) type OwnFigures = HashMap<(i64, i64, i64), i64>;

/// Recomputes a drive's figures from scratch: membership metrics from the day counters,
/// new units from the units' founding dates, custom metrics from the reports that count.
/// With `only_units`, only the new-unit metrics are redone (after a unit is created or
/// edited, which is cheap); otherwise everything (after a unit moves).
pub async fn rebuild(
    conn: &mut Conn,
    drive: &DriveRow,
    only_units: bool,
) -> Result<(), StoreError> {
    let metrics = metrics(conn, drive.id).await?;
    let redo: Vec<&MetricRow> = metrics
        .iter()
        .filter(|m| !only_units || m.kind == MetricKind::NewUnits.as_str())
        .collect();
    if redo.is_empty() {
        return Ok(());
    }
    let metric_ids: Vec<i64> = redo.iter().map(|m| m.id).collect();
    let sql = format!(
        "DELETE FROM drive_values WHERE metric_id IN ({})",
        crate::id_list(&metric_ids)
    );
    sqlx::query(AssertSqlSafe(sql))
        .execute(&mut *conn)
        .await
        .store()?;

    let period = drive.period();
    let mut own = OwnFigures::new();
    let kinds: Vec<(i64, MetricKind, Option<String>, Option<i64>)> = redo
        .iter()
        .filter_map(|m| {
            let kind = MetricKind::parse(&m.kind).ok()?;
            Some((m.id, kind, m.informal_category.clone(), m.min_workers))
        })
        .collect();

    if kinds.iter().any(|(_, k, _, _)| k.from_memberships()) {
        let rows: Vec<crate::import::DayRow> = sqlx::query_as(
            "SELECT d.unit_id, d.day, d.employment_type, d.informal_category, d.joins, d.active_delta \
             FROM unit_closure s JOIN unit_day_counts d ON d.unit_id = s.descendant_id \
             WHERE s.ancestor_id = $1 AND d.day >= $2 AND d.day < $3",
        )
        .bind(drive.scope_unit_id)
        .bind(&drive.starts_on)
        .bind(&drive.ends_on)
        .fetch_all(&mut *conn)
        .await
        .store()?;
        // Many rows share a day: map each day to its month once.
        let mut months: HashMap<String, Option<u32>> = HashMap::new();
        for (unit_id, day, employment_type, informal_category, joins, active_delta) in rows {
            let change = CountChange {
                unit_id,
                day,
                employment_type,
                informal_category,
                joins,
                active_delta,
                ..CountChange::default()
            };
            let month = *months.entry(change.day.clone()).or_insert_with(|| {
                Date::parse_iso(&change.day)
                    .ok()
                    .and_then(|d| period.index_of(d))
            });
            let Some(month) = month else { continue };
            for (metric_id, kind, category, _) in &kinds {
                let figure = membership_figure(*kind, category.as_deref(), &change);
                if figure != 0 {
                    *own.entry((*metric_id, change.unit_id, i64::from(month)))
                        .or_default() += figure;
                }
            }
        }
    }

    let unit_metrics: Vec<(i64, Option<i64>)> = kinds
        .iter()
        .filter(|(_, k, _, _)| *k == MetricKind::NewUnits)
        .map(|(id, _, _, min)| (*id, *min))
        .collect();
    if !unit_metrics.is_empty() {
        // A new grassroots unit counts for the unit it was founded under.
        let rows: Vec<(i64, String, Option<i64>)> = sqlx::query_as(
            "SELECT u.parent_id, u.founded_on, w.headcount FROM unit_closure s \
             JOIN units u ON u.id = s.descendant_id \
             LEFT JOIN workplaces w ON w.id = u.workplace_id \
             WHERE s.ancestor_id = $1 AND s.depth > 0 AND u.archived = 0 \
             AND u.founded_on >= $2 AND u.founded_on < $3 \
             AND u.level = (SELECT l.name FROM tree_levels l WHERE l.tree_id = $4 \
                 ORDER BY l.position DESC LIMIT 1)",
        )
        .bind(drive.scope_unit_id)
        .bind(&drive.starts_on)
        .bind(&drive.ends_on)
        .bind(drive.tree_id)
        .fetch_all(&mut *conn)
        .await
        .store()?;
        for (parent, founded, headcount) in rows {
            let Some(month) = Date::parse_iso(&founded)
                .ok()
                .and_then(|d| period.index_of(d))
            else {
                continue;
            };
            for (metric_id, min) in &unit_metrics {
                if min.is_none_or(|n| headcount.unwrap_or(0) >= n) {
                    *own.entry((*metric_id, parent, i64::from(month)))
                        .or_default() += 1;
                }
            }
        }
    }

    if kinds.iter().any(|(_, k, _, _)| *k == MetricKind::Custom) {
        let rows: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT r.unit_id, r.period, v.metric_id, v.value FROM drive_reports r \
             JOIN drive_report_values v ON v.report_id = r.id \
             WHERE r.drive_id = $1 AND r.status <> 'returned'",
        )
        .bind(drive.id)
        .fetch_all(&mut *conn)
        .await
        .store()?;
        for (unit_id, period, metric_id, value) in rows {
            if metric_ids.contains(&metric_id) {
                *own.entry((metric_id, unit_id, period)).or_default() += value;
            }
        }
    }
    let computed: Vec<(i64, MetricKind, Option<String>)> = redo
        .iter()
        .filter_map(|m| {
            Some((
                m.id,
                MetricKind::parse(&m.kind).ok()?,
                m.scheme_code.clone(),
            ))
        })
        .collect();
    for (key, n) in super::computed::scope_figures(conn, drive, &computed).await? {
        *own.entry(key).or_default() += n;
    }
    write_figures(conn, drive.scope_unit_id, own).await
}

/// Writes own figures and the subtree totals they make, walking each unit's parents up
/// to the scope unit.
async fn write_figures(
    conn: &mut Conn,
    scope_unit_id: i64,
    own: OwnFigures,
) -> Result<(), StoreError> {
    let parents = subtree_parents(conn, scope_unit_id).await?;
    let mut rows: HashMap<(i64, i64, i64), (i64, i64)> = HashMap::new();
    for ((metric, unit, month), figure) in own {
        if !parents.contains_key(&unit) {
            continue;
        }
        rows.entry((metric, unit, month)).or_default().0 += figure;
        let mut at = Some(unit);
        while let Some(u) = at {
            rows.entry((metric, u, month)).or_default().1 += figure;
            at = parents.get(&u).copied().flatten();
        }
    }
    let rows: Vec<_> = rows
        .into_iter()
        .filter(|(_, (o, t))| *o != 0 || *t != 0)
        .collect();
    for chunk in rows.chunks(400) {
        let mut sql = String::from(
            "INSERT INTO drive_values (metric_id, unit_id, period, own, total) VALUES ",
        );
        for (i, ((metric, unit, month), (o, t))) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!("({metric},{unit},{month},{o},{t})"));
        }
        sqlx::query(AssertSqlSafe(sql))
            .execute(&mut *conn)
            .await
            .store()?;
    }
    Ok(())
}

/// Moves the subtree figures of `unit_id` off the units above it within the drive's
/// scope (`sign` -1, before a move) or onto them (`sign` 1, after it). For a unit that
/// stays inside the scope this is all a move changes, besides where a new unit counts.
pub async fn shift_subtree(
    conn: &mut Conn,
    drive: &DriveRow,
    unit_id: i64,
    sign: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO drive_values (metric_id, unit_id, period, own, total) \
         SELECT v.metric_id, c.ancestor_id, v.period, 0, $3 * v.total \
         FROM drive_values v \
         JOIN unit_closure c ON c.descendant_id = v.unit_id AND c.depth > 0 \
         JOIN unit_closure s ON s.descendant_id = c.ancestor_id AND s.ancestor_id = $4 \
         WHERE v.unit_id = $2 AND v.metric_id IN (SELECT id FROM drive_metrics WHERE drive_id = $1) \
         ON CONFLICT (metric_id, unit_id, period) DO UPDATE SET total = drive_values.total + excluded.total",
    )
    .bind(drive.id)
    .bind(unit_id)
    .bind(sign)
    .bind(drive.scope_unit_id)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

/// The drives of a tree, for rebuilding after the tree changes.
pub async fn of_tree(conn: &mut Conn, tree_id: i64) -> Result<Vec<DriveRow>, StoreError> {
    let sql = format!("SELECT {DRIVE_COLUMNS} FROM drives d WHERE d.tree_id = $1 ORDER BY d.id");
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(tree_id)
        .fetch_all(&mut *conn)
        .await
        .store()
}
