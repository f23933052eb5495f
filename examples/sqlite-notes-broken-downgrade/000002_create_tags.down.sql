DROP INDEX note_tags_tag_idx;
DROP TABLE note_tags;
DROP TABLE tags;
