//! Monthly reports and the units that owe them.

use super::*;

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ReportRow {
    pub id: i64,
    pub drive_id: i64,
    pub unit_id: i64,
    pub period: i64,
    pub status: String,
    pub narrative: String,
    pub review_comment: Option<String>,
    pub filed_by: Option<String>,
    pub filed_at: String,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<String>,
    pub unit_code: String,
    /// In the locale asked for, else the unit's own name.
    pub unit_name: String,
}

/// The columns of a report with its unit's name in the locale of placeholder `$locale`.
fn report_select(locale: usize) -> String {
    format!(
        "SELECT r.id, r.drive_id, r.unit_id, r.period, r.status, r.narrative, r.review_comment, \
         f.username AS filed_by, r.filed_at, v.username AS reviewed_by, r.reviewed_at, \
         u.code AS unit_code, COALESCE(n.name, u.name) AS unit_name \
         FROM drive_reports r JOIN units u ON u.id = r.unit_id \
         LEFT JOIN unit_names n ON n.unit_id = u.id AND n.locale = ${locale} \
         LEFT JOIN users f ON f.id = r.filed_by LEFT JOIN users v ON v.id = r.reviewed_by"
    )
}

/// One unit's report for one month, its unit named in `locale`.
pub async fn report(
    conn: &mut Conn,
    drive_id: i64,
    unit_id: i64,
    period: i64,
    locale: &str,
) -> Result<Option<ReportRow>, StoreError> {
    let sql = format!(
        "{} WHERE r.drive_id = $1 AND r.unit_id = $2 AND r.period = $3",
        report_select(4)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(drive_id)
        .bind(unit_id)
        .bind(period)
        .bind(locale)
        .fetch_optional(&mut *conn)
        .await
        .store()
}

/// The reports of a drive filed by units in `scope`, by month and unit, the units
/// named in `locale`.
pub async fn reports(
    conn: &mut Conn,
    drive_id: i64,
    scope: Scope,
    locale: &str,
) -> Result<Vec<ReportRow>, StoreError> {
    let sql = format!(
        "{} WHERE r.drive_id = $2 AND {} ORDER BY r.period, r.unit_id",
        report_select(3),
        scope.condition("r.unit_id", 1)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(drive_id)
        .bind(locale)
        .fetch_all(&mut *conn)
        .await
        .store()
}

/// The figures of every report of a drive: report id → (metric id → figure).
pub async fn drive_report_values(
    conn: &mut Conn,
    drive_id: i64,
) -> Result<HashMap<i64, std::collections::BTreeMap<i64, i64>>, StoreError> {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT v.report_id, v.metric_id, v.value FROM drive_report_values v \
         JOIN drive_reports r ON r.id = v.report_id WHERE r.drive_id = $1",
    )
    .bind(drive_id)
    .fetch_all(&mut *conn)
    .await
    .store()?;
    let mut out: HashMap<i64, std::collections::BTreeMap<i64, i64>> = HashMap::new();
    for (report_id, metric_id, value) in rows {
        out.entry(report_id).or_default().insert(metric_id, value);
    }
    Ok(out)
}

pub async fn report_values(conn: &mut Conn, report_id: i64) -> Result<Vec<(i64, i64)>, StoreError> {
    sqlx::query_as("SELECT metric_id, value FROM drive_report_values WHERE report_id = $1")
        .bind(report_id)
        .fetch_all(&mut *conn)
        .await
        .store()
}

/// One unit's report for one month, as filed.
#[derive(Debug, Clone, Copy)]
pub struct Filing<'a> {
    pub unit_id: i64,
    pub period: i64,
    pub narrative: &'a str,
    /// (metric id, figure) for each custom metric.
    pub figures: &'a [(i64, i64)],
    pub user_id: Option<i64>,
}

