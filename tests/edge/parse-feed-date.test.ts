// Feed dates: the forms feeds send (RFC 822 with every kind of zone, ISO 8601 with offsets, sloppy variants),
// and the garbage they also send, which must come out as null, never as "now" and never as an exception.
import { describe, expect, it } from 'vitest';
import { normaliseItem } from '../../worker-edge/feeds/normalise-item.ts';
import { parseFeedDate } from '../../worker-edge/feeds/parse-feed-date.ts';

const readable: [string, string][] = [
  ['Thu, 01 Jan 2004 19:48:21 GMT', '2004-01-01T19:48:21.000Z'],
  ['Sun, 06 Jul 2014 12:56:00 +0000', '2014-07-06T12:56:00.000Z'],
  ['Sun, 06 Jul 2014 12:56:00 +0200', '2014-07-06T10:56:00.000Z'],
  ['Sun, 06 Jul 2014 12:56:00 -0430', '2014-07-06T17:26:00.000Z'],
  ['Sun, 06 Jul 2014 12:56:00 EST', '2014-07-06T17:56:00.000Z'],
  ['Sun, 06 Jul 2014 12:56:00 EDT', '2014-07-06T16:56:00.000Z'],
  ['Sun, 06 Jul 2014 12:56:00 PDT', '2014-07-06T19:56:00.000Z'],
  ['Sun, 06 Jul 2014 12:56:00 CEST', '2014-07-06T10:56:00.000Z'],
  ['Sun, 06 Jul 2014 12:56:00 UT', '2014-07-06T12:56:00.000Z'],
  ['Sun, 06 Jul 2014 12:56:00 Z', '2014-07-06T12:56:00.000Z'],
  ['Sun, 06 Jul 2014 12:56:00 +0000 (UTC)', '2014-07-06T12:56:00.000Z'],
  ['06 Jul 2014 12:56 GMT', '2014-07-06T12:56:00.000Z'],
  ['Sun, 6 Jul 14 12:56:00 GMT', '2014-07-06T12:56:00.000Z'],
  ['Tue, 5 Jan 99 08:00:00 GMT', '1999-01-05T08:00:00.000Z'],
  ['Sunday, 06-Jul-2014 12:56:00 GMT', '2014-07-06T12:56:00.000Z'],
  ['Sun, 06 July 2014 12:56:00 GMT', '2014-07-06T12:56:00.000Z'],
  ['Sat, 06 Sept 2014 12:56:00 GMT', '2014-09-06T12:56:00.000Z'],
  ['Sun, 06 Jul 2014', '2014-07-06T00:00:00.000Z'],
  ['Mon, 06 Jul 2014 12:56:00 GMT', '2014-07-06T12:56:00.000Z'], // wrong weekday: the date wins
  ['Sun Jul 06 2014 12:56:00 GMT+0200 (Central European Summer Time)', '2014-07-06T10:56:00.000Z'],
  ['July 6, 2014 3:05 PM', '2014-07-06T15:05:00.000Z'],
  ['Jul 6th, 2014 12:05 AM EST', '2014-07-06T05:05:00.000Z'],
  ['2014-07-06T12:56:00Z', '2014-07-06T12:56:00.000Z'],
  ['2014-07-06T12:56:00.52Z', '2014-07-06T12:56:00.520Z'],
  ['2014-07-06T12:56:00+02:00', '2014-07-06T10:56:00.000Z'],
  ['2014-07-06T12:56:00-0700', '2014-07-06T19:56:00.000Z'],
  ['2014-07-06T12:56:00+05', '2014-07-06T07:56:00.000Z'],
  ['2014-07-06T12:56Z', '2014-07-06T12:56:00.000Z'],
  ['2014-07-06 12:56:00', '2014-07-06T12:56:00.000Z'],
  ['2014-07-06 12:56:00 +0100', '2014-07-06T11:56:00.000Z'],
  ['2014-07-06', '2014-07-06T00:00:00.000Z'],
  ['20140706T125600Z', '2014-07-06T12:56:00.000Z'],
  ['  2014-07-06T12:56:00Z\n', '2014-07-06T12:56:00.000Z'],
  ['2016-12-31T23:59:60Z', '2016-12-31T23:59:59.000Z'],
];

const unreadable = [
  '',
  '   ',
  'garbage',
  'yesterday',
  '1',
  '2014',
  'Jul 2014',
  '0',
  'null',
  'NaN',
  'Invalid Date',
  '31 Feb 2014 10:00:00 GMT',
  '2014-02-30',
  '2014-13-01',
  '2014-07-06T25:00:00Z',
  '2014-07-06T12:61:00Z',
  'Sun, 06 Foo 2014 12:56:00 GMT',
  'Sun, 06 Jul 2014 12:56:00 +9999',
  '06 Jul 214 12:56 GMT',
  '0001-01-01T00:00:00Z',
  '1970-01-01T00:00:00Z',
  '2014-07-06T12:56:00Z trailing junk',
  'x'.repeat(10_000),
];

describe('parseFeedDate', () => {
  it.each(readable)('%s', (text, iso) => {
    expect(parseFeedDate(text)).toBe(Date.parse(iso));
  });

  it.each(
    unreadable.map((text) => [
      text.length > 40 ? `${text.slice(0, 20)}… (${text.length} chars)` : JSON.stringify(text),
      text,
    ]),
  )('null for %s', (_label, text) => {
    expect(parseFeedDate(text)).toBeNull();
  });

  it('null for missing values', () => {
    expect(parseFeedDate(null)).toBeNull();
    expect(parseFeedDate(undefined)).toBeNull();
  });
});

describe('publishedAt', () => {
  const now = Date.parse('2025-03-10T12:00:00Z');
  const draft = (dates: string[]) => ({
    guid: null,
    baseUrl: 'https://example.org/',
    links: [],
    title: null,
    authors: [],
    dates,
    contents: [],
    summaries: [],
    images: [],
  });

  it('takes the first date that can be read (published before updated)', () => {
    expect(normaliseItem(draft(['not a date', '2025-03-01T00:00:00Z', '2025-03-02T00:00:00Z']), now).publishedAt).toBe(
      Date.parse('2025-03-01T00:00:00Z'),
    );
  });

  it('accepts dates slightly ahead (clock skew), drops dates far in the future', () => {
    expect(normaliseItem(draft(['2025-03-11T12:00:00Z']), now).publishedAt).toBe(Date.parse('2025-03-11T12:00:00Z'));
    expect(normaliseItem(draft(['2025-03-13T12:00:00Z']), now).publishedAt).toBeNull();
    expect(normaliseItem(draft(['2999-01-01T00:00:00Z']), now).publishedAt).toBeNull();
  });

  it('is null, not now, without a readable date', () => {
    expect(normaliseItem(draft([]), now).publishedAt).toBeNull();
    expect(normaliseItem(draft(['soon']), now).publishedAt).toBeNull();
  });
});
