CREATE OR REPLACE VIEW open_invoices AS
    SELECT id, account_id, total, issued_on FROM invoices WHERE status = 'open';
