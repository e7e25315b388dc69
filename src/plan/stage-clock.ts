/**
 * Where a plan's time goes: each stage of planning, as it ends, with its
 * wall-clock time and the heap in use at its end, for a caller that asks
 * (`PlanOptions.onStage`, `topoplan plan --timings`). Stages come in the
 * order they ran; with no callback nothing is measured.
 *
 * @example
 * const clock = new StageClock((s) => stages.push(s));
 * readEverything();
 * clock.lap('read', '20,000 files: 20,000 parsed');
 * // stages: [{ stage: 'read', ms: 3812.4, heapMb: 231.7, detail: '20,000 files: 20,000 parsed' }]
 */
import { getHeapStatistics } from 'node:v8';

export interface PlanStage {
  /** What ran: `read`, `route`, `graph`... (see planMigration for the list). */
  readonly stage: string;
  /** Wall-clock milliseconds since the previous stage ended (or the clock started). */
  readonly ms: number;
  /** JavaScript heap in use when the stage ended, in MB (garbage not yet collected included). */
  readonly heapMb: number;
  /** What the stage worked on, in words, e.g. `20,000 files: 19,999 from the parse cache, 1 parsed`. */
  readonly detail?: string;
}

export class StageClock {
  private last = 0;

  constructor(private readonly onStage?: (stage: PlanStage) => void) {
    if (onStage) this.last = performance.now();
  }

  /** Ends a stage; `detail` is made only when someone listens. */
  lap(stage: string, detail?: () => string): void {
    if (!this.onStage) return;
    const now = performance.now();
    const ms = now - this.last;
    const heapMb = getHeapStatistics().used_heap_size / 1e6;
    const said = detail?.();
    this.onStage({ stage, ms, heapMb, ...(said ? { detail: said } : {}) });
    // The listener's own time is not the next stage's.
    this.last = performance.now();
  }
}
