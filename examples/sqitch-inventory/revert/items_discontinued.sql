BEGIN;
ALTER TABLE inventory.items DROP COLUMN discontinued;
COMMIT;
