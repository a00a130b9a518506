//! Files made by jobs (a large export), kept until they expire.

use crate::error::ResultExt;
use crate::{Conn, StoreError};

/// A file a job made.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JobFile {
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Keeps the file job `job_id` made until `expires_at`, dropping files already expired.
pub async fn put(
    conn: &mut Conn,
    job_id: i64,
    file: &JobFile,
    expires_at: &str,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM job_files WHERE expires_at < $1")
        .bind(now)
        .execute(&mut *conn)
        .await
        .store()?;
    sqlx::query(
        "INSERT INTO job_files (job_id, file_name, content_type, bytes, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(job_id)
    .bind(&file.file_name)
    .bind(&file.content_type)
    .bind(&file.bytes)
    .bind(expires_at)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

/// The file of job `job_id`, unless it has expired.
pub async fn get(conn: &mut Conn, job_id: i64, now: &str) -> Result<Option<JobFile>, StoreError> {
    let row: Option<(String, String, Vec<u8>)> = sqlx::query_as(
        "SELECT file_name, content_type, bytes FROM job_files WHERE job_id = $1 AND expires_at >= $2",
    )
    .bind(job_id)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await
    .store()?;
    Ok(row.map(|(file_name, content_type, bytes)| JobFile {
        file_name,
        content_type,
        bytes,
    }))
}
