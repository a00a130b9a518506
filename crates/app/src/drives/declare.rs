//! Declaring a drive and changing it.

use super::*;

impl App {
    /// Creates a drive and counts what already happened in its period.
    pub async fn create_drive(
        &self,
        actor: &Actor,
        input: NewDrive,
    ) -> Result<DriveView, AppError> {
        let permit = actor.permit(Permission::ManageUnits)?;
        let mut check = Check::default();
        let code = check.take("code", UnitCode::parse(&input.code));
        let name = check.take("name", required_text(&input.name, 200));
        let mut names = Vec::new();
        for (locale, n) in &input.names {
            let field = format!("names.{locale}");
            let l = check.take(&field, parse_locale(locale));
            let n = check.take(&field, optional_text(Some(n), 200)).flatten();
            if let (Some(l), Some(n)) = (l, n) {
                names.push((l.to_string(), n));
            }
        }
        let calendar = match input
            .calendar
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Some(Calendar::Gregorian),
            Some(c) => match Calendar::parse(c) {
                Ok(Calendar::Indian) | Err(_) => {
                    check.fail("calendar", "invalid_calendar");
                    None
                }
                Ok(c) => Some(c),
            },
        };
        let period =
            calendar.and_then(
                |c| match Period::parse(c, &input.start_month, &input.end_month) {
                    Ok(p) => Some(p),
                    Err((field, e)) => {
                        check.fail(field, e.code);
                        None
                    }
                },
            );
        let due = input.report_due_days.unwrap_or(5);
        if !(0..=60).contains(&due) {
            check.fail("report_due_days", "out_of_range");
        }
        if input.metrics.is_empty() {
            check.fail("metrics", "required");
        }
        if input.metrics.len() > muster_domain::drive::MAX_METRICS {
            // Refused before reading them: 20,000 metrics would each be checked.
            return Err(AppError::field("metrics", "too_many"));
        }
        let mut metrics = Vec::new();
        for (i, m) in input.metrics.iter().enumerate() {
            let field = |f: &str| format!("metrics.{i}.{f}");
            let Some(kind) = check.take(&field("kind"), MetricKind::parse(&m.kind)) else {
                continue;
            };
            let informal_category = match kind {
                MetricKind::NewInformal => check
                    .opt(
                        &field("informal_category"),
                        m.informal_category.as_deref(),
                        InformalCategory::parse,
                    )
                    .map(|c| c.as_str().to_string()),
                _ => None,
            };
            let min_workers = match (kind, m.min_workers) {
                (MetricKind::NewUnits, Some(n)) if !(1..=1_000_000).contains(&n) => {
                    check.fail(&field("min_workers"), "out_of_range");
                    None
                }
                (MetricKind::NewUnits, n) => n,
                _ => None,
            };
            let (name, unit_of_measure) = if kind == MetricKind::Custom {
                (
                    check.take(
                        &field("name"),
                        required_text(m.name.as_deref().unwrap_or(""), 200),
                    ),
                    check
                        .take(
                            &field("unit_of_measure"),
                            optional_text(m.unit_of_measure.as_deref(), 40),
                        )
                        .flatten(),
                )
            } else {
                (None, None)
            };
            let scheme_code = match kind {
                MetricKind::SchemeEnrolled => match m.scheme.as_deref().map(str::trim) {
                    Some(s) if !s.is_empty() => Some(s.to_string()),
                    _ => {
                        check.fail(&field("scheme"), "required");
                        None
                    }
                },
                _ => None,
            };
            let mut metric_names = Vec::new();
            for (locale, n) in &m.names {
                let l = check.take(&field("names"), parse_locale(locale));
                let n = check
                    .take(&field("names"), optional_text(Some(n), 200))
                    .flatten();
                if let (Some(l), Some(n)) = (l, n) {
                    metric_names.push((l.to_string(), n));
                }
            }
            metrics.push((
                MetricFields {
                    kind,
                    informal_category,
                    min_workers,
                    unit_of_measure,
                    name,
                    scheme_code,
                },
                metric_names,
            ));
        }
        let mut tx = self.write(permit).await?;
        let scope_unit = match tx.unit(&input.scope_unit_code).await {
            Ok(u) => Some(u),
            Err(AppError::NotFound(_)) => {
                check.fail("scope_unit_code", "unknown_unit");
                None
            }
            Err(e) => return Err(e),
        };
        if let Some(u) = &scope_unit {
            for (i, (m, _)) in metrics.iter().enumerate() {
                if let Some(s) = &m.scheme_code {
                    if muster_store::schemes::by_code(&mut tx, u.tree_id, s)
                        .await?
                        .is_none()
                    {
                        check.fail(&format!("metrics.{i}.scheme"), "unknown_scheme");
                    }
                }
            }
        }
        check.finish()?;
        let (Some(code), Some(name), Some(period), Some(scope_unit)) =
            (code, name, period, scope_unit)
        else {
            return Err(AppError::Internal("checked fields missing".into()));
        };
        let now = tx.now().to_string();
        let fields = DriveFields {
            scope_unit_id: scope_unit.id,
            code: code.as_str().into(),
            name,
            period,
            report_due_days: due,
        };
        let id = store::insert(&mut tx, scope_unit.tree_id, &fields, &now)
            .await
            .map_err(on_conflict)?;
        store::set_names(&mut tx, id, &names).await?;
        for (position, (m, metric_names)) in metrics.iter().enumerate() {
            let metric_id = store::insert_metric(&mut tx, id, position as i64, m).await?;
            store::set_metric_names(&mut tx, metric_id, metric_names).await?;
        }
        let row = store::by_code(&mut tx, code.as_str())
            .await?
            .ok_or(AppError::NotFound("drive"))?;
        store::rebuild(&mut tx, &row, false).await?;
        let created = view(&mut tx, &row).await?;
        tx.audit(
            "create",
            "drive",
            id,
            Some(scope_unit.id),
            None,
            serde_json::to_value(&created).ok(),
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Renames a drive or changes when its reports fall due: by someone whose subtree
    /// holds the drive's unit.
    pub async fn update_drive(
        &self,
        actor: &Actor,
        code: &str,
        patch: DrivePatch,
    ) -> Result<DriveView, AppError> {
        let permit = actor.permit(Permission::ManageUnits)?;
        let mut tx = self.write(permit).await?;
        let scope = tx.scope();
        let row = find(&mut tx, actor, code).await?;
        if !unit_store::in_scope(&mut tx, scope, row.scope_unit_id).await? {
            return Err(AppError::Forbidden);
        }
        let before = view(&mut tx, &row).await?;
        let mut check = Check::default();
        let name = match &patch.name {
            Some(n) => check.take("name", required_text(n, 200)),
            None => Some(row.name.clone()),
        };
        let due = patch.report_due_days.unwrap_or(row.report_due_days);
        if !(0..=60).contains(&due) {
            check.fail("report_due_days", "out_of_range");
        }
        let mut names = Vec::new();
        for (locale, n) in patch.names.iter().flatten() {
            let field = format!("names.{locale}");
            let l = check.take(&field, parse_locale(locale));
            let n = check.take(&field, optional_text(Some(n), 200)).flatten();
            if let (Some(l), Some(n)) = (l, n) {
                names.push((l.to_string(), n));
            }
        }
        check.finish()?;
        let now = tx.now().to_string();
        store::update(
            &mut tx,
            row.id,
            name.as_deref().unwrap_or(&row.name),
            due,
            &now,
        )
        .await?;
        if patch.names.is_some() {
            store::set_names(&mut tx, row.id, &names).await?;
        }
        let row = store::by_code(&mut tx, &row.code)
            .await?
            .ok_or(AppError::NotFound("drive"))?;
        let after = view(&mut tx, &row).await?;
        tx.audit(
            "update",
            "drive",
            row.id,
            Some(row.scope_unit_id),
            serde_json::to_value(&before).ok(),
            serde_json::to_value(&after).ok(),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}
