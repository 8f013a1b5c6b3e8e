// Every registered picture is a URL the image proxy fetches for anyone, so one item or page registers at most 100 (a
// page once had 3,001). Past the cap a picture leaves the stored HTML: under our CSP, unregistered, it could only be
// a broken link.
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
