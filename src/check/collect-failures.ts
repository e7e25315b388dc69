/**
 * Turns a check's step results and recorded statement errors into one
 * failure per failing statement, each with its place in the file, the steps
 * skipped because of it, and the earlier failures it may follow from.
 *
 * @example
 * collectFailures(plan, result.steps, failures)
 * // [{ step: 'nova:legacy/003.sql#1-2', file: 'legacy/003.sql', line: 4, statement: 2, message: 'column "published_at" does not exist', skipped: [...], mayFollowFrom: [] }]
 */
import type { StatementError } from '../engines/statement-error.js';
import { stepErrorOf } from '../execute/step-error.js';
import type { StepResult } from '../execute/step-result.js';
import { compareText } from '../plan/compare-text.js';
import type { Plan, Step } from '../plan/model.js';
import type { CheckFailure, FailurePlace } from './check-result.js';
import type { StatementFailures } from './continuing-engines.js';

export function collectFailures(plan: Plan, results: readonly StepResult[], statementFailures: StatementFailures): CheckFailure[] {
  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  const index = new Map(plan.steps.map((s, i) => [s.id, i]));
  const failed = results.filter((r) => r.status === 'failed' && !r.cause);
  const failedIds = new Set(failed.map((r) => r.id));
  const skippedBy = new Map<string, string[]>();
  for (const r of results) if (r.status === 'skipped' && r.cause) skippedBy.set(r.cause, [...(skippedBy.get(r.cause) ?? []), r.id]);
  const out: CheckFailure[] = [];
  for (const r of failed) {
    const step = byId.get(r.id);
    const before = step ? earlierFailuresOfSet(step, byId, failedIds, index).map((id) => placeOf(statementFailures.get(id)?.step ?? byId.get(id)!, statementFailures.get(id)?.errors[0])) : [];
    const skipped = skippedBy.get(r.id) ?? [];
    const recorded = statementFailures.get(r.id);
    const errors = recorded?.errors;
    if (!step || !recorded || !errors?.length) {
      out.push({ step: r.id, store: r.store, ...(r.error?.file ? { file: r.error.file } : {}), ...(r.error?.line ? { line: r.error.line } : {}), message: r.error?.message ?? r.reason ?? 'failed', ...(r.error?.code ? { code: r.error.code } : {}), skipped, mayFollowFrom: before });
      continue;
    }
    const ran = recorded.step;
    errors.forEach((e, k) => {
      out.push({
        ...placeOf(ran, e),
        store: step.store,
        message: e.message,
        ...(e.code ? { code: e.code } : {}),
        ...(e.detail ? { detail: e.detail } : {}),
        ...(e.hint ? { hint: e.hint } : {}),
        skipped: k === 0 ? skipped : [],
        // The first failing statement of a step may follow from earlier steps; later ones also from the statements before them.
        mayFollowFrom: k === 0 ? before : [...errors.slice(0, k).map((p) => placeOf(ran, p)), ...before],
      });
    });
  }
  // By file and line, as a reader goes through them; steps without a file last, by id.
  return out.sort((a, b) => (a.file === undefined ? 1 : 0) - (b.file === undefined ? 1 : 0) || compareText(a.file ?? '', b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || (a.statement ?? 0) - (b.statement ?? 0) || compareText(a.step, b.step));
}

function placeOf(step: Step, e: StatementError | undefined): FailurePlace {
  if (!e) return { step: step.id, ...(step.source ? { file: step.source.file, line: step.source.line } : {}) };
  const where = stepErrorOf(step, e);
  return { step: step.id, ...(where.file ? { file: where.file } : {}), ...(where.line ? { line: where.line } : {}), ...(where.statement ? { statement: where.statement } : {}) };
}

/** The failed steps earlier in the same set and store that `step` comes after, in plan order. */
function earlierFailuresOfSet(step: Step, byId: Map<string, Step>, failed: ReadonlySet<string>, index: Map<string, number>): string[] {
  if (!step.source) return [];
  const set = step.source.set;
  return [...ancestorsOf(step.id, byId)]
    .filter((id) => failed.has(id) && byId.get(id)!.source?.set === set && byId.get(id)!.store === step.store)
    .sort((a, b) => index.get(a)! - index.get(b)!);
}

function ancestorsOf(id: string, byId: Map<string, Step>): Set<string> {
  const seen = new Set<string>();
  const stack = [...(byId.get(id)?.dependsOn ?? [])];
  while (stack.length > 0) {
    const d = stack.pop()!;
    if (seen.has(d)) continue;
    seen.add(d);
    stack.push(...(byId.get(d)?.dependsOn ?? []));
  }
  return seen;
}
