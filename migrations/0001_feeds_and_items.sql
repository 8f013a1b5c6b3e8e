-- Subscriptions and their refresh state. Times are milliseconds since the epoch (UTC).
CREATE TABLE feeds (
  id INTEGER PRIMARY KEY,
  url TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL DEFAULT '',
  site_url TEXT,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('ok', 'pending', 'error', 'gone')),
  last_error TEXT,
  error_count INTEGER NOT NULL DEFAULT 0,
  etag TEXT,
  last_modified TEXT,
  last_fetched_at INTEGER,
  next_fetch_at INTEGER NOT NULL DEFAULT 0,
  -- The publisher's own idea of how often to come back (Cache-Control, ttl, sy:updatePeriod), kept for 304s.
  hinted_interval_ms INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX feeds_due ON feeds (next_fetch_at);

-- Items keep a stable id (a hash of feed and dedup key), so links to /read/:id survive refreshes.
CREATE TABLE items (
  id TEXT PRIMARY KEY,
  feed_id INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
  guid TEXT,
  url TEXT,
  title TEXT NOT NULL DEFAULT '',
  author TEXT,
  published_at INTEGER,
  -- published_at when the feed gave a valid date, else when we first saw the item: the reading order.
  sort_at INTEGER NOT NULL,
  summary TEXT NOT NULL DEFAULT '',
  content_html TEXT NOT NULL DEFAULT '',
  image_url TEXT,
  content_hash TEXT NOT NULL,
  first_seen_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX items_latest ON items (sort_at DESC, id DESC);
CREATE INDEX items_feed_latest ON items (feed_id, sort_at DESC, id DESC);
CREATE INDEX items_feed_guid ON items (feed_id, guid);
CREATE INDEX items_feed_url ON items (feed_id, url);

-- A host that answered 429 / 503 with Retry-After is left alone until then, for all its feeds.
CREATE TABLE host_backoff (
  host TEXT PRIMARY KEY,
  until_at INTEGER NOT NULL,
  reason TEXT NOT NULL
);

-- Small facts about the installation: whether the default feeds were seeded, when the last refresh ran.
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
