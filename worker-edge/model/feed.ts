// One model for every feed format (RSS 0.9x/2.0, RSS 1.0/RDF, Atom 0.3/1.0, JSON Feed 1.0/1.1):
// what the parser hands to normalisation, and what normalisation hands to storage.

/** Publisher hints that bear on how often we fetch the feed again. */
export interface ScheduleHints {
  /** RSS <ttl>, in minutes. */
  ttlMinutes: number | null;
  /** sy:updatePeriod (hourly | daily | weekly | monthly | yearly). */
  updatePeriod: string | null;
  /** sy:updateFrequency: updates per period (default 1). */
  updateFrequency: number | null;
}

export interface NormalisedItem {
  /** The feed's own id for the item (guid / atom:id / JSON id), trimmed; null when missing. */
  guid: string | null;
  /** Absolute http(s) link to the item's page, resolved against xml:base / the feed URL; null when missing. */
  url: string | null;
  /** Plain text, entities decoded, whitespace collapsed; never HTML. */
  title: string;
  /** Plain text author name(s), or null. */
  author: string | null;
  /** Milliseconds since the epoch (UTC); null when the feed gave no date or an invalid one. */
  publishedAt: number | null;
  /** Plain text, at most ~300 characters, derived from description/summary/content. */
  summary: string;
  /** Sanitised HTML (allow-list), links and images absolute. */
  contentHtml: string;
  /** Absolute http(s) URL of a representative image, or null. */
  imageUrl: string | null;
  /** Every picture the item shows (its image and the sources in its content): what the image proxy may fetch. */
  imageSources: string[];
}

export interface NormalisedFeed {
  format: 'rss' | 'rdf' | 'atom' | 'json';
  /** Plain text title of the feed. */
  title: string;
  /** Absolute URL of the site the feed belongs to, or null. */
  siteUrl: string | null;
  hints: ScheduleHints;
  items: NormalisedItem[];
}
