/**
 * The lines `topoplan plan --timings` writes to stderr: each stage of
 * planning with its time, its share of the whole, the heap in use at its end
 * and what it worked on, then the total.
 *
 * @example
 * timingLines([{ stage: 'read', ms: 3812, heapMb: 231.7, detail: '20,000 files, 140,001 statements' }, { stage: 'graph', ms: 310, heapMb: 402 }])
 * // ['timings:',
 * //  '  read     3.81 s   92%  heap 232 MB  20,000 files, 140,001 statements',
 * //  '  graph    0.31 s    8%  heap 402 MB',
 * //  '  total    4.12 s']
 */
import type { PlanStage } from '../plan/stage-clock.js';

export function timingLines(stages: readonly PlanStage[]): string[] {
  if (stages.length === 0) return [];
  const total = stages.reduce((sum, s) => sum + s.ms, 0);
  const width = Math.max(5, ...stages.map((s) => s.stage.length));
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2).padStart(6)} s`;
  const lines = stages.map((s) => {
    const share = `${(total > 0 ? Math.round((100 * s.ms) / total) : 0).toString().padStart(3)}%`;
    const heap = `heap ${Math.round(s.heapMb).toString().padStart(4)} MB`;
    return `  ${s.stage.padEnd(width)} ${seconds(s.ms)}  ${share}  ${heap}${s.detail ? `  ${s.detail}` : ''}`;
  });
  return ['timings:', ...lines, `  ${'total'.padEnd(width)} ${seconds(total)}`];
}
