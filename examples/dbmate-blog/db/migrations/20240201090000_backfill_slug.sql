-- migrate:up
-- Unsafe: one UPDATE over the whole table, in one transaction, locking every row until it commits.
UPDATE posts SET slug = lower(replace(title, ' ', '-'));

-- migrate:down
UPDATE posts SET slug = NULL;
