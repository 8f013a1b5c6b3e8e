// One invocation metered for a test: the Worker's own D1 and queue meter, plus every outbound fetch (globalThis.fetch
// is wrapped while `measure` runs, so fetches made anywhere in the code under test count).
import { meteredEnv, type InvocationCounts } from '../../worker-edge/platform/invocation-meter.ts';

export { subrequestsOf, type InvocationCounts } from '../../worker-edge/platform/invocation-meter.ts';

export interface Meter {
  counts: InvocationCounts;
  /** The environment for the invocation: DB and REFRESH_QUEUE metered. */
  env: Env;
  /** Runs one invocation with fetch metered too. */
  measure<T>(run: (env: Env) => Promise<T>): Promise<T>;
}

export function invocationMeter(base: Env): Meter {
  const { env, counts } = meteredEnv(base);
  return {
    counts,
    env,
    async measure(run) {
      const realFetch = globalThis.fetch;
      globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
        counts.fetches += 1;
        return realFetch(input, init);
      }) as typeof fetch;
      try {
        return await run(env);
      } finally {
        globalThis.fetch = realFetch;
      }
    },
  };
}
