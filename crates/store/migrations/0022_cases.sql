-- Case types: those every tree has (no tree) and a tree's own, with their steps as
-- `code:days` separated by commas.
CREATE TABLE case_types (
    id {id},
    tree_id BIGINT REFERENCES units(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    steps TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX case_types_code ON case_types (tree_id, code);
INSERT INTO case_types (tree_id, code, name, steps, created_at) VALUES
    (NULL, 'legal_counseling', 'Legal counseling', 'counsel:14', '2026-12-03T00:00:00Z'),
    (NULL, 'grievance', 'Grievance', 'step1:7,step2:10,step3:15,arbitration:30', '2026-12-03T00:00:00Z'),
    (NULL, 'livelihood_aid', 'Livelihood aid', 'assess:10,decide:10', '2026-12-03T00:00:00Z'),
    (NULL, 'home_repair', 'Home repair', 'visit:14,decide:14,repair:60', '2026-12-03T00:00:00Z'),
    (NULL, 'accident', 'Accident, health and safety', 'report:3,follow_up:30', '2026-12-03T00:00:00Z'),
    (NULL, 'benefit_help', 'Help with a benefit application', 'apply:30', '2026-12-03T00:00:00Z');

CREATE TABLE case_type_names (
    case_type_id BIGINT NOT NULL REFERENCES case_types(id),
    locale TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (case_type_id, locale)
);

-- A case of a member or of someone outside the registry, kept by the desk of `unit_id`;
-- once referred up, `from_unit_id` is the desk that referred it and keeps sight of it.
-- `subject` is what anyone of the units may read; the notes are in the activities.
CREATE TABLE cases (
    id {id},
    tree_id BIGINT NOT NULL REFERENCES units(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    from_unit_id BIGINT REFERENCES units(id),
    case_type_id BIGINT NOT NULL REFERENCES case_types(id),
    person_id BIGINT REFERENCES people(id),
    outside_name TEXT,
    outside_phone TEXT,
    event_id BIGINT REFERENCES events(id),
    workplace_id BIGINT REFERENCES workplaces(id),
    assignee TEXT,
    subject TEXT NOT NULL,
    status TEXT NOT NULL,
    step BIGINT NOT NULL DEFAULT 0,
    step_from TEXT NOT NULL,
    due_on TEXT,
    opened_on TEXT NOT NULL,
    resolved_on TEXT,
    resolve_days BIGINT,
    outcome TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX cases_queue ON cases (unit_id, due_on);
CREATE INDEX cases_by_assignee ON cases (assignee, due_on);
CREATE INDEX cases_by_from ON cases (from_unit_id);
CREATE INDEX cases_by_person ON cases (person_id);

-- What was done on a case: its text is a note only case workers read.
CREATE TABLE case_activities (
    id {id},
    case_id BIGINT NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL,
    on_day TEXT NOT NULL,
    text TEXT,
    by_name TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX case_activities_by_case ON case_activities (case_id, id);

-- Documents attached to a case, kept in the database: read only by those who may read
-- its notes.
CREATE TABLE case_documents (
    id {id},
    case_id BIGINT NOT NULL REFERENCES cases(id),
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    bytes {blob} NOT NULL,
    by_name TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX case_documents_by_case ON case_documents (case_id, id);
