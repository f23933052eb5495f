-- migrate:up
-- Unsafe: dbmate wraps this section in a transaction, where CONCURRENTLY is refused
-- ("CREATE INDEX CONCURRENTLY cannot run inside a transaction block"). Add transaction:false.
CREATE UNIQUE INDEX CONCURRENTLY posts_slug_key ON posts (slug);

-- migrate:down
DROP INDEX posts_slug_key;
