/**
 * The second half of a check: once the plan applied on the throwaway
 * engines, every run is rolled back there (as `topoplan rollback --all
 * --contract --force`), and what does not come back is reported: a revert
 * that fails (with the engine's message), a step no revert undoes, and each
 * store whose schema then differs from before the apply, object by object.
 *
 * @example
 * const reverts = await checkReverts(plan, connections, scratchDir)
 * for (const f of reverts.failed) console.error(`${f.step}: ${f.message}`)
 */
import { rollbackRuns } from '../execute/rollback-runs.js';
import type { Plan } from '../plan/model.js';

export interface RevertCheck {
  /** True when every revert ran and every store came back as it was. */
  readonly ok: boolean;
  /** Reverts that failed, or were not reached because one they wait for failed. */
  readonly failed: readonly { readonly step: string; readonly store: string; readonly message: string }[];
  /** Steps nothing undoes (skipped, as --force skips them), with why. */
  readonly irreversible: readonly { readonly step: string; readonly store: string; readonly reason: string }[];
  /** Stores whose schema after the rollback is not the one before the apply. */
  readonly differences: readonly { readonly store: string; readonly differences: readonly string[] }[];
}

export async function checkReverts(plan: Plan, connections: Readonly<Record<string, string | undefined>>, workDir: string): Promise<RevertCheck> {
  const r = await rollbackRuns(plan, { connections, workDir, all: true, contract: true, force: true });
  const failed = [
    ...r.errors.map((message) => ({ step: '', store: '', message })),
    ...r.steps.filter((s) => s.status === 'failed' || s.status === 'skipped' || s.status === 'not-reverted').map((s) => ({ step: s.id, store: s.store, message: s.error?.message ?? s.reason ?? s.status })),
  ];
  const irreversible = r.steps.filter((s) => s.status === 'forced').map((s) => ({ step: s.id, store: s.store, reason: (s.reason ?? '').replace(/; skipped \(--force\): its changes stay$/, '') }));
  const differences = r.comparisons.filter((c) => c.differences.length > 0).map((c) => ({ store: c.store, differences: c.differences }));
  return { ok: failed.length === 0 && differences.length === 0, failed, irreversible, differences };
}
