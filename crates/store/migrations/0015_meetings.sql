-- Meetings of a committee: when and where, an ordered agenda with sub-items and the
-- minutes of each, who of the roster came, and the minutes' finalized versions.
CREATE TABLE meetings (
    id {id},
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    -- The local day and time it starts: `2022-04-11T10:00`.
    starts_at TEXT NOT NULL,
    place TEXT,
    -- 0 while the minutes are open; the number of the version last finalized.
    version BIGINT NOT NULL DEFAULT 0,
    -- Open minutes (after a correction was begun) of a meeting finalized before.
    correcting BIGINT NOT NULL DEFAULT 0,
    -- The meeting's number among its committee's finalized meetings.
    number BIGINT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX meetings_by_committee ON meetings (committee_id, starts_at);
CREATE INDEX meetings_by_unit ON meetings (unit_id, starts_at);

CREATE TABLE agenda_items (
    id {id},
    meeting_id BIGINT NOT NULL REFERENCES meetings(id),
    parent_id BIGINT REFERENCES agenda_items(id),
    position BIGINT NOT NULL,
    title TEXT NOT NULL,
    presenter TEXT,
    planned_minutes BIGINT,
    minutes TEXT
);
CREATE INDEX agenda_items_by_meeting ON agenda_items (meeting_id, position);

-- Who of the roster came: present, excused, absent, or represented by someone named.
CREATE TABLE meeting_attendance (
    meeting_id BIGINT NOT NULL REFERENCES meetings(id),
    seat_id BIGINT NOT NULL REFERENCES committee_seats(id),
    presence TEXT NOT NULL,
    represented_by TEXT,
    PRIMARY KEY (meeting_id, seat_id)
);

-- Each finalized version of a meeting's minutes, as it was: a correction finalizes a
-- new version and keeps the old.
CREATE TABLE minutes_versions (
    meeting_id BIGINT NOT NULL REFERENCES meetings(id),
    version BIGINT NOT NULL,
    finalized_at TEXT NOT NULL,
    finalized_by TEXT NOT NULL,
    content TEXT NOT NULL,
    PRIMARY KEY (meeting_id, version)
);
