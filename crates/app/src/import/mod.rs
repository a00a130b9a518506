//! Bulk import of members from CSV and XLSX files.
//!
//! Every row is checked; a rejected row is reported with its row number (the header is
//! row 1), its column and a reason, and the good rows load. A row updates the person it
//! names by `external_id`, then by member number, so importing a file again changes
//! nothing. Rows load in batches, each in one transaction that also records how far the
//! run has got: a run cut short (even by `kill -9`) leaves whole batches only, and
//! running the same file again resumes after the last one.

mod export;
mod read;
mod rows;
mod view;

pub use export::{export_cells, own_external_id};
pub use muster_store::members::ExportRow;
pub use read::{mapping_of, Table, MAX_SHEET_ROWS, MAX_SHEET_UNPACKED};
pub use view::{ImportView, ProblemView};

pub(crate) use export::own_id;
use read::{options_key, read_options_key};
pub(crate) use rows::matcher_record;
use rows::{check_row, hex, problem, sorted_keys, timing, write_batch, Chunk, WriteCtx};

use crate::counting::{rebucket, status_change, Bucket};
use crate::dedupe::NewRow;
use crate::error::Check;
use crate::members::PersonInput;
use crate::members::{commit_err, move_membership, refresh_keys, snapshot, validate_person};
use crate::units::find_in_scope;
use crate::{audit, Actor, App, AppError};
use muster_domain::calendar::{parse_ordered, Calendar, DateOrder};
use muster_domain::date::{now_utc, utc_in};
use muster_domain::member::{MemberNumber, Status};
use muster_domain::user::Permission;
use muster_domain::{dedupe, names, search, string_enum, Date};
use muster_store::counters;
use muster_store::import::{
    self as store, CounterRows, IdRow, IdRows, ImportCounts, ImportRow, MonthRow, RowProblem,
};
use muster_store::members::{self as members_store, MembershipRow, PersonFields, PersonRow};
use muster_store::{search as store_search, workplaces, Conn};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

string_enum!(
    /// A column of a member file, named by its header.
    Field, "unknown_field" {
        ExternalId => "external_id",
        UnitCode => "unit_code",
        FullName => "full_name",
        LatinName => "latin_name",
        Gender => "gender",
        BirthDate => "birth_date",
        Phone => "phone",
        Email => "email",
        NationalId => "national_id",
        Region => "region",
        Address => "address",
        OccupationCode => "occupation_code",
        SectorCode => "sector_code",
        EmploymentType => "employment_type",
        InformalCategory => "informal_category",
        WorkplaceCode => "workplace_code",
        PreferredLanguage => "preferred_language",
        JoinedOn => "joined_on",
        MemberNumber => "member_number",
        Status => "status",
    }
);

impl Field {
    /// The field a header names: case, spaces and hyphens do not matter.
    pub fn of_header(header: &str) -> Option<Field> {
        Field::parse(&header_key(header).replace([' ', '-'], "_")).ok()
    }
}

/// A header as compared: trimmed, without a byte order mark, in lower case.
fn header_key(header: &str) -> String {
    header.trim().trim_start_matches('\u{FEFF}').to_lowercase()
}

/// How to read a file.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub calendar: Calendar,
    pub date_order: DateOrder,
    /// Check and report only; nothing is written but the report.
    pub dry_run: bool,
    /// For each column of the file, the field it holds (`None`: ignored). Taken from
    /// the headers when absent.
    pub mapping: Option<Vec<Option<Field>>>,
    /// Rows per transaction.
    pub batch_rows: usize,
    /// Look for likely duplicates of the rows among the tree's members (and each other).
    pub check_duplicates: bool,
    /// Other names of the fields' headers (translated ones, lower case).
    pub aliases: Vec<(String, Field)>,
    /// Load in bulk (`muster_store::bulk`): indexes are built again at the end and the
    /// new members are found by search only then. `None` decides by size: a file of at
    /// least `BULK_MIN_ROWS` rows and at least twice as many as the people already in
    /// the database.
    pub bulk: Option<bool>,
}

/// The smallest file loaded in bulk unless asked.
pub const BULK_MIN_ROWS: i64 = 100_000;

