-- Security hardening: the audit trail and sign-in throttling.

-- Who changed what and when. Written in the same transaction as the change it describes, so
-- there is never a change without its entry, nor an entry for a change that rolled back.
-- No foreign keys: entries outlive whatever they describe.
CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    user_id     text,                 -- null: the server's command line
    actor       text NOT NULL,        -- the user's email, or 'cli'
    device_id   text,                 -- the device of a pushed change
    kind        text NOT NULL,        -- a record kind, or 'user'
    entity_id   text NOT NULL,
    action      text NOT NULL,        -- upsert, delete, resolve, assign, unassign, user_add, user_disable
    fields      text[] NOT NULL DEFAULT '{}',
    mutation_id bigint,
    seq         bigint,
    detail      jsonb
);
CREATE INDEX audit_log_user ON audit_log (user_id, id);
CREATE INDEX audit_log_record ON audit_log (kind, entity_id, id);
CREATE INDEX audit_log_at ON audit_log (at);

-- Failed sign-ins per email ('email:<address>') and per client address ('ip:<address>'),
-- shared by every server process.
CREATE TABLE login_throttle (
    key           text PRIMARY KEY,
    failures      integer NOT NULL,
    last_failure  timestamptz NOT NULL,
    blocked_until timestamptz
);
CREATE INDEX login_throttle_last_failure ON login_throttle (last_failure);
