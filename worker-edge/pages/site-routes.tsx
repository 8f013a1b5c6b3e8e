// The reading site's pages other than the article: /, /sources, /saved, /settings and the share target /share.
// Each is server-rendered, readable without JavaScript, under the strict page CSP, and revalidated on every visit.
import { Hono } from 'hono';
import { decodeCursor, listItems } from '../store/items-store.ts';
import { listFeeds } from '../store/feeds-store.ts';
import { cleanFolderName, folderNameProblem } from '../feeds/folder-name.ts';
import { toFeedView, toItemSummary } from '../api/views.ts';
import { pageSecurity } from '../middleware/page-security.ts';
import { inFolder, LatestPage } from '../../markup/latest-page.tsx';
import { NO_FOLDER_FILTER } from '../../contract/http.ts';
import { LATEST_PAGE_ITEMS } from '../../contract/list-cursor.ts';
import { NotFoundPage } from './error-pages.tsx';
import { SavedPage } from './saved-page.tsx';
import { SettingsPage } from './settings-page.tsx';
import { SharePage } from './share-page.tsx';
import { savesSharedPageAtOnce, sharedPageFrom } from '../../contract/share-target.ts';
import { SourcesPage } from './sources-page.tsx';

const PAGE_PATHS = ['/', '/sources', '/saved', '/settings', '/share'];
/** Pages change with every refresh (or hold nothing of their own): caches keep them but must ask first. */
const REVALIDATE = { 'Cache-Control': 'no-cache' };

export const siteRoutes = new Hono<{ Bindings: Env }>();

for (const path of PAGE_PATHS) siteRoutes.use(path, pageSecurity());

siteRoutes.get('/', async (c) => {
  const feedParam = c.req.query('feed');
  const feedId = feedParam && /^[1-9][0-9]{0,15}$/.test(feedParam) ? Number(feedParam) : null;
  if (feedParam && feedId === null)
    return c.html(<NotFoundPage path={`/?feed=${feedParam}`} />, 404, { 'Cache-Control': 'no-store' });
  const folderParam = c.req.query('folder');
  const withoutFolder = folderParam === NO_FOLDER_FILTER;
  const folder = withoutFolder
    ? NO_FOLDER_FILTER
    : folderParam && !folderNameProblem(folderParam)
      ? cleanFolderName(folderParam)
      : null;
  const unknownFolder = () =>
    c.html(<NotFoundPage path={`/?folder=${folderParam}`} />, 404, { 'Cache-Control': 'no-store' });
  if (folderParam && folder === null) return unknownFolder();
  // A cursor that is not ours (hand-edited, or from an older version) starts again from the newest.
  const before = decodeCursor(c.req.query('before') ?? '');
  // Both queries at once: on D1 each is a round trip to the database, so the page waits for one, not two.
  const [counted, page] = await Promise.all([
    listFeeds(c.env.DB),
    listItems(c.env.DB, {
      limit: LATEST_PAGE_ITEMS,
      before,
      feedId,
      folder: withoutFolder ? null : folder,
      withoutFolder,
    }),
  ]);
  const feeds = counted.map(toFeedView);
  const feed = feedId === null ? null : (feeds.find((f) => f.id === feedId) ?? null);
  if (feedParam && !feed)
    return c.html(<NotFoundPage path={`/?feed=${feedParam}`} />, 404, { 'Cache-Control': 'no-store' });
  if (folder !== null && !feeds.some((f) => inFolder(f, folder))) return unknownFolder();
  return c.html(
    <LatestPage
      feeds={feeds}
      items={page.items.map(toItemSummary)}
      feed={feed}
      folder={folder}
      next={page.next}
      paged={before !== null}
    />,
    200,
    REVALIDATE,
  );
});

siteRoutes.get('/sources', async (c) => {
  const feeds = (await listFeeds(c.env.DB)).map(toFeedView);
  return c.html(<SourcesPage feeds={feeds} now={Date.now()} />, 200, { 'Cache-Control': 'no-store' });
});

siteRoutes.get('/saved', (c) => c.html(<SavedPage />, 200, REVALIDATE));
siteRoutes.get('/settings', (c) => c.html(<SettingsPage />, 200, REVALIDATE));

siteRoutes.get('/share', (c) => {
  const shared = sharedPageFrom({ url: c.req.query('url'), title: c.req.query('title'), text: c.req.query('text') });
  const atOnce = savesSharedPageAtOnce(c.req.header('Sec-Fetch-Site'));
  return c.html(<SharePage shared={shared} atOnce={atOnce} />, shared ? 200 : 400, { 'Cache-Control': 'no-store' });
});
