-- A constant default keeps ADD COLUMN NOT NULL valid on SQLite and instant.
ALTER TABLE notes ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;
CREATE INDEX notes_active_idx ON notes (created_at) WHERE archived = 0;
