-- Readable articles, extracted at the edge and stored sanitised, so readers and the digest are served from D1.
-- An item's article has the item's id; a page asked for by URL alone (GET /api/articles?url=) has a hash of that URL.
CREATE TABLE articles (
  id TEXT PRIMARY KEY,
  -- Set for an item's article: it goes when the item is pruned.
  item_id TEXT UNIQUE REFERENCES items (id) ON DELETE CASCADE,
  -- The URL the article was asked for (the item's link, or the ?url= value): how ?url= requests find it again.
  url TEXT,
  -- What it was extracted from: the extractor's revision and the item's content_hash. When either changes, it is redone.
  version TEXT NOT NULL,
  -- Where the page ended up after redirects (the "read the original" link), or the item's link for feed content.
  page_url TEXT,
  title TEXT NOT NULL,
  byline TEXT,
  site_name TEXT,
  published_at TEXT,
  content_html TEXT NOT NULL,
  word_count INTEGER NOT NULL,
  -- JSON array of the same-origin /img URLs the content uses, in order.
  images TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('page', 'feed')),
  -- A hash of the article as served: the HTTP ETag, and part of the digest's.
  etag TEXT NOT NULL,
  extracted_at INTEGER NOT NULL
);
CREATE INDEX articles_url ON articles (url, extracted_at DESC);

-- Pages that could not be read. Gone pages are not fetched again until the item changes or a day has passed;
-- the cron skips any page until retry_at, so one broken site cannot use up every run's extraction budget.
CREATE TABLE article_failures (
  id TEXT PRIMARY KEY,
  version TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('gone', 'upstream')),
  message TEXT NOT NULL,
  retry_at INTEGER NOT NULL
);

-- The image URLs that stored items and articles reference: the image proxy serves these and nothing else,
-- so /img cannot be used to fetch arbitrary URLs through us. Rows go with the item or article that holds them.
CREATE TABLE image_refs (
  url TEXT NOT NULL,
  item_id TEXT REFERENCES items (id) ON DELETE CASCADE,
  article_id TEXT REFERENCES articles (id) ON DELETE CASCADE,
  CHECK ((item_id IS NULL) <> (article_id IS NULL))
);
CREATE INDEX image_refs_url ON image_refs (url);
CREATE UNIQUE INDEX image_refs_item ON image_refs (item_id, url) WHERE item_id IS NOT NULL;
CREATE UNIQUE INDEX image_refs_article ON image_refs (article_id, url) WHERE article_id IS NOT NULL;
