//! A run as the API and the pages show it.

use super::*;

/// A run as the API and pages show it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ImportView {
    pub id: i64,
    pub file_name: String,
    /// `running`, `done` (or `running` with a `failure` when it stopped: run the same
    /// file again to finish it).
    pub status: String,
    pub dry_run: bool,
    /// Data rows (an estimate until the run ends).
    pub total_rows: i64,
    /// Data rows gone through.
    pub done_rows: i64,
    pub created: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub rejected: i64,
    pub duplicates: i64,
    pub failure: Option<String>,
    /// Once every row is in: `indexing` (a bulk load building its indexes) or
    /// `duplicates` (the new rows compared with the registry).
    pub phase: Option<String>,
    /// Running without a sign of life for a while: the process that ran it is gone (a
    /// server restarted, a command killed). The same file again resumes it.
    pub stalled: bool,
    /// The calendar and date order the file's dates were read in.
    pub calendar: String,
    pub date_order: String,
    /// The field each column of the file was read as (`null`: ignored).
    pub columns: Vec<Option<String>>,
    pub started_at: String,
    pub updated_at: String,
    /// The first 1,000 rejected or flagged rows.
    pub problems: Vec<ProblemView>,
    pub ignored_columns: Vec<String>,
}

/// One rejected or flagged row: `reason` is a stable code (`invalid_date`,
/// `unknown_unit`, `repeated_in_file`, `likely_duplicate`, ...).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ProblemView {
    /// The row in the file; the header is row 1.
    pub row: i64,
    /// The field of the column at fault.
    pub column: String,
    pub reason: String,
    /// The value at fault, or what a likely duplicate is likely a duplicate of.
    pub detail: Option<String>,
}

impl ImportView {
    /// Stopped before its end, by a failure or with its process gone: the same file
    /// again resumes it.
    pub fn stopped(&self) -> bool {
        self.failure.is_some() || self.stalled
    }
}

impl From<ImportReport> for ImportView {
    fn from(r: ImportReport) -> Self {
        let i = r.import;
        let done = (i.done_rows - 1).max(0);
        let (calendar, date_order, columns) = read_options_key(&i.options);
        let stalled = i.status == "running"
            && i.failure.is_none()
            && i.updated_at < utc_in(-STALLED_AFTER_SECS);
        Self {
            id: i.id,
            file_name: i.file_name,
            status: i.status.clone(),
            dry_run: i.dry_run,
            total_rows: if i.status == "done" {
                done
            } else {
                i.total_rows.max(done)
            },
            done_rows: done,
            created: i.counts.created,
            updated: i.counts.updated,
            unchanged: i.counts.unchanged,
            rejected: i.counts.rejected,
            duplicates: i.counts.duplicates,
            failure: i.failure,
            phase: i.phase,
            stalled,
            calendar,
            date_order,
            columns,
            started_at: i.created_at,
            updated_at: i.updated_at,
            problems: r
                .problems
                .into_iter()
                .map(|p| ProblemView {
                    row: p.row,
                    column: p.column,
                    reason: p.reason,
                    detail: p.detail,
                })
                .collect(),
            ignored_columns: r.ignored_columns,
        }
    }
}

impl App {
    /// A run the actor may see: their own, or one started inside their subtree.
    pub async fn get_import(&self, actor: &Actor, id: i64) -> Result<ImportView, AppError> {
        let mut conn = self.db().read().await?;
        let run = store::get(&mut conn, id)
            .await?
            .ok_or(AppError::NotFound("import"))?;
        let visible = match (actor.unit_id, run.unit_id) {
            (None, _) => true,
            (Some(_), Some(u)) => {
                muster_store::units::in_scope(&mut conn, actor.scope(), u).await?
            }
            (Some(_), None) => false,
        } || (run.user_id.is_some() && run.user_id == actor.user_id);
        if !visible {
            return Err(AppError::NotFound("import"));
        }
        drop(conn);
        Ok(self.import_report(id, Vec::new()).await?.into())
    }

    /// Recent runs the actor may see, newest first.
    pub async fn list_imports(&self, actor: &Actor) -> Result<Vec<ImportView>, AppError> {
        let mut conn = self.db().read().await?;
        let runs = store::list(&mut conn, actor.scope(), 20).await?;
        Ok(runs
            .into_iter()
            .map(|import| {
                ImportReport {
                    import,
                    problems: Vec::new(),
                    ignored_columns: Vec::new(),
                }
                .into()
            })
            .collect())
    }
}
