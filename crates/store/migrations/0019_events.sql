-- Programs: an umbrella over a period owned by a unit (a labor week), which units below
-- fill with their own events; a decision of a meeting may approve one.
CREATE TABLE programs (
    id {id},
    tree_id BIGINT NOT NULL REFERENCES units(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    name TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    decision_id BIGINT REFERENCES decisions(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX programs_by_unit ON programs (unit_id, starts_on);

CREATE TABLE program_names (
    program_id BIGINT NOT NULL REFERENCES programs(id),
    locale TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (program_id, locale)
);

-- Events of a unit, on one day or several, in a program or on their own.
CREATE TABLE events (
    id {id},
    program_id BIGINT REFERENCES programs(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    place TEXT,
    capacity BIGINT,
    audience TEXT NOT NULL,
    registration_opens TEXT,
    registration_closes TEXT,
    report_notes TEXT,
    report_media TEXT,
    closed_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX events_by_unit ON events (unit_id, starts_on);
CREATE INDEX events_by_program ON events (program_id, starts_on);

CREATE TABLE event_names (
    event_id BIGINT NOT NULL REFERENCES events(id),
    locale TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (event_id, locale)
);

-- Who comes: a registry member or an outside person, with a role and a status. The
-- ticket is a random code for the QR on a ticket or badge; it names no one.
CREATE TABLE event_participants (
    id {id},
    event_id BIGINT NOT NULL REFERENCES events(id),
    person_id BIGINT REFERENCES people(id),
    outside_name TEXT,
    outside_phone TEXT,
    gender TEXT,
    role TEXT NOT NULL,
    status TEXT NOT NULL,
    ticket TEXT NOT NULL,
    walk_in BIGINT NOT NULL DEFAULT 0,
    recruited BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX event_participants_ticket ON event_participants (ticket);
CREATE UNIQUE INDEX event_participants_person ON event_participants (event_id, person_id);
CREATE INDEX event_participants_by_event ON event_participants (event_id, status, id);

-- Check-ins, one per participant and day.
CREATE TABLE event_checkins (
    participant_id BIGINT NOT NULL REFERENCES event_participants(id),
    day TEXT NOT NULL,
    at TEXT NOT NULL,
    by_name TEXT NOT NULL,
    method TEXT NOT NULL,
    PRIMARY KEY (participant_id, day)
);
