//! Figures computed from other modules' records: meetings held, committees that met,
//! decisions adopted, action items done. A write that changes such a record names the
//! units it touched; each of their own figures is counted again from the records and
//! only the difference is added up the tree, so the figures cannot drift. A whole drive
//! is counted again when the tree changes shape.

use super::*;

/// A unit's own records of `kind` in `drive`'s period, or those of the whole scope:
/// (unit, day, count) rows, several per unit and day allowed.
async fn own_rows(
    conn: &mut Conn,
    kind: MetricKind,
    drive: &DriveRow,
    only_unit: Option<i64>,
    scheme: Option<&str>,
) -> Result<Vec<(i64, String, i64)>, StoreError> {
    let within = |column: &str| match only_unit {
        Some(_) => format!("{column} = $3"),
        None => {
            format!("{column} IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id = $3)")
        }
    };
    let sql = match kind {
        MetricKind::MeetingsHeld => format!(
            "SELECT m.unit_id, substr(m.starts_at, 1, 10) AS day, COUNT(*) FROM meetings m \
             WHERE m.version > 0 AND m.starts_at >= $1 AND m.starts_at < $2 AND {} \
             GROUP BY m.unit_id, substr(m.starts_at, 1, 10)",
            within("m.unit_id")
        ),
        // Each committee once, on the day of its first finalized meeting in the period.
        MetricKind::CommitteesMet => format!(
            "SELECT m.unit_id, MIN(substr(m.starts_at, 1, 10)) AS day, 1 FROM meetings m \
             WHERE m.version > 0 AND m.starts_at >= $1 AND m.starts_at < $2 AND {} \
             GROUP BY m.committee_id, m.unit_id",
            within("m.unit_id")
        ),
        MetricKind::DecisionsAdopted => format!(
            "SELECT d.unit_id, substr(m.starts_at, 1, 10) AS day, COUNT(*) FROM decisions d \
             JOIN meetings m ON m.id = d.meeting_id \
             WHERE d.outcome = 'adopted' AND m.starts_at >= $1 AND m.starts_at < $2 AND {} \
             GROUP BY d.unit_id, substr(m.starts_at, 1, 10)",
            within("d.unit_id")
        ),
        // An item split into parts counts through its parts.
        MetricKind::ActionItemsDone => format!(
            "SELECT a.unit_id, a.done_on AS day, COUNT(*) FROM action_items a \
             WHERE a.status = 'done' AND a.done_on >= $1 AND a.done_on < $2 AND {} \
             AND NOT EXISTS (SELECT 1 FROM action_items k WHERE k.parent_id = a.id) \
             GROUP BY a.unit_id, a.done_on",
            within("a.unit_id")
        ),
        MetricKind::EventsHeld => format!(
            "SELECT e.unit_id, e.starts_on AS day, COUNT(*) FROM events e \
             WHERE e.closed_at IS NOT NULL AND e.starts_on >= $1 AND e.starts_on < $2 AND {} \
             GROUP BY e.unit_id, e.starts_on",
            within("e.unit_id")
        ),
        MetricKind::RecruitedAtEvents => format!(
            "SELECT e.unit_id, e.starts_on AS day, COUNT(*) FROM events e \
             JOIN event_participants x ON x.event_id = e.id WHERE x.recruited = 1 \
             AND e.starts_on >= $1 AND e.starts_on < $2 AND {} \
             GROUP BY e.unit_id, e.starts_on",
            within("e.unit_id")
        ),
        MetricKind::CasesResolved => format!(
            "SELECT c.unit_id, c.resolved_on AS day, COUNT(*) FROM cases c \
             WHERE c.resolved_on IS NOT NULL AND c.resolved_on >= $1 AND c.resolved_on < $2 AND {} \
             GROUP BY c.unit_id, c.resolved_on",
            within("c.unit_id")
        ),
        // In whole units of the tree's currency: a target reads "50,000,000 đồng".
        MetricKind::AidDisbursed => format!(
            "SELECT r.approver_unit_id, d.on_day AS day, CAST(SUM(d.amount) / CASE WHEN s.currency IN ({}) \
             THEN 1 ELSE 100 END AS BIGINT) FROM aid_disbursements d JOIN aid_requests r ON r.id = d.request_id \
             LEFT JOIN aid_settings s ON s.tree_id = r.tree_id \
             WHERE d.on_day >= $1 AND d.on_day < $2 AND {} \
             GROUP BY r.approver_unit_id, d.on_day, s.currency",
            muster_domain::money::WHOLE
                .iter()
                .map(|c| format!("'{c}'"))
                .collect::<Vec<_>>()
                .join(", "),
            within("r.approver_unit_id")
        ),
        // The scheme is the metric's, of the drive's tree: `$4`.
        MetricKind::SchemeEnrolled => format!(
            "SELECT e.unit_id, e.enrolled_on AS day, COUNT(*) FROM enrollments e \
             JOIN schemes s ON s.id = e.scheme_id AND s.tree_id = {} AND s.code = $4 \
             WHERE e.status = 'enrolled' AND e.enrolled_on >= $1 AND e.enrolled_on < $2 AND {} \
             GROUP BY e.unit_id, e.enrolled_on",
            drive.tree_id,
            within("e.unit_id")
        ),
        MetricKind::HelpedToApply => format!(
            "SELECT e.unit_id, e.helped_on AS day, COUNT(*) FROM enrollments e \
             WHERE e.helped_on IS NOT NULL AND e.helped_on >= $1 AND e.helped_on < $2 AND {} \
             GROUP BY e.unit_id, e.helped_on",
            within("e.unit_id")
        ),
        MetricKind::MembersReferred => format!(
            "SELECT x.unit_id, x.on_day AS day, COUNT(*) FROM milestones x \
             WHERE x.kind = 'referred_to_party' AND x.on_day >= $1 AND x.on_day < $2 AND {} \
             GROUP BY x.unit_id, x.on_day",
            within("x.unit_id")
        ),
        _ => return Ok(Vec::new()),
    };
    let mut q = sqlx::query_as(AssertSqlSafe(sql))
        .bind(&drive.starts_on)
        .bind(&drive.ends_on)
        .bind(only_unit.unwrap_or(drive.scope_unit_id));
    if kind == MetricKind::SchemeEnrolled {
        q = q.bind(scheme.unwrap_or(""));
    }
    q.fetch_all(&mut *conn).await.store()
}