/// Files (or files again) a unit's report for one month: it becomes `submitted` with
/// these figures, and the figures of the report it replaces stop counting.
pub async fn file_report(
    conn: &mut Conn,
    drive: &DriveRow,
    filing: &Filing<'_>,
    now: &str,
) -> Result<i64, StoreError> {
    let Filing {
        unit_id,
        period,
        narrative,
        figures,
        user_id,
    } = *filing;
    let previous = report(conn, drive.id, unit_id, period, "").await?;
    let id = match &previous {
        Some(old) => {
            if ReportStatus::parse(&old.status).is_ok_and(ReportStatus::counts) {
                for (metric_id, value) in report_values(conn, old.id).await? {
                    add_value(conn, drive.scope_unit_id, metric_id, unit_id, period, -value).await?;
                }
            }
            sqlx::query("DELETE FROM drive_report_values WHERE report_id = $1")
                .bind(old.id)
                .execute(&mut *conn)
                .await
                .store()?;
            sqlx::query(
                "UPDATE drive_reports SET status = 'submitted', narrative = $2, filed_by = $3, \
                 filed_at = $4, reviewed_by = NULL, reviewed_at = NULL WHERE id = $1",
            )
            .bind(old.id)
            .bind(narrative)
            .bind(user_id)
            .bind(now)
            .execute(&mut *conn)
            .await
            .store()?;
            old.id
        }
        None => sqlx::query_scalar(
            "INSERT INTO drive_reports (drive_id, unit_id, period, status, narrative, filed_by, filed_at) \
             VALUES ($1, $2, $3, 'submitted', $4, $5, $6) RETURNING id",
        )
        .bind(drive.id)
        .bind(unit_id)
        .bind(period)
        .bind(narrative)
        .bind(user_id)
        .bind(now)
        .fetch_one(&mut *conn)
        .await
        .store()?,
    };
    for (metric_id, value) in figures {
        sqlx::query(
            "INSERT INTO drive_report_values (report_id, metric_id, value) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(metric_id)
        .bind(value)
        .execute(&mut *conn)
        .await
        .store()?;
        add_value(
            conn,
            drive.scope_unit_id,
            *metric_id,
            unit_id,
            period,
            *value,
        )
        .await?;
    }
    Ok(id)
}

/// Accepts or returns a filed report; a returned report's figures stop counting.
pub async fn review_report(
    conn: &mut Conn,
    drive: &DriveRow,
    report: &ReportRow,
    to: ReportStatus,
    comment: Option<&str>,
    user_id: Option<i64>,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE drive_reports SET status = $2, review_comment = $3, reviewed_by = $4, reviewed_at = $5 \
         WHERE id = $1",
    )
    .bind(report.id)
    .bind(to.as_str())
    .bind(comment)
    .bind(user_id)
    .bind(now)
    .execute(&mut *conn)
    .await
    .store()?;
    let was = ReportStatus::parse(&report.status).is_ok_and(ReportStatus::counts);
    if was && !to.counts() {
        for (metric_id, value) in report_values(conn, report.id).await? {
            add_value(
                conn,
                drive.scope_unit_id,
                metric_id,
                report.unit_id,
                report.period,
                -value,
            )
            .await?;
        }
    }
    Ok(())
}

/// A unit that must report: its id, code, name (in the locale asked for) and founding date.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ReportingUnit {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub founded_on: Option<String>,
}

/// Units below the drive's scope unit, inside `scope`, that file monthly reports.
pub async fn reporting_units(
    conn: &mut Conn,
    drive: &DriveRow,
    scope: Scope,
    locale: &str,
) -> Result<Vec<ReportingUnit>, StoreError> {
    let sql = format!(
        "SELECT u.id, u.code, COALESCE(n.name, u.name) AS name, u.founded_on FROM unit_closure s \
         JOIN units u ON u.id = s.descendant_id \
         LEFT JOIN unit_names n ON n.unit_id = u.id AND n.locale = $3 \
         WHERE s.ancestor_id = $2 AND s.depth > 0 AND u.archived = 0 AND {} ORDER BY u.code",
        scope.condition("u.id", 1)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(drive.scope_unit_id)
        .bind(locale)
        .fetch_all(&mut *conn)
        .await
        .store()
}
