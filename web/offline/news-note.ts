// News a background refresh brought while the reader was on a page of the site: the service worker tells this page
// instead of the system tray (sw/notify-batch.ts, sw/source-notifications.ts), and the page says it in one quiet
// line at the top of the page, in the words the notification would have used, with a link to the list that shows
// them. A status region that is there from the start, so screen readers hear the line when it comes.
import type { NewArticles } from '../../contract/messages.ts';
import { el } from '../dom.ts';
import { onNewArticles } from '../sw-bridge.ts';

/** Titles already told per list, so a second refresh adds to the count rather than repeating it. */
const told = new Map<string, Set<string>>();

function words(news: NewArticles, titles: string[]): string {
  if (news.source !== null) return `${titles.length} new from ${news.source}.`;
  return titles.length === 1 ? `New to read offline: ${titles[0]}.` : `${titles.length} new articles to read offline.`;
}

function line(news: NewArticles, titles: string[]): HTMLElement {
  const dismiss = el('button', { type: 'button', class: 'quiet-button' }, 'Dismiss');
  const shown = el(
    'p',
    { class: 'notice news-note', 'data-news-url': news.url },
    `${words(news, titles)} `,
    el('a', { href: news.url }, titles.length === 1 ? 'Show it' : 'Show them'),
    ' ',
    dismiss,
  );
  dismiss.addEventListener('click', () => {
    told.delete(news.url);
    shown.remove();
  });
  return shown;
}

export function showNewsOnPage(): void {
  const region = el('div', { 'data-news-note': true, role: 'status' });
  const main = document.querySelector('main');
  if (!main) return;
  main.prepend(region);
  onNewArticles((news) => {
    const titles = told.get(news.url) ?? new Set<string>();
    for (const title of news.titles) titles.add(title);
    told.set(news.url, titles);
    const fresh = line(news, [...titles]);
    const earlier = [...region.children].find((child) => child.getAttribute('data-news-url') === news.url);
    if (earlier) earlier.replaceWith(fresh);
    else region.append(fresh);
  });
}
