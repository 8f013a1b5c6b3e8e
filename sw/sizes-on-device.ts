// What an article takes on this device, in the one measure the offline policy counts everywhere (its plan, its
// enforcement, /saved, making room): the bytes stored for its page, its JSON and its pictures. Once downloaded, the
// library's record holds them; before, the digest gives the JSON exactly, and the page and the pictures are planned
// from what this device measured as it stored them: pages as a multiple of their JSON, pictures by their mean size.
import type { ArticleView } from '../contract/http.ts';
import { recall, remember, type SizesOnDevice } from './reader-db.ts';

/** Until a picture has been stored here: a news picture through the image proxy is about this size. */
export const DEFAULT_PICTURE_BYTES = 100 * 1024;
/** Measurements older than this many samples fade, so the figures follow what the reader's sources send now. */
const SAMPLES_KEPT = 200;

const encoder = new TextEncoder();

/** The bytes of an article's JSON copy, as fetch-for-offline writes it (JSON.stringify, UTF-8). */
export const jsonBytes = (article: ArticleView): number => encoder.encode(JSON.stringify(article)).byteLength;

export interface SizeFigures {
  /** A page's bytes for each byte of its article's JSON. */
  pagePerJsonByte: number;
  pictureBytes: number;
}

export async function sizeFigures(): Promise<SizeFigures> {
  const sizes = await recall('sizesOnDevice');
  return {
    pagePerJsonByte: sizes && sizes.jsonBytes > 0 ? sizes.pageBytes / sizes.jsonBytes : 1,
    pictureBytes: sizes && sizes.pictures > 0 ? sizes.pictureBytes / sizes.pictures : DEFAULT_PICTURE_BYTES,
  };
}

/** What an article will take here once its page, JSON and pictures are stored. */
export function plannedBytes(article: ArticleView, figures: SizeFigures): number {
  const json = jsonBytes(article);
  return Math.round(json + json * figures.pagePerJsonByte + article.images.length * figures.pictureBytes);
}

/** Past SAMPLES_KEPT pages (or pictures), the older ones weigh less: the sums are scaled back to that many. */
function faded(sizes: SizesOnDevice): SizesOnDevice {
  const pages = sizes.pages > SAMPLES_KEPT ? SAMPLES_KEPT / sizes.pages : 1;
  const pictures = sizes.pictures > SAMPLES_KEPT ? SAMPLES_KEPT / sizes.pictures : 1;
  return {
    pages: sizes.pages * pages,
    pageBytes: sizes.pageBytes * pages,
    jsonBytes: sizes.jsonBytes * pages,
    pictures: sizes.pictures * pictures,
    pictureBytes: sizes.pictureBytes * pictures,
  };
}

/** Adds what was just stored: pages with their JSON's bytes, and pictures. */
export async function noteStoredSizes(stored: {
  pages?: Array<{ pageBytes: number; jsonBytes: number }>;
  pictures?: { count: number; bytes: number };
}): Promise<void> {
  const before = (await recall('sizesOnDevice')) ?? {
    pages: 0,
    pageBytes: 0,
    jsonBytes: 0,
    pictures: 0,
    pictureBytes: 0,
  };
  const pages = stored.pages ?? [];
  const added: SizesOnDevice = {
    pages: before.pages + pages.length,
    pageBytes: before.pageBytes + pages.reduce((sum, p) => sum + p.pageBytes, 0),
    jsonBytes: before.jsonBytes + pages.reduce((sum, p) => sum + p.jsonBytes, 0),
    pictures: before.pictures + (stored.pictures?.count ?? 0),
    pictureBytes: before.pictureBytes + (stored.pictures?.bytes ?? 0),
  };
  await remember('sizesOnDevice', faded(added));
}
