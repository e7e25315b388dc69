import pc from 'picocolors';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { elapsed, LiveProgress } from '../../../src/cli/live-progress.js';

const HIDE = '\x1b[?25l';
const SHOW = '\x1b[?25h';
const plain = pc.createColors(false);

/** A terminal of `columns` width that keeps what is written, and the footer as it stands after each write. */
function terminal(columns = 80) {
  let now = 1_000_000;
  const writes: string[] = [];
  const options = { columns: () => columns, now: () => now, intervalMs: 250 };
  return {
    writes,
    options,
    advance(ms: number) {
      now += ms;
      vi.advanceTimersByTime(ms);
    },
    /** The footer drawn last: what the final write put below the erased lines. */
    footer: () => writes.at(-1)!.replace(/^\x1b\[\d+A\x1b\[0J/, '').replace(HIDE, '').trimEnd().split('\n'),
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('LiveProgress', () => {
  it('redraws on a timer with the time of each running step and of the whole run', () => {
    const t = terminal();
    const live = new LiveProgress(3, plain, (s) => t.writes.push(s), t.options);
    t.advance(1_000);
    live.start('main:app/001_a.sql#1');
    expect(t.footer()).toEqual(['  ⠿ main:app/001_a.sql#1 0.0s', '  0/3 steps done, 1 running · 1.0s']);
    t.advance(250);
    expect(t.footer()).toEqual(['  ⠿ main:app/001_a.sql#1 0.3s', '  0/3 steps done, 1 running · 1.3s']);
    live.start('events:ch/001_e.sql#1');
    t.advance(64_750);
    expect(t.footer()).toEqual(['  ⠿ main:app/001_a.sql#1 1m 05s', '  ⠿ events:ch/001_e.sql#1 1m 04s', '  0/3 steps done, 2 running · 1m 06s']);
    live.close();
  });

  it('prints finished steps above the footer, erasing the footer it drew before', () => {
    const t = terminal();
    const live = new LiveProgress(2, plain, (s) => t.writes.push(s), t.options);
    live.start('a');
    live.finish('a', 'applied a');
    // the two footer lines are erased, the step's line printed, then the footer drawn again below it
    expect(t.writes.slice(-3)).toEqual(['\x1b[2A\x1b[0J', 'applied a\n', '  1/2 steps done, 0 running · 0.0s\n']);
    live.finish('b', undefined);
    expect(t.footer()).toEqual(['  2/2 steps done, 0 running · 0.0s']);
    live.close();
  });

  it('hides the cursor while it draws; close stops the timer, erases the footer and shows the cursor again, once', () => {
    const t = terminal();
    const live = new LiveProgress(1, plain, (s) => t.writes.push(s), t.options);
    live.start('a');
    expect(t.writes[0]!.startsWith(HIDE)).toBe(true);
    expect(t.writes.join('').split(HIDE)).toHaveLength(2);
    live.stopping('stopping: the steps running now finish or roll back');
    expect(t.footer().at(-1)).toBe('  stopping: the steps running now finish or roll back');
    live.close();
    expect(t.writes.slice(-2)).toEqual(['\x1b[3A\x1b[0J', SHOW]);
    const count = t.writes.length;
    t.advance(5_000);
    live.close();
    live.line('after close');
    expect(t.writes.slice(count)).toEqual(['after close\n']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('never draws a line wider than the terminal, and lists at most eight running steps', () => {
    const t = terminal(40);
    const live = new LiveProgress(20, plain, (s) => t.writes.push(s), t.options);
    for (let i = 0; i < 10; i++) live.start(`store_${i}:a/very/long/path/to/a/migration/file_${i}.sql#1`);
    const footer = t.footer();
    expect(footer.every((l) => l.length <= 39)).toBe(true);
    expect(footer[0]).toBe('  ⠿ store_0:a/very/long/path/to/a… 0.0s');
    expect(footer.slice(-2)).toEqual(['  … and 2 more running', '  0/20 steps done, 10 running · 0.0s']);
    expect(footer).toHaveLength(10);
    live.close();
  });

  it('colours only when asked', () => {
    const t = terminal();
    const live = new LiveProgress(1, pc.createColors(true), (s) => t.writes.push(s), t.options);
    live.start('a');
    expect(t.writes[0]).toContain('\x1b[36m');
    live.close();
  });
});

describe('elapsed', () => {
  it('reads as seconds, then minutes, then hours', () => {
    expect([elapsed(-5), elapsed(400), elapsed(59_949), elapsed(65_000), elapsed(3_600_000 + 120_000)]).toEqual(['0.0s', '0.4s', '59.9s', '1m 05s', '1h 02m']);
  });
});
