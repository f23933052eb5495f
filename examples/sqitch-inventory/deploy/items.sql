BEGIN;
CREATE TABLE inventory.items (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    warehouse_id bigint NOT NULL,
    sku          text NOT NULL,
    qty          integer NOT NULL DEFAULT 0
);
COMMIT;
