-- Safe recipe, step 1: add the foreign key without checking existing rows (brief lock only).
SET lock_timeout = '5s';
ALTER TABLE invoices
    ADD CONSTRAINT invoices_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;
