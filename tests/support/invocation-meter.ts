// Counts what one invocation spends, where local tools enforce nothing: D1 statements (each statement of a batch
// counts), D1 round trips, rows written (D1's own meta.rows_written), outbound fetches and queue calls.
// Wraps env.DB and the queue binding for the test, and globalThis.fetch while `measure` runs.

export interface InvocationCounts {
  statements: number;
  d1Calls: number;
  rowsWritten: number;
  fetches: number;
  queueCalls: number;
}

/** Subrequests, counting D1 round trips as subrequests too (the cautious reading of Cloudflare's limits). */
export const subrequestsOf = (c: InvocationCounts) => c.fetches + c.queueCalls + c.d1Calls;

const INNER = Symbol('inner statement');
type Wrapped = D1PreparedStatement & { [INNER]: D1PreparedStatement };

function meterDatabase(db: D1Database, counts: InvocationCounts): D1Database {
  const written = (result: D1Result | D1ExecResult) => {
    counts.rowsWritten += (result as D1Result).meta?.rows_written ?? 0;
  };
  const wrap = (statement: D1PreparedStatement): Wrapped => {
    const one = async <T>(call: () => Promise<T>): Promise<T> => {
      counts.statements += 1;
      counts.d1Calls += 1;
      const result = await call();
      if (result && typeof result === 'object' && 'meta' in result) written(result as unknown as D1Result);
      return result;
    };
    const wrapped = {
      [INNER]: statement,
      bind: (...values: unknown[]) => wrap(statement.bind(...values)),
      first: (column?: string) => {
        counts.statements += 1;
        counts.d1Calls += 1;
        return column === undefined ? statement.first() : statement.first(column);
      },
      run: () => one(() => statement.run()),
      all: () => one(() => statement.all()),
      raw: (options?: { columnNames?: boolean }) => {
        counts.statements += 1;
        counts.d1Calls += 1;
        return statement.raw(options as { columnNames: true });
      },
    };
    return wrapped as unknown as Wrapped;
  };
  return {
    prepare: (sql: string) => wrap(db.prepare(sql)),
    batch: async (statements: D1PreparedStatement[]) => {
      counts.statements += statements.length;
      counts.d1Calls += 1;
      const results = await db.batch(statements.map((s) => (s as Wrapped)[INNER] ?? s));
      for (const r of results) written(r);
      return results;
    },
    exec: async (sql: string) => {
      counts.statements += sql.split(';').filter((s) => s.trim()).length;
      counts.d1Calls += 1;
      return db.exec(sql);
    },
    withSession: () => {
      throw new Error('sessions are not metered');
    },
    dump: () => db.dump(),
  } as unknown as D1Database;
}

function meterQueue(queue: Queue, counts: InvocationCounts): Queue {
  return {
    send: (body: unknown, options?: QueueSendOptions) => {
      counts.queueCalls += 1;
      return queue.send(body, options);
    },
    sendBatch: (messages: Iterable<MessageSendRequest>, options?: QueueSendBatchOptions) => {
      counts.queueCalls += 1;
      return queue.sendBatch(messages, options);
    },
  } as Queue;
}

export interface Meter {
  counts: InvocationCounts;
  /** The environment for the invocation: DB and REFRESH_QUEUE metered. */
  env: Env;
  /** Runs one invocation with fetch metered too. */
  measure<T>(run: (env: Env) => Promise<T>): Promise<T>;
}

export function invocationMeter(base: Env): Meter {
  const counts: InvocationCounts = { statements: 0, d1Calls: 0, rowsWritten: 0, fetches: 0, queueCalls: 0 };
  const env = { ...base, DB: meterDatabase(base.DB, counts), REFRESH_QUEUE: meterQueue(base.REFRESH_QUEUE, counts) } as Env;
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
