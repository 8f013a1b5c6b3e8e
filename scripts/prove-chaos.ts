// The chaos proof, long form: 50 articles requested from an origin that fails 30% of the time with a 500, 20% with
// a reset connection, and now and then answers past the edge's timeout or cuts a body short; the browser goes
// offline and back at random, the service worker is killed mid-fetch several times, the browser is closed once
// with work queued and started again; then the origin recovers. Prints requested / ready / lost / duplicated with
// timings, attempts and faults, and exits non-zero when anything was lost or duplicated, or time ran out.
// Run: npm run prove:chaos   (or: npm exec -- node scripts/prove-chaos.ts)
import { runChaos } from '../tests/browser/support/chaos-run.ts';

const TIME_BUDGET_MS = 8 * 60 * 1000;
const seed = Number(process.env.CHAOS_SEED ?? 50);

const started = Date.now();
const log = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`);
// A hard stop on top of the run's own budget, for a run that hangs outside its waits (a browser that never starts).
const watchdog = setTimeout(() => {
  console.error(`FAILED: the chaos run did not finish within ${TIME_BUDGET_MS / 60_000} minutes (+30 s).`);
  process.exit(2);
}, TIME_BUDGET_MS + 30_000);

const result = await runChaos({
  articles: 50,
  seed,
  offlineToggles: 6,
  workerKills: 5,
  restartBrowser: true,
  chaosMs: 90_000,
  timeBudgetMs: TIME_BUDGET_MS,
  log,
});
clearTimeout(watchdog);

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
console.log(`
requested   ${result.requested}   (${result.requestedOnline} from the article page online, the rest from the offline page)
ready       ${result.ready}
lost        ${result.lost}
duplicated  ${result.duplicated}   (outbox ${result.duplicates.outbox}, caches ${result.duplicates.caches}, notified twice ${result.duplicates.notified})
notified    ${result.notifiedOnce} once, ${result.notifiedFailed} in a "could not fetch" notice, ${result.notificationsLogged} notifications shown

origin      ${result.origin.requests} chaos requests; faults: ${Object.entries(result.origin.faults)
  .map(([kind, n]) => `${kind} ${n}`)
  .join(', ')}
browser     ${result.kills.done} of ${result.kills.asked} worker kills (each mid-fetch), ${result.toggles.done} of ${result.toggles.asked} offline toggles (page and worker seen offline), restart ${result.restart.done ? `with ${result.restart.unfinishedAtClose} unfinished` : 'not done'}
attempts    ${result.attempts.total} fetch attempts in all, at most ${result.attempts.max} for one article
sync        ${
  Object.entries(result.syncEvents)
    .map(([name, n]) => `${name}: ${n}`)
    .join('; ') || 'no events recorded'
}
time        setup ${seconds(result.timings.setupMs)}, requests ${seconds(result.timings.requestMs)}, chaos ${seconds(result.timings.chaosMs)}, settle ${seconds(result.timings.settleMs)}, verify ${seconds(result.timings.verifyMs)}; total ${seconds(result.timings.totalMs)}`);

// The page is on screen throughout, so a notification means no window of the site was looking: say when.
for (const { at, tag, fresh } of result.notifications)
  console.log(`  notification ${tag} at ${((at - started) / 1000).toFixed(1)} s, ${fresh} articles new in it`);
for (const [itemId, problems] of Object.entries(result.problems)) console.log(`  ${itemId}: ${problems.join('; ')}`);
if (result.timedOut)
  console.error(`FAILED: not everything settled within the ${TIME_BUDGET_MS / 60_000}-minute budget.`);
const failed = result.lost !== 0 || result.duplicated !== 0 || result.timedOut || result.notificationsLogged !== 0;
console.log(failed ? 'FAILED' : 'PASSED');
process.exit(failed ? 1 : 0);
