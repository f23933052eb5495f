-- Safe: a lock timeout first, and a constant default (no rewrite on PostgreSQL 11+).
BEGIN;
SET LOCAL lock_timeout = '2s';
ALTER TABLE inventory.items ADD COLUMN discontinued boolean NOT NULL DEFAULT false;
COMMIT;
