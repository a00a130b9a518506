//! Targets at a unit, and their split among the units below.

use super::*;

impl App {
    /// Sets a unit's own target for one metric. The drive's top unit takes its target
    /// from whoever may open it; any other unit from someone above it.
    pub async fn set_target(
        &self,
        actor: &Actor,
        drive_code: &str,
        unit_code: &str,
        input: TargetInput,
    ) -> Result<(), AppError> {
        let permit = actor.permit(Permission::ManageUnits)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let drive = find(&mut tx, actor, drive_code).await?;
        let (_, unit) = unit_for(&mut tx, actor, &drive, Some(unit_code)).await?;
        if unit != drive.scope_unit_id && actor.unit_id == Some(unit) {
            return Err(AppError::Forbidden);
        }
        if !store::metrics(&mut tx, drive.id)
            .await?
            .iter()
            .any(|m| m.id == input.metric_id)
        {
            return Err(AppError::field("metric_id", "unknown_metric"));
        }
        if let Some(Err(e)) = input.target.map(check_target) {
            return Err(AppError::field("target", e.code));
        }
        store::set_target(&mut tx, input.metric_id, unit, input.target).await?;
        tx.audit(
            "set_target",
            "drive",
            drive.id,
            Some(unit),
            None,
            Some(serde_json::json!({ "metric_id": input.metric_id, "unit": unit_code, "target": input.target }))
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Splits a unit's target for one metric among its children: in proportion to
    /// members or workforce (exactly, by largest remainder), or by hand.
    pub async fn split_target(
        &self,
        actor: &Actor,
        drive_code: &str,
        unit_code: &str,
        input: SplitInput,
    ) -> Result<Vec<(String, Option<i64>)>, AppError> {
        let permit = actor.permit(Permission::ManageUnits)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let drive = find(&mut tx, actor, drive_code).await?;
        let (_, unit) = unit_for(&mut tx, actor, &drive, Some(unit_code)).await?;
        if !store::metrics(&mut tx, drive.id)
            .await?
            .iter()
            .any(|m| m.id == input.metric_id)
        {
            return Err(AppError::field("metric_id", "unknown_metric"));
        }
        let children = store::children(&mut tx, unit, "en").await?;
        if children.is_empty() {
            return Err(AppError::field("method", "no_children"));
        }
        let parts: Vec<Option<i64>> = match input.method.as_str() {
            "members" | "workforce" => {
                let weight = if input.method == "members" {
                    Weight::Members
                } else {
                    Weight::Workforce
                };
                let target = store::targets(&mut tx, drive.id, unit)
                    .await?
                    .into_iter()
                    .find(|(m, u, _)| *m == input.metric_id && *u == unit)
                    .map(|(_, _, t)| t)
                    .ok_or_else(|| AppError::field("target", "no_target"))?;
                let weights = store::split_weights(&mut tx, unit, weight).await?;
                let w: Vec<i64> = children
                    .iter()
                    .map(|c| weights.get(&c.id).copied().unwrap_or(0))
                    .collect();
                allocate(target, &w).into_iter().map(Some).collect()
            }
            "manual" => {
                let mut check = Check::default();
                let parts = children
                    .iter()
                    .map(|c| match input.targets.get(&c.code).copied().flatten() {
                        Some(t) => check.take(&format!("targets.{}", c.code), check_target(t)),
                        None => None,
                    })
                    .collect();
                for code in input.targets.keys() {
                    if !children.iter().any(|c| &c.code == code) {
                        check.fail(&format!("targets.{code}"), "unknown_unit");
                    }
                }
                check.finish()?;
                parts
            }
            _ => return Err(AppError::field("method", "invalid_method")),
        };
        for (child, part) in children.iter().zip(&parts) {
            store::set_target(&mut tx, input.metric_id, child.id, *part).await?;
        }
        let result: Vec<(String, Option<i64>)> =
            children.iter().map(|c| c.code.clone()).zip(parts).collect();
        tx.audit(
            "split_target",
            "drive",
            drive.id,
            Some(unit),
            None,
            Some(serde_json::json!({ "metric_id": input.metric_id, "unit": unit_code, "method": input.method, "targets": result }))
        )
        .await?;
        tx.commit().await?;
        Ok(result)
    }
}
