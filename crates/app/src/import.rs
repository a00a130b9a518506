//! Bulk import of members from CSV and XLSX files.
//!
//! Every row is checked; a rejected row is reported with its row number (the header is
//! row 1), its column and a reason, and the good rows load. A row updates the person it
//! names by `external_id`, then by member number, so importing a file again changes
//! nothing. Rows load in batches, each in one transaction that also records how far the
//! run has got: a run cut short (even by `kill -9`) leaves whole batches only, and
//! running the same file again resumes after the last one.

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
use muster_store::members::{
    self as members_store, ExportRow, MembershipRow, PersonFields, PersonRow,
};
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

/// A file read into rows of text: the header and the data rows.
pub struct Table {
    pub headers: Vec<String>,
    rows: Rows,
    /// Data rows, counted before reading (CSV: by lines, so an estimate when a
    /// field holds a line break).
    pub estimated_rows: i64,
}

enum Rows {
    Csv(Box<csv::Reader<std::io::Cursor<Vec<u8>>>>),
    Sheet(std::vec::IntoIter<Vec<String>>),
}

impl Table {
    /// Reads a CSV (UTF-8 with or without a byte order mark, or UTF-16 with one;
    /// comma, semicolon or tab between fields) or a spreadsheet (XLSX, XLS, ODS: its
    /// first sheet).
    pub fn read(bytes: Vec<u8>) -> Result<Table, AppError> {
        if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            return read_sheet(bytes);
        }
        let text = decode(bytes)?;
        let first_line = text.split(|b| *b == b'\n').next().unwrap_or_default();
        let delimiter = [b',', b';', b'\t']
            .into_iter()
            .max_by_key(|d| first_line.iter().filter(|b| *b == d).count())
            .unwrap_or(b',');
        let lines = text.iter().filter(|b| **b == b'\n').count() as i64;
        let last_open = !text.ends_with(b"\n") && !text.is_empty();
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(false)
            .from_reader(std::io::Cursor::new(text));
        let mut header = csv::StringRecord::new();
        match reader.read_record(&mut header) {
            Ok(true) => {}
            Ok(false) => return Err(AppError::bad_file("empty_file", None)),
            Err(_) => return Err(AppError::bad_file("unreadable_row", Some(1))),
        }
        Ok(Table {
            headers: header.iter().map(|h| h.trim().to_string()).collect(),
            rows: Rows::Csv(Box::new(reader)),
            estimated_rows: (lines + i64::from(last_open) - 1).max(0),
        })
    }

    /// The next data row; `Err` for one that cannot be read.
    pub(crate) fn next_row(
        &mut self,
        record: &mut csv::StringRecord,
    ) -> Option<Result<Vec<String>, ()>> {
        match &mut self.rows {
            Rows::Csv(r) => match r.read_record(record) {
                Ok(true) => Some(Ok(record.iter().map(str::to_string).collect())),
                Ok(false) => None,
                Err(_) => Some(Err(())),
            },
            Rows::Sheet(rows) => rows.next().map(Ok),
        }
    }
}

/// The text of a CSV file as UTF-8, or where it is not.
fn decode(bytes: Vec<u8>) -> Result<Vec<u8>, AppError> {
    let utf16 = |le: bool| {
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16(&units)
            .map(String::into_bytes)
            .map_err(|_| AppError::bad_file("not_utf8", None))
    };
    let text = if bytes.starts_with(&[0xFF, 0xFE]) {
        utf16(true)?
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        utf16(false)?
    } else if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes[3..].to_vec()
    } else {
        bytes
    };
    if let Err(e) = std::str::from_utf8(&text) {
        let at = e.valid_up_to();
        let row = text[..at].iter().filter(|b| **b == b'\n').count() as i64 + 1;
        return Err(AppError::bad_file("not_utf8", Some(row)));
    }
    Ok(text)
}

/// The most a spreadsheet may unpack to: its sheets are read whole, at several times
/// their unpacked size in memory. (A 694 KB XLSX once unpacked to 204 MB and took
/// 1.9 GB.) Larger registries come as CSV, which is read row by row.
pub const MAX_SHEET_UNPACKED: u64 = 32 << 20;
/// The most rows a spreadsheet may have, for the same reason.
pub const MAX_SHEET_ROWS: usize = 200_000;

/// Refuses a zipped spreadsheet (XLSX, ODS) whose parts unpack to more than
/// [`MAX_SHEET_UNPACKED`], from its directory alone, before anything is unpacked.
fn check_unpacked_size(bytes: &[u8]) -> Result<(), AppError> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return Ok(());
    }
    let bad = || AppError::bad_file("unreadable_spreadsheet", None);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| bad())?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).map_err(|_| bad())?;
        total = total.saturating_add(part.size());
    }
    if total > MAX_SHEET_UNPACKED {
        return Err(AppError::bad_file("sheet_too_large", None));
    }
    Ok(())
}

