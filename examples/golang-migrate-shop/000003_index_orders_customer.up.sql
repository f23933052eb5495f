-- Unsafe: a plain CREATE INDEX blocks every write to orders while it builds. (And there is no down file.)
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