impl Default for ImportOptions {
    fn default() -> Self {
        Self {
            calendar: Calendar::Gregorian,
            date_order: DateOrder::Ymd,
            dry_run: false,
            mapping: None,
            batch_rows: 50_000,
            check_duplicates: true,
            aliases: Vec::new(),
            bulk: None,
        }
    }
}

/// A run ready to go: its record, the table and what to do with it.
pub struct Prepared {
    pub import_id: i64,
    /// Rows already committed by an earlier run of the same file, skipped now.
    pub resume_after: i64,
    /// A finished run of the same file: rows naming nobody (no external id or member
    /// number) are taken as loaded by it.
    pub loaded_before: Option<i64>,
    pub ignored_columns: Vec<String>,
    table: Table,
    columns: Vec<Option<Field>>,
    options: ImportOptions,
    actor: Actor,
    counts: ImportCounts,
    /// The heavy job holding the tree while this run goes on.
    job: i64,
}

/// How a run ended.
#[derive(Debug, Clone)]
pub struct ImportReport {
    pub import: ImportRow,
    pub problems: Vec<RowProblem>,
    pub ignored_columns: Vec<String>,
}

/// Progress of a run, after each batch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub done: i64,
    pub total: i64,
    pub counts: ImportCounts,
    /// Every row is in; the indexes of a bulk load are being built.
    pub indexing: bool,
}

/// A unit rows may name, resolved once.
#[derive(Debug, Clone)]
struct UnitInfo {
    id: i64,
    tree_id: i64,
    branch: i64,
    ancestors: Vec<i64>,
}

/// A row that passed its checks, with what writing it as a new member takes already
/// made (search and sort keys, its rows serialized, its counts), so that the writer
/// only puts rows together and waits on the database.
struct Good {
    row: i64,
    unit: std::sync::Arc<UnitInfo>,
    fields: PersonFields,
    external_id: Option<String>,
    member_number: Option<String>,
    status: Status,
    person_row: IdRow,
    membership_row: IdRow,
    /// Search keys, taken into `Chunk::keys` when the batch is sent.
    keys: Vec<String>,
    count: RowCount,
}

/// What a new member adds to the counters: the change on the day they joined in their
/// employment bucket (an index into `Lookups::buckets`), if they count as joining.
struct RowCount {
    day: Date,
    bucket: u16,
    change: Option<[i64; 5]>,
}

/// What the checks of one run remember across batches.
#[derive(Default)]
struct Lookups {
    units: Vec<std::sync::Arc<UnitInfo>>,
    unit_codes: HashMap<String, Option<usize>>,
    workplaces: HashMap<String, Option<(i64, i64)>>,
    /// (tree, external id) and (tree, member number) seen in the file so far.
    seen_ids: HashSet<(i64, String)>,
    seen_numbers: HashSet<(i64, String)>,
    /// Employment buckets (employment type, informal category) met so far.
    buckets: Vec<(String, String)>,
}

impl Lookups {
    fn bucket_index(&mut self, b: &Bucket) -> u16 {
        let key = (b.employment_type.as_str(), b.informal_category.as_str());
        match self
            .buckets
            .iter()
            .position(|(e, c)| (e.as_str(), c.as_str()) == key)
        {
            Some(i) => i as u16,
            None => {
                self.buckets
                    .push((b.employment_type.clone(), b.informal_category.clone()));
                (self.buckets.len() - 1) as u16
            }
        }
    }
}

const MAX_PROBLEMS_REPORTED: i64 = 1000;

/// A background task that ends with its owner.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// How often a running import touches its record, and how long without a touch makes
/// it stalled: its process is gone, and the same file again resumes it.
const HEARTBEAT_SECS: u64 = 10;
const STALLED_AFTER_SECS: i64 = 90;

