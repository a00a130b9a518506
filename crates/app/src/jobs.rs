//! Heavy work as jobs with a record: a duplicate scan or an import, for one tree, by
//! one user, queued, running, done or failed, with its progress. At most one runs per
//! tree at a time (the database's unique index decides, so several servers agree); a
//! job whose server stopped is failed by the next start on its tree. The work runs off
//! the request, its CPU-bound parts off the async workers.

use crate::{Actor, App, AppError};
use muster_domain::date::{now_utc, utc_in};
use muster_store::jobs::{self as store, JobRow, NewJob};
use muster_store::{Conn, StoreError};
use serde::Serialize;
use utoipa::ToSchema;

/// How often a running job touches its record, and how long without a touch makes it
/// stalled (its server is gone).
const TOUCH_SECS: u64 = 10;
const STALLED_SECS: i64 = 90;

/// A job as the API and the pages show it.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct JobView {
    pub id: i64,
    /// `scan` or `import`.
    pub kind: String,
    /// `running`, `done` or `failed`.
    pub state: String,
    pub done: i64,
    pub total: Option<i64>,
    /// What a finished job found (a scan: people, candidate_pairs, likely_pairs), or the
    /// code of what stopped it.
    #[schema(value_type = Option<Object>)]
    pub result: Option<serde_json::Value>,
    pub username: String,
    pub created_at: String,
    pub finished_at: Option<String>,
}

impl From<JobRow> for JobView {
    fn from(r: JobRow) -> Self {
        let result = r.result.as_deref().map(|s| {
            serde_json::from_str(s).unwrap_or_else(|_| serde_json::Value::String(s.into()))
        });
        Self {
            id: r.id,
            kind: r.kind,
            state: r.state,
            done: r.done,
            total: r.total,
            result,
            username: r.username,
            created_at: r.created_at,
            finished_at: r.finished_at,
        }
    }
}

