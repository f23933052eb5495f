-- Safe: one statement per file, so golang-migrate sends it outside any transaction, as CONCURRENTLY needs.
CREATE UNIQUE INDEX CONCURRENTLY customers_email_key ON customers (email);
