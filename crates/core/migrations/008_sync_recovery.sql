-- Sync recovery (schema 8).

-- Pulled changes this database could not store (a record that breaks a local rule, a second
-- record with one natural key): kept aside with the reason and shown to the person, while the
-- cursor moves on and everything else arrives. Each is tried again after every pull; a newer
-- change of the same record replaces it.
CREATE TABLE sync_unapplied (
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    change TEXT NOT NULL,
    reason TEXT NOT NULL,
    first_failed_at TEXT NOT NULL,
    PRIMARY KEY (entity, entity_id)
) WITHOUT ROWID;

-- During a full resync after the server forgot changes (restored from a backup: a new epoch, or
-- a mutation gap), the local records the server has not sent yet, with the field versions known
-- here when it began. A field the server sends at an older version than this had was changed
-- after the server's backup: the local value is kept and pushed again. What is left when the
-- resync ends is what the server lost whole and this database still holds: it is pushed again.
CREATE TABLE sync_unseen (
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    field_versions TEXT,
    PRIMARY KEY (entity, entity_id)
) WITHOUT ROWID;
