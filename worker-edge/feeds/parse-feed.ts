// Text of a response → NormalisedFeed, whatever the format: JSON Feed, or RSS / RDF / Atom XML.
// Anything else fails with a FeedParseError whose message a person can act on.
import { FeedParseError } from './feed-parse-error.ts';
import type { NormalisedFeed } from '../model/feed.ts';
import { normaliseFeed } from './normalise-feed.ts';
import { parseJsonFeed } from './parse-json-feed.ts';
import { parseXmlFeed } from './parse-xml-feed.ts';

export { FeedParseError };

export async function parseFeed(text: string, feedUrl: string): Promise<NormalisedFeed> {
  const body = text.replace(/^\uFEFF/, '');
  const start = body.search(/\S/);
  if (start < 0) throw new FeedParseError('Empty response');
  const first = body[start];
  if (first === '{' || first === '[') return normaliseFeed(parseJsonFeed(body, feedUrl), Date.now());
  if (first === '<') return normaliseFeed(await parseXmlFeed(body, feedUrl), Date.now());
  throw new FeedParseError('Not a feed: the response is neither XML nor JSON');
}
