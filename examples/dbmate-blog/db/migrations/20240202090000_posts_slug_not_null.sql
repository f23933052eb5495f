-- migrate:up
-- Unsafe: SET NOT NULL scans all of posts under ACCESS EXCLUSIVE.
ALTER TABLE posts ALTER COLUMN slug SET NOT NULL;

-- migrate:down

