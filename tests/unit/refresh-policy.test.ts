// When the background refresh asks the server at all, by the offline policy: never with "None" kept, never on a
// connection the browser says is metered when the reader asked for unmetered only (and as usual where the browser
// says nothing), and on `periodicsync` only while background refresh is on (the page's own refresh, which stands in
// where the browser cannot refresh in the background, follows the policy alone). The edge is scripted: a 304.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConnectionHints } from '../../contract/connection-kind.ts';
import type { ReaderSettings, RunTrigger } from '../../contract/messages.ts';
import { refreshDigest } from '../../sw/periodic-refresh.ts';
import { updateSettings } from '../../sw/settings-store.ts';

let asked: string[] = [];

beforeEach(() => {
  asked = [];
  vi.stubGlobal('fetch', async (url: string) => {
    asked.push(url);
    return new Response(null, { status: 304 });
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

async function refreshWith(
  settings: Partial<ReaderSettings>,
  connection: ConnectionHints | undefined,
  trigger: RunTrigger = 'periodicsync',
) {
  vi.stubGlobal('navigator', connection ? { connection } : {});
  await updateSettings(settings);
  return (await refreshDigest(trigger)).outcome;
}

describe('the background refresh asks the server', () => {
  it.each([
    ['Data Saver is on', { saveData: true, effectiveType: '4g' }],
    ['on mobile data', { type: 'cellular' }],
  ])('not when %s and the reader wants unmetered only', async (_when, connection) => {
    expect(await refreshWith({ unmeteredOnly: true }, connection)).toBe('skipped');
    expect(asked).toEqual([]);
  });

  it.each([
    ['on Wi-Fi', { type: 'wifi' }],
    ['where the browser says only the speed', { effectiveType: '4g', saveData: false }],
    ['where the browser says nothing', undefined],
  ])('%s, with unmetered only', async (_when, connection) => {
    expect(await refreshWith({ unmeteredOnly: true }, connection)).toBe('not-modified');
    expect(asked).toEqual(['/api/digest?limit=20']);
  });

  it('on mobile data when the reader does not mind', async () => {
    expect(await refreshWith({ unmeteredOnly: false }, { type: 'cellular' })).toBe('not-modified');
  });

  it('never with None kept', async () => {
    expect(await refreshWith({ keepNewest: 0 }, undefined)).toBe('skipped');
    expect(await refreshWith({ keepNewest: 0 }, undefined, 'page-load')).toBe('skipped');
    expect(asked).toEqual([]);
  });

  it('for the newest 50 in one digest of 50 when the policy keeps 50', async () => {
    await refreshWith({ keepNewest: 50 }, undefined);
    expect(asked).toEqual(['/api/digest?limit=50']);
  });

  it('on periodicsync only while background refresh is on; from the page, by the policy alone', async () => {
    expect(await refreshWith({ backgroundRefresh: false }, undefined)).toBe('skipped');
    expect(asked).toEqual([]);
    expect(await refreshWith({ backgroundRefresh: false }, undefined, 'page-load')).toBe('not-modified');
  });
});
