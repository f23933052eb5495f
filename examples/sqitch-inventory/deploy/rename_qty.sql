-- Unsafe: the running application still writes items.qty. And there is no revert script.
BEGIN;
ALTER TABLE inventory.items RENAME COLUMN qty TO quantity;
COMMIT;
