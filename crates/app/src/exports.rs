//! Large exports as jobs: the rows are read and the file is made off the request, kept
//! in the database for a day, and handed to whoever may see the job.

use crate::jobs::{take_tree, JobView};
use crate::members::MemberQuery;
use crate::{Actor, App, AppError};
use muster_domain::date::{now_utc, utc_in};
use muster_domain::user::Permission;
use muster_store::job_files::{self as store, JobFile};
use muster_store::members::ExportRow;

/// An export of more members than this is made by a job rather than in the request.
pub const EXPORT_INLINE_MAX: i64 = 50_000;

/// How long a job's file waits to be fetched.
const FILE_HOURS: i64 = 24;

/// A file made for a reader: its name (with extension), type and bytes.
pub type ExportFile = JobFile;

/// What turns the exported rows into a file, in the reader's language: run off the
/// async workers.
pub type MakeFile = Box<dyn FnOnce(Vec<ExportRow>) -> ExportFile + Send>;

impl App {
    /// About how many members an export of `query` holds: the current members of the
    /// subtree it names (the actor's own when none), from the counters, without reading
    /// them. Enough to tell a large export from a small one.
    pub async fn export_size(&self, actor: &Actor, query: &MemberQuery) -> Result<i64, AppError> {
        let filter = crate::members::filter_of(self, actor, query).await?;
        let root = filter.unit_id.or(actor.unit_id);
        let mut conn = self.db().read().await?;
        let by_status = muster_store::counters::by_status(&mut conn, root).await?;
        Ok(by_status.iter().map(|(_, n)| n).sum())
    }

    /// Starts a job that exports the members of `query` with `make`; answers at once with
    /// the job, whose file `job_file` hands out once it is done. The filters are checked
    /// first, so a bad one is refused here, not by the job.
    pub async fn start_export(
        &self,
        actor: &Actor,
        query: MemberQuery,
        make: MakeFile,
    ) -> Result<JobView, AppError> {
        let permit = actor.permit(Permission::Export)?;
        let mut probe = query.clone();
        probe.limit = Some(1);
        probe.cursor = None;
        self.list_members(actor, &probe).await?;
        let mut tx = self.write(permit).await?;
        let scope = tx.scope();
        let tree = match scope.unit() {
            Some(unit) => muster_store::units::by_id(&mut tx, unit)
                .await?
                .map(|u| u.tree_id),
            None => None,
        };
        let job = take_tree(&mut tx, actor, "export", tree).await?;
        let what = serde_json::json!({
            "kind": "export",
            "q": query.q,
            "unit": query.unit,
            "status": query.status,
            "employment_type": query.employment_type,
        });
        tx.audit("start", "job", job, scope.unit(), None, Some(what))
            .await?;
        tx.commit().await?;
        let app = self.clone();
        let asker = actor.clone();
        tokio::spawn(async move {
            let _alive = app.touch_job(job);
            let outcome = app.make_export(&asker, job, &query, make).await;
            // What stopped it is in its record.
            app.end_job(job, outcome.as_ref().map(|v| v.clone())).await;
        });
        self.job(actor, job).await
    }

    async fn make_export(
        &self,
        actor: &Actor,
        job: i64,
        query: &MemberQuery,
        make: MakeFile,
    ) -> Result<serde_json::Value, AppError> {
        let rows = self.export_members(actor, query).await?;
        let total = rows.len() as i64;
        self.job_progress(job, 0, Some(total)).await;
        let file = tokio::task::spawn_blocking(move || make(rows))
            .await
            .map_err(|e| AppError::Internal(format!("export file: {e}")))?;
        let now = now_utc();
        let mut conn = self.db().begin().await?;
        store::put(&mut conn, job, &file, &utc_in(FILE_HOURS * 3600), &now).await?;
        conn.commit()
            .await
            .map_err(muster_store::StoreError::from)?;
        self.job_progress(job, total, Some(total)).await;
        Ok(serde_json::json!({ "rows": total, "file": file.file_name, "bytes": file.bytes.len() }))
    }

    /// The file of a finished export job, for one who may see the job; `NotFound` while
    /// it runs, after it failed or once the file has expired.
    pub async fn job_file(&self, actor: &Actor, id: i64) -> Result<ExportFile, AppError> {
        self.job(actor, id).await?;
        let mut conn = self.db().read().await?;
        store::get(&mut conn, id, &now_utc())
            .await?
            .ok_or(AppError::NotFound("file"))
    }
}
