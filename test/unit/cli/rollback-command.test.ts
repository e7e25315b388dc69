import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { renderRollback } from '../../../src/cli/rollback-command.js';

const c = pc.createColors(false);

describe('renderRollback', () => {
  it('lists each revert by run, what stays applied, and each store against its state before', () => {
    const text = renderRollback({
      ok: false,
      runs: ['r2'],
      steps: [
        { id: 'main:app/003.sql#1', store: 'main', run: 'r2', status: 'not-reverted', reason: 'irreversible: INSERT changes rows' },
        { id: 'main:app/002.sql#1', store: 'main', run: 'r2', status: 'failed', error: { message: 'rollback: boom' } },
        { id: 'main:app/001.sql#1', store: 'main', run: 'r2', status: 'reverted', reason: 'generated', backup: '/d/b' },
      ],
      comparisons: [{ store: 'main', run: 'r2', differences: ['missing table public.t'] }, { store: 'ch', run: 'r2', differences: [] }, { store: 'x', run: 'r2', differences: [], notCompared: '1 step was not reverted' }],
      errors: [],
    }, false, c);
    expect(text).toContain('Rolled back run r2');
    expect(text).toContain('✗ main           main:app/003.sql#1 not-reverted: irreversible: INSERT changes rows');
    expect(text).toContain('      rollback: boom');
    expect(text).toContain('backed up first: /d/b');
    expect(text).toContain('rollback: 2 steps left applied: main:app/003.sql#1, main:app/002.sql#1');
    expect(text).toContain('store main: schema differs from before run r2:\n  missing table public.t');
    expect(text).toContain('store ch: schema as before run r2');
    expect(text).toContain('store x: not compared with its state before run r2: 1 step was not reverted');
  });

  it('a dry run shows the SQL; no run, or an error, says so', () => {
    expect(renderRollback({ ok: true, runs: ['r1'], steps: [{ id: 's', store: 'main', run: 'r1', status: 'reverted', sql: ['DROP TABLE t'] }], comparisons: [], errors: [] }, true, c)).toContain('Would roll back run r1\n  ✓ main           s reverted\n      DROP TABLE t;');
    expect(renderRollback({ ok: true, runs: [], steps: [], comparisons: [], errors: [] }, false, c)).toBe('rollback: no run to roll back\n');
    expect(renderRollback({ ok: false, runs: [], steps: [], comparisons: [], errors: ['rollback: store "main" is locked'] }, false, c)).toBe('rollback: store "main" is locked\n');
  });
});
