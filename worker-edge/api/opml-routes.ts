// GET /api/opml (export) and POST /api/opml (import, admin): raw OPML or a form upload named `opml`.
import { Hono, type Context } from 'hono';
import { OpmlParseError, parseOpml, renderOpml } from '../feeds/opml.ts';
import { checkFetchableUrl } from '../net/address-guard.ts';
import { allowPrivateNetwork } from '../config.ts';
import { requestFanOut } from '../jobs/enqueue-due-feeds.ts';
import { requireAdmin } from '../middleware/require-admin.ts';
import { addFeeds, listFeeds } from '../store/feeds-store.ts';
import { ApiFailure } from './api-failure.ts';
import type { OpmlImportResult } from '../../contract/http.ts';
import { readBodyText } from './request-input.ts';
import { toFeedView } from './views.ts';

const MAX_OPML_BYTES = 1024 * 1024;

export const opmlRoutes = new Hono<{ Bindings: Env }>();

opmlRoutes.get('/', async (c) => {
  const feeds = (await listFeeds(c.env.DB)).map(toFeedView);
  const opml = renderOpml(
    feeds.map((f) => ({ url: f.url, title: f.title, siteUrl: f.siteUrl, folder: f.folder })),
    'Offline Reader subscriptions',
  );
  return c.body(opml, 200, {
    'Content-Type': 'text/x-opml; charset=utf-8',
    'Content-Disposition': 'attachment; filename="subscriptions.opml"',
  });
});

async function opmlText(c: Context<{ Bindings: Env }>): Promise<string> {
  if (!(c.req.header('content-type') ?? '').startsWith('multipart/form-data')) return readBodyText(c, MAX_OPML_BYTES);
  const declared = Number(c.req.header('content-length'));
  if (declared > MAX_OPML_BYTES) throw new ApiFailure(413, 'payload_too_large', 'The OPML file is larger than 1 MB.');
  const file = (await c.req.formData().catch(() => null))?.get('opml');
  if (!file || typeof file === 'string')
    throw new ApiFailure(400, 'bad_request', 'Upload the OPML file as the form field `opml`.');
  return file.text();
}

opmlRoutes.post('/', requireAdmin(), async (c) => {
  const text = await opmlText(c);
  let parsed: ReturnType<typeof parseOpml>;
  try {
    parsed = parseOpml(text);
  } catch (error) {
    if (error instanceof OpmlParseError)
      throw new ApiFailure(400, 'bad_request', `That is not an OPML file we can read: ${error.message}`);
    throw error;
  }
  const allowed = parsed.outlines.filter((o) => {
    try {
      checkFetchableUrl(o.xmlUrl, { allowPrivateNetwork: allowPrivateNetwork(c.env) });
      return true;
    } catch {
      return false;
    }
  });
  const { added, filed } = await addFeeds(
    c.env.DB,
    allowed.map((o) => ({ url: o.xmlUrl, title: o.title ?? '', siteUrl: o.htmlUrl, folder: o.folder })),
    Date.now(),
  );
  // The new feeds are due now: a fan-out starts them in the background instead of at the next cron.
  if (added > 0)
    c.executionCtx.waitUntil(
      requestFanOut(c.env).catch((error) => console.error('fan-out after import failed', error)),
    );
  const result: OpmlImportResult = {
    added,
    existing: allowed.length - added,
    invalid: parsed.invalid + parsed.outlines.length - allowed.length,
    filed,
  };
  return c.json(result);
});
