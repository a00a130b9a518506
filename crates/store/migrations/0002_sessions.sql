-- Login sessions, kept in the database so that several servers can share them, and
-- failed logins per username for throttling.

CREATE TABLE sessions (
    id_hash TEXT NOT NULL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_failures (
    username TEXT NOT NULL PRIMARY KEY,
    failures BIGINT NOT NULL,
    first_at TEXT NOT NULL
);

-- The digits a user reads numbers in; empty means the language's own.
ALTER TABLE users ADD COLUMN digits TEXT NOT NULL DEFAULT '';
