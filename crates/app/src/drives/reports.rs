//! Monthly reports: filed, reviewed, overdue.

use super::*;

impl App {
    /// The reports of a drive filed by units in the actor's subtree.
    pub async fn drive_reports(
        &self,
        actor: &Actor,
        drive_code: &str,
    ) -> Result<Vec<ReportView>, AppError> {
        let mut conn = self.db().read().await?;
        let drive = find(&mut conn, actor, drive_code).await?;
        let rows = store::reports(&mut conn, drive.id, actor.scope(), &actor.locale).await?;
        let mut figures = store::drive_report_values(&mut conn, drive.id).await?;
        let period = drive.period();
        Ok(rows
            .into_iter()
            .map(|r| {
                let f = figures.remove(&r.id).unwrap_or_default();
                report_view(&period, r, f)
            })
            .collect())
    }

    pub async fn get_report(
        &self,
        actor: &Actor,
        drive_code: &str,
        unit_code: &str,
        month: &str,
    ) -> Result<Option<ReportView>, AppError> {
        let mut conn = self.db().read().await?;
        let drive = find(&mut conn, actor, drive_code).await?;
        let (_, unit) = unit_for(&mut conn, actor, &drive, Some(unit_code)).await?;
        let period = drive.period();
        let index = month_index(&period, month)?;
        match store::report(&mut conn, drive.id, unit, index, &actor.locale).await? {
            Some(r) => Ok(Some(with_figures(&mut conn, &period, r).await?)),
            None => Ok(None),
        }
    }

