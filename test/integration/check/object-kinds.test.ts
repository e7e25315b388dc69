/**
 * The object-kinds fixture (see its topology) plans with no problem, applies on PostgreSQL in the plan's
 * order, and rolls back whole: the view replaced in the file that creates it is dropped once, and the
 * index a constraint took over comes back before the step that made it is reverted.
 */
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../../src/check/check-plan.js';
import { planMigration } from '../../../src/plan/plan-migration.js';

describe('many kinds of objects', () => {
  it('apply in the plan order and every revert runs', async () => {
    const plan = await planMigration('test/fixtures/object-kinds/topology.yaml', { env: {} });
    expect(plan.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    const result = await checkPlan(plan);
    expect(result.failures).toEqual([]);
    expect(result.steps.map((s) => s.status)).toEqual(plan.steps.map(() => 'applied'));
    expect(result.reverts).toEqual({ ok: true, failed: [], irreversible: [], differences: [] });
    expect(result.ok).toBe(true);
  });
});
