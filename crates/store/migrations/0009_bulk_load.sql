-- A bulk load (a large import into a small database) drops the secondary indexes of the
-- tables it fills, and on PostgreSQL their foreign keys and the search keys' primary
-- key, and makes them again when it ends, sorted, instead of growing them row by row.
-- What it dropped is written here in the same transaction as the drop; the load's end,
-- or the program's next start after a crash, makes each again and removes its row.
CREATE TABLE deferred_schema (
    name TEXT PRIMARY KEY,
    table_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    definition TEXT NOT NULL
);

-- The counter changes of a bulk load's batches, each batch's kept in its transaction and
-- their sum added to the counters when the load ends.
CREATE TABLE deferred_counts (
    id {id},
    counts TEXT NOT NULL
);
