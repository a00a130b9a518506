-- What a run does once its rows are in: `indexing` while a bulk load builds its indexes
-- again, `duplicates` while its new rows are compared with the registry; NULL before.
-- A running import also touches `updated_at` every few seconds, so a run whose process
-- is gone (a server restarted, a command killed) shows as stopped, not running.
ALTER TABLE imports ADD COLUMN phase TEXT;
