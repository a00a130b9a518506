//! A drive's progress at one unit and each of its children, month by month.

use super::*;

impl App {
    /// Progress of every metric at one unit (`None`: the highest the actor may open), as
    /// of `today`, with names in `locale`.
    pub async fn drive_progress(
        &self,
        actor: &Actor,
        drive_code: &str,
        unit_code: Option<&str>,
        today: Date,
    ) -> Result<ProgressView, AppError> {
        let mut conn = self.db().read().await?;
        let drive = find(&mut conn, actor, drive_code).await?;
        let (top, unit) = unit_for(&mut conn, actor, &drive, unit_code).await?;
        let locale = actor.locale.as_str();
        let path = store::path(&mut conn, top, unit, locale).await?;
        let this = path.last().cloned().ok_or(AppError::NotFound("unit"))?;
        let children = store::children(&mut conn, unit, locale).await?;
        let values = store::values(&mut conn, drive.id, unit).await?;
        let targets = store::targets(&mut conn, drive.id, unit).await?;
        let dv = view(&mut conn, &drive).await?;
        let period = drive.period();
        let n = period.months as usize;
        let mut total: HashMap<(i64, i64), Vec<i64>> = HashMap::new();
        let mut own: HashMap<i64, Vec<i64>> = HashMap::new();
        for v in &values {
            let Ok(i) = usize::try_from(v.period) else {
                continue;
            };
            if i >= n {
                continue;
            }
            total
                .entry((v.metric_id, v.unit_id))
                .or_insert_with(|| vec![0; n])[i] += v.total;
            if v.unit_id == unit {
                own.entry(v.metric_id).or_insert_with(|| vec![0; n])[i] += v.own;
            }
        }
        let target_of: HashMap<(i64, i64), i64> =
            targets.iter().map(|(m, u, t)| ((*m, *u), *t)).collect();
        let zero = vec![0; n];
        let mut metrics = Vec::new();
        for m in &dv.metrics {
            let progress = |figures: &[i64], target: Option<i64>| {
                Progress::compute(&period, figures, target, today)
            };
            let unit_target = target_of.get(&(m.id, unit)).copied();
            let total_row = ProgressRow::new(
                "total",
                &this,
                progress(total.get(&(m.id, unit)).unwrap_or(&zero), unit_target),
            );
            let own_row = ProgressRow::new(
                "own",
                &this,
                progress(own.get(&m.id).unwrap_or(&zero), None),
            );
            let child_rows: Vec<ProgressRow> = children
                .iter()
                .map(|c| {
                    ProgressRow::new(
                        "child",
                        c,
                        progress(
                            total.get(&(m.id, c.id)).unwrap_or(&zero),
                            target_of.get(&(m.id, c.id)).copied(),
                        ),
                    )
                })
                .collect();
            let child_targets: Vec<i64> = child_rows.iter().filter_map(|r| r.target).collect();
            let children_target_sum =
                (!child_targets.is_empty()).then(|| child_targets.iter().sum());
            let targets_mismatch = match (unit_target, children_target_sum) {
                (Some(t), Some(s)) => t != s || child_targets.len() != child_rows.len(),
                _ => false,
            };
            metrics.push(MetricProgress {
                metric: m.clone(),
                total: total_row,
                own: own_row,
                children: child_rows,
                children_target_sum,
                targets_mismatch,
            });
        }
        Ok(ProgressView {
            months: (0..period.months).map(|i| period.month_key(i)).collect(),
            month_starts: (0..period.months)
                .map(|i| {
                    period
                        .month_start(i)
                        .map(|d| d.to_string())
                        .unwrap_or_default()
                })
                .collect(),
            months_begun: i64::from(period.months_begun(today)),
            as_of: today.to_string(),
            path: path
                .into_iter()
                .map(|u| UnitRef {
                    code: u.code,
                    name: u.name,
                })
                .collect(),
            drive: dv,
            metrics,
        })
    }
}

/// Standings in the order a reader scans for trouble.
pub fn standing_rank(s: &str) -> u8 {
    match Standing::parse(s) {
        Ok(Standing::AtRisk) => 0,
        Ok(Standing::Behind) => 1,
        Ok(Standing::OnTrack) => 2,
        Ok(Standing::Achieved) => 3,
        _ => 4,
    }
}
