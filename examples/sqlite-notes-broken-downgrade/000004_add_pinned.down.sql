-- Broken on purpose: SQLite cannot drop an indexed column, and the index is dropped too late.
ALTER TABLE notes DROP COLUMN pinned;
DROP INDEX notes_pinned_idx;
