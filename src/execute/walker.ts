/**
 * Runs steps in dependency order: a step starts when all its dependencies
 * succeeded; one whose dependency did not is skipped with the root cause.
 * Steps of one store run one at a time (a database applies DDL serially and
 * the ledger stays simple); different stores run in parallel, up to
 * `concurrency`. Ready steps start in plan order, so runs are repeatable.
 * A dependency the caller calls soft (`soft`) still orders the two steps but
 * does not stop the later one when the earlier fails: a check uses it for the
 * author's file order, to find every failure in one run.
 *
 * @example
 * const results = await walk(plan.steps, { concurrency: 4, run: (s) => applyOne(s) });
 */
import { SUCCEEDED, type StepResult } from './step-result.js';

export interface Walkable {
  readonly id: string;
  readonly store: string;
  readonly dependsOn: readonly string[];
}

export interface WalkOptions<S extends Walkable> {
  readonly concurrency?: number;
  readonly run: (step: S) => Promise<StepResult>;
  /** True when `step` may run even though `dependency` did not succeed (it still waits for it to finish). */
  readonly soft?: (step: S, dependency: string) => boolean;
}

export async function walk<S extends Walkable>(steps: readonly S[], options: WalkOptions<S>): Promise<Map<string, StepResult>> {
  const limit = Math.max(1, options.concurrency ?? 4);
  const results = new Map<string, StepResult>();
  const pending = new Set(steps.map((s) => s.id));
  const busyStores = new Set<string>();
  let running = 0;
  return new Promise((resolve, reject) => {
    const pump = () => {
      let progressed = true;
      while (progressed) {
        progressed = false;
        for (const s of steps) {
          if (!pending.has(s.id)) continue;
          const deps = s.dependsOn.map((d) => results.get(d));
          const failed = deps.find((r, i) => r && !SUCCEEDED.has(r.status) && !options.soft?.(s, s.dependsOn[i]!));
          if (failed) {
            pending.delete(s.id);
            // Behind a step that was deliberately not applied (unreachable store, contract phase) a step is not applied either, for the same reason.
            results.set(
              s.id,
              failed.status === 'not-applied'
                ? { id: s.id, store: s.store, status: 'not-applied', ...(failed.cause ? { cause: failed.cause } : {}), reason: failed.reason ?? `depends on "${failed.id}", which was not applied` }
                : { id: s.id, store: s.store, status: 'skipped', cause: failed.cause ?? failed.id, reason: `depends on "${failed.id}", which ${failed.status === 'skipped' ? 'was skipped' : 'failed'}` },
            );
            progressed = true;
            continue;
          }
          if (deps.some((r) => !r) || busyStores.has(s.store) || running >= limit) continue;
          pending.delete(s.id);
          busyStores.add(s.store);
          running++;
          progressed = true;
          options
            .run(s)
            .then((r) => results.set(s.id, r))
            .catch((e: unknown) => results.set(s.id, { id: s.id, store: s.store, status: 'failed', error: { message: e instanceof Error ? e.message : String(e) } }))
            .finally(() => {
              busyStores.delete(s.store);
              running--;
              pump();
            });
        }
      }
      if (running === 0) {
        if (pending.size > 0) reject(new Error(`walk: ${pending.size} steps wait on steps that are not in the plan`));
        else resolve(results);
      }
    };
    pump();
  });
}
