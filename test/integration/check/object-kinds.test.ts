/**
 * The object-kinds fixture (see its topology) plans with no problem, applies on PostgreSQL in the plan's
 * order, and rolls back whole: the view replaced in the file that creates it is dropped once, and the
 * index a constraint took over comes back before the step that made it is reverted.
 */
import { describe, it } from 'vitest';
import { expectAppliesWhole } from '../../helpers/check-whole.js';

describe('many kinds of objects', () => {
  it('apply in the plan order and every revert runs', async () => {
    await expectAppliesWhole('test/fixtures/object-kinds/topology.yaml');
  });
});
