// The chaos switch: while on, requests for the chaos site's pages and pictures fail at the given rates (a 500, a
// reset connection, an answer slower than the edge waits, a body cut short). Stateful, unlike the query-parameter
// faults, because the article URLs come from the feed and cannot carry parameters. Reproducible: the fault for the
// k-th request to a path depends only on the seed, the path and k, not on the order requests arrive in.
import { CHAOS_TARGETS } from './chaos-site-route.ts';
import type { Faults } from './faults.ts';
import { textResponse, type FixtureResponse } from './fixture-response.ts';

export interface ChaosSettings {
  rate500: number;
  rateReset: number;
  rateSlow: number;
  /** How late a slow answer's headers come: more than the edge's page (8 s) and image (10 s) timeouts. */
  slowMs: number;
  rateTruncate: number;
  seed: number;
}

export type ChaosFault = '500' | 'reset' | 'slow' | 'truncate';

export interface ChaosReport {
  on: boolean;
  settings: ChaosSettings | null;
  requests: number;
  faults: Record<ChaosFault, number>;
  /** Per path: how often it was requested and how each request was answered. */
  paths: Record<string, { hits: number } & Partial<Record<ChaosFault | 'ok', number>>>;
}

export interface ChaosSwitch {
  /** Turns chaos on with these settings (off when null), keeping the counts. */
  set(settings: ChaosSettings | null): void;
  /** This request's faults, with its fault (counted) added; a 500 comes as a replacement answer. */
  intercept(path: string, faults: Faults): { faults: Faults; response: FixtureResponse | null };
  report(): ChaosReport;
}

const DEFAULTS: ChaosSettings = {
  rate500: 0.3,
  rateReset: 0.2,
  rateSlow: 0.05,
  slowMs: 10_500,
  rateTruncate: 0.05,
  seed: 1,
};

const rate = (value: unknown, fallback: number) =>
  typeof value === 'number' && value >= 0 && value <= 1 ? value : fallback;

/** Settings from a POST body; missing or out-of-range fields take the requirement's defaults. */
export function chaosSettings(body: unknown): ChaosSettings | null {
  if (typeof body !== 'object' || body === null) return null;
  const input = body as Record<string, unknown>;
  const settings: ChaosSettings = {
    rate500: rate(input.rate500, DEFAULTS.rate500),
    rateReset: rate(input.rateReset, DEFAULTS.rateReset),
    rateSlow: rate(input.rateSlow, DEFAULTS.rateSlow),
    slowMs: typeof input.slowMs === 'number' && input.slowMs >= 0 ? input.slowMs : DEFAULTS.slowMs,
    rateTruncate: rate(input.rateTruncate, DEFAULTS.rateTruncate),
    seed: typeof input.seed === 'number' && Number.isFinite(input.seed) ? input.seed : DEFAULTS.seed,
  };
  return settings.rate500 + settings.rateReset + settings.rateSlow + settings.rateTruncate <= 1 ? settings : null;
}

/** A uniform number in [0, 1) from a string: FNV-1a, then one round of mulberry32 to spread the bits. */
function dice(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  let t = (hash + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

export function createChaosSwitch(): ChaosSwitch {
  let settings: ChaosSettings | null = null;
  let requests = 0;
  const counts: Record<ChaosFault, number> = { '500': 0, reset: 0, slow: 0, truncate: 0 };
  const paths: ChaosReport['paths'] = {};

  return {
    set(next) {
      settings = next;
    },
    intercept(path, faults) {
      if (!CHAOS_TARGETS.some((prefix) => path.startsWith(prefix))) return { faults, response: null };
      const seen = (paths[path] ??= { hits: 0 });
      seen.hits++;
      let fault: ChaosFault | null = null;
      if (settings) {
        requests++;
        const roll = dice(`${settings.seed}:${path}:${seen.hits}`);
        const bands: Array<[ChaosFault, number]> = [
          ['500', settings.rate500],
          ['reset', settings.rateReset],
          ['slow', settings.rateSlow],
          ['truncate', settings.rateTruncate],
        ];
        let edge = 0;
        for (const [kind, width] of bands) {
          edge += width;
          if (roll < edge) {
            fault = kind;
            break;
          }
        }
      }
      seen[fault ?? 'ok'] = (seen[fault ?? 'ok'] ?? 0) + 1;
      if (!fault || !settings) return { faults, response: null };
      counts[fault]++;
      return withFault(fault, faults, settings);
    },
    report: () => ({ on: settings !== null, settings, requests, faults: { ...counts }, paths: structuredClone(paths) }),
  };
}

/** How a fault is delivered: a replacement answer (the 500), or the query-parameter faults deliver() knows. */
function withFault(
  fault: ChaosFault,
  faults: Faults,
  settings: ChaosSettings,
): { faults: Faults; response: FixtureResponse | null } {
  switch (fault) {
    case '500':
      return { faults, response: textResponse(500, 'chaos: the server failed') };
    case 'reset':
      return { faults: { ...faults, reset: true }, response: null };
    case 'slow':
      return { faults: { ...faults, delayMs: faults.delayMs + settings.slowMs }, response: null };
    case 'truncate':
      // deliver() cuts the body at this many bytes; a small number is always shorter than a page or a photo.
      return { faults: { ...faults, truncate: 200 }, response: null };
  }
}
