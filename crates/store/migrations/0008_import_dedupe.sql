-- Bulk import and duplicate detection: a person's id in the system a file came from
-- (unique in its tree, so that importing a file again updates instead of copying), the
-- import that created them, and the person a merged record was folded into.

ALTER TABLE people ADD COLUMN external_id TEXT;
ALTER TABLE people ADD COLUMN import_id BIGINT;
ALTER TABLE people ADD COLUMN merged_into BIGINT REFERENCES people(id);
CREATE UNIQUE INDEX people_external ON people (tree_id, external_id) WHERE external_id IS NOT NULL;

-- One run of an import. `done_rows` is the last row of the file whose batch is
-- committed: it moves in the batch's own transaction, so a run cut short resumes
-- after it. `file_hash` and `options` tell a rerun of the same file.
CREATE TABLE imports (
    id {id},
    user_id BIGINT REFERENCES users(id),
    unit_id BIGINT REFERENCES units(id),
    file_name TEXT NOT NULL,
    file_hash TEXT NOT NULL,
    options TEXT NOT NULL,
    dry_run BIGINT NOT NULL,
    status TEXT NOT NULL,
    total_rows BIGINT NOT NULL DEFAULT 0,
    done_rows BIGINT NOT NULL DEFAULT 0,
    created BIGINT NOT NULL DEFAULT 0,
    updated BIGINT NOT NULL DEFAULT 0,
    unchanged BIGINT NOT NULL DEFAULT 0,
    rejected BIGINT NOT NULL DEFAULT 0,
    duplicates BIGINT NOT NULL DEFAULT 0,
    failure TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX imports_hash ON imports (file_hash, status);

-- Rows an import rejected or flagged, with the column and the reason's message id.
CREATE TABLE import_errors (
    import_id BIGINT NOT NULL REFERENCES imports(id),
    row_number BIGINT NOT NULL,
    column_name TEXT NOT NULL,
    reason TEXT NOT NULL,
    detail TEXT,
    PRIMARY KEY (import_id, row_number, column_name)
);

-- Pairs of people who look like one, for review: `person_a` < `person_b`. A pair
-- dismissed as two people stays, so that a later scan does not offer it again.
CREATE TABLE duplicate_pairs (
    tree_id BIGINT NOT NULL REFERENCES units(id),
    person_a BIGINT NOT NULL REFERENCES people(id),
    person_b BIGINT NOT NULL REFERENCES people(id),
    score DOUBLE PRECISION NOT NULL,
    status TEXT NOT NULL,
    decided_by BIGINT REFERENCES users(id),
    decided_at TEXT,
    found_at TEXT NOT NULL,
    PRIMARY KEY (person_a, person_b)
);
CREATE INDEX duplicate_pairs_open ON duplicate_pairs (tree_id, status, score);
CREATE INDEX duplicate_pairs_b ON duplicate_pairs (person_b);

-- What a duplicate check of one new registrant looks up: people born the same day, and
-- people with the same national id.
CREATE INDEX people_birth ON people (tree_id, birth_date);
CREATE INDEX people_national ON people (tree_id, national_id) WHERE national_id IS NOT NULL;

-- Search keys are derived from people and written with them: checking their two
-- references row by row took most of an import's time on PostgreSQL (60 of 160 s for a
-- million people). SQLite cannot drop a constraint without rebuilding the table; an
-- import's own connection there does not check foreign keys.
{pg}ALTER TABLE person_keys DROP CONSTRAINT person_keys_person_id_fkey;
{pg}ALTER TABLE person_keys DROP CONSTRAINT person_keys_branch_id_fkey;
