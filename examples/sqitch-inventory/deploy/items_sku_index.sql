-- Safe: sqitch runs the script as psql does; without BEGIN, CONCURRENTLY runs outside a transaction.
SET lock_timeout = '2s';
CREATE INDEX CONCURRENTLY items_sku_idx ON inventory.items (sku);
