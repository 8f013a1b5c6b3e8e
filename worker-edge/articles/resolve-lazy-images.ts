// Lazy-loading pages keep the real image in data-* attributes and a placeholder (or nothing) in src, waiting for
// a script we never run. Promoting the real URLs first means the reader gets the image, not a grey pixel.
import type { PageDocument } from './page-document.ts';

const LAZY_SRC = ['data-src', 'data-lazy-src', 'data-original', 'data-lazy', 'data-url', 'data-hi-res-src'];
const LAZY_SRCSET = ['data-srcset', 'data-lazy-srcset'];

const firstPresent = (element: { getAttribute(name: string): string | null }, names: string[]) =>
  names.map((name) => element.getAttribute(name)?.trim()).find((value) => value);

export function resolveLazyImages(document: PageDocument): void {
  for (const element of document.querySelectorAll('img, source')) {
    const src = firstPresent(element, LAZY_SRC);
    if (src && element.tagName === 'IMG') element.setAttribute('src', src);
    const srcset = firstPresent(element, LAZY_SRCSET);
    if (srcset) element.setAttribute('srcset', srcset);
  }
}
