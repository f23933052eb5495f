DROP INDEX notes_created_at_idx;
DROP VIEW recent_notes;
