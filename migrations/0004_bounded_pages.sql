-- Pages read by their address (shares, GET /api/articles?url=, which anyone may call) are kept under a byte budget,
-- enforced as each one is written (worker-edge/articles/page-budget.ts): what a page costs in D1 is stored with it.
ALTER TABLE articles ADD COLUMN stored_bytes INTEGER NOT NULL DEFAULT 0;
UPDATE articles SET stored_bytes = length(CAST(content_html AS BLOB)) + length(CAST(images AS BLOB)) + 1024
  WHERE item_id IS NULL;
-- Newest first, as the eviction walks them.
CREATE INDEX articles_pages ON articles (extracted_at DESC, id) WHERE item_id IS NULL;
-- When a page last failed (the table is capped by it, so failing addresses cannot grow it either), and until when a
-- reader asking in person is given that failure instead of another fetch (what the site asked, at most a minute).
ALTER TABLE article_failures ADD COLUMN failed_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE article_failures ADD COLUMN held_until INTEGER NOT NULL DEFAULT 0;
CREATE INDEX article_failures_failed_at ON article_failures (failed_at);
