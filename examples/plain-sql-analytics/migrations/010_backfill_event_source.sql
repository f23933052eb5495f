-- Unsafe: rewrites every event in one transaction; batch it by id range instead.
BEGIN;
UPDATE events SET source = 'web';
COMMIT;
