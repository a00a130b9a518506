//! Founding a union at a workplace: a grassroots unit, its members and its coverage, in one step.

use super::organizing::works_at;
use super::*;

impl App {
    /// Founds a workplace's union in one transaction: the grassroots unit under the
    /// unit whose area the workplace lies in, linked to it, with the chosen workers as
    /// members (transferred when members elsewhere in the tree, joining otherwise).
    /// Counts in every drive's "new grassroots units" metrics of its period.
    pub async fn found_union(
        &self,
        actor: &Actor,
        code: &str,
        input: FoundUnion,
    ) -> Result<String, AppError> {
        let permit = actor.permit(Permission::ManageUnits)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let w = find(&mut tx, actor, code).await?;
        let mut check = Check::default();
        let unit_code = check.take("code", UnitCode::parse(&input.code));
        let name = check.take("name", required_text(&input.name, 200));
        let founded = check
            .opt("founded_on", input.founded_on.as_deref(), Date::parse_iso)
            .unwrap_or_else(Date::today);
        if founded > Date::today() {
            check.fail("founded_on", "in_future");
        }
        if w.covering_unit_code.is_some() {
            check.fail("code", "already_covered");
        }
        for p in &input.person_ids {
            // Someone working here but a member elsewhere, outside the actor's subtree,
            // is not the actor's to move.
            if !works_at(&mut tx, actor, *p, &w).await? {
                check.fail("person_ids", "not_a_worker_here");
            }
        }
        check.finish()?;
        let (Some(unit_code), Some(name)) = (unit_code, name) else {
            return Err(AppError::Internal("checked fields missing".into()));
        };
        let parent = unit_store::by_id(&mut tx, w.fields.unit_id)
            .await?
            .ok_or(AppError::NotFound("unit"))?;
        let levels = unit_store::levels(&mut tx, w.tree_id).await?;
        let level = levels
            .last()
            .cloned()
            .unwrap_or_else(|| parent.level.clone());
        let now = tx.now().to_string();
        let fields = unit_store::UnitFields {
            code: unit_code.as_str().into(),
            level,
            name,
            region: w.fields.region.clone(),
            founded_on: Some(founded.to_string()),
            dissolved_on: None,
        };
        let unit_id = unit_store::insert(&mut tx, Some(&parent), &fields, &now)
            .await
            .map_err(on_conflict)?;
        let covered = muster_store::workplaces::WorkplaceFields {
            covering_unit_id: Some(unit_id),
            ..w.fields.clone()
        };
        muster_store::workplaces::update(&mut tx, w.id, &covered, &now).await?;
        crate::mapping::rescore(&mut tx, muster_store::mapping::Rescore::One(w.id)).await?;
        let unit = unit_store::by_id(&mut tx, unit_id)
            .await?
            .ok_or(AppError::NotFound("unit"))?;
        for p in &input.person_ids {
            crate::members::join_or_move(&mut tx, *p, &unit, founded, &now).await?;
        }
        crate::drives::refresh_tree(&mut tx, w.tree_id, true).await?;
        tx.audit(
            "found_union",
            "workplace",
            w.id,
            Some(unit_id),
            None,
            Some(serde_json::json!({ "unit": unit_code.as_str(), "founded_on": founded.to_string(), "members": input.person_ids }))
        )
        .await?;
        tx.commit().await?;
        Ok(unit_code.as_str().to_string())
    }
}
