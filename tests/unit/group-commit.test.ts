// Group commit: the first write alone and at once, then whatever came meanwhile in one transaction each time;
// settled() waits for all of it and reports the first failure, the groups after it still committed.
import { describe, expect, it } from 'vitest';
import { groupCommit } from '../../sw/group-commit.ts';

function transactions() {
  const groups: number[][] = [];
  const open: Array<() => void> = [];
  const commit = (group: number[]) =>
    new Promise<void>((resolve) => {
      groups.push(group);
      open.push(resolve);
    });
  const finishOne = async () => {
    open.shift()?.();
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { groups, commit, finishOne };
}

describe('groupCommit', () => {
  it('commits the first at once, alone, and what came during a transaction together in the next', async () => {
    const db = transactions();
    const writes = groupCommit(db.commit);
    writes.add(1);
    expect(db.groups).toEqual([[1]]);
    writes.add(2);
    writes.add(3);
    expect(db.groups).toEqual([[1]]);
    await db.finishOne();
    expect(db.groups).toEqual([[1], [2, 3]]);
    let settled = false;
    const done = writes.settled().then(() => {
      settled = true;
    });
    writes.add(4);
    await db.finishOne();
    expect(settled).toBe(false);
    expect(db.groups).toEqual([[1], [2, 3], [4]]);
    await db.finishOne();
    await done;
    expect(settled).toBe(true);
    // Idle again: the next write starts a transaction of its own at once.
    writes.add(5);
    expect(db.groups.at(-1)).toEqual([5]);
  });

  it('reports the first failure once everything is committed, and commits what came after it', async () => {
    const committed: number[][] = [];
    const writes = groupCommit(async (group: number[]) => {
      await Promise.resolve();
      if (group.includes(1)) throw new Error('refused');
      committed.push(group);
    });
    writes.add(1);
    writes.add(2);
    await expect(writes.settled()).rejects.toThrow('refused');
    expect(committed).toEqual([[2]]);
  });
});
