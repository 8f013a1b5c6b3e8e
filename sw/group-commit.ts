// Writes that come one at a time, committed in as few transactions as the database lets through: the first alone,
// at once, then everything that came while a transaction ran, in the next. A batch's articles are settled as their
// pages are kept, while the others are still arriving, and the last few wait for one short transaction, not for
// one as long as the whole batch.
export interface GroupCommit<T> {
  add(item: T): void;
  /** Once everything added is committed; rejects with the first failure (later groups are still tried). */
  settled(): Promise<void>;
}

export function groupCommit<T>(commit: (group: T[]) => Promise<void>): GroupCommit<T> {
  let waiting: T[] = [];
  let running: Promise<void> | null = null;
  let failure: { error: unknown } | null = null;
  const run = async () => {
    while (waiting.length > 0) {
      const group = waiting;
      waiting = [];
      try {
        await commit(group);
      } catch (error) {
        failure ??= { error };
      }
    }
    running = null;
  };
  return {
    add(item) {
      waiting.push(item);
      running ??= run();
    },
    async settled() {
      while (running) await running;
      if (failure) throw failure.error;
    },
  };
}
