use crate::error::{ResultExt, StoreError};
use crate::{bulk, migrate};
use sqlx::any::{AnyPoolOptions, AnyQueryResult};
use sqlx::{Any, AnyPool, Executor, Transaction};
use std::path::Path;
use std::time::Duration;

pub type Tx = Transaction<'static, Any>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A pool on one of the two backends, picked by the URL's scheme.
#[derive(Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
}

impl std::fmt::Debug for Db {
    // The URL may hold a password: it is never kept, so never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("backend", &self.backend)
            .finish()
    }
}

/// Turns what a user typed (`muster.db`, `sqlite://x.db`, `postgres://...`) into a URL
/// and its backend. A bare path whose directory does not exist is refused rather than
/// created somewhere unexpected.
pub fn resolve_url(input: &str) -> Result<(String, Backend), StoreError> {
    let input = input.trim();
    if input.starts_with("postgres://") || input.starts_with("postgresql://") {
        return Ok((input.to_string(), Backend::Postgres));
    }
    let path = if let Some(rest) = input.strip_prefix("sqlite://") {
        rest
    } else if let Some(rest) = input.strip_prefix("sqlite:") {
        rest
    } else if input.contains("://") || input.is_empty() {
        return Err(StoreError::BadUrl(redact(input)));
    } else {
        input
    };
    let path = path.split('?').next().unwrap_or(path);
    if path.is_empty() {
        return Err(StoreError::BadUrl(redact(input)));
    }
    let parent = Path::new(path)
        .parent()
        .filter(|p| !p.as_os_str().is_empty());
    if let Some(dir) = parent {
        if !dir.is_dir() {
            return Err(StoreError::MissingDirectory(path.to_string()));
        }
    }
    Ok((format!("sqlite://{path}?mode=rwc"), Backend::Sqlite))
}

/// A URL with any password replaced, fit for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

impl Db {
    /// Connects without touching the schema.
    pub async fn connect(input: &str) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let (url, backend) = resolve_url(input)?;
        let options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(30));
        let pool = match backend {
            Backend::Sqlite => {
                options
                    // Measured on 2 cores with a million members: 4 connections with the
                    // file memory-mapped serve both a quick search tail and page
                    // throughput; 8 mapped connections halved the throughput.
                    .max_connections(4)
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            conn.execute(
                                "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; \
                                 PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; \
                                 PRAGMA mmap_size = 4294967296; PRAGMA temp_store = MEMORY;",
                            )
                            .await?;
                            Ok(())
                        })
                    })
                    .connect(&url)
                    .await?
            }
            Backend::Postgres => options.max_connections(16).connect(&url).await?,
        };
        if backend == Backend::Sqlite {
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await?;
        }
        Ok(Self { pool, backend })
    }

    /// Connects and brings the schema up to date.
    pub async fn open(input: &str) -> Result<Self, StoreError> {
        let db = Self::connect(input).await?;
        db.migrate().await?;
        // A bulk load cut short left indexes to build again.
        if db.finish_bulk().await? {
            tracing::info!("indexes dropped by an unfinished bulk load were built again");
        }
        Ok(db)
    }

    /// Applies the migrations not yet applied; returns how many ran.
    pub async fn migrate(&self) -> Result<usize, StoreError> {
        migrate::run(self, migrate::LATEST).await
    }

    /// Applies the migrations up to `version` only: how an older release left it.
    pub async fn migrate_up_to(&self, version: i64) -> Result<usize, StoreError> {
        migrate::run(self, version).await
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Opens a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so two writers wait for each other instead of failing
    /// half-way when one upgrades its read lock.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await.store(),
            Backend::Postgres => self.pool.begin().await.store(),
        }
    }

    /// A connection of its own for a long bulk write (an import), taken out of the
    /// pool for good so that its settings never reach other work: on SQLite with a page
    /// cache large enough to hold a batch's changed pages, and without checking foreign
    /// keys row by row (an import writes only ids it has just looked up or taken).
    /// Dropping it closes it.
    pub async fn bulk(&self) -> Result<sqlx::AnyConnection, StoreError> {
        let mut conn = self.pool.acquire().await.store()?.detach();
        if self.backend == Backend::Sqlite {
            sqlx::query("PRAGMA foreign_keys = OFF; PRAGMA cache_size = -1048576")
                .execute(&mut conn)
                .await
                .store()?;
        }
        Ok(conn)
    }

    /// Ends what a bulk load left (see `bulk`): adds its counts, then makes each index and
    /// key again, each in its own transaction so that a crash keeps what is
    /// done. Returns whether there was anything to do. Called at a load's end and by
    /// `open`, after a load cut short.
    pub async fn finish_bulk(&self) -> Result<bool, StoreError> {
        // Every start asks; only a load left unfinished opens a connection of its own.
        if !bulk::pending(&mut *self.read().await?).await? {
            return Ok(false);
        }
        let mut conn = self.bulk().await?;
        let setting = match self.backend {
            // Sorting for an index may use a second thread.
            Backend::Sqlite => "PRAGMA threads = 2",
            Backend::Postgres => "SET maintenance_work_mem = '512MB'",
        };
        sqlx::query(setting).execute(&mut conn).await.store()?;
        let started = std::time::Instant::now();
        let mut tx = self.begin_on(&mut conn).await?;
        bulk::add_staged_counts(&mut tx).await?;
        tx.commit().await.store()?;
        tracing::debug!(
            ms = started.elapsed().as_millis() as u64,
            "bulk load: counts added"
        );
        let started = std::time::Instant::now();
        for d in bulk::deferred(&mut conn).await? {
            let mut tx = self.begin_on(&mut conn).await?;
            bulk::restore(&mut tx, &d).await?;
            tx.commit().await.store()?;
            if d.is_foreign_key() {
                if let Err(e) = bulk::validate(&mut conn, &d).await {
                    tracing::warn!(constraint = %d.name, error = %e, "rows break a foreign key restored after a bulk load");
                }
            }
        }
        tracing::debug!(
            ms = started.elapsed().as_millis() as u64,
            "bulk load: indexes and keys made again"
        );
        Ok(true)
    }

    /// Opens a write transaction on the connection of `bulk`.
    pub async fn begin_on<'c>(
        &self,
        conn: &'c mut sqlx::AnyConnection,
    ) -> Result<Transaction<'c, Any>, StoreError> {
        use sqlx::Connection;
        match self.backend {
            Backend::Sqlite => conn.begin_with("BEGIN IMMEDIATE").await.store(),
            Backend::Postgres => conn.begin().await.store(),
        }
    }

    /// A connection for reads.
    pub async fn read(&self) -> Result<sqlx::pool::PoolConnection<Any>, StoreError> {
        self.pool.acquire().await.store()
    }

    pub async fn execute(&self, sql: &'static str) -> Result<AnyQueryResult, StoreError> {
        sqlx::query(sql).execute(&self.pool).await.store()
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}
