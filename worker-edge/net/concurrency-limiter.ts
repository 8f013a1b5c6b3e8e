// Keeps fetches polite and within the platform: at most `perHost` at once to any one host, at most `global`
// at once in total (a Worker invocation may hold 6 outbound connections open at a time).
// Tasks start in arrival order; a task only lets a later one pass when its own host is at its limit,
// so a busy host never blocks the others and nobody waits forever.
export const DEFAULT_GLOBAL_CONCURRENCY = 6;

export interface LimiterOptions {
  global?: number;
  perHost: number;
}

export interface Limiter {
  run<T>(host: string, task: () => Promise<T>): Promise<T>;
}

interface Waiting {
  host: string;
  start(): void;
}

export function createLimiter(options: LimiterOptions): Limiter {
  const globalLimit = Math.max(1, options.global ?? DEFAULT_GLOBAL_CONCURRENCY);
  const perHostLimit = Math.max(1, options.perHost);
  const activeByHost = new Map<string, number>();
  const queue: Waiting[] = [];
  let active = 0;

  const hasRoom = (host: string) => active < globalLimit && (activeByHost.get(host) ?? 0) < perHostLimit;

  function acquire(host: string): void {
    active += 1;
    activeByHost.set(host, (activeByHost.get(host) ?? 0) + 1);
  }

  function release(host: string): void {
    active -= 1;
    const left = (activeByHost.get(host) ?? 1) - 1;
    if (left === 0) activeByHost.delete(host);
    else activeByHost.set(host, left);
    startWaiting();
  }

  function startWaiting(): void {
    for (let i = 0; i < queue.length && active < globalLimit; ) {
      const next = queue[i];
      if (next && hasRoom(next.host)) {
        queue.splice(i, 1);
        acquire(next.host);
        next.start();
      } else {
        i += 1;
      }
    }
  }

  return {
    async run<T>(rawHost: string, task: () => Promise<T>): Promise<T> {
      const host = rawHost.toLowerCase();
      await new Promise<void>((start) => {
        queue.push({ host, start });
        startWaiting();
      });
      try {
        return await task();
      } finally {
        release(host);
      }
    },
  };
}