/// Own figures of a computed metric, keyed by (unit, month).
async fn own_figures(
    conn: &mut Conn,
    kind: MetricKind,
    drive: &DriveRow,
    only_unit: Option<i64>,
    scheme: Option<&str>,
) -> Result<HashMap<(i64, i64), i64>, StoreError> {
    let period = drive.period();
    let mut months: HashMap<String, Option<u32>> = HashMap::new();
    let mut out: HashMap<(i64, i64), i64> = HashMap::new();
    for (unit, day, n) in own_rows(conn, kind, drive, only_unit, scheme).await? {
        let month = *months
            .entry(day.clone())
            .or_insert_with(|| Date::parse_iso(&day).ok().and_then(|d| period.index_of(d)));
        if let Some(month) = month {
            *out.entry((unit, i64::from(month))).or_default() += n;
        }
    }
    Ok(out)
}

/// The own figures of a drive's computed metrics over its whole scope, for `rebuild`.
pub(super) async fn scope_figures(
    conn: &mut Conn,
    drive: &DriveRow,
    metrics: &[(i64, MetricKind, Option<String>)],
) -> Result<OwnFigures, StoreError> {
    let mut own = OwnFigures::new();
    for (metric_id, kind, scheme) in metrics.iter().filter(|(_, k, _)| k.computed()) {
        for ((unit, month), n) in own_figures(conn, *kind, drive, None, scheme.as_deref()).await? {
            *own.entry((*metric_id, unit, month)).or_default() += n;
        }
    }
    Ok(own)
}

/// A drive with one of its computed metrics, found for a unit inside its scope.
#[derive(FromRow)]
struct ComputedMetric {
    #[sqlx(flatten)]
    drive: DriveRow,
    metric_id: i64,
    kind: String,
    scheme_code: Option<String>,
}

/// Counts again the own figures of `units` in every computed metric of every drive whose
/// scope holds them, and adds the differences to them and the units above. Called by the
/// write path before it commits, for the units whose meetings, decisions or action
/// items the write changed.
pub async fn recount(conn: &mut Conn, units: &[i64]) -> Result<(), StoreError> {
    let kinds: Vec<String> = MetricKind::COMPUTED
        .iter()
        .map(|k| format!("'{}'", k.as_str()))
        .collect();
    for unit in units {
        let sql = format!(
            "SELECT {DRIVE_COLUMNS}, m.id AS metric_id, m.kind, m.scheme_code FROM drives d \
             JOIN drive_metrics m ON m.drive_id = d.id \
             JOIN unit_closure c ON c.ancestor_id = d.scope_unit_id AND c.descendant_id = $1 \
             WHERE m.kind IN ({}) ORDER BY d.id, m.id",
            kinds.join(", ")
        );
        let rows: Vec<ComputedMetric> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(unit)
            .fetch_all(&mut *conn)
            .await
            .store()?;
        for r in rows {
            let Ok(kind) = MetricKind::parse(&r.kind) else {
                continue;
            };
            let now =
                own_figures(conn, kind, &r.drive, Some(*unit), r.scheme_code.as_deref()).await?;
            let before: Vec<(i64, i64)> = sqlx::query_as(
                "SELECT period, own FROM drive_values WHERE metric_id = $1 AND unit_id = $2",
            )
            .bind(r.metric_id)
            .bind(unit)
            .fetch_all(&mut *conn)
            .await
            .store()?;
            let mut delta: HashMap<i64, i64> =
                now.into_iter().map(|((_, month), n)| (month, n)).collect();
            for (month, own) in before {
                *delta.entry(month).or_default() -= own;
            }
            for (month, d) in delta.into_iter().filter(|(_, d)| *d != 0) {
                add_value(conn, r.drive.scope_unit_id, r.metric_id, *unit, month, d).await?;
            }
        }
    }
    Ok(())
}
