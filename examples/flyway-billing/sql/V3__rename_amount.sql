-- Unsafe: running application code still reads invoices.amount and breaks the moment this commits.
ALTER TABLE invoices RENAME COLUMN amount TO total;
