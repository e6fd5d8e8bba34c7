-- A badge's review cadence, evidence lead time and grace period are rules (schema 11), with
-- the handbook's values (seed 003): reviewed yearly in the grant month, evidence one month
-- before, a quarter of grace after a non-compliant review. A partner's review history and
-- evidence live in its `badges` JSON column.
ALTER TABLE badges ADD COLUMN review_every_months INTEGER NOT NULL DEFAULT 12;
ALTER TABLE badges ADD COLUMN evidence_lead_months INTEGER NOT NULL DEFAULT 1;
ALTER TABLE badges ADD COLUMN grace_months INTEGER NOT NULL DEFAULT 3;
