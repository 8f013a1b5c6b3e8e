-- removed_feed_seeds grew by a row for every feed ever removed. Bounded now, in the trigger that writes it (no job,
-- no extra query: the removal's own statement prunes, reading only the rows it deletes): it remembers the removals
-- among the last 1,000 (store/feeds-store.ts' REMOVED_FEED_SEEDS_KEPT), each address once, the newest last by rowid;
-- a feed removed again moves to the end. A seed its address gives anyway ('url:' || url) is not remembered at all:
-- adding that feed again gives its items the same ids without it.
DROP TRIGGER feeds_remember_seed;

CREATE TRIGGER feeds_remember_seed AFTER DELETE ON feeds WHEN old.item_id_seed IS NOT NULL BEGIN
  DELETE FROM removed_feed_seeds WHERE url = old.url;
  INSERT INTO removed_feed_seeds (url, item_id_seed)
    SELECT old.url, old.item_id_seed WHERE old.item_id_seed <> 'url:' || old.url;
  -- Rowids only grow (each insert takes the largest plus one), so the last 1,000 are a range of the primary key.
  DELETE FROM removed_feed_seeds WHERE rowid <= (SELECT MAX(rowid) FROM removed_feed_seeds) - 1000;
END;

DELETE FROM removed_feed_seeds WHERE item_id_seed = 'url:' || url;
DELETE FROM removed_feed_seeds WHERE rowid <= (SELECT MAX(rowid) FROM removed_feed_seeds) - 1000;
