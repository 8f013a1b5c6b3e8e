-- Item ids are a hash of the feed's seed and the item's dedup key (store/items-store.ts). The seed was the feed's
-- row id, which is new each time a removed feed is added again, so earlier /read/ links stopped working. Now each
-- feed keeps a seed that outlives it: feeds subscribed before this migration keep their row id as their seed (their
-- items keep the ids they have), a feed subscribed from now on is seeded with its address, and removing a feed
-- remembers its seed under its address, for the day it is added again. A column, not derived from `url`, because a
-- permanent redirect changes a feed's address without changing its items.
ALTER TABLE feeds ADD COLUMN item_id_seed TEXT;
UPDATE feeds SET item_id_seed = CAST(id AS TEXT);

CREATE TABLE removed_feed_seeds (
  url TEXT PRIMARY KEY,
  item_id_seed TEXT NOT NULL
);

-- store/feeds-store.ts's addFeeds writes the seed with the row (subscribe, OPML, the default sources); a row
-- written any other way gets the same seed here. (A trigger's write would count in addFeeds' changes.)
CREATE TRIGGER feeds_item_id_seed AFTER INSERT ON feeds WHEN new.item_id_seed IS NULL BEGIN
  UPDATE feeds SET item_id_seed = COALESCE(
    (SELECT item_id_seed FROM removed_feed_seeds WHERE url = new.url),
    'url:' || new.url
  ) WHERE id = new.id;
END;

-- Every way a feed is removed (DELETE /api/feeds/:id, an undo window running out) remembers it.
CREATE TRIGGER feeds_remember_seed AFTER DELETE ON feeds WHEN old.item_id_seed IS NOT NULL BEGIN
  INSERT INTO removed_feed_seeds (url, item_id_seed) VALUES (old.url, old.item_id_seed)
    ON CONFLICT (url) DO UPDATE SET item_id_seed = excluded.item_id_seed;
END;
