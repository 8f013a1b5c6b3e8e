import { describe, expect, it } from 'vitest';
import { keyItems } from '../../worker-edge/store/dedup-keys.ts';
import type { NormalisedItem } from '../../worker-edge/model/feed.ts';

const item = (over: Partial<NormalisedItem>): NormalisedItem => ({
  guid: null,
  url: null,
  title: 'A title',
  author: null,
  publishedAt: null,
  summary: '',
  contentHtml: '',
  imageSources: [],
  imageUrl: null,
  ...over,
});

describe('dedup keys', () => {
  it('uses the guid when it is unique in the document', () => {
    const keyed = keyItems([item({ guid: 'a', url: 'https://x/1' }), item({ guid: 'b', url: 'https://x/2' })]);
    expect(keyed.map((k) => k.key)).toEqual(['guid:a', 'guid:b']);
  });

  it('falls back to the link when guids repeat', () => {
    const keyed = keyItems([item({ guid: 'same', url: 'https://x/1' }), item({ guid: 'same', url: 'https://x/2' })]);
    expect(keyed.map((k) => k.key)).toEqual(['url:https://x/1', 'url:https://x/2']);
    expect(keyed.every((k) => k.guid === null)).toBe(true);
  });

  it('falls back to the text when guid and link are missing or shared', () => {
    const keyed = keyItems([
      item({ url: 'https://x/', title: 'One', publishedAt: 1 }),
      item({ url: 'https://x/', title: 'Two', publishedAt: 2 }),
    ]);
    expect(keyed).toHaveLength(2);
    expect(keyed[0]!.key).not.toBe(keyed[1]!.key);
    expect(keyed.every((k) => k.url === null && k.key.startsWith('text:'))).toBe(true);
  });

  it('collapses identical entries of one document into one item', () => {
    const twin = item({ title: 'Twin', summary: 'same' });
    expect(keyItems([twin, { ...twin }])).toHaveLength(1);
  });
});
