// Identical work asked for at once is done once: the second caller waits for the first one's answer instead of
// fetching the same page or picture again. Per isolate (Workers give no cheaper shared memory); the stored article
// and the edge cache catch what arrives in another isolate or after the first has finished.

export class Coalescer<T> {
  readonly #running = new Map<string, Promise<T>>();

  /** Runs `work` unless the same key is already running; every caller gets the same outcome, failure included. */
  run(key: string, work: () => Promise<T>): Promise<T> {
    const running = this.#running.get(key);
    if (running) return running;
    const started = work().finally(() => this.#running.delete(key));
    this.#running.set(key, started);
    return started;
  }

  /** Keys in flight (for tests and the budget meter). */
  get size(): number {
    return this.#running.size;
  }
}
