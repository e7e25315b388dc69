/**
 * A pg_dump baseline (overloads, a sequence made part of its table, an empty search path) and a service adding
 * to it by hand (a DO-block enum, NOT VALID then VALIDATE, CREATE OR REPLACE TRIGGER, a down file) plan with no
 * problem, apply on PostgreSQL and roll back whole: the baseline's sequence goes with its table.
 */
import { describe, it } from 'vitest';
import { expectAppliesWhole } from '../../helpers/check-whole.js';

describe('a pg_dump baseline', () => {
  it('applies in the plan order and every revert runs', async () => {
    await expectAppliesWhole('test/fixtures/pg-dump-baseline/topology.yaml');
  });
});
