BEGIN;
CREATE TABLE inventory.warehouses (
    id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    city text NOT NULL
);
COMMIT;
