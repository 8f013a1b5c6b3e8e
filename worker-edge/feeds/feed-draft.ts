// What the format-specific readers (RSS/RDF/Atom from the sax-built tree, JSON Feed by hand) extract, before one
// normalisation turns it into the stored model. Values are as the feed gave them: possibly relative, possibly HTML,
// possibly invalid. Every list is in order of preference, best first, so normalisation takes the first usable one.
import type { NormalisedFeed, ScheduleHints } from '../model/feed.ts';

/** A piece of text as the feed declared it: HTML or plain, and the base its relative URLs resolve against. */
export interface FeedText {
  value: string;
  isHtml: boolean;
  baseUrl: string;
}

export interface ItemDraft {
  guid: string | null;
  /** Absolute base for the item's links and images (entry xml:base → feed xml:base → feed URL). */
  baseUrl: string;
  links: string[];
  title: FeedText | null;
  authors: string[];
  /** Publication dates first, then modification dates. */
  dates: string[];
  /** Full content, richest first. */
  contents: FeedText[];
  /** Descriptions and summaries. */
  summaries: FeedText[];
  images: string[];
}

export interface FeedDraft {
  format: NormalisedFeed['format'];
  baseUrl: string;
  title: FeedText | null;
  siteUrls: string[];
  hints: ScheduleHints;
  items: ItemDraft[];
}
