-- Sync bookkeeping (schema 4).

-- Small key/value state: device_id, cursor, last success/error times.
CREATE TABLE sync_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Per changed field, the server version (seq) it was edited from, captured when the change is
-- made: the server compares it with the field's current version to detect conflicts.
ALTER TABLE outbox ADD COLUMN base_versions TEXT NOT NULL DEFAULT '{}';

-- Per record, the server version of each field as last pulled (or acknowledged after push).
CREATE TABLE record_versions (
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    field_versions TEXT NOT NULL,
    PRIMARY KEY (entity, entity_id)
) WITHOUT ROWID;

-- Changes the server refused: kept to show the person, never silently dropped.
CREATE TABLE sync_rejected (
    mutation_id INTEGER PRIMARY KEY,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    op TEXT NOT NULL,
    patch TEXT NOT NULL,
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    rejected_at TEXT NOT NULL
);

-- Open conflicts as the server last reported them (the server is the source of truth).
CREATE TABLE sync_conflicts (
    id TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    seen_at TEXT NOT NULL
) WITHOUT ROWID;
