DROP INDEX notes_active_idx;
ALTER TABLE notes DROP COLUMN archived;
