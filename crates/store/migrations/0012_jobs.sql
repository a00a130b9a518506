-- Heavy work (duplicate scans, imports) as jobs with a record: what, for which tree,
-- who asked, its state and progress. At most one such job runs per tree at a time; a
-- job whose server stopped (no touch for a while) is failed by the next start.
CREATE TABLE jobs (
    id {id},
    kind TEXT NOT NULL,
    tree_id BIGINT REFERENCES units(id),
    unit_id BIGINT REFERENCES units(id),
    user_id BIGINT REFERENCES users(id),
    username TEXT NOT NULL,
    -- What the job works on, where it has a record of its own (an import's run).
    subject_id BIGINT,
    state TEXT NOT NULL,
    done BIGINT NOT NULL DEFAULT 0,
    total BIGINT,
    result TEXT,
    created_at TEXT NOT NULL,
    finished_at TEXT,
    touched_at TEXT NOT NULL
);
-- A job of the whole instance (no tree) is one more "tree": one of them at a time too.
CREATE UNIQUE INDEX jobs_one_heavy_per_tree ON jobs ((COALESCE(tree_id, 0))) WHERE state IN ('queued', 'running');
CREATE INDEX jobs_by_tree ON jobs (tree_id, id);

-- Files uploaded on the import page and waiting for their columns to be mapped: in the
-- database, so that any server behind a balancer can take the next step, until they
-- expire.
CREATE TABLE staged_uploads (
    token TEXT NOT NULL PRIMARY KEY,
    user_id BIGINT REFERENCES users(id),
    file_name TEXT NOT NULL,
    bytes {blob} NOT NULL,
    expires_at TEXT NOT NULL
);
