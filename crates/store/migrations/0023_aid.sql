-- The currency a tree keeps its aid in (ISO 4217: VND, IRR, INR), amounts in its minor
-- units everywhere below.
CREATE TABLE aid_settings (
    tree_id BIGINT PRIMARY KEY REFERENCES units(id),
    currency TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- The most an officer of a unit at `level` may approve on one request; above it the
-- request waits on the unit above.
CREATE TABLE aid_limits (
    tree_id BIGINT NOT NULL REFERENCES units(id),
    level TEXT NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (tree_id, level)
);

-- A unit's aid budget for a year of its own (`label`: 1405, 2026, 2026-27), from
-- `starts_on` to `ends_on` inclusive; a unit's budgets do not overlap.
CREATE TABLE aid_budgets (
    id {id},
    unit_id BIGINT NOT NULL REFERENCES units(id),
    label TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    amount BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX aid_budgets_by_unit ON aid_budgets (unit_id, starts_on);

-- A request for aid made at a unit's desk, often on a case; it waits on the unit whose
-- limit covers it, and once approved draws on the approving unit's budget.
CREATE TABLE aid_requests (
    id {id},
    tree_id BIGINT NOT NULL REFERENCES units(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    case_id BIGINT REFERENCES cases(id),
    person_id BIGINT REFERENCES people(id),
    outside_name TEXT,
    kind TEXT NOT NULL,
    amount BIGINT,
    item TEXT,
    purpose TEXT NOT NULL,
    status TEXT NOT NULL,
    waits_on BIGINT NOT NULL REFERENCES units(id),
    requested_on TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    approved_amount BIGINT,
    approver_unit_id BIGINT REFERENCES units(id),
    decided_by TEXT,
    decided_on TEXT,
    decision_note TEXT,
    budget_id BIGINT REFERENCES aid_budgets(id),
    override_reason TEXT,
    paid BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX aid_requests_by_unit ON aid_requests (unit_id, status);
CREATE INDEX aid_requests_by_waits ON aid_requests (waits_on, status);
CREATE INDEX aid_requests_by_approver ON aid_requests (approver_unit_id);
CREATE INDEX aid_requests_by_budget ON aid_requests (budget_id);
CREATE INDEX aid_requests_by_case ON aid_requests (case_id);

-- What was paid out on a request, each with its receipt's number.
CREATE TABLE aid_disbursements (
    id {id},
    request_id BIGINT NOT NULL REFERENCES aid_requests(id),
    method TEXT NOT NULL,
    amount BIGINT NOT NULL,
    on_day TEXT NOT NULL,
    reference TEXT,
    receipt TEXT NOT NULL,
    by_name TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX aid_disbursements_by_request ON aid_disbursements (request_id, id);
CREATE UNIQUE INDEX aid_disbursements_receipt ON aid_disbursements (receipt);