fn read_sheet(bytes: Vec<u8>) -> Result<Table, AppError> {
    use calamine::{Data, Reader};
    check_unpacked_size(&bytes)?;
    let bad = || AppError::bad_file("unreadable_spreadsheet", None);
    let mut book =
        calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(|_| bad())?;
    let range = match book.worksheet_range_at(0) {
        Some(Ok(r)) => r,
        _ => return Err(bad()),
    };
    let cell = |d: &Data| -> String {
        match d {
            Data::Empty => String::new(),
            Data::String(s) => s.clone(),
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            Data::Float(f) => f.to_string(),
            Data::Int(i) => i.to_string(),
            Data::Bool(b) => b.to_string(),
            Data::DateTime(t) => excel_date(t.as_f64()),
            Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
            Data::DurationIso(s) => s.clone(),
            Data::Error(_) => "#ERROR".into(),
        }
    };
    if range.height() > MAX_SHEET_ROWS + 1 {
        return Err(AppError::bad_file("sheet_too_large", None));
    }
    let mut rows = range.rows().map(|r| r.iter().map(cell).collect::<Vec<_>>());
    let headers: Vec<String> = match rows.next() {
        Some(h) => h.into_iter().map(|h| h.trim().to_string()).collect(),
        None => return Err(AppError::bad_file("empty_file", None)),
    };
    let rows: Vec<Vec<String>> = rows.collect();
    Ok(Table {
        headers,
        estimated_rows: rows.len() as i64,
        rows: Rows::Sheet(rows.into_iter()),
    })
}

/// An Excel serial day (1 is 1900-01-01, with Excel's phantom 1900-02-29) as ISO.
fn excel_date(serial: f64) -> String {
    // Excel's dates end on 9999-12-31, day 2958465; what lies outside is no date, and
    // stays a number for the check to refuse.
    if !(1.0..=2_958_465.0).contains(&serial) {
        return serial.to_string();
    }
    // Day 25569 is 1970-01-01.
    Date::from_days(serial.floor() as i64 - 25569).to_string()
}

/// The fields of each column: as mapped, or from the headers (their field names, or
/// one of the `aliases`).
pub fn mapping_of(
    headers: &[String],
    mapping: Option<&[Option<Field>]>,
    aliases: &[(String, Field)],
) -> Vec<Option<Field>> {
    match mapping {
        Some(m) => (0..headers.len())
            .map(|i| m.get(i).copied().flatten())
            .collect(),
        None => headers
            .iter()
            .map(|h| {
                Field::of_header(h).or_else(|| {
                    let h = header_key(h);
                    aliases.iter().find(|(a, _)| *a == h).map(|(_, f)| *f)
                })
            })
            .collect(),
    }
}

/// How a run read its file, as its record keeps it (and tells a rerun of the same file
/// with the same options): `calendar|date order|field of each column`.
fn options_key(calendar: Calendar, order: DateOrder, columns: &[Option<Field>]) -> String {
    let fields: Vec<&str> = columns
        .iter()
        .map(|f| f.map_or("-", Field::as_str))
        .collect();
    format!(
        "{}|{}|{}",
        calendar.as_str(),
        order.as_str(),
        fields.join(",")
    )
}

