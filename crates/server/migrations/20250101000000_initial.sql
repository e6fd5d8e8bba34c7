-- Channel Desk central API: the initial schema.
-- Append-only: later changes go in new files; never edit one that has shipped.

CREATE TABLE users (
    id            text PRIMARY KEY,
    email         text NOT NULL UNIQUE,
    password_hash text NOT NULL,
    role          text NOT NULL CHECK (role IN ('cam', 'rep', 'manager', 'admin')),
    region        text,
    disabled      boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- A login starts a token family; every refresh token and access token belongs to one.
-- Revoking the family (logout, reuse of a spent refresh token, user disabled) ends them all.
CREATE TABLE token_families (
    id          text PRIMARY KEY,
    user_id     text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device_name text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);
CREATE INDEX token_families_user ON token_families (user_id);

-- Tokens are stored as sha256 of the token: a leaked table does not leak sessions.
CREATE TABLE refresh_tokens (
    token_hash bytea PRIMARY KEY,
    family_id  text NOT NULL REFERENCES token_families (id) ON DELETE CASCADE,
    expires_at timestamptz NOT NULL,
    spent_at   timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

CREATE TABLE access_tokens (
    token_hash bytea PRIMARY KEY,
    family_id  text NOT NULL REFERENCES token_families (id) ON DELETE CASCADE,
    expires_at timestamptz NOT NULL
);
CREATE INDEX access_tokens_family ON access_tokens (family_id);
CREATE INDEX access_tokens_expiry ON access_tokens (expires_at);

-- Sales reps co-sell on the partners assigned to them.
CREATE TABLE assignments (
    user_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    partner_id text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, partner_id)
);
CREATE INDEX assignments_partner ON assignments (partner_id);

-- One row per client database; last_mutation_id makes pushes exactly-once.
CREATE TABLE devices (
    device_id        text PRIMARY KEY,
    user_id          text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    last_mutation_id bigint NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL DEFAULT now()
);

-- The global change sequence. One row, bumped inside every writing transaction: the row lock
-- serializes writers from their first change to their commit, so seq order is commit order.
-- `epoch` names this database: a cursor means something only within one epoch (renew it after
-- restoring a backup, `cdesk-server renew-epoch`, so clients pull everything again).
CREATE TABLE seq_counter (
    id    boolean PRIMARY KEY DEFAULT true CHECK (id),
    value bigint NOT NULL,
    epoch text NOT NULL DEFAULT gen_random_uuid()::text
);
INSERT INTO seq_counter (id, value) VALUES (true, 0);

-- Every synced record, as a JSON object of its fields (the client's field names).
-- root_partner_id / root_account_id / author / scope_owner / scope_region are computed at write
-- time from the record and its parents; authorization and pull filter on them, so a tombstone
-- keeps them (whoever could read the record reads its deletion).
CREATE TABLE records (
    kind            text NOT NULL,
    id              text NOT NULL,
    fields          jsonb NOT NULL DEFAULT '{}',
    field_versions  jsonb NOT NULL DEFAULT '{}',
    field_writers   jsonb NOT NULL DEFAULT '{}',
    seq             bigint NOT NULL,
    deleted         boolean NOT NULL DEFAULT false,
    root_partner_id text,
    root_account_id text,
    author          text,
    -- partner: its owner (CAM) and region; account: its owner (rep).
    scope_owner     text,
    scope_region    text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, id)
);
CREATE UNIQUE INDEX records_seq ON records (seq);
CREATE INDEX records_root_partner ON records (root_partner_id, seq);
CREATE INDEX records_root_account ON records (root_account_id, seq);
CREATE INDEX records_author ON records (author, seq);
CREATE INDEX records_kind ON records (kind, seq);
CREATE INDEX records_partner_owner ON records (scope_owner) WHERE kind = 'partner';
CREATE INDEX records_partner_region ON records (scope_region) WHERE kind = 'partner';
CREATE INDEX records_account_owner ON records (scope_owner) WHERE kind = 'account';
-- Children by parent, for recomputing scope columns when a parent is re-linked.
CREATE INDEX records_by_account ON records ((fields->>'account_id'))
    WHERE kind IN ('opportunity', 'call_note');
CREATE INDEX records_by_opportunity ON records ((fields->>'opportunity_id'))
    WHERE kind IN ('call_note', 'next_step');
CREATE INDEX records_by_note ON records ((fields->>'note_id')) WHERE kind = 'next_step';

-- A record that left a user's scope (reassigned partner, changed owner or region): pulled by
-- that user as a tombstone, with its own seq from the same counter.
CREATE TABLE scope_exits (
    user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind    text NOT NULL,
    id      text NOT NULL,
    seq     bigint NOT NULL,
    PRIMARY KEY (user_id, kind, id)
);
CREATE INDEX scope_exits_user_seq ON scope_exits (user_id, seq);

-- Two edits of one field that did not see each other.
CREATE TABLE conflicts (
    id                text PRIMARY KEY,
    kind              text NOT NULL,
    entity_id         text NOT NULL,
    field             text NOT NULL,
    overwritten_value jsonb NOT NULL,
    overwritten_by    text NOT NULL,
    written_value     jsonb NOT NULL,
    written_by        text NOT NULL,
    seq               bigint NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    resolved_at       timestamptz,
    resolved_by       text
);
CREATE INDEX conflicts_open ON conflicts (kind, entity_id) WHERE resolved_at IS NULL;

-- Mutations the server refused: reported to the client, kept here for support.
CREATE TABLE rejected_mutations (
    device_id   text NOT NULL,
    mutation_id bigint NOT NULL,
    user_id     text NOT NULL,
    kind        text NOT NULL,
    entity_id   text NOT NULL,
    code        text NOT NULL,
    message     text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (device_id, mutation_id)
);
