SET lock_timeout = '3s';

CREATE TABLE order_items (
    order_id   bigint NOT NULL,
    sku        text NOT NULL,
    quantity   integer NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_id, sku)
);

-- Safe: order_items was created above, so checking its (no) rows costs nothing.
ALTER TABLE order_items ADD CONSTRAINT order_items_order_fk FOREIGN KEY (order_id) REFERENCES orders (id);

-- Unsafe: without NOT VALID this scans all of orders while blocking writes to orders and customers.
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);
