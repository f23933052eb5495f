-- Safe on PostgreSQL 11+: a constant default is stored in the catalog, no table rewrite.
SET lock_timeout = '5s';
ALTER TABLE invoices ADD COLUMN status text NOT NULL DEFAULT 'open';
