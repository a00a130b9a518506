-- The registry: the unit tree with its closure table, people, memberships, workplaces,
-- monthly membership counters, logins, API tokens and the audit log.
-- Dates are ISO 'YYYY-MM-DD' text, instants RFC 3339 UTC text, on both backends.

CREATE TABLE units (
    id {id},
    tree_id BIGINT REFERENCES units(id),
    parent_id BIGINT REFERENCES units(id),
    code TEXT NOT NULL,
    level TEXT NOT NULL,
    name TEXT NOT NULL,
    region TEXT,
    founded_on TEXT,
    dissolved_on TEXT,
    workplace_id BIGINT,
    archived BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CONSTRAINT units_code_key UNIQUE (code)
);
CREATE INDEX units_parent ON units (parent_id);

CREATE TABLE unit_names (
    unit_id BIGINT NOT NULL REFERENCES units(id),
    locale TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (unit_id, locale)
);

-- The level names a tree allows, in order from the top (Federation, Province, ...).
CREATE TABLE tree_levels (
    tree_id BIGINT NOT NULL REFERENCES units(id),
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (tree_id, position)
);

CREATE TABLE unit_closure (
    ancestor_id BIGINT NOT NULL REFERENCES units(id),
    descendant_id BIGINT NOT NULL REFERENCES units(id),
    depth BIGINT NOT NULL,
    PRIMARY KEY (ancestor_id, descendant_id)
) {without_rowid};
CREATE INDEX unit_closure_descendant ON unit_closure (descendant_id, depth);

CREATE TABLE workplaces (
    id {id},
    tree_id BIGINT NOT NULL REFERENCES units(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    registration_id TEXT,
    sector_code TEXT,
    ownership TEXT,
    headcount BIGINT,
    operating_since TEXT,
    region TEXT,
    covering_unit_id BIGINT REFERENCES units(id),
    archived BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CONSTRAINT workplaces_code_key UNIQUE (code)
);
CREATE INDEX workplaces_unit ON workplaces (unit_id, id);

CREATE TABLE people (
    id {id},
    tree_id BIGINT NOT NULL REFERENCES units(id),
    full_name TEXT NOT NULL,
    latin_name TEXT,
    gender TEXT,
    birth_date TEXT,
    phone TEXT,
    email TEXT,
    national_id TEXT,
    region TEXT,
    address TEXT,
    occupation_code TEXT,
    sector_code TEXT,
    employment_type TEXT,
    informal_category TEXT,
    workplace_id BIGINT REFERENCES workplaces(id),
    preferred_language TEXT,
    archived BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Search keys of a person: 'f:' folded name tokens, 's:' consonant skeletons of
-- names in non-Latin scripts, 'm:' member numbers, 'p:' phone digits. Compared byte by
-- byte on both backends so that a prefix is a contiguous range of the index.
-- `branch_id` is the unit just below the top of the tree above the person's unit, so
-- that a search inside one branch (a province, a district) walks only its own keys.
CREATE TABLE person_keys (
    key TEXT {bytewise} NOT NULL,
    person_id BIGINT NOT NULL REFERENCES people(id),
    branch_id BIGINT NOT NULL REFERENCES units(id),
    PRIMARY KEY (key, person_id)
) {without_rowid};
CREATE INDEX person_keys_person ON person_keys (person_id, key);
CREATE INDEX person_keys_branch ON person_keys (branch_id, key, person_id);

CREATE TABLE memberships (
    id {id},
    tree_id BIGINT NOT NULL REFERENCES units(id),
    person_id BIGINT NOT NULL REFERENCES people(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    status TEXT NOT NULL,
    member_number TEXT,
    joined_on TEXT,
    left_on TEXT,
    recruited_by BIGINT REFERENCES people(id),
    drive_id BIGINT,
    is_current BIGINT NOT NULL,
    previous_id BIGINT REFERENCES memberships(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- At most one current membership per person in a tree, and a member number names one
-- current member of its tree.
CREATE UNIQUE INDEX memberships_one_current ON memberships (tree_id, person_id) WHERE is_current = 1;
CREATE UNIQUE INDEX memberships_number_key ON memberships (tree_id, member_number) WHERE is_current = 1;
CREATE INDEX memberships_unit ON memberships (unit_id, id);
CREATE INDEX memberships_person ON memberships (person_id);

-- Per unit and month: flows and the net change of active members, by employment.
-- Kept in the same transaction as each membership change; roll-ups sum these rows.
CREATE TABLE unit_month_counts (
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

CREATE TABLE users (
    id {id},
    username TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    unit_id BIGINT REFERENCES units(id),
    role TEXT NOT NULL,
    locale TEXT NOT NULL DEFAULT 'en',
    calendar TEXT NOT NULL DEFAULT 'gregorian',
    disabled BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    CONSTRAINT users_username_key UNIQUE (username)
);

CREATE TABLE api_tokens (
    id {id},
    user_id BIGINT NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT api_tokens_hash_key UNIQUE (token_hash)
);

CREATE TABLE audit_log (
    id {id},
    at TEXT NOT NULL,
    user_id BIGINT REFERENCES users(id),
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    unit_id BIGINT,
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX audit_entity ON audit_log (entity, entity_id, id);
