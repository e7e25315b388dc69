/**
 * Apply progress in a terminal: finished steps scroll above a live footer
 * that lists the steps running now and a count, redrawn in place. Used only
 * when standard output is a terminal; otherwise the CLI prints plain lines.
 * `close()` erases the footer and leaves the terminal as it was; it is safe
 * to call more than once (an interrupted run calls it on every way out), and
 * lines printed after it are plain lines.
 */
import type pc from 'picocolors';

export class LiveProgress {
  private readonly running = new Map<string, number>();
  private done = 0;
  private footerLines = 0;
  private closed = false;
  private status: string | undefined;

  constructor(
    private readonly total: number,
    private readonly c: ReturnType<typeof pc.createColors>,
    private readonly write: (s: string) => void = (s) => process.stdout.write(s),
  ) {}

  start(step: string): void {
    this.running.set(step, Date.now());
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
    this.clear();
    this.closed = true;
  }

  private clear(): void {
    if (this.footerLines > 0) this.write(`\x1b[${this.footerLines}A\x1b[0J`);
    this.footerLines = 0;
  }

  private redraw(clear = true): void {
    if (this.closed) return;
    if (clear) this.clear();
    const now = Date.now();
    const lines = [...this.running].map(([id, t]) => this.c.cyan(`  ⠿ ${id} ${this.c.dim(`${((now - t) / 1000).toFixed(1)}s`)}`));
    lines.push(this.c.dim(`  ${this.done}/${this.total} steps done, ${this.running.size} running`));
    if (this.status) lines.push(`  ${this.status}`);
    this.write(lines.join('\n') + '\n');
    this.footerLines = lines.length;
  }
}
