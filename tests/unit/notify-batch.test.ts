// Notifications only when the reader is not looking: a window of the site on screen already shows every outcome,
// so the tray stays quiet; the outcomes are marked told either way, so leaving the page replays nothing.
import { describe, expect, it } from 'vitest';
import { readUrl } from '../../contract/paths.ts';
import { claimArticle, saveArticle, settleArticle, unnotifiedOutcomes } from '../../sw/library.ts';
import { NEW_ARTICLES_TAG, notifyNewArticles, notifyOutcomes, READY_TAG } from '../../sw/notify-batch.ts';
import { updateSettings } from '../../sw/settings-store.ts';
import { openWindow, shownNotifications, told } from './support/worker-globals.ts';

const T0 = Date.parse('2026-03-01T08:00:00Z');

async function readyArticle(id: string): Promise<void> {
  await saveArticle({ itemId: id, url: readUrl(id), title: `Article ${id}` }, T0);
  await claimArticle(id, T0);
  const ready = {
    title: `Article ${id}`,
    publishedAt: null,
    bytes: 10,
    cachedUrls: [],
    missingImages: [],
    imagesDueAt: null,
  };
  await settleArticle(id, { kind: 'ready', ...ready }, T0 + 1);
}

describe('notifyOutcomes', () => {
  it('shows "ready to read offline" when no window of the site is on screen', async () => {
    openWindow.visibilityState = 'hidden';
    await readyArticle('a');
    await notifyOutcomes();
    expect(shownNotifications.get(READY_TAG)?.title).toMatch(/Article a/);
    expect(await unnotifiedOutcomes()).toEqual([]);
  });

  it('stays quiet while a window is on screen, and marks the outcome told so it is not shown later', async () => {
    await readyArticle('b');
    await notifyOutcomes();
    expect(shownNotifications.size).toBe(0);
    expect(await unnotifiedOutcomes()).toEqual([]);
    openWindow.visibilityState = 'hidden';
    await notifyOutcomes();
    expect(shownNotifications.size).toBe(0);
  });

  it('counts a focused window as looking', async () => {
    openWindow.visibilityState = 'hidden';
    openWindow.focused = true;
    await readyArticle('c');
    await notifyOutcomes();
    expect(shownNotifications.size).toBe(0);
  });
});

describe('notifyNewArticles', () => {
  it('says nothing anywhere unless the reader asked to hear of new articles', async () => {
    openWindow.visibilityState = 'hidden';
    await notifyNewArticles(['One', 'Two']);
    openWindow.visibilityState = 'visible';
    await notifyNewArticles(['One', 'Two']);
    expect(shownNotifications.size).toBe(0);
    expect(told).toEqual([]);
  });

  it('shows them in the tray when no window is on screen', async () => {
    await updateSettings({ notifyNewArticles: true });
    openWindow.visibilityState = 'hidden';
    await notifyNewArticles(['One', 'Two']);
    expect(shownNotifications.get(NEW_ARTICLES_TAG)?.title).toBe('2 new articles to read offline');
    expect(told.filter((message) => message.type === 'new-articles')).toEqual([]);
  });

  it('tells the window on screen instead, with the list that shows them', async () => {
    await updateSettings({ notifyNewArticles: true });
    await notifyNewArticles(['One', 'Two']);
    expect(shownNotifications.size).toBe(0);
    expect(told.filter((message) => message.type === 'new-articles')).toEqual([
      { type: 'new-articles', url: '/', titles: ['One', 'Two'], source: null },
    ]);
  });
});
