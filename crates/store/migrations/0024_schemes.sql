-- Benefit schemes of a tree: government or union benefits, who runs them, the rule of
-- who is eligible (one condition a line), the documents required and a link.
CREATE TABLE schemes (
    id {id},
    tree_id BIGINT NOT NULL REFERENCES units(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    runner TEXT,
    rule TEXT NOT NULL,
    documents TEXT,
    link TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX schemes_code ON schemes (tree_id, code);

-- Who a scheme's rule admits, counted per unit in the background after a rule change
-- and on a new day (ages change by the day): `counted_rule` and `counted_on` say what
-- the counts are of; `counting_*` the progress of a count under way.
ALTER TABLE schemes ADD COLUMN counted_rule TEXT;
ALTER TABLE schemes ADD COLUMN counted_on TEXT;
ALTER TABLE schemes ADD COLUMN counting_since TEXT;
ALTER TABLE schemes ADD COLUMN counting_done BIGINT NOT NULL DEFAULT 0;
ALTER TABLE schemes ADD COLUMN counting_total BIGINT NOT NULL DEFAULT 0;
CREATE TABLE scheme_counts (
    scheme_id BIGINT NOT NULL REFERENCES schemes(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    eligible BIGINT NOT NULL,
    PRIMARY KEY (scheme_id, unit_id)
);
-- The same summed over each unit's subtree, for roll-ups that read a row per unit.
CREATE TABLE scheme_totals (
    scheme_id BIGINT NOT NULL REFERENCES schemes(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    eligible BIGINT NOT NULL,
    PRIMARY KEY (scheme_id, unit_id)
);

CREATE TABLE scheme_names (
    scheme_id BIGINT NOT NULL REFERENCES schemes(id),
    locale TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (scheme_id, locale)
);

-- Where a member stands with a scheme, at the unit they belonged to when it was last
-- recorded; `outside_rule` marks an enrollment the rule did not admit, with `reason`.
CREATE TABLE enrollments (
    id {id},
    scheme_id BIGINT NOT NULL REFERENCES schemes(id),
    person_id BIGINT NOT NULL REFERENCES people(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    status TEXT NOT NULL,
    scheme_number TEXT,
    helped_by TEXT,
    helped_on TEXT,
    applied_on TEXT,
    enrolled_on TEXT,
    outside_rule BIGINT NOT NULL DEFAULT 0,
    reason TEXT,
    updated_on TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX enrollments_person ON enrollments (person_id, scheme_id);
CREATE INDEX enrollments_by_scheme ON enrollments (scheme_id, unit_id, status);

-- Dated records of a member's life in the union (referred to the Party, elected to a
-- committee, cadre training completed), at the unit they belonged to.
CREATE TABLE milestones (
    id {id},
    person_id BIGINT NOT NULL REFERENCES people(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    kind TEXT NOT NULL,
    on_day TEXT NOT NULL,
    note TEXT,
    by_name TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX milestones_by_person ON milestones (person_id, on_day);
CREATE INDEX milestones_by_unit ON milestones (unit_id, kind, on_day);

-- A drive's metric counting members enrolled in one scheme names it by code.
ALTER TABLE drive_metrics ADD COLUMN scheme_code TEXT;
