// Lighthouse (the npm package, 12.2) run as an independent audit of the reading site, in Debian's Chromium, started
// by puppeteer-core (Lighthouse's own driver; it downloads no browser) with the suite's quiet flags and a resolver
// that knows no host but loopback. Each audit gets a fresh browser context (no service worker or storage left by the
// one before) with the colour scheme emulated, and Lighthouse drives that page.
//
// Lighthouse's 4x CPU slowdown turns a high-end desktop (benchmark index 1500-2000) into a mid-tier phone. This
// machine has two cores shared by several test runs, and its index swings from under 300 to about 1400 within a
// minute, so the slowdown is calibrated as Lighthouse's docs/throttling.md says, from the index measured in the
// same run as the page load (gathered once, then audited), so the simulated phone stays the same whatever else the
// machine is doing. The slowdown stays between 1x (a host already that slow) and Lighthouse's default 4x.
import { auditFlowArtifacts, startFlow } from 'lighthouse';
import puppeteer, { type Browser } from 'puppeteer-core';
import { CHROMIUM_PATH, QUIET_FLAGS } from './chromium.ts';

export type Category = 'performance' | 'accessibility' | 'best-practices' | 'seo';
export type ColorScheme = 'light' | 'dark';

export interface AuditResult {
  scores: Partial<Record<Category, number>>;
  /** Audits that count towards a category's score and did not pass, as "category: id (score) title: value". */
  failing: string[];
  /** Every URL the page loaded that is not on loopback (data: and blob: are local too). */
  offLoopback: string[];
  /** What the page really emulated, read back after the run. */
  prefersDark: boolean;
  /** Lighthouse's measure of the host's CPU during this run, and the slowdown it calibrated. */
  benchmarkIndex: number;
  cpuSlowdownMultiplier: number;
  ms: number;
}

/** The middle of the high-end desktop bracket, which Lighthouse's default 4x slowdown assumes. */
const REFERENCE_DESKTOP_INDEX = 1750;
const DEFAULT_SLOWDOWN = 4;

/** The slowdown that brings a host of this benchmark index to Lighthouse's simulated mid-tier phone. */
export function calibratedSlowdown(benchmarkIndex: number): number {
  const multiplier = (DEFAULT_SLOWDOWN * benchmarkIndex) / REFERENCE_DESKTOP_INDEX;
  return Math.round(Math.min(DEFAULT_SLOWDOWN, Math.max(1, multiplier)) * 10) / 10;
}

/** Whatever a page asks for, the browser resolves no host but localhost and 127.0.0.1: it reaches nothing public. */
const LOOPBACK_ONLY = '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1';

export async function launchAuditor(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...QUIET_FLAGS, LOOPBACK_ONLY],
    defaultViewport: null,
  });
}

// Only the performance audit needs the page to have settled for long; the others read the finished page, so shorter
// quiet windows keep each of them to a few seconds.
const QUICK_SETTLE = {
  pauseAfterFcpMs: 0,
  pauseAfterLoadMs: 250,
  networkQuietThresholdMs: 250,
  cpuQuietThresholdMs: 250,
};

export async function audit(
  browser: Browser,
  url: string,
  options: { colorScheme: ColorScheme; categories: Category[] },
): Promise<AuditResult> {
  const started = Date.now();
  const context = await browser.createBrowserContext();
  try {
    const page = await context.newPage();
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: options.colorScheme }]);
    const flow = await startFlow(page, {
      flags: {
        logLevel: 'error',
        onlyCategories: options.categories,
        disableFullPageScreenshot: true,
        ...(options.categories.includes('performance') ? {} : QUICK_SETTLE),
      },
    });
    await flow.navigate(url);
    const [gathered] = flow.createArtifactsJson().gatherSteps;
    if (!gathered) throw new Error(`Lighthouse gathered nothing for ${url}`);
    const { artifacts } = gathered;
    const benchmarkIndex = artifacts.BenchmarkIndex;
    const cpuSlowdownMultiplier = calibratedSlowdown(benchmarkIndex);
    // Simulated throttling is applied when auditing, not while loading, so the gathered load stays as it was.
    if (artifacts.settings.throttlingMethod !== 'simulate') throw new Error('Lighthouse is not simulating throttling');
    const throttling = { ...artifacts.settings.throttling, cpuSlowdownMultiplier };
    const {
      steps: [step],
    } = await auditFlowArtifacts({
      gatherSteps: [
        {
          artifacts: { ...artifacts, settings: { ...artifacts.settings, throttling } },
          flags: { ...gathered.flags, throttling },
        },
      ],
    });
    if (!step) throw new Error(`Lighthouse returned nothing for ${url}`);
    const { lhr } = step;
    if (lhr.configSettings.throttling.cpuSlowdownMultiplier !== cpuSlowdownMultiplier)
      throw new Error('Lighthouse did not take the calibrated CPU slowdown');
    const scores: AuditResult['scores'] = {};
    const failing: string[] = [];
    for (const category of Object.values(lhr.categories)) {
      scores[category.id as Category] = category.score ?? 0;
      for (const ref of category.auditRefs) {
        const audited = lhr.audits[ref.id];
        if (!audited || ref.weight === 0 || audited.score === null || audited.score >= 1) continue;
        const value = audited.displayValue ? `: ${audited.displayValue}` : '';
        failing.push(`${category.id}: ${audited.id} (${audited.score}) ${audited.title}${value}`);
      }
    }
    const requests = (lhr.audits['network-requests']?.details as { items?: Array<{ url: string }> } | undefined)?.items;
    const offLoopback = (requests ?? [])
      .map((request) => request.url)
      .filter((address) => !/^(https?:\/\/(localhost|127\.0\.0\.1)(:\d+)?\/|data:|blob:)/.test(address));
    const prefersDark = await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches);
    return {
      scores,
      failing,
      offLoopback,
      prefersDark,
      benchmarkIndex,
      cpuSlowdownMultiplier,
      ms: Date.now() - started,
    };
  } finally {
    await context.close();
  }
}
