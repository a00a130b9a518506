-- Current members per unit and status, kept in the same transaction as each change,
-- so that a dashboard of a million members reads a few rows instead of scanning.

CREATE TABLE unit_status_counts (
    unit_id BIGINT NOT NULL REFERENCES units(id),
    status TEXT NOT NULL,
    members BIGINT NOT NULL,
    PRIMARY KEY (unit_id, status)
);

INSERT INTO unit_status_counts (unit_id, status, members)
SELECT m.unit_id, m.status, COUNT(*) FROM memberships m JOIN people p ON p.id = m.person_id
WHERE m.is_current = 1 AND p.archived = 0 GROUP BY m.unit_id, m.status;
