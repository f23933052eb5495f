-- Safe: Flyway sees that this script cannot run in a transaction and runs it without one.
CREATE INDEX CONCURRENTLY invoices_account_id_idx ON invoices (account_id);
