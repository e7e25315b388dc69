/**
 * Plans a topology, checks the plan on throwaway engines (see check-plan.ts) and expects what a clean tree
 * gives: no problem in the plan, every step applied, every revert run with each store back as before.
 *
 * @example
 * const result = await expectAppliesWhole('test/fixtures/partitions/topology.yaml');
 * result.schemas // what the stores hold after the apply
 */
import { expect } from 'vitest';
import { checkPlan } from '../../src/check/check-plan.js';
import type { CheckResult } from '../../src/check/check-result.js';
import type { Plan } from '../../src/plan/model.js';
import { planMigration } from '../../src/plan/plan-migration.js';

export async function expectAppliesWhole(topologyFile: string, check: (plan: Plan) => void = () => {}): Promise<CheckResult> {
  const plan = await planMigration(topologyFile, { env: {} });
  expect(plan.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  check(plan);
  const result = await checkPlan(plan);
  expect(result.failures).toEqual([]);
  expect(result.steps.map((s) => s.status)).toEqual(plan.steps.map(() => 'applied'));
  expect(result.reverts).toEqual({ ok: true, failed: [], irreversible: [], differences: [] });
  expect(result.ok).toBe(true);
  return result;
}

/** What a store holds after the check: `kind schema.name` of each object. */
export function objectsOf(result: CheckResult, store: string): string[] {
  return result.schemas.find((s) => s.store === store)!.objects.map((o) => `${o.kind} ${o.name}`);
}
