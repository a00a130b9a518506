-- Decisions taken under an agenda item, numbered per committee and year, and the action
-- items they cause: assigned to a person or a unit below, split by that unit's officers
-- into items for their own units, each with its progress notes.
CREATE TABLE decisions (
    id {id},
    meeting_id BIGINT NOT NULL REFERENCES meetings(id),
    item_id BIGINT NOT NULL REFERENCES agenda_items(id),
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    year BIGINT NOT NULL,
    number BIGINT NOT NULL,
    text TEXT NOT NULL,
    outcome TEXT NOT NULL,
    votes_for BIGINT,
    votes_against BIGINT,
    votes_abstain BIGINT,
    -- Taken in a meeting without a quorum: allowed only with this note, and marked.
    quorum_note TEXT,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX decisions_number ON decisions (committee_id, year, number);
CREATE INDEX decisions_by_unit ON decisions (unit_id, id);

CREATE TABLE action_items (
    id {id},
    decision_id BIGINT REFERENCES decisions(id),
    meeting_id BIGINT NOT NULL REFERENCES meetings(id),
    parent_id BIGINT REFERENCES action_items(id),
    -- The unit that holds it: the assigned unit, or for a person the committee's unit.
    unit_id BIGINT NOT NULL REFERENCES units(id),
    person_id BIGINT REFERENCES people(id),
    title TEXT NOT NULL,
    due_on TEXT NOT NULL,
    status TEXT NOT NULL,
    done_on TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX action_items_by_unit ON action_items (unit_id, status, due_on);
CREATE INDEX action_items_by_decision ON action_items (decision_id);
CREATE INDEX action_items_by_parent ON action_items (parent_id);

CREATE TABLE action_notes (
    id {id},
    action_id BIGINT NOT NULL REFERENCES action_items(id),
    at TEXT NOT NULL,
    by_name TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT
);
CREATE INDEX action_notes_by_action ON action_notes (action_id, id);
