// The pure part of the search page's list of matches found only on this device (web/pages/device-hits.ts): the
// source the device searches by name, the one request that asks the edge which hits it finds too, and what is left.
import { describe, expect, it } from 'vitest';
import type { DeviceSearchHit } from '../../contract/messages.ts';
import { deviceSourceTitle, edgeCheckUrl, onlyOnDevice } from '../../web/pages/device-hits.ts';

const hit = (itemId: string): DeviceSearchHit => ({
  itemId,
  title: itemId,
  source: 'S',
  publishedAt: null,
  snippet: [],
});
const titles = new Map([['7', 'Harbour Town Courier']]);

describe('the device’s own matches on the search page', () => {
  it.each([
    ['every source', 'tide', null, null],
    ['source: by name: the query says it already', 'tide source:"Slow Kitchen"', '7', null],
    ['source: by number, named from the form’s list', 'tide source:7', null, 'Harbour Town Courier'],
    ['the form’s choice', 'tide', '7', 'Harbour Town Courier'],
    ['a number the page cannot name', 'tide source:9', null, undefined],
  ])('searches %s', (_what, query, formSource, expected) => {
    expect(deviceSourceTitle(query, formSource, titles)).toBe(expected);
  });

  it('asks the edge about the hits it can hold, at most 50, in one request', () => {
    const ids = Array.from({ length: 60 }, (_, n) => n.toString(16).padStart(16, '0'));
    const url = new URL(edgeCheckUrl('"tide tables" & more', [hit('bench-1'), ...ids.map(hit)]) ?? '', 'http://x');
    expect(url.pathname).toBe('/api/search');
    expect(url.searchParams.get('q')).toBe('"tide tables" & more');
    expect(url.searchParams.get('among')?.split(',')).toEqual(ids.slice(0, 50));
    expect(url.searchParams.get('limit')).toBe('50');
    expect(edgeCheckUrl('tide', [hit('bench-1'), hit('page:https://x.example/')])).toBeNull();
  });

  it('keeps the hits the edge does not find, the best first, at most as many as asked', () => {
    const hits = ['a', 'b', 'c', 'd'].map(hit);
    expect(onlyOnDevice(hits, new Set(['b']), 2).map((h) => h.itemId)).toEqual(['a', 'c']);
    expect(onlyOnDevice(hits, new Set(), 10)).toHaveLength(4);
  });
});
