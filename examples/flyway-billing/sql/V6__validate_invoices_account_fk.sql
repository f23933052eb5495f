-- Safe recipe, step 2: validate in its own migration; VALIDATE takes only SHARE UPDATE EXCLUSIVE.
ALTER TABLE invoices VALIDATE CONSTRAINT invoices_account_fk;
