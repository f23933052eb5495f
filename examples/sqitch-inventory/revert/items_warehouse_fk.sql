BEGIN;
ALTER TABLE inventory.items DROP CONSTRAINT items_warehouse_fk;
COMMIT;
