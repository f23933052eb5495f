-- Unsafe: the foreign key is checked against every existing item while writes to both tables wait.
BEGIN;
ALTER TABLE inventory.items
    ADD CONSTRAINT items_warehouse_fk FOREIGN KEY (warehouse_id) REFERENCES inventory.warehouses (id);
COMMIT;
