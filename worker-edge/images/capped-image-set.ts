// Every picture stored content shows is a URL the image proxy will fetch for anyone who asks, so one page or feed
// item may not register thousands of them (a page with 3,001 <img> did). Past the cap a picture is left out of the
// stored HTML altogether: the page's CSP allows images from our own origin only, so it could neither be shown from
// its own host nor through /img (unregistered, it would be a broken link). What is shown is always what is registered.
export const MAX_IMAGES_PER_OWNER = 100;

/** Distinct image URLs in order of first use, at most `limit` of them. */
export class CappedImageSet {
  readonly #urls = new Set<string>();
  readonly #limit: number;

  constructor(limit = MAX_IMAGES_PER_OWNER) {
    this.#limit = limit;
  }

  /** Takes `url` in if there is room; true when it is (now or already) one of the set. */
  admit(url: string): boolean {
    if (this.#urls.has(url)) return true;
    if (this.#urls.size >= this.#limit) return false;
    this.#urls.add(url);
    return true;
  }

  get urls(): string[] {
    return [...this.#urls];
  }
}
