-- Failed logins counted per source address and username, each streak throttled with a
-- growing delay, in place of a count per username that let anyone lock anyone out.
DROP TABLE login_failures;
CREATE TABLE login_attempts (
    source TEXT NOT NULL,
    username TEXT NOT NULL,
    failures BIGINT NOT NULL,
    last_at TEXT NOT NULL,
    next_at TEXT NOT NULL,
    PRIMARY KEY (source, username)
);
CREATE INDEX login_attempts_username ON login_attempts (username);
