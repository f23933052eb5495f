-- migrate:up transaction:false
-- Safe: transaction:false lets CREATE INDEX CONCURRENTLY run outside dbmate's transaction.
CREATE INDEX CONCURRENTLY posts_author_id_idx ON posts (author_id);

-- migrate:down transaction:false
DROP INDEX CONCURRENTLY posts_author_id_idx;
