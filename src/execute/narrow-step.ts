/**
 * A step cut down to some of its statements, for an apply where the others
 * are in effect already (an earlier plan grouped them into other steps). It
 * keeps the step's id, store, phase and sqlx row, so results and the ledger
 * name it as the plan does.
 *
 * @example
 * narrowStep(step, [2, 3]).statements // the third and fourth statements only
 */
import type { Step } from '../plan/model.js';
import { checksumOf } from '../plan/order/steps.js';

export function narrowStep(step: Step, keep: readonly number[]): Step {
  if (keep.length === step.statements.length || !step.source) return step;
  const src = step.source;
  const pick = <T>(xs: readonly T[]) => keep.map((i) => xs[i]!);
  const statements = pick(step.statements);
  const lastKept = keep[keep.length - 1]!;
  const next = src.statementLines[lastKept + 1];
  return {
    ...step,
    statements,
    checksum: checksumOf(statements),
    source: {
      ...src,
      firstStatement: src.ordinals[keep[0]!]!,
      lastStatement: src.ordinals[lastKept]!,
      line: src.statementLines[keep[0]!]!,
      endLine: next !== undefined ? Math.max(src.statementLines[lastKept]!, next - 1) : src.endLine,
      statementLines: pick(src.statementLines),
      ordinals: pick(src.ordinals),
      fingerprints: pick(src.fingerprints),
      ...(src.original ? { original: pick(src.original) } : {}),
    },
  };
}
