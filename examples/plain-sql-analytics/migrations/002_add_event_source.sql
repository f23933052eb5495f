-- Unsafe: NOT NULL without a default fails on the first existing event.
ALTER TABLE events ADD COLUMN source text NOT NULL;