/// The calendar, date order and column fields of an `options_key`.
fn read_options_key(key: &str) -> (String, String, Vec<Option<String>>) {
    let mut parts = key.splitn(3, '|');
    let calendar = parts.next().unwrap_or("").to_string();
    let order = parts.next().unwrap_or("").to_string();
    let columns = parts
        .next()
        .unwrap_or("")
        .split(',')
        .map(|f| (f != "-").then(|| f.to_string()))
        .collect();
    (calendar, order, columns)
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
        let table = Table::read(bytes)?;
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

    pub async fn import_report(
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

/// Checked rows on their way to be written, with the last row they reach.
#[derive(Default)]
struct Chunk {
    rows: Vec<Good>,
    problems: Vec<RowProblem>,
    last_row: i64,
    /// The employment buckets the rows' counts name.
    buckets: Vec<(String, String)>,
    /// The rows' search keys in key order (see `sorted_keys`).
    keys: Vec<(IdRow, u32)>,
}

/// The search keys of a batch's rows in key order, each with the position of its row,
/// so that they go into the key's index one after another.
fn sorted_keys(rows: &mut [Good]) -> Result<Vec<(IdRow, u32)>, AppError> {
    let mut keys: Vec<(String, u32, i64)> = rows
        .iter_mut()
        .enumerate()
        .flat_map(|(i, r)| {
            let branch = r.unit.branch;
            std::mem::take(&mut r.keys)
                .into_iter()
                .map(move |k| (k, i as u32, branch))
        })
        .collect();
    keys.sort_unstable();
    keys.into_iter()
        .map(|(k, i, branch)| Ok((store::key_row(&k, branch)?, i)))
        .collect()
}

/// What writing a batch needs of its run.
struct WriteCtx<'a> {
    import_id: i64,
    /// Counts wait for the end of a bulk load.
    in_bulk: bool,
    options: &'a ImportOptions,
    columns: &'a [Option<Field>],
    actor: &'a Actor,
    loaded_before: Option<i64>,
    /// Whether any drive is under way, to count.
    drives: bool,
}

/// Where an import's time goes, logged at its end (`MUSTER_LOG=muster_app=debug`).
mod timing {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NANOS: [AtomicU64; 9] = [const { AtomicU64::new(0) }; 9];
    pub fn add(slot: usize, since: std::time::Instant) {
        NANOS[slot].fetch_add(since.elapsed().as_nanos() as u64, Ordering::Relaxed);
    }
    pub fn report() {
        let ms: Vec<u64> = NANOS
            .iter()
            .map(|n| n.swap(0, Ordering::Relaxed) / 1_000_000)
            .collect();
        tracing::debug!(
            check_ms = ms[0],
            prepare_ms = ms[1],
            people_ms = ms[2],
            memberships_ms = ms[3],
            keys_ms = ms[4],
            counters_ms = ms[5],
            commit_ms = ms[6],
            lookups_ms = ms[7],
            indexes_ms = ms[8],
            "import timing"
        );
    }
}

fn problem(row: i64, column: &str, reason: &str, detail: Option<String>) -> RowProblem {
    RowProblem {
        row,
        column: column.into(),
        reason: reason.into(),
        detail,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks one row into a good row or its problems.
async fn check_row(
    conn: &mut Conn,
    actor: &Actor,
    options: &ImportOptions,
    columns: &[Option<Field>],
    cells: &[String],
    row: i64,
    look: &mut Lookups,
) -> Result<Result<Good, Vec<RowProblem>>, AppError> {
    let mut values: Vec<Option<String>> = vec![None; Field::ALL.len()];
    for (i, f) in columns.iter().enumerate() {
        if let (Some(f), Some(v)) = (f, cells.get(i)) {
            let v = v.trim();
            if !v.is_empty() {
                values[*f as usize] = Some(v.to_string());
            }
        }
    }
    let get = |f: Field| values[f as usize].clone();
    let mut check = Check::default();
    let date = |check: &mut Check, f: Field| {
        get(f).and_then(|v| {
            check.take(
                f.as_str(),
                parse_ordered(&v, options.calendar, options.date_order),
            )
        })
    };
    let birth = date(&mut check, Field::BirthDate);
    let joined = date(&mut check, Field::JoinedOn);
    let person = PersonInput {
        full_name: get(Field::FullName),
        latin_name: get(Field::LatinName),
        gender: get(Field::Gender).map(|g| g.to_lowercase()),
        birth_date: birth.map(|d| d.to_string()),
        phone: get(Field::Phone),
        email: get(Field::Email),
        national_id: get(Field::NationalId),
        region: get(Field::Region),
        address: get(Field::Address),
        occupation_code: get(Field::OccupationCode),
        sector_code: get(Field::SectorCode),
        employment_type: get(Field::EmploymentType).map(|g| g.to_lowercase()),
        informal_category: get(Field::InformalCategory).map(|g| g.to_lowercase()),
        workplace_code: get(Field::WorkplaceCode),
        preferred_language: get(Field::PreferredLanguage),
    };
    let mut fields = validate_person(&person, &mut check);
    if joined.is_some_and(|d| d > Date::today()) {
        check.fail("joined_on", "in_future");
    }
    let status = check
        .opt(
            "status",
            get(Field::Status).map(|s| s.to_lowercase()).as_deref(),
            Status::parse,
        )
        .unwrap_or(Status::Active);
    let number = check
        .opt(
            "member_number",
            get(Field::MemberNumber).as_deref(),
            MemberNumber::parse,
        )
        .map(|n| n.as_str().to_string());
    let external_id = check.opt("external_id", get(Field::ExternalId).as_deref(), |s| {
        muster_domain::unit::required_text(s, 100)
    });
    let unit = match get(Field::UnitCode) {
        None => {
            check.fail("unit_code", "required");
            None
        }
        Some(code) => {
            let code = code.to_uppercase();
            if !look.unit_codes.contains_key(&code) {
                let found = match find_in_scope(conn, actor.scope(), &code).await {
                    Ok(u) => {
                        let branch = store_search::branch_of(conn, u.id).await?;
                        let ancestors = store::ancestors(conn, u.id).await?;
                        look.units.push(std::sync::Arc::new(UnitInfo {
                            id: u.id,
                            tree_id: u.tree_id,
                            branch,
                            ancestors,
                        }));
                        Some(look.units.len() - 1)
                    }
                    Err(AppError::NotFound(_)) => None,
                    Err(e) => return Err(e),
                };
                look.unit_codes.insert(code.clone(), found);
            }
            let found = look.unit_codes[&code];
            if found.is_none() {
                check.fail("unit_code", "unknown_unit");
            }
            found
        }
    };
    let tree_id = unit.map(|u| look.units[u].tree_id);
    if let (Some(code), Some(tree)) = (get(Field::WorkplaceCode), tree_id) {
        let code = code.to_uppercase();
        if !look.workplaces.contains_key(&code) {
            let found = match workplaces::by_code(conn, &code).await? {
                Some(w)
                    if muster_store::units::in_scope(conn, actor.scope(), w.fields.unit_id)
                        .await? =>
                {
                    Some((w.id, w.tree_id))
                }
                _ => None,
            };
            look.workplaces.insert(code.clone(), found);
        }
        match look.workplaces[&code] {
            Some((id, t)) if t == tree => fields.workplace_id = Some(id),
            _ => check.fail("workplace_code", "unknown_workplace"),
        }
    }
    // The same person twice in one file: the second is refused.
    if let (Some(tree), Some(ext)) = (tree_id, &external_id) {
        if !look.seen_ids.insert((tree, ext.clone())) {
            check.fail("external_id", "repeated_in_file");
        }
    }
    if let (Some(tree), Some(n)) = (tree_id, &number) {
        if !look.seen_numbers.insert((tree, n.clone())) {
            check.fail("member_number", "repeated_in_file");
        }
    }
    let errors = check.into_fields();
    if !errors.is_empty() {
        return Ok(Err(errors
            .into_iter()
            .map(|(column, reason)| {
                let detail = columns
                    .iter()
                    .position(|f| f.map(Field::as_str) == Some(column.as_str()))
                    .and_then(|i| cells.get(i))
                    .map(|v| v.chars().take(80).collect());
                problem(row, &column, &reason, detail)
            })
            .collect()));
    }
    let Some(unit) = unit else {
        return Ok(Err(vec![problem(row, "unit_code", "unknown_unit", None)]));
    };
    let keys = search::person_keys(
        &fields.full_name,
        fields.latin_name.as_deref(),
        fields.phone.as_deref(),
        number.as_deref(),
    );
    let unit = std::sync::Arc::clone(&look.units[unit]);
    let joined_on = joined.unwrap_or_else(Date::today);
    let joined_text = joined_on.to_string();
    let bucket = Bucket::of(
        fields.employment_type.as_deref(),
        fields.informal_category.as_deref(),
        fields.workplace_id,
    );
    let count = RowCount {
        day: joined_on,
        bucket: look.bucket_index(&bucket),
        change: status_change(&bucket, unit.id, joined_on, None, status).map(|c| {
            [
                c.joins,
                c.leaves,
                c.transfers_in,
                c.transfers_out,
                c.active_delta,
            ]
        }),
    };
    Ok(Ok(Good {
        row,
        person_row: store::person_row(
            unit.tree_id,
            &fields,
            external_id.as_deref(),
            &names::sort_key(&fields.full_name),
        )?,
        membership_row: store::membership_row(
            unit.tree_id,
            unit.id,
            status.as_str(),
            number.as_deref(),
            Some(&joined_text),
            status.is_closed().then_some(joined_text.as_str()),
        )?,
        keys,
        count,
        unit,
        fields,
        external_id,
        member_number: number,
        status,
    }))
}

/// What one batch did.
#[derive(Default)]
struct Written {
    created: i64,
    updated: i64,
    unchanged: i64,
    /// The rows created, for the duplicate check.
    people: Vec<NewRow>,
}

/// Counter changes of a batch, summed before they are written, keyed by unit, day
/// (or month: the first day) and employment bucket.
#[derive(Default)]
struct Tally {
    months: HashMap<(i64, Date, u16), [i64; 5]>,
    subtree_months: HashMap<(i64, Date, u16), [i64; 5]>,
    days: HashMap<(i64, Date, u16), [i64; 2]>,
    statuses: HashMap<(i64, Status), i64>,
    subtree_statuses: HashMap<(i64, Status), i64>,
    workplaces: HashMap<i64, i64>,
}

impl Tally {
    /// A new member of `unit`, counted in the members of their workplace if any.
    fn add(&mut self, c: &RowCount, status: Status, unit: &UnitInfo, workplace_id: Option<i64>) {
        *self.statuses.entry((unit.id, status)).or_default() += 1;
        for a in &unit.ancestors {
            *self.subtree_statuses.entry((*a, status)).or_default() += 1;
        }
        let Some(v) = c.change else {
            return;
        };
        let month = Date::new(c.day.year(), c.day.month(), 1).unwrap_or(c.day);
        add(
            self.months.entry((unit.id, month, c.bucket)).or_default(),
            &v,
        );
        for a in &unit.ancestors {
            add(
                self.subtree_months
                    .entry((*a, month, c.bucket))
                    .or_default(),
                &v,
            );
        }
        add(
            self.days.entry((unit.id, c.day, c.bucket)).or_default(),
            &[v[0], v[4]],
        );
        if let (Some(w), true) = (workplace_id, v[4] != 0) {
            *self.workplaces.entry(w).or_default() += v[4];
        }
    }

    /// The counter rows of the sums, the buckets named.
    fn rows(self, buckets: &[(String, String)]) -> CounterRows {
        let bucket = |b: u16| buckets[b as usize].clone();
        let months = |m: HashMap<(i64, Date, u16), [i64; 5]>| -> Vec<MonthRow> {
            m.into_iter()
                .map(|((u, mo, b), v)| {
                    let (e, c) = bucket(b);
                    (u, mo.month_key(), e, c, v[0], v[1], v[2], v[3], v[4])
                })
                .collect()
        };
        let statuses = |m: HashMap<(i64, Status), i64>| -> Vec<(i64, String, i64)> {
            m.into_iter()
                .map(|((u, s), n)| (u, s.as_str().to_string(), n))
                .collect()
        };
        CounterRows {
            months: months(self.months),
            subtree_months: months(self.subtree_months),
            days: self
                .days
                .into_iter()
                .map(|((u, d, b), v)| {
                    let (e, c) = bucket(b);
                    (u, d.to_string(), e, c, v[0], v[1])
                })
                .collect(),
            statuses: statuses(self.statuses),
            subtree_statuses: statuses(self.subtree_statuses),
            workplaces: self.workplaces.into_iter().collect(),
        }
    }
}

fn add<const N: usize>(into: &mut [i64; N], v: &[i64; N]) {
    for (a, b) in into.iter_mut().zip(v) {
        *a += b;
    }
}

/// The matcher's record of a person.
pub(crate) fn matcher_record(f: &PersonFields) -> dedupe::Person {
    dedupe::member(
        &f.full_name,
        f.latin_name.as_deref(),
        f.birth_date.as_deref(),
        f.phone.as_deref(),
        f.national_id.as_deref(),
        f.gender.as_deref(),
        f.occupation_code.as_deref(),
    )
}

/// Writes one batch of checked rows: updates of the people they name, the others new.
/// Rows that turn out to clash with the registry go to `rejected`.
async fn write_batch(
    conn: &mut Conn,
    run: &WriteCtx<'_>,
    rows: Vec<Good>,
    sorted_keys: &[(IdRow, u32)],
    buckets: &[(String, String)],
    rejected: &mut Vec<RowProblem>,
    now: &str,
) -> Result<Written, AppError> {
    let mut written = Written::default();
    let t0 = std::time::Instant::now();
    let ext_keys: Vec<(i64, &str)> = rows
        .iter()
        .filter_map(|r| Some((r.unit.tree_id, r.external_id.as_deref()?)))
        .collect();
    let mut by_ext: HashMap<(i64, String), i64> = store::by_external_id(conn, &ext_keys)
        .await?
        .into_iter()
        .map(|(t, k, id)| ((t, k), id))
        .collect();
    // Ids an export wrote for people the registry knows by no external id.
    let own: Vec<(i64, String, i64)> = ext_keys
        .iter()
        .filter(|(t, k)| !by_ext.contains_key(&(*t, k.to_string())))
        .filter_map(|(t, k)| Some((*t, k.to_string(), own_id(k)?)))
        .collect();
    if !own.is_empty() {
        let ids: Vec<i64> = own.iter().map(|o| o.2).collect();
        let trees: HashMap<i64, i64> = store::trees_of(conn, &ids).await?.into_iter().collect();
        for (tree, key, id) in own {
            if trees.get(&id) == Some(&tree) {
                by_ext.insert((tree, key), id);
            }
        }
    }
    let number_keys: Vec<(i64, &str)> = rows
        .iter()
        .filter_map(|r| Some((r.unit.tree_id, r.member_number.as_deref()?)))
        .collect();
    let by_number: HashMap<(i64, String), i64> = store::by_member_number(conn, &number_keys)
        .await?
        .into_iter()
        .map(|(t, k, id)| ((t, k), id))
        .collect();
    timing::add(7, t0);
    // New rows with their positions in the batch, which its sorted keys name.
    let mut fresh: Vec<(usize, Good)> = Vec::new();
    let mut matched: Vec<(Good, i64)> = Vec::new();
    let batch_len = rows.len();
    for (pos, r) in rows.into_iter().enumerate() {
        let tree = r.unit.tree_id;
        let by_id = r
            .external_id
            .as_ref()
            .and_then(|e| by_ext.get(&(tree, e.clone())).copied());
        let number_holder = r
            .member_number
            .as_ref()
            .and_then(|n| by_number.get(&(tree, n.clone())).copied());
        match (by_id, number_holder) {
            (Some(p), Some(q)) if p != q => {
                rejected.push(problem(r.row, "member_number", "member_number_taken", None));
            }
            (Some(p), _) => matched.push((r, p)),
            // A member number names the person when the row has no external id, or one
            // the registry does not know yet.
            (None, Some(q)) => matched.push((r, q)),
            (None, None) => {
                if run.loaded_before.is_some()
                    && r.external_id.is_none()
                    && r.member_number.is_none()
                {
                    written.unchanged += 1;
                } else {
                    fresh.push((pos, r));
                }
            }
        }
    }
    // Updates, one at a time: few, and each needs its own counters and audit.
    let ids: Vec<i64> = matched.iter().map(|(_, p)| *p).collect();
    let stored: HashMap<i64, (PersonRow, MembershipRow)> =
        members_store::people_with_membership(conn, &ids)
            .await?
            .into_iter()
            .map(|(p, m)| (p.id, (p, m)))
            .collect();
    for (r, person_id) in matched {
        let Some((p, m)) = stored.get(&person_id) else {
            // Archived or without a membership: the row cannot name them.
            rejected.push(problem(r.row, "external_id", "person_not_current", None));
            continue;
        };
        if !muster_store::units::in_scope(conn, run.actor.scope(), m.unit_id).await? {
            rejected.push(problem(r.row, "external_id", "person_outside_scope", None));
            continue;
        }
        match update_one(conn, run, &r, p, m, now).await? {
            Ok(true) => written.updated += 1,
            Ok(false) => written.unchanged += 1,
            Err(reason) => rejected.push(problem(r.row, reason.0, reason.1, None)),
        }
    }
    if fresh.is_empty() {
        return Ok(written);
    }
    let t0 = std::time::Instant::now();
    let ids = if run.options.dry_run {
        vec![0; fresh.len()]
    } else {
        store::next_person_ids(conn, fresh.len()).await?
    };
    let mut people = IdRows::default();
    let mut memberships = IdRows::default();
    let mut id_at: Vec<Option<i64>> = vec![None; batch_len];
    let mut tally = Tally::default();
    let (first, last) = (ids.first().copied(), ids.last().copied());
    for ((pos, r), id) in fresh.into_iter().zip(ids) {
        id_at[pos] = Some(id);
        tally.add(&r.count, r.status, &r.unit, r.fields.workplace_id);
        people.push(id, &r.person_row);
        memberships.push(id, &r.membership_row);
        if run.options.check_duplicates {
            written.people.push(NewRow {
                row: r.row,
                tree_id: r.unit.tree_id,
                person_id: id,
                fields: r.fields,
            });
        }
        written.created += 1;
    }
    if run.options.dry_run {
        return Ok(written);
    }
    let mut keys = IdRows::default();
    for (row, pos) in sorted_keys {
        if let Some(id) = id_at[*pos as usize] {
            keys.push(id, row);
        }
    }
    timing::add(1, t0);
    let t0 = std::time::Instant::now();
    store::insert_people(conn, people, run.import_id, now).await?;
    timing::add(2, t0);
    let t0 = std::time::Instant::now();
    store::insert_memberships(conn, memberships, now).await?;
    timing::add(3, t0);
    let t0 = std::time::Instant::now();
    store::insert_keys(conn, keys).await?;
    timing::add(4, t0);
    let t0 = std::time::Instant::now();
    let counts = tally.rows(buckets);
    if run.in_bulk {
        muster_store::bulk::stage_counts(conn, &counts).await?;
    } else {
        counts.add_to(conn, run.drives).await?;
    }
    timing::add(5, t0);
    audit(
        conn,
        run.actor,
        "import",
        "import",
        run.import_id,
        run.actor.unit_id,
        None,
        Some(serde_json::json!({
            "created": written.created,
            "first_person": first,
            "last_person": last,
        })),
        now,
    )
    .await?;
    Ok(written)
}

/// Brings one person in line with their row; `Ok(false)` when nothing differs, an
/// `Err` (column, reason) when the row asks for what cannot be.
async fn update_one(
    conn: &mut Conn,
    run: &WriteCtx<'_>,
    r: &Good,
    p: &PersonRow,
    m: &MembershipRow,
    now: &str,
) -> Result<Result<bool, (&'static str, &'static str)>, AppError> {
    // Columns the file does not have keep their stored values.
    let has = |f: Field| run.columns.contains(&Some(f));
    let mut next = p.fields.clone();
    macro_rules! take {
        ($field:ident, $col:expr) => {
            if has($col) {
                next.$field = r.fields.$field.clone();
            }
        };
    }
    take!(full_name, Field::FullName);
    take!(latin_name, Field::LatinName);
    take!(gender, Field::Gender);
    take!(birth_date, Field::BirthDate);
    take!(phone, Field::Phone);
    take!(email, Field::Email);
    take!(national_id, Field::NationalId);
    take!(region, Field::Region);
    take!(address, Field::Address);
    take!(occupation_code, Field::OccupationCode);
    take!(sector_code, Field::SectorCode);
    take!(employment_type, Field::EmploymentType);
    take!(informal_category, Field::InformalCategory);
    take!(workplace_id, Field::WorkplaceCode);
    take!(preferred_language, Field::PreferredLanguage);
    let unit = &r.unit;
    let number = if has(Field::MemberNumber) {
        r.member_number.clone()
    } else {
        m.member_number.clone()
    };
    let stored_status =
        Status::parse(&m.status).map_err(|_| AppError::Internal("stored status".into()))?;
    let status = if has(Field::Status) {
        r.status
    } else {
        stored_status
    };
    let same = next == p.fields
        && number == m.member_number
        && unit.id == m.unit_id
        && status == stored_status;
    if same {
        return Ok(Ok(false));
    }
    if status != stored_status && !stored_status.can_become(status) {
        return Ok(Err(("status", "transition_not_allowed")));
    }
    if unit.tree_id != m.tree_id {
        return Ok(Err(("unit_code", "other_tree")));
    }
    if run.options.dry_run {
        return Ok(Ok(true));
    }
    let today = Date::today();
    members_store::update_person(conn, p.id, &next, now).await?;
    if number != m.member_number && unit.id == m.unit_id {
        members_store::set_member_number(conn, m.id, number.as_deref(), now)
            .await
            .map_err(crate::error::on_conflict)?;
    }
    let new = Bucket::of_person(&next);
    if stored_status.is_active() {
        rebucket(conn, &Bucket::of_person(&p.fields), &new, m.unit_id, today).await?;
    }
    let mut current = m.clone();
    if unit.id != m.unit_id {
        move_membership(conn, &new, m, unit.id, today, number.clone(), now).await?;
        current = members_store::current_membership(conn, p.id)
            .await?
            .ok_or(AppError::NotFound("member"))?;
    }
    if status != stored_status {
        let left = status.is_closed().then(|| today.to_string());
        members_store::set_status(
            conn,
            current.id,
            status.as_str(),
            None,
            left.as_deref(),
            now,
        )
        .await?;
        counters::status_delta(conn, current.unit_id, stored_status.as_str(), -1).await?;
        counters::status_delta(conn, current.unit_id, status.as_str(), 1).await?;
        if let Some(c) = status_change(&new, current.unit_id, today, Some(stored_status), status) {
            counters::apply(conn, &c).await?;
        }
    }
    refresh_keys(conn, p.id).await?;
    let after = members_store::current_membership(conn, p.id)
        .await?
        .ok_or(AppError::NotFound("member"))?;
    audit(
        conn,
        run.actor,
        "import_update",
        "person",
        p.id,
        Some(after.unit_id),
        Some(snapshot(&p.fields, m)),
        Some(snapshot(&next, &after)),
        now,
    )
    .await?;
    Ok(Ok(true))
}

// --- Export -------------------------------------------------------------------------

/// The external id an export gives a person the registry knows by no other:
/// `muster:` and their id, which an import reads back as that person.
pub fn own_external_id(person_id: i64) -> String {
    format!("muster:{person_id}")
}

fn own_id(external_id: &str) -> Option<i64> {
    external_id.strip_prefix("muster:")?.parse().ok()
}

/// The cells of one exported member in the order of `Field::ALL`, dates written by
/// `date` (ISO or the reader's). (The national id is there only for readers who may see
/// it: `export_members` leaves it out for the others.)
pub fn export_cells(r: &ExportRow, date: &dyn Fn(&str) -> String) -> Vec<String> {
    let f = &r.person.fields;
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let d = |v: &Option<String>| v.as_deref().map(date).unwrap_or_default();
    Field::ALL
        .iter()
        .map(|field| match field {
            Field::ExternalId => r
                .external_id
                .clone()
                .unwrap_or_else(|| own_external_id(r.person.id)),
            Field::UnitCode => r.unit_code.clone(),
            Field::FullName => f.full_name.clone(),
            Field::LatinName => s(&f.latin_name),
            Field::Gender => s(&f.gender),
            Field::BirthDate => d(&f.birth_date),
            Field::Phone => s(&f.phone),
            Field::Email => s(&f.email),
            Field::NationalId => s(&f.national_id),
            Field::Region => s(&f.region),
            Field::Address => s(&f.address),
            Field::OccupationCode => s(&f.occupation_code),
            Field::SectorCode => s(&f.sector_code),
            Field::EmploymentType => s(&f.employment_type),
            Field::InformalCategory => s(&f.informal_category),
            Field::WorkplaceCode => s(&r.workplace_code),
            Field::PreferredLanguage => s(&f.preferred_language),
            Field::JoinedOn => d(&r.joined_on),
            Field::MemberNumber => s(&r.member_number),
            Field::Status => r.status.clone(),
        })
        .collect()
}

impl App {
    /// Every member passing the list's filters (search text included), with every field
    /// an import reads, for a download.
    pub async fn export_members(
        &self,
        actor: &Actor,
        query: &crate::members::MemberQuery,
    ) -> Result<Vec<ExportRow>, AppError> {
        let mut rows = Vec::new();
        if query.q.as_deref().is_some_and(|q| !q.trim().is_empty()) {
            // A search: its pages give the people, in its order.
            let mut q = query.clone();
            q.limit = Some(500);
            q.cursor = None;
            let mut ids = Vec::new();
            loop {
                let page = self.list_members(actor, &q).await?;
                ids.extend(page.items.iter().map(|m| m.id));
                match page.next_cursor {
                    Some(c) => q.cursor = Some(c),
                    None => break,
                }
            }
            let mut conn = self.db().read().await?;
            let rows = muster_store::members::export_people(&mut conn, &ids).await?;
            return Ok(redacted(actor, rows));
        }
        // Checks the filters as the list does.
        let mut probe = query.clone();
        probe.limit = Some(1);
        self.list_members(actor, &probe).await?;
        let filter = crate::members::filter_of(self, actor, query).await?;
        let mut conn = self.db().read().await?;
        let mut after = 0;
        loop {
            let page =
                muster_store::members::export_page(&mut conn, actor.scope(), &filter, after, 5000)
                    .await?;
            let Some(last) = page.last() else { break };
            after = last.membership_id;
            rows.extend(page);
        }
        Ok(redacted(actor, rows))
    }
}

/// Exported rows without what the actor may not read: national ids.
fn redacted(actor: &Actor, mut rows: Vec<ExportRow>) -> Vec<ExportRow> {
    if !actor.role.may(Permission::ReadSensitive) {
        for r in &mut rows {
            r.person.fields.national_id = None;
        }
    }
    rows
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreadsheet_date_cells_and_what_is_not_a_date() {
        assert_eq!(excel_date(45292.0), "2024-01-01");
        assert_eq!(excel_date(45292.75), "2024-01-01");
        assert!(Date::parse_iso(&excel_date(1e300)).is_err());
        assert!(Date::parse_iso(&excel_date(-3.0)).is_err());
    }

    #[test]
    fn headers_by_name_whatever_their_case_and_spacing() {
        let headers: Vec<String> = [
            "Full Name",
            "UNIT-CODE",
            "\u{FEFF}external_id",
            "Họ và tên",
            "notes",
        ]
        .iter()
        .map(|h| h.to_string())
        .collect();
        let aliases = vec![("họ và tên".to_string(), Field::FullName)];
        assert_eq!(
            mapping_of(&headers, None, &aliases),
            vec![
                Some(Field::FullName),
                Some(Field::UnitCode),
                Some(Field::ExternalId),
                Some(Field::FullName),
                None
            ]
        );
    }
}
