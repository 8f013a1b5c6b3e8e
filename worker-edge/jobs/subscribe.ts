// Subscribing by URL: a feed URL, or a site page whose <link rel="alternate"> names its feed (autodiscovery).
// The feed is fetched and parsed before it is stored, so a reader never subscribes to something that is not a feed.
import { checkFetchableUrl } from '../net/address-guard.ts';
import { FetchFailure, politeFetch } from '../net/polite-fetch.ts';
import { addFeeds, getCountedFeed, getFeedByUrl, resetFeed, type CountedFeed } from '../store/feeds-store.ts';
import { writeBatch } from '../store/write-batch.ts';
import { discoverFeedLinks, looksLikeHtml } from '../feeds/autodiscover.ts';
import { decodeFeedBytes } from '../feeds/decode-feed-bytes.ts';
import type { NormalisedFeed } from '../model/feed.ts';
import { FeedParseError, parseFeed } from '../feeds/parse-feed.ts';
import { FEED_ACCEPT, planParsedFeed, type RefreshSettings } from './refresh-feed.ts';
import { SubscribeFailure } from './subscribe-failure.ts';

export interface Subscription {
  feed: CountedFeed;
  created: boolean;
}

interface FetchedFeed {
  url: string;
  parsed: NormalisedFeed;
  headers: Headers;
}

function validUrl(raw: unknown, settings: RefreshSettings): string {
  if (typeof raw !== 'string' || raw.trim() === '')
    throw new SubscribeFailure('invalid-url', 'Send the address of a feed or a site as `url`.');
  try {
    return checkFetchableUrl(raw.trim(), { allowPrivateNetwork: settings.allowPrivateNetwork }).href;
  } catch (error) {
    if (error instanceof FetchFailure) {
      throw new SubscribeFailure(error.code === 'blocked-address' ? 'blocked-address' : 'invalid-url', error.message);
    }
    throw error;
  }
}

async function fetchText(url: string, settings: RefreshSettings) {
  try {
    const outcome = await politeFetch(url, {
      accept: `${FEED_ACCEPT}, text/html;q=0.7`,
      maxBytes: settings.maxBytes,
      timeoutMs: settings.timeoutMs,
      allowPrivateNetwork: settings.allowPrivateNetwork,
      fetchImpl: settings.fetchImpl,
    });
    if (outcome.kind !== 'ok') {
      throw new SubscribeFailure(
        'upstream',
        `${url} answered ${outcome.kind === 'http-error' ? outcome.status : 304}, not a feed.`,
      );
    }
    return {
      // What to subscribe to: where a permanent redirect leads, else the address asked for (a temporary redirect's
      // target may be a signed or expiring URL); the final URL is only the base for relative links.
      url: outcome.permanentUrl ?? url,
      baseUrl: outcome.url,
      headers: outcome.headers,
      text: decodeFeedBytes(outcome.body, outcome.headers.get('content-type')),
    };
  } catch (error) {
    if (error instanceof FetchFailure) {
      throw new SubscribeFailure(
        error.code === 'blocked-address' || error.code === 'invalid-url' ? error.code : 'upstream',
        error.message,
      );
    }
    throw error;
  }
}

async function parseOrExplain(text: string, url: string): Promise<NormalisedFeed> {
  try {
    return await parseFeed(text, url);
  } catch (error) {
    if (error instanceof FeedParseError)
      throw new SubscribeFailure('not-a-feed', `${url} is not a feed we can read: ${error.message}`);
    throw error;
  }
}

async function fetchFeedOrDiscover(url: string, settings: RefreshSettings): Promise<FetchedFeed> {
  const page = await fetchText(url, settings);
  if (!looksLikeHtml(page.text))
    return { url: page.url, headers: page.headers, parsed: await parseOrExplain(page.text, page.baseUrl) };

  const [first] = discoverFeedLinks(page.text, page.baseUrl);
  if (!first)
    throw new SubscribeFailure(
      'not-a-feed',
      `${url} is a web page that does not link to a feed. Try the feed's own address.`,
    );
  const feedUrl = validUrl(first.url, settings);
  const feed = await fetchText(feedUrl, settings);
  return { url: feed.url, headers: feed.headers, parsed: await parseOrExplain(feed.text, feed.baseUrl) };
}

async function existing(db: D1Database, url: string, now: number): Promise<Subscription | null> {
  const row = await getFeedByUrl(db, url);
  if (!row) return null;
  if (row.status !== 'ok') await resetFeed(db, row.id, now);
  return { feed: (await getCountedFeed(db, row.id))!, created: false };
}

export async function subscribe(
  db: D1Database,
  rawUrl: unknown,
  now: number,
  settings: RefreshSettings,
): Promise<Subscription> {
  const url = validUrl(rawUrl, settings);
  const known = await existing(db, url, now);
  if (known) return known;

  const fetched = await fetchFeedOrDiscover(url, settings);
  const knownFeed = fetched.url !== url ? await existing(db, fetched.url, now) : null;
  if (knownFeed) return knownFeed;

  await addFeeds(db, [{ url: fetched.url, title: fetched.parsed.title, siteUrl: fetched.parsed.siteUrl }], now);
  const row = (await getFeedByUrl(db, fetched.url))!;
  await writeBatch(
    db,
    (await planParsedFeed(db, row, now, fetched.parsed, fetched.headers, null, settings.retention)).statements,
  );
  return { feed: (await getCountedFeed(db, row.id))!, created: true };
}
