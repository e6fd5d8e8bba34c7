-- Accounts and deals in full (schema 9). An account's current ARR (CARR, cents): a customer
-- with CARR above zero must be tiered, as must a prospect with an open deal.
ALTER TABLE accounts ADD COLUMN carr INTEGER NOT NULL DEFAULT 0;

-- A deal's pitch deck link, whether the customer's understanding came via
-- the partner, and the deal's economics (partner discount, credited back to the seller as
-- channel neutral; partner services attached). Amounts in cents.
ALTER TABLE opportunities ADD COLUMN pitch_deck_url TEXT NOT NULL DEFAULT '';
ALTER TABLE opportunities ADD COLUMN understanding_via_partner INTEGER NOT NULL DEFAULT 0;
ALTER TABLE opportunities ADD COLUMN partner_discount INTEGER NOT NULL DEFAULT 0;
ALTER TABLE opportunities ADD COLUMN services_attach INTEGER NOT NULL DEFAULT 0;
-- Closed-won sums per partner and fiscal year read deals by stage and close date.
CREATE INDEX opportunities_stage_close ON opportunities(stage, close_date);
