-- Search indexing can be deferred for the length of one transaction (schema 7).
--
-- FTS5 writes its pending terms out as a new segment at every statement savepoint, and inside a
-- transaction every INSERT or UPDATE that fires one of these triggers opens one. Applying a
-- pulled page of 1,000 notes row by row thus wrote 1,000 one-note segments and merged them over
-- and over: half the time of an initial pull (docs/sync-benchmarks.md). While a `sync_state` row
-- `search_deferred` exists, the insert and update triggers stand aside and the writer indexes
-- the rows itself, in one statement per table (see `store/sync.rs`). The row is written and
-- removed inside that one transaction, so no other connection ever sees it. Deletes still
-- index at once: they are few, and the row is gone afterwards.

DROP TRIGGER partners_fts_insert;
CREATE TRIGGER partners_fts_insert AFTER INSERT ON partners
WHEN NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'search_deferred') BEGIN
    INSERT INTO partners_fts(rowid, name, account_notes, owner)
    VALUES (new.rowid, new.name, new.account_notes, new.owner);
END;
DROP TRIGGER partners_fts_update;
CREATE TRIGGER partners_fts_update AFTER UPDATE OF name, account_notes, owner ON partners
WHEN NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'search_deferred') BEGIN
    DELETE FROM partners_fts WHERE rowid = old.rowid;
    INSERT INTO partners_fts(rowid, name, account_notes, owner)
    VALUES (new.rowid, new.name, new.account_notes, new.owner);
END;

DROP TRIGGER call_notes_fts_insert;
CREATE TRIGGER call_notes_fts_insert AFTER INSERT ON call_notes
WHEN NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'search_deferred') BEGIN
    INSERT INTO call_notes_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body);
END;
DROP TRIGGER call_notes_fts_update;
CREATE TRIGGER call_notes_fts_update AFTER UPDATE OF title, body ON call_notes
WHEN NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'search_deferred') BEGIN
    DELETE FROM call_notes_fts WHERE rowid = old.rowid;
    INSERT INTO call_notes_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body);
END;

DROP TRIGGER business_plans_fts_insert;
CREATE TRIGGER business_plans_fts_insert AFTER INSERT ON business_plans
WHEN NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'search_deferred') BEGIN
    INSERT INTO business_plans_fts(rowid, goals, marketing_plan)
    VALUES (new.rowid, new.goals, new.marketing_plan);
END;
DROP TRIGGER business_plans_fts_update;
CREATE TRIGGER business_plans_fts_update AFTER UPDATE OF goals, marketing_plan ON business_plans
WHEN NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'search_deferred') BEGIN
    DELETE FROM business_plans_fts WHERE rowid = old.rowid;
    INSERT INTO business_plans_fts(rowid, goals, marketing_plan)
    VALUES (new.rowid, new.goals, new.marketing_plan);
END;

DROP TRIGGER next_steps_fts_insert;
CREATE TRIGGER next_steps_fts_insert AFTER INSERT ON next_steps
WHEN NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'search_deferred') BEGIN
    INSERT INTO next_steps_fts(rowid, description, owner) VALUES (new.rowid, new.description, new.owner);
END;
DROP TRIGGER next_steps_fts_update;
CREATE TRIGGER next_steps_fts_update AFTER UPDATE OF description, owner ON next_steps
WHEN NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'search_deferred') BEGIN
    DELETE FROM next_steps_fts WHERE rowid = old.rowid;
    INSERT INTO next_steps_fts(rowid, description, owner) VALUES (new.rowid, new.description, new.owner);
END;
