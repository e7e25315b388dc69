/**
 * The partitions fixture (partitions, children, a schema made with its elements, statistics, a publication,
 * across two services) plans with no problem, orders the second service's file after the first's, applies on
 * PostgreSQL and rolls back whole.
 */
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../../src/check/check-plan.js';
import { planMigration } from '../../../src/plan/plan-migration.js';

describe('partitions, schema elements and publications', () => {
  it('apply in the plan order and every revert runs', async () => {
    const plan = await planMigration('test/fixtures/partitions/topology.yaml', { env: {} });
    expect(plan.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    expect(plan.edges.find((e) => e.to.startsWith('main:replica/'))?.reasons).toEqual(expect.arrayContaining(['references table reporting.daily', 'view reads table reporting.recent']));
    const result = await checkPlan(plan);
    expect(result.failures).toEqual([]);
    expect(result.steps.map((s) => s.status)).toEqual(plan.steps.map(() => 'applied'));
    expect(result.reverts).toEqual({ ok: true, failed: [], irreversible: [], differences: [] });
    expect(result.ok).toBe(true);
  });
});
