// Namespaced extensions that RSS and Atom feeds share: Media RSS and iTunes images, enclosures, Dublin Core and
// Atom dates, syndication hints.
import type { ScheduleHints } from '../model/feed.ts';
import { resolveHttpUrl } from './resolve-url.ts';
import { attribute, childText, children, textOf } from './xml-node.ts';

const IMAGE_FILE = /\.(?:jpe?g|png|gif|webp|avif)(?:[?#]|$)/i;

function isImageMedia(media: unknown): boolean {
  const medium = attribute(media, 'medium')?.trim().toLowerCase();
  const type = attribute(media, 'type')?.trim().toLowerCase();
  if (medium || type) return medium === 'image' || Boolean(type?.startsWith('image/'));
  return IMAGE_FILE.test(attribute(media, 'url') ?? '');
}

/**
 * Candidate images of an item, best first: Media RSS thumbnails (made for this purpose), then image media:content,
 * image enclosures, and the iTunes episode image. media:group wraps the same elements (YouTube does).
 */
export function extensionImages(item: unknown, base: string): string[] {
  const holders = [item, ...children(item, 'media:group')];
  const contents = holders.flatMap((holder) => children(holder, 'media:content'));
  const urls = [
    ...[...holders, ...contents]
      .flatMap((holder) => children(holder, 'media:thumbnail'))
      .map((thumbnail) => attribute(thumbnail, 'url')),
    ...contents.filter(isImageMedia).map((content) => attribute(content, 'url')),
    ...children(item, 'enclosure')
      .filter((enclosure) => /^image\//i.test(attribute(enclosure, 'type') ?? ''))
      .map((enclosure) => attribute(enclosure, 'url')),
    ...children(item, 'itunes:image').map((image) => attribute(image, 'href') ?? textOf(image)),
  ];
  return urls.map((url) => resolveHttpUrl(url, base)).filter((url): url is string => url !== null);
}

/** media:description (plain text): the only description YouTube's feeds carry. */
export function mediaDescriptions(item: unknown): string[] {
  return [item, ...children(item, 'media:group')]
    .flatMap((holder) => children(holder, 'media:description'))
    .map((description) => textOf(description)?.trim() ?? '')
    .filter(Boolean);
}

/** The texts of every child named in `names`, in that order (publication dates before modification dates...). */
export function textsOf(node: unknown, names: string[]): string[] {
  return names.flatMap((name) => children(node, name).map((child) => textOf(child)?.trim() ?? '')).filter(Boolean);
}

const UPDATE_PERIODS = new Set(['hourly', 'daily', 'weekly', 'monthly', 'yearly']);

/** RSS <ttl> and the syndication module's sy:updatePeriod / sy:updateFrequency, when they make sense. */
export function scheduleHints(channel: unknown): ScheduleHints {
  const period = childText(channel, 'sy:updatePeriod')?.toLowerCase() ?? null;
  return {
    ttlMinutes: positiveInteger(childText(channel, 'ttl')),
    updatePeriod: period && UPDATE_PERIODS.has(period) ? period : null,
    updateFrequency: positiveInteger(childText(channel, 'sy:updateFrequency')),
  };
}

function positiveInteger(text: string | null): number | null {
  const value = text && /^\d{1,9}$/.test(text) ? Number(text) : 0;
  return value > 0 ? value : null;
}
