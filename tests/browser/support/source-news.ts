// New articles in one source: the fixture origin answers the source's feed with them (once), the edge is told to
// refresh at once, and this returns when the edge lists them. Each title gets a page of its own on the origin
// (/generated/page/<firstPage + i>.html) and a guid of its own, so a test's articles never meet another test's.
import type { FeedView, ItemsPage } from '../../../contract/http.ts';
import { eventually } from '../../support/eventually.ts';
import { scriptOrigin } from './origin-control.ts';
import type { Stack } from './stack.ts';

export async function articlesArrive(
  stack: Stack,
  source: Pick<FeedView, 'id' | 'url' | 'title'>,
  titles: string[],
  options: { guid: string; firstPage: number },
): Promise<void> {
  const { site, origin } = stack;
  const now = new Date().toUTCString();
  const items = titles.map(
    (title, i) =>
      `<item><title>${title}</title><link>${origin.url}/generated/page/${options.firstPage + i}.html</link><guid>${options.guid}-${i}</guid><pubDate>${now}</pubDate></item>`,
  );
  await scriptOrigin(origin.url, new URL(source.url).pathname, [
    {
      status: 200,
      headers: { 'content-type': 'application/rss+xml' },
      body: `<?xml version="1.0"?><rss version="2.0"><channel><title>${source.title}</title><link>${origin.url}/</link><description>x</description>${items.join('')}</channel></rss>`,
    },
  ]);
  await fetch(`${site}/api/refresh?force=1`, { method: 'POST', headers: stack.admin });
  await eventually(
    async () => {
      const page = (await (await fetch(`${site}/api/items?feed=${source.id}&limit=50`)).json()) as ItemsPage;
      return titles.every((title) => page.items.some((item) => item.title === title)) ? true : undefined;
    },
    { timeoutMs: 60_000 },
  );
}
