// Every XSS vector in the corpus (tests/fixtures/xss) placed in feeds (RSS, Atom html and xhtml, JSON Feed: titles,
// summaries, content, links) and in article pages, then rendered by the real reader in Chromium: the latest list
// page by page, /sources, and every item's /read page (the extracted article, the feed's copy when the page is a
// teaser, gone or failing), plus the sample site's hostile page. Twice: with the Content-Security-Policy enforced,
// and with it bypassed, so the sanitiser alone must hold. First the same vectors are rendered raw, unsanitised,
// to show the detector sees them when they run. Prints what was tried and what ran; exits non-zero if anything
// ran or lay armed on the reader's pages, or if the detector saw nothing in the raw run.
// Run: npm exec -- node scripts/prove-xss.ts
import { launchChromium } from '../tests/browser/support/chromium.ts';
import { startStack } from '../tests/browser/support/stack.ts';
import {
  feedItemIds,
  latestPages,
  readTarget,
  renderRaw,
  renderTargets,
  sourcesTarget,
  subscribeXssFeeds,
  type XssRender,
  type XssTarget,
} from '../tests/browser/support/xss-run.ts';
import { FEED_FIELD_IDS, FEED_FIELD_VECTOR_COUNT } from '../tests/fixtures/xss/xss-documents.ts';
import { XSS_VECTORS, type XssCategory } from '../tests/fixtures/xss/xss-vectors.ts';
import type { ItemsPage } from '../contract/http.ts';

const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(0);
const FIELD_IDS = new Set<number>(Object.values(FEED_FIELD_IDS));
const categoryOf = new Map<number, XssCategory | 'feed-field'>(
  XSS_VECTORS.map((vector) => [vector.id, vector.category]),
);
const category = (id: number) => categoryOf.get(id) ?? (FIELD_IDS.has(id) ? 'feed-field' : 'unknown');

function table(header: string[], rows: Array<Array<string | number>>): void {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => String(row[i]).length)));
  const line = (cells: Array<string | number>) =>
    cells.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]!) : String(cell).padStart(widths[i]!))).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

/** Tries (vector shown on a page), executions and armed findings per category, for one CSP mode. */
function countByCategory(renders: XssRender[], csp: boolean) {
  const counts = new Map<string, { tried: number; executed: number; armed: number }>();
  const bump = (key: string) => counts.get(key) ?? counts.set(key, { tried: 0, executed: 0, armed: 0 }).get(key)!;
  for (const render of renders.filter((r) => r.csp === csp)) {
    for (const id of render.vectorIds) bump(category(id)).tried++;
    for (const execution of render.executed) bump(category(Number(execution.marker))).executed++;
    if (render.armed.length)
      bump(render.vectorIds.length === 1 ? category(render.vectorIds[0]!) : 'page').armed += render.armed.length;
  }
  return counts;
}

