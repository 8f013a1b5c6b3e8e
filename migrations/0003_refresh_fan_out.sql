-- The refresh fans out on a queue: a consumer takes a feed with the lease query and writes its outcome once.
-- lease_count: takes without a recorded outcome since the last one (a consumer that died mid-way: CPU limit, crash).
-- After two lost takes the feed is marked failing and backs off instead of being retried first forever.
ALTER TABLE feeds ADD COLUMN lease_count INTEGER NOT NULL DEFAULT 0;
-- A hash of the last body parsed: a 200 with the same bytes is handled as a 304 (nothing read, one row written).
ALTER TABLE feeds ADD COLUMN body_hash TEXT;
-- The posting-rate interval measured at the last change, so a 304 schedules the next fetch without reading items.
ALTER TABLE feeds ADD COLUMN posting_interval_ms INTEGER;