    /// Files a unit's report for a month that has begun; filing again replaces it and
    /// sends it back for review.
    pub async fn file_report(
        &self,
        actor: &Actor,
        drive_code: &str,
        unit_code: &str,
        month: &str,
        input: FileReport,
        today: Date,
    ) -> Result<ReportView, AppError> {
        let permit = actor.permit(Permission::EditRegistry)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let drive = find(&mut tx, actor, drive_code).await?;
        let (_, unit) = unit_for(&mut tx, actor, &drive, Some(unit_code)).await?;
        if unit == drive.scope_unit_id {
            // The drive's own unit reviews the reports below it; it files none itself.
            return Err(AppError::field("unit", "drive_unit_files_none"));
        }
        let period = drive.period();
        let index = month_index(&period, month)?;
        if index >= i64::from(period.months_begun(today)) {
            return Err(AppError::field("month", "not_begun"));
        }
        if let Some(old) = store::report(&mut tx, drive.id, unit, index, &actor.locale).await? {
            if old.status == ReportStatus::Accepted.as_str() {
                return Err(AppError::field("status", "already_accepted"));
            }
        }
        let mut check = Check::default();
        let narrative = check
            .take("narrative", optional_text(input.narrative.as_deref(), 5000))
            .flatten()
            .unwrap_or_default();
        let mut figures = Vec::new();
        let metrics = store::metrics(&mut tx, drive.id).await?;
        for id in input.figures.keys() {
            if !metrics
                .iter()
                .any(|m| m.id == *id && m.kind == MetricKind::Custom.as_str())
            {
                check.fail(&format!("figures.{id}"), "unknown_metric");
            }
        }
        for m in metrics {
            if m.kind != MetricKind::Custom.as_str() {
                continue;
            }
            let field = format!("figures.{}", m.id);
            match input
                .figures
                .get(&m.id)
                .map(|s| muster_domain::names::digits_to_ascii(s.trim()))
            {
                None => check.fail(&field, "required"),
                Some(s) if s.is_empty() => check.fail(&field, "required"),
                Some(s) => match s.parse::<i64>() {
                    Ok(v) if (0..=1_000_000_000).contains(&v) => figures.push((m.id, v)),
                    _ => check.fail(&field, "invalid_number"),
                },
            }
        }
        check.finish()?;
        let now = tx.now().to_string();
        let filing = store::Filing {
            unit_id: unit,
            period: index,
            narrative: &narrative,
            figures: &figures,
            user_id: actor.user_id,
        };
        let id = store::file_report(&mut tx, &drive, &filing, &now).await?;
        tx.audit(
            "file_report",
            "drive_report",
            id,
            Some(unit),
            None,
            Some(serde_json::json!({ "drive": drive.code, "unit": unit_code, "month": month, "figures": figures, "narrative": narrative }))
        )
        .await?;
        let row = store::report(&mut tx, drive.id, unit, index, &actor.locale)
            .await?
            .ok_or(AppError::NotFound("report"))?;
        let out = with_figures(&mut tx, &period, row).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Accepts a filed report or returns it with a comment. Only someone above the
    /// reporting unit may review it.
    pub async fn review_report(
        &self,
        actor: &Actor,
        drive_code: &str,
        unit_code: &str,
        month: &str,
        input: ReviewReport,
    ) -> Result<ReportView, AppError> {
        let permit = actor.permit(Permission::ManageUnits)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let drive = find(&mut tx, actor, drive_code).await?;
        let (_, unit) = unit_for(&mut tx, actor, &drive, Some(unit_code)).await?;
        if actor.unit_id == Some(unit) {
            return Err(AppError::Forbidden);
        }
        let period = drive.period();
        let index = month_index(&period, month)?;
        let report = store::report(&mut tx, drive.id, unit, index, &actor.locale)
            .await?
            .ok_or(AppError::NotFound("report"))?;
        let to = match ReportStatus::parse(&input.status) {
            Ok(s @ (ReportStatus::Accepted | ReportStatus::Returned)) => s,
            _ => return Err(AppError::field("status", "invalid_report_status")),
        };
        if report.status != ReportStatus::Submitted.as_str() {
            return Err(AppError::field("status", "not_submitted"));
        }
        let comment = optional_text(input.comment.as_deref(), 2000)
            .map_err(|e| AppError::field("comment", e.code))?;
        if to == ReportStatus::Returned && comment.is_none() {
            return Err(AppError::field("comment", "required"));
        }
        let now = tx.now().to_string();
        store::review_report(
            &mut tx,
            &drive,
            &report,
            to,
            comment.as_deref(),
            actor.user_id,
            &now,
        )
        .await?;
        tx.audit(
            "review_report",
            "drive_report",
            report.id,
            Some(unit),
            Some(serde_json::json!({ "status": report.status })),
            Some(serde_json::json!({ "status": to.as_str(), "comment": comment })),
        )
        .await?;
        let row = store::report(&mut tx, drive.id, unit, index, &actor.locale)
            .await?
            .ok_or(AppError::NotFound("report"))?;
        let out = with_figures(&mut tx, &period, row).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Reports past their due date and not filed (or returned), for units in the actor's
    /// subtree below the drive's top unit, by unit code then month.
    pub async fn overdue_reports(
        &self,
        actor: &Actor,
        drive_code: &str,
        today: Date,
    ) -> Result<Vec<OverdueReport>, AppError> {
        let mut conn = self.db().read().await?;
        let drive = find(&mut conn, actor, drive_code).await?;
        let period = drive.period();
        let units = store::reporting_units(&mut conn, &drive, actor.scope(), &actor.locale).await?;
        let filed: HashMap<(i64, i64), String> =
            store::reports(&mut conn, drive.id, actor.scope(), &actor.locale)
                .await?
                .into_iter()
                .map(|r| ((r.unit_id, r.period), r.status))
                .collect();
        let mut due = Vec::new();
        for i in 0..period.months {
            let Ok(next) = period.month_start(i + 1) else {
                continue;
            };
            let due_on = next.add_days(drive.report_due_days - 1);
            if due_on < today {
                due.push((i64::from(i), next, due_on));
            }
        }
        let mut out = Vec::new();
        for u in &units {
            for (i, next, due_on) in &due {
                // A unit founded after the month ended owes nothing for it.
                if u.founded_on
                    .as_deref()
                    .is_some_and(|f| f >= next.to_string().as_str())
                {
                    continue;
                }
                let state = match filed.get(&(u.id, *i)).map(String::as_str) {
                    None => "missing",
                    Some("returned") => "returned",
                    Some(_) => continue,
                };
                out.push(OverdueReport {
                    unit_code: u.code.clone(),
                    unit_name: u.name.clone(),
                    month: period.month_key(*i as u32),
                    period: *i,
                    due_on: due_on.to_string(),
                    state: state.into(),
                });
            }
        }
        Ok(out)
    }
}

/// A report with its figures read from the store.
async fn with_figures(
    conn: &mut Conn,
    period: &Period,
    r: store::ReportRow,
) -> Result<ReportView, AppError> {
    let figures = store::report_values(conn, r.id)
        .await?
        .into_iter()
        .collect();
    Ok(report_view(period, r, figures))
}

fn report_view(period: &Period, r: store::ReportRow, figures: BTreeMap<i64, i64>) -> ReportView {
    ReportView {
        month: period.month_key(r.period as u32),
        unit_code: r.unit_code,
        unit_name: r.unit_name,
        period: r.period,
        status: r.status,
        narrative: r.narrative,
        review_comment: r.review_comment,
        filed_by: r.filed_by,
        filed_at: r.filed_at,
        reviewed_by: r.reviewed_by,
        reviewed_at: r.reviewed_at,
        figures,
    }
}
