-- A renewal's incumbent partner, and whether the customer declined it (schema 10). Seed 004:
-- the partner that sold the deal has the first right of refusal on its renewal while in good
-- standing, unless the customer says otherwise.
ALTER TABLE opportunities ADD COLUMN incumbent_partner_id TEXT;
ALTER TABLE opportunities ADD COLUMN incumbent_declined_by_customer INTEGER NOT NULL DEFAULT 0;
