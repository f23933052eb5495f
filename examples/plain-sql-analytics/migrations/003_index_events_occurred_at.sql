-- Safe: run with psql -f, each statement autocommits, so CONCURRENTLY is allowed.
SET lock_timeout = '2s';
CREATE INDEX CONCURRENTLY events_occurred_at_idx ON events (occurred_at);
