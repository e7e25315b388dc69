import { describe, expect, it } from 'vitest';
import type { StepResult } from '../../../src/execute/step-result.js';
import { walk, type Walkable } from '../../../src/execute/walker.js';

const step = (id: string, store: string, dependsOn: string[] = []): Walkable => ({ id, store, dependsOn });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs steps with a small delay, recording start order and how many ran at once (overall and per store). */
function recorder(fail: string[] = [], notApplied: string[] = []) {
  const started: string[] = [];
  const running = new Map<string, number>();
  let now = 0;
  let maxAll = 0;
  let maxPerStore = 0;
  const run = async (s: Walkable): Promise<StepResult> => {
    started.push(s.id);
    now++;
    running.set(s.store, (running.get(s.store) ?? 0) + 1);
    maxAll = Math.max(maxAll, now);
    maxPerStore = Math.max(maxPerStore, running.get(s.store)!);
    await sleep(15);
    now--;
    running.set(s.store, running.get(s.store)! - 1);
    if (fail.includes(s.id)) return { id: s.id, store: s.store, status: 'failed', error: { message: 'boom' } };
    if (notApplied.includes(s.id)) return { id: s.id, store: s.store, status: 'not-applied', reason: 'store has no url', cause: `store:${s.store}` };
    return { id: s.id, store: s.store, status: 'applied' };
  };
  return { run, started, max: () => ({ maxAll, maxPerStore }) };
}

describe('walk', () => {
  it('runs a step only after its dependencies, and ready steps in plan order', async () => {
    const steps = [step('a', 's1'), step('b', 's2'), step('c', 's1', ['a', 'b']), step('d', 's3', ['c'])];
    const r = recorder();
    const results = await walk(steps, { concurrency: 4, run: r.run });
    expect(r.started).toEqual(['a', 'b', 'c', 'd']);
    expect([...results.values()].every((x) => x.status === 'applied')).toBe(true);
  });

  it('never overlaps two steps of one store, and runs stores in parallel up to the limit', async () => {
    const steps = ['s1', 's2', 's3', 's4'].flatMap((s) => [step(`${s}-1`, s), step(`${s}-2`, s)]);
    const r = recorder();
    await walk(steps, { concurrency: 3, run: r.run });
    expect(r.max()).toEqual({ maxAll: 3, maxPerStore: 1 });
  });

  it('skips everything behind a failure and names the root cause, transitively', async () => {
    const steps = [step('a', 's1'), step('b', 's1', ['a']), step('c', 's2', ['b']), step('x', 's3')];
    const r = recorder(['a']);
    const results = await walk(steps, { run: r.run });
    expect(results.get('a')!.status).toBe('failed');
    expect(results.get('b')).toMatchObject({ status: 'skipped', cause: 'a' });
    expect(results.get('c')).toMatchObject({ status: 'skipped', cause: 'a' });
    expect(results.get('x')!.status).toBe('applied');
    expect(r.started).toEqual(['a', 'x']);
  });

  it('a step behind one that was not applied is not applied either, for the same reason', async () => {
    const steps = [step('g1', 'graph'), step('g2', 'graph', ['g1'])];
    const results = await walk(steps, { run: recorder([], ['g1']).run });
    expect(results.get('g2')).toMatchObject({ status: 'not-applied', cause: 'store:graph', reason: 'store has no url' });
  });

  it('a soft dependency orders two steps but does not stop the later one when the earlier fails', async () => {
    // a -> b is soft (file order), b -> c is hard (c uses what b makes); d depends hard on a.
    const steps = [step('a', 's1'), step('b', 's1', ['a']), step('c', 's1', ['b']), step('d', 's2', ['a'])];
    const r = recorder(['a', 'b']);
    const results = await walk(steps, { run: r.run, soft: (s, dep) => s.id === 'b' && dep === 'a' });
    expect(r.started).toEqual(['a', 'b']);
    expect(results.get('b')!.status).toBe('failed');
    expect(results.get('c')).toMatchObject({ status: 'skipped', cause: 'b' });
    expect(results.get('d')).toMatchObject({ status: 'skipped', cause: 'a' });
  });
});
