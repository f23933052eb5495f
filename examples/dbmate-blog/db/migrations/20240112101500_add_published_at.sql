-- migrate:up
-- No down section: `dbmate rollback` cannot undo this migration.
ALTER TABLE posts ADD COLUMN published_at timestamptz;
