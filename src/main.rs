//! `muster`: run the server, migrate, load the demo, manage users and tokens.
#![forbid(unsafe_code)]

use clap::{Args, Parser, Subcommand};

/// glibc's malloc and free were a fifth of an import's profile; mimalloc's are cheaper.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use muster_app::demo::{self, DEMO_LOGINS, DEMO_PASSWORD};
use muster_app::users::NewLogin;
use muster_app::{Actor, AppError, System};
use muster_domain::Date;
use muster_store::Db;
use std::io::Read;
use std::process::ExitCode;
use tokio::net::TcpListener;

#[derive(Parser)]
#[command(
    name = "muster",
    version,
    about = "Operations platform for labor organizations"
)]
struct Cli {
    /// Database: a SQLite file path (created if missing) or a postgres:// URL.
    #[arg(
        long,
        global = true,
        env = "MUSTER_DATABASE_URL",
        default_value = "muster.db"
    )]
    database: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application and the API (migrates the database first).
    Serve(ServeArgs),
    /// Bring the database schema up to date.
    Migrate,
    /// Load the demo dataset into an empty database.
    Demo,
    /// Manage logins.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Import records from a file.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Find likely duplicate members and record them for review.
    #[command(subcommand)]
    Dedupe(DedupeCommand),
    /// Write a consistent copy of the whole database to FILE, also while serving
    /// (SQLite: a database file; PostgreSQL: pg_dump's custom format).
    Backup {
        /// The new backup file (refused if it exists).
        file: std::path::PathBuf,
    },
    /// Restore a backup into a blank database: a SQLite path that does not exist yet,
    /// or an empty PostgreSQL database.
    Restore {
        /// A file written by `muster backup`.
        file: std::path::PathBuf,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Members from a CSV or XLSX file (columns by header name; see the README).
    Members(ImportArgs),
}

#[derive(Args)]
struct ImportArgs {
    /// The file: CSV (UTF-8 or UTF-16) or XLSX.
    file: std::path::PathBuf,
    /// The calendar of the file's dates: gregorian, persian or indian.
    #[arg(long, default_value = "gregorian")]
    calendar: String,
    /// The order of day, month and year in dates whose year is not first: dmy or mdy.
    #[arg(long, default_value = "ymd")]
    date_order: String,
    /// Check every row and report, without writing anything.
    #[arg(long)]
    dry_run: bool,
    /// Only units in this unit's subtree may be named.
    #[arg(long)]
    unit: Option<String>,
    /// Write every rejected or flagged row to this CSV file.
    #[arg(long)]
    errors: Option<std::path::PathBuf>,
    /// Rows per transaction.
    #[arg(long, default_value_t = 50_000)]
    batch_rows: usize,
    /// Skip looking for likely duplicates of the new rows.
    #[arg(long)]
    skip_duplicate_check: bool,
    /// Load in bulk: drop the indexes the rows go into and build them again at the end
    /// (auto: for a file of 100,000 rows or more, twice the people already stored).
    #[arg(long, default_value = "auto", value_parser = ["auto", "yes", "no"])]
    bulk: String,
}

#[derive(Subcommand)]
enum DedupeCommand {
    /// Scan a subtree (the whole instance by default).
    Scan {
        #[arg(long)]
        unit: Option<String>,
    },
}

