// What pages read by their address may hold in D1: anyone may ask for any public page, so it is bounded by design
// (PAGE_BUDGET, the least recently asked for evicted in the batch that writes a new one). Items' articles go with
// their items.

export interface PageBudget {
  bytes: number;
  pages: number;
}

/** 16 MiB: 3 % of Free's 500 MB database, and tens of typical articles' worth for each reader of a small install. */
export const PAGE_BUDGET: PageBudget = { bytes: 16 * 1024 * 1024, pages: 2000 };

/** Per picture reference: its row and its two index entries, beside the URL itself. */
const IMAGE_REF_OVERHEAD_BYTES = 96;
/** Per article row: the other columns, the row's index entries and page overhead. */
const ROW_OVERHEAD_BYTES = 512;

const utf8Bytes = (s: string | null) => (s === null ? 0 : new TextEncoder().encode(s).byteLength);

/** What storing a page costs in D1, pictures' references included (an estimate from above, in bytes). */
export function pageStoredBytes(page: {
  contentHtml: string;
  title: string;
  images: string[];
  imageSources: string[];
}): number {
  return (
    ROW_OVERHEAD_BYTES +
    utf8Bytes(page.contentHtml) +
    utf8Bytes(page.title) * 2 +
    utf8Bytes(JSON.stringify(page.images)) +
    page.imageSources.reduce((sum, url) => sum + utf8Bytes(url) + IMAGE_REF_OVERHEAD_BYTES, 0)
  );
}
