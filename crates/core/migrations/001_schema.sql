-- Channel Desk local schema, version 1.
-- JSON-valued columns hold small lists (partner types, badges, plan lines) as JSON text.
-- Money columns are whole cents. Dates are YYYY-MM-DD, times are fixed-width UTC RFC 3339.

-- Rules tables (program data, editable, synced).
CREATE TABLE certifications (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    validity_months INTEGER,
    sort_order INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE track_requirements (
    id TEXT PRIMARY KEY,
    track TEXT NOT NULL,
    certification_id TEXT NOT NULL REFERENCES certifications(id),
    count INTEGER NOT NULL CHECK (count >= 1),
    UNIQUE (track, certification_id)
);

CREATE TABLE badges (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    requires_track_compliance INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE badge_requirements (
    id TEXT PRIMARY KEY,
    badge_id TEXT NOT NULL REFERENCES badges(id),
    certification_id TEXT NOT NULL REFERENCES certifications(id),
    count INTEGER NOT NULL CHECK (count >= 1),
    UNIQUE (badge_id, certification_id)
);

CREATE TABLE r7_thresholds (
    id TEXT PRIMARY KEY,
    segment TEXT NOT NULL,
    requirement TEXT NOT NULL,
    metric TEXT NOT NULL,
    threshold INTEGER NOT NULL,
    UNIQUE (segment, requirement, metric)
);

CREATE TABLE journey_capabilities (
    id TEXT PRIMARY KEY,
    stage TEXT NOT NULL,
    area TEXT NOT NULL,
    label TEXT NOT NULL,
    sort_order INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE curriculum_modules (
    id TEXT PRIMARY KEY,
    level TEXT NOT NULL,
    section TEXT NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    minutes INTEGER,
    sort_order INTEGER NOT NULL DEFAULT 0
);

-- Partners and enablement.
CREATE TABLE partners (
    -- Explicit integer key: stable across VACUUM, so the FTS rows keyed on it stay right.
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    partner_types TEXT NOT NULL,
    track TEXT NOT NULL,
    region TEXT NOT NULL,
    owner TEXT NOT NULL,
    journey_stage TEXT NOT NULL,
    capabilities TEXT NOT NULL,
    badges TEXT NOT NULL,
    account_notes TEXT NOT NULL DEFAULT '',
    last_phd_review TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX partners_name ON partners(name COLLATE NOCASE);
CREATE INDEX partners_owner ON partners(owner);

CREATE TABLE people (
    id TEXT PRIMARY KEY,
    partner_id TEXT NOT NULL REFERENCES partners(id),
    name TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX people_partner ON people(partner_id);

CREATE TABLE enablement_items (
    id TEXT PRIMARY KEY,
    partner_id TEXT NOT NULL REFERENCES partners(id),
    person_id TEXT NOT NULL REFERENCES people(id),
    certification_id TEXT REFERENCES certifications(id),
    module_id TEXT REFERENCES curriculum_modules(id),
    target_date TEXT,
    status TEXT NOT NULL,
    completed_on TEXT,
    expires_on TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX enablement_items_partner ON enablement_items(partner_id);
CREATE INDEX enablement_items_person ON enablement_items(person_id);

CREATE TABLE business_plans (
    -- Explicit integer key: stable across VACUUM, so the FTS rows keyed on it stay right.
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    partner_id TEXT NOT NULL REFERENCES partners(id),
    fiscal_year INTEGER NOT NULL,
    goals TEXT NOT NULL DEFAULT '',
    growth_arr_target INTEGER NOT NULL DEFAULT 0,
    new_customer_arr_target INTEGER NOT NULL DEFAULT 0,
    services_practice TEXT NOT NULL,
    target_stage TEXT NOT NULL,
    marketing_plan TEXT NOT NULL DEFAULT '',
    mdf_requests TEXT NOT NULL,
    joint_webinars INTEGER NOT NULL DEFAULT 0,
    certification_plan TEXT NOT NULL,
    kpis TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (partner_id, fiscal_year)
);

-- Co-selling.
CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    tier TEXT NOT NULL,
    tier_notes TEXT NOT NULL DEFAULT '',
    partner_id TEXT REFERENCES partners(id),
    owner TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX accounts_name ON accounts(name COLLATE NOCASE);
CREATE INDEX accounts_partner ON accounts(partner_id);

CREATE TABLE opportunities (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    name TEXT NOT NULL,
    opportunity_type TEXT NOT NULL,
    stage TEXT NOT NULL,
    amount INTEGER NOT NULL DEFAULT 0,
    iacv INTEGER NOT NULL DEFAULT 0,
    segment TEXT NOT NULL,
    close_date TEXT NOT NULL,
    registered_partner_id TEXT REFERENCES partners(id),
    win_loss_reason TEXT NOT NULL DEFAULT '',
    customer_understanding TEXT NOT NULL DEFAULT '',
    command_plan TEXT NOT NULL,
    has_pitch_deck INTEGER NOT NULL DEFAULT 0,
    owner TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX opportunities_account ON opportunities(account_id);
CREATE INDEX opportunities_partner ON opportunities(registered_partner_id);

CREATE TABLE call_notes (
    -- Explicit integer key: stable across VACUUM, so the FTS rows keyed on it stay right.
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    via_partner INTEGER NOT NULL DEFAULT 0,
    partner_id TEXT REFERENCES partners(id),
    account_id TEXT REFERENCES accounts(id),
    opportunity_id TEXT REFERENCES opportunities(id),
    author TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX call_notes_partner ON call_notes(partner_id, occurred_at);
CREATE INDEX call_notes_account ON call_notes(account_id, occurred_at);
CREATE INDEX call_notes_opportunity ON call_notes(opportunity_id, occurred_at);
CREATE INDEX call_notes_occurred ON call_notes(occurred_at);

CREATE TABLE next_steps (
    -- Explicit integer key: stable across VACUUM, so the FTS rows keyed on it stay right.
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    owner TEXT NOT NULL,
    due_on TEXT NOT NULL,
    agreed_with_partner INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    note_id TEXT REFERENCES call_notes(id),
    partner_id TEXT REFERENCES partners(id),
    opportunity_id TEXT REFERENCES opportunities(id),
    done_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX next_steps_open_due ON next_steps(status, due_on);
CREATE INDEX next_steps_partner ON next_steps(partner_id);
CREATE INDEX next_steps_note ON next_steps(note_id);

-- Every local change, in order, waiting to be pushed. Written in the same transaction as the
-- change itself (see store::entity). `patch` holds only the fields that changed.
CREATE TABLE outbox (
    mutation_id INTEGER PRIMARY KEY AUTOINCREMENT,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
    patch TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX outbox_entity ON outbox(entity, entity_id);
