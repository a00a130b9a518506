-- A secret address per user for a calendar program to fetch their meetings from (a
-- calendar program cannot sign in); kept as a hash, like API tokens.
CREATE TABLE calendar_feeds (
    token_hash TEXT NOT NULL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX calendar_feeds_by_user ON calendar_feeds (user_id);
