// The chaos site under /chaos/: a feed of N generated articles, each a real news page (several paragraphs, one or
// two pictures), for the chaos proof (tests/browser/support/chaos-run.ts). Everything is generated from the
// article's number, so page n is the same on every request and in every run. The chaos switch (chaos-switch.ts)
// makes the pages and pictures misbehave; the feed stays well, so the reader can always subscribe.
//   /chaos/feed.rss?n=60            RSS 2.0 with items 1..n (default 60), newest first
//   /chaos/articles/<n>.html        the article page
//   /chaos/images/<n>-<k>.jpg       its pictures (k = 1, 2), bytes of the sample site's photos
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { bytesBody, textResponse, type FixtureResponse } from './fixture-response.ts';
import type { FixtureRequest } from './routes.ts';

export const CHAOS_PREFIX = '/chaos/';
/** What the chaos switch may break: the article pages and their pictures, never the feed. */
export const CHAOS_TARGETS = ['/chaos/articles/', '/chaos/images/'];

const DEFAULT_ITEMS = 60;
const MAX_ITEMS = 500;
/** Old enough to stay below the sample site's items, so the background digest leaves the chaos articles alone. */
const FIRST_PUBLISHED = Date.UTC(2021, 0, 1);

const PHOTOS = [
  'harbour-ferry.jpg',
  'kitchen-dal.jpg',
  'notes-moon.jpg',
  'workshop-chisels.jpg',
  'europa-lisbon.jpg',
  'harbour-storm.jpg',
];
const photoRoot = new URL('../fixtures/sample-site/images/', import.meta.url);

const PLACES = [
  'the harbour',
  'the old mill',
  'the market hall',
  'the ferry slip',
  'the allotments',
  'the library',
  'the north quay',
];
const PEOPLE = [
  'the volunteers',
  'the harbour board',
  'two retired engineers',
  'the rowing club',
  'the parish council',
  'a local baker',
];
const DEEDS = [
  'spent the week repairing what the last storm left behind',
  'agreed a plan that should see the work finished before the spring tides',
  'counted the cost and found it smaller than anyone had feared',
  'asked neighbours to lend tools, ladders and a great deal of patience',
  'kept a careful log of every hour and every receipt for the annual report',
];

const pick = <T>(list: readonly T[], n: number): T => list[n % list.length] as T;

export const chaosTitle = (n: number) => `Chaos dispatch ${n}: news from ${pick(PLACES, n)}`;
/** A sentence only article n carries: the proof looks for it in the page read offline. */
export const chaosMarker = (n: number) => `This is dispatch number ${n} of the chaos site.`;
export const imageCount = (n: number) => 1 + (n % 2);

function paragraph(n: number, i: number): string {
  const place = pick(PLACES, n + i);
  const who = pick(PEOPLE, n * 3 + i);
  const deed = pick(DEEDS, n + i * 2);
  return (
    `At ${place}, ${who} ${deed}. Those who came along on the first morning said the job looked larger from the ` +
    `road than it turned out to be, and by the afternoon there was tea, a sense of progress and a list of what ` +
    `still needed doing. Paragraph ${i + 1} of dispatch ${n} ends with a note of thanks to everyone who helped.`
  );
}

function articlePage(n: number): string {
  const images = Array.from(
    { length: imageCount(n) },
    (_, k) =>
      `<figure><img src="/chaos/images/${n}-${k + 1}.jpg" alt="Picture ${k + 1} of dispatch ${n}" width="320" height="200"><figcaption>Picture ${k + 1} of dispatch ${n}.</figcaption></figure>`,
  );
  const paragraphs = Array.from({ length: 6 }, (_, i) => `<p>${paragraph(n, i)}</p>`);
  paragraphs.splice(2, 0, images[0] ?? '');
  if (images[1]) paragraphs.splice(5, 0, images[1]);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${chaosTitle(n)} | Chaos Gazette</title></head>
<body>
<header><a href="/chaos/">Chaos Gazette</a><nav><a href="/chaos/">Home</a> <a href="/chaos/about">About</a></nav></header>
<main><article>
<h1>${chaosTitle(n)}</h1>
<p class="byline">By the Chaos Gazette desk</p>
<p>${chaosMarker(n)}</p>
${paragraphs.join('\n')}
</article></main>
<footer>Chaos Gazette, generated for tests.</footer>
</body></html>`;
}

function feed(origin: string, count: number): string {
  const items = Array.from({ length: count }, (_, i) => {
    const n = count - i;
    const published = new Date(FIRST_PUBLISHED + n * 60 * 60 * 1000).toUTCString();
    return `<item><title>${chaosTitle(n)}</title><link>${origin}/chaos/articles/${n}.html</link><guid isPermaLink="false">chaos-${n}</guid><pubDate>${published}</pubDate><description>${chaosMarker(n)}</description></item>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Chaos Gazette</title><link>${origin}/chaos/</link><description>Generated articles for the chaos proof.</description>
${items.join('\n')}
</channel></rss>`;
}

const ok = (contentType: string, body: string | Uint8Array): FixtureResponse => ({
  status: 200,
  headers: { 'content-type': contentType },
  body: bytesBody(body),
});

export async function serveChaosSite({ url, origin }: FixtureRequest): Promise<FixtureResponse> {
  if (url.pathname === '/chaos/feed.rss') {
    const asked = Number(url.searchParams.get('n') ?? DEFAULT_ITEMS);
    const count = Number.isInteger(asked) && asked > 0 ? Math.min(asked, MAX_ITEMS) : DEFAULT_ITEMS;
    return ok('application/rss+xml', feed(origin, count));
  }
  const article = /^\/chaos\/articles\/(\d+)\.html$/.exec(url.pathname);
  if (article) return ok('text/html; charset=utf-8', articlePage(Number(article[1])));
  const image = /^\/chaos\/images\/(\d+)-([12])\.jpg$/.exec(url.pathname);
  if (image) {
    const photo = pick(PHOTOS, Number(image[1]) * 2 + Number(image[2]));
    return ok('image/jpeg', await readFile(fileURLToPath(new URL(photo, photoRoot))));
  }
  return textResponse(404, `no chaos page at ${url.pathname}`);
}
