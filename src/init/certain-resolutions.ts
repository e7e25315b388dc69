/**
 * The conflicts of a draft whose resolution leaves nothing to decide: an object
 * that two sets create with the same definition (the planner's own comparison,
 * "the definitions are identical"), where keeping either gives the same
 * schema. The resolution the planner hints at is then put in by init, not left
 * commented out. Everything the hint would also settle must be identical too
 * (a table's index that differs keeps the table's supersession to review), and
 * the plan with those resolutions in must confirm it: the same errors minus
 * those, and no statement skipped but the identical duplicates (a later ALTER
 * of the superseded table would be skipped with it: that is a decision, so
 * nothing is put in).
 *
 * @example
 * const certain = certainConflicts(plan.diagnostics, plan.conflicts);
 * // [the error for "table likes is created by both ...; the definitions are identical"]
 * confirmedByPlan(plan, planWithThem, certain) // true when only the duplicates are skipped
 */
import type { Diagnostic } from '../errors.js';
import type { Conflict, Plan } from '../plan/model.js';

const IDENTICAL = '; the definitions are identical';

/** The error diagnostics whose resolution is certain. */
export function certainConflicts(diagnostics: readonly Diagnostic[], conflicts: readonly Conflict[]): Diagnostic[] {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const byMessage = new Map(conflicts.filter((c) => c.severity === 'error').map((c) => [c.message, c]));
  // Errors with one hint are settled by one resolution: it is certain only when all of them are.
  const groups = new Map<string, Diagnostic[]>();
  for (const d of errors) {
    if (!d.hint?.startsWith('supersessions:')) continue;
    groups.set(d.hint, [...(groups.get(d.hint) ?? []), d]);
  }
  const certain: Diagnostic[] = [];
  for (const group of groups.values()) if (group.every((d) => identicalPair(byMessage.get(d.message)))) certain.push(...group);
  return certain;
}

function identicalPair(c: Conflict | undefined): boolean {
  return c !== undefined && c.kind === 'duplicate_create' && c.sources.length === 2 && c.message.endsWith(IDENTICAL);
}

/**
 * True when `after` (the draft with the certain resolutions in) has exactly the errors of `before` but those,
 * and skips no statement `before` did not skip other than the identical duplicates.
 */
export function confirmedByPlan(before: Plan, after: Plan, certain: readonly Diagnostic[]): boolean {
  const key = (d: Diagnostic) => `${d.file}:${d.line}: ${d.message}`;
  const gone = new Set(certain.map(key));
  const expected = before.diagnostics.filter((d) => d.severity === 'error' && !gone.has(key(d))).map(key).sort();
  const got = after.diagnostics.filter((d) => d.severity === 'error').map(key).sort();
  if (expected.length !== got.length || expected.some((k, i) => k !== got[i])) return false;
  const messages = new Set(certain.map((d) => d.message));
  const duplicates = new Set(before.conflicts.filter((c) => messages.has(c.message)).flatMap((c) => c.sources.map((s) => `${s.file}:${s.line}`)));
  const skippedBefore = new Set(before.skipped.map((s) => `${s.file}:${s.line ?? ''}`));
  return after.skipped.every((s) => skippedBefore.has(`${s.file}:${s.line ?? ''}`) || duplicates.has(`${s.file}:${s.line ?? ''}`));
}
