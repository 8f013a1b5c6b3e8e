// What one invocation spends of the budgets local tools do not enforce: D1 statements (each statement of a batch
// counts), D1 round trips, rows written (D1's own meta.rows_written) and queue calls. The queue and cron handlers
// log it once per invocation ("invocation" log line); the tests and the scale bench read it.

export interface InvocationCounts {
  statements: number;
  d1Calls: number;
  rowsWritten: number;
  fetches: number;
  queueCalls: number;
}

/** Subrequests, counting D1 round trips as subrequests too (the cautious reading of Cloudflare's limits). */
export const subrequestsOf = (c: InvocationCounts) => c.fetches + c.queueCalls + c.d1Calls;

export const emptyCounts = (): InvocationCounts => ({
  statements: 0,
  d1Calls: 0,
  rowsWritten: 0,
  fetches: 0,
  queueCalls: 0,
});

const INNER = Symbol('inner statement');
type Wrapped = D1PreparedStatement & { [INNER]: D1PreparedStatement };

function rowsWritten(result: unknown): number {
  return (result as { meta?: { rows_written?: number } } | null)?.meta?.rows_written ?? 0;
}

function meterDatabase(db: D1Database, counts: InvocationCounts): D1Database {
  const call = async <T>(statements: number, run: () => Promise<T>): Promise<T> => {
    counts.statements += statements;
    counts.d1Calls += 1;
    return run();
  };
  const countWritten = <T>(result: T): T => {
    counts.rowsWritten += rowsWritten(result);
    return result;
  };
  const wrap = (statement: D1PreparedStatement): Wrapped =>
    ({
      [INNER]: statement,
      bind: (...values: unknown[]) => wrap(statement.bind(...values)),
      first: (column?: string) => call(1, () => (column === undefined ? statement.first() : statement.first(column))),
      run: () => call(1, () => statement.run()).then(countWritten),
      all: () => call(1, () => statement.all()).then(countWritten),
      raw: (options?: { columnNames?: boolean }) => call(1, () => statement.raw(options as { columnNames: true })),
    }) as unknown as Wrapped;
  return {
    prepare: (sql: string) => wrap(db.prepare(sql)),
    batch: async (statements: D1PreparedStatement[]) => {
      const results = await call(statements.length, () => db.batch(statements.map((s) => (s as Wrapped)[INNER] ?? s)));
      for (const r of results) counts.rowsWritten += rowsWritten(r);
      return results;
    },
    exec: (sql: string) => call(sql.split(';').filter((s) => s.trim()).length, () => db.exec(sql)),
    withSession: () => {
      throw new Error('D1 sessions are not metered');
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

/** The environment with its D1 and queue bindings counted into `counts`. */
export function meteredEnv(env: Env, counts: InvocationCounts = emptyCounts()): { env: Env; counts: InvocationCounts } {
  return {
    env: { ...env, DB: meterDatabase(env.DB, counts), REFRESH_QUEUE: meterQueue(env.REFRESH_QUEUE, counts) },
    counts,
  };
}