impl App {
    /// Reads a file's header and opens (or resumes) the record of its import.
    pub async fn start_import(
        &self,
        actor: &Actor,
        file_name: &str,
        bytes: Vec<u8>,
        options: ImportOptions,
    ) -> Result<Prepared, AppError> {
        let permit = actor.permit(Permission::EditRegistry)?;
        let hash = hex(&Sha256::digest(&bytes));
        // Reading a file is work for a processor, not for the request's thread.
        let table = tokio::task::spawn_blocking(move || Table::read(bytes))
            .await
            .map_err(|e| AppError::Internal(format!("file reader: {e}")))??;
        let columns = mapping_of(&table.headers, options.mapping.as_deref(), &options.aliases);
        let mut missing = Vec::new();
        for required in [Field::UnitCode, Field::FullName] {
            if !columns.contains(&Some(required)) {
                missing.push(required.as_str().to_string());
            }
        }
        let mut twice: Vec<String> = Vec::new();
        for (i, f) in columns.iter().enumerate() {
            if let Some(f) = f {
                if columns[..i].contains(&Some(*f)) && !twice.contains(&f.as_str().to_string()) {
                    twice.push(f.as_str().to_string());
                }
            }
        }
        if !missing.is_empty() {
            return Err(AppError::BadFile {
                code: "missing_columns",
                row: Some(1),
                names: missing,
            });
        }
        if !twice.is_empty() {
            return Err(AppError::BadFile {
                code: "repeated_columns",
                row: Some(1),
                names: twice,
            });
        }
        let ignored_columns = table
            .headers
            .iter()
            .zip(&columns)
            .filter(|(_, f)| f.is_none())
            .map(|(h, _)| h.clone())
            .collect();
        let key = options_key(options.calendar, options.date_order, &columns);
        let mut tx = self.write(permit).await?;
        let now = tx.now().to_string();
        let mut resume_after = 0;
        let mut counts = ImportCounts::default();
        let mut import_id = None;
        let mut loaded_before = None;
        if !options.dry_run {
            if let Some(run) = store::same_file(&mut tx, &hash, &key, "running").await? {
                if run.user_id == actor.user_id && run.unit_id == actor.unit_id {
                    resume_after = run.done_rows;
                    counts = run.counts;
                    import_id = Some(run.id);
                }
            }
            loaded_before = store::same_file(&mut tx, &hash, &key, "done")
                .await?
                .map(|r| r.id);
        }
        let import_id = match import_id {
            Some(id) => id,
            None => {
                store::start(
                    &mut tx,
                    actor.user_id,
                    actor.unit_id,
                    file_name,
                    &hash,
                    &key,
                    options.dry_run,
                    table.estimated_rows,
                    &now,
                )
                .await?
            }
        };
        // The tree is this import's until it ends; a run of the same file started again
        // (its process killed) takes over the job of the run it resumes.
        let now_at = tx.now().to_string();
        muster_store::jobs::take_over(&mut tx, "import", import_id, &now_at).await?;
        let tree = match actor.unit_id {
            Some(unit) => muster_store::units::by_id(&mut tx, unit)
                .await?
                .map(|u| u.tree_id),
            None => None,
        };
        let job = crate::jobs::take_tree(&mut tx, actor, "import", tree).await?;
        muster_store::jobs::set_subject(&mut tx, job, import_id).await?;
        let scope = tx.scope();
        let started =
            serde_json::json!({ "file": file_name, "dry_run": options.dry_run, "job": job });
        tx.audit(
            "start",
            "import",
            import_id,
            scope.unit(),
            None,
            Some(started),
        )
        .await?;
        tx.commit().await?;
        Ok(Prepared {
            import_id,
            resume_after,
            loaded_before,
            ignored_columns,
            table,
            columns,
            options,
            actor: actor.clone(),
            counts,
            job,
        })
    }

