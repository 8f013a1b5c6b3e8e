// The limiter that keeps refresh runs polite: per-host and global caps, arrival order, no starvation.
import { describe, expect, it } from 'vitest';
import { createLimiter, DEFAULT_GLOBAL_CONCURRENCY } from '../../worker-edge/net/concurrency-limiter.ts';

/** Tasks the test finishes by hand, recording which ran and how many ran at once, in total and per host. */
function harness() {
  const running = new Map<string, number>();
  const started: string[] = [];
  const finishers = new Map<string, (value: string) => void>();
  const failers = new Map<string, (error: Error) => void>();
  let active = 0;
  let peak = 0;
  const peakByHost = new Map<string, number>();

  const task = (host: string, name: string) => () => {
    active += 1;
    peak = Math.max(peak, active);
    running.set(host, (running.get(host) ?? 0) + 1);
    peakByHost.set(host, Math.max(peakByHost.get(host) ?? 0, running.get(host) ?? 0));
    started.push(name);
    return new Promise<string>((resolve, reject) => {
      const done = () => {
        active -= 1;
        running.set(host, (running.get(host) ?? 1) - 1);
      };
      finishers.set(name, (value) => {
        done();
        resolve(value);
      });
      failers.set(name, (error) => {
        done();
        reject(error);
      });
    });
  };
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  const finish = async (name: string) => {
    const finisher = finishers.get(name);
    if (!finisher) throw new Error(`${name} has not started`);
    finisher(name);
    await settle();
  };
  const fail = async (name: string) => {
    const failer = failers.get(name);
    if (!failer) throw new Error(`${name} has not started`);
    failer(new Error(`${name} failed`));
    await settle();
  };
  return { task, started, finish, fail, settle, peak: () => peak, peakByHost };
}

describe('createLimiter', () => {
  it('never runs more than perHost tasks at once against one host, and starts them in arrival order', async () => {
    const limiter = createLimiter({ global: 10, perHost: 2 });
    const h = harness();
    const results = ['a1', 'a2', 'a3', 'a4', 'a5'].map((name) => limiter.run('a.example', h.task('a.example', name)));
    await h.settle();
    expect(h.started).toEqual(['a1', 'a2']);
    await h.finish('a2');
    expect(h.started).toEqual(['a1', 'a2', 'a3']);
    await h.finish('a1');
    await h.finish('a3');
    expect(h.started).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    await h.finish('a4');
    await h.finish('a5');
    expect(await Promise.all(results)).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    expect(h.peakByHost.get('a.example')).toBe(2);
  });

  it('never runs more than the global limit across hosts', async () => {
    const limiter = createLimiter({ global: 3, perHost: 2 });
    const h = harness();
    const names = ['a1', 'b1', 'c1', 'd1', 'a2', 'e1'];
    const results = names.map((name) => limiter.run(`${name[0]}.example`, h.task(`${name[0]}.example`, name)));
    await h.settle();
    expect(h.started).toEqual(['a1', 'b1', 'c1']);
    await h.finish('b1');
    expect(h.started).toEqual(['a1', 'b1', 'c1', 'd1']);
    for (const name of ['a1', 'c1', 'd1']) await h.finish(name);
    expect(h.started).toEqual(names);
    for (const name of ['a2', 'e1']) await h.finish(name);
    await Promise.all(results);
    expect(h.peak()).toBe(3);
  });

  it('lets a later task for a free host pass one waiting on a busy host, but never a task it could run', async () => {
    const limiter = createLimiter({ global: 2, perHost: 1 });
    const h = harness();
    const all = [
      limiter.run('a.example', h.task('a.example', 'a1')),
      limiter.run('a.example', h.task('a.example', 'a2')),
      limiter.run('b.example', h.task('b.example', 'b1')),
      limiter.run('c.example', h.task('c.example', 'c1')),
    ];
    await h.settle();
    // a2 waits for its host; b1 may pass it because a2 could not run anyway. c1 waits for a global slot.
    expect(h.started).toEqual(['a1', 'b1']);
    await h.finish('a1');
    // a1's slot goes to a2 (earlier than c1, and now runnable): no starvation of the busy host.
    expect(h.started).toEqual(['a1', 'b1', 'a2']);
    await h.finish('b1');
    expect(h.started).toEqual(['a1', 'b1', 'a2', 'c1']);
    await h.finish('a2');
    await h.finish('c1');
    await Promise.all(all);
  });

  it('treats host names case-insensitively', async () => {
    const limiter = createLimiter({ global: 5, perHost: 1 });
    const h = harness();
    const all = [limiter.run('Feeds.Example', h.task('x', 'x1')), limiter.run('feeds.example', h.task('x', 'x2'))];
    await h.settle();
    expect(h.started).toEqual(['x1']);
    await h.finish('x1');
    await h.finish('x2');
    await Promise.all(all);
  });

  it('frees the slot when a task throws, and passes the error on', async () => {
    const limiter = createLimiter({ global: 1, perHost: 1 });
    const h = harness();
    const first = limiter.run('a.example', h.task('a.example', 'a1'));
    const second = limiter.run('a.example', h.task('a.example', 'a2'));
    const firstFailed = expect(first).rejects.toThrow('a1 failed');
    await h.settle();
    await h.fail('a1');
    await firstFailed;
    expect(h.started).toEqual(['a1', 'a2']);
    await h.finish('a2');
    expect(await second).toBe('a2');
  });

  it('frees the slot when a task throws synchronously', async () => {
    const limiter = createLimiter({ global: 1, perHost: 1 });
    await expect(
      limiter.run('a.example', () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await limiter.run('a.example', async () => 'next')).toBe('next');
  });

  it('defaults to the Workers limit of 6 simultaneous connections', async () => {
    expect(DEFAULT_GLOBAL_CONCURRENCY).toBe(6);
    const limiter = createLimiter({ perHost: 10 });
    const h = harness();
    const names = Array.from({ length: 8 }, (_, i) => `t${i}`);
    const all = names.map((name) => limiter.run(`${name}.example`, h.task(`${name}.example`, name)));
    await h.settle();
    expect(h.started).toHaveLength(6);
    for (const name of names.slice(0, 6)) await h.finish(name);
    expect(h.started).toEqual(names);
    for (const name of names.slice(6)) await h.finish(name);
    await Promise.all(all);
    expect(h.peak()).toBe(6);
  });

  it('keeps every limit under a randomised load of real timers', async () => {
    const limiter = createLimiter({ global: 4, perHost: 2 });
    const hosts = ['a', 'b', 'c', 'd', 'e'];
    let active = 0;
    let peak = 0;
    const activeByHost = new Map<string, number>();
    let hostPeak = 0;
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const finished: number[] = [];
    await Promise.all(
      Array.from({ length: 60 }, (_, i) => {
        const host = hosts[Math.floor(random() * hosts.length)] ?? 'a';
        const delay = Math.floor(random() * 5);
        return limiter.run(host, async () => {
          active += 1;
          activeByHost.set(host, (activeByHost.get(host) ?? 0) + 1);
          peak = Math.max(peak, active);
          hostPeak = Math.max(hostPeak, activeByHost.get(host) ?? 0);
          await new Promise((resolve) => setTimeout(resolve, delay));
          active -= 1;
          activeByHost.set(host, (activeByHost.get(host) ?? 1) - 1);
          finished.push(i);
        });
      }),
    );
    expect(finished).toHaveLength(60);
    expect(peak).toBe(4);
    expect(hostPeak).toBe(2);
  });
});
