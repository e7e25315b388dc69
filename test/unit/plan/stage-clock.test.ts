/** The stage clock: laps in order, each timed from the end of the one before, the listener's own time left out; no listener, no work. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StageClock, type PlanStage } from '../../../src/plan/stage-clock.js';

afterEach(() => vi.restoreAllMocks());

describe('StageClock', () => {
  it('times each stage from the end of the one before, leaving out what the listener takes', () => {
    // The clock reads: start 100; lap a at 130, after the listener 160; lap b at 165, after it 200.
    const readings = [100, 130, 160, 165, 200];
    vi.spyOn(performance, 'now').mockImplementation(() => readings.shift()!);
    const stages: PlanStage[] = [];
    const clock = new StageClock((s) => stages.push(s));
    clock.lap('a', () => '3 files');
    clock.lap('b');
    expect(stages.map(({ stage, ms, detail }) => ({ stage, ms, detail }))).toEqual([
      { stage: 'a', ms: 30, detail: '3 files' },
      { stage: 'b', ms: 5, detail: undefined },
    ]);
    expect(readings).toEqual([]);
    expect(stages.every((s) => s.heapMb > 0)).toBe(true);
    expect('detail' in stages[1]!).toBe(false);
  });

  it('leaves out a detail that says nothing', () => {
    const stages: PlanStage[] = [];
    new StageClock((s) => stages.push(s)).lap('a', () => '');
    expect(stages).toHaveLength(1);
    expect('detail' in stages[0]!).toBe(false);
  });

  it('reads no clock and makes no detail when no one listens', () => {
    const now = vi.spyOn(performance, 'now');
    const detail = vi.fn(() => 'never');
    const clock = new StageClock();
    clock.lap('a', detail);
    clock.lap('b', detail);
    expect(now).not.toHaveBeenCalled();
    expect(detail).not.toHaveBeenCalled();
  });
});
