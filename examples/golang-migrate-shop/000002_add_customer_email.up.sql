-- Unsafe: NOT NULL without a default fails as soon as customers has a row.
ALTER TABLE customers ADD COLUMN email text NOT NULL;
