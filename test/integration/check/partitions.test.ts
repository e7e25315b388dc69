/**
 * The partitions fixture (partitions, children, a schema made with its elements, statistics, a publication,
 * across two services) plans with no problem, orders the second service's file after the first's, applies on
 * PostgreSQL and rolls back whole.
 */
import { describe, expect, it } from 'vitest';
import { expectAppliesWhole } from '../../helpers/check-whole.js';

describe('partitions, schema elements and publications', () => {
  it('apply in the plan order and every revert runs', async () => {
    await expectAppliesWhole('test/fixtures/partitions/topology.yaml', (plan) => {
      expect(plan.edges.find((e) => e.to.startsWith('main:replica/'))?.reasons).toEqual(expect.arrayContaining(['references table reporting.daily', 'view reads table reporting.recent']));
    });
  });
});
