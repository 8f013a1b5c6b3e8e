// The chaos proof, short form: 12 articles through a failing origin (500s, resets, answers past the edge's timeout,
// bodies cut short), the browser going offline twice, the service worker killed twice mid-fetch and the browser
// restarted once with work queued. Nothing may be lost, stored twice or announced by notification (the page is open). The long form (50
// articles) is `npm run prove:chaos`.
import { expect, it } from 'vitest';
import { runChaos } from './support/chaos-run.ts';

it('loses nothing, duplicates nothing and interrupts no one (the page is on screen) through faults, kills and a restart', async () => {
  const result = await runChaos({
    articles: 12,
    seed: 772,
    offlineToggles: 2,
    workerKills: 2,
    restartBrowser: true,
    chaosMs: 20_000,
    timeBudgetMs: 170_000,
  });
  expect(result.problems).toEqual({});
  // The reader's page is on screen throughout: it shows each article ready, and no system notification interrupts.
  // Each is still marked announced (a missing mark is among the problems), so leaving the page replays nothing.
  expect(result).toMatchObject({
    requested: 12,
    ready: 12,
    lost: 0,
    duplicated: 0,
    notifiedOnce: 0,
    notifiedFailed: 0,
    notificationsLogged: 0,
    timedOut: false,
  });
  expect(result.kills.done).toBe(2);
  expect(result.toggles).toEqual({ asked: 2, done: 2 });
  expect(result.restart.done).toBe(true);
  // The faults really happened, and the restart really left work behind.
  expect(result.origin.faults['500'] + result.origin.faults.reset).toBeGreaterThan(0);
  expect(result.restart.unfinishedAtClose).toBeGreaterThan(0);
}, 240_000);
