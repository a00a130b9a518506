-- Counters of whole subtrees: every change is added to its unit and to each unit
-- above it, so the figures of a province of a million members are a few rows.

CREATE TABLE subtree_month_counts (
    unit_id BIGINT NOT NULL REFERENCES units(id),
    month TEXT NOT NULL,
    employment_type TEXT NOT NULL,
    informal_category TEXT NOT NULL,
    joins BIGINT NOT NULL DEFAULT 0,
    leaves BIGINT NOT NULL DEFAULT 0,
    transfers_in BIGINT NOT NULL DEFAULT 0,
    transfers_out BIGINT NOT NULL DEFAULT 0,
    active_delta BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_id, month, employment_type, informal_category)
);

INSERT INTO subtree_month_counts (unit_id, month, employment_type, informal_category, joins, leaves,
    transfers_in, transfers_out, active_delta)
SELECT c.ancestor_id, m.month, m.employment_type, m.informal_category, SUM(m.joins), SUM(m.leaves),
    SUM(m.transfers_in), SUM(m.transfers_out), SUM(m.active_delta)
FROM unit_month_counts m JOIN unit_closure c ON c.descendant_id = m.unit_id
GROUP BY c.ancestor_id, m.month, m.employment_type, m.informal_category;

CREATE TABLE subtree_status_counts (
    unit_id BIGINT NOT NULL REFERENCES units(id),
    status TEXT NOT NULL,
    members BIGINT NOT NULL,
    PRIMARY KEY (unit_id, status)
);

INSERT INTO subtree_status_counts (unit_id, status, members)
SELECT c.ancestor_id, s.status, SUM(s.members)
FROM unit_status_counts s JOIN unit_closure c ON c.descendant_id = s.unit_id
GROUP BY c.ancestor_id, s.status;
