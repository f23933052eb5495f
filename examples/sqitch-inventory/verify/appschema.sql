SELECT pg_catalog.has_schema_privilege('inventory', 'usage');
