-- The refresh fans out on a queue. An unchanged poll writes one row: the feed's outcome.
-- So the fan-out writes nothing per feed: it takes the feeds due since the last fan-out's position in the
-- (next_fetch_at, id) order, and moves that position, in one transaction. Feeds overdue by more than the queue
-- lease were lost on the way (a message dropped) and are taken again.
CREATE TABLE fan_out (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  at INTEGER NOT NULL,
  feed_id INTEGER NOT NULL
);
-- Every poll rewrites next_fetch_at: an index on it would double the rows each poll writes. The fan-out reads the
-- feeds table once per cron instead (rows read are cheap: 25 billion a month are included on the Paid plan).
DROP INDEX feeds_due;
-- A hash of the last body parsed: a 200 with the same bytes is handled as a 304 (nothing read, one row written).
ALTER TABLE feeds ADD COLUMN body_hash TEXT;
-- The posting-rate interval measured at the last change, so a 304 schedules the next fetch without reading items.
ALTER TABLE feeds ADD COLUMN posting_interval_ms INTEGER;
