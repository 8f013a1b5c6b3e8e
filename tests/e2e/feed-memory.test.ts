// Parsing stays within a Worker's memory, whatever the body. Cloudflare gives an isolate 128 MB and kills it when it
// takes more, with every feed of the consumer batch and any request sharing it; local workerd enforces nothing, so
// each hostile family (tests/fixture-origin/hostile-bodies.ts) at 3.9 MB, just under the 4 MB body cap, and a real
// 3.9 MB feed are parsed here in a Node process whose heap is that of a Worker, less what the Worker needs besides:
//   - old space 80 MB and young generation at most 3 × 4 MB: a heap of at most 92 MB;
//   - the other 36 MB of the isolate are the Worker's own code and module state (Hono, sanitize-html, linkedom,
//     Readability: about 20 MB) and the bodies of the other feeds a consumer has in flight while one is parsed
//     (6 fetches at once, 4 MB each).
// A child over the heap dies with "JavaScript heap out of memory"; one that finishes must have parsed the feed or
// refused it with a readable FeedParseError, as the family expects.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HOSTILE_FAMILIES } from '../fixture-origin/hostile-bodies.ts';

const HEAP_FLAGS = ['--max-old-space-size=80', '--max-semi-space-size=4'];
const SIZE = Math.floor(3.9 * 1024 * 1024);
/** A 1,500-item feed with HTML descriptions: 3.9 MB. */
const REALISTIC_ITEMS = 1500;
const CHILD_TIMEOUT_MS = 60_000;
const AT_ONCE = 2;
const CHILD = fileURLToPath(new URL('./support/parse-one-feed.ts', import.meta.url));

interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

interface Outcome {
  bytes: number;
  ms: number;
  parsed?: number;
  titles?: string[];
  refused?: string;
}

let running = 0;
const waiting: (() => void)[] = [];

/** Runs `task` when fewer than AT_ONCE others are running: the machine has two cores. */
async function inTurn<T>(task: () => Promise<T>): Promise<T> {
  if (running >= AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await task();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function parseInWorkerSizedHeap(name: string, size: number): Promise<ChildResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...HEAP_FLAGS, CHILD, name, String(size)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, CHILD_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

async function outcomeOf(name: string, size: number): Promise<Outcome> {
  const result = await inTurn(() => parseInWorkerSizedHeap(name, size));
  expect(result.timedOut, `${name} still running after ${CHILD_TIMEOUT_MS / 1000} s`).toBe(false);
  const outOfMemory = /heap out of memory/.test(result.stderr);
  expect(outOfMemory, `${name} ran out of a Worker-sized heap (${HEAP_FLAGS.join(' ')})`).toBe(false);
  expect(result.code, `${name} exited with ${result.code}: ${result.stderr.slice(0, 500)}`).toBe(0);
  const outcome = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as Outcome;
  console.log(
    `${name}: ${outcome.ms} ms, ${outcome.parsed !== undefined ? `${outcome.parsed} items` : outcome.refused}`,
  );
  return outcome;
}

describe.concurrent(`parsing 3.9 MB within a Worker-sized heap (${HEAP_FLAGS.join(' ')})`, () => {
  for (const [name, family] of Object.entries(HOSTILE_FAMILIES)) {
    it(name, { timeout: 4 * CHILD_TIMEOUT_MS }, async () => {
      const outcome = await outcomeOf(name, SIZE);
      expect(outcome.bytes).toBeGreaterThan(SIZE * 0.9);
      if ('recovered' in family.outcome) {
        expect(outcome.refused, `${name} was refused`).toBeUndefined();
        expect(outcome.titles).toEqual(['one']);
      } else {
        expect(outcome.refused).toMatch(/^FeedParseError: /);
        expect(outcome.refused?.replace(/^FeedParseError: /, '')).toMatch(family.outcome.refused);
      }
    });
  }

  it(`a real feed of ${REALISTIC_ITEMS} items is read in full`, { timeout: 4 * CHILD_TIMEOUT_MS }, async () => {
    const outcome = await outcomeOf('realistic', REALISTIC_ITEMS);
    expect(outcome.bytes).toBeGreaterThan(SIZE * 0.9);
    expect(outcome.refused).toBeUndefined();
    expect(outcome.parsed).toBe(REALISTIC_ITEMS);
    expect(outcome.titles).toEqual(['Item 0', 'Item 1', 'Item 2']);
  });
});
