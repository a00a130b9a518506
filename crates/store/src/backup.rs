//! Backups while serving, and restoring one into an empty database: SQLite's
//! `VACUUM INTO` (one consistent snapshot, taken under a read transaction, so writers
//! go on), and PostgreSQL's own `pg_dump` and `pg_restore` (custom format).

use crate::db::{Backend, Db};
use crate::error::StoreError;
use std::path::{Path, PathBuf};

/// A PostgreSQL client tool: on the `PATH`, else in the newest server's `bin`.
fn pg_tool(name: &str) -> PathBuf {
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join(name))
        .find(|p| p.is_file());
    if let Some(p) = on_path {
        return p;
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin").join(name))
        .filter(|p| p.is_file())
        .collect();
    found.sort();
    found.pop().unwrap_or_else(|| PathBuf::from(name))
}

/// A database URL without its password, and the password: the tool gets the one on its
/// command line (which any local user can list) and the other in its environment.
fn split_password(url: &str) -> (String, Option<String>) {
    let (Some(s), Some(at)) = (url.find("://"), url.rfind('@')) else {
        return (url.to_string(), None);
    };
    if at < s {
        return (url.to_string(), None);
    }
    match url[s + 3..at].split_once(':') {
        Some((user, password)) => (
            format!("{}{user}{}", &url[..s + 3], &url[at..]),
            Some(password.to_string()),
        ),
        None => (url.to_string(), None),
    }
}

async fn run_tool(name: &str, args: &[&std::ffi::OsStr], url: &str) -> Result<(), StoreError> {
    let (url, password) = split_password(url);
    let mut command = tokio::process::Command::new(pg_tool(name));
    command.args(args).arg(url);
    if let Some(p) = password {
        command.env("PGPASSWORD", p);
    }
    let out = command
        .output()
        .await
        .map_err(|e| StoreError::Backup(format!("cannot run {name}: {e}")))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(StoreError::Backup(format!(
            "{name} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )))
    }
}

impl Db {
    /// Writes a consistent copy of the whole database to `file`, which must not exist.
    /// `url` is the database's own address (for PostgreSQL's `pg_dump`).
    pub async fn backup(&self, url: &str, file: &Path) -> Result<(), StoreError> {
        if file.exists() {
            return Err(StoreError::Backup(format!(
                "{} exists already; name a new file",
                file.display()
            )));
        }
        match self.backend() {
            Backend::Sqlite => {
                let path = file
                    .to_str()
                    .ok_or_else(|| StoreError::Backup("the file name is not UTF-8".into()))?;
                // A string literal of SQL: quotes doubled, nothing else to escape.
                let sql = format!("VACUUM INTO '{}'", path.replace('\'', "''"));
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .execute(self.pool())
                    .await?;
                Ok(())
            }
            Backend::Postgres => {
                run_tool(
                    "pg_dump",
                    &[
                        "--format=custom".as_ref(),
                        "--no-owner".as_ref(),
                        "--file".as_ref(),
                        file.as_os_str(),
                    ],
                    url,
                )
                .await
            }
        }
    }

    /// Whether the database holds no tables of Muster's yet (restoring needs one such).
    pub async fn is_blank(&self) -> Result<bool, StoreError> {
        let sql = match self.backend() {
            Backend::Sqlite => {
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
            }
            Backend::Postgres => {
                "SELECT COUNT(*) FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_name = 'schema_migrations'"
            }
        };
        let n: i64 = sqlx::query_scalar(sql).fetch_one(self.pool()).await?;
        Ok(n == 0)
    }
}

/// Restores `file`, a backup made by [`Db::backup`], into the database at `url`, which
/// must be blank (a SQLite path that does not exist yet, or an empty PostgreSQL
/// database), so a restore never mixes two registries.
pub async fn restore(url: &str, file: &Path) -> Result<(), StoreError> {
    if !file.is_file() {
        return Err(StoreError::Backup(format!(
            "no backup at {}",
            file.display()
        )));
    }
    let (resolved, backend) = crate::db::resolve_url(url)?;
    match backend {
        Backend::Sqlite => {
            let target = resolved.strip_prefix("sqlite://").unwrap_or(&resolved);
            let target = target.split('?').next().unwrap_or(target);
            if Path::new(target).exists() {
                return Err(StoreError::Backup(format!(
                    "{target} exists already: restore into a new file"
                )));
            }
            std::fs::copy(file, target)
                .map_err(|e| StoreError::Backup(format!("cannot write {target}: {e}")))?;
            // A copy that is no Muster database is removed rather than left half-used.
            let checked = async {
                let db = Db::connect(target).await?;
                let blank = db.is_blank().await?;
                db.close().await;
                Ok::<bool, StoreError>(blank)
            }
            .await;
            if !matches!(checked, Ok(false)) {
                let _ = std::fs::remove_file(target);
                return Err(StoreError::Backup(format!(
                    "{} is not a backup of Muster",
                    file.display()
                )));
            }
            Ok(())
        }
        Backend::Postgres => {
            let db = Db::connect(url).await?;
            let blank = db.is_blank().await?;
            db.close().await;
            if !blank {
                return Err(StoreError::Backup(
                    "the database holds a registry already: restore into an empty one".into(),
                ));
            }
            run_tool(
                "pg_restore",
                &[
                    "--no-owner".as_ref(),
                    "--exit-on-error".as_ref(),
                    // All or nothing: a restore that fails leaves the database blank.
                    "--single-transaction".as_ref(),
                    file.as_os_str(),
                    "--dbname".as_ref(),
                ],
                url,
            )
            .await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::split_password;

    #[test]
    fn the_password_leaves_the_command_line() {
        assert_eq!(
            split_password("postgres://muster:s3cret@db.example:5432/muster"),
            (
                "postgres://muster@db.example:5432/muster".to_string(),
                Some("s3cret".to_string())
            )
        );
        assert_eq!(
            split_password("postgres://postgres@127.0.0.1:5432/t"),
            ("postgres://postgres@127.0.0.1:5432/t".to_string(), None)
        );
    }
}
