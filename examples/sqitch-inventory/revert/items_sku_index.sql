DROP INDEX CONCURRENTLY inventory.items_sku_idx;
