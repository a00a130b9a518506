//! Duplicate scans as jobs: one per tree, off the request, the comparing itself off the
//! async workers, recorded in `jobs` with what it found.

use crate::dedupe::{likely_pairs, record, trees_of, ScanReport};
use crate::jobs::{take_tree, JobView};
use crate::{Actor, App, AppError};
use muster_domain::dedupe::Person;
use muster_domain::user::Permission;
use muster_store::dedupe as store;

impl App {
    /// Starts a scan of each tree of the actor's subtree and answers at once with the
    /// jobs; a tree whose heavy job is still running refuses (`job_running`).
    pub async fn start_scan(&self, actor: &Actor) -> Result<Vec<JobView>, AppError> {
        let jobs = self.take_trees_for_scan(actor).await?;
        let mut views = Vec::with_capacity(jobs.len());
        for &(job, tree) in &jobs {
            let app = self.clone();
            let asker = actor.clone();
            tokio::spawn(async move {
                // What stopped it is in its record.
                let _ = app.run_scan(&asker, tree, job).await;
            });
            views.push(self.job(actor, job).await?);
        }
        Ok(views)
    }

    /// Scans the actor's subtree and waits for it (the command line): the same jobs,
    /// recorded the same way.
    pub async fn scan_duplicates(&self, actor: &Actor) -> Result<ScanReport, AppError> {
        let mut report = ScanReport {
            people: 0,
            candidate_pairs: 0,
            likely_pairs: 0,
        };
        for (job, tree) in self.take_trees_for_scan(actor).await? {
            let r = self.run_scan(actor, tree, job).await?;
            report.people += r.people;
            report.candidate_pairs += r.candidate_pairs;
            report.likely_pairs += r.likely_pairs;
        }
        Ok(report)
    }

    /// Takes every tree of the actor's subtree for a scan, all or none.
    async fn take_trees_for_scan(&self, actor: &Actor) -> Result<Vec<(i64, i64)>, AppError> {
        let permit = actor.permit(Permission::EditRegistry)?;
        let trees = {
            let mut conn = self.db().read().await?;
            trees_of(&mut conn, actor).await?
        };
        if trees.is_empty() {
            // Nothing to compare: no job, no write.
            return Ok(Vec::new());
        }
        let mut tx = self.write(permit).await?;
        tx.scope(); // the trees were found through it
        let mut jobs = Vec::with_capacity(trees.len());
        for tree in trees {
            let job = take_tree(&mut tx, actor, "scan", Some(tree)).await?;
            let what = serde_json::json!({ "kind": "scan" });
            tx.audit("start", "job", job, Some(tree), None, Some(what))
                .await?;
            jobs.push((job, tree));
        }
        tx.commit().await?;
        Ok(jobs)
    }

    async fn run_scan(&self, actor: &Actor, tree: i64, job: i64) -> Result<ScanReport, AppError> {
        let _alive = self.touch_job(job);
        let outcome = self.scan_tree(actor, tree, job).await;
        let found = outcome
            .as_ref()
            .map(|r| serde_json::to_value(r).unwrap_or_default());
        self.end_job(job, found).await;
        outcome
    }

    async fn scan_tree(&self, actor: &Actor, tree: i64, job: i64) -> Result<ScanReport, AppError> {
        let rows = {
            let mut conn = self.db().read().await?;
            store::members_of(&mut conn, actor.scope(), tree).await?
        };
        let people: Vec<Person> = rows.iter().map(record).collect();
        let total = people.len() as i64;
        self.job_progress(job, 0, Some(total)).await;
        let (candidates, pairs) = tokio::task::spawn_blocking(move || likely_pairs(&people))
            .await
            .map_err(|e| AppError::Internal(format!("duplicate scan: {e}")))?;
        let pairs: Vec<(i64, i64, f64)> = pairs
            .into_iter()
            .map(|(i, j, s)| {
                let (a, b) = (rows[i as usize].id, rows[j as usize].id);
                (a.min(b), a.max(b), s)
            })
            .collect();
        let mut tx = self.write(actor.permit(Permission::EditRegistry)?).await?;
        tx.scope(); // the members compared were read through it above
        let now = tx.now().to_string();
        store::add_pairs(&mut tx, tree, &pairs, &now).await?;
        let found = serde_json::json!({ "people": total, "likely_pairs": pairs.len(), "job": job });
        tx.audit("scan", "duplicates", tree, Some(tree), None, Some(found))
            .await?;
        tx.commit().await?;
        self.job_progress(job, total, Some(total)).await;
        Ok(ScanReport {
            people: total,
            candidate_pairs: candidates as i64,
            likely_pairs: pairs.len() as i64,
        })
    }
}
