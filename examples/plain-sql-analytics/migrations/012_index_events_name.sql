-- Unsafe: blocks inserts into events for the whole build.
CREATE INDEX events_name_idx ON events (name);
