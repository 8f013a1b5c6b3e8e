// The first start subscribes to a default list, so a new reader sees news without any setup.
// The list is an OPML file in the repo, or, when SEED_OPML_URL is set (the demo), an OPML file fetched from there.
import defaultFeedsOpml from '../seed/default-feeds.opml';
import { politeFetch } from '../net/polite-fetch.ts';
import { addFeeds } from '../store/feeds-store.ts';
import { getMeta, setMeta } from '../store/meta-store.ts';
import { parseOpml } from '../feeds/opml.ts';
import { allowPrivateNetwork } from '../config.ts';

export const SEEDED_KEY = 'seeded_at';

async function seedOpml(env: Env): Promise<string> {
  if (!env.SEED_OPML_URL) return defaultFeedsOpml;
  const outcome = await politeFetch(env.SEED_OPML_URL, {
    accept: 'text/x-opml, application/xml, text/xml, */*;q=0.5',
    maxBytes: 1024 * 1024,
    timeoutMs: 10_000,
    allowPrivateNetwork: allowPrivateNetwork(env),
  });
  if (outcome.kind !== 'ok')
    throw new Error(`SEED_OPML_URL answered ${outcome.kind === 'http-error' ? outcome.status : 304}`);
  return new TextDecoder().decode(outcome.body);
}

/**
 * Seeds once per database: returns how many feeds were added (0 when already seeded). Marked done only after it
 * succeeds, so a seed list that could not be fetched is tried again; two concurrent seeds add each feed once.
 */
export async function seedDefaultFeeds(env: Env, now: number): Promise<number> {
  if (await getMeta(env.DB, SEEDED_KEY)) return 0;
  const { outlines } = parseOpml(await seedOpml(env));
  const { added } = await addFeeds(
    env.DB,
    outlines.map((o) => ({ url: o.xmlUrl, title: o.title ?? '', siteUrl: o.htmlUrl, folder: o.folder })),
    now,
  );
  await setMeta(env.DB, SEEDED_KEY, String(now));
  return added;
}
