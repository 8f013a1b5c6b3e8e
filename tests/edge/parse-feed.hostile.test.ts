// Hostile XML (defusedxml's corpus, plus the classics written inline): entity expansion bombs, external entities
// (XXE), external DTDs. parseFeed must refuse them or parse them with the entities left unexpanded, and must never
// fetch or read anything. The shared files are not feeds (<bomb>, <root>), so each is also replayed with its DTD in
// front of a real RSS feed that uses the same entities, which is what gets a parser to expand them.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { FeedParseError, parseFeed } from '../../worker-edge/feeds/parse-feed.ts';
import { fixtureList, fixtureText } from './feed-fixtures.ts';

const FEED_URL = 'https://feeds.example.net/feed';

/** A DTD's internal entities and their replacement text. */
function declaredEntities(xml: string): Map<string, string> {
  return new Map(
    [...xml.matchAll(/<!ENTITY\s+(?:%\s+)?([\w.-]+)\s+"([^"]*)"/g)].map(([, name, value]) => [name ?? '', value ?? '']),
  );
}

/** The document's prolog (declaration, DTD) in front of an RSS feed whose texts hold the original root's content. */
function asFeed(xml: string): string {
  const rootAt = xml.search(/<(?![!?])/);
  const body = xml.slice(rootAt);
  const inner = body.slice(body.indexOf('>') + 1, body.lastIndexOf('</'));
  return `${xml.slice(0, rootAt)}<rss version="2.0"><channel><title>${inner}</title><link>https://example.org/</link>
<item><title>${inner}</title><link>https://example.org/1</link><description>${inner}</description></item></channel></rss>`;
}

type Outcome = { refused: string } | { output: string };

async function outcomeOf(xml: string): Promise<Outcome> {
  try {
    return { output: JSON.stringify(await parseFeed(xml, FEED_URL)) };
  } catch (error) {
    expect(error).toBeInstanceOf(FeedParseError);
    return { refused: (error as Error).message };
  }
}

/** Nothing declared in the DTD made it into the output, and the output stayed small. */
function expectNothingExpanded(outcome: Outcome, xml: string): void {
  if ('refused' in outcome) return;
  expect(outcome.output.length).toBeLessThan(xml.length + 2_000);
  // References left as text ("&lol9;", escaped "&amp;lol9;") are fine; replacement text is not.
  const withoutReferences = outcome.output.replace(/&(?:amp;)?[\w.-]+;/g, '');
  for (const [name, value] of declaredEntities(xml)) {
    const literal = value.replace(/&[^;]*;/g, '').trim();
    if (literal.length >= 3) expect(withoutReferences, `entity ${name}`).not.toContain(literal);
  }
}

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title><description>&lol9;</description></item></channel></rss>`;

const inlineAttacks: Record<string, string> = {
  'billion laughs in a feed': BILLION_LAUGHS,
  'XXE reading /etc/passwd': `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&xxe;</title><item><title>&xxe;</title></item></channel></rss>`,
  'XXE through a parameter entity': `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % remote SYSTEM "FIXTURE/shared/hostile-xml/dtd.xml?probe=parameter-entity"> %remote;]>
<rss version="2.0"><channel><title>t</title></channel></rss>`,
  'external entity fetched over HTTP': `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY ext SYSTEM "FIXTURE/shared/hostile-xml/simple.xml?probe=external-entity">]>
<rss version="2.0"><channel><title>&ext;</title></channel></rss>`,
  'entity named like an HTML entity': `<!DOCTYPE rss [<!ENTITY nbsp "&#38;#38;nbsp-bomb">]>
<rss version="2.0"><channel><title>a&nbsp;b</title></channel></rss>`,
};

/** How often the origin was asked for the URLs the attacks point at (each carries a unique probe query). */
async function probeHits(xml: string): Promise<number> {
  let hits = 0;
  for (const [url] of xml.matchAll(/http:\/\/[^"\s]+\?probe=[\w-]+/g)) {
    const path = new URL(url).pathname + new URL(url).search;
    const summary = (await (await fetch(`${env.FIXTURE_ORIGIN}/__hits?path=${encodeURIComponent(path)}`)).json()) as {
      count: number;
    };
    hits += summary.count;
  }
  return hits;
}

describe('hostile XML', () => {
  it('every shared hostile file, as it is and in front of a feed, is refused or left unexpanded', async () => {
    const files = (await fixtureList('shared/hostile-xml')).filter((file) => file !== 'LICENSE');
    expect(files.length).toBeGreaterThanOrEqual(10);
    let parsedFeeds = 0;
    for (const file of files) {
      const xml = await fixtureText(`shared/hostile-xml/${file}`);
      const asIs = await outcomeOf(xml);
      // None of them is a feed: each must be refused, with a message a person can read.
      expect('refused' in asIs ? asIs.refused : '', file).toMatch(/^(?:Not a feed|Malformed XML)/);
      if (!/<(?![!?])/.test(xml)) continue;
      const feed = asFeed(xml);
      const outcome = await outcomeOf(feed);
      if ('output' in outcome) parsedFeeds++;
      expectNothingExpanded(outcome, feed);
    }
    // Refusing everything would also "pass": most of the feeds built around these DTDs must actually parse.
    expect(parsedFeeds).toBeGreaterThanOrEqual(files.length / 2);
  });

  for (const [name, template] of Object.entries(inlineAttacks)) {
    it(`${name}: refused or unexpanded, nothing fetched or read`, async () => {
      const xml = template.replaceAll('FIXTURE', env.FIXTURE_ORIGIN);
      const outcome = await outcomeOf(xml);
      expectNothingExpanded(outcome, xml);
      if ('output' in outcome) {
        expect(outcome.output).not.toMatch(/(?:lol){3}/);
        expect(outcome.output).not.toMatch(/root:.*:0:0:/);
        expect(outcome.output).not.toContain('<root>');
      }
      expect(await probeHits(xml)).toBe(0);
    });
  }

  it('the billion laughs feed still reads as a feed, with its entity references left as text', async () => {
    const feed = await parseFeed(BILLION_LAUGHS, FEED_URL);
    expect(feed.title).toBe('&lol9;');
    expect(feed.items[0]?.summary).toBe('&lol9;');
  });
});
