// Debian's Chromium driven by playwright-core (no browser download here). Flags from TESTING.md keep it quiet on a
// closed network; `fastBackgroundSync` makes the browser itself retry failed syncs 1 s apart and fire periodicsync
// every few seconds, so retry behaviour is tested for real rather than simulated.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const QUIET_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const FAST_BACKGROUND_SYNC = [
  '--force-fieldtrials=BackgroundSync/T',
  '--force-fieldtrial-params=BackgroundSync.T:initial_retry_delay_sec/1/retry_delay_factor/1/min_periodic_sync_events_interval_sec/2',
];

export interface LaunchOptions {
  /** A profile folder kept across launches (closing the browser with work queued, then starting it again). */
  userDataDir?: string;
  fastBackgroundSync?: boolean;
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
  javaScriptEnabled?: boolean;
}

export interface LaunchedBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(options: LaunchOptions = {}): Promise<LaunchedBrowser> {
  const args = [...QUIET_FLAGS, ...(options.fastBackgroundSync ? FAST_BACKGROUND_SYNC : [])];
  const contextOptions = {
    viewport: options.viewport ?? { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'light',
    javaScriptEnabled: options.javaScriptEnabled ?? true,
  } as const;
  if (options.userDataDir) {
    const context = await chromium.launchPersistentContext(options.userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args,
      ...contextOptions,
    });
    return { context, close: () => context.close() };
  }
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args });
  const context = await browser.newContext(contextOptions);
  return { context, close: () => browser.close() };
}

/** The permissions these tests need, by their CDP names. */
export type BrowserPermission = 'backgroundSync' | 'periodicBackgroundSync' | 'notifications' | 'durableStorage';

export const ALL_PERMISSIONS: readonly BrowserPermission[] = [
  'backgroundSync',
  'periodicBackgroundSync',
  'notifications',
  'durableStorage',
];

/**
 * Grants permissions with ONE raw CDP call: each Browser.grantPermissions call denies everything it does not list
 * (Playwright's grantPermissions makes the same call), so a later partial grant would silently turn others off.
 * Chromium resets a session's permission overrides when that session detaches, so the session stays attached:
 * the grants last as long as `page` stays open. Use a page that outlives the test's site pages (a blank one).
 */
export async function grantPermissions(
  page: Page,
  origin: string,
  permissions: readonly BrowserPermission[] = ALL_PERMISSIONS,
): Promise<void> {
  const session = await page.context().newCDPSession(page);
  const { targetInfo } = (await session.send('Target.getTargetInfo')) as { targetInfo: { browserContextId?: string } };
  await session.send('Browser.grantPermissions', {
    origin,
    permissions: [...permissions],
    ...(targetInfo.browserContextId ? { browserContextId: targetInfo.browserContextId } : {}),
  });
}

/**
 * Writes a notification grant for `origin` into a closed profile, as the reader's own "Allow" is kept. CDP grants
 * are overrides that end with the session, and a browser started again dispatches waiting syncs before any
 * session can grant again: without this, what completes in that moment is (correctly) not announced.
 */
export function persistNotificationGrant(userDataDir: string, origin: string): void {
  const file = join(userDataDir, 'Default', 'Preferences');
  const preferences = JSON.parse(readFileSync(file, 'utf8')) as {
    profile?: { content_settings?: { exceptions?: Record<string, Record<string, unknown>> } };
  };
  const exceptions = (((preferences.profile ??= {}).content_settings ??= {}).exceptions ??= {});
  (exceptions.notifications ??= {})[`${origin},*`] = { last_modified: String(Date.now() * 1000), setting: 1 };
  writeFileSync(file, JSON.stringify(preferences));
}
