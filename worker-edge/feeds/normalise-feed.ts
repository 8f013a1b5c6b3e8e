// FeedDraft → NormalisedFeed: the feed's own fields, then each item.
import type { FeedDraft } from './feed-draft.ts';
import type { NormalisedFeed } from '../model/feed.ts';
import { firstHttpUrl, normaliseItem, plainText } from './normalise-item.ts';

export function normaliseFeed(draft: FeedDraft, now: number): NormalisedFeed {
  return {
    format: draft.format,
    title: draft.title ? plainText(draft.title) : '',
    siteUrl: firstHttpUrl(draft.siteUrls, draft.baseUrl),
    hints: draft.hints,
    items: draft.items.map((item) => normaliseItem(item, now)),
  };
}
