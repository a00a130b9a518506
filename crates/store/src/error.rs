use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    /// A unique constraint refused the write; carries the constraint's name.
    #[error("unique constraint {0} violated")]
    Conflict(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("the database at {0} does not exist and its directory is missing")]
    MissingDirectory(String),
    #[error("unsupported database URL (use a file path, sqlite://PATH or postgres://...): {0}")]
    BadUrl(String),
    #[error("the database schema is version {found}, newer than this program knows ({known})")]
    SchemaTooNew { found: i64, known: i64 },
    #[error("internal error: {0}")]
    Internal(String),
    /// A backup or a restore could not be made; says why.
    #[error("{0}")]
    Backup(String),
}

impl StoreError {
    /// Turns a unique violation into `Conflict` so callers can name the field.
    pub(crate) fn from_sqlx(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            if db.is_unique_violation() {
                let name = db
                    .constraint()
                    .map(str::to_string)
                    .unwrap_or_else(|| db.message().to_string());
                return StoreError::Conflict(name);
            }
        }
        StoreError::Database(e)
    }
}

pub(crate) trait ResultExt<T> {
    fn store(self) -> Result<T, StoreError>;
}

impl<T> ResultExt<T> for Result<T, sqlx::Error> {
    fn store(self) -> Result<T, StoreError> {
        self.map_err(StoreError::from_sqlx)
    }
}
