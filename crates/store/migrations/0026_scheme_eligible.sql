-- Who a scheme's rule admitted at its last count, person by person at their unit, so a
-- worklist reads the few it needs instead of testing every member of a district. A
-- worklist adds whoever changed since `counted_at` (a little before the count began)
-- and tests them all against the rule again, so it is exact.
CREATE TABLE scheme_eligible (
    scheme_id BIGINT NOT NULL REFERENCES schemes(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    person_id BIGINT NOT NULL REFERENCES people(id),
    PRIMARY KEY (scheme_id, unit_id, person_id)
);
ALTER TABLE schemes ADD COLUMN counted_at TEXT;

-- What changed since a moment: people, memberships and enrollments by their last change.
CREATE INDEX people_updated ON people (updated_at);
CREATE INDEX memberships_updated ON memberships (updated_at);
CREATE INDEX enrollments_updated ON enrollments (updated_at);
