-- Folders: each feed sits in at most one, by name (NULL: "No folder"). A column rather than a folders table: a
-- folder has nothing of its own but its name, it exists while a feed is in it, and moving a feed is one row. Nested
-- folders are one name, their path joined with " / " (OPML import and export read and write them as nested outlines).
ALTER TABLE feeds ADD COLUMN folder TEXT;
-- `/?folder=` and `GET /api/items?folder=` find a folder's feeds without reading every feed. Polls never write this
-- column, so the index costs them nothing.
CREATE INDEX feeds_folder ON feeds (folder) WHERE folder IS NOT NULL;
