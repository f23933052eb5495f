BEGIN;
DROP TABLE inventory.items;
COMMIT;
