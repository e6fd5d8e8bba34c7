-- The open conflicts in list order: `GET /v1/conflicts` pages by (created_at, id).
CREATE INDEX conflicts_open_order ON conflicts (created_at, id) WHERE resolved_at IS NULL;
