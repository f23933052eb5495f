-- Unsafe: a blocking index build, in the same transaction as a column change that holds
-- ACCESS EXCLUSIVE on invoices until the script commits.
ALTER TABLE invoices ADD COLUMN paid_on date;
CREATE INDEX invoices_issued_on_idx ON invoices (issued_on);
