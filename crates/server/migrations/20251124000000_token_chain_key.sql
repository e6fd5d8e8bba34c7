-- The key each refresh token's successor pair is derived from (see tokens.rs): a retried refresh
-- gets the same answer as the first. Generated here, once, so every server process shares it
-- through the database and no configuration has to carry it. gen_random_uuid() draws on the
-- strong random source; two of them give 244 random bits.
CREATE TABLE server_secrets (
    name  text PRIMARY KEY,
    value bytea NOT NULL
);
INSERT INTO server_secrets (name, value)
VALUES ('token_chain', decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'));
