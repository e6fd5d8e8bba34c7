-- Drafts: what a person is typing (a call note, a plan's goals), saved as they type so that
-- quitting or a crash loses nothing. Local to this device: never synced, never in the outbox.
CREATE TABLE drafts (
    key TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;
