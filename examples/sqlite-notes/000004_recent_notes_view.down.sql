DROP TRIGGER notes_title_trim;
DROP VIEW recent_notes;
