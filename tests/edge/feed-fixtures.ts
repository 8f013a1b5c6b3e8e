// Fixture files for the feed tests, fetched as raw bytes from the fixture origin (tests in workerd cannot read the disk).
import { env } from 'cloudflare:test';
import { expect } from 'vitest';
import { decodeFeedBytes } from '../../worker-edge/feeds/decode-feed-bytes.ts';

export interface FixtureBody {
  url: string;
  bytes: Uint8Array;
  contentType: string | null;
}

/** `path` below the origin's roots, e.g. "shared/gofeed/testdata/translator/rss/x.xml" or "local/encodings/x.xml". */
export async function fixtureBody(path: string): Promise<FixtureBody> {
  const url = `${env.FIXTURE_ORIGIN}/${path}`;
  const response = await fetch(url);
  expect(response.status, url).toBe(200);
  return {
    url,
    bytes: new Uint8Array(await response.arrayBuffer()),
    contentType: response.headers.get('content-type'),
  };
}

export async function fixtureText(path: string): Promise<string> {
  const { bytes, contentType } = await fixtureBody(path);
  return decodeFeedBytes(bytes, contentType);
}

/** Relative paths of the files below `dir` (recursive), failing the test when the folder is missing or empty. */
export async function fixtureList(dir: string): Promise<string[]> {
  const response = await fetch(`${env.FIXTURE_ORIGIN}/__list/${dir}`);
  expect(response.status, dir).toBe(200);
  const files = (await response.json()) as string[];
  expect(files.length, `files in ${dir}`).toBeGreaterThan(0);
  return files;
}
