//! Benchmarks of Muster with their data generators. Not tests: they print figures.
//!
//! ```text
//! muster-bench gen-members --database bench/data/members-1m.db --members 1000000
//! muster-bench search --database bench/data/members-1m.db --requests 3000
//! muster-bench gen-province --database bench/data/province-10m.db --members 10000000 --units 30000
//! muster-bench drive-progress --database bench/data/province-10m.db --requests 2000
//! muster-bench gen-workplaces --database bench/data/province-10m.db --workplaces 100000
//! muster-bench priority --database bench/data/province-10m.db --requests 1200
//! muster-bench gen-governance --database bench/data/governance.db --units 30000 --months 60
//! muster-bench governance --database bench/data/governance.db --requests 1200
//! ```
#![forbid(unsafe_code)]

mod bulk;
mod cases;
mod dedupe;
mod drive;
mod events;
mod generate;
mod governance;
mod http;
mod mapping;
mod people;
mod schemes;
mod search;

use clap::{Parser, Subcommand};

/// glibc's malloc and free were a fifth of an import's profile; mimalloc's are cheaper.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "muster-bench",
    about = "Muster benchmarks and their data generators"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a registry of multilingual members (Vietnamese, Persian, Hindi) in
    /// three trees of districts and grassroots units.
    GenMembers {
        #[arg(long, default_value = "bench/data/members-1m.db")]
        database: String,
        #[arg(long, default_value_t = 1_000_000)]
        members: usize,
        /// Grassroots units per district.
        #[arg(long, default_value_t = 50)]
        units_per_district: usize,
    },
    /// Generate one province of members in tens of thousands of units, with an
    /// organizing drive whose targets are split two levels down.
    GenProvince {
        #[arg(long, default_value = "bench/data/province-10m.db")]
        database: String,
        #[arg(long, default_value_t = 10_000_000)]
        members: i64,
        #[arg(long, default_value_t = 30_000)]
        units: usize,
    },
    /// Time the drive dashboard's progress query at units of every level.
    DriveProgress {
        #[arg(long, default_value = "bench/data/province-10m.db")]
        database: String,
        #[arg(long, default_value_t = 2000)]
        requests: usize,
    },
    /// Add workplaces to a province made by `gen-province`, place six members in ten
    /// at one, and count each workplace's members.
    GenWorkplaces {
        #[arg(long, default_value = "bench/data/province-10m.db")]
        database: String,
        #[arg(long, default_value_t = 100_000)]
        workplaces: i64,
    },
    /// Time the priority list of workplaces to organize.
    Priority {
        #[arg(long, default_value = "bench/data/province-10m.db")]
        database: String,
        #[arg(long, default_value_t = 1200)]
        requests: usize,
    },
    /// Generate a province whose committees met monthly: a meeting per unit and month,
    /// decisions, and the action items they send down the tree.
    GenGovernance {
        #[arg(long, default_value = "bench/data/governance.db")]
        database: String,
        #[arg(long, default_value_t = 30_000)]
        units: usize,
        #[arg(long, default_value_t = 60)]
        months: i64,
    },
    /// Time the overdue lists, a decision's completion and the governance roll-up.
    Governance {
        #[arg(long, default_value = "bench/data/governance.db")]
        database: String,
        #[arg(long, default_value_t = 1200)]
        requests: usize,
    },
    /// Generate a province whose units held many events with their participants and
    /// check-ins.
    GenEvents {
        #[arg(long, default_value = "bench/data/events.db")]
        database: String,
        #[arg(long, default_value_t = 30_000)]
        units: usize,
        #[arg(long, default_value_t = 100_000)]
        events: i64,
        #[arg(long, default_value_t = 100)]
        people: i64,
    },
    /// Time recording check-ins at a province desk, one desk and many at once.
    Checkin {
        #[arg(long, default_value = "bench/data/events.db")]
        database: String,
        #[arg(long, default_value_t = 2000)]
        people: usize,
        #[arg(long, default_value_t = 32)]
        desks: usize,
        /// For the paced phase: about how long a desk takes per person, in ms.
        #[arg(long, default_value_t = 2000)]
        pace_ms: u64,
    },
    /// Time the check-in desk's name lookup on the members of `gen-members`.
    DeskLookup {
        #[arg(long, default_value = "bench/data/members-1m.db")]
        database: String,
        #[arg(long, default_value_t = 2000)]
        requests: usize,
    },
    /// A province whose desks kept many cases (see `bench/README.md`).
    GenCases {
        #[arg(long, default_value = "bench/data/cases.db")]
        database: String,
        #[arg(long, default_value_t = 30_000)]
        units: usize,
        #[arg(long, default_value_t = 1_000_000)]
        cases: i64,
        #[arg(long, default_value_t = 10)]
        activities: i64,
    },
    /// Time a desk's queue, a case worker's list and the case roll-ups.
    Cases {
        #[arg(long, default_value = "bench/data/cases.db")]
        database: String,
        #[arg(long, default_value_t = 800)]
        requests: usize,
    },
    /// Give a `gen-province` province birth dates, ten schemes and their enrollments.
    GenSchemes {
        #[arg(long, default_value = "bench/data/schemes.db")]
        database: String,
    },
    /// Time schemes' worklists of a district and roll-ups of the province and a district.
    Schemes {
        #[arg(long, default_value = "bench/data/schemes.db")]
        database: String,
        #[arg(long, default_value_t = 300)]
        requests: usize,
    },
    /// Time a program's dashboard for the province, its districts and units below.
    ProgramDashboard {
        #[arg(long, default_value = "bench/data/events.db")]
        database: String,
        #[arg(long, default_value_t = 600)]
        requests: usize,
    },
    /// Measure duplicate detection on a labelled CSV (`cluster` is the ground truth).
    Dedupe {
        #[arg(long, default_value = "../shared/data/dedupe/historical_50k.csv")]
        file: String,
        /// Scores at or above which two records are linked.
        #[arg(long, value_delimiter = ',', default_value = "6.5,7,7.5")]
        thresholds: Vec<f64>,
    },
    /// Write a CSV of multilingual members in the import's format, with duplicates.
    GenPeople {
        #[arg(long, default_value = "bench/data/people-100k.csv")]
        file: String,
        #[arg(long, default_value_t = 100_000)]
        rows: usize,
        #[arg(long, default_value_t = 10)]
        duplicate_percent: u64,
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Precision, recall and F1 of duplicate detection on a `gen-people` file.
    PeopleQuality {
        #[arg(long, default_value = "bench/data/people-100k.csv")]
        file: String,
    },
    /// Time `muster import members` of a file into a database (SQLite path or URL).
    Import {
        #[arg(long)]
        database: String,
        #[arg(long)]
        file: String,
        /// Also look for likely duplicates of every new row.
        #[arg(long)]
        check_duplicates: bool,
    },
    /// Time `sqlite3 .import` of a file into a bare table.
    ImportFloor {
        #[arg(long)]
        file: String,
    },
    /// Time copying the rows an import made (people, memberships, search keys) into a
    /// fresh file (on PostgreSQL: fresh tables) with the same columns, then building
    /// their indexes: what the schema costs the database alone, before any row is read
    /// or checked.
    SchemaFloor {
        /// A database `import` filled.
        #[arg(long)]
        database: String,
    },
    /// Time the duplicate scan of every member of a database.
    Scan {
        #[arg(long)]
        database: String,
    },
    /// Time the duplicate check of one registrant against a database.
    Check {
        #[arg(long)]
        database: String,
        #[arg(long)]
        file: String,
        #[arg(long, default_value_t = 2000)]
        requests: usize,
    },
    /// Measure `GET /api/v1/members?q=...` over real HTTP on loopback.
    Search {
        #[arg(long, default_value = "bench/data/members-1m.db")]
        database: String,
        #[arg(long, default_value_t = 3000)]
        requests: usize,
    },
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("MUSTER_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::GenMembers {
            database,
            members,
            units_per_district,
        } => generate::run(&database, members, units_per_district).await,
        Command::Search { database, requests } => search::run(&database, requests).await,
        Command::GenProvince {
            database,
            members,
            units,
        } => drive::generate(&database, members, units).await,
        Command::DriveProgress { database, requests } => drive::progress(&database, requests).await,
        Command::GenWorkplaces {
            database,
            workplaces,
        } => mapping::generate(&database, workplaces).await,
        Command::Priority { database, requests } => mapping::priority(&database, requests).await,
        Command::GenGovernance {
            database,
            units,
            months,
        } => governance::generate(&database, units, months).await,
        Command::Governance { database, requests } => {
            governance::measure(&database, requests).await
        }
        Command::GenEvents {
            database,
            units,
            events,
            people,
        } => events::generate(&database, units, events, people).await,
        Command::Checkin {
            database,
            people,
            desks,
            pace_ms,
        } => events::checkin(&database, people, desks, pace_ms).await,
        Command::DeskLookup { database, requests } => search::desk(&database, requests).await,
        Command::GenCases {
            database,
            units,
            cases,
            activities,
        } => cases::generate(&database, units, cases, activities).await,
        Command::Cases { database, requests } => cases::run(&database, requests).await,
        Command::GenSchemes { database } => schemes::generate(&database).await,
        Command::Schemes { database, requests } => schemes::run(&database, requests).await,
        Command::ProgramDashboard { database, requests } => {
            events::dashboard(&database, requests).await
        }
        Command::Dedupe { file, thresholds } => dedupe::run(&file, &thresholds),
        Command::GenPeople {
            file,
            rows,
            duplicate_percent,
            seed,
        } => people::generate(&file, rows, duplicate_percent, seed),
        Command::PeopleQuality { file } => people::quality(&file),
        Command::Import {
            database,
            file,
            check_duplicates,
        } => bulk::import(&database, &file, check_duplicates).await,
        Command::ImportFloor { file } => bulk::floor(&file),
        Command::SchemaFloor { database } => bulk::schema_floor(&database).await,
        Command::Scan { database } => bulk::scan(&database).await,
        Command::Check {
            database,
            file,
            requests,
        } => bulk::check(&database, &file, requests).await,
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
