import { describe, expect, it } from 'vitest';
import type { Step } from '../../../../src/plan/model.js';
import { reversibility } from '../../../../src/plan/revert/reversibility.js';

const step = (revert?: Step['revert']) => ({ revert }) as Step;

describe('reversibility', () => {
  it('counts reversible, restorable and irreversible steps; a step without a revert is irreversible', () => {
    expect(reversibility([step({ from: 'generated', statements: [] }), step({ from: 'down_file', file: 'a', line: 1, sql: '' }), step({ from: 'backup' }), step({ from: 'irreversible', reason: 'x' }), step()])).toEqual({
      reversible: 2, restorable: 1, irreversible: 2, summary: '5 steps: 2 reversible, 1 restorable from backup, 2 irreversible',
    });
    expect(reversibility([step({ from: 'backup' })]).summary).toBe('1 step: 0 reversible, 1 restorable from backup, 0 irreversible');
  });
});
