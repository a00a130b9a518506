-- Committees of a unit (an executive, a steering committee and its support team, a
-- working group, a joint one with outside bodies) and who sits on them, when.
CREATE TABLE committees (
    id {id},
    tree_id BIGINT NOT NULL REFERENCES units(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    cadence TEXT NOT NULL,
    -- A meeting is quorate when more than this share (per cent) of the members with a
    -- vote is present.
    quorum_percent BIGINT NOT NULL,
    -- The calendar its decisions are numbered in by year (`1401/7`).
    calendar TEXT NOT NULL,
    term_start TEXT NOT NULL,
    term_end TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX committees_by_unit ON committees (unit_id, id);

-- A seat: a registry member, or an outside participant by name, organization and title.
-- Ending a seat keeps it: the roster's history is its seats, current and past.
CREATE TABLE committee_seats (
    id {id},
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    person_id BIGINT REFERENCES people(id),
    outside_name TEXT,
    outside_organization TEXT,
    outside_title TEXT,
    position TEXT NOT NULL,
    voting BIGINT NOT NULL,
    from_on TEXT NOT NULL,
    until_on TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX committee_seats_by_committee ON committee_seats (committee_id, id);
CREATE INDEX committee_seats_by_person ON committee_seats (person_id);
