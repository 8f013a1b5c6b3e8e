// Taking the browser offline and back for the chaos proof, checked, and never waiting for ever. Playwright's
// context.setOffline sends Network.emulateNetworkConditions to every target and awaits each answer. A service worker
// that is stopped at that moment (killed mid-fetch, or idle) answers only once something starts it again, and while
// offline nothing does (syncs wait for the network), so the call never returned. Worse, the emulation does not cut
// a stopped worker: started later, it says navigator.onLine is false and its fetches still go through (measured
// with Chromium 156). So: start the worker first, switch with a time limit, then check from the page and from
// inside the worker; a switch that did not take is tried again, and reported when it still does not.
import type { BrowserContext, Page } from 'playwright-core';

/** Each step's limit: Playwright answers in milliseconds when the worker runs, so this is only a hang. */
const STEP_MS = 10_000;

const NO_ANSWER = Symbol('no answer');

async function within<T>(work: Promise<T>, ms = STEP_MS): Promise<T | typeof NO_ANSWER> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const gaveUp = new Promise<typeof NO_ANSWER>((resolve) => (timer = setTimeout(() => resolve(NO_ANSWER), ms)));
  try {
    return await Promise.race([work, gaveUp]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Starts the site's service worker if it is stopped: a request from a page it controls is a fetch event (the
 * precached manifest is answered from the device, online or not), and a message that is no request is ignored.
 */
async function startWorker(page: Page): Promise<void> {
  await within(
    page.evaluate(async () => {
      navigator.serviceWorker.controller?.postMessage(null);
      await fetch('/manifest.webmanifest').catch(() => undefined);
    }),
  ).catch(() => undefined);
}

/** Online, offline, or no answer: a fetch from inside the worker, which its own fetch handler does not serve. */
async function workerNetwork(context: BrowserContext, site: string): Promise<'online' | 'offline' | 'no answer'> {
  const worker = context.serviceWorkers().find((one) => one.url().startsWith(site));
  if (!worker) return 'no answer';
  const reached = await within(
    worker.evaluate(
      (url) =>
        fetch(url, { cache: 'no-store' }).then(
          () => true,
          () => false,
        ),
      `${site}/robots.txt`,
    ),
  ).catch(() => NO_ANSWER);
  return reached === NO_ANSWER ? 'no answer' : reached ? 'online' : 'offline';
}

async function pageNetwork(page: Page): Promise<'online' | 'offline' | 'no answer'> {
  const online = await within(page.evaluate(() => navigator.onLine)).catch(() => NO_ANSWER);
  return online === NO_ANSWER ? 'no answer' : online ? 'online' : 'offline';
}

export interface NetworkSwitch {
  /** Whether both the page and the service worker are now as asked. */
  done: boolean;
  /** What went wrong on the way (a call that did not answer, a side that did not switch), for the log. */
  trouble: string[];
}

/**
 * Takes the browser context offline or back online, the service worker included, and says whether it took:
 * `navigator.onLine` on `page` (a page of the site the worker controls) and a fetch from inside the worker.
 */
export async function switchNetwork(
  context: BrowserContext,
  page: Page,
  site: string,
  offline: boolean,
): Promise<NetworkSwitch> {
  const wanted = offline ? 'offline' : 'online';
  const trouble: string[] = [];
  // A call that has not answered yet still gets there once the worker runs; the next one queues behind it.
  const apply = async (value: boolean) => {
    await startWorker(page);
    const call = context.setOffline(value).catch((error: Error) => {
      trouble.push(`setOffline(${value}) failed: ${error.message}`);
    });
    if ((await within(call)) !== NO_ANSWER) return;
    trouble.push(`setOffline(${value}) had no answer after ${STEP_MS / 1000} s`);
    await startWorker(page);
    if ((await within(call)) === NO_ANSWER) trouble.push(`nor after starting the worker`);
  };
  for (let attempt = 1; attempt <= 2; attempt++) {
    // Playwright sends nothing for the state it believes in already: a retry switches away and back.
    if (attempt > 1) await apply(!offline);
    await apply(offline);
    const sides = { page: await pageNetwork(page), worker: await workerNetwork(context, site) };
    if (sides.page === wanted && sides.worker === wanted) return { done: true, trouble };
    trouble.push(`attempt ${attempt}: page ${sides.page}, worker ${sides.worker} (wanted ${wanted})`);
  }
  return { done: false, trouble };
}
