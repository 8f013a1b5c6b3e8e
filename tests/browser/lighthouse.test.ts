// An independent audit of every page of the reading site: Lighthouse 12.2 in Debian's Chromium, light and dark.
// Accessibility, best practices and SEO score at least 0.95 everywhere; performance (Lighthouse's mobile defaults,
// simulated throttling) at least 0.9 on the latest list and an article. Every score is printed; a miss prints the
// audits that cost it. The fixture origin and the reader are on loopback and the browser resolves nothing else, and
// each audit checks that the page loaded nothing from anywhere else.
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedsResponse } from '../../contract/http.ts';
import { articleItems } from './support/articles.ts';
import { type AuditResult, audit, type Category, type ColorScheme, launchAuditor } from './support/lighthouse.ts';
import { sitePages } from './support/site-pages.ts';
import { type Stack, startStack } from './support/stack.ts';

const AUDITED = [
  'latest',
  'latest, one source',
  'read',
  'read, a real-world recipe',
  'saved',
  'sources',
  'settings',
  'search',
  'offline',
  'share',
] as const;
type Audited = (typeof AUDITED)[number];
/** Pages whose loading speed is scored: the ones a reader opens first and most. */
const PERFORMANCE: readonly Audited[] = ['latest', 'read'];
const MIN_SCORE = { performance: 0.9, accessibility: 0.95, 'best-practices': 0.95, seo: 0.95 } as const;
/** A real-world page from the shared fixtures: a recipe blog with a rating widget and h3 steps under h2. */
const REAL_WORLD_ARTICLE = 'kitchen/recipes/sourdough-without-mystique.html';

// One reader stack for every audit, and one browser (not the suite's Playwright one: Lighthouse drives its own).
let stack: Stack;
let auditor: Browser;
const paths = new Map<Audited, string>();
const started = Date.now();

beforeAll(async () => {
  stack = await startStack();
  auditor = await launchAuditor();
  const { site } = stack;
  const items = await articleItems(site);
  const found = Object.fromEntries((await sitePages(site)).map((page) => [page.name, page.path]));
  const { feeds } = (await (await fetch(`${site}/api/feeds`)).json()) as FeedsResponse;
  const feed = feeds.find((candidate) => candidate.itemCount > 0);
  const recipe = items.find((item) => item.url?.endsWith(REAL_WORLD_ARTICLE));
  if (!feed || !recipe) throw new Error('the sample site lacks a source with items or the real-world recipe');
  // A word of the recipe's title, so the results page has at least one hit with a highlighted snippet.
  const word = recipe.title.split(/\W+/).find((part) => part.length > 4) ?? recipe.title;
  for (const [name, path] of [
    ['latest', found.latest],
    ['latest, one source', `/?feed=${encodeURIComponent(feed.id)}`],
    ['read', found.read],
    ['read, a real-world recipe', `/read/${recipe.id}`],
    ['saved', found.saved],
    ['sources', found.sources],
    ['settings', found.settings],
    ['search', `/search?q=${encodeURIComponent(word)}`],
    ['offline', found.offline],
    ['share', found.share],
  ] as const) {
    if (!path) throw new Error(`no path for ${name}`);
    paths.set(name, path);
  }
});

afterAll(async () => {
  await auditor?.close();
  await stack?.stop();
  console.log(`lighthouse: ${AUDITED.length * 2} pages audited in ${((Date.now() - started) / 1000).toFixed(0)} s`);
});

function report(colorScheme: ColorScheme, path: string, result: AuditResult): string {
  const scores = Object.entries(result.scores)
    .map(([category, score]) => `${category} ${score}`)
    .join(', ');
  const host = `CPU index ${Math.round(result.benchmarkIndex)}, slowdown ${result.cpuSlowdownMultiplier}x`;
  return `lighthouse ${colorScheme} ${path}: ${scores} (${(result.ms / 1000).toFixed(1)} s; ${host})`;
}

function shortfalls(result: AuditResult): string[] {
  return Object.entries(result.scores)
    .filter(([category, score]) => score < MIN_SCORE[category as Category])
    .map(([category, score]) => `${category} ${score} < ${MIN_SCORE[category as Category]}`);
}

function onlySpeedMissed(result: AuditResult): boolean {
  const missed = shortfalls(result);
  return missed.length > 0 && missed.every((miss) => miss.startsWith('performance'));
}

/** `result` with the performance score and failing audits of a later run. */
function withSpeedOf(result: AuditResult, again: AuditResult): AuditResult {
  const otherFailing = result.failing.filter((line) => !line.startsWith('performance'));
  return {
    ...result,
    scores: { ...result.scores, performance: again.scores.performance ?? 0 },
    failing: [...otherFailing, ...again.failing],
  };
}

for (const colorScheme of ['light', 'dark'] as const) {
  describe(`Lighthouse, ${colorScheme}`, () => {
    for (const name of AUDITED) {
      // Loading speed does not depend on the colour scheme: it is scored once, in light.
      const scoresSpeed = colorScheme === 'light' && PERFORMANCE.includes(name);
      it(`${name}: ${scoresSpeed ? 'performance, ' : ''}accessibility, best practices and SEO`, async () => {
        const path = paths.get(name) ?? '';
        const categories: Category[] = ['accessibility', 'best-practices', 'seo'];
        const url = `${stack.site}${path}`;
        let result = await audit(auditor, url, {
          colorScheme,
          categories: scoresSpeed ? ['performance', ...categories] : categories,
        });
        console.log(report(colorScheme, path, result));
        // The machine is shared, and other work only ever slows a run down: when speed alone misses, the best of
        // two more runs is the closer measure of what the page itself costs.
        for (let retry = 0; retry < 2 && onlySpeedMissed(result); retry++) {
          const again = await audit(auditor, url, { colorScheme, categories: ['performance'] });
          console.log(`${report(colorScheme, path, again)} (speed again)`);
          if ((again.scores.performance ?? 0) > (result.scores.performance ?? 0)) result = withSpeedOf(result, again);
        }
        const missed = shortfalls(result);
        if (missed.length) console.log(`  failing audits on ${path}:\n    ${result.failing.join('\n    ')}`);
        expect(missed, `${colorScheme} ${path}:\n${result.failing.join('\n')}`).toEqual([]);
        expect(result.offLoopback, 'requests off loopback').toEqual([]);
        expect(result.prefersDark, 'the emulated colour scheme').toBe(colorScheme === 'dark');
      }, 120_000);
    }
  });
}