#[derive(Args)]
struct ServeArgs {
    /// Load the demo dataset first when the database is empty.
    #[arg(long)]
    demo: bool,
    /// Address to listen on.
    #[arg(long, env = "MUSTER_LISTEN", default_value = "127.0.0.1:8080")]
    listen: String,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a login attached to a unit.
    Add {
        #[arg(long)]
        username: String,
        /// The unit whose subtree the user may see and change.
        #[arg(long)]
        unit: String,
        /// admin, officer, organizer, case_worker or viewer.
        #[arg(long)]
        role: String,
        /// Read the password from standard input (first line).
        #[arg(long, required = true)]
        password_stdin: bool,
        /// en, vi, fa or hi.
        #[arg(long)]
        locale: Option<String>,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create a bearer token for a user and print it (and nothing else).
    Create {
        #[arg(long)]
        username: String,
    },
}

#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error("{0}")]
    App(#[from] AppError),
    #[error("{0}")]
    Store(#[from] muster_store::StoreError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Usage(String),
}

/// Plain words for the field error codes the command line meets.
fn describe(code: &str) -> &str {
    match code {
        "unknown_unit" => "no unit has this code",
        "invalid_username" => "use 3 to 64 letters, digits, '.', '_' or '-'",
        "invalid_role" => "use admin, officer, organizer, case_worker or viewer",
        "role_above_own" => "only an admin can create an admin",
        "too_short" => "at least 8 characters",
        "invalid_locale" => "use en, vi, fa or hi",
        "required" => "required",
        "invalid_date" => "not a date in the file's calendar and order",
        "in_future" => "a date in the future",
        "invalid_gender" => "use female, male or other",
        "invalid_phone" => "not a phone number",
        "invalid_email" => "not an e-mail address",
        "invalid_status" => "not a membership status",
        "invalid_employment_type" => "use formal or informal",
        "invalid_informal_category" => "not an informal-work category",
        "unknown_workplace" => "no workplace has this code",
        "repeated_in_file" => "the same person is on an earlier row of this file",
        "member_number_taken" => "this member number belongs to someone else",
        "likely_duplicate" => "may be a person already registered",
        "unreadable_row" => "the row cannot be read",
        "transition_not_allowed" => "this status change is not allowed",
        "person_not_current" => "the person named has no current membership",
        "person_outside_scope" => "the person named is outside your units",
        "other_tree" => "the unit is in another organization",
        "too_long" => "too long",
        other => other,
    }
}

/// A one-line explanation of an application error for the terminal.
fn explain(e: &AppError) -> String {
    match e {
        AppError::Invalid(fields) => fields
            .iter()
            .map(|(f, c)| format!("{f}: {}", describe(c)))
            .collect::<Vec<_>>()
            .join("; "),
        AppError::Conflict { field, .. } => format!("{field}: already taken"),
        AppError::BadFile { code, row, names } => {
            let what = match *code {
                "not_utf8" => "the file is not UTF-8 text: save it as \"CSV UTF-8\"",
                "missing_columns" => "required columns are missing",
                "repeated_columns" => "two columns hold the same field",
                "empty_file" => "the file is empty",
                "unreadable_spreadsheet" => "the spreadsheet cannot be read",
                other => other,
            };
            let at = row.map(|r| format!(" (row {r})")).unwrap_or_default();
            let names = if names.is_empty() {
                String::new()
            } else {
                format!(": {}", names.join(", "))
            };
            format!("{what}{at}{names}")
        }
        other => other.to_string(),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("MUSTER_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let text = match &e {
                CliError::App(a) => explain(a),
                other => other.to_string(),
            };
            eprintln!("error: {text}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), CliError> {
    if let Command::Restore { file } = &cli.command {
        muster_store::backup::restore(&cli.database, file).await?;
        // Brought up to this program's schema, as every start does.
        Db::open(&cli.database).await?.close().await;
        eprintln!(
            "restored {} into {}",
            file.display(),
            muster_store::redact_url(&cli.database)
        );
        return Ok(());
    }
    let db = Db::open(&cli.database).await?;
    let system = System::new(db);
    let app = system.app().clone();
    let filled = system.fill_sort_keys().await?;
    if filled > 0 {
        eprintln!("{filled} names given their sort keys");
    }
    if system.count_tallies(false).await? {
        eprintln!("unit tallies counted");
    }
    match cli.command {
        Command::Migrate => {
            eprintln!("database is up to date");
        }
        Command::Demo => {
            if !demo::is_empty(&system).await? {
                return Err(CliError::Usage(
                    "the database already holds units; the demo loads only into an empty one"
                        .into(),
                ));
            }
            load_demo(&system).await?;
        }
        Command::Serve(args) => {
            if args.demo && demo::is_empty(&system).await? {
                load_demo(&system).await?;
            }
            let listener = TcpListener::bind(&args.listen)
                .await
                .map_err(|e| CliError::Usage(format!("cannot listen on {}: {e}", args.listen)))?;
            let addr = listener.local_addr()?;
            // A server started with its output closed (a service manager, `| head`) runs
            // on: what it tells a person at start is not worth dying for.
            say(&format!("Muster is running at http://{addr}/"));
            say(&format!("API document: http://{addr}/api/v1/openapi.json"));
            if args.demo {
                print_demo_logins();
            }
            muster_web::serve(listener, app, shutdown_signal()).await?;
        }
        Command::User(UserCommand::Add {
            username,
            unit,
            role,
            password_stdin: _,
            locale,
        }) => {
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password)?;
            let password = password.lines().next().unwrap_or("").to_string();
            app.add_user(
                &system.actor(),
                NewLogin {
                    unit_code: Some(&unit),
                    username: &username,
                    role: &role,
                    password: &password,
                    locale: locale.as_deref(),
                },
            )
            .await?;
            eprintln!("user {username} created");
        }
        Command::Import(ImportCommand::Members(args)) => import_members(&system, args).await?,
        Command::Dedupe(DedupeCommand::Scan { unit }) => {
            let actor = actor_for(&system, unit.as_deref()).await?;
            let started = std::time::Instant::now();
            let r = app.scan_duplicates(&actor).await?;
            eprintln!(
                "{} members compared ({} candidate pairs): {} likely duplicate pairs to review, in {:.1} s",
                r.people,
                r.candidate_pairs,
                r.likely_pairs,
                started.elapsed().as_secs_f64()
            );
        }
        Command::Backup { file } => {
            system.db().backup(&cli.database, &file).await?;
            eprintln!("backup written to {}", file.display());
        }
        // Restored above, before the database was opened.
        Command::Restore { .. } => {}
        Command::Token(TokenCommand::Create { username }) => {
            let token = system.create_token(&username).await.map_err(|e| match e {
                AppError::NotFound(_) => CliError::Usage(format!("no user named {username}")),
                other => other.into(),
            })?;
            println!("{token}");
        }
    }
    Ok(())
}

/// The system acting within one unit's subtree, or over the whole instance.
async fn actor_for(system: &System, unit: Option<&str>) -> Result<Actor, CliError> {
    match unit {
        None => Ok(system.actor()),
        Some(code) => system
            .actor_in(code)
            .await
            .map_err(|_| CliError::Usage(format!("no unit has the code {code}"))),
    }
}

async fn import_members(system: &System, args: ImportArgs) -> Result<(), CliError> {
    let app = system.app();
    use muster_app::import::ImportOptions;
    use muster_domain::calendar::{Calendar, DateOrder};
    let calendar = Calendar::parse(&args.calendar)
        .map_err(|_| CliError::Usage("--calendar: use gregorian, persian or indian".into()))?;
    let date_order = DateOrder::parse(&args.date_order)
        .map_err(|_| CliError::Usage("--date-order: use ymd, dmy or mdy".into()))?;
    let actor = actor_for(system, args.unit.as_deref()).await?;
    let bytes = std::fs::read(&args.file)
        .map_err(|e| CliError::Usage(format!("cannot read {}: {e}", args.file.display())))?;
    let name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let options = ImportOptions {
        calendar,
        date_order,
        dry_run: args.dry_run,
        mapping: None,
        batch_rows: args.batch_rows.max(1),
        check_duplicates: !args.skip_duplicate_check,
        aliases: muster_web::header_aliases().to_vec(),
        bulk: match args.bulk.as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        },
    };
    let started = std::time::Instant::now();
    let run = app.start_import(&actor, &name, bytes, options).await?;
    if !run.ignored_columns.is_empty() {
        eprintln!("ignored columns: {}", run.ignored_columns.join(", "));
    }
    if run.resume_after > 0 {
        eprintln!(
            "resuming import #{} after row {} (an earlier run of this file stopped there)",
            run.import_id, run.resume_after
        );
    }
    let mut bar = |p: muster_app::import::Progress| {
        if p.indexing {
            eprint!(
                "\r[{}] building indexes  {:.1} s ",
                "#".repeat(30),
                started.elapsed().as_secs_f64()
            );
            return;
        }
        let share = if p.total > 0 {
            p.done as f64 / p.total as f64
        } else {
            1.0
        };
        let filled = (share * 30.0).round() as usize;
        eprint!(
            "\r[{}{}] {:>3}% {}/{} rows  {:.1} s ",
            "#".repeat(filled.min(30)),
            " ".repeat(30 - filled.min(30)),
            (share * 100.0).round() as i64,
            p.done,
            p.total,
            started.elapsed().as_secs_f64()
        );
    };
    let report = app.run_import(run, &mut bar).await?;
    eprintln!();
    let c = report.import.counts;
    let verb = if args.dry_run { "would be " } else { "" };
    eprintln!(
        "import #{}: {} rows in {:.1} s: {} {verb}created, {} {verb}updated, {} unchanged, {} rejected, {} likely duplicates",
        report.import.id,
        report.import.done_rows - 1,
        started.elapsed().as_secs_f64(),
        c.created,
        c.updated,
        c.unchanged,
        c.rejected,
        c.duplicates
    );
    for p in report.problems.iter().take(20) {
        eprintln!(
            "  row {}, {}: {}{}",
            p.row,
            if p.column.is_empty() { "-" } else { &p.column },
            describe(&p.reason),
            p.detail
                .as_deref()
                .filter(|d| !d.is_empty())
                .map(|d| format!(" ({d})"))
                .unwrap_or_default()
        );
    }
    if report.problems.len() > 20 {
        eprintln!("  ... and more: see --errors");
    }
    if let Some(path) = args.errors {
        let mut out = String::from("row,column,reason,message,value\n");
        for p in &report.problems {
            let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
            out.push_str(&format!(
                "{},{},{},{},{}\n",
                p.row,
                q(&p.column),
                q(&p.reason),
                q(describe(&p.reason)),
                q(p.detail.as_deref().unwrap_or(""))
            ));
        }
        std::fs::write(&path, out)?;
        eprintln!("rejected and flagged rows written to {}", path.display());
    }
    Ok(())
}

async fn load_demo(system: &System) -> Result<(), CliError> {
    eprintln!("loading the demo dataset (three organizations, about 4,000 members)...");
    demo::load(system, Date::today()).await?;
    eprintln!("demo dataset loaded");
    Ok(())
}

fn print_demo_logins() {
    say(&format!("Demo logins (password: {DEMO_PASSWORD}):"));
    for (username, unit, role, lang) in DEMO_LOGINS {
        let scope = unit.unwrap_or("whole instance");
        say(&format!("  {username:<14} {role:<10} {scope:<16} {lang}"));
    }
}

/// A line on standard output, if anyone still reads it.
fn say(line: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}").and_then(|()| out.flush());
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
