-- Plan against actuals for every partner, the roll-up and the Accounts screen sum deals and
-- count steps (schema 14). Their reads come from these indexes alone: the deals table is ~20 MB
-- at 50,000 deals, more than the page cache, so a scan of it was most of their time.
-- The fiscal year's deals by close date, with what is summed of them.
CREATE INDEX opportunities_closing ON opportunities(
    close_date, registered_partner_id, account_id, opportunity_type, stage, iacv,
    services_attach);
-- Each account's deals, with their stage and amount (open deals counted and summed). It
-- replaces the index on the account alone, which it starts with.
DROP INDEX opportunities_account;
CREATE INDEX opportunities_account ON opportunities(account_id, stage, amount);
-- Open next steps by due date, with their partner: overdue steps counted per partner (the
-- roll-up) without reading each step's row.
DROP INDEX next_steps_open_due;
CREATE INDEX next_steps_open_due ON next_steps(status, due_on, partner_id);
