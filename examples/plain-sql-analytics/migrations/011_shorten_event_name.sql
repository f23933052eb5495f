-- Unsafe: text -> varchar(64) rewrites and rechecks every row under ACCESS EXCLUSIVE. A CHECK
-- (length(name) <= 64) NOT VALID, validated afterwards, gives the same guarantee without the rewrite.
ALTER TABLE events ALTER COLUMN name TYPE varchar(64);
