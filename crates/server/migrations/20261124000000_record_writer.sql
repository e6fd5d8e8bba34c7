-- The writer most of a record's fields share, stored once: `field_writers` keeps only the fields
-- someone else wrote last (records.rs). A pushed note names one device for every field, and
-- storing it per field made that map most of the JSON PostgreSQL parsed per push. Rows written
-- before this column have it null and every writer in the map, which reads the same.
ALTER TABLE records ADD COLUMN writer text;
