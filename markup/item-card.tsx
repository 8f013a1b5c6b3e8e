// One item in a list of the latest: title (to the readable article), source, time, a short summary and its picture.
// The element carries `data-item-id`, so the client module can mark it available offline, queued or failed, and read.
// Shared by the edge and the service worker (markup/), so the list is the same HTML online and offline.
import type { ItemSummary } from '../contract/http.ts';
import type { OnDevice } from '../contract/messages.ts';
import { proxiedImageUrl, readUrl } from '../contract/paths.ts';
import { truncateAtWord } from './truncate-at-word.ts';
import { formatDateTime } from './page-dates.ts';

const SUMMARY_CHARS = 200;
/** `data-on-device`'s value: "kept", or empty for an article here for now. */
export const onDeviceAttribute = (onDevice: OnDevice): string => (onDevice === 'kept' ? 'kept' : '');

/** Thumbnails are drawn at 3:2 in this box; fixed sizes in the markup mean no layout shift when they arrive. */
const THUMB_WIDTH = 144;
const THUMB_HEIGHT = 96;

const isWebUrl = (url: string | null): url is string => url !== null && /^https?:\/\//i.test(url);

/**
 * `onDevice` is set only on the device's copy of the list (the service worker's): an item whose article opens
 * offline is marked with how (`data-on-device="kept"` or `""`), so the page script words the mark at once, before
 * it hears from the outbox; false offers to fetch it when the connection is back.
 */
export function ItemCard(props: { item: ItemSummary; feedTitle: string; onDevice?: OnDevice | false | undefined }) {
  const { item, onDevice } = props;
  const when = formatDateTime(item.publishedAt);
  return (
    <li
      class="item"
      data-item-id={item.id}
      data-on-device={onDevice ? onDeviceAttribute(onDevice) : undefined}
      data-title={onDevice === false ? item.title : undefined}
    >
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
      {onDevice === false && <LaterButton />}
    </li>
  );
}

/**
 * The last child of an item not on the device, on the device's copy of a list; the service worker also adds it to
 * a cached copy of the edge's page (sw/device-marks.ts), so both copies read the same.
 */
export function LaterButton() {
  return (
    <p class="item-later">
      {/* Hidden until the page script wires it: it queues the article in the device's outbox. */}
      <button type="button" class="quiet-button" data-save-offline hidden>
        Get it when I'm back online
      </button>
    </p>
  );
}
