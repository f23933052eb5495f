-- Unsafe: several statements in one file run as one implicit transaction on PostgreSQL, and the
-- backfill rewrites every row of orders without a WHERE clause while holding its locks.
ALTER TABLE orders ADD COLUMN status text;
UPDATE orders SET status = 'paid';
