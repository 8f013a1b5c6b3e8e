// The XSS proof's short form (the whole corpus runs in scripts/prove-xss.ts): one vector of each kind, in feeds and
// in an article page, rendered by the real reader in Chromium with the CSP enforced and with it bypassed; nothing
// may run or lie armed. The detector is checked first: a vector that does run, and one that lies armed, are seen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemsPage } from '../../contract/http.ts';
import { markedVector, XSS_VECTORS, type XssVector } from '../fixtures/xss/xss-vectors.ts';
import { launchChromium, type LaunchedBrowser } from './support/chromium.ts';
import { startStack, type Stack } from './support/stack.ts';
import { auditDom, probeInteractions, trappedContext } from './support/xss-detector.ts';
import {
  latestTarget,
  readTarget,
  renderRaw,
  renderTargets,
  sourcesTarget,
  subscribeXssFeeds,
  type XssFeedKind,
} from './support/xss-run.ts';

/** The first vector of each category: every kind of trick, in a run short enough for the suite. */
const SAMPLE: XssVector[] = XSS_VECTORS.filter(
  (vector, i) => XSS_VECTORS.findIndex((other) => other.category === vector.category) === i,
);

let stack: Stack;
let launched: LaunchedBrowser;
const itemsByVector = new Map<XssFeedKind, Map<number, string>>();
const feedIds = new Map<XssFeedKind, number>();

/** Item ids of one feed by the vector their title names (`#<id> <category> ...`). */
async function itemIdsByVector(feedId: number): Promise<Map<number, string>> {
  const page = (await (await fetch(`${stack.site}/api/items?feed=${feedId}&limit=100`)).json()) as ItemsPage;
  const older = page.next
    ? ((await (
        await fetch(`${stack.site}/api/items?feed=${feedId}&limit=100&before=${encodeURIComponent(page.next)}`)
      ).json()) as ItemsPage)
    : null;
  return new Map(
    [...page.items, ...(older?.items ?? [])].map((item) => [Number(/^#(\d+)\s/.exec(item.title)?.[1]), item.id]),
  );
}

beforeAll(async () => {
  [stack, launched] = await Promise.all([startStack(), launchChromium()]);
  for (const [kind, id] of await subscribeXssFeeds(stack)) {
    feedIds.set(kind, id);
    itemsByVector.set(kind, await itemIdsByVector(id));
  }
});

afterAll(async () => {
  await launched?.close();
  await stack?.stop();
});

describe('the detector', () => {
  it('counts a vector that runs, once, and a vector that lies armed', async () => {
    const traps = await trappedContext(launched.context.browser()!, { csp: false });
    const page = await traps.context.newPage();
    const onerror = XSS_VECTORS.find((vector) => vector.html('JS') === '<img src=x onerror=JS>')!;
    await page.setContent(markedVector(onerror));
    await expect.poll(() => traps.executions.map((execution) => execution.marker)).toEqual([String(onerror.id)]);

    const link = XSS_VECTORS.find((vector) => vector.html('JS') === '<a href="javascript:JS">x</a>')!;
    const clobber = XSS_VECTORS.find((vector) => vector.category === 'clobbering')!;
    await page.setContent(`<div id="untrusted">${markedVector(link)}${markedVector(clobber)}</div>`);
    expect(await auditDom(page, '#untrusted')).toEqual(
      expect.arrayContaining([`a[href=javascript:__xss(${link.id})]`, 'img[name] in #untrusted']),
    );
    await probeInteractions(page, '#untrusted');
    await expect
      .poll(() => traps.executions.map((execution) => execution.marker))
      .toEqual([String(onerror.id), String(link.id)]);
    await traps.context.close();
  });

  it("is armed in the reader's pages under their Content-Security-Policy", async () => {
    const traps = await trappedContext(launched.context.browser()!, { csp: true });
    const page = await traps.context.newPage();
    await page.goto(`${stack.site}/sources`);
    await page.evaluate(() => (window as unknown as { __xss(marker: string): void }).__xss('probe'));
    await expect.poll(() => traps.executions.map((execution) => execution.marker)).toEqual(['probe']);
    await traps.context.close();
  });

  it('sees the sample vectors run when they are served raw, without the reader', async () => {
    const raw = await renderRaw(launched.context.browser()!, stack.origin.url, SAMPLE);
    const ran = raw.filter((outcome) => outcome.ran).map((outcome) => outcome.vector.category);
    expect(ran).toEqual(
      expect.arrayContaining(['script', 'event-handler', 'javascript-url', 'encoded', 'svg', 'mutation', 'embedding']),
    );
    expect(
      raw.every(
        (outcome) =>
          outcome.ran || outcome.armed.length > 0 || ['mathml', 'xhtml-namespace'].includes(outcome.vector.category),
      ),
    ).toBe(true);
  });
});

describe.each([
  { csp: true, mode: 'enforced' },
  { csp: false, mode: 'bypassed' },
])('the reader, with the CSP $mode', ({ csp }) => {
  it('runs no vector and leaves none armed: in lists, sources, extracted pages and feed copies', async () => {
    const read = (kind: XssFeedKind) =>
      SAMPLE.map((vector) => itemsByVector.get(kind)!.get(vector.id)).filter((id) => id !== undefined);
    const targets = [
      latestTarget(`?feed=${feedIds.get('json')}`),
      sourcesTarget(),
      ...[...read('rss'), ...read('atomHtml'), ...read('json')].map(readTarget),
    ];
    const { renders } = await renderTargets(launched.context.browser()!, stack.site, targets, { csp });
    const surfaces = new Set(renders.map((render) => render.surface));
    expect([...surfaces].sort()).toEqual(['latest', 'read: feed copy', 'read: page', 'read: page gone', 'sources']);
    for (const vector of SAMPLE)
      expect(
        renders.some((render) => render.path.startsWith('/read/') && render.vectorIds.includes(vector.id)),
        `#${vector.id} shown`,
      ).toBe(true);
    expect(
      renders.flatMap((render) => render.executed.map((execution) => `${execution.marker} on ${render.path}`)),
    ).toEqual([]);
    expect(renders.flatMap((render) => render.armed.map((finding) => `${finding} on ${render.path}`))).toEqual([]);
  });
});