const launched = await launchChromium();
const browser = launched.context.browser()!;
const stack = await startStack();
let failed = false;
try {
  // The sample site's own hostile page, looked up while its items are still the newest.
  const seeded = (await (await fetch(`${stack.site}/api/items?limit=100`)).json()) as ItemsPage;
  const hostileSample = seeded.items.find((item) => item.url?.endsWith('/ferry-timetable-winter.html'));
  console.log(`[${seconds()} s] stack up; subscribing to the XSS feeds`);
  const feedIds = await subscribeXssFeeds(stack);
  const itemIds = new Map<string, string[]>();
  for (const [kind, feedId] of feedIds) itemIds.set(kind, await feedItemIds(stack.site, feedId));

  // The detector's calibration: the same pages, raw.
  const raw = await renderRaw(browser, stack.origin.url, XSS_VECTORS);
  console.log(`[${seconds()} s] raw run done`);

  const listPage = await launched.context.newPage();
  const targets: XssTarget[] = [...(await latestPages(listPage, stack.site, ''))];
  for (const id of feedIds.values()) targets.push(...(await latestPages(listPage, stack.site, `?feed=${id}`)));
  targets.push(
    sourcesTarget(),
    ...[...itemIds.values()].flat().map(readTarget),
    ...(hostileSample ? [readTarget(hostileSample.id)] : []),
  );
  await listPage.close();
  const runs = [];
  for (const csp of [true, false]) {
    runs.push(await renderTargets(browser, stack.site, targets, { csp }));
    console.log(`[${seconds()} s] ${targets.length} pages rendered with the CSP ${csp ? 'on' : 'off'}`);
  }
  const renders = runs.flatMap((run) => run.renders);

  console.log(
    `\nItems the reader took in: ${[...itemIds].map(([kind, ids]) => `${kind} ${ids.length}`).join(', ')}${hostileSample ? ", plus the sample site's hostile page" : ''}`,
  );
  console.log(
    `Vectors: ${XSS_VECTORS.length} in the corpus + ${FEED_FIELD_VECTOR_COUNT} feed-field; pages per run: ${targets.length}\n`,
  );

  const rawByCategory = new Map<string, { vectors: number; ran: number; armedOnly: number }>();
  for (const outcome of raw) {
    const row =
      rawByCategory.get(outcome.vector.category) ??
      rawByCategory.set(outcome.vector.category, { vectors: 0, ran: 0, armedOnly: 0 }).get(outcome.vector.category)!;
    row.vectors++;
    if (outcome.ran) row.ran++;
    else if (outcome.armed.length) row.armedOnly++;
  }
  const on = countByCategory(renders, true);
  const off = countByCategory(renders, false);
  const categories = [...new Set([...rawByCategory.keys(), ...on.keys(), ...off.keys()])];
  const zero = { vectors: 0, ran: 0, armedOnly: 0, tried: 0, executed: 0, armed: 0 };
  const rows = categories.map((name) => {
    const r = { ...zero, ...rawByCategory.get(name) };
    const a = { ...zero, ...on.get(name) };
    const b = { ...zero, ...off.get(name) };
    return [name, r.vectors, r.ran, r.armedOnly, a.tried, a.executed, a.armed, b.tried, b.executed, b.armed];
  });
  const total = rows.reduce(
    (sum, row) => sum.map((value, i) => (i === 0 ? 'total' : Number(value) + Number(row[i]))),
    ['total', 0, 0, 0, 0, 0, 0, 0, 0, 0],
  );
  table(
    [
      'category',
      'vectors',
      'raw: ran',
      'raw: armed',
      'CSP on: tried',
      'ran',
      'armed',
      'CSP off: tried',
      'ran',
      'armed',
    ],
    [...rows, total],
  );

  console.log('');
  const surfaces = [...new Set(renders.map((r) => r.surface))];
  table(
    ['surface', 'pages', 'vectors shown', 'ran (CSP on)', 'ran (CSP off)', 'armed'],
    surfaces.map((surface) => {
      const of = renders.filter((r) => r.surface === surface);
      const ran = (csp: boolean) => of.filter((r) => r.csp === csp).reduce((n, r) => n + r.executed.length, 0);
      return [
        surface,
        of.length / 2,
        of.filter((r) => r.csp).reduce((n, r) => n + r.vectorIds.length, 0),
        ran(true),
        ran(false),
        of.reduce((n, r) => n + r.armed.length, 0),
      ];
    }),
  );

  const executions = renders.flatMap((r) =>
    r.executed.map(
      (e) => `  RAN ${e.marker} on ${r.path} (CSP ${r.csp ? 'on' : 'off'}, frame ${e.frameUrl.slice(0, 80)})`,
    ),
  );
  const armed = renders.flatMap((r) =>
    r.armed.map((finding) => `  ARMED ${finding} on ${r.path} (CSP ${r.csp ? 'on' : 'off'})`),
  );
  const readIds = new Set(renders.filter((r) => r.path.startsWith('/read/')).flatMap((r) => r.vectorIds));
  const neverShown = XSS_VECTORS.filter((vector) => !readIds.has(vector.id)).map((vector) => vector.id);
  const rawRan = raw.filter((outcome) => outcome.ran).length;
  for (const line of [...executions, ...armed].slice(0, 60)) console.log(line);
  for (const [i, run] of runs.entries()) {
    const mode = i === 0 ? 'on' : 'off';
    console.log(`CSP ${mode}: ${run.cspViolations.length} policy violations, ${run.pageErrors.length} page errors`);
    for (const line of [...run.cspViolations, ...run.pageErrors].slice(0, 10)) console.log(`  ${line}`);
  }
  if (neverShown.length) console.log(`Vectors no /read page showed: ${neverShown.join(', ')}`);
  if (!hostileSample)
    console.log("The sample site's hostile page (ferry-timetable-winter.html) was not among the items.");
  console.log(
    `\nScripts executed through the reader: ${executions.length} (CSP on ${runs[0]!.renders.reduce((n, r) => n + r.executed.length, 0)}, CSP off ${runs[1]!.renders.reduce((n, r) => n + r.executed.length, 0)}); armed findings: ${armed.length}.`,
  );
  console.log(`Detector check: ${rawRan} of ${raw.length} vectors ran when served raw. Wall time ${seconds()} s.`);
  failed = executions.length > 0 || armed.length > 0 || rawRan === 0 || neverShown.length > 0 || !hostileSample;
} finally {
  await launched.close();
  await stack.stop();
}
process.exit(failed ? 1 : 0);
