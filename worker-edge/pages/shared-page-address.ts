// What a share to the app carries (the manifest's share_target: title, text, url as a GET query) and the page in it.
// Pure, so the edge's /share page and the service worker (which queues a share that arrives offline) read it alike.

export interface SharedPage {
  url: string;
  title: string | null;
}

/** The page a share carries: its `url`, or else the first web address in its text (where Android puts it). */
export function sharedPageFrom(query: { url?: string | null; title?: string | null; text?: string | null }): SharedPage | null {
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
