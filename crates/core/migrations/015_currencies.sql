-- Money in the partner's currency (schema 15): the ISO 4217 currency of each record's
-- amounts. Records from before are in US dollars.
ALTER TABLE partners ADD COLUMN currency TEXT NOT NULL DEFAULT 'USD';
ALTER TABLE business_plans ADD COLUMN currency TEXT NOT NULL DEFAULT 'USD';
ALTER TABLE accounts ADD COLUMN currency TEXT NOT NULL DEFAULT 'USD';
ALTER TABLE opportunities ADD COLUMN currency TEXT NOT NULL DEFAULT 'USD';

-- A rules table an admin keeps: US dollars for one unit of a currency (in billionths), for
-- sums across currencies. None ship: rates are the admin's, with the day they were taken.
CREATE TABLE exchange_rates (
    id TEXT PRIMARY KEY,
    currency TEXT NOT NULL UNIQUE,
    usd_per_unit INTEGER NOT NULL,
    as_of TEXT NOT NULL
);

-- The sums of schema 14 read each deal's currency too: the covering indexes take it.
DROP INDEX opportunities_closing;
CREATE INDEX opportunities_closing ON opportunities(
    close_date, registered_partner_id, account_id, opportunity_type, stage, iacv,
    services_attach, currency);
-- Each account's open deals are summed per currency: grouped in the index's order.
DROP INDEX opportunities_account;
CREATE INDEX opportunities_account ON opportunities(account_id, currency, stage, amount);
