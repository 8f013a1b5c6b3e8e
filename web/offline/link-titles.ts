// The title of the article a link leads to, remembered for this tab when the reader follows it: offline, the page
// that answers for an article not on the device knows only its address, and would otherwise call it "This article"
// (and Saved "Untitled") although the list the reader tapped had its title. Kept in sessionStorage: the tab's own,
// read by the very next page, and gone with the tab.
const KEY = 'offline-reader:link-titles';
const KEPT = 50;
const ARTICLE_LINK = /^\/read\/([^/?#]+)\/?$/;

function stored(): Array<[string, string]> {
  try {
    const value: unknown = JSON.parse(sessionStorage.getItem(KEY) ?? '[]');
    return Array.isArray(value) ? (value as Array<[string, string]>) : [];
  } catch {
    return [];
  }
}

function remember(itemId: string, title: string): void {
  const kept = stored().filter(([id]) => id !== itemId);
  kept.push([itemId, title]);
  try {
    sessionStorage.setItem(KEY, JSON.stringify(kept.slice(-KEPT)));
  } catch {
    // Storage refused (full, or disabled): the page falls back to its own words.
  }
}

/** The title the reader saw on the link they followed to this article, if they came by one. */
export function rememberedTitle(itemId: string): string | null {
  return stored().find(([id]) => id === itemId)?.[1] ?? null;
}

function titleOf(link: HTMLAnchorElement): string {
  const box = link.closest<HTMLElement>('[data-item-id]');
  // Neither the visually hidden "Unread: " before an unread item's title nor "Older" before a neighbour's is part of it.
  const text = [...link.childNodes]
    .filter(
      (node) => !(node instanceof HTMLElement && node.matches('.unread-mark, .visually-hidden, .article-nav-label')),
    )
    .map((node) => node.textContent ?? '')
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
  return box?.dataset.title || text;
}

/** Remembers the title of every article link the reader follows on this page (pointer, keyboard or key press). */
export function rememberLinkTitles(): void {
  document.addEventListener(
    'click',
    (event) => {
      const link = (event.target as Element | null)?.closest?.<HTMLAnchorElement>('a[href]');
      if (!link || link.origin !== location.origin) return;
      const itemId = ARTICLE_LINK.exec(link.pathname)?.[1];
      const title = itemId ? titleOf(link) : '';
      if (itemId && title && title !== 'Untitled') remember(decodeURIComponent(itemId), title);
    },
    { capture: true },
  );
}
