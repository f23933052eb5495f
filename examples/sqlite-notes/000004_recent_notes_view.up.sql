CREATE VIEW recent_notes AS
  SELECT id, title, created_at FROM notes WHERE archived = 0 ORDER BY created_at DESC LIMIT 50;

CREATE INDEX notes_created_at_idx ON notes (created_at);
