-- What each device's mutation ids carried: a retried push must send the same content under an id
-- the server already processed. A database restored from a backup or copied to a second machine
-- reuses ids for new changes; without this they were answered `duplicate` and silently lost.
-- One row per processed mutation (applied or rejected), written with the push (push.rs).
CREATE TABLE mutation_digests (
    device_id   text   NOT NULL,
    mutation_id bigint NOT NULL,
    digest      bytea  NOT NULL,
    PRIMARY KEY (device_id, mutation_id)
);
