/**
 * How a plan's steps are undone, counted: reversible (the author's revert or
 * a generated one), restorable from backup, irreversible; and the summary
 * line plan text and JSON show.
 *
 * @example
 * reversibility(plan.steps).summary // '45 steps: 41 reversible, 4 restorable from backup, 0 irreversible'
 */
import type { PlanReversibility, Step } from '../model.js';

export function reversibility(steps: readonly Step[]): PlanReversibility {
  let restorable = 0;
  let irreversible = 0;
  for (const s of steps) {
    if (s.revert?.from === 'backup') restorable++;
    else if (!s.revert || s.revert.from === 'irreversible') irreversible++;
  }
  const reversible = steps.length - restorable - irreversible;
  return { reversible, restorable, irreversible, summary: `${steps.length} step${steps.length === 1 ? '' : 's'}: ${reversible} reversible, ${restorable} restorable from backup, ${irreversible} irreversible` };
}
