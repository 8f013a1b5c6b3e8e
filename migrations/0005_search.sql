-- Full-text search over items: title, summary and the text of their extracted article, one FTS5 row per item
-- (its rowid is the item's). A table of its own rather than external content: the article's text exists only here
-- (articles keep HTML), and its rows are deleted by rowid without having to repeat what they indexed.
CREATE VIRTUAL TABLE item_search USING fts5 (title, summary, body, tokenize = 'unicode61 remove_diacritics 2');

-- Items write their title and summary; the article's text is written with the article (store/articles-store.ts),
-- since SQL cannot take the tags out of its HTML.
CREATE TRIGGER item_search_insert AFTER INSERT ON items BEGIN
  INSERT INTO item_search (rowid, title, summary, body) VALUES (new.rowid, new.title, new.summary, '');
END;
-- Only when an indexed column changes: a refresh writes every column of a changed item, mostly with the same text.
CREATE TRIGGER item_search_update AFTER UPDATE OF title, summary ON items
  WHEN old.title IS NOT new.title OR old.summary IS NOT new.summary BEGIN
  UPDATE item_search SET title = new.title, summary = new.summary WHERE rowid = new.rowid;
END;
-- Pruning, unsubscribing (ON DELETE CASCADE fires this too) and any other delete.
CREATE TRIGGER item_search_delete AFTER DELETE ON items BEGIN
  DELETE FROM item_search WHERE rowid = old.rowid;
END;

-- Existing items, then the text of their existing articles: tags taken out one at a time (a once-only pass; new
-- articles get their text from the extractor) and the entities sanitised HTML uses decoded.
INSERT INTO item_search (rowid, title, summary, body) SELECT rowid, title, summary, '' FROM items;
WITH RECURSIVE stripped (item_rowid, rest, text) AS (
  SELECT i.rowid, a.content_html, '' FROM articles a JOIN items i ON i.id = a.item_id
  UNION ALL
  SELECT item_rowid,
    CASE WHEN instr(rest, '<') = 0 OR instr(substr(rest, instr(rest, '<')), '>') = 0 THEN ''
      ELSE substr(rest, instr(rest, '<') + instr(substr(rest, instr(rest, '<')), '>')) END,
    text || CASE WHEN instr(rest, '<') = 0 THEN rest ELSE substr(rest, 1, instr(rest, '<') - 1) || ' ' END
  FROM stripped WHERE rest != ''
)
UPDATE item_search SET body = trim(replace(replace(replace(replace(replace(replace(s.text,
    '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''), '&nbsp;', ' '), '&amp;', '&'))
  FROM stripped s WHERE s.rest = '' AND item_search.rowid = s.item_rowid;
