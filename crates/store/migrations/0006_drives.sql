-- Organizing drives: metrics, targets per unit, monthly reports, and the figures of
-- every unit of a drive's subtree per month of its period, own and whole subtree.

-- Membership changes per unit and day. A drive counts months of its own calendar, and a
-- Solar Hijri month begins on the 20th to 22nd of a Gregorian one, so monthly counters
-- are not enough to fill a new drive. Earlier changes are known only by month: they
-- are dated on the month's first day.
CREATE TABLE unit_day_counts (
    unit_id BIGINT NOT NULL REFERENCES units(id),
    day TEXT NOT NULL,
    employment_type TEXT NOT NULL,
    informal_category TEXT NOT NULL,
    joins BIGINT NOT NULL DEFAULT 0,
    active_delta BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_id, day, employment_type, informal_category)
);
INSERT INTO unit_day_counts (unit_id, day, employment_type, informal_category, joins, active_delta)
SELECT unit_id, month || '-01', employment_type, informal_category, joins, active_delta
FROM unit_month_counts;

CREATE INDEX units_founded ON units (tree_id, founded_on);

CREATE TABLE drives (
    id {id},
    tree_id BIGINT NOT NULL REFERENCES units(id),
    scope_unit_id BIGINT NOT NULL REFERENCES units(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    calendar TEXT NOT NULL,
    -- The first month as 'YYYY-MM' in the drive's calendar, and how many months.
    start_month TEXT NOT NULL,
    months BIGINT NOT NULL,
    -- The same period in ISO dates: the first day and the day after the last.
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    -- A month's report is due this many days after the month ends.
    report_due_days BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CONSTRAINT drives_code_key UNIQUE (code)
);
CREATE INDEX drives_scope ON drives (scope_unit_id);

CREATE TABLE drive_names (
    drive_id BIGINT NOT NULL REFERENCES drives(id),
    locale TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (drive_id, locale)
);

CREATE TABLE drive_metrics (
    id {id},
    drive_id BIGINT NOT NULL REFERENCES drives(id),
    position BIGINT NOT NULL,
    kind TEXT NOT NULL,
    informal_category TEXT,
    min_workers BIGINT,
    unit_of_measure TEXT,
    name TEXT
);
CREATE INDEX drive_metrics_drive ON drive_metrics (drive_id, position);

CREATE TABLE drive_metric_names (
    metric_id BIGINT NOT NULL REFERENCES drive_metrics(id),
    locale TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (metric_id, locale)
);

CREATE TABLE drive_targets (
    metric_id BIGINT NOT NULL REFERENCES drive_metrics(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    target BIGINT NOT NULL,
    PRIMARY KEY (metric_id, unit_id)
);

-- Figures per metric, unit and month of the period (0 is the first): `own` happened
-- in the unit itself, `total` in its whole subtree within the drive's scope. Kept in the
-- same transaction as each membership change and report; rebuilt when units move.
CREATE TABLE drive_values (
    metric_id BIGINT NOT NULL REFERENCES drive_metrics(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    period BIGINT NOT NULL,
    own BIGINT NOT NULL,
    total BIGINT NOT NULL,
    PRIMARY KEY (metric_id, unit_id, period)
) {without_rowid};

CREATE TABLE drive_reports (
    id {id},
    drive_id BIGINT NOT NULL REFERENCES drives(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    period BIGINT NOT NULL,
    status TEXT NOT NULL,
    narrative TEXT NOT NULL,
    review_comment TEXT,
    filed_by BIGINT REFERENCES users(id),
    filed_at TEXT NOT NULL,
    reviewed_by BIGINT REFERENCES users(id),
    reviewed_at TEXT,
    CONSTRAINT drive_reports_key UNIQUE (drive_id, unit_id, period)
);

CREATE TABLE drive_report_values (
    report_id BIGINT NOT NULL REFERENCES drive_reports(id),
    metric_id BIGINT NOT NULL REFERENCES drive_metrics(id),
    value BIGINT NOT NULL,
    PRIMARY KEY (report_id, metric_id)
);
