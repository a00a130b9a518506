-- Workplace mapping: members per workplace (kept with each membership change), names
-- in other languages, dated headcounts, departments and shifts, support assessments,
-- organizing committees, the organizer following a workplace, and each tree's weights
-- for the priority list.

ALTER TABLE workplaces ADD COLUMN members BIGINT NOT NULL DEFAULT 0;
ALTER TABLE workplaces ADD COLUMN organizer_id BIGINT REFERENCES users(id);
ALTER TABLE workplaces ADD COLUMN follow_up_on TEXT;
UPDATE workplaces SET members = (
    SELECT COUNT(*) FROM people p JOIN memberships m ON m.person_id = p.id
    WHERE p.workplace_id = workplaces.id AND p.archived = 0 AND m.is_current = 1 AND m.status = 'active');
CREATE INDEX workplaces_covering ON workplaces (covering_unit_id);
-- The priority-list score of a workplace still to organize (NULL once it is organized
-- enough), kept with every change to it; `priority_year` is the year its years
-- operating were counted to, so that a new year recounts them.
ALTER TABLE workplaces ADD COLUMN priority DOUBLE PRECISION;
ALTER TABLE workplaces ADD COLUMN priority_year BIGINT NOT NULL DEFAULT 0;
CREATE INDEX workplaces_priority ON workplaces (priority DESC, code, unit_id) WHERE priority IS NOT NULL AND archived = 0;
CREATE INDEX workplaces_priority_year ON workplaces (priority_year);
CREATE INDEX people_workplace ON people (workplace_id);

CREATE TABLE workplace_names (
    workplace_id BIGINT NOT NULL REFERENCES workplaces(id),
    locale TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (workplace_id, locale)
);

-- Headcount as reported on a date; `workplaces.headcount` is the latest.
CREATE TABLE workplace_headcounts (
    workplace_id BIGINT NOT NULL REFERENCES workplaces(id),
    as_of TEXT NOT NULL,
    headcount BIGINT NOT NULL,
    PRIMARY KEY (workplace_id, as_of)
);
INSERT INTO workplace_headcounts (workplace_id, as_of, headcount)
SELECT id, substr(created_at, 1, 10), headcount FROM workplaces WHERE headcount IS NOT NULL;

CREATE TABLE workplace_departments (
    id {id},
    workplace_id BIGINT NOT NULL REFERENCES workplaces(id),
    name TEXT NOT NULL,
    position BIGINT NOT NULL,
    CONSTRAINT workplace_departments_name_key UNIQUE (workplace_id, name)
);
ALTER TABLE people ADD COLUMN department_id BIGINT REFERENCES workplace_departments(id);

CREATE TABLE assessments (
    id {id},
    person_id BIGINT NOT NULL REFERENCES people(id),
    workplace_id BIGINT NOT NULL REFERENCES workplaces(id),
    level BIGINT NOT NULL,
    note TEXT,
    assessed_on TEXT NOT NULL,
    assessed_by BIGINT REFERENCES users(id),
    assessor TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX assessments_workplace ON assessments (workplace_id, person_id, id);
CREATE INDEX assessments_person ON assessments (person_id, id);

CREATE TABLE committee_members (
    workplace_id BIGINT NOT NULL REFERENCES workplaces(id),
    person_id BIGINT NOT NULL REFERENCES people(id),
    role TEXT NOT NULL,
    since TEXT,
    PRIMARY KEY (workplace_id, person_id)
);

CREATE TABLE tree_settings (
    tree_id BIGINT PRIMARY KEY REFERENCES units(id),
    weight_headcount BIGINT NOT NULL,
    weight_years BIGINT NOT NULL,
    weight_rate BIGINT NOT NULL,
    rate_threshold BIGINT NOT NULL
);
