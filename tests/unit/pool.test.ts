// The one pool the service worker uses: a few at once, each item once, none started after the deadline.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runPool } from '../../sw/pool.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('runPool', () => {
  it('runs every item once, never more than `atOnce` together', async () => {
    let running = 0;
    let most = 0;
    const seen: number[] = [];
    await runPool([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++;
      most = Math.max(most, running);
      await tick();
      seen.push(n);
      running--;
    });
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(3);
  });

  it('starts them in order and takes an iterable once', async () => {
    const started: string[] = [];
    await runPool(new Set(['a', 'b', 'a', 'c']), 1, async (s) => {
      started.push(s);
    });
    expect(started).toEqual(['a', 'b', 'c']);
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts nothing after the deadline, letting what started finish', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const t0 = Date.parse('2026-03-01T08:00:00Z');
    vi.setSystemTime(t0);
    const finished: number[] = [];
    // Each item takes 20 ms of the clock: the second starts at 20 (before 30), the third would start at 40.
    await runPool(
      [1, 2, 3, 4],
      1,
      async (n) => {
        vi.setSystemTime(Date.now() + 20);
        finished.push(n);
      },
      t0 + 30,
    );
    expect(finished).toEqual([1, 2]);
  });

  it('does nothing for nothing', async () => {
    let calls = 0;
    await runPool([], 4, async () => {
      calls++;
    });
    expect(calls).toBe(0);
  });
});