/// Aborts a task when dropped: a job's toucher ends with the job, however it ends.
pub(crate) struct AbortOnDrop(pub(crate) tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Takes `tree_id` for a heavy job of `kind` within the transaction of the use case
/// that starts it; refuses (409, `job_running`) while another job holds the tree.
pub(crate) async fn take_tree(
    tx: &mut Conn,
    actor: &Actor,
    kind: &str,
    tree_id: Option<i64>,
) -> Result<i64, AppError> {
    let now = now_utc();
    store::fail_stalled(tx, tree_id, &utc_in(-STALLED_SECS), &now).await?;
    let job = NewJob {
        kind,
        tree_id,
        unit_id: actor.unit_id,
        user_id: actor.user_id,
        username: &actor.username,
    };
    match store::start(tx, &job, &now).await {
        Ok(id) => Ok(id),
        Err(StoreError::Conflict(_)) => Err(AppError::Conflict {
            field: "job".into(),
            code: "job_running".into(),
        }),
        Err(e) => Err(e.into()),
    }
}

impl App {
    /// Keeps job `id` touched until the guard is dropped.
    pub(crate) fn touch_job(&self, id: i64) -> AbortOnDrop {
        let db = self.db().clone();
        AbortOnDrop(tokio::spawn(async move {
            let mut every = tokio::time::interval(std::time::Duration::from_secs(TOUCH_SECS));
            every.tick().await;
            loop {
                every.tick().await;
                let touched = async {
                    let mut conn = db.read().await?;
                    store::touch(&mut conn, id, &now_utc()).await
                };
                if let Err(e) = touched.await {
                    tracing::debug!(job = id, error = %e, "job touch missed");
                }
            }
        }))
    }

    /// Records how far job `id` has got. Only shown, so a failure is logged.
    pub(crate) async fn job_progress(&self, id: i64, done: i64, total: Option<i64>) {
        let recorded = async {
            let mut conn = self.db().read().await?;
            store::progress(&mut conn, id, done, total, &now_utc()).await
        };
        if let Err(e) = recorded.await {
            tracing::warn!(job = id, error = %e, "job progress not recorded");
        }
    }

    /// Ends job `id` with what it found, or with what stopped it.
    pub(crate) async fn end_job(&self, id: i64, outcome: Result<serde_json::Value, &AppError>) {
        let (state, result) = match outcome {
            Ok(found) => ("done", found.to_string()),
            Err(e) => ("failed", e.code().to_string()),
        };
        let recorded = async {
            let mut conn = self.db().read().await?;
            store::finish(&mut conn, id, state, &result, &now_utc()).await
        };
        if let Err(e) = recorded.await {
            tracing::error!(job = id, error = %e, "job end not recorded");
        }
    }

    /// One job, for one who may see it: its user, or anyone whose subtree holds the
    /// unit it ran for.
    pub async fn job(&self, actor: &Actor, id: i64) -> Result<JobView, AppError> {
        let mut conn = self.db().read().await?;
        let job = store::get(&mut conn, id)
            .await?
            .ok_or(AppError::NotFound("job"))?;
        let own = job.user_id.is_some() && job.user_id == actor.user_id;
        let visible = own
            || match (job.unit_id.or(job.tree_id), actor.unit_id) {
                (_, None) => true,
                (Some(unit), Some(_)) => {
                    muster_store::units::in_scope(&mut conn, actor.scope(), unit).await?
                }
                (None, Some(_)) => false,
            };
        if visible {
            Ok(job.into())
        } else {
            Err(AppError::NotFound("job"))
        }
    }

    /// The latest jobs of `kind` in the actor's subtree, newest first.
    pub async fn recent_jobs(&self, actor: &Actor, kind: &str) -> Result<Vec<JobView>, AppError> {
        let mut conn = self.db().read().await?;
        let rows = store::recent(&mut conn, actor.scope(), kind, 5).await?;
        Ok(rows.into_iter().map(JobView::from).collect())
    }
}

/// How long an uploaded file waits for its columns to be mapped.
const STAGED_HOURS: i64 = 6;

impl App {
    /// Keeps an uploaded file for the actor until its columns are mapped (six hours at
    /// most), in the database: any server behind a balancer can take the next step.
    /// Answers the token that names it. One waiting file per user is enough: an older
    /// one of theirs is dropped.
    pub async fn stage_upload(
        &self,
        actor: &Actor,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<String, AppError> {
        actor.permit(muster_domain::user::Permission::EditRegistry)?;
        let token = crate::users::random_token();
        let now = now_utc();
        let mut tx = self.db().begin().await?;
        store::unstage_user(&mut tx, actor.user_id).await?;
        let expires = utc_in(STAGED_HOURS * 3600);
        store::stage(
            &mut tx,
            &token,
            actor.user_id,
            file_name,
            bytes,
            &expires,
            &now,
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(token)
    }

    /// A file the actor staged and that has not expired: its name and bytes.
    pub async fn staged_upload(
        &self,
        actor: &Actor,
        token: &str,
    ) -> Result<Option<(String, Vec<u8>)>, AppError> {
        let mut conn = self.db().read().await?;
        Ok(store::staged(&mut conn, token, actor.user_id, &now_utc()).await?)
    }

    /// Whether the actor has a file staged under `token`.
    pub async fn is_staged(&self, actor: &Actor, token: &str) -> Result<bool, AppError> {
        let mut conn = self.db().read().await?;
        Ok(store::is_staged(&mut conn, token, actor.user_id, &now_utc()).await?)
    }

    /// Drops a staged file once it has been loaded.
    pub async fn drop_staged(&self, actor: &Actor, token: &str) -> Result<(), AppError> {
        let mut conn = self.db().read().await?;
        if store::is_staged(&mut conn, token, actor.user_id, &now_utc()).await? {
            store::unstage(&mut conn, token).await?;
        }
        Ok(())
    }
}
