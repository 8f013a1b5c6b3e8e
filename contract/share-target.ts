// What a share to the app carries (the manifest's share_target: title, text, url as a GET query), the page in it,
// and whether the reader is the one who sent it. Pure, so the edge's /share page and the offline page read it alike.

export interface SharedPage {
  url: string;
  title: string | null;
}

/** The page a share carries: its `url`, or else the first web address in its text (where Android puts it). */
export function sharedPageFrom(query: {
  url?: string | null;
  title?: string | null;
  text?: string | null;
}): SharedPage | null {
  const candidates = [query.url, /https?:\/\/\S+/i.exec(query.text ?? '')?.[0]];
  for (const candidate of candidates) {
    const parsed = candidate ? URL.parse(candidate.trim()) : null;
    if (parsed && (parsed.protocol === 'http:' || parsed.protocol === 'https:')) {
      return { url: parsed.href, title: query.title?.trim() || null };
    }
  }
  return null;
}

/** The same, from a /share address's query string. */
export function sharedPageIn(search: URLSearchParams): SharedPage | null {
  return sharedPageFrom({ url: search.get('url'), title: search.get('title'), text: search.get('text') });
}

/**
 * Whether /share may save at once: `Sec-Fetch-Site: none` is the browser's own doing (the OS share sheet, a bookmark,
 * the address bar) and `same-origin` is this site's own pages. Anything else, a link or form on another site or no
 * header at all, may be someone else choosing what lands in the reader's outbox: the page waits for a tap on Save.
 */
export function savesSharedPageAtOnce(secFetchSite: string | undefined): boolean {
  return secFetchSite === 'none' || secFetchSite === 'same-origin';
}
