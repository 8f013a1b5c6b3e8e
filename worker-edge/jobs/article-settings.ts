// How the edge fetches article pages: tighter than feeds, because a reader is usually waiting for the answer.
import { allowPrivateNetwork } from '../config.ts';
import type { PageFetchSettings } from '../articles/fetch-article-page.ts';

export function articleFetchSettings(env: Env): PageFetchSettings {
  return { allowPrivateNetwork: allowPrivateNetwork(env), maxBytes: 3 * 1024 * 1024, timeoutMs: 8_000 };
}
