-- The sessions of an event's days: a time, a title, a place.
CREATE TABLE event_sessions (
    id {id},
    event_id BIGINT NOT NULL REFERENCES events(id),
    day TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT,
    title TEXT NOT NULL,
    place TEXT
);
CREATE INDEX event_sessions_by_event ON event_sessions (event_id, day, starts_at);

-- Competitions: a discipline and category held at one unit's level, in a program or at
-- an event; the winners of one may advance to the competition of a unit above.
CREATE TABLE competitions (
    id {id},
    tree_id BIGINT NOT NULL REFERENCES units(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    program_id BIGINT REFERENCES programs(id),
    event_id BIGINT REFERENCES events(id),
    discipline TEXT NOT NULL,
    category TEXT NOT NULL,
    entry_kind TEXT NOT NULL,
    held_on TEXT NOT NULL,
    advances_to BIGINT REFERENCES competitions(id),
    advance_count BIGINT NOT NULL DEFAULT 0,
    finished_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX competitions_by_unit ON competitions (unit_id, held_on);
CREATE INDEX competitions_by_program ON competitions (program_id, discipline);
CREATE INDEX competitions_by_target ON competitions (advances_to);

-- An entry stands for a unit: a person of its subtree or a team it sends. An entry
-- that advanced names the entry it came from.
CREATE TABLE competition_entries (
    id {id},
    competition_id BIGINT NOT NULL REFERENCES competitions(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    person_id BIGINT REFERENCES people(id),
    team_name TEXT,
    team_members TEXT,
    from_entry_id BIGINT REFERENCES competition_entries(id),
    rank BIGINT,
    score TEXT,
    medal TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX competition_entries_by_competition ON competition_entries (competition_id, rank);
CREATE UNIQUE INDEX competition_entries_person ON competition_entries (competition_id, person_id);
CREATE UNIQUE INDEX competition_entries_team ON competition_entries (competition_id, unit_id, team_name);

-- Honors: the categories a tree awards, with names in other locales.
CREATE TABLE honor_categories (
    id {id},
    tree_id BIGINT NOT NULL REFERENCES units(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX honor_categories_code ON honor_categories (tree_id, code);

CREATE TABLE honor_category_names (
    category_id BIGINT NOT NULL REFERENCES honor_categories(id),
    locale TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (category_id, locale)
);

-- A call for nominations of one category by a unit, with a quota for each unit that
-- nominates (and quotas of its own for some), awarded at an event.
CREATE TABLE honor_calls (
    id {id},
    tree_id BIGINT NOT NULL REFERENCES units(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    category_id BIGINT NOT NULL REFERENCES honor_categories(id),
    program_id BIGINT REFERENCES programs(id),
    event_id BIGINT REFERENCES events(id),
    name TEXT NOT NULL,
    quota BIGINT NOT NULL,
    closes_on TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX honor_calls_by_unit ON honor_calls (unit_id, id);
CREATE INDEX honor_calls_by_program ON honor_calls (program_id);

CREATE TABLE honor_quotas (
    call_id BIGINT NOT NULL REFERENCES honor_calls(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    quota BIGINT NOT NULL,
    PRIMARY KEY (call_id, unit_id)
);

-- A nomination by a unit: a member or someone outside the registry (an employer),
-- waiting on the approval of `awaiting_unit_id` until the call's unit approves. The
-- certificate code is random and names no one.
CREATE TABLE honor_nominations (
    id {id},
    call_id BIGINT NOT NULL REFERENCES honor_calls(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    person_id BIGINT REFERENCES people(id),
    outside_name TEXT,
    organization TEXT,
    citation TEXT,
    status TEXT NOT NULL,
    awaiting_unit_id BIGINT REFERENCES units(id),
    approvals BIGINT NOT NULL DEFAULT 0,
    certificate TEXT,
    awarded_on TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX honor_nominations_by_call ON honor_nominations (call_id, unit_id);
CREATE INDEX honor_nominations_awaiting ON honor_nominations (awaiting_unit_id, status);
CREATE UNIQUE INDEX honor_nominations_certificate ON honor_nominations (certificate);
CREATE UNIQUE INDEX honor_nominations_person ON honor_nominations (call_id, person_id);

-- Each level's word on a nomination.
CREATE TABLE honor_steps (
    id {id},
    nomination_id BIGINT NOT NULL REFERENCES honor_nominations(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    act TEXT NOT NULL,
    note TEXT,
    by_name TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX honor_steps_by_nomination ON honor_steps (nomination_id);
