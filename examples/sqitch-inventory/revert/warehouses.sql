BEGIN;
DROP TABLE inventory.warehouses;
COMMIT;
