/**
 * Opting in to destructive steps. Apply runs a step that destroys data only
 * when the caller opted in (`--contract`) or the topology allows it
 * (`allowDestructive:`); otherwise that step, and every step that depends on
 * it, is held back. One line says how to opt in, with the file and statement
 * filled in so it can be pasted.
 *
 * @example
 * optInHint(step)
 * // 're-run with --contract, or allow it in the topology: allowDestructive: [{ set: app, file: 003_drop_note.sql, statements: "2", reason: "..." }]'
 */
import type { Step } from './model.js';

export function optInHint(step: Step): string {
  const s = step.source;
  if (!s) return 're-run with --contract';
  const name = s.file.slice(s.file.lastIndexOf('/') + 1);
  const statements = s.firstStatement === s.lastStatement ? `${s.firstStatement + 1}` : `${s.firstStatement + 1}-${s.lastStatement + 1}`;
  return `re-run with --contract, or allow it in the topology: allowDestructive: [{ set: ${s.set}, file: ${name}, statements: "${statements}", reason: "..." }]`;
}

/** Whether apply runs this step: it destroys nothing, or the topology allows it, or the caller opted in. */
export function mayRun(step: Step, contract: boolean): boolean {
  return !step.destructive || contract || step.allowed !== undefined;
}

/**
 * The steps a run would hold back, with why: destructive steps nobody opted
 * in to, and the steps that depend on them (directly or not).
 *
 * @example
 * for (const [id, why] of heldSteps(plan, false)) console.log(id, why)
 */
export function heldSteps(plan: { readonly steps: readonly Step[] }, contract: boolean): Map<string, string> {
  const held = new Map<string, string>();
  // Steps come in topological order: a dependency is decided before its dependants.
  for (const s of plan.steps) {
    if (!mayRun(s, contract)) held.set(s.id, `destroys data: ${optInHint(s)}`);
    else {
      const dep = s.dependsOn.find((d) => held.has(d));
      if (dep) held.set(s.id, `depends on "${dep}", which is held back`);
    }
  }
  return held;
}
