// One item in a list of the latest: title (to the readable article), source, time, a short summary and its picture.
// The element carries `data-item-id`, so the client module can mark it available offline, queued or failed, and read.
import type { ItemSummary } from '../contract/http.ts';
import { proxiedImageUrl, readUrl } from '../contract/paths.ts';
import { truncateAtWord } from './truncate-at-word.ts';
import { formatDateTime } from './page-dates.ts';

const SUMMARY_CHARS = 200;
/** Thumbnails are drawn at 3:2 in this box; fixed sizes in the markup mean no layout shift when they arrive. */
const THUMB_WIDTH = 144;
const THUMB_HEIGHT = 96;

const isWebUrl = (url: string | null): url is string => url !== null && /^https?:\/\//i.test(url);

export function ItemCard(props: { item: ItemSummary; feedTitle: string }) {
  const { item } = props;
  const when = formatDateTime(item.publishedAt);
  return (
    <li class="item" data-item-id={item.id}>
      <h2 class="item-title">
        <a href={readUrl(item.id)}>{item.title || 'Untitled'}</a>
      </h2>
      <p class="item-meta">
        <a href={`/?feed=${item.feedId}`} class="item-source">
          {props.feedTitle}
        </a>
        {when && item.publishedAt && <time datetime={item.publishedAt}>{when}</time>}
        <span class="offline-mark" data-offline-mark></span>
      </p>
      {item.summary && <p class="item-summary">{truncateAtWord(item.summary, SUMMARY_CHARS)}</p>}
      {isWebUrl(item.imageUrl) && (
        <img
          class="item-image"
          src={proxiedImageUrl(item.imageUrl)}
          alt=""
          width={THUMB_WIDTH}
          height={THUMB_HEIGHT}
          loading="lazy"
          decoding="async"
        />
      )}
    </li>
  );
}
