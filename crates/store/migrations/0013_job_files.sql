-- Files a job made (a large export), kept in the database so that any server behind a
-- balancer hands them out, until they expire.
CREATE TABLE job_files (
    job_id BIGINT NOT NULL PRIMARY KEY REFERENCES jobs(id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    bytes {blob} NOT NULL,
    expires_at TEXT NOT NULL
);
