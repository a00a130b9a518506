//! `muster`: run the server, migrate, load the demo, manage users and tokens.
#![forbid(unsafe_code)]

use clap::{Args, Parser, Subcommand};
use muster_app::demo::{self, DEMO_LOGINS, DEMO_PASSWORD};
use muster_app::users::NewLogin;
use muster_app::{Actor, App, AppError, Db};
use muster_domain::Date;
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
    let db = Db::open(&cli.database).await?;
    let app = App::new(db);
    let filled = app.fill_sort_keys().await?;
    if filled > 0 {
        eprintln!("{filled} names given their sort keys");
    }
    match cli.command {
        Command::Migrate => {
            eprintln!("database is up to date");
        }
        Command::Demo => {
            if !demo::is_empty(&app).await? {
                return Err(CliError::Usage(
                    "the database already holds units; the demo loads only into an empty one"
                        .into(),
                ));
            }
            load_demo(&app).await?;
        }
        Command::Serve(args) => {
            if args.demo && demo::is_empty(&app).await? {
                load_demo(&app).await?;
            }
            let listener = TcpListener::bind(&args.listen)
                .await
                .map_err(|e| CliError::Usage(format!("cannot listen on {}: {e}", args.listen)))?;
            let addr = listener.local_addr()?;
            println!("Muster is running at http://{addr}/");
            println!("API document: http://{addr}/api/v1/openapi.json");
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
                &Actor::system(),
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
        Command::Token(TokenCommand::Create { username }) => {
            let token = app.create_token(&username).await.map_err(|e| match e {
                AppError::NotFound(_) => CliError::Usage(format!("no user named {username}")),
                other => other.into(),
            })?;
            println!("{token}");
        }
    }
    Ok(())
}

async fn load_demo(app: &App) -> Result<(), CliError> {
    eprintln!("loading the demo dataset (three organizations, about 4,000 members)...");
    demo::load(app, Date::today()).await?;
    eprintln!("demo dataset loaded");
    Ok(())
}

fn print_demo_logins() {
    println!("Demo logins (password: {DEMO_PASSWORD}):");
    for (username, unit, role, lang) in DEMO_LOGINS {
        let scope = unit.unwrap_or("whole instance");
        println!("  {username:<14} {role:<10} {scope:<16} {lang}");
    }
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
