// wrangler.toml and the budget profiles agree: the queue delivers the batch the paid profile was sized for, and the
// bindings the Worker expects exist. (The consumer also defends itself: a larger batch is handed back.)
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { messagesPerBatch, PLAN_BUDGETS } from '../../worker-edge/platform/plan-budget.ts';

const toml = readFileSync(new URL('../../wrangler.toml', import.meta.url), 'utf8');

function consumer(queue: string): Record<string, string> {
  const blocks = toml.split(/^\[\[queues\.consumers\]\]$/m).slice(1);
  const block = blocks.find((b) => new RegExp(`^queue = "${queue}"$`, 'm').test(b));
  if (!block) throw new Error(`no consumer for ${queue} in wrangler.toml`);
  return Object.fromEntries(
    [...block.split(/^\[/m)[0]!.matchAll(/^(\w+) = "?([^"\n]*)"?$/gm)].map((m) => [m[1]!, m[2]!]),
  );
}

describe('wrangler.toml', () => {
  it('delivers the refresh queue in batches of the paid profile, with a dead-letter queue that is consumed', () => {
    const refresh = consumer('offline-reader-refresh');
    expect(Number(refresh.max_batch_size)).toBe(messagesPerBatch(PLAN_BUDGETS.paid));
    expect(refresh.dead_letter_queue).toBe('offline-reader-refresh-dlq');
    expect(consumer('offline-reader-refresh-dlq')).toBeTruthy();
    expect(toml).toMatch(/^binding = "REFRESH_QUEUE"$/m);
    expect(toml).toMatch(/^PLAN = "paid"$/m);
  });
});
