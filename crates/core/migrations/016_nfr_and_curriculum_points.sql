-- NFR licence requests (schema 16, seed 003): asked for a partner, verified by the Partner
-- Help Desk, sent to the partner's licence contact, or refused with why.
CREATE TABLE nfr_requests (
    id TEXT PRIMARY KEY,
    partner_id TEXT NOT NULL REFERENCES partners(id),
    requested_by TEXT NOT NULL,
    requested_on TEXT NOT NULL,
    contact_name TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    purpose TEXT NOT NULL DEFAULT '',
    seats INTEGER NOT NULL,
    status TEXT NOT NULL,
    status_on TEXT,
    refusal_reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX nfr_requests_partner ON nfr_requests(partner_id, requested_on);

-- What a curriculum quiz is worth (seed 004: "GitLab SDLC Quiz (Quiz - 9 Points)").
ALTER TABLE curriculum_modules ADD COLUMN points INTEGER;
UPDATE curriculum_modules SET points = 9 WHERE id = 'mod-gitlab-sdlc-quiz';
