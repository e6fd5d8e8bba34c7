-- Full-text search over partners, call notes, business plans and next steps.
-- One FTS5 table per kind, keyed by the row's rowid so updates touch one FTS row.
-- Triggers keep them current for every write path, including rows that sync pulls in.

CREATE VIRTUAL TABLE partners_fts USING fts5(
    name, account_notes, owner,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
CREATE VIRTUAL TABLE call_notes_fts USING fts5(
    title, body,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
CREATE VIRTUAL TABLE business_plans_fts USING fts5(
    goals, marketing_plan,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
CREATE VIRTUAL TABLE next_steps_fts USING fts5(
    description, owner,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);

CREATE TRIGGER partners_fts_insert AFTER INSERT ON partners BEGIN
    INSERT INTO partners_fts(rowid, name, account_notes, owner)
    VALUES (new.rowid, new.name, new.account_notes, new.owner);
END;
CREATE TRIGGER partners_fts_update AFTER UPDATE OF name, account_notes, owner ON partners BEGIN
    DELETE FROM partners_fts WHERE rowid = old.rowid;
    INSERT INTO partners_fts(rowid, name, account_notes, owner)
    VALUES (new.rowid, new.name, new.account_notes, new.owner);
END;
CREATE TRIGGER partners_fts_delete AFTER DELETE ON partners BEGIN
    DELETE FROM partners_fts WHERE rowid = old.rowid;
END;

CREATE TRIGGER call_notes_fts_insert AFTER INSERT ON call_notes BEGIN
    INSERT INTO call_notes_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body);
END;
CREATE TRIGGER call_notes_fts_update AFTER UPDATE OF title, body ON call_notes BEGIN
    DELETE FROM call_notes_fts WHERE rowid = old.rowid;
    INSERT INTO call_notes_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body);
END;
CREATE TRIGGER call_notes_fts_delete AFTER DELETE ON call_notes BEGIN
    DELETE FROM call_notes_fts WHERE rowid = old.rowid;
END;

CREATE TRIGGER business_plans_fts_insert AFTER INSERT ON business_plans BEGIN
    INSERT INTO business_plans_fts(rowid, goals, marketing_plan)
    VALUES (new.rowid, new.goals, new.marketing_plan);
END;
CREATE TRIGGER business_plans_fts_update AFTER UPDATE OF goals, marketing_plan ON business_plans BEGIN
    DELETE FROM business_plans_fts WHERE rowid = old.rowid;
    INSERT INTO business_plans_fts(rowid, goals, marketing_plan)
    VALUES (new.rowid, new.goals, new.marketing_plan);
END;
CREATE TRIGGER business_plans_fts_delete AFTER DELETE ON business_plans BEGIN
    DELETE FROM business_plans_fts WHERE rowid = old.rowid;
END;

CREATE TRIGGER next_steps_fts_insert AFTER INSERT ON next_steps BEGIN
    INSERT INTO next_steps_fts(rowid, description, owner) VALUES (new.rowid, new.description, new.owner);
END;
CREATE TRIGGER next_steps_fts_update AFTER UPDATE OF description, owner ON next_steps BEGIN
    DELETE FROM next_steps_fts WHERE rowid = old.rowid;
    INSERT INTO next_steps_fts(rowid, description, owner) VALUES (new.rowid, new.description, new.owner);
END;
CREATE TRIGGER next_steps_fts_delete AFTER DELETE ON next_steps BEGIN
    DELETE FROM next_steps_fts WHERE rowid = old.rowid;
END;

-- Index what earlier schema versions already hold.
INSERT INTO partners_fts(rowid, name, account_notes, owner)
    SELECT rowid, name, account_notes, owner FROM partners;
INSERT INTO call_notes_fts(rowid, title, body) SELECT rowid, title, body FROM call_notes;
INSERT INTO business_plans_fts(rowid, goals, marketing_plan)
    SELECT rowid, goals, marketing_plan FROM business_plans;
INSERT INTO next_steps_fts(rowid, description, owner) SELECT rowid, description, owner FROM next_steps;
