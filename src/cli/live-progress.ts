/**
 * Apply progress in a terminal: finished steps scroll above a live footer
 * that lists the steps running now, each with how long it has run, and a
 * count with the run's total time. A timer redraws the footer in place (four
 * times a second) while steps run, so the times move when nothing else
 * happens; the cursor is hidden meanwhile. Used only when standard error is a
 * terminal; otherwise the CLI prints plain lines.
 *
 * `close()` stops the timer, erases the footer and shows the cursor again,
 * leaving the terminal as it was; it is safe to call more than once (an
 * interrupted run calls it on every way out), and lines printed after it are
 * plain lines.
 *
 * @example
 * const live = new LiveProgress(12, pc.createColors(true), (s) => process.stderr.write(s));
 * live.start('nova:app/001_users.sql#1');          //   ⠿ nova:app/001_users.sql#1 0.0s
 * live.finish('nova:app/001_users.sql#1', 'applied nova:app/001_users.sql#1');
 * live.close();
 */
import type pc from 'picocolors';

export interface LiveProgressOptions {
  /** The terminal's width, read at each redraw; footer lines are cut to it so they never wrap. */
  readonly columns?: () => number | undefined;
  /** Milliseconds between redraws of the footer (default 250). */
  readonly intervalMs?: number;
  /** The clock (Date.now by default). */
  readonly now?: () => number;
}

/** Running steps listed one per line in the footer; more are counted in one line. */
const SHOWN = 8;
const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';

export class LiveProgress {
  private readonly running = new Map<string, number>();
  private readonly started: number;
  private readonly now: () => number;
  private done = 0;
  private footerLines = 0;
  private closed = false;
  private cursorHidden = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  private status: string | undefined;

  constructor(
    private readonly total: number,
    private readonly c: ReturnType<typeof pc.createColors>,
    private readonly write: (s: string) => void = (s) => process.stderr.write(s),
    private readonly options: LiveProgressOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.started = this.now();
  }

  start(step: string): void {
    this.running.set(step, this.now());
    // Only a run with steps under way needs the clock; an interval left running would keep the process alive, hence unref.
    this.timer ??= setInterval(() => this.redraw(), this.options.intervalMs ?? 250);
    this.timer.unref?.();
    this.redraw();
  }

  /** Prints a line above the footer (a finished step, a backup, a note). */
  line(text: string, finished = false): void {
    this.clear();
    this.write(text + '\n');
    if (finished) this.done++;
    this.redraw(false);
  }

  /** A step ended: its line (none for a step that had nothing to do) goes above the footer, the count goes up. */
  finish(step: string, text: string | undefined): void {
    this.running.delete(step);
    if (text !== undefined) this.line(text, true);
    else {
      this.done++;
      this.redraw();
    }
  }

  /** Shows in the footer that the run is stopping (and why) until it ends. */
  stopping(text: string): void {
    this.status = text;
    this.redraw();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.closed) return;
    this.clear();
    if (this.cursorHidden) this.write(SHOW_CURSOR);
    this.cursorHidden = false;
    this.closed = true;
  }

  private clear(): void {
    if (this.footerLines > 0) this.write(`\x1b[${this.footerLines}A\x1b[0J`);
    this.footerLines = 0;
  }

  private redraw(clear = true): void {
    if (this.closed) return;
    const now = this.now();
    const width = Math.max(20, (this.options.columns?.() ?? 80) - 1);
    const cut = (s: string) => (s.length > width ? s.slice(0, width - 1) + '…' : s);
    const steps = [...this.running];
    const lines = steps.slice(0, SHOWN).map(([id, t]) => {
      const time = ` ${elapsed(now - t)}`;
      const name = `  ⠿ ${id}`;
      const room = Math.max(4, width - time.length);
      return this.c.cyan(name.length > room ? name.slice(0, room - 1) + '…' : name) + this.c.dim(time);
    });
    if (steps.length > SHOWN) lines.push(this.c.dim(cut(`  … and ${steps.length - SHOWN} more running`)));
    lines.push(this.c.dim(cut(`  ${this.done}/${this.total} steps done, ${this.running.size} running · ${elapsed(now - this.started)}`)));
    if (this.status) lines.push(cut(`  ${this.status}`));
    const text = (clear && this.footerLines > 0 ? `\x1b[${this.footerLines}A\x1b[0J` : '') + (this.cursorHidden ? '' : HIDE_CURSOR) + lines.join('\n') + '\n';
    this.cursorHidden = true;
    this.footerLines = lines.length;
    // One write per redraw, so the footer never flickers between its erasure and the new one.
    this.write(text);
  }
}

/** 0.4s, 12.3s, 1m 05s, 1h 02m. */
export function elapsed(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}