    /// Checks and loads every row of a prepared run, calling `progress` after each batch.
    pub async fn run_import(
        &self,
        mut run: Prepared,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<ImportReport, AppError> {
        let heartbeat = self.heartbeat(run.import_id);
        let alive = self.touch_job(run.job);
        let result = self.load_rows(&mut run, progress).await;
        drop(heartbeat);
        drop(alive);
        let found = result
            .as_ref()
            .map(|()| serde_json::json!({ "import": run.import_id }));
        self.end_job(run.job, found).await;
        let now = now_utc();
        let mut conn = self.db().begin().await?;
        match &result {
            Ok(()) => store::finish(&mut conn, run.import_id, "done", None, &now).await?,
            Err(e) => {
                // The batch in flight rolled back; the run can be resumed.
                tracing::warn!(import = run.import_id, error = %e, "import stopped");
                store::finish(&mut conn, run.import_id, "running", Some(e.code()), &now).await?;
            }
        }
        conn.commit().await.map_err(commit_err)?;
        result?;
        self.import_report(run.import_id, run.ignored_columns).await
    }

    /// Touches the run's record every `HEARTBEAT_SECS` until the guard is dropped, so that
    /// a run whose process is gone shows as stopped (`ImportView::stalled`). A run given
    /// up half-way (its future dropped) drops the guard too.
    fn heartbeat(&self, import_id: i64) -> AbortOnDrop {
        let db = self.db().clone();
        AbortOnDrop(tokio::spawn(async move {
            let mut every = tokio::time::interval(std::time::Duration::from_secs(HEARTBEAT_SECS));
            every.tick().await;
            loop {
                every.tick().await;
                let touched = match db.read().await {
                    Ok(mut conn) => store::heartbeat(&mut conn, import_id, &now_utc()).await,
                    Err(e) => Err(e),
                };
                // A busy database misses a beat; the next one comes soon enough.
                if let Err(e) = touched {
                    tracing::debug!(import = import_id, error = %e, "import heartbeat missed");
                }
            }
        }))
    }

    /// Records what a run does once its rows are in. Only shown, so a failure to record
    /// it is logged and the run goes on.
    async fn set_phase(&self, import_id: i64, phase: &str) {
        let recorded = async {
            let mut tx = self.db().begin().await?;
            store::set_phase(&mut tx, import_id, phase, &now_utc()).await?;
            tx.commit().await.map_err(commit_err)
        };
        if let Err(e) = recorded.await {
            tracing::warn!(import = import_id, phase, error = %e, "import phase not recorded");
        }
    }

    pub(crate) async fn import_report(
        &self,
        import_id: i64,
        ignored_columns: Vec<String>,
    ) -> Result<ImportReport, AppError> {
        let mut conn = self.db().read().await?;
        let import = store::get(&mut conn, import_id)
            .await?
            .ok_or(AppError::NotFound("import"))?;
        let problems = store::problems(&mut conn, import_id, MAX_PROBLEMS_REPORTED).await?;
        Ok(ImportReport {
            import,
            problems,
            ignored_columns,
        })
    }

    /// Reads and checks rows while the batch before is being written: the checks run
    /// here, the writes on the database's side, so the two overlap.
    async fn load_rows(
        &self,
        run: &mut Prepared,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<(), AppError> {
        let total = run.table.estimated_rows;
        let mut conn = self.db().read().await?;
        let mut bulk = self.db().bulk().await?;
        let drives = store::any_drive(&mut conn).await?;
        let in_bulk = !run.options.dry_run
            && match run.options.bulk {
                Some(asked) => asked,
                None => {
                    total >= BULK_MIN_ROWS
                        && total >= 2 * muster_store::bulk::people_count(&mut conn).await?
                }
            };
        if in_bulk {
            let mut tx = self.db().begin_on(&mut bulk).await?;
            muster_store::bulk::begin(&mut tx).await?;
            tx.commit().await.map_err(commit_err)?;
        }
        let ctx = WriteCtx {
            in_bulk,
            import_id: run.import_id,
            options: &run.options,
            columns: &run.columns,
            actor: &run.actor,
            loaded_before: run.loaded_before,
            drives,
        };
        let counts = &mut run.counts;
        let table = &mut run.table;
        let resume_after = run.resume_after;
        let (send, mut receive) = tokio::sync::mpsc::channel::<Chunk>(1);

        let reader = async {
            let mut look = Lookups::default();
            let mut record = csv::StringRecord::new();
            let mut row_number: i64 = 1;
            let mut chunk = Chunk::default();
            loop {
                let next = table.next_row(&mut record);
                let at_end = next.is_none();
                if let Some(next) = next {
                    row_number += 1;
                    let cells = match next {
                        Ok(cells) => cells,
                        Err(()) => {
                            if row_number > resume_after {
                                chunk.problems.push(problem(
                                    row_number,
                                    "",
                                    "unreadable_row",
                                    None,
                                ));
                            }
                            continue;
                        }
                    };
                    if cells.iter().all(|c| c.trim().is_empty()) {
                        continue;
                    }
                    let t0 = std::time::Instant::now();
                    let checked = check_row(
                        &mut conn,
                        ctx.actor,
                        ctx.options,
                        ctx.columns,
                        &cells,
                        row_number,
                        &mut look,
                    )
                    .await?;
                    timing::add(0, t0);
                    // Let the writer go on as soon as the database has answered it.
                    if row_number % 256 == 0 {
                        tokio::task::yield_now().await;
                    }
                    if row_number <= resume_after {
                        continue;
                    }
                    match checked {
                        Ok(good) => chunk.rows.push(good),
                        Err(mut p) => chunk.problems.append(&mut p),
                    }
                }
                if chunk.rows.len() + chunk.problems.len() < ctx.options.batch_rows && !at_end {
                    continue;
                }
                chunk.last_row = row_number;
                chunk.keys = sorted_keys(&mut chunk.rows)?;
                chunk.buckets.clone_from(&look.buckets);
                if send.send(std::mem::take(&mut chunk)).await.is_err() {
                    // The writer stopped: its error says why.
                    break;
                }
                if at_end {
                    break;
                }
            }
            drop(send);
            Ok::<_, AppError>((look, row_number))
        };

        let writer = async {
            let mut incoming: Vec<NewRow> = Vec::new();
            while let Some(chunk) = receive.recv().await {
                let mut tx = self.db().begin_on(&mut bulk).await?;
                let now = now_utc();
                let mut rejected = chunk.problems;
                let written = write_batch(
                    &mut tx,
                    &ctx,
                    chunk.rows,
                    &chunk.keys,
                    &chunk.buckets,
                    &mut rejected,
                    &now,
                )
                .await?;
                counts.created += written.created;
                counts.updated += written.updated;
                counts.unchanged += written.unchanged;
                counts.rejected +=
                    rejected.iter().map(|p| p.row).collect::<HashSet<_>>().len() as i64;
                incoming.extend(written.people);
                store::add_problems(&mut tx, ctx.import_id, &rejected).await?;
                store::checkpoint(&mut tx, ctx.import_id, chunk.last_row, counts, &now).await?;
                // In a dry run the batch wrote nothing but its report.
                let t0 = std::time::Instant::now();
                tx.commit().await.map_err(commit_err)?;
                timing::add(6, t0);
                progress(Progress {
                    done: chunk.last_row - 1,
                    total: total.max(chunk.last_row - 1),
                    counts: *counts,
                    indexing: false,
                });
            }
            Ok::<_, AppError>(incoming)
        };

        let (read, written) = tokio::join!(reader, writer);
        drop(bulk);
        if in_bulk {
            // Whether or not every batch went in, the indexes come back now.
            self.set_phase(run.import_id, "indexing").await;
            progress(Progress {
                done: total,
                total,
                counts: *counts,
                indexing: true,
            });
            let t0 = std::time::Instant::now();
            let finished = self.db().finish_bulk().await;
            timing::add(8, t0);
            finished?;
        }
        let incoming = written?;
        let (look, row_number) = read?;
        timing::report();
        if run.options.check_duplicates && !incoming.is_empty() {
            self.set_phase(run.import_id, "duplicates").await;
            let mut trees: Vec<i64> = look.units.iter().map(|u| u.tree_id).collect();
            trees.sort_unstable();
            trees.dedup();
            let flagged = self
                .flag_duplicates(
                    &run.actor,
                    run.import_id,
                    !run.options.dry_run,
                    &trees,
                    incoming,
                )
                .await?;
            run.counts.duplicates = flagged;
            let mut tx = self.db().begin().await?;
            store::checkpoint(&mut tx, run.import_id, row_number, &run.counts, &now_utc()).await?;
            tx.commit().await.map_err(commit_err)?;
        }
        Ok(())
    }
}
