CREATE VIEW recent_notes AS
  SELECT id, title, created_at FROM notes WHERE archived = 0 ORDER BY created_at DESC LIMIT 50;

CREATE TRIGGER notes_title_trim AFTER INSERT ON notes
BEGIN
  UPDATE notes SET title = trim(title) WHERE id = NEW.id;
END;
